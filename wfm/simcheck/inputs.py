"""The database read into the check's plain values (`scenario`): the grid, each queue's demand (its
forecast, or the actual history of the days) and target, and the shifts of a plan or a roster.

Demand is the requirement's: the forecast volumes and handle times the requirement was calculated from,
its promised service level per interval, and the targets it kept (patience only where it used Erlang A,
as the requirement's model did; otherwise callers wait). The actual history, where the days have one,
replaces the volumes and handle times: the counts offered per interval become the expected counts of the
simulation's arrivals (so the simulated days vary around them, as Poisson arrivals do).

Who answers what: a planned shift answers the queues its plan row names (all the plan's queues when it
names none); a rostered agent answers the checked queues whose skill they hold that day at the queue's
minimum proficiency, among those the shift's template serves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from scheduling.text import Sentence
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.forecasting.service_level import skills_by_day
from wfm.formatting import pct
from wfm.models import Agent, HistoryInterval, Queue, Requirement, RequirementInterval, Roster, ShiftPlan
from wfm.rosters.coverage import off_phone
from wfm.rosters.shift_types import by_id
from wfm.shiftplans.plans import DEFAULT_COLUMN
from wfm.simcheck import notes as note_texts
from wfm.simcheck.scenario import Grid, QueueDemand, Record, Shift, patience_note, pooling_note, spread

DEMANDS = {"forecast": Sentence("the forecast"), "actual": Sentence("the actual history")}
DEFERRED_NOTE = Sentence(note_texts.DEFERRED)


class CheckProblem(FieldError):
    """A check that cannot be made from what was asked; the words say why."""


@dataclass(frozen=True)
class Cell:
    """One agent's shift on one day, from the working cells or from a published version."""

    agent_id: int
    day: dt.date
    shift: str
    start: dt.datetime
    end: dt.datetime
    away: tuple[tuple[int, int], ...]  # minutes from the start, off the phones


def cells_of(roster: Roster, version: int | None) -> list[Cell]:
    """The roster's working cells (`version` None), or the rows of that published version."""
    types = by_id(roster.shift_types or [])
    if version is None:
        return [
            Cell(a.agent_id, a.day, a.shift, a.start, a.end, tuple(off_phone(a, types)))
            for a in roster.assignments
        ]
    published = next((v for v in roster.versions if v.number == version), None)
    if published is None:
        raise CheckProblem(
            "version", Sentence("the roster has no published version %(version)s", version=version)
        )
    return [
        Cell(
            int(r["agent_id"]),
            dt.date.fromisoformat(r["day"]),
            r["shift"],
            dt.datetime.fromisoformat(r["start"]),
            dt.datetime.fromisoformat(r["end"]),
            tuple(off_phone(r, types)),
        )
        for r in published.assignments
    ]


@dataclass
class CheckInput:
    grid: Grid
    queues: list[QueueDemand]
    shifts: list[Shift]
    notes: list[str]
    requirements: list[Requirement]
    shrinkage: dict[str, float] = field(
        default_factory=dict
    )  # per queue: agents a plan counts off the phones


def grid_of(plan: ShiftPlan, first: dt.date, days: int) -> Grid:
    return Grid(
        dt.datetime.combine(first, dt.time()), plan.interval_minutes, days * 1440 // plan.interval_minutes
    )


def requirements_of(plan: ShiftPlan | None) -> list[Requirement]:
    ids = list(((plan.settings or {}).get("requirements") or {}).values()) if plan else []
    if not ids:
        return []
    return list(
        db.session.scalars(select(Requirement).where(Requirement.id.in_(ids)).order_by(Requirement.queue_id))
    )


def has_history(site_id: int, grid: Grid) -> bool:
    """Whether the site holds actual history for any of the grid's intervals."""
    found = db.session.scalar(
        select(HistoryInterval.id)
        .join(Queue, Queue.id == HistoryInterval.queue_id)
        .where(
            Queue.site_id == site_id,
            HistoryInterval.interval_start >= grid.start,
            HistoryInterval.interval_start < grid.end,
        )
        .limit(1)
    )
    return found is not None


