"""`wfm forecast` end to end through click's CliRunner, on plain files."""

import pandas as pd
import pytest
from click.testing import CliRunner

from tests.scheduling.fixtures.forecast.synthetic import make_history, pattern

try:  # the full CLI needs wfm.create_app only when a Flask command runs; fall back to the command itself
    from wfm.cli import main as cli

    ARGS = ["forecast"]
except ImportError:  # pragma: no cover
    from wfm.commands.forecast import command as cli

    ARGS = []


@pytest.fixture
def history_csv(tmp_path):
    frame = make_history("2024-01-01", "2024-03-31", aht=200.0).frame.copy()
    frame["interval_start"] = frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M")
    frame = frame.drop(columns=["handled", "abandoned"])
    two = pd.concat([frame, frame.assign(queue="other", offered=frame["offered"] * 2)])
    path = tmp_path / "history.csv"
    two.to_csv(path, index=False)
    return path


def test_writes_the_forecast_file_and_a_summary(history_csv, tmp_path):
    out = tmp_path / "forecast.csv"
    result = CliRunner().invoke(
        cli,
        [
            *ARGS,
            str(history_csv),
            "--start",
            "2024-04-01",
            "--days",
            "7",
            "-o",
            str(out),
            "--method",
            "top_down",
            "--country",
            "DE",
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, parse_dates=["interval_start"])
    assert list(frame.columns) == ["interval_start", "queue", "forecast", "lower", "upper", "aht_seconds"]
    assert set(frame["queue"]) == {"q", "other"}
    q = frame[frame["queue"] == "q"].set_index("interval_start")
    # Easter Monday (1 April 2024) is a German holiday; the two past ones in the history (New Year, Good
    # Friday) were ordinary days, so it is forecast as an ordinary Monday.
    assert q.loc[pd.Timestamp("2024-04-01 12:00"), "forecast"] == pytest.approx(pattern(0, 12))
    assert "like a Monday (from 2 past holiday(s))" in result.output
    assert q.loc[pd.Timestamp("2024-04-02 12:00"), "forecast"] == pytest.approx(pattern(1, 12))
    assert len(q) == 6 * 10
    assert (frame["aht_seconds"] == 200.0).all()
    assert "q: top_down" in result.output
    assert "Poisson floor" in result.output


def test_auto_is_the_default(history_csv, tmp_path):
    out = tmp_path / "forecast.csv"
    result = CliRunner().invoke(
        cli, [*ARGS, str(history_csv), "--start", "2024-04-01", "--days", "2", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "backtest wMAPE" in result.output
    assert len(pd.read_csv(out)) == 2 * 2 * 10


def test_bad_history_exits_non_zero_naming_file_line_and_field(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("interval_start,queue,offered\n2024-01-01T09:00,q,3\n2024-01-01T10:00,q,lots\n")
    out = tmp_path / "forecast.csv"
    result = CliRunner().invoke(
        cli, [*ARGS, str(bad), "--start", "2024-01-02", "--days", "1", "-o", str(out)]
    )
    assert result.exit_code != 0
    assert f"{bad}:3: offered" in result.output
    assert not out.exists()


def test_bad_options_are_refused(history_csv, tmp_path):
    out = str(tmp_path / "f.csv")
    runner = CliRunner()
    assert runner.invoke(
        cli, [*ARGS, str(history_csv), "--start", "2024-13-01", "--days", "1", "-o", out]
    ).exit_code
    assert runner.invoke(
        cli, [*ARGS, str(history_csv), "--start", "2024-04-01", "--days", "1", "-o", out, "--method", "magic"]
    ).exit_code
    wrong = runner.invoke(
        cli, [*ARGS, str(history_csv), "--start", "2024-04-01", "--days", "1", "-o", out, "--country", "XX"]
    )
    assert wrong.exit_code != 0
    assert "country" in wrong.output
    early = runner.invoke(cli, [*ARGS, str(history_csv), "--start", "2023-01-01", "--days", "1", "-o", out])
    assert early.exit_code != 0
    assert "start" in early.output
