"""A small hand-made plan and roster of the demo site, published: every shift known in advance, for the
tests of what happens around a published roster (self-service, swaps, activities, the browser flows)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from wfm.models import (
    Agent,
    Forecast,
    PlanCoverage,
    PlanShift,
    Queue,
    Requirement,
    RequirementInterval,
    Roster,
    RosterAssignment,
    ShiftPlan,
    Site,
)
from wfm.rosters.operations import publish
from wfm.rosters.problem import build_input, rules_for

START = dt.date.today() + dt.timedelta(days=2)
DAYS = 7
DAY, LATE = "T-Day 08:00 8h", "T-Late 14:00 8h"
# Day index -> shift, per employee number. A001 is off on day 3; A002 works lates on days 0-3.
PATTERN = {
    "A001": {0: DAY, 1: DAY, 2: DAY, 4: DAY},
    "A002": {0: LATE, 1: LATE, 2: LATE, 3: LATE},
    "A003": {0: DAY, 1: DAY},
}


def _plan(db_session, site: Site, first: dt.date) -> ShiftPlan:
    plan = ShiftPlan(
        site_id=site.id,
        name="Hand plan",
        start_date=first,
        days=DAYS,
        interval_minutes=30,
        solver_status="optimal",
        seconds=0.0,
    )
    db_session.add(plan)
    for d in range(DAYS):
        day = dt.datetime.combine(first + dt.timedelta(days=d), dt.time())
        for name, hour, agents in (("T-Day", 8, 2), ("T-Late", 14, 1)):
            start = day + dt.timedelta(hours=hour)
            plan.shifts.append(
                PlanShift(
                    template=name,
                    start=start,
                    end=start + dt.timedelta(hours=8),
                    agents=agents,
                    breaks=[
                        {
                            "name": "lunch",
                            "start": (start + dt.timedelta(hours=4)).isoformat(),
                            "end": (start + dt.timedelta(hours=4, minutes=30)).isoformat(),
                            "paid": True,
                        }
                    ],
                    queues=[],
                )
            )
        for k in range(16, 44):  # 08:00 to 22:00: two agents wanted each half hour
            plan.coverage.append(
                PlanCoverage(
                    interval_start=day + dt.timedelta(minutes=30 * k),
                    queue="Retail voice",
                    required=2,
                    on_phones=0,
                    short=0,
                    over=0,
                )
            )
    db_session.flush()
    return plan


def make_published(db_session, start: dt.date = START, replace: bool | None = None) -> dict:
    """A one-week roster of the demo site from `start`, published once, with A001-A003 on known shifts
    (`replace`: as `publish` takes it, for a second roster over the same days)."""
    site = db_session.scalar(select(Site))
    rules_for(site).hours_below_contract = 60  # hand-made weeks fall short of contracts; no minimum here
    plan = _plan(db_session, site, start)
    data = build_input(site, plan, start, DAYS)
    roster = Roster(
        site_id=site.id,
        plan_id=plan.id,
        name="Hand week",
        start_date=start,
        days=DAYS,
        shift_types=data.shift_types,
        solver_status="optimal",
    )
    db_session.add(roster)
    types = {t["id"]: t for t in data.shift_types}
    agents = {
        a.employee_number: a
        for a in db_session.scalars(select(Agent).where(Agent.employee_number.in_(list(PATTERN))))
    }
    for number, days in PATTERN.items():
        for d, shift in days.items():
            begins = dt.datetime.combine(start + dt.timedelta(days=d), dt.time()) + dt.timedelta(
                minutes=types[shift]["start_minute"]
            )
            roster.assignments.append(
                RosterAssignment(
                    agent_id=agents[number].id,
                    day=start + dt.timedelta(days=d),
                    shift=shift,
                    start=begins,
                    end=begins + dt.timedelta(minutes=types[shift]["minutes"]),
                )
            )
    db_session.flush()
    publish(roster, roster.lock_version, None, replace=replace)
    db_session.commit()
    return {"roster_id": roster.id, "site": site, **agents}


def _day(d: int) -> dt.date:
    return START + dt.timedelta(days=d)


def _latest_rows(db_session, roster_id: int, agent_id: int) -> dict[str, str]:
    roster = db_session.get(Roster, roster_id)
    db_session.refresh(roster)
    return {r["day"]: r["shift"] for r in roster.versions[-1].assignments if r["agent_id"] == agent_id}


def hand_requirement(
    db_session,
    queue: Queue,
    first: dt.date,
    days: int,
    minutes: int,
    rows: dict[dt.datetime, tuple[float, float, int]],
    method: str = "manual",
) -> Requirement:
    """A requirement of `queue` (and the forecast it is built from) with rows {interval start: (calls, handle
    seconds, agents)}; flushed."""
    forecast = Forecast(
        queue_id=queue.id, start_date=first, days=days, interval_minutes=minutes, method=method
    )
    db_session.add(forecast)
    db_session.flush()
    requirement = Requirement(forecast_id=forecast.id, queue_id=queue.id, targets={})
    db_session.add(requirement)
    for start, (calls, aht, agents) in rows.items():
        requirement.intervals.append(
            RequirementInterval(
                interval_start=start,
                forecast=calls,
                aht_seconds=aht,
                agents=agents,
                scheduled_agents=agents,
                service_level=None,
                occupancy=None,
                asa_seconds=None,
                abandon_rate=None,
            )
        )
    db_session.flush()
    return requirement
