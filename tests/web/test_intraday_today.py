"""The Today page: actual against forecast and re-forecast, service level so far, the projected service
level and gap with the agents rostered, suggested actions; planners only; "now" given, never today's."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from sqlalchemy import select

from tests.hand_roster import START, make_published
from wfm.intraday import today as today_figures
from wfm.models import Forecast, ForecastInterval, HistoryInterval, Queue, QueueActual

RETAIL = "Retail voice"
OPEN, CLOSE, STEP = 8 * 60, 18 * 60, 15
CALLS, AHT, AHT_MORNING = 20.0, 180.0, 200.0


@pytest.fixture
def day(demo, db_session):
    """The hand roster's first day, a forecast of 20 calls an interval, six weeks of history at that level
    (with days busier or quieter all day long) and a morning 50% busier than forecast until 10:00, its
    calls longer than forecast (200 s against 180 s)."""
    published = make_published(db_session)
    queue = db_session.scalar(select(Queue).where(Queue.name == RETAIL))
    forecast = Forecast(queue_id=queue.id, start_date=START, days=1, interval_minutes=STEP, method="manual")
    db_session.add(forecast)
    rng = np.random.default_rng(7)
    for minute in range(OPEN, CLOSE, STEP):
        start = dt.datetime.combine(START, dt.time()) + dt.timedelta(minutes=minute)
        forecast.intervals.append(
            ForecastInterval(
                interval_start=start, forecast=CALLS, lower=15, upper=25, adjusted=CALLS, aht_seconds=AHT
            )
        )
    for back in range(1, 43):
        level = rng.gamma(16, 1 / 16)
        for minute in range(OPEN, CLOSE, STEP):
            start = dt.datetime.combine(START - dt.timedelta(days=back), dt.time()) + dt.timedelta(
                minutes=minute
            )
            db_session.add(
                HistoryInterval(
                    queue_id=queue.id,
                    interval_start=start,
                    interval_minutes=STEP,
                    offered=float(rng.poisson(CALLS * level)),
                    handled=None,
                    abandoned=None,
                    aht_seconds=AHT,
                )
            )
    for minute in range(OPEN, 10 * 60, STEP):
        start = dt.datetime.combine(START, dt.time()) + dt.timedelta(minutes=minute)
        db_session.add(
            QueueActual(
                queue_id=queue.id,
                interval_start=start,
                interval_minutes=STEP,
                offered=30,
                answered=28,
                abandoned=2,
                answered_within_target=21,
                aht_seconds=AHT_MORNING,
            )
        )
    db_session.commit()
    return {"site": published["site"], "queue": queue}


def test_the_day_so_far_and_the_rest_of_it(day, db_session):
    now = dt.datetime.combine(START, dt.time(10, 0))
    figures = today_figures.build(day["site"], now)
    retail = next(q for q in figures.queues if q.queue.name == RETAIL)
    assert retail.offered == 8 * 30
    assert retail.forecast_so_far == pytest.approx(8 * CALLS)
    assert retail.service_level_so_far == pytest.approx(8 * 21 / (8 * 30))
    assert retail.aht_so_far == pytest.approx(AHT_MORNING)
    assert retail.aht_forecast_so_far == pytest.approx(AHT)
    # handle time moves with the 224 contacts answered so far, shrunk towards the forecast by 100 contacts
    answered = 8 * 28
    expected = AHT * (answered * AHT_MORNING + 100 * AHT) / (answered * AHT + 100 * AHT)
    assert all(i.aht_reforecast == pytest.approx(expected) for i in retail.remaining)
    remaining = retail.remaining
    assert remaining[0].start == now
    assert len(remaining) == (CLOSE - 10 * 60) // STEP
    # a morning 50% busier moves the rest of the day up, but not past what the past weeks have seen
    assert all(CALLS < i.reforecast <= 1.5 * CALLS for i in remaining)
    # agents on the phones: A001 and A003 work 08:00-16:00, A002 14:00-22:00 (less their breaks)
    by_hour = {i.start.hour: i.agents for i in remaining if i.start.minute == 0}
    assert all(0 <= a <= 2 for h, a in by_hour.items() if h < 14)
    assert by_hour[17] <= 1
    for i in remaining:
        assert i.gap == i.required - i.agents
        assert (i.service_level or 0) <= 1
    short = [i for i in remaining if i.gap > 0]
    assert short, "three agents cannot answer 20-30 calls of three minutes every quarter hour"
    kinds = {a.kind for a in figures.actions}
    assert "overtime" in kinds
    gains = [a.gained for a in figures.actions]
    assert gains == sorted(gains, reverse=True)
    # a move or overtime that answers less than one more contact in time is not worth a person's change
    assert all(a.gained >= 0.5 for a in figures.actions if a.kind != "time_off")


def test_before_anything_is_due_the_day_is_not_measured_against_the_forecast(day):
    figures = today_figures.build(day["site"], dt.datetime.combine(START, dt.time(6, 0)))
    retail = next(q for q in figures.queues if q.queue.name == RETAIL)
    assert retail.forecast_so_far == 0
    assert retail.level_ratio is None  # the page says "not known yet", never "100%"


def test_the_page_shows_it_to_planners_and_refreshes_itself(day, browser):
    browser.login("scheduler")
    page = browser.get(f"/today/?at={START}T10:00")
    assert page.status_code == 200
    assert page.headers["Refresh"]
    html = page.get_data(as_text=True)
    assert RETAIL in html
    assert "from the simulator" in html  # the page says which model projects
    assert "Erlang" in html  # and which one prices the actions
    assert re.search(r"70%", html)  # 168 of 240 answered in time so far
    assert "Offer overtime" in html
    follow = browser.get(f"/today/?follow={START}")
    assert "10:00" in follow.get_data(as_text=True)  # as far as the actuals have come


def test_agents_never_see_the_today_page(day, browser):
    browser.login("agent")
    assert browser.get("/today/").status_code == 403


def test_the_page_reads_in_chinese_with_its_figures_and_actions(day, browser):
    from tests.i18n.walk import VisibleText, data_words, english_words

    browser.login("scheduler")
    token = browser.csrf("/")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302
    html = browser.get(f"/today/?at={START}T10:00").get_data(as_text=True)
    offered = 30 * (10 * 60 - OPEN) // STEP  # the morning's actual intervals, 30 contacts each
    assert f'<td class="num">{offered}</td>' in html
    assert "预计服务水平来自仿真" in html  # the page says which model projects, in Chinese
    assert "200（预测 180）" in html  # handle time so far against the forecast's
    assert re.search(r"为 Retail voice 的 \d+ 名坐席安排加班（\d\d:\d\d–\d\d:\d\d）。", html)
    assert "Offer overtime" not in html
    parser = VisibleText()
    parser.feed(html)
    assert english_words(" ".join(parser.parts), data_words()) == []
    bad = browser.get("/today/?at=yesterday").get_data(as_text=True)
    assert "所请求的时刻不是有效的日期和时间，现显示当前时刻。" in bad