def _rows_near(grid: Grid, owner, start, *columns) -> list:
    """`start` and `columns` of the rows of `owner` starting in the grid or the day before it (a record that
    starts the day before may reach into the grid)."""
    return db.session.execute(
        select(start, *columns).where(owner, start >= grid.start - dt.timedelta(days=1), start < grid.end)
    ).all()


def demand_of(requirement: Requirement, grid: Grid, demand: str) -> QueueDemand:
    queue, targets = requirement.queue, requirement.targets or {}
    default = float(targets.get("aht_seconds_default") or queue.aht_seconds)
    rows = _rows_near(
        grid,
        RequirementInterval.requirement_id == requirement.id,
        RequirementInterval.interval_start,
        RequirementInterval.forecast,
        RequirementInterval.aht_seconds,
        RequirementInterval.service_level,
    )
    minutes = requirement.forecast.interval_minutes
    records = [Record(t, minutes, float(v), a, sl) for t, v, a, sl in rows]
    volume, handle, promised = spread(grid, records, default)
    if demand == "actual":
        history = _rows_near(
            grid,
            HistoryInterval.queue_id == queue.id,
            HistoryInterval.interval_start,
            HistoryInterval.interval_minutes,
            HistoryInterval.offered,
            HistoryInterval.aht_seconds,
        )
        actual = [Record(t, m, float(v), a) for t, m, v, a in history]
        volume, actual_handle, _ = spread(grid, actual, default)
        handle = [
            h if v > 0 else handle[k] for k, (h, v) in enumerate(zip(actual_handle, volume, strict=True))
        ]
    erlang_a = targets.get("model") == "erlang-a"
    return QueueDemand(
        name=queue.name,
        channel=str(queue.channel),
        arrivals=volume,
        handle_seconds=handle,
        answer_seconds=targets.get("answer_seconds") or queue.answer_seconds,
        target=targets.get("service_level", queue.service_level),
        patience_seconds=targets.get("patience_seconds") if erlang_a else None,
        concurrency=int(targets.get("concurrency") or 1),
        promised=promised,
    )


def _queues(requirements: list[Requirement], grid: Grid, demand: str) -> tuple[list[QueueDemand], list[str]]:
    notes = []
    live = [r for r in requirements if not r.queue.channel.is_deferred]
    if len(live) < len(requirements):
        notes.append(DEFERRED_NOTE)
    if not live:
        raise CheckProblem(
            "plan_id", Sentence("its plan was not built from a forecast of a live queue: nothing to simulate")
        )
    queues = [demand_of(r, grid, demand) for r in live]
    waiting = patience_note(queues)
    if waiting:
        notes.append(waiting)
    if not any(sum(q.arrivals) > 0 for q in queues):
        raise CheckProblem(
            "start",
            Sentence("the actual history holds no contacts for these days")
            if demand == "actual"
            else Sentence("the forecast has no contacts for these days"),
        )
    if demand == "actual":
        notes.append(Sentence(note_texts.ACTUAL))
    return queues, notes


def _span(first: dt.date, days: int, own_first: dt.date, own_days: int) -> tuple[dt.date, int]:
    first = first or own_first
    days = days or own_days
    last = own_first + dt.timedelta(days=own_days - 1)
    if first < own_first or first > last:
        raise CheckProblem(
            "start", Sentence("choose a day from %(first)s to %(last)s", first=own_first, last=last)
        )
    return first, min(days, (last - first).days + 1)


