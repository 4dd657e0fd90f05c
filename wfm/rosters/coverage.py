"""Agents on the phones per interval of a roster (their shifts less breaks and activities), and what the
shift plan requires then: for the coverage chart and for placing meetings where the phones spare them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from wfm.extensions import db
from wfm.forecasting.service_level import PhoneTime, held_by_day, plan_requirements
from wfm.formatting import counted
from wfm.models import RequirementInterval, Roster
from wfm.rosters import offphone
from wfm.rosters.problem import breaks_of
from wfm.rosters.shift_types import ShiftTypes


def off_phone(cell, types: ShiftTypes) -> list[tuple[int, int]]:
    """A cell's breaks and activities as (from, to) minutes from its start."""
    return offphone.spans(breaks_of(cell, types)) + offphone.spans(
        cell.get("activities") if isinstance(cell, dict) else cell.activities
    )


def on_phones(
    roster: Roster,
    types: ShiftTypes,
    first: dt.datetime,
    last: dt.datetime,
    step: dt.timedelta,
    cells=None,
) -> dict[dt.datetime, int]:
    """Interval start -> agents at work through the whole interval and not on a break or an activity.
    `cells`: the roster's cells when the caller has them already (default its assignments)."""
    counts: dict[dt.datetime, int] = defaultdict(int)
    for a in roster.assignments if cells is None else cells:
        if a.end <= first or a.start >= last:
            continue
        away = [
            (a.start + dt.timedelta(minutes=b[0]), a.start + dt.timedelta(minutes=b[1]))
            for b in off_phone(a, types)
        ]
        # Intervals on the grid that starts at `first`, inside the shift.
        moment = first + max(0, -(-(a.start - first) // step)) * step
        while moment + step <= a.end and moment < last:
            if not any(start < moment + step and moment < end for start, end in away):
                counts[moment] += 1
            moment += step
    return counts


def required(
    roster: Roster, first: dt.datetime, last: dt.datetime, step: dt.timedelta
) -> dict[dt.datetime, int]:
    """Interval start (on the grid from `first`) -> agents the plan requires then, all queues: each interval
    of the grid takes the requirement of the plan interval it falls in."""
    plan = roster.plan
    out: dict[dt.datetime, int] = defaultdict(int)
    if plan is None:
        return out
    width = dt.timedelta(minutes=plan.interval_minutes)
    for c in plan.coverage:
        if c.interval_start + width <= first or c.interval_start >= last:
            continue
        moment = first + max(0, -(-(c.interval_start - first) // step)) * step
        while moment < c.interval_start + width and moment < last:
            out[moment] += c.required
            moment += step
    return out


def grid_times(roster: Roster) -> tuple[list[dt.datetime], dt.timedelta] | None:
    """The plan's interval grid over the roster's days (None without a plan with coverage)."""
    plan = roster.plan
    if plan is None or not plan.coverage:
        return None
    step = dt.timedelta(minutes=plan.interval_minutes)
    first = dt.datetime.combine(roster.start_date, dt.time())
    count = int(dt.timedelta(days=roster.days) / step)
    return [first + k * step for k in range(count)], step


def total_cover(roster: Roster, types: ShiftTypes, cells=None) -> dict | None:
    """One computation of the total cover, for the chart and the text alike: {times, step, need, phones,
    short} per interval of the plan's grid (agents at work on the phones against the plan's requirement,
    all queues together). `cells`: the roster's cells already read (as `on_phones` takes them)."""
    grid = grid_times(roster)
    if grid is None:
        return None
    times, step = grid
    first, last = times[0], times[-1] + step
    need = required(roster, first, last, step)
    phones = on_phones(roster, types, first, last, step, cells)
    n = [need.get(t, 0) for t in times]
    p = [phones.get(t, 0) for t in times]
    return {
        "times": times,
        "step": step,
        "need": n,
        "phones": p,
        "short": [max(0, a - b) for a, b in zip(n, p, strict=True)],
    }


def _queue_needs(roster: Roster) -> dict[str, dict[tuple[dt.datetime, dt.timedelta], int]]:
    """Queue name -> (interval start, length) -> agents required: from the requirements the plan was built
    from (in the plan's column), else from the plan's coverage rows that name a queue."""
    plan = roster.plan
    first = dt.datetime.combine(roster.start_date, dt.time())
    last = dt.datetime.combine(roster.end_date + dt.timedelta(days=1), dt.time())
    out: dict[str, dict] = defaultdict(dict)
    settings = (plan.settings or {}) if plan else {}
    requirements = plan_requirements(settings.get("requirements", {}).values())
    column = settings.get("column", "scheduled_agents")
    by_id = {r.id: (r.queue.name, dt.timedelta(minutes=r.forecast.interval_minutes)) for r in requirements}
    if by_id:
        for rid, start, agents, scheduled in db.session.execute(
            select(
                RequirementInterval.requirement_id,
                RequirementInterval.interval_start,
                RequirementInterval.agents,
                RequirementInterval.scheduled_agents,
            ).where(
                RequirementInterval.requirement_id.in_(list(by_id)),
                RequirementInterval.interval_start >= first,
                RequirementInterval.interval_start < last,
            )
        ):
            name, step = by_id[rid]
            value = scheduled if column == "scheduled_agents" else agents
            out[name][start, step] = int(value if value is not None else agents)
    if not out and plan is not None:
        step = dt.timedelta(minutes=plan.interval_minutes)
        for c in plan.coverage:
            if c.queue != "*" and first <= c.interval_start < last:
                out[c.queue][c.interval_start, step] = c.required
    return out


queue_needs = _queue_needs  # for the work blocks (wfm.rosters.blocks)


def skill_cover(roster: Roster, types: ShiftTypes, agents: list, cells=None) -> list[dict]:
    """Per queue with a requirement in the roster's days, counted by skill: agents at work on the phones who
    hold the queue's skill at its minimum proficiency against the queue's own requirement. Says whether the
    roster checks the queue by skill (its shifts go only to agents with the skill) or counts it only in the
    total, and flags a queue its skilled agents cannot staff at all. `cells`: the roster's cells already read
    (as `on_phones` takes them)."""
    needs = _queue_needs(roster)
    if not needs:
        return []
    queues = {q.name: q for q in roster.site.queues}
    phones = PhoneTime(roster.assignments if cells is None else cells, lambda a: off_phone(a, types))
    ids = [a.id for a in agents]
    skills = held_by_day(
        (s for agent in agents for s in agent.skills), roster.dates
    )  # loaded with the agents
    hours_of = {a.id: a.contracted_hours for a in agents}
    out = []
    for name in sorted(needs, key=lambda n: (queues[n].id if n in queues else 0, n)):
        queue = queues.get(name)
        if queue is None:
            continue

        holding = {
            day: {a for a in ids if skills[day].get(a, {}).get(queue.skill_id, 0) >= queue.min_proficiency}
            for day in roster.dates
        }
        holders = sorted(set().union(*holding.values()))
        open_, short, none, agent_hours, peak = 0, 0, dt.timedelta(), 0.0, 0
        for (moment, step), need in sorted(needs[name].items()):
            if need <= 0:
                continue
            open_ += 1
            peak = max(peak, need)
            agent_hours += need * step.total_seconds() / 3600
            skilled = len(phones.at(moment, step) & holding.get(moment.date(), set()))
            if skilled < need:
                short += 1
            if skilled == 0:
                none += step
        checked = any(
            (t.get("skill") == queue.skill.name and t.get("min_proficiency", 0) >= queue.min_proficiency)
            or name in t.get("group_queues", ())
            for t in types.values()
        )
        anyone = sorted(
            {t["template"] for t in types.values() if not t.get("skill") and not t.get("group_queues")}
        )
        if not checked:
            what = _("counted as total agents only")
        elif anyone:
            what = _(
                "partly checked by skill: %(templates)s shifts go to agents without it too",
                templates=", ".join(anyone),
            )
        else:
            what = _("checked by skill")
        can_work = sum(hours_of[a] for a in holders) * roster.days / 7
        warning = None
        if not holders:
            warning = _(
                "Nobody rostered holds %(skill)s at level %(level)s: nobody can answer it.",
                skill=queue.skill.name,
                level=queue.min_proficiency,
            )
        elif len(holders) < peak:
            warning = ngettext(
                "Only %(who)s holds %(skill)s at level %(level)s, and it needs %(peak)s at once: "
                "its skilled agents cannot staff it.",
                "Only %(who)s hold %(skill)s at level %(level)s, and it needs %(peak)s at once: "
                "its skilled agents cannot staff it.",
                len(holders),
                who=counted(len(holders), "agent"),
                skill=queue.skill.name,
                level=queue.min_proficiency,
                peak=peak,
            )
        elif can_work < agent_hours:
            warning = ngettext(
                "Its %(holders)s is contracted for %(hours)s in these days and it needs %(needed)s: "
                "they cannot staff it.",
                "Its %(holders)s are contracted for %(hours)s in these days and it needs %(needed)s: "
                "they cannot staff it.",
                len(holders),
                holders=counted(len(holders), "skilled agent"),
                hours=counted(can_work, "hour", digits=0),
                needed=counted(agent_hours, "agent-hour", digits=0),
            )
        out.append(
            {
                "queue": name,
                "skill": queue.skill.name,
                "min_proficiency": queue.min_proficiency,
                "holders": len(holders),
                "open": open_,
                "short": short,
                "short_share": short / open_ if open_ else 0.0,
                "none_hours": none.total_seconds() / 3600,
                "peak": peak,
                "checked": what,
                "warning": warning,
            }
        )
    return out
