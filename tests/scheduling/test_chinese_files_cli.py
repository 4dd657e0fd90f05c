"""`wfm forecast` reads a history saved by Chinese Excel (GBK), writes UTF-8 with a BOM, and `wfm staffing`
and the requirement reader read that back; bytes that are no text are refused naming file and line."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from scheduling.shifts import read_requirement_csv
from tests.scheduling.fixtures.forecast.synthetic import make_history, pattern
from wfm.commands.forecast import command as forecast_command
from wfm.commands.staffing import command as staffing_command

QUEUES = ("零售语音", "信用卡")  # retail voice, credit cards
BOM = b"\xef\xbb\xbf"


def _history_text() -> str:
    frames = []
    for scale, queue in enumerate(QUEUES, start=1):
        frame = make_history("2024-01-01", "2024-03-31", queue=queue).frame.copy()
        frame["offered"] = frame["offered"] * scale
        frames.append(frame)
    frame = pd.concat(frames)
    frame["interval_start"] = frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M")
    return frame[["interval_start", "queue", "offered"]].to_csv(index=False)


def _forecast(tmp_path, data: bytes, *extra: str):
    history, out = tmp_path / "历史.csv", tmp_path / "forecast.csv"
    history.write_bytes(data)
    args = [str(history), "--start", "2024-04-01", "--days", "7", "-o", str(out), "--method", "top_down"]
    return CliRunner().invoke(forecast_command, [*args, *extra]), out


@pytest.mark.parametrize("extra", [(), ("--encoding", "gb18030")])
def test_a_gbk_history_is_forecast_and_the_output_reads_back(tmp_path, extra):
    data = _history_text().encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # a real GBK file, not UTF-8 by accident
    result, out = _forecast(tmp_path, data, *extra)
    assert result.exit_code == 0, result.output
    written = out.read_bytes()
    assert written.startswith(BOM)
    frame = pd.read_csv(out, encoding="utf-8-sig", parse_dates=["interval_start"])
    assert set(frame["queue"]) == set(QUEUES)
    for scale, queue in enumerate(QUEUES, start=1):
        mine = frame[frame["queue"] == queue].set_index("interval_start")
        assert mine.loc[pd.Timestamp("2024-04-02 12:00"), "forecast"] == pytest.approx(scale * pattern(1, 12))

    requirement = tmp_path / "requirement.csv"
    staffed = CliRunner().invoke(
        staffing_command,
        [
            str(out),
            "-o",
            str(requirement),
            "--aht",
            "180",
            "--service-level",
            "0.8",
            "--answer-seconds",
            "20",
        ],
    )
    assert staffed.exit_code == 0, staffed.output
    assert requirement.read_bytes().startswith(BOM)
    need = read_requirement_csv(requirement)
    assert set(need.queues) == set(QUEUES)
    assert need.values.sum() > 0


def test_a_gbk_history_said_to_be_utf8_is_refused_naming_the_line(tmp_path):
    text = _history_text()
    result, out = _forecast(tmp_path, text.encode("gbk"), "--encoding", "utf-8")
    assert result.exit_code != 0
    assert "历史.csv:2: file: " in result.output  # file, line (the first holding a Chinese name), field
    assert "not UTF-8 text" in result.output
    assert not out.exists()


def test_bytes_that_are_no_text_are_refused_naming_file_and_line(tmp_path):
    data = b"interval_start,queue,offered\n2024-01-01T08:00,q,1\n2024-01-01T09:00,\x80\xff\x80,2\n"
    result, out = _forecast(tmp_path, data)
    assert result.exit_code != 0
    assert "历史.csv:3: file: " in result.output
    assert "not UTF-8 or GB18030 (GBK) text" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
