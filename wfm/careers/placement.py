"""Place training: session times in the lowest-demand hours of a week, with what each option costs.

Demand is the latest shift plan of the site covering the week (`PlanCoverage`: required against on the
phones per queue and interval), else the latest requirements (`RequirementInterval`: agents needed against
scheduled). Taking `attendees` agents off the phones for a window costs, honestly and simply, the shortfall
it adds: for each interval, max(0, required - (on phones - attendees)) minus the shortfall already there,
summed over the window, in agent-intervals (and agent-hours). Options are ranked by that cost, then by
demand.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from training.catalogue import Catalogue
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.forecasting.service_level import (
    Estimate,
    PhoneTime,
    estimate,
    from_plan,
    from_roster,
    plan_requirements,
)
from wfm.formatting import plain
from wfm.i18n import translate
from wfm.models import Queue, Requirement, RequirementInterval, Roster, RosterAssignment, Site
from wfm.models.shifts import PlanCoverage, ShiftPlan
from wfm.rosters.coverage import off_phone
from wfm.selfservice.published import owners, published_rosters

MAX_SESSION_HOURS = 4  # a longer course is given in several sessions of at most this; we place one of them
# Trainers and classrooms work days: a session is proposed between these minutes after local midnight, and
# only while the site is open (a session created by hand may use any open hours of the site).
TRAINING_DAY = (8 * 60, 18 * 60)


def _coverage(
    site_id: int | None, first: dt.date, last: dt.date
) -> tuple[str, dict[dt.datetime, tuple[int, int]], int]:
    """interval start -> (required, on phones) summed over queues, and the interval length in minutes."""
    start, end = (
        dt.datetime.combine(first, dt.time()),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time()),
    )
    query = (
        select(ShiftPlan)
        .join(PlanCoverage)
        .where(PlanCoverage.interval_start >= start, PlanCoverage.interval_start < end)
    )
    if site_id is not None:
        query = query.where(ShiftPlan.site_id == site_id)
    plan = db.session.scalar(query.order_by(ShiftPlan.id.desc()).limit(1))
    totals: dict[dt.datetime, list[int]] = defaultdict(lambda: [0, 0])
    if plan is not None:
        for row in db.session.scalars(
            select(PlanCoverage).where(
                PlanCoverage.plan_id == plan.id,
                PlanCoverage.interval_start >= start,
                PlanCoverage.interval_start < end,
            )
        ):
            totals[row.interval_start][0] += row.required
            totals[row.interval_start][1] += row.on_phones
        return (
            _("shift plan “%(name)s”", name=plan.name),
            {k: (v[0], v[1]) for k, v in totals.items()},
            plan.interval_minutes,
        )
    latest: dict[int, int] = {}
    requirements = select(Requirement).join(Queue).order_by(Requirement.id)
    if site_id is not None:
        requirements = requirements.where(Queue.site_id == site_id)
    for req in db.session.scalars(requirements):
        latest[req.queue_id] = req.id
    rows = db.session.scalars(
        select(RequirementInterval).where(
            RequirementInterval.requirement_id.in_(list(latest.values())),
            RequirementInterval.interval_start >= start,
            RequirementInterval.interval_start < end,
        )
    ).all()
    for row in rows:
        totals[row.interval_start][0] += row.agents
        totals[row.interval_start][1] += row.scheduled_agents or row.agents
    minutes = 15
    if len(totals) > 1:
        keys = sorted(totals)
        minutes = max(1, int(min((b - a).total_seconds() for a, b in itertools.pairwise(keys)) // 60))
    return _("latest requirements"), {k: (v[0], v[1]) for k, v in totals.items()}, minutes


def placement_options(
    course: str, week: dt.date, attendees: int, cat: Catalogue, top: int = 6, site_id: int | None = None
) -> dict:
    """Up to `top` windows (one per day) for a session of the course in the week from `week`, least costly
    first: {course, name, hours, attendees, source, step, options: [{day, start, end, demand, spare,
    added_short, added_short_hours, on_shift}]}."""
    if course not in cat.courses:
        raise FieldError("course", _("Choose one of the courses."))
    if attendees < 1:
        raise FieldError("attendees", _("at least one"))
    course_hours = cat.courses[course].hours
    hours = min(course_hours, MAX_SESSION_HOURS)
    sittings = math.ceil(course_hours / MAX_SESSION_HOURS)
    site = db.session.get(Site, site_id) if site_id is not None else None
    last = week + dt.timedelta(days=6)
    source, coverage, step = _coverage(site_id, week, last)
    if not coverage:
        raise FieldError(
            "week",
            _(
                "no shift plan or requirement covers %(first)s–%(last)s",
                first=week.isoformat(),
                last=last.isoformat(),
            ),
        )
    length = math.ceil(hours * 60 / step)
    options = []
    for day_offset in range(7):
        day = week + dt.timedelta(days=day_offset)
        slots = sorted(k for k in coverage if k.date() == day)
        for begin in slots:
            window = [begin + dt.timedelta(minutes=step * j) for j in range(length)]
            if any(t not in coverage for t in window):
                continue
            first = begin.hour * 60 + begin.minute
            end = first + length * step
            if first < TRAINING_DAY[0] or end > TRAINING_DAY[1] or not _open(site, day, first, end):
                continue
            demand = sum(coverage[t][0] for t in window)
            added = sum(
                max(0, coverage[t][0] - (coverage[t][1] - attendees))
                - max(0, coverage[t][0] - coverage[t][1])
                for t in window
            )
            spare = min(coverage[t][1] - coverage[t][0] for t in window)
            options.append(
                {
                    "day": day,
                    "start": begin,
                    "end": window[-1] + dt.timedelta(minutes=step),
                    "demand": demand,
                    "added_short": added,
                    "added_short_hours": added * step / 60,
                    "spare": spare,
                }
            )
    options.sort(key=lambda o: (o["added_short"], o["demand"], o["start"]))
    chosen: list[dict] = []
    for option in options:  # one option per day at most, so HR sees different days
        if all(o["day"] != option["day"] for o in chosen):
            chosen.append(option)
        if len(chosen) == top:
            break
    pricing = _service_level_pricing(site_id, week, last, step)
    for option in chosen:
        option["on_shift"] = _on_shift(option["start"], option["end"], site_id)
        before, after = pricing(option["start"], option["end"], attendees)
        both = before.level is not None and after.level is not None
        option["sl_before"], option["sl_after"] = (before.level, after.level) if both else (None, None)
        option["sl_reason"] = None if both else translate(before.reason or after.reason)
    split = None
    if sittings > 1:
        split = _(
            "The course takes %(course_hours)s hours; no sitting is longer than %(most)s hours, so it is "
            "given in %(sittings)s sessions. These are times for one %(hours)s-hour session: schedule each "
            "of the %(sittings)s in turn.",
            course_hours=plain(course_hours),
            most=plain(MAX_SESSION_HOURS),
            sittings=sittings,
            hours=plain(hours),
        )
    return {
        "course": course,
        "name": cat.courses[course].name,
        "hours": hours,
        "course_hours": course_hours,
        "sittings": sittings,
        "split": split,
        "attendees": attendees,
        "source": source,
        "step": step,
        "options": chosen,
        "within": _within(site),
    }


def _open(site: Site | None, day: dt.date, start: int, end: int) -> bool:
    if site is None:
        return True
    hours = site.hours_on(day.weekday())
    return hours is not None and hours.opens_minute <= start and end <= hours.closes_minute


def _within(site: Site | None) -> str:
    day = f"{TRAINING_DAY[0] // 60:02d}:00–{TRAINING_DAY[1] // 60:02d}:00"
    if site is not None:
        return _("between %(hours)s, while %(site)s is open", hours=day, site=site.name)
    return _("between %(hours)s", hours=day)


def _service_level_pricing(site_id: int | None, first: dt.date, last: dt.date, step: int):
    """A function giving the service-level estimates (`Estimate`s) of a window before and after `attendees`
    leave the phones: from the published roster's skilled agents when one covers the day, else from the
    shift plan's agents per queue; against the forecast the plan was built from."""
    start, end = (
        dt.datetime.combine(first, dt.time()),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time()),
    )
    query = (
        select(ShiftPlan)
        .join(PlanCoverage)
        .where(PlanCoverage.interval_start >= start, PlanCoverage.interval_start < end)
    )
    if site_id is not None:
        query = query.where(ShiftPlan.site_id == site_id)
    plan = db.session.scalar(query.order_by(ShiftPlan.id.desc()).limit(1))
    requirements = plan_requirements((plan.settings or {}).get("requirements", {}).values()) if plan else []
    per_queue: dict[tuple[dt.datetime, str], int] = defaultdict(int)
    if plan is not None:
        for row in db.session.scalars(
            select(PlanCoverage).where(
                PlanCoverage.plan_id == plan.id,
                PlanCoverage.interval_start >= start,
                PlanCoverage.interval_start < end,
            )
        ):
            per_queue[row.interval_start, row.queue] += row.on_phones
    pairs = published_rosters(site_id, first, last) if site_id is not None else []
    owner = owners(pairs)

    def agents_on(day: dt.date):
        for roster, version in pairs:
            if owner.get(day) == roster.id:
                types = {t["id"]: t for t in roster.shift_types}
                rows = [
                    r
                    for r in version.assignments
                    if r["day"] in {day.isoformat(), (day - dt.timedelta(days=1)).isoformat()}
                ]
                return from_roster(
                    PhoneTime(rows, lambda r, types=types: off_phone(r, types)).at,
                    day,
                    [r["agent_id"] for r in rows],
                )
        return from_plan(per_queue, plan.interval_minutes if plan else step)

    def price(
        window_start: dt.datetime, window_end: dt.datetime, attendees: int
    ) -> tuple[Estimate, Estimate]:
        agents = agents_on(window_start.date())
        return (
            estimate(requirements, window_start, window_end, agents),
            estimate(requirements, window_start, window_end, agents, fewer=attendees),
        )

    return price


