"""Interval history CSV: validation names line and field, all or nothing; coarsening."""

import io

import pandas as pd
import pytest

from scheduling.history import HistoryError, coarsen, history_from_frame, read_interval_csv

GOOD = """interval_start,queue,offered,handled,abandoned,aht_seconds
2024-03-04T09:00,sales,10,9,1,200
2024-03-04T09:15,sales,6,6,0,100
2024-03-04T09:30,sales,0,0,0,
2024-03-04T09:00,service,4,,,

2024-03-04T09:45,service,2,,,
"""


def read(text: str, **kwargs):
    return read_interval_csv(io.StringIO(text), name="h.csv", **kwargs)


def test_reads_values_and_infers_the_interval():
    history = read(GOOD)
    assert history.interval_minutes == 15
    assert history.queues == ["sales", "service"]
    frame = history.frame
    assert frame["offered"].sum() == 22
    assert frame.loc[frame["queue"] == "service", "handled"].isna().all()
    assert history.has_aht


def test_interval_inferred_from_hourly_and_given_explicitly():
    hourly = (
        "interval_start,queue,offered\n2024-03-04 09:00,q,1\n2024-03-04 10:00,q,2\n2024-03-04 12:00,q,2\n"
    )
    assert read(hourly).interval_minutes == 60
    assert read(hourly, interval_minutes=30).interval_minutes == 30


def test_every_problem_is_reported_with_line_and_field():
    text = GOOD.replace("2024-03-04T09:15,sales,6", "2024-03-04 9:15,sales,6")
    text = text.replace("09:30,sales,0,0,0,", "09:30,sales,-3,0,0,")
    text = text.replace("09:00,service,4", "09:00,,abc")
    with pytest.raises(HistoryError) as caught:
        read(text)
    found = {(p.file, p.line, p.field) for p in caught.value.problems}
    assert found == {
        ("h.csv", 3, "interval_start"),
        ("h.csv", 4, "offered"),
        ("h.csv", 5, "queue"),
        ("h.csv", 5, "offered"),
    }


def test_duplicates_name_both_lines():
    text = GOOD + "2024-03-04T09:15,sales,7,,,\n"
    with pytest.raises(HistoryError) as caught:
        read(text)
    (problem,) = caught.value.problems
    assert problem.line == 8
    assert problem.field == "interval_start"
    assert "line 3" in problem.message


def test_missing_column_and_off_grid_times():
    with pytest.raises(HistoryError) as caught:
        read("interval_start,queue\n2024-03-04T09:00,q\n")
    assert [(p.line, p.field) for p in caught.value.problems] == [(1, "offered")]
    with pytest.raises(HistoryError) as caught:
        read(
            "interval_start,queue,offered\n2024-03-04T09:00,q,1\n2024-03-04T09:20,q,1\n", interval_minutes=15
        )
    assert [(p.line, p.field) for p in caught.value.problems] == [(3, "interval_start")]
    with pytest.raises(HistoryError):
        read("interval_start,queue,offered\n2024-03-04T09:00+02:00,q,1\n")


def test_coarsen_sums_counts_and_weights_handle_time_by_handled_calls():
    hourly = coarsen(read(GOOD), 60)
    sales = hourly.frame[hourly.frame["queue"] == "sales"].iloc[0]
    assert (sales["offered"], sales["handled"], sales["abandoned"]) == (16, 15, 1)
    assert sales["aht_seconds"] == pytest.approx((9 * 200 + 6 * 100) / 15)
    with pytest.raises(ValueError, match="interval_minutes"):
        coarsen(read(GOOD), 20)


def test_coarsen_with_split_shares_straddling_intervals_by_minutes():
    frame = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2024-03-04 09:00", "2024-03-04 09:12"]),
            "queue": "q",
            "offered": [6.0, 10.0],
        }
    )
    history = history_from_frame(frame, interval_minutes=6)
    coarse = coarsen(history, 15, split=True).frame.set_index("interval_start")["offered"]
    # 09:12-09:18 has 3 of its 6 minutes before 09:15.
    assert coarse[pd.Timestamp("2024-03-04 09:00")] == pytest.approx(6 + 5)
    assert coarse[pd.Timestamp("2024-03-04 09:15")] == pytest.approx(5)
