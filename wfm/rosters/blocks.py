"""Work blocks on a roster: which queue each rostered agent works in each part of their shift.

From the database to `scheduling.roster.blocks` and back, one day at a time on a quarter-hour grid. An
agent may work a queue when they hold its skill at the queue's minimum proficiency that day (their skill
rows, with effective dates) and their shift's template serves it (a template naming no queues serves all).
Breaks, activities (meetings, coaching, offline work) and enrolled training are not moved: they cut the
shift into on-phone stretches and blocks lie inside them. The need per queue is the requirement the plan
was built from (`coverage.queue_needs`), less what blocks of other days' shifts (a night shift running past
midnight) already cover.

A cell stores its blocks as [minutes from the shift start, minutes to their end, queue id, queue name]
(`WorkBlock`); None: not assigned yet; []: the agent may work none of the queues. A stretch shorter than a
quarter hour (between two breaks) is one block too, on the first queue the agent may work, so every
on-phone minute is on a queue.

Blocks are part of the working roster like shifts: agents see them only once published, and publishing
tells every agent whose blocks changed (`telling.comparable` compares them). So re-assigning the blocks of
a published roster is a deliberate step (the scheduler's "Assign work blocks"), and edits (a changed cell,
an activity placed or removed) give blocks only to the cells that lost theirs, leaving the others as
published.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scheduling.roster.blocks import AgentDay, BlockProblem, assign_blocks
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.formatting import counted
from wfm.jobs import JobContext, job_function
from wfm.models import Agent, Queue, Roster, ShiftTemplate
from wfm.models.careers import Enrolment, TrainingSession
from wfm.rosters import coverage
from wfm.rosters.problem import rules_in_force

SLOT_MINUTES = 15
DAY_TIME_LIMIT = 10.0  # seconds per day's solve
# Shortfall weights: a caller or chatter waiting is worse than a work item waiting inside its deadline.
LIVE_WEIGHT = 2.0
DEFERRED_WEIGHT = 1.0


class BlocksProblemError(FieldError):
    """Blocks cannot be assigned as asked (no roster cells, a roster changed meanwhile)."""


@dataclass(frozen=True)
class WorkBlock:
    start: int  # minutes from the shift's start
    end: int
    queue_id: int
    queue: str

    @classmethod
    def decode(cls, stored: list | tuple) -> WorkBlock:
        return cls(int(stored[0]), int(stored[1]), int(stored[2]), str(stored[3]))

    def encode(self) -> list:
        return [self.start, self.end, self.queue_id, self.queue]

    def at(self, shift_start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        return shift_start + dt.timedelta(minutes=self.start), shift_start + dt.timedelta(minutes=self.end)


def blocks_of(cell) -> list[WorkBlock]:
    """The work blocks of an assignment or of a published row (a dict)."""
    stored = cell.get("blocks") if isinstance(cell, dict) else cell.blocks
    return [WorkBlock.decode(b) for b in stored or []]


def labels(cell) -> list[str]:
    """A cell's blocks as "Retail voice 09:00–11:00"."""
    start = cell["start"] if isinstance(cell, dict) else cell.start
    start = dt.datetime.fromisoformat(start) if isinstance(start, str) else start
    return [f"{b.queue} {b.at(start)[0]:%H:%M}–{b.at(start)[1]:%H:%M}" for b in blocks_of(cell)]


@dataclass
class Assigned:
    days: int = 0
    cells: int = 0
    blocks: int = 0
    shortfall: float = 0.0  # weighted queue-slots short, as the engine counts them
    statuses: Counter = field(default_factory=Counter)
    without_queue: list[tuple[int, dt.date]] = field(default_factory=list)  # cells whose agent may work none


def allowed_queues(agent: Agent, day: dt.date, queues: list[Queue], served: list[int]) -> list[Queue]:
    """The active queues the agent may work that day: their skill at the queue's minimum proficiency, and
    served by the shift's template (`served` empty: all)."""
    held = {s.skill_id: s.proficiency for s in agent.skills_on(day)}
    return [
        q
        for q in queues
        if q.active and held.get(q.skill_id, 0) >= q.min_proficiency and (not served or q.id in served)
    ]


def _training(
    agent_ids: list[int], first: dt.date, last: dt.date
) -> dict[int, list[tuple[dt.datetime, ...]]]:
    """Agent id -> (start, end) of the training sessions they are enrolled in from `first` to the day after
    `last` (a night shift meets the next morning's sessions)."""
    out: dict[int, list] = defaultdict(list)
    if not agent_ids:
        return out
    for agent_id, day, start, end in db.session.execute(
        select(
            Enrolment.agent_id, TrainingSession.day, TrainingSession.start_minute, TrainingSession.end_minute
        )
        .join(TrainingSession, Enrolment.session_id == TrainingSession.id)
        .where(
            Enrolment.agent_id.in_(agent_ids),
            TrainingSession.day >= first,
            TrainingSession.day <= last + dt.timedelta(days=1),
        )
    ):
        midnight = dt.datetime.combine(day, dt.time())
        out[agent_id].append((midnight + dt.timedelta(minutes=start), midnight + dt.timedelta(minutes=end)))
    return out