def _on_shift(start: dt.datetime, end: dt.datetime, site_id: int | None) -> list[str]:
    """Names of rostered agents whose shift covers the whole window: who could attend without a shift
    change."""
    query = select(RosterAssignment).where(RosterAssignment.start <= start, RosterAssignment.end >= end)
    if site_id is not None:
        query = query.join(Roster).where(Roster.site_id == site_id)
    rows = db.session.scalars(query).all()
    return sorted({r.agent.name for r in rows})


def window_cost(site_id: int | None, start: dt.datetime, end: dt.datetime, attendees: int) -> dict:
    """What taking `attendees` more agents off the phones for [start, end) costs, as the placement options
    say it: agent-hours of shortfall added, and the service level before and after (None with a reason
    when it cannot be estimated)."""
    source, coverage, step = _coverage(site_id, start.date(), start.date())
    window = [t for t in coverage if start <= t < end]
    added = sum(
        max(0, coverage[t][0] - (coverage[t][1] - attendees)) - max(0, coverage[t][0] - coverage[t][1])
        for t in window
    )
    out = {"source": source, "added_short_hours": added * step / 60, "sl_before": None, "sl_after": None}
    if not window:
        out["sl_reason"] = _("No shift plan or requirement covers the session's hours.")
        return out
    before, after = _service_level_pricing(site_id, start.date(), start.date(), step)(start, end, attendees)
    if before.level is not None and after.level is not None:
        out["sl_before"], out["sl_after"], out["sl_reason"] = before.level, after.level, None
    else:
        out["sl_reason"] = translate(before.reason or after.reason)
    return out
