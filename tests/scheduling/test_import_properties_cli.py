"""Property tests of the files `wfm staffing` reads (FORECAST.csv and TARGETS.json), through click's runner:
a valid file gives one output row per input row, carrying its timestamp and volume unchanged; a spoiled
file gives either that or exit status 1 with a message naming the file, line and field — never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import pandas as pd
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from tests.import_inputs import damaged, examples
from tests.scheduling.test_import_properties import NAME, spoiled_json
from wfm.commands.staffing import command

FLAGS = ["--aht", "180", "--service-level", "0.8", "--answer-seconds", "20"]
EPOCH = dt.datetime(2026, 3, 1, 8)


@st.composite
def forecasts(draw):
    queues = draw(st.lists(NAME, min_size=1, max_size=2, unique=True))
    rows = []
    for queue in queues:
        for slot in draw(st.lists(st.integers(0, 40), min_size=2, max_size=8, unique=True)):
            rows.append(
                (
                    EPOCH + dt.timedelta(minutes=15 * slot),
                    queue,
                    draw(st.integers(0, 300).map(str) | st.floats(0, 300, allow_nan=False).map(repr)),
                    draw(st.none() | st.integers(30, 900)),
                )
            )
    # a queue needs two distinct intervals 15 minutes apart for the interval length to be inferred
    rows += [(EPOCH + dt.timedelta(minutes=15 * s), queues[0], "1", None) for s in (41, 42)]
    return draw(st.permutations(rows))


def _forecast_csv(rows) -> str:
    lines = ["interval_start,queue,forecast,aht_seconds"]
    lines += [f"{t.isoformat()},{q},{f},{'' if a is None else a}" for t, q, f, a in rows]
    return "\n".join(lines) + "\n"


def _run(tmp_path_factory, forecast: bytes, *args: str):
    folder = tmp_path_factory.mktemp("staffing")
    source, out = folder / "forecast.csv", folder / "requirement.csv"
    source.write_bytes(forecast)
    result = CliRunner().invoke(command, [str(source), "-o", str(out), *args])
    return result, source, out


def _refused_or_written(result, source, out, expected_rows: int | None = None):
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash: show its traceback
    if result.exit_code == 0:
        written = pd.read_csv(out, dtype={"interval_start": str, "queue": str})
        assert (written["agents"] >= 0).all()
        assert (written["scheduled_agents"] >= written["agents"]).all()
        if expected_rows is not None:
            assert len(written) == expected_rows
        return written
    assert result.exit_code in (1, 2), result.output
    return None


@given(rows=forecasts())
@examples(0.3)
def test_forecast_round_trips_into_the_requirement(tmp_path_factory, rows):
    result, _source, out = _run(tmp_path_factory, _forecast_csv(rows).encode(), *FLAGS)
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written["interval_start"].tolist() == [t.isoformat() for t, *_ in rows]
    assert written["queue"].tolist() == [q for _, q, *_ in rows]
    assert written["forecast"].tolist() == [f for _, _, f, _ in rows]
    agents = written["agents"].astype(int)
    assert (agents >= 0).all()
    assert (agents[written["forecast"].astype(float) == 0] == 0).all()


@given(data=st.data(), rows=forecasts())
@examples(0.3)
@example(data=None, rows=[(EPOCH, "a", "1e300", None), (EPOCH + dt.timedelta(minutes=15), "a", "1", None)])
def test_forecast_damaged_is_written_or_refused_by_file_line_and_field(tmp_path_factory, data, rows):
    text = _forecast_csv(rows)
    raw = text.encode() if data is None else data.draw(damaged(text))
    result, source, out = _run(tmp_path_factory, raw, *FLAGS)
    if _refused_or_written(result, source, out) is None:
        assert str(source) in result.output, result.output
        assert re.search(r"line \d+|field|cannot read", result.output), result.output


@st.composite
def target_documents(draw):
    entry = st.fixed_dictionaries(
        {},
        optional={
            "service_level": st.floats(0, 0.99),
            "answer_seconds": st.integers(0, 120),
            "max_occupancy": st.floats(0.5, 1.0),
            "shrinkage": st.floats(0, 0.6),
            "aht_seconds": st.integers(30, 900),
            "concurrency": st.integers(1, 4),
        },
    )
    queues = draw(st.lists(NAME, min_size=1, max_size=2, unique=True))
    document = {"*": draw(entry)}
    for queue in queues:
        if draw(st.booleans()):
            document[queue] = draw(entry)
    return queues, document


@given(case=target_documents())
@examples(0.3)
def test_targets_are_applied_per_queue(tmp_path_factory, case):
    queues, document = case
    rows = [(EPOCH + dt.timedelta(minutes=15 * s), q, "20", None) for q in queues for s in range(3)]
    folder = tmp_path_factory.mktemp("targets")
    targets = folder / "targets.json"
    targets.write_text(json.dumps(document))
    result, _source, out = _run(
        tmp_path_factory, _forecast_csv(rows).encode(), "--aht", "180", "--targets", str(targets)
    )
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out)
    for queue in queues:
        settings = {**document["*"], **document.get(queue, {})}
        shrinkage = settings.get("shrinkage", 0.0)
        mine = written[written["queue"] == queue]
        expected = [math.ceil(a / (1 - shrinkage) - 1e-9) for a in mine["agents"]]
        assert mine["scheduled_agents"].tolist() == expected
        if "max_occupancy" in settings:
            assert (mine["occupancy"] <= settings["max_occupancy"] + 1e-9).all()


@given(data=st.data(), case=target_documents(), text_damage=st.booleans())
@examples(0.3)
@example(data=None, case=(["a"], {"*": {"service_level": math.nan}}), text_damage=False)
@example(data=None, case=(["a"], {"*": {"concurrency": 10**400}}), text_damage=False)
def test_targets_spoiled_are_applied_or_refused_by_file_and_field(tmp_path_factory, data, case, text_damage):
    queues, document = case
    text = json.dumps(document) if data is None else data.draw(spoiled_json(document))
    raw = data.draw(damaged(text)) if text_damage and data is not None else text.encode()
    folder = tmp_path_factory.mktemp("targets")
    targets = folder / "targets.json"
    targets.write_bytes(raw)
    rows = [(EPOCH + dt.timedelta(minutes=15 * s), q, "20", None) for q in queues for s in range(3)]
    result, source, out = _run(
        tmp_path_factory, _forecast_csv(rows).encode(), *FLAGS, "--targets", str(targets)
    )
    if _refused_or_written(result, source, out, expected_rows=len(rows)) is None:
        assert str(targets) in result.output or "--" in result.output, result.output
        assert "field" in result.output or "JSON" in result.output or "UTF-8" in result.output, result.output
