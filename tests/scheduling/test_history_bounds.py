"""Interval history is bounded by what a contact centre can produce; every absurd value is named by line
and field, and nothing of the file is accepted."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from scheduling.forecast import ForecastOptions, forecast
from scheduling.history import HistoryError, history_from_frame, read_call_records, read_interval_csv
from scheduling.history.intervals import EARLIEST_DAY, MAX_AHT_SECONDS, MAX_OFFERED

HEADER = "interval_start,queue,offered,handled,abandoned,aht_seconds\n"
LATEST = dt.date(2024, 12, 31)  # "today" for these tests: the bounds never depend on the real date


def read(text: str, **kwargs):
    return read_interval_csv(io.StringIO(text), name="h.csv", latest=LATEST, **kwargs)


def problems(text: str, **kwargs) -> set[tuple[int, str]]:
    with pytest.raises(HistoryError) as caught:
        read(text, **kwargs)
    return {(p.line, p.field) for p in caught.value.problems}


def test_absurd_volumes_are_refused_by_line_and_field():
    text = HEADER + (
        "2024-03-04T09:00,q,1e308,,,\n"
        "2024-03-04T09:15,q,1e308,,,\n"
        f"2024-03-04T09:30,q,{MAX_OFFERED + 1},,,\n"
        f"2024-03-04T09:45,q,{MAX_OFFERED},{MAX_OFFERED},0,{MAX_AHT_SECONDS + 1}\n"
    )
    assert problems(text) == {(2, "offered"), (3, "offered"), (4, "offered"), (5, "aht_seconds")}


def test_handled_and_abandoned_cannot_exceed_offered():
    text = HEADER + (
        "2024-03-04T09:00,q,5,50,30,\n"
        "2024-03-04T09:15,q,5,3,3,\n"
        "2024-03-04T09:30,q,5,6,,\n"
        "2024-03-04T09:45,q,5,2,3,180\n"
    )
    with pytest.raises(HistoryError) as caught:
        read(text)
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(2, "handled"), (2, "abandoned"), (3, "abandoned"), (4, "handled")}
    assert any("offered (5)" in p.message for p in caught.value.problems)


@pytest.mark.parametrize(
    "stamp", ["0001-03-05T09:00", "1989-12-31T23:45", "2099-03-04T09:00", "2025-01-02T00:00"]
)
def test_dates_outside_what_a_centre_could_have_recorded_are_refused(stamp):
    text = HEADER + f"2024-03-04T09:00,q,5,,,\n{stamp},q,5,,,\n"
    assert problems(text, interval_minutes=15) == {(3, "interval_start")}


def test_the_window_is_inclusive_and_the_real_1999_data_fits():
    text = HEADER + (
        f"{EARLIEST_DAY.isoformat()}T00:00,q,1,,,\n"
        f"{EARLIEST_DAY.isoformat()}T00:15,q,1,,,\n"
        "1999-01-01T00:00,q,2,,,\n"
        f"{LATEST.isoformat()}T23:45,q,3,,,\n"
    )
    assert len(read(text).frame) == 4


def test_history_from_frame_applies_the_same_bounds():
    frame = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2024-03-04 09:00", "2024-03-04 09:15"]),
            "queue": "q",
            "offered": [1e308, 3.0],
        }
    )
    with pytest.raises(HistoryError) as caught:
        history_from_frame(frame, interval_minutes=15, latest=LATEST)
    assert [(p.line, p.field) for p in caught.value.problems] == [(2, "offered")]


def test_a_single_row_does_not_make_a_sixty_minute_file():
    one = HEADER + "2024-03-04T09:00,q,5,,,\n"
    found = problems(one)
    assert found == {(0, "interval_minutes")}
    assert read(one, interval_minutes=15).interval_minutes == 15
    one_per_queue = HEADER + "2024-03-04T09:00,q,5,,,\n2024-03-04T09:00,r,5,,,\n"
    assert problems(one_per_queue) == {(0, "interval_minutes")}
    assert read(one_per_queue, default_interval=15).interval_minutes == 15


def test_call_records_dated_outside_the_window_are_refused():
    header = (
        "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\t"
        "q_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\n"
    )
    row = (
        "AA0101\t1\t0\t0\tPS\t{date}\t8:00:00\t8:00:10\t10\t8:00:10\t8:00:30\t20\t"
        "AGENT\t8:00:30\t8:03:50\t200\tD\n"
    )
    good = header + row.format(date="990201")
    assert len(read_call_records(io.StringIO(good), name="c.tsv", latest=LATEST)) == 1
    with pytest.raises(HistoryError) as caught:
        read_call_records(io.StringIO(good + row.format(date="680201")), name="c.tsv", latest=LATEST)
    assert [(p.line, p.field) for p in caught.value.problems] == [(3, "date")]


def test_the_largest_accepted_volumes_still_forecast():
    days = pd.date_range("2024-01-01", "2024-02-25", freq="D")
    stamps = [d + pd.Timedelta(minutes=15 * k) for d in days for k in range(36, 40)]
    frame = pd.DataFrame({"interval_start": stamps, "queue": "q", "offered": float(MAX_OFFERED)})
    history = history_from_frame(frame, interval_minutes=15, latest=LATEST)
    result = forecast(history, dt.date(2024, 2, 26), 1, ForecastOptions(method="seasonal_naive"))
    assert result.frame["forecast"].max() == pytest.approx(MAX_OFFERED)
