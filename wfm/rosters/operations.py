"""Roster state changes: generate (a job), edit a cell (checked against the hard rules, refused when
someone else saved first), re-optimise a scope around pinned and frozen cells (a job, a draft), publish a
new version (one published truth per site and day; the agents whose days change are told)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import inspect, select

from scheduling import activities as placing
from scheduling.roster import solve_roster
from scheduling.roster.evaluate import evaluate, staff_violations
from scheduling.roster.keep import keep_previous
from scheduling.text import Sentence
from wfm import sources
from wfm.clock import utcnow
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.formatting import counted
from wfm.i18n import translate
from wfm.i18n.dates import written
from wfm.jobs import JobContext, job_function
from wfm.models import Roster, RosterAssignment, RosterChange, RosterVersion, ShiftPlan, Site
from wfm.rosters import blocks, coverage, labels, offphone, scope, telling, truth
from wfm.rosters.problem import RosterInput, breaks_of, build_input, rules_for
from wfm.rosters.shift_types import ShiftTypes

# Re-optimising: each cell changed against the published roster costs this, above the small gains (a wish
# 20, a weekend or night off balance 5, an hour off balance 1, an extra agent 10), below a planned shift
# nobody works (100): a change is worth making when it repairs a shortage.
STABILITY_WEIGHT = 50
ACTIVITY_KINDS = ("meeting", "coaching", "offline work")
ACTIVITY_STEP = 15  # activities start on the quarter hour


class RosterProblemError(FieldError):
    """A roster change the planner can fix (a cell, an activity, a day outside the roster)."""


class StaleRoster(Exception):
    """Someone saved the roster after the version the user was editing."""

    def __init__(self, roster: Roster, changes: list[RosterChange]):
        super().__init__("the roster was changed by someone else")
        self.roster = roster
        self.changes = changes


def _cells(roster: Roster, rows=None) -> dict[tuple[int, int], str]:
    return {
        (a.agent_id, (a.day - roster.start_date).days): a.shift
        for a in (roster.assignments if rows is None else rows)
    }


def cell_rows(roster: Roster) -> list:
    """The roster's cells for reading: its assignments when the session holds them already (perhaps
    changed), else plain rows with the same attributes (agent_id, day, shift, start, end, pinned, breaks,
    activities, blocks). The grid reads thousands (200 agents x 4 weeks): made as ORM objects they were a
    third of its time."""
    if "assignments" not in inspect(roster).unloaded:
        return list(roster.assignments)
    return db.session.execute(
        select(
            RosterAssignment.agent_id,
            RosterAssignment.day,
            RosterAssignment.shift,
            RosterAssignment.start,
            RosterAssignment.end,
            RosterAssignment.pinned,
            RosterAssignment.breaks,
            RosterAssignment.activities,
            RosterAssignment.blocks,
        ).where(RosterAssignment.roster_id == roster.id)
    ).all()


def _apply(roster: Roster, data: RosterInput, result_roster: dict, keep_pinned: set[tuple[int, int]]) -> None:
    """Replace the roster's cells with the engine's (pinned cells are kept as they are)."""
    for old in [
        a for a in roster.assignments if (a.agent_id, (a.day - roster.start_date).days) not in keep_pinned
    ]:
        roster.assignments.remove(old)
    db.session.flush()  # the old cells go before new ones take their (agent, day)
    taken = {}  # (day, shift) -> break placements handed out, in the plan's staggered order
    for a in roster.assignments:
        key = ((a.day - roster.start_date).days, a.shift)
        taken[key] = taken.get(key, 0) + 1
    for agent in data.agents:
        for d, shift in enumerate(result_roster.get(str(agent.id), ())):
            if shift is None or (agent.id, d) in keep_pinned:
                continue
            slots = data.break_slots.get((d, shift), [])
            index = taken.get((d, shift), 0)
            taken[(d, shift)] = index + 1
            breaks = slots[index] if index < len(slots) else None
            roster.assignments.append(_assignment(data, agent.id, d, shift, breaks=breaks))


def _assignment(
    data: RosterInput, agent_id: int, d: int, shift: str, pinned: bool = False, breaks: list | None = None
) -> RosterAssignment:
    kind = data.shift_type(shift)
    start = dt.datetime.combine(data.dates[d], dt.time()) + dt.timedelta(minutes=kind["start_minute"])
    return RosterAssignment(
        agent_id=agent_id,
        day=data.dates[d],
        shift=shift,
        start=start,
        end=start + dt.timedelta(minutes=kind["minutes"]),
        pinned=pinned,
        breaks=breaks,
    )


def _record(roster: Roster, result, data: RosterInput) -> None:
    roster.solver_status, roster.objective, roster.bound = result.status, result.objective, result.bound
    roster.seconds = result.seconds
    roster.broken = [
        {
            "rule": b.rule,
            "agent_id": int(b.employee),
            "days": [data.dates[d].isoformat() for d in b.days],
            "amount": b.amount,
        }
        for b in result.broken
    ]
    roster.soft = dict(result.evaluation.parts) if result.evaluation else {}
    roster.shift_types = data.shift_types
    roster.updated_at = utcnow()


@job_function("roster")
def generate(
    ctx: JobContext, site_id: int, plan_id: int, start: str, days: int, name: str, time_limit: float = 60.0
) -> dict:
    site, plan = db.session.get(Site, site_id), db.session.get(ShiftPlan, plan_id)
    if site is None or plan is None:
        raise RosterProblemError("plan_id", "the site or the shift plan no longer exists")
    first = dt.date.fromisoformat(start)
    ctx.progress(0.05, "Reading agents, rules and the shift plan")
    rules_for(site)  # a generated roster stores the rules it was made under (pages only read them)
    data = build_input(site, plan, first, days)
    if not data.problem.cover:
        raise RosterProblemError("plan_id", "the shift plan starts no shift in that period")
    what = f"Rostering {counted(len(data.agents), 'agent')} over {counted(days, 'day')}"
    with ctx.timed(0.1, 0.95, time_limit, what):
        result = solve_roster(data.problem, time_limit=time_limit, should_stop=ctx.should_stop)
    ctx.progress(0.95, "Saving the roster")
    roster = Roster(
        site_id=site.id, plan_id=plan.id, name=name, start_date=first, days=days, created_by_id=ctx.user_id
    )
    roster.site, roster.plan = site, plan
    sources.stamp(roster)  # what it is built from, read before it is added
    db.session.add(roster)
    if result.roster is not None:
        _apply(roster, data, result.roster, set())
    _record(roster, result, data)
    db.session.flush()
    if roster.assignments:  # which queue each agent works when: a step of every roster solve
        blocks.assign(roster, progress=lambda share, what: ctx.progress(0.95 + 0.04 * share, what))
        db.session.flush()
    db.session.add(
        RosterChange(
            roster_id=roster.id,
            lock_version=roster.lock_version,
            kind="generate",
            note=_(
                "%(status)s, objective %(objective)s",
                status=labels.solver_status(result.status),
                objective=result.objective,
            ),
            user_id=ctx.user_id,
        )
    )
    return {
        "roster_id": roster.id,
        "url": f"/rosters/{roster.id}",
        "message": f"{result.status}: {counted(len(roster.assignments), 'shift')} assigned, "
        f"{counted(len(result.broken), 'hard rule')} could not hold",
    }


def input_for(roster: Roster) -> RosterInput:
    return build_input(roster.site, roster.plan, roster.start_date, roster.days)


def check_cell(roster: Roster, agent_id: int, day: dt.date, shift: str | None) -> list[str]:
    """The hard rules the change would break for that agent (empty: the change is allowed)."""
    data = input_for(roster)
    if shift is not None and shift not in {t["id"] for t in data.shift_types}:
        return [_("%(shift)s is not a shift of this roster's plan", shift=repr(shift))]
    person = next((s for s in data.problem.staff if s.id == str(agent_id)), None)
    if person is None:
        return [_("that agent is not employed at the site in this period")]
    cells = _cells(roster)
    index = (day - roster.start_date).days
    row = tuple(shift if d == index else cells.get((agent_id, d)) for d in range(roster.days))
    problems = []
    for violation in staff_violations(data.problem, person, row):
        days = ", ".join(written(data.dates[d], "day") for d in violation.days if 0 <= d < roster.days)
        problems.append(
            f"{labels.rule(violation.rule)}: {translate(violation.detail)}" + (f" ({days})" if days else "")
        )
    return problems


def edit_cell(
    roster: Roster, agent_id: int, day: dt.date, shift: str | None, seen_version: int, user_id: int | None
) -> RosterChange:
    """Set one cell (a shift or a day off) and pin it; refused if the roster moved on since `seen_version`."""
    if roster.lock_version != seen_version:
        raise StaleRoster(roster, changes_since(roster, seen_version))
    if not roster.start_date <= day <= roster.end_date:
        raise RosterProblemError("day", _("the day is outside the roster's period"))
    problems = check_cell(roster, agent_id, day, shift)
    if problems:
        raise RosterProblemError("shift", "; ".join(problems))
    had_blocks = blocks.uses_blocks(roster)
    before, dropped = set_cell(roster, agent_id, day, shift)
    blocks.fill_missing(roster, {day}, had_blocks)
    roster.updated_at = utcnow()
    db.session.flush()  # bumps lock_version; a concurrent save raises StaleDataError here
    change = RosterChange(
        roster_id=roster.id,
        lock_version=roster.lock_version,
        agent_id=agent_id,
        day=day,
        before=before,
        after=shift,
        kind="edit",
        note=dropped_note(dropped),
        user_id=user_id,
    )
    db.session.add(change)
    db.session.flush()
    return change


def set_cell(
    roster: Roster, agent_id: int, day: dt.date, shift: str | None, data: RosterInput | None = None
) -> tuple[str | None, list[str]]:
    """Put `shift` (None: a day off) in the agent's cell, pinned; the cell's activities that still fit the
    new shift stay. Returns the shift before and the activities dropped. No rule is checked here."""
    current = next((a for a in roster.assignments if a.agent_id == agent_id and a.day == day), None)
    before = current.shift if current else None
    if current is not None:
        roster.assignments.remove(current)
        db.session.flush()  # the old cell goes before a new one takes its (agent, day)
    dropped: list[str] = []
    if shift is not None:
        new = _assignment(
            data or input_for(roster), agent_id, (day - roster.start_date).days, shift, pinned=True
        )
        kept, dropped = _still_fitting(current, new, {t["id"]: t for t in roster.shift_types})
        new.activities = kept or None
        roster.assignments.append(new)
    elif current is not None and current.activities:
        dropped = [a.name for a in offphone.activities(current.activities)]
    return before, dropped


def dropped_note(dropped: list[str]) -> str:
    return _("dropped: %(names)s (not inside the new shift)", names=", ".join(dropped)) if dropped else ""


def _still_fitting(
    old: RosterAssignment | None, new: RosterAssignment, types: ShiftTypes
) -> tuple[list, list[str]]:
    """The old cell's activities that fit the new shift at the same clock times (kept, as offsets from the
    new start), and the kinds of those that do not (dropped)."""
    if old is None or not old.activities:
        return [], []
    kept, dropped = [], []
    breaks = [b.at(new.start) for b in offphone.breaks(breaks_of(new, types))]
    for activity in offphone.activities(old.activities):
        start, end = activity.at(old.start)
        inside = new.start <= start and end <= new.end
        if inside and not any(s < end and start < e for s, e in breaks):
            kept.append(activity.moved_to(int((start - new.start).total_seconds() // 60)).encode())
        else:
            dropped.append(activity.name)
    return kept, dropped


@dataclass
class ActivityOutcome:
    placed: list[tuple[int, dt.datetime, dt.datetime]]  # (agent id, start, end)
    missed: list[tuple[int, str]]  # (agent id, why)
    change: RosterChange


def _check_activity_request(
    roster: Roster, agent_ids: list[int], day: dt.date, kind: str, minutes: int, window: tuple[int, int]
) -> None:
    """Refuse an activity of an unknown kind, off the roster's days, too long or short, outside its
    window, or for nobody; the error names the field."""
    if kind not in ACTIVITY_KINDS:
        raise RosterProblemError(
            "kind",
            _(
                "kind must be one of %(kinds)s",
                kinds=", ".join(labels.activity_kind(k) for k in ACTIVITY_KINDS),
            ),
        )
    if not roster.start_date <= day <= roster.end_date:
        raise RosterProblemError("day", _("the day is outside the roster's period"))
    if not 0 < minutes <= 480:
        raise RosterProblemError("minutes", _("an activity lasts between 1 minute and 8 hours"))
    low, high = window
    if not 0 <= low < high <= 1440:
        raise RosterProblemError("window_from", _("the window must start before it ends, within the day"))
    if high - low < minutes:
        raise RosterProblemError(
            "window_to",
            _(
                "a %(minutes)s-minute activity does not fit a %(window)s-minute window",
                minutes=minutes,
                window=high - low,
            ),
        )
    if not agent_ids:
        raise RosterProblemError("agents", _("choose at least one agent or a team"))


def _free_starts(
    cell: RosterAssignment,
    types: ShiftTypes,
    midnight: dt.datetime,
    count: int,
    minutes: int,
    window: tuple[int, int],
) -> list[int]:
    """The slots (of ACTIVITY_STEP from midnight, the first `count`) where a `minutes`-long activity
    starts and ends inside the window and the shift, clear of the cell's breaks and other activities."""
    low, high = window
    step = dt.timedelta(minutes=ACTIVITY_STEP)
    away = [
        (cell.start + dt.timedelta(minutes=b[0]), cell.start + dt.timedelta(minutes=b[1]))
        for b in coverage.off_phone(cell, types)
    ]
    options = []
    for i in range(count):
        begin = midnight + i * step
        end = begin + dt.timedelta(minutes=minutes)
        if (
            low <= i * ACTIVITY_STEP
            and i * ACTIVITY_STEP + minutes <= high
            and cell.start <= begin
            and end <= cell.end
            and not any(s < end and begin < e for s, e in away)
        ):
            options.append(i)
    return options


