"""Real-time adherence on the hand roster: events through the API, the out-of-adherence list with the
grace period, an exception a team leader approves, the stored day, the agent's own page and the KPI."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.hand_roster import START, make_published
from tests.web import api_support
from wfm.intraday import adherence
from wfm.models import AdherenceDay, Agent
from wfm.rosters import offphone, truth

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use


def at(hour: int, minute: int = 0) -> str:
    return dt.datetime.combine(START, dt.time(hour, minute)).isoformat()


@pytest.fixture
def day(api, db_session):
    published = make_published(db_session)
    events = [
        {"event_id": "a1-1", "agent": "A001", "at": at(8), "state": "available"},
        {"event_id": "a1-2", "agent": "A001", "at": at(12), "state": "on_contact", "queue": "Retail voice"},
    ]
    answer = api("scheduler").post("/api/v1/actuals/events", json={"events": events})
    assert answer.status_code == 200, answer.json
    return published


def break_minutes_before(db_session, agent: Agent, until: dt.datetime) -> int:
    row = truth.seen_rows(agent.site_id, {START})[agent.id, START.isoformat()]
    start = dt.datetime.fromisoformat(row["start"])
    total = 0
    for a, b in offphone.spans(row["breaks"]) + offphone.spans(row.get("activities")):
        first, last = start + dt.timedelta(minutes=a), min(until, start + dt.timedelta(minutes=b))
        total += max(0, int((last - first).total_seconds() // 60))
    return total


def test_events_keep_the_agents_day_and_breaks_not_taken_count_against_adherence(day, db_session):
    a001 = day["A001"]
    stored = db_session.scalar(select(AdherenceDay).where(AdherenceDay.agent_id == a001.id))
    until = dt.datetime.combine(START, dt.time(12, 1))  # as far as the day's events have come
    scheduled = 4 * 60 + 1  # 08:00-12:01 of a shift from 08:00
    assert stored.scheduled_minutes == scheduled
    assert stored.worked_minutes == scheduled
    assert stored.adherent_minutes == scheduled - break_minutes_before(db_session, a001, until)
    assert stored.conformance == pytest.approx(1.0)


def test_team_leaders_see_who_is_out_and_approve_an_exception(day, browser, db_session):
    browser.login("scheduler")
    path = f"/today/adherence?at={START}T12:01"
    html = browser.get(path).get_data(as_text=True)
    out = html.split('data-testid="out"')[1].split("</section>")[0]
    assert day["A003"].name in out  # scheduled since 08:00, never signed in
    assert day["A001"].name not in out
    answer = browser.post(
        path,
        {
            "exception-agent_id": day["A003"].id,
            "exception-start": f"{START}T08:00",
            "exception-end": f"{START}T12:01",
            "exception-reason": "Her telephone was broken",
            "csrf_token": browser.csrf(path),
        },
    )
    assert answer.status_code == 302
    stored = db_session.scalar(select(AdherenceDay).where(AdherenceDay.agent_id == day["A003"].id))
    assert stored.adherence == pytest.approx(1.0)
    assert stored.conformance == pytest.approx(0.0)
    figure = adherence.kpi(day["A003"].id, START, START)
    assert figure["adherence"] == pytest.approx(1.0)
    assert figure["days"] == 1
    refused = browser.post(
        path,
        {
            "exception-agent_id": day["A003"].id,
            "exception-start": f"{START}T12:00",
            "exception-end": f"{START}T11:00",
            "exception-reason": "Backwards",
            "csrf_token": browser.csrf(path),
        },
    )
    assert refused.status_code == 400
    assert "must end after it starts" in refused.get_data(as_text=True)


def test_the_grace_period_keeps_short_absences_off_the_list(day, browser):
    browser.login("scheduler")
    path = f"/today/adherence?at={START}T08:03"
    answer = browser.post(path, {"grace-grace_minutes": "10", "csrf_token": browser.csrf(path)})
    assert answer.status_code == 302
    out = browser.get(path).get_data(as_text=True).split('data-testid="out"')[1].split("</section>")[0]
    assert day["A003"].name not in out  # 3 minutes out, under the 10 minutes of grace


def test_an_agent_sees_their_own_adherence_only(day, browser):
    browser.login("agent")  # A001
    html = browser.get("/today/my-adherence").get_data(as_text=True)
    assert "My adherence" in html
    assert f"{START:%a %d %b}" in html  # the day the events counted
    assert day["A003"].name not in html
    assert browser.get("/today/adherence").status_code == 403


def test_the_adherence_pages_read_in_chinese(day, browser):
    from tests.i18n.walk import VisibleText, data_words, english_words

    browser.login("scheduler")
    token = browser.csrf("/")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302
    path = f"/today/adherence?at={START}T12:01"
    html = browser.get(path).get_data(as_text=True)
    out = html.split('data-testid="out"')[1].split("</section>")[0]
    # A003: scheduled 08:00-16:00 with lunch at 12:00 (on a break at 12:00), never signed in (off), out
    # since 08:00
    assert f'<td>{day["A003"].name}</td><td>小休</td><td>不在班</td><td class="num">241</td>' in out
    parser = VisibleText()
    parser.feed(html)
    assert english_words(" ".join(parser.parts), data_words()) == []
    refused = browser.post(
        path,
        {
            "exception-agent_id": day["A003"].id,
            "exception-start": f"{START}T12:00",
            "exception-end": f"{START}T11:00",
            "exception-reason": "Backwards",
            "csrf_token": browser.csrf(path),
        },
    )
    assert refused.status_code == 400
    assert "例外的结束时间必须晚于开始时间。" in refused.get_data(as_text=True)
    saved = browser.post(path, {"grace-grace_minutes": "5", "csrf_token": browser.csrf(path)})
    assert saved.status_code == 302
    assert "宽限期已保存。" in browser.get(path).get_data(as_text=True)


def test_an_agents_own_adherence_reads_in_chinese(day, browser):
    from tests.i18n.walk import VisibleText, data_words, english_words

    browser.login("agent")  # A001
    token = browser.csrf("/")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302
    mine = browser.get("/today/my-adherence").get_data(as_text=True)
    assert "我的排班遵从度" in mine
    assert "已统计的最近 1 天" in mine  # the one day the events counted
    parser = VisibleText()
    parser.feed(mine)
    assert english_words(" ".join(parser.parts), data_words()) == []