def on_phone_spans(cell, types: dict, training: list) -> list[tuple[dt.datetime, dt.datetime]]:
    """The cell's on-phone stretches: the shift less its breaks, activities and training, in time order."""
    away = sorted(
        [
            (cell.start + dt.timedelta(minutes=a), cell.start + dt.timedelta(minutes=b))
            for a, b in coverage.off_phone(cell, types)
        ]
        + [(s, e) for s, e in training if s < cell.end and cell.start < e]
    )
    spans, at = [], cell.start
    for start, end in away:
        if start > at:
            spans.append((at, min(start, cell.end)))
        at = max(at, end)
    if at < cell.end:
        spans.append((at, cell.end))
    return [(s, e) for s, e in spans if s < e]


def queue_needs(roster: Roster) -> dict[int, dict[dt.datetime, float]]:
    """Queue id -> quarter-hour slot start -> agents its requirement asks for then (a coarser requirement
    interval gives each of its quarter hours its figure)."""
    by_name = {q.name: q.id for q in roster.site.queues}
    step = dt.timedelta(minutes=SLOT_MINUTES)
    out: dict[int, dict[dt.datetime, float]] = defaultdict(dict)
    for name, rows in coverage.queue_needs(roster).items():
        if name not in by_name:
            continue
        for (start, width), agents in rows.items():
            moment = start
            while moment < start + width:
                out[by_name[name]][moment] = float(agents)
                moment += step
    return out


def _floor(moment: dt.datetime, step: dt.timedelta) -> dt.datetime:
    midnight = dt.datetime.combine(moment.date(), dt.time())
    return midnight + (moment - midnight) // step * step


def _ceil(moment: dt.datetime, step: dt.timedelta) -> dt.datetime:
    floor = _floor(moment, step)
    return floor if floor == moment else floor + step


def _cover_of(cell) -> Counter:
    """(queue id, quarter-hour slot start) -> 1 for each slot a block of the cell fills entirely."""
    step = dt.timedelta(minutes=SLOT_MINUTES)
    out: Counter = Counter()
    for b in blocks_of(cell):
        start, end = b.at(cell.start)
        moment = _ceil(start, step)
        while moment + step <= end:
            out[b.queue_id, moment] += 1
            moment += step
    return out


@dataclass
class _Context:
    """What every day's solve of one roster reads."""

    types: dict
    queues: list[Queue]
    served: dict[str, list[int]]
    agents: dict[int, Agent]
    training: dict[int, list]
    needs: dict[int, dict[dt.datetime, float]]
    weights: dict[str, float]
    min_slots: int
    covered: Counter  # (queue id, slot start) -> agents on it, from the blocks of cells not being solved


