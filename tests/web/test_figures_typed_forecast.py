"""A queue without history can still be planned: a scheduler types its expected contacts per weekday and
handle time, spread over the day like a similar queue with history or evenly over opening hours. Asking
to forecast it from history says why that cannot work, in words, on the form; a job that fails that way
offers no Retry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from sqlalchemy import select

from tests.web.conftest import FIRST, HISTORY_DAYS
from wfm.models import Forecast, HistoryInterval, Job, OpeningHours, Queue, Requirement

START = FIRST + dt.timedelta(days=HISTORY_DAYS)  # a Sunday
DAYS = 7
# Monday..Sunday
PER_WEEKDAY = {0: 700, 1: 650, 2: 600, 3: 620, 4: 200, 5: 80, 6: 720}


def _queue(db_session, name: str) -> Queue:
    return db_session.scalar(select(Queue).where(Queue.name == name))


def _typed(browser, queue: Queue, profile: str | int, **overrides):
    data = {
        "start": START.isoformat(),
        "days": DAYS,
        "aht_seconds": "300",
        "profile": str(profile),
        **{f"weekday_{d}": str(v) for d, v in PER_WEEKDAY.items()},
        **overrides,
    }
    return browser.post(f"/planning/queues/{queue.id}/typed-forecast", data)


def test_forecasting_a_queue_without_history_is_refused_in_words_on_the_form(history, browser, db_session):
    chat = _queue(db_session, "Web chat")
    response = browser.post(
        "/planning/forecasts",
        {"queue_ids": [history.id, chat.id], "start": START.isoformat(), "days": 7, "method": "auto"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Web chat has no history" in page
    assert "ForecastProblem" not in page
    assert f"/planning/queues/{chat.id}/typed-forecast" in page
    assert db_session.scalar(select(Job)) is None


def test_a_forecast_job_that_can_only_fail_says_why_in_words_and_offers_no_retry(
    history, browser, db_session
):
    from flask import current_app

    from wfm.jobs import lifecycle

    chat = _queue(db_session, "Web chat")
    job = lifecycle.submit(
        "forecast", "Forecast", {"queue_ids": [chat.id], "start": START.isoformat(), "days": 7}, None
    )
    db_session.commit()
    lifecycle.run(current_app._get_current_object(), job.id)
    db_session.expire_all()
    page = browser.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "no history" in page
    assert "ForecastProblem" not in page
    assert "Traceback" not in page
    assert f'action="/jobs/{job.id}/retry"' not in page
    browser.post(f"/jobs/{job.id}/retry")
    db_session.expire_all()
    assert db_session.get(Job, job.id).status.value == "failed"
    assert db_session.get(Job, job.id).attempts == 1


def test_typed_volumes_borrow_the_intraday_pattern_of_a_queue_with_history(history, browser, db_session):
    chat = _queue(db_session, "Web chat")
    response = _typed(browser, chat, history.id)
    assert response.status_code == 302, response.get_data(as_text=True)
    record = db_session.scalar(select(Forecast).where(Forecast.queue_id == chat.id))
    assert record.method == "typed"
    assert record.days == DAYS
    # every day holds the contacts typed for its weekday
    per_day = defaultdict(float)
    for i in record.intervals:
        per_day[i.interval_start.date()] += i.adjusted
        assert i.aht_seconds == 300
    for d in range(DAYS):
        day = START + dt.timedelta(days=d)
        assert per_day[day] == pytest.approx(PER_WEEKDAY[day.weekday()])
    # the shape of a Monday is Retail voice's Monday history, counted here from its rows
    monday = START + dt.timedelta(days=1)
    rows = db_session.execute(
        select(HistoryInterval.interval_start, HistoryInterval.offered).where(
            HistoryInterval.queue_id == history.id, HistoryInterval.interval_start < START
        )
    ).all()
    by_minute = defaultdict(float)
    for start, offered in rows:
        if start.weekday() == 0:
            by_minute[start.hour * 60 + start.minute] += offered
    total = sum(by_minute.values())
    ours = {
        i.interval_start.hour * 60 + i.interval_start.minute: i.adjusted
        for i in record.intervals
        if i.interval_start.date() == monday
    }
    for minute, value in by_minute.items():
        assert ours.get(minute, 0.0) == pytest.approx(PER_WEEKDAY[0] * value / total)
    assert set(ours) <= set(by_minute) | {m for m, v in ours.items() if v == 0}
    # and it can be staffed like any forecast
    assert browser.post(f"/planning/forecasts/{record.id}/requirement").status_code == 302
    requirement = db_session.scalar(select(Requirement).where(Requirement.queue_id == chat.id))
    assert max(i.agents for i in requirement.intervals) >= 1
    page = browser.get(f"/planning/forecasts/{record.id}").get_data(as_text=True)
    assert "typed" in page
    assert "Retail voice" in page


def test_typed_volumes_spread_evenly_over_opening_hours(history, browser, db_session):
    video = _queue(db_session, "Video advice")
    assert _typed(browser, video, "flat").status_code == 302
    record = db_session.scalar(select(Forecast).where(Forecast.queue_id == video.id))
    hours = {h.weekday: (h.opens_minute, h.closes_minute) for h in video.site.opening_hours}
    per_day = defaultdict(list)
    for i in record.intervals:
        per_day[i.interval_start.date()].append(i)
    for day, intervals in per_day.items():
        opens, closes = hours[day.weekday()]
        open_count = (closes - opens) // record.interval_minutes
        values = [i.adjusted for i in intervals if i.adjusted > 0]
        assert len(values) == open_count
        assert values == pytest.approx([PER_WEEKDAY[day.weekday()] / open_count] * open_count)
        for i in intervals:
            minute = i.interval_start.hour * 60 + i.interval_start.minute
            assert opens <= minute < closes or i.adjusted == 0


def test_typed_volumes_are_checked_field_by_field(history, browser, db_session):
    back_office = _queue(db_session, "Back office")
    friday = db_session.scalar(
        select(OpeningHours).where(OpeningHours.site_id == back_office.site_id, OpeningHours.weekday == 4)
    )
    db_session.delete(friday)
    db_session.commit()
    response = _typed(browser, back_office, "flat")
    assert response.status_code == 400
    assert "closed on Fridays" in response.get_data(as_text=True)  # contacts typed for a closed day
    response = _typed(browser, back_office, "flat", weekday_1="-5", weekday_4="0")
    assert response.status_code == 400
    assert "between 0 and" in response.get_data(as_text=True)
    assert db_session.scalar(select(Forecast).where(Forecast.queue_id == back_office.id)) is None
    response = _typed(browser, back_office, "flat", weekday_4="0", aht_seconds="0")
    assert response.status_code == 400
    assert db_session.scalar(select(Forecast)) is None


@pytest.mark.postgres
def test_the_api_refuses_in_words_and_takes_typed_volumes(app, history, db_session):
    from tests.web.api_support import Api, make_token

    api = Api(app, make_token(db_session, "scheduler"))
    chat = _queue(db_session, "Web chat")
    refused = api.post(
        "/api/v1/forecasts", json={"queue_ids": [chat.id], "start": START.isoformat(), "days": 7}
    )
    assert refused.status_code == 422
    assert "Web chat has no history" in refused.get_json()["message"]
    assert db_session.scalar(select(Job)) is None
    body = {
        "queue_id": chat.id,
        "start": START.isoformat(),
        "days": DAYS,
        "per_weekday": [PER_WEEKDAY[d] for d in range(7)],
        "aht_seconds": 240,
        "profile_queue_id": history.id,
    }
    made = api.post("/api/v1/forecasts/typed", json=body)
    assert made.status_code == 201, made.get_json()
    record = made.get_json()
    assert record["method"] == "typed"
    assert not record["sources"]["out_of_date"]
    assert sum(i["adjusted"] for i in record["intervals"]) == pytest.approx(
        sum(PER_WEEKDAY[(START + dt.timedelta(days=d)).weekday()] for d in range(DAYS))
    )
    wrong = api.post("/api/v1/forecasts/typed", json={**body, "profile_queue_id": chat.id})
    assert wrong.status_code == 422
    assert "profile_queue_id" in wrong.get_json()["errors"]["json"]
