"""Agent self-service through the pages: my schedule (published versions only, changes marked, PDF), the
calendar feed parsed back with `icalendar`, time off with allowance arithmetic, the approval queue's
coverage figures, approval publishing a roster version without the agent's shift, and the audit.

The roster here is built directly (a small hand-made plan and roster, published), not solved: what is
under test is self-service, and a hand-made roster makes every expected figure known in advance."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tests.hand_roster import DAY, DAYS, LATE, PATTERN, START, _day, _latest_rows, make_published
from wfm.models import (
    Agent,
    AuditEntry,
    LeaveAllowance,
    Notification,
    Roster,
    RosterAssignment,
    TimeOff,
    TimeOffPolicy,
    User,
)


@pytest.fixture
def published(demo, db_session):
    return make_published(db_session)


# ---- my schedule -----------------------------------------------------------------------------------------


def test_schedule_shows_own_published_shifts_with_breaks_never_drafts_or_colleagues(
    published, browser, db_session
):
    browser.login("agent")
    html = browser.get(f"/my/schedule?date={START}").get_data(as_text=True)
    from wfm.rosters.problem import week_start_weekday

    # weeks start on the site's first weekday (Sunday in Tel Aviv, whose weekend is Friday and Saturday)
    week_first = START - dt.timedelta(days=(START.weekday() - week_start_weekday(published["site"])) % 7)
    in_week = sum(1 for d in PATTERN["A001"] if week_first <= _day(d) < week_first + dt.timedelta(days=7))
    assert html.count('data-testid="shift"') == in_week
    rolling = browser.get("/my/schedule").get_data(as_text=True)  # today and six days: days 0-4 of the roster
    assert rolling.count('data-testid="shift"') == len(PATTERN["A001"])
    page = browser.get("/my/schedule?view=month&date=" + START.isoformat()).get_data(as_text=True)
    month_shifts = sum(1 for d in PATTERN["A001"] if _day(d).month == START.month)
    assert page.count('data-testid="shift"') == month_shifts
    assert "08:00–16:00" in page
    assert "lunch 12:00–12:30" in page
    assert "14:00–22:00" not in page  # A002's lates are never shown to A001
    # A draft edit (not published) is invisible to the agent.
    roster = db_session.get(Roster, published["roster_id"])
    roster.assignments.append(
        RosterAssignment(
            agent_id=published["A001"].id,
            day=_day(3),
            shift=LATE,
            start=dt.datetime.combine(_day(3), dt.time(14)),
            end=dt.datetime.combine(_day(3), dt.time(22)),
        )
    )
    db_session.commit()
    page = browser.get("/my/schedule?view=month&date=" + START.isoformat()).get_data(as_text=True)
    assert "14:00–22:00" not in page


def test_schedule_pdf(published, browser):
    browser.login("agent")
    response = browser.get(f"/my/schedule.pdf?date={START}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_other_roles_and_unlinked_users_cannot_open_agent_pages(published, browser):
    browser.login("scheduler")
    assert browser.get("/my/schedule").status_code == 403
    assert browser.get("/my/time-off").status_code == 403
    browser.client.post("/logout")
    browser.login("agent")
    for path in ("/inbox", "/inbox/audit", "/inbox/policy"):
        assert browser.get(path).status_code == 403


# ---- calendar feed ---------------------------------------------------------------------------------------


def _feed_token(browser) -> str:
    response = browser.post("/my/calendar", {"action": "renew"})
    assert response.status_code == 200  # the new address is shown on this answer only
    html = response.get_data(as_text=True)
    return re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", html).group(1)


@pytest.mark.postgres
def test_calendar_feed_gives_local_times_of_the_site_and_only_the_token_owners_shifts(published, browser):
    browser.login("agent")
    token_a = _feed_token(browser)
    browser.client.post("/logout")
    browser.login("agent2")
    token_b = _feed_token(browser)
    browser.client.post("/logout")  # the feed needs no session: calendar apps have none

    zone = ZoneInfo(published["site"].time_zone)
    for token, number in ((token_a, "A001"), (token_b, "A002")):
        response = browser.get(f"/calendar/{token}.ics")
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        calendar = Calendar.from_ical(response.data)
        assert any(c.name == "VTIMEZONE" for c in calendar.walk())
        events = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("shift-")]
        expected = {(_day(d), shift) for d, shift in PATTERN[number].items()}
        assert len(events) == len(expected)
        for event in events:
            start, end = event.decoded("dtstart"), event.decoded("dtend")
            assert start.utcoffset() == zone.utcoffset(start.replace(tzinfo=None))
            local = start.astimezone(zone)
            shift = DAY if local.hour == 8 else LATE
            assert (local.date(), shift) in expected
            assert (end - start) == dt.timedelta(hours=8)
            assert str(event["uid"]).startswith(f"shift-{published[number].id}-")


def test_calendar_feed_renewed_and_revoked(published, browser):
    browser.login("agent")
    old = _feed_token(browser)
    new = _feed_token(browser)
    assert old != new
    assert browser.get(f"/calendar/{old}.ics").status_code == 404
    assert browser.get(f"/calendar/{new}.ics").status_code == 200
    assert browser.post("/my/calendar", {"action": "revoke"}).status_code == 302
    assert browser.get(f"/calendar/{new}.ics").status_code == 404
    assert browser.get("/calendar/not-a-token.ics").status_code == 404


# ---- time off --------------------------------------------------------------------------------------------


def _ask(browser, first: dt.date, last: dt.date, kind: str = "vacation", **extra):
    return browser.post(
        "/my/time-off",
        {"kind": kind, "first_day": first.isoformat(), "last_day": last.isoformat(), "note": "", **extra},
    )


@pytest.mark.postgres
def test_allowance_and_balance_arithmetic(demo, browser, db_session):
    """Only the days the agent is rostered to work are charged (A001 works days 0, 1, 2 and 4)."""
    start = (
        START if START.year == (START + dt.timedelta(days=DAYS - 1)).year else dt.date(START.year + 1, 1, 5)
    )
    agent = make_published(db_session, start)["A001"]
    year = start.year

    def day(d: int) -> dt.date:
        return start + dt.timedelta(days=d)

    db_session.add(LeaveAllowance(agent_id=agent.id, year=year, days=3))
    db_session.commit()
    browser.login("agent")
    assert _ask(browser, day(0), day(0)).status_code == 302  # 1 day of 3
    refused = _ask(browser, day(1), day(5))  # days 1, 2 and 4 are worked: 3 more, only 2 left
    assert refused.status_code == 400
    assert "that takes 3 days" in refused.get_data(as_text=True)
    assert "2 days are left" in refused.get_data(as_text=True)
    assert _ask(browser, day(1), day(3), kind="sick").status_code == 302
    # A 4-hour part day of a 40-hour week (8-hour days) is half a day.
    agent = db_session.get(Agent, agent.id)
    response = _ask(browser, day(4), day(4), part_from="09:00", part_to="13:00")
    assert response.status_code == 302
    from wfm.selfservice.timeoff import balance

    db_session.expire_all()
    b = balance(db_session.get(Agent, agent.id), year)
    expected_half = 4 * 60 / (agent.contracted_hours * 60 / 5)
    assert b.allowance == 3
    assert b.used == 0
    assert b.pending == pytest.approx(1 + min(1.0, expected_half), abs=0.01)
    html = browser.get("/my/time-off").get_data(as_text=True)
    assert f'data-testid="balance-{year}"><div class="figure">{b.available:g}<' in html


def test_requests_in_the_past_or_overlapping_are_refused(published, browser):
    browser.login("agent")
    assert _ask(browser, dt.date.today() - dt.timedelta(days=1), dt.date.today()).status_code == 400
    assert _ask(browser, _day(3), _day(4)).status_code == 302
    assert _ask(browser, _day(4), _day(5)).status_code == 400


@pytest.mark.postgres
def test_approval_queue_shows_coverage_and_approval_publishes_without_the_shift(
    published, browser, db_session
):
    agent = published["A001"]
    browser.login("agent")
    browser.get("/my/schedule")  # what the agent has seen: version 1
    assert _ask(browser, _day(1), _day(1)).status_code == 302
    t = db_session.scalar(select(TimeOff).where(TimeOff.agent_id == agent.id))
    assert t.status == "requested"
    browser.client.post("/logout")
    browser.login("scheduler")
    assert str(t.id) in browser.get("/inbox").get_data(as_text=True)

    from wfm.selfservice.impact import impact_of

    (day,) = impact_of(t, agent.site_id)
    # Day 1: A001 and A003 on days (08-16, lunch 12:00-12:30), A002 late (14-22): two wanted 08:00-22:00.
    assert day["shift"] == "08:00–16:00"
    assert day["margin_before"] == 0
    assert day["margin_after"] == -1
    # Missed: 08:00-14:00 less the lunch half hour (from 14:00 the late makes A001 one too many).
    assert (day["missing_before"], day["missing_after"]) == (15, 26)
    page = browser.get(f"/inbox/time-off/{t.id}").get_data(as_text=True)
    assert "+0 → <strong>-1</strong>" in page

    assert (
        browser.post(f"/inbox/time-off/{t.id}", {"decision": "approve", "note": "enjoy"}).status_code == 302
    )
    db_session.expire_all()
    roster = db_session.get(Roster, published["roster_id"])
    assert roster.published_version == 2
    rows = _latest_rows(db_session, roster.id, agent.id)
    assert _day(1).isoformat() not in rows
    assert _day(0).isoformat() in rows
    assert db_session.get(TimeOff, t.id).status == "approved"
    entry = db_session.scalar(
        select(AuditEntry).where(AuditEntry.subject == "time_off", AuditEntry.action == "approved")
    )
    assert entry.before["status"] == "requested"
    assert entry.after["status"] == "approved"
    assert entry.user.username == "scheduler"
    assert entry.after["rosters_republished"] == [roster.id]
    assert db_session.scalar(select(Notification).where(Notification.message.like("%approved%")))

    browser.client.post("/logout")
    browser.login("agent")
    # A page of weeks ago still reports the change (once), linking to its week.
    html = browser.get(f"/my/schedule?date={_day(-30)}").get_data(as_text=True)
    assert 'data-testid="changes"' in html
    assert _day(1).strftime("%a %d %b") in html
    assert browser.get("/my/schedule").get_data(as_text=True).count('data-testid="changes"') == 0  # seen now
    assert "approved" in browser.get("/my/time-off").get_data(as_text=True)


def test_auto_approval_within_the_daily_allotment(published, browser, db_session):
    db_session.add(TimeOffPolicy(site_id=published["site"].id, auto_approve=True, daily_allotment=1))
    db_session.commit()
    browser.login("agent")
    assert _ask(browser, _day(4), _day(4)).status_code == 302
    browser.client.post("/logout")
    browser.login("agent2")
    assert _ask(browser, _day(4), _day(5)).status_code == 302
    db_session.expire_all()
    first = db_session.scalar(select(TimeOff).where(TimeOff.agent_id == published["A001"].id))
    second = db_session.scalar(select(TimeOff).where(TimeOff.agent_id == published["A002"].id))
    assert first.status == "approved"
    assert first.decided_by_id is None
    assert second.status == "requested"  # one agent away on day 4 already
    auto = db_session.scalar(
        select(AuditEntry).where(AuditEntry.subject_id == first.id, AuditEntry.action == "approved")
    )
    assert auto.user_id is None
    assert _day(4).isoformat() not in _latest_rows(db_session, published["roster_id"], published["A001"].id)


def test_agents_cannot_touch_each_others_requests(published, browser, db_session):
    browser.login("agent")
    assert _ask(browser, _day(3), _day(3)).status_code == 302
    t = db_session.scalar(select(TimeOff))
    browser.client.post("/logout")
    browser.login("agent2")
    assert browser.post(f"/my/time-off/{t.id}/cancel").status_code == 404
    assert _day(3).strftime("%d %b") not in browser.get("/my/time-off").get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(TimeOff, t.id).status == "requested"


def test_decisions_are_mailed_when_a_mail_server_is_configured(
    published, browser, db_session, app, monkeypatch
):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append(("mail", message["To"], message["Subject"]))

    from wfm.selfservice import notify

    monkeypatch.setattr(notify.smtplib, "SMTP", FakeSMTP)
    user = db_session.scalar(select(User).where(User.username == "agent"))
    user.email = "agent@example.org"
    db_session.commit()
    browser.login("agent")
    assert _ask(browser, _day(3), _day(3)).status_code == 302
    browser.client.post("/logout")
    browser.login("scheduler")
    t = db_session.scalar(select(TimeOff))
    assert browser.post(f"/inbox/time-off/{t.id}", {"decision": "reject", "note": "busy"}).status_code == 302
    assert sent == []  # no MAIL_SERVER: in-app only
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    browser.client.post("/logout")
    browser.login("agent")
    assert _ask(browser, _day(4), _day(4)).status_code == 302
    browser.client.post("/logout")
    browser.login("scheduler")
    t = db_session.scalar(select(TimeOff).where(TimeOff.status == "requested"))
    assert browser.post(f"/inbox/time-off/{t.id}", {"decision": "reject", "note": "busy"}).status_code == 302
    assert ("connect", "mail.example.org", 25) in sent
    assert [m for m in sent if m[0] == "mail"] == [
        ("mail", "agent@example.org", f"WFM: Your time off {_day(4):%a %d %b} was not approved: busy")
    ]


@pytest.mark.postgres
def test_overlapping_published_rosters_the_one_published_last_speaks(published, browser, db_session):
    from wfm.selfservice.changes import apply_and_publish

    second = make_published(db_session, replace=True)  # another roster of the same week, same shifts
    roster = db_session.get(Roster, second["roster_id"])
    apply_and_publish(roster, {published["A001"].id: {_day(0): LATE}}, None, "moved")
    db_session.commit()
    browser.login("agent")
    page = browser.get("/my/schedule").get_data(as_text=True)
    assert page.count('data-testid="shift"') == len(PATTERN["A001"])  # never twice
    assert "14:00–22:00" in page


def test_service_level_estimate_from_the_plans_requirement(published, db_session):
    """Ten calls of 180 s per half hour (one erlang) on Retail voice; the estimate must be Erlang C on the
    agents left on the phones, weighted by calls."""
    import numpy as np

    from scheduling.staffing.erlang import erlang_c_metrics
    from wfm.models import Forecast, Queue, Requirement, RequirementInterval
    from wfm.selfservice.impact import impact_of

    queue = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))
    forecast = Forecast(queue_id=queue.id, start_date=START, days=DAYS, interval_minutes=30, method="manual")
    db_session.add(forecast)
    db_session.flush()
    requirement = Requirement(forecast_id=forecast.id, queue_id=queue.id, targets={})
    db_session.add(requirement)
    day = dt.datetime.combine(_day(1), dt.time())
    for k in range(16, 44):
        requirement.intervals.append(
            RequirementInterval(
                interval_start=day + dt.timedelta(minutes=30 * k),
                forecast=10,
                aht_seconds=180,
                agents=2,
                scheduled_agents=2,
                service_level=None,
                occupancy=None,
                asa_seconds=None,
                abandon_rate=None,
            )
        )
    roster = db_session.get(Roster, published["roster_id"])
    roster.plan.settings = {"requirements": {queue.name: requirement.id}}
    t = TimeOff(
        agent_id=published["A001"].id,
        first_day=_day(1),
        last_day=_day(1),
        kind="vacation",
        status="requested",
    )
    db_session.add(t)
    db_session.commit()
    (row,) = impact_of(t, published["site"].id)

    def level(agents: list[int]) -> float:
        n = np.array(agents)
        values = np.where(
            n > 1, erlang_c_metrics(np.maximum(n, 1), 1.0, 180.0, queue.answer_seconds).service_level, 0
        )
        return float(values.mean())  # equal calls in every interval

    # A001's hours less the shared lunch: 08:00-12:00 and 12:30-14:00 two agents -> one (11 half hours);
    # 14:00-16:00, with A002's late, three -> two (4 half hours).
    before = [2] * 11 + [3] * 4
    after = [1] * 11 + [2] * 4
    assert row["sl_hours_before"] == pytest.approx(level(before))
    assert row["sl_hours_after"] == pytest.approx(level(after))
    assert row["sl_hours_after"] < row["sl_hours_before"]


def test_policy_and_allowance_changes_are_audited_and_used(published, browser, db_session):
    browser.login("scheduler")
    site = published["site"]
    response = browser.post(
        f"/inbox/policy?site={site.id}",
        {
            "policy-allowance_days": "12",
            "policy-auto_approve": "y",
            "policy-daily_allotment": "3",
            "policy-submit": "1",
        },
    )
    assert response.status_code == 302
    response = browser.post(
        f"/inbox/policy?site={site.id}",
        {
            "allowance-employee_number": "A002",
            "allowance-year": str(_day(0).year),
            "allowance-days": "30",
            "allowance-submit": "1",
        },
    )
    assert response.status_code == 302
    assert (
        browser.post(
            f"/inbox/policy?site={site.id}",
            {
                "allowance-employee_number": "NOPE",
                "allowance-year": "2026",
                "allowance-days": "1",
                "allowance-submit": "1",
            },
        ).status_code
        == 400
    )
    entries = db_session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.subject, e.before, e.after.get("daily_allotment", e.after.get("days"))) for e in entries] == [
        ("policy", {"allowance_days": 25.0, "auto_approve": False, "daily_allotment": 2}, 3),
        ("allowance", {"days": 12.0}, 30.0),
    ]
    from wfm.selfservice.timeoff import balance

    year = _day(0).year
    assert balance(db_session.get(Agent, published["A001"].id), year).allowance == 12
    assert balance(db_session.get(Agent, published["A002"].id), year).allowance == 30


def test_notifications_badge_and_read(published, browser, db_session):
    browser.login("agent")
    assert browser.post("/notifications").status_code == 302  # the first publish's notice, read
    assert _ask(browser, _day(3), _day(3)).status_code == 302
    browser.client.post("/logout")
    browser.login("scheduler")
    assert 'data-testid="unread">1<' in browser.get("/inbox").get_data(as_text=True)  # the request
    t = db_session.scalar(select(TimeOff))
    browser.post(f"/inbox/time-off/{t.id}", {"decision": "approve", "note": ""})
    browser.client.post("/logout")
    browser.login("agent")
    page = browser.get("/notifications").get_data(as_text=True)
    assert 'data-testid="unread">1<' in page
    assert "was approved" in page
    assert browser.post("/notifications").status_code == 302
    assert 'data-testid="unread"' not in browser.get("/notifications").get_data(as_text=True)
