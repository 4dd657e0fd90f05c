"""Per-call records aggregated to intervals, checked against hand counts of a small fixture."""

import math
from pathlib import Path

import pandas as pd
import pytest

from scheduling.history import (
    HistoryError,
    aggregate_calls,
    coarsen,
    queue_by_type_and_priority,
    read_call_records,
)
from tests.reference_data import CALLS_FEBRUARY

FIXTURE = Path(__file__).parent / "fixtures" / "forecast" / "calls_small.tsv"


def test_offered_calls_leave_out_vru_hangups_and_phantoms_and_cross_midnight():
    calls = read_call_records(FIXTURE)
    # 8 records: call 4 hung up inside the VRU, call 5 is a PHANTOM.
    assert len(calls) == 6
    late = calls[calls["service_seconds"] == 60].iloc[0]
    assert late["arrival"] == pd.Timestamp("1999-02-02 00:00:05")


def test_interval_counts_handle_time_and_patience_by_hand():
    result = aggregate_calls(read_call_records(FIXTURE), interval_minutes=15)
    frame = result.history.frame.set_index(["queue", "interval_start"])
    ps_nine = frame.loc[("PS", pd.Timestamp("1999-02-01 09:00"))]
    assert (ps_nine["offered"], ps_nine["handled"], ps_nine["abandoned"]) == (3, 2, 1)
    assert ps_nine["aht_seconds"] == pytest.approx(150.0)  # (180 + 120) / 2 served calls
    nw = frame.loc[("NW", pd.Timestamp("1999-02-01 09:15"))]
    assert (nw["offered"], nw["handled"], nw["abandoned"], nw["aht_seconds"]) == (2, 1, 1, 300)
    assert frame.loc[("PS", pd.Timestamp("1999-02-02 00:00")), "offered"] == 1
    assert len(frame) == 3

    stats = result.queues.set_index("queue")
    # PS waits 60 + 0 + 120 + 20 = 200 s, one abandonment: exponential MLE of mean patience 200 s.
    assert stats.loc["PS", "mean_patience_seconds"] == pytest.approx(200.0)
    assert stats.loc["PS", "aht_seconds"] == pytest.approx(120.0)
    assert stats.loc["PS", "abandon_rate"] == pytest.approx(0.25)
    assert stats.loc["NW", "mean_patience_seconds"] == pytest.approx(90.0)


def test_queue_mapping_by_priority_and_nobody_abandoning_gives_no_patience():
    result = aggregate_calls(read_call_records(FIXTURE), 15, queue_of=queue_by_type_and_priority)
    stats = result.queues.set_index("queue")
    assert set(stats.index) == {"PS", "PS-priority", "NW", "NW-priority"}
    assert stats.loc["PS-priority", "mean_patience_seconds"] == pytest.approx(120.0)
    assert math.isnan(stats.loc["PS", "mean_patience_seconds"])


def test_bad_call_record_names_line_and_field(tmp_path):
    text = FIXTURE.read_text().splitlines()
    text[3] = text[3].replace("HANG", "MAYBE")
    text[5] = text[5].replace("990201", "99-02-01")
    bad = tmp_path / "bad.tsv"
    bad.write_text("\n".join(text) + "\n")
    with pytest.raises(HistoryError) as caught:
        read_call_records(bad)
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(4, "outcome"), (6, "date")}


def test_real_february_calls_add_up():
    calls = read_call_records(CALLS_FEBRUARY)
    raw = pd.read_csv(CALLS_FEBRUARY, sep="\t", dtype=str)
    served = (raw["outcome"] == "AGENT").sum()
    queued_hangups = ((raw["outcome"] == "HANG") & (raw["q_start"] != "0:00:00")).sum()
    result = aggregate_calls(calls, interval_minutes=15)
    assert result.queues["offered"].sum() == served + queued_hangups
    assert result.history.frame["handled"].sum() == served
    hourly = coarsen(result.history, 60)
    assert hourly.frame["offered"].sum() == served + queued_hangups
    assert (result.queues["mean_patience_seconds"] > 0).all()
