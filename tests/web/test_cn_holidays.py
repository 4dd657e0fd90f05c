"""A Chinese centre: its make-up working days (调休) are working days for time off and for the roster's
weekend rules, its public holidays are not; counted here from `holidays.China` directly."""

from __future__ import annotations

import datetime as dt

import holidays
from sqlalchemy import select

from tests.hand_roster import _plan
from wfm.calendars import make_up_weekdays
from wfm.models import Agent, AgentStatus, Site, TimeOff
from wfm.rosters.problem import build_input, rules_for
from wfm.selfservice.timeoff import working_days

FIRST = dt.date(2026, 9, 14)  # a Monday; 20 September is a make-up Sunday, 1-7 October the National Day week
DAYS = 28


def _chinese_site(db_session) -> Site:
    site = db_session.scalar(select(Site).order_by(Site.id))
    site.country = "CN"
    rules_for(site).weekend_days = [5, 6]
    db_session.flush()
    return site


def test_time_off_counts_make_up_days_as_working_days_and_holidays_not(demo, db_session):
    site = _chinese_site(db_session)
    agent = db_session.scalar(select(Agent).where(Agent.site_id == site.id).order_by(Agent.id))
    last = FIRST + dt.timedelta(days=DAYS - 1)
    china = holidays.China(years=2026)
    days = [FIRST + dt.timedelta(days=k) for k in range(DAYS)]
    expected = [d for d in days if (d.weekday() < 5 or d in china.weekend_workdays) and d not in china]
    assert dt.date(2026, 9, 20) in expected
    assert dt.date(2026, 10, 1) not in expected
    assert working_days(agent, FIRST, last, rostered=False) == expected


def test_the_roster_problem_keeps_make_up_days_out_of_the_weekends(demo, db_session):
    site = _chinese_site(db_session)
    plan = _plan(db_session, site, FIRST)
    problem = build_input(site, plan, FIRST, DAYS).problem
    china = holidays.China(years=2026)
    days = [FIRST + dt.timedelta(days=k) for k in range(DAYS)]
    make_up = {k for k, d in enumerate(days) if d in china.weekend_workdays and d.weekday() >= 5}
    assert make_up == {6, 26}  # Sunday 20 September, Saturday 10 October
    assert problem.weekend_workdays == frozenset(make_up)
    weekend_days = {k for pair in problem.weekends() for k in pair}
    assert weekend_days == {k for k, d in enumerate(days) if d.weekday() >= 5} - make_up


def test_plans_run_a_make_up_day_as_the_weekday_it_is_forecast_like(demo, db_session):
    site = _chinese_site(db_session)
    days = [FIRST + dt.timedelta(days=k) for k in range(DAYS)]
    china = holidays.China(years=2026)
    # the nearest working weekday, the day before first: Saturday as Friday (4), Sunday as Monday (0)
    expected = {d: {5: 4, 6: 0}[d.weekday()] for d in days if d in china.weekend_workdays}
    assert make_up_weekdays(site, days) == expected
    assert expected == {dt.date(2026, 9, 20): 0, dt.date(2026, 10, 10): 4}


def test_weekly_hours_give_a_day_per_holiday_and_take_one_per_make_up_day(demo, db_session):
    """Counted by hand from holidays.China, Monday-to-Sunday weeks: 14-20 Sep holds the make-up Sunday,
    21-27 Sep one holiday (Fri 25), 28 Sep-4 Oct two on weekdays (Thu 1, Fri 2), 5-11 Oct three (Mon 5 to
    Wed 7) and the make-up Saturday: the minimum drops by three contracted days, the maximum rises by one."""
    site = _chinese_site(db_session)
    rules = rules_for(site)
    plan = _plan(db_session, site, FIRST)
    roster_input = build_input(site, plan, FIRST, DAYS)
    china = holidays.China(years=2026)
    days = [FIRST + dt.timedelta(days=k) for k in range(DAYS)]
    per_week_holidays = [
        sum(d in china and d.weekday() < 5 for d in days[w : w + 7]) for w in range(0, DAYS, 7)
    ]
    per_week_make_up = [sum(d in china.weekend_workdays for d in days[w : w + 7]) for w in range(0, DAYS, 7)]
    assert per_week_holidays == [0, 1, 2, 3]
    assert per_week_make_up == [1, 0, 0, 1]
    leave = {
        row.agent_id
        for row in db_session.scalars(
            select(TimeOff).where(TimeOff.first_day <= days[-1], TimeOff.last_day >= FIRST)
        )
    }
    checked = 0
    for agent, staff in zip(roster_input.agents, roster_input.problem.staff, strict=True):
        if agent.id in leave or agent.status != AgentStatus.ACTIVE:
            continue
        contract = round(agent.contracted_hours * 60)
        day = contract / 5
        assert staff.max_week_minutes == contract + round(rules.hours_above_contract * 60) + round(1 * day)
        assert staff.min_week_minutes == max(
            0, contract - round(rules.hours_below_contract * 60) - round(3 * day)
        )
        checked += 1
    assert checked > 0