def schedule_activity(
    roster: Roster,
    agent_ids: list[int],
    day: dt.date,
    kind: str,
    title: str,
    minutes: int,
    window: tuple[int, int],
    together: bool,
    seen_version: int,
    user_id: int | None,
) -> ActivityOutcome:
    """Put an off-phone activity into the shifts the agents work that day, where the phones can best spare
    them (`scheduling.activities.place`: one time for all when `together`, else one by one), inside
    `window` (minutes after midnight). The cells holding it are pinned; agents not working that day, or
    with no free stretch of the shift inside the window, are listed in `missed`."""
    if roster.lock_version != seen_version:
        raise StaleRoster(roster, changes_since(roster, seen_version))
    _check_activity_request(roster, agent_ids, day, kind, minutes, window)
    types = {t["id"]: t for t in roster.shift_types}
    step = dt.timedelta(minutes=ACTIVITY_STEP)
    midnight = dt.datetime.combine(day, dt.time())
    first, last = midnight, midnight + dt.timedelta(days=1)
    slots = int(dt.timedelta(days=1) / step)
    phones = coverage.on_phones(roster, types, first, last, step)
    need = coverage.required(roster, first, last, step)
    surplus = [phones.get(first + i * step, 0) - need.get(first + i * step, 0) for i in range(slots)]
    length = -(-minutes // ACTIVITY_STEP)
    cells = {a.agent_id: a for a in roster.assignments if a.day == day}
    starts: dict[int, list[int]] = {}
    missed: list[tuple[int, str]] = []
    for agent_id in agent_ids:
        cell = cells.get(agent_id)
        if cell is None:
            missed.append((agent_id, Sentence("not working that day")))
            continue
        options = _free_starts(cell, types, first, slots - length + 1, minutes, window)
        if options:
            starts[agent_id] = options
        else:
            missed.append((agent_id, Sentence("no free time in the window during the shift")))
    chosen = placing.place(surplus, starts, length, together)
    had_blocks = blocks.uses_blocks(roster)
    placed = []
    for agent_id, slot in chosen.items():
        if slot is None:
            missed.append((agent_id, Sentence("cannot make the time the others share")))
            continue
        cell = cells[agent_id]
        begin = first + slot * step
        offset = int((begin - cell.start).total_seconds() // 60)
        added = offphone.Activity(offset, offset + minutes, kind, title)
        cell.activities = [*(cell.activities or []), added.encode()]
        cell.pinned = True
        if cell.blocks:  # its blocks are assigned again around the activity
            cell.blocks = None
        placed.append((agent_id, begin, begin + dt.timedelta(minutes=minutes)))
    if not placed:
        raise RosterProblemError(
            "agents",
            _(
                "none of them can take it: %(reasons)s",
                reasons="; ".join(sorted({translate(m[1]) for m in missed})),
            ),
        )
    blocks.fill_missing(roster, {day}, had_blocks)
    roster.updated_at = utcnow()
    db.session.flush()
    times = sorted({(b, e) for _agent, b, e in placed})
    when = (
        f"{times[0][0]:%H:%M}–{times[0][1]:%H:%M}"
        if len(times) == 1
        else _("%(count)s times", count=len(times))
    )
    change = RosterChange(
        roster_id=roster.id,
        lock_version=roster.lock_version,
        day=day,
        kind="activity",
        note=_(
            "%(kind)s %(title)s %(when)s: %(placed)s, %(missed)s could not",
            kind=labels.activity_kind(kind),
            title=title,
            when=when,
            placed=counted(len(placed), "agent"),
            missed=len(missed),
        )[:300],
        user_id=user_id,
    )
    db.session.add(change)
    db.session.flush()
    return ActivityOutcome(sorted(placed, key=lambda p: (p[1], p[0])), missed, change)


def remove_activity(
    roster: Roster, agent_id: int, day: dt.date, index: int, seen_version: int, user_id: int | None
) -> RosterChange:
    """Take the `index`-th activity off the agent's cell that day (the cell stays pinned)."""
    if roster.lock_version != seen_version:
        raise StaleRoster(roster, changes_since(roster, seen_version))
    cell = next((a for a in roster.assignments if a.agent_id == agent_id and a.day == day), None)
    if cell is None or not 0 <= index < len(cell.activities or []):
        raise RosterProblemError("activity", _("that activity is no longer on the roster"))
    gone = offphone.Activity.decode(cell.activities[index])
    cell.activities = [a for i, a in enumerate(cell.activities) if i != index] or None
    if cell.blocks:  # the freed time goes on a queue too
        cell.blocks = None
        blocks.fill_missing(roster, {day}, had_blocks=True)
    roster.updated_at = utcnow()
    db.session.flush()
    change = RosterChange(
        roster_id=roster.id,
        lock_version=roster.lock_version,
        agent_id=agent_id,
        day=day,
        kind="activity",
        note=_("removed %(name)s", name=gone.name),
        user_id=user_id,
    )
    db.session.add(change)
    db.session.flush()
    return change


def changes_since(roster: Roster, version: int) -> list[RosterChange]:
    return db.session.scalars(
        select(RosterChange)
        .where(RosterChange.roster_id == roster.id, RosterChange.lock_version > version)
        .order_by(RosterChange.id)
    ).all()


@job_function("roster-reoptimise")
def reoptimise(
    ctx: JobContext,
    roster_id: int,
    seen_version: int,
    time_limit: float = 30.0,
    first: str | None = None,
    last: str | None = None,
    agent_ids: list[int] | None = None,
    teams: list[str] | None = None,
    freeze_days: int = scope.DEFAULT_FREEZE_DAYS,
    unfreeze: bool = False,
    today: str | None = None,
) -> dict:
    """Re-solve the cells in scope (`wfm.rosters.scope`: days, agents, teams, less the freeze window) around
    everything else, pinned, keeping to the published roster unless a change repairs a shortage or a
    hard-rule breach. The result is a draft: the roster page shows what differs from the published version
    until someone publishes it."""
    roster = db.session.get(Roster, roster_id)
    if roster.lock_version != seen_version:
        raise RosterProblemError(
            "roster", _("the roster changed after you asked to re-optimise; look again and retry")
        )
    ctx.progress(0.05, "Reading the roster, its pinned cells and what is published")
    data = input_for(roster)
    area = scope.scope_for(
        roster,
        data.agents,
        dt.date.fromisoformat(today) if today else dt.date.today(),
        dt.date.fromisoformat(first) if first else None,
        dt.date.fromisoformat(last) if last else None,
        agent_ids,
        teams,
        freeze_days,
        unfreeze,
    )
    if (agent_ids or teams) and not area.agent_ids:
        raise RosterProblemError("agents", _("no agent is in the teams chosen; nothing was changed"))
    cells = _cells(roster)
    published = (
        {
            (r["agent_id"], (dt.date.fromisoformat(r["day"]) - roster.start_date).days): r["shift"]
            for r in roster.versions[-1].assignments
        }
        if roster.versions
        else cells
    )
    pinned_cells = {(a.agent_id, (a.day - roster.start_date).days) for a in roster.assignments if a.pinned}
    keep: set[tuple[int, int]] = set()
    pins: dict[tuple[int, int], str | None] = {}
    staff = {p.id: p for p in data.problem.staff}
    for agent in data.agents:
        for d, day in enumerate(data.dates):
            key = (agent.id, d)
            if key in pinned_cells or not area.holds(agent.id, day):
                keep.add(key)
                shift = cells.get(key)
                person = staff.get(str(agent.id))
                if shift is None or (person is not None and data.problem.allowed(person, d, shift)):
                    pins[key] = shift
    free = len(data.agents) * roster.days - len(keep)
    if free == 0:
        return {
            "roster_id": roster.id,
            "url": f"/rosters/{roster.id}/changes",
            "message": "Nothing to re-optimise: every cell is pinned, frozen or outside the scope chosen.",
        }
    previous = {
        (agent.id, d): published.get((agent.id, d)) for agent in data.agents for d in range(roster.days)
    }
    data = build_input(
        roster.site,
        roster.plan,
        roster.start_date,
        roster.days,
        pinned=pins,
        previous=previous,
        change_weight=STABILITY_WEIGHT,
    )
    what = (
        f"Re-optimising {counted(free, 'cell')} ({area.describe(roster)}); "
        f"{counted(len(keep), 'cell')} stay as they are"
    )
    with ctx.timed(0.1, 0.9, time_limit, what):
        result = solve_roster(data.problem, time_limit=time_limit, should_stop=ctx.should_stop)
    if result.roster is None:
        raise RosterProblemError(
            "roster",
            _(
                "no roster found (%(status)s); nothing was changed",
                status=labels.solver_status(result.status),
            ),
        )
    ctx.progress(0.9, "Keeping every published cell whose change repairs nothing")
    rows = {str(a.id): tuple(previous[a.id, d] for d in range(roster.days)) for a in data.agents}
    kept = keep_previous(data.problem, result.roster, rows, worth=STABILITY_WEIGHT)
    had_blocks = blocks.uses_blocks(roster)
    moved = _apply_changes(roster, data, kept, keep)
    db.session.flush()
    blocks.fill_missing(roster, set(roster.dates), had_blocks)
    _record(roster, result, data)
    roster.objective = evaluate(data.problem, kept).objective
    if keep <= pinned_cells:  # the whole roster was re-solved against today's plan, agents and rules
        sources.stamp(roster)
    db.session.flush()
    db.session.add(
        RosterChange(
            roster_id=roster.id,
            lock_version=roster.lock_version,
            kind="reoptimise",
            note=_(
                "%(cells)s changed in %(area)s; not published yet",
                cells=counted(moved, "cell"),
                area=area.describe(roster),
            )[:300],
            user_id=ctx.user_id,
        )
    )
    return {
        "roster_id": roster.id,
        "url": f"/rosters/{roster.id}/changes",
        "message": f"{counted(moved, 'cell')} changed; not published yet",
    }


def _apply_changes(roster: Roster, data: RosterInput, rows: dict, keep: set[tuple[int, int]]) -> int:
    """Set the cells whose shift differs in `rows` (never those in `keep`); unchanged cells keep their
    breaks and activities. Returns how many cells changed."""
    current = {(a.agent_id, (a.day - roster.start_date).days): a for a in roster.assignments}
    changed = [
        (agent.id, d, shift)
        for agent in data.agents
        for d, shift in enumerate(rows.get(str(agent.id), ()))
        if (agent.id, d) not in keep
        and shift != (current[agent.id, d].shift if (agent.id, d) in current else None)
    ]
    for agent_id, d, _shift in changed:
        if (agent_id, d) in current:
            roster.assignments.remove(current[agent_id, d])
    db.session.flush()  # the old cells go before new ones take their (agent, day)
    taken: dict[tuple[int, str], int] = {}
    for a in roster.assignments:
        key = ((a.day - roster.start_date).days, a.shift)
        taken[key] = taken.get(key, 0) + 1
    for agent_id, d, shift in changed:
        if shift is None:
            continue
        slots = data.break_slots.get((d, shift), [])
        index = taken.get((d, shift), 0)
        taken[(d, shift)] = index + 1
        roster.assignments.append(
            _assignment(data, agent_id, d, shift, breaks=slots[index] if index < len(slots) else None)
        )
    return len(changed)


class PublishOverlaps(Exception):
    """Publishing would replace days another published roster speaks for: ask first (`replace=True`)."""

    def __init__(self, replaced: list[truth.Replaced]):
        super().__init__(_("another published roster speaks for some of these days"))
        self.replaced = replaced


def snapshot_row(a, types: dict) -> dict:
    """A working cell as a published row."""
    return {
        "agent_id": a.agent_id,
        "day": a.day.isoformat(),
        "shift": a.shift,
        "start": a.start.isoformat(),
        "end": a.end.isoformat(),
        "breaks": breaks_of(a, types),
        "activities": a.activities or [],
        "blocks": a.blocks or [],
    }


def publish(
    roster: Roster,
    seen_version: int,
    user_id: int | None,
    replace: bool | None = None,
    rows: list[dict] | None = None,
) -> RosterVersion:
    """Freeze the roster (or `rows`, its published rows with a few changed) as the next published version,
    and tell every agent whose published days change, day by day.

    Where another published roster speaks for some of its days, `replace` decides: None refuses
    (`PublishOverlaps` says what would be replaced, to ask), True takes those days over, False publishes
    only the days this roster still speaks for (a time-off approval or a swap never takes days back)."""
    if roster.lock_version != seen_version:
        raise StaleRoster(roster, changes_since(roster, seen_version))
    others = truth.overlaps(roster)
    if others and replace is None:
        raise PublishOverlaps(others)
    taken = set() if replace else {d for r in others for d in r.days}
    days = {d for d in roster.dates if d not in taken}
    types = {t["id"]: t for t in roster.shift_types}
    snapshot = sorted(
        rows if rows is not None else (snapshot_row(a, types) for a in roster.assignments),
        key=lambda r: (r["agent_id"], r["day"]),
    )
    before = truth.seen_rows(roster.site_id, days)
    known = truth.seen_days(roster.site_id, days)
    changes = telling.changes(before, snapshot, days, known)
    roster.published_version += 1
    version = RosterVersion(
        roster_id=roster.id,
        number=roster.published_version,
        assignments=snapshot,
        agents_changed=sorted(changes),
        days=sorted(d.isoformat() for d in days),
        published_by_id=user_id,
    )
    roster.versions.append(version)
    roster.updated_at = utcnow()
    db.session.flush()
    note = _(
        "version %(number)s: %(agents)s affected",
        number=version.number,
        agents=counted(len(changes), "agent"),
    )
    if others and replace:
        note = _(
            "%(note)s; replaces %(others)s",
            note=note,
            others="; ".join(
                _("#%(id)s %(name)s on %(span)s", id=r.roster_id, name=r.name, span=r.span) for r in others
            ),
        )
    db.session.add(
        RosterChange(
            roster_id=roster.id,
            lock_version=roster.lock_version,
            kind="publish",
            note=note[:300],
            user_id=user_id,
        )
    )
    db.session.flush()
    telling.tell(changes, types)
    return version


def evaluation_of(roster: Roster, rows=None):
    """The soft rules the current cells break, recomputed (after edits the stored figures are stale).
    `rows`: the roster's cells when the caller has them (`cell_rows`)."""
    data = input_for(roster)
    cells = _cells(roster, rows)
    table = {str(a.id): tuple(cells.get((a.id, d)) for d in range(roster.days)) for a in data.agents}
    return data, evaluate(data.problem, table)