def _context(roster: Roster, cells: list) -> _Context:
    queues = sorted(roster.site.queues, key=lambda q: q.id)
    served = {
        t.name: list(t.queue_ids or [])
        for t in db.session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == roster.site_id))
    }
    agents = {
        a.id: a
        for a in db.session.scalars(
            select(Agent)
            .where(Agent.id.in_({c.agent_id for c in cells}))
            .options(selectinload(Agent.skills))  # one query, not one per agent
        )
    }
    covered: Counter = Counter()
    for c in cells:
        covered.update(_cover_of(c))
    return _Context(
        types={t["id"]: t for t in roster.shift_types},
        queues=queues,
        served=served,
        agents=agents,
        training=_training(list(agents), roster.start_date, roster.end_date),
        needs=queue_needs(roster),
        weights={str(q.id): DEFERRED_WEIGHT if q.channel.is_deferred else LIVE_WEIGHT for q in queues},
        min_slots=max(1, -(-rules_in_force(roster.site).min_block_minutes // SLOT_MINUTES)),
        covered=covered,
    )


def assign(
    roster: Roster,
    days: set[dt.date] | None = None,
    missing_only: bool = False,
    time_limit: float = DAY_TIME_LIMIT,
    progress=None,
) -> Assigned:
    """Assign the blocks of the roster's cells on `days` (all its days when None), day by day; with
    `missing_only`, only cells without blocks get new ones and the others count as they are."""
    cells = list(roster.assignments)
    context = _context(roster, cells)
    wanted = sorted(days if days is not None else set(roster.dates))
    out = Assigned()
    for n, day in enumerate(wanted):
        if progress:
            progress(n / max(1, len(wanted)), f"Work blocks for {day:%a %d %b}")
        todo = [c for c in cells if c.day == day and not (missing_only and c.blocks is not None)]
        if todo:
            _assign_day(context, day, todo, time_limit, out)
    return out


def _stretches(spans: list, origin: dt.datetime) -> tuple[list[tuple[int, int]], list]:
    """On-phone spans as slot ranges of the day's grid, and the spans shorter than any whole slot."""
    step = dt.timedelta(minutes=SLOT_MINUTES)
    stretches, tiny = [], []
    for s, e in spans:
        first, last = (_ceil(s, step) - origin) // step, (_floor(e, step) - origin) // step
        if first < last:
            stretches.append((first, last))
        else:
            tiny.append((s, e))
    return stretches, tiny


def _assign_day(context: _Context, day: dt.date, todo: list, time_limit: float, out: Assigned) -> None:
    step = dt.timedelta(minutes=SLOT_MINUTES)
    for c in todo:
        context.covered.subtract(_cover_of(c))
    origin = dt.datetime.combine(day, dt.time())
    slots = 2 * 24 * 60 // SLOT_MINUTES  # a night shift's blocks run into the next day
    people, spans_of, tiny_of = [], {}, {}
    for c in todo:
        template = context.types.get(c.shift, {}).get("template", c.shift)
        allowed = allowed_queues(
            context.agents[c.agent_id], day, context.queues, context.served.get(template, [])
        )
        spans_of[c.agent_id] = on_phone_spans(c, context.types, context.training.get(c.agent_id, []))
        stretches, tiny_of[c.agent_id] = _stretches(spans_of[c.agent_id], origin)
        if not allowed:
            out.without_queue.append((c.agent_id, day))
        people.append(AgentDay(str(c.agent_id), tuple(stretches), tuple(str(q.id) for q in allowed)))
    need = {
        str(q): [
            max(0.0, row.get(origin + t * step, 0.0) - context.covered[q, origin + t * step])
            for t in range(slots)
        ]
        for q, row in context.needs.items()
    }
    problem = BlockProblem(slots, tuple(people), need, context.min_slots, context.weights)
    result = assign_blocks(problem, time_limit=time_limit)
    out.days += 1
    out.shortfall += result.shortfall
    out.statuses[result.status] += 1
    mine: dict[str, list] = defaultdict(list)
    for b in result.blocks:
        mine[b.agent].append(b)
    by_id = {q.id: q for q in context.queues}
    for person, c in zip(people, todo, strict=True):
        stored = []
        for b in mine[person.id]:
            start, end = origin + b.start * step, origin + b.end * step
            for s, e in spans_of[c.agent_id]:  # a block at a stretch's edge reaches its true edge
                if _ceil(s, step) == start:
                    start = min(start, s)
                if _floor(e, step) == end:
                    end = max(end, e)
            q = by_id[int(b.queue)]
            stored.append(WorkBlock(_minutes(start - c.start), _minutes(end - c.start), q.id, q.name))
        if person.queues:
            first = by_id[int(person.queues[0])]
            stored += [
                WorkBlock(_minutes(s - c.start), _minutes(e - c.start), first.id, first.name)
                for s, e in tiny_of[c.agent_id]
            ]
        c.blocks = [b.encode() for b in sorted(stored, key=lambda b: b.start)]
        context.covered.update(_cover_of(c))
        out.cells += 1
        out.blocks += len(stored)


def uses_blocks(roster: Roster) -> bool:
    """Has the roster work blocks (some cell holds them)? Rosters made before blocks existed get none
    from an edit; the scheduler assigns them on purpose."""
    return any(c.blocks is not None for c in roster.assignments)


def fill_missing(roster: Roster, days: set[dt.date], had_blocks: bool | None = None) -> None:
    """After an edit: the cells of `days` without blocks get them, around the others as they are, when the
    roster has blocks (`had_blocks`: whether it had them before the edit, when the edit cleared some)."""
    if days and (uses_blocks(roster) if had_blocks is None else had_blocks):
        assign(roster, days, missing_only=True)


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def summary(result: Assigned) -> str:
    text = _(
        "Work blocks assigned: %(blocks)s in %(shifts)s over %(days)s.",
        blocks=counted(result.blocks, "block"),
        shifts=counted(result.cells, "shift"),
        days=counted(result.days, "day"),
    )
    if result.without_queue:
        text = _(
            "%(summary)s %(shifts)s went to agents who may work none of the queues.",
            summary=text,
            shifts=counted(len(result.without_queue), "shift"),
        )
    return text


@job_function("roster-blocks")
def assign_job(ctx: JobContext, roster_id: int, seen_version: int) -> dict:
    """The scheduler's "Assign work blocks": every cell of the roster gets its blocks anew (a draft change
    until published, when the agents whose blocks change are told)."""
    roster = db.session.get(Roster, roster_id)
    if roster is None:
        raise BlocksProblemError("roster", "the roster no longer exists")
    if roster.lock_version != seen_version:
        raise BlocksProblemError("roster", "the roster changed after you asked; look at it again and retry")
    if not roster.assignments:
        raise BlocksProblemError("roster", "the roster has no shifts to put work blocks in")
    result = assign(roster, progress=lambda share, what: ctx.progress(0.05 + 0.9 * share, what))
    from wfm.clock import utcnow
    from wfm.models import RosterChange

    roster.updated_at = utcnow()
    db.session.flush()
    message = summary(result)
    db.session.add(
        RosterChange(
            roster_id=roster.id,
            lock_version=roster.lock_version,
            kind="blocks",
            note=(
                _("%(summary)s Not published yet.", summary=message) if roster.published_version else message
            )[:300],
            user_id=ctx.user_id,
        )
    )
    return {"roster_id": roster.id, "url": f"/rosters/{roster.id}", "message": message}
