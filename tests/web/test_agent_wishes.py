"""Agents enter their own wishes for the coming weeks (times they cannot work, shifts they prefer, days
off): stored for them alone, shown to the scheduler, and turned into roster requests."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.hand_roster import DAY, LATE, _day, make_published
from wfm.models import Agent, ShiftTemplate, User, Wish
from wfm.rosters.problem import build_input


@pytest.fixture
def published(demo, db_session):
    return make_published(db_session)


def _cannot(browser, first: dt.date, last: dt.date | None = None, hours: str = ""):
    return browser.post(
        "/my/wishes",
        {
            "cannot-first_day": first.isoformat(),
            "cannot-last_day": last.isoformat() if last else "",
            "cannot-hours": hours,
            "cannot-submit": "1",
        },
    )


def test_an_agent_enters_when_they_cannot_work_and_the_roster_hears_it(published, browser, db_session):
    me = published["A001"]
    db_session.add(
        ShiftTemplate(
            site_id=me.site_id,
            name="T-Day",
            earliest_start=480,
            latest_start=480,
            lengths=[480],
            days=list(range(7)),
        )
    )
    db_session.commit()
    browser.login("agent")
    assert _cannot(browser, _day(1), _day(2), "17:00-22:00").status_code == 302
    preferred = browser.post(
        "/my/wishes",
        {
            "wish-kind": "prefer",
            "wish-weekday": "-1",
            "wish-day": _day(4).isoformat(),
            "wish-template": "T-Day",
            "wish-weight": "5",
            "wish-submit": "1",
        },
    )
    assert preferred.status_code == 302
    wishes = db_session.scalars(select(Wish)).all()
    assert {w.agent_id for w in wishes} == {me.id}
    agent_user = db_session.scalar(select(User).where(User.username == "agent"))
    assert {w.entered_by_id for w in wishes} == {agent_user.id}
    page = browser.get("/my/wishes").get_data(as_text=True)
    assert f"{_day(1):%a %d %b %Y} to {_day(2):%a %d %b %Y}, 17:00–22:00" in page

    roster_data = build_input(published["site"], _plan_of(db_session, published), _day(0), 7)
    mine = [r for r in roster_data.problem.requests if r.employee == str(me.id)]
    late = {t["id"] for t in roster_data.shift_types if t["template"] == "T-Late"}
    early = {t["id"] for t in roster_data.shift_types if t["template"] == "T-Day"}
    # Days 1 and 2: the late (14:00-22:00) overlaps 17:00-22:00, the day shift (08:00-16:00) does not.
    unwanted = {(r.day, r.shift) for r in mine if not r.on}
    assert {(d, s) for d, s in unwanted if d in (1, 2)} == {(d, s) for d in (1, 2) for s in late}
    # Day 4: a preference for the day shift is a request against every other shift that day.
    assert {s for d, s in unwanted if d == 4} == {t["id"] for t in roster_data.shift_types} - early
    assert not any(d in (0, 3, 5, 6) for d, _s in unwanted)
    assert DAY
    assert LATE

    browser.client.post("/logout")
    browser.login("scheduler")
    scheduler_page = browser.get(f"/rosters/agents/{me.id}/preferences").get_data(as_text=True)
    assert "cannot work" in scheduler_page
    assert "entered by the agent" in scheduler_page


def _plan_of(db_session, published):
    from wfm.models import Roster, ShiftPlan

    roster = db_session.get(Roster, published["roster_id"])
    return db_session.get(ShiftPlan, roster.plan_id)


def test_wishes_are_for_the_future_and_name_the_field(published, browser, db_session):
    browser.login("agent")
    past = _cannot(browser, dt.date.today() - dt.timedelta(days=1))
    assert past.status_code == 400
    assert "must be after today" in past.get_data(as_text=True)
    backwards = _cannot(browser, _day(3), _day(1))
    assert backwards.status_code == 400
    assert "on or after the first day" in backwards.get_data(as_text=True)
    hours = _cannot(browser, _day(3), hours="evening")
    assert hours.status_code == 400
    assert "HH:MM-HH:MM" in hours.get_data(as_text=True)
    assert db_session.scalar(select(Wish)) is None


def test_agents_see_and_remove_only_their_own_wishes(published, browser, db_session):
    other = published["A002"]
    theirs = Wish(agent_id=other.id, kind="off", weekday=None, day=_day(5), weight=5)
    db_session.add(theirs)
    db_session.commit()
    browser.login("agent")
    assert _cannot(browser, _day(3)).status_code == 302
    page = browser.get("/my/wishes").get_data(as_text=True)
    assert f"{_day(5):%a %d %b %Y}" not in page
    assert browser.post(f"/my/wishes/{theirs.id}/delete").status_code == 404
    mine = db_session.scalar(select(Wish).where(Wish.agent_id == published["A001"].id))
    assert browser.post(f"/my/wishes/{mine.id}/delete").status_code == 302
    db_session.expire_all()
    assert db_session.get(Wish, theirs.id) is not None
    assert db_session.get(Wish, mine.id) is None
    browser.client.post("/logout")
    browser.login("scheduler")
    assert browser.get("/my/wishes").status_code == 403
    assert db_session.scalar(select(Agent).where(Agent.id == other.id))