def plan_input(
    plan: ShiftPlan, demand: str, first: dt.date | None = None, days: int | None = None
) -> CheckInput:
    first, days = _span(first, days, plan.start_date, plan.days)
    grid = grid_of(plan, first, days)
    requirements = requirements_of(plan)
    queues, notes = _queues(requirements, grid, demand)
    names = [q.name for q in queues]
    shifts = []
    for row in plan.shifts:
        if row.end <= grid.start or row.start >= grid.end:
            continue
        away = tuple(
            (dt.datetime.fromisoformat(b["start"]), dt.datetime.fromisoformat(b["end"]))
            for b in row.breaks or []
        )
        serves = tuple(n for n in names if not row.queues or n in row.queues)
        label = f"{row.template} {row.start:%a %H:%M}"
        shifts += [Shift(f"{label} #{k + 1}", row.start, row.end, away, serves) for k in range(row.agents)]
    pooled = pooling_note(queues, shifts)
    if pooled:
        notes.append(pooled)
    shrinkage = plan_shrinkage(plan, requirements, names)
    if shrinkage:
        notes.append(shrinkage_note(shrinkage))
    return CheckInput(grid, queues, shifts, notes, requirements, shrinkage)


def plan_shrinkage(plan: ShiftPlan, requirements: list[Requirement], names: list[str]) -> dict[str, float]:
    """Per checked queue, the share of planned agents off the phones that the plan counts but does not
    place: a plan covering agents to schedule covers ceil(agents / (1 - shrinkage)) with its breaks
    already taken off, so the requirement's shrinkage is what remains (absence, training, meetings). A plan
    covering agents on the phones counts none."""
    if (plan.settings or {}).get("column", DEFAULT_COLUMN) != "scheduled_agents":
        return {}
    rates = {r.queue.name: float((r.targets or {}).get("shrinkage") or 0.0) for r in requirements}
    return {name: rates[name] for name in names if rates.get(name, 0.0) > 0}


def shrinkage_note(shrinkage: dict[str, float]) -> str:
    share = note_texts.SHARE
    shares = ", ".join(share % {"share": pct(rate), "queue": name} for name, rate in shrinkage.items())
    return Sentence(note_texts.SHRINKAGE, shares=shares)


def roster_input(
    roster: Roster,
    demand: str,
    first: dt.date | None = None,
    days: int | None = None,
    version: int | None = None,
) -> CheckInput:
    if roster.plan is None:
        raise CheckProblem(
            "roster_id", Sentence("its shift plan was deleted, so there is no forecast to check it against")
        )
    first, days = _span(first, days, roster.start_date, roster.days)
    grid = grid_of(roster.plan, first, days)
    requirements = requirements_of(roster.plan)
    queues, notes = _queues(requirements, grid, demand)
    by_name = {r.queue.name: r.queue for r in requirements}
    template_queues: dict[str, set[str]] = defaultdict(set)
    for row in roster.plan.shifts:
        template_queues[row.template] |= set(row.queues or by_name)
    types = by_id(roster.shift_types or [])
    cells = [a for a in cells_of(roster, version) if a.end > grid.start and a.start < grid.end]
    days_of = sorted({a.day for a in cells})
    skills = skills_by_day([a.agent_id for a in cells], days_of) if cells else {}
    names = {a.id: a.name for a in db.session.scalars(select(Agent).where(Agent.site_id == roster.site_id))}
    shifts = []
    for a in cells:
        template = types.get(a.shift, {}).get("template")
        allowed = template_queues.get(template) or set(by_name)
        held = skills.get(a.day, {}).get(a.agent_id, {})
        serves = tuple(
            q.name
            for q in queues
            if q.name in allowed and held.get(by_name[q.name].skill_id, 0) >= by_name[q.name].min_proficiency
        )
        away = tuple(
            (a.start + dt.timedelta(minutes=s), a.start + dt.timedelta(minutes=e)) for s, e in a.away
        )
        shifts.append(Shift(names.get(a.agent_id, f"agent {a.agent_id}"), a.start, a.end, away, serves))
    idle = sum(1 for s in shifts if not s.serves)
    if idle:
        notes.append(Sentence(note_texts.IDLE_ONE) if idle == 1 else Sentence(note_texts.IDLE, count=idle))
    return CheckInput(grid, queues, shifts, notes, requirements)
