"""Forecasts made from stored history through the pages: stored, adjusted with a log, compared with
actuals, and turned into a requirement that matches the staffing engine."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from scheduling.forecast import accuracy
from scheduling.staffing import erlang_c_metrics
from tests.web.conftest import FIRST, HISTORY_DAYS
from tests.web.conftest import forecast_via_page as _forecast
from tests.web.planning_data import history_csv, is_open
from wfm.models import Forecast, ForecastInterval, Job, Queue, Requirement, Site, SpecialDay


def test_forecast_covers_open_intervals_only(history, browser, db_session):
    start = FIRST + dt.timedelta(days=HISTORY_DAYS)
    record = _forecast(browser, history, start, days=7)
    assert record.queue_id == history.id
    assert record.days == 7
    assert record.interval_minutes == 15
    times = [i.interval_start for i in record.intervals]
    assert times
    assert all(is_open(t) for t in times)
    assert {t.date() for t in times} == {
        start + dt.timedelta(days=d)
        for d in range(7)
        if (start + dt.timedelta(days=d)).weekday() in (6, 0, 1, 2, 3)
    }
    assert all(i.lower <= i.forecast <= i.upper for i in record.intervals)
    assert record.method
    assert record.backtest
    page = browser.get(f"/planning/forecasts/{record.id}")
    assert page.status_code == 200
    assert "<svg" in page.get_data(as_text=True)


def test_adjustment_scales_the_range_and_is_logged(history, browser, db_session):
    record = _forecast(browser, history, FIRST + dt.timedelta(days=HISTORY_DAYS), days=7)
    day = next(i.interval_start.date() for i in record.intervals)
    before = {i.id: i.adjusted for i in record.intervals}
    response = browser.post(
        f"/planning/forecasts/{record.id}/adjust",
        {
            "first_day": day.isoformat(),
            "last_day": day.isoformat(),
            "from_time": "10:00",
            "to_time": "12:00",
            "percent": "20",
            "reason": "mailing",
        },
    )
    assert response.status_code == 302
    db_session.expire_all()
    for interval in record.intervals:
        inside = interval.interval_start.date() == day and 10 <= interval.interval_start.hour < 12
        expected = before[interval.id] * (1.2 if inside else 1.0)
        assert interval.adjusted == pytest.approx(expected)
        assert interval.forecast == pytest.approx(before[interval.id])
    (change,) = record.adjustments
    assert change.percent == 20
    assert change.reason == "mailing"
    assert change.intervals == 8
    assert change.created_by.username == "scheduler"
    assert change.volume_after == pytest.approx(change.volume_before * 1.2)


def test_forecast_of_past_days_reports_accuracy(history, browser, db_session):
    start = FIRST + dt.timedelta(days=HISTORY_DAYS - 7)  # the last week of history is the actual
    record = _forecast(browser, history, start, days=7)
    actual = {}
    for line in history_csv(FIRST, HISTORY_DAYS).splitlines()[1:]:
        stamp, _, offered, *_ = line.split(",")
        moment = dt.datetime.fromisoformat(stamp)
        if moment.date() >= start:
            actual[moment] = float(offered)
    days_with_actuals = {moment.date() for moment in actual}  # accuracy is measured on those days only
    compared = [i for i in record.intervals if i.interval_start.date() in days_with_actuals]
    f = np.array([i.forecast for i in compared])
    y = np.array([actual.get(i.interval_start, 0.0) for i in compared])
    expected = accuracy(y, f)
    html = browser.get(f"/planning/forecasts/{record.id}").get_data(as_text=True)
    assert "Forecast versus actual" in html
    assert f"{expected.wmape * 100:.1f}%" in html
    listing = browser.get("/planning/accuracy").get_data(as_text=True)
    assert f"{expected.wmape * 100:.1f}%" in listing


def test_requirement_matches_erlang_c(history, browser, db_session):
    record = _forecast(
        browser, history, FIRST + dt.timedelta(days=HISTORY_DAYS), days=3, method="seasonal_naive"
    )
    response = browser.post(f"/planning/forecasts/{record.id}/requirement")
    assert response.status_code == 302
    requirement = db_session.scalar(select(Requirement))
    queue = requirement.queue
    assert len(requirement.intervals) == len(record.intervals)
    for row in requirement.intervals[:40]:
        source = db_session.scalar(
            select(ForecastInterval).where(
                ForecastInterval.forecast_id == record.id,
                ForecastInterval.interval_start == row.interval_start,
            )
        )
        aht = source.aht_seconds or queue.aht_seconds
        traffic = source.adjusted * aht / (15 * 60)
        if row.agents == 0:
            assert source.adjusted == 0
            continue
        meets = erlang_c_metrics(
            np.array([row.agents]), np.array([traffic]), np.array([aht]), queue.answer_seconds
        )
        fewer = erlang_c_metrics(
            np.array([row.agents - 1]), np.array([traffic]), np.array([aht]), queue.answer_seconds
        )
        assert meets.service_level[0] >= queue.service_level - 1e-9
        assert row.agents - 1 < traffic or fewer.service_level[0] < queue.service_level
        assert row.scheduled_agents == int(np.ceil(row.agents / (1 - queue.shrinkage) - 1e-9))
    page = browser.get(f"/planning/requirements/{requirement.id}")
    assert page.status_code == 200
    assert "<svg" in page.get_data(as_text=True)


def test_targets_that_cannot_work_are_refused_on_the_field(history, browser, db_session):
    response = browser.post(
        f"/planning/queues/{history.id}/targets",
        {
            "staffing_model": "erlang-a",
            "service_level_percent": "80",
            "answer_seconds": "20",
            "shrinkage_percent": "30",
            "aht_seconds": "180",
            "patience_seconds": "",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The callers&#39; mean patience is required by the Erlang A model." in page
    assert "patience_seconds:" not in page
    assert "erlang-a model" not in page
    db_session.expire_all()
    assert history.staffing_model == "erlang-c"
    ok = browser.post(
        f"/planning/queues/{history.id}/targets",
        {
            "staffing_model": "erlang-a",
            "service_level_percent": "80",
            "answer_seconds": "20",
            "max_abandon_percent": "5",
            "shrinkage_percent": "25",
            "aht_seconds": "200",
            "patience_seconds": "120",
            "import_codes": "PS, PS-x",
        },
    )
    assert ok.status_code == 302
    db_session.expire_all()
    assert (history.staffing_model, history.patience_seconds, history.shrinkage, history.import_codes) == (
        "erlang-a",
        120.0,
        0.25,
        "PS, PS-x",
    )


def test_a_closed_special_day_gets_no_forecast(history, browser, db_session):
    start = FIRST + dt.timedelta(days=HISTORY_DAYS)
    closed = start + dt.timedelta(days=1)
    site = db_session.scalar(select(Site))
    response = browser.post(
        "/planning/special-days",
        {"site_id": site.id, "day": closed.isoformat(), "name": "Systems upgrade", "kind": "closed"},
    )
    assert response.status_code == 302
    assert db_session.scalar(select(SpecialDay)).closed
    record = _forecast(browser, history, start, days=3)
    assert record.intervals
    assert all(i.interval_start.date() != closed for i in record.intervals)


def test_forecast_without_history_fails_cleanly(demo, browser, db_session):
    browser.login("scheduler")
    queue = db_session.scalar(select(Queue).where(Queue.name == "Video advice"))
    response = browser.post(
        "/planning/forecasts", {"queue_ids": [queue.id], "start": "2026-01-01", "days": 7, "method": "auto"}
    )
    # refused on the form, in words, with the way out; no job that can only fail is started
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Video advice has no history" in page
    assert "type its expected contacts" in page
    assert db_session.scalar(select(Job)) is None
    assert db_session.scalar(select(Forecast)) is None


def test_history_frame_for_the_engine_uses_queue_names(history, app_context):
    from wfm.forecasting.history import load_history

    loaded = load_history([history])
    assert loaded.queues == ["Retail voice"]
    assert loaded.interval_minutes == 15
    assert isinstance(loaded.frame["interval_start"].iloc[0], pd.Timestamp)


def test_forecasts_keep_to_the_sites_opening_hours(demo, db_session):
    from wfm.forecasting.forecasts import within_opening_hours

    site = db_session.scalar(
        select(Site)
    )  # demo: Monday 07:00-24:00, Friday 07:00-14:00, Saturday from 18:00
    frame = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(
                [
                    "2026-11-30 06:45",
                    "2026-11-30 07:00",
                    "2026-12-04 13:45",
                    "2026-12-04 14:00",
                    "2026-12-05 12:00",
                ]
            ),
            "queue": "q",
            "forecast": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    kept, left_out = within_opening_hours(frame, site)
    assert kept["forecast"].tolist() == [2.0, 3.0]
    assert left_out == 10.0
