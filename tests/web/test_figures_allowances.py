"""Allowances count working days: the days the agent is rostered to work where a roster is published,
elsewhere the site's working days (not its weekend, not a public holiday). Figures from the hand week."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from tests.hand_roster import START, _day, make_published
from wfm.models import Agent, TimeOff


@pytest.fixture
def published(demo, db_session):
    return make_published(db_session)


@pytest.mark.postgres
def test_vacation_is_charged_for_rostered_days_only_and_stays_charged_after_approval(published, db_session):
    from wfm.selfservice import timeoff

    agent = db_session.get(Agent, published["A001"].id)
    # A001 works days 0, 1, 2 and 4 of the published week: days 2-5 hold two working days (3 and 5 are off).
    t = timeoff.request(agent, _day(2), _day(5), "vacation", today=START)
    db_session.commit()
    assert timeoff.charged_days(agent, t) == 2.0
    if t.status == "requested":
        timeoff.decide(t, approve=True, user_id=None)
        db_session.commit()
    db_session.expire_all()
    t = db_session.get(TimeOff, t.id)
    assert t.status == "approved"
    assert timeoff.charged_days(t.agent, t) == 2.0  # the shifts are gone from the roster; the charge is not


def test_without_a_roster_the_sites_weekend_and_public_holidays_are_not_charged(published, db_session):
    from wfm.selfservice import timeoff

    agent = db_session.get(Agent, published["A001"].id)
    first = START + dt.timedelta(days=14)  # no roster published for these two weeks
    last = first + dt.timedelta(days=13)
    site_holidays = holidays.country_holidays("IL", years=[first.year, last.year])
    # Tel Aviv's weekend is Friday and Saturday
    expected = sum(
        1
        for k in range(14)
        if (first + dt.timedelta(days=k)).weekday() not in (4, 5)
        and first + dt.timedelta(days=k) not in site_holidays
    )
    t = timeoff.request(agent, first, last, "vacation", today=START)
    db_session.commit()
    assert timeoff.charged_days(agent, t) == expected
    assert expected <= 10


def test_a_part_day_on_a_rostered_day_off_costs_nothing(published, db_session):
    from wfm.selfservice import timeoff

    agent = db_session.get(Agent, published["A001"].id)
    t = timeoff.request(
        agent, _day(3), _day(3), "vacation", from_minute=9 * 60, to_minute=13 * 60, today=START
    )
    assert timeoff.charged_days(agent, t) == 0.0


def test_the_weekly_hours_rule_counts_the_sites_week_not_the_rosters_first_day(
    published, db_session, browser
):
    """Tel Aviv's weekend is Friday and Saturday, so its week runs from Sunday: a roster from a Tuesday has
    its first whole week from day 5."""
    from wfm.models import Roster
    from wfm.rosters.problem import build_input

    roster = db_session.get(Roster, published["roster_id"])
    tuesday = START + dt.timedelta(days=(1 - START.weekday()) % 7)
    problem = build_input(published["site"], roster.plan, tuesday, 14).problem
    assert problem.week_start == 5
    assert problem.weeks() == [(range(0, 5), False), (range(5, 12), True), (range(12, 14), False)]
    browser.login("scheduler")
    page = browser.get(f"/rosters/{roster.id}").get_data(as_text=True)
    sunday = next(d for d in roster.dates if d.weekday() == 6)
    assert f'<th class="weekstart">Sun<br>{sunday:%d/%m}</th>' in page


def test_my_schedule_weeks_and_months_start_on_the_sites_first_weekday(published, browser):
    """Tel Aviv's week runs Sunday to Saturday: a week page holds a Sunday-to-Saturday week (its hours are
    the week the contract counts), and a month's rows start on Sunday."""
    browser.login("agent")
    wednesday = START + dt.timedelta(days=(2 - START.weekday()) % 7)
    page = browser.get(f"/my/schedule?view=week&date={wednesday.isoformat()}").get_data(as_text=True)
    sunday = wednesday - dt.timedelta(days=3)
    saturday = wednesday + dt.timedelta(days=3)
    assert f"{sunday:%d %b} – {saturday:%d %b %Y}" in page
    month = browser.get(f"/my/schedule?view=month&date={wednesday.isoformat()}").get_data(as_text=True)
    assert "<thead><tr><th>Sun</th><th>Mon</th>" in month


def test_time_off_approved_before_charges_were_fixed_counts_the_sites_working_days(published, db_session):
    """A row from before the migration has no fixed charge; once approved its shifts are off the roster, so
    counting rostered days would charge nothing: the site's working days count instead."""
    from wfm.selfservice import timeoff

    agent = db_session.get(Agent, published["A001"].id)
    t = TimeOff(agent_id=agent.id, first_day=_day(0), last_day=_day(6), kind="vacation", status="approved")
    db_session.add(t)
    db_session.commit()
    site_holidays = holidays.country_holidays("IL", years=[_day(0).year, _day(6).year])
    expected = sum(1 for k in range(7) if _day(k).weekday() not in (4, 5) and _day(k) not in site_holidays)
    assert t.charged_on is None
    assert timeoff.charged_days(agent, t) == expected
