"""Whether a check still speaks for its plan or roster: fingerprints of what it was made from (the
staffing, the requirements with their forecasts and targets, the history replayed), kept with the check
and recomputed when a page shows it, in the manner of `wfm.sources`."""

from __future__ import annotations

from sqlalchemy import func, select

from scheduling.text import Sentence
from wfm import sources
from wfm.extensions import db
from wfm.models import HistoryInterval, Roster, ShiftPlan, SimulationCheck
from wfm.simcheck.inputs import CheckProblem, cells_of, requirements_of
from wfm.simcheck.scenario import Grid

PART_SENTENCES = {
    "staffing": Sentence("The shifts, breaks or activities it simulated changed."),
    "demand": Sentence(
        "The forecast, the requirement or the queue's targets it was checked against changed."
    ),
    "history": Sentence("The actual history of these days changed."),
    "deleted": Sentence("What it checked was deleted."),
}


def _cells_digest(roster: Roster, grid: Grid, version: int | None) -> str:
    try:
        cells = cells_of(roster, version)
    except CheckProblem:
        return "deleted"
    return sources.digest(
        sorted(
            (a.agent_id, a.start, a.end, sorted(a.away))
            for a in cells
            if a.end > grid.start and a.start < grid.end
        )
    )


def _plan_digest(plan: ShiftPlan, grid: Grid) -> str:
    return sources.digest(
        sorted(
            (s.template, s.start, s.end, s.agents, s.queues, [(b["start"], b["end"]) for b in s.breaks or []])
            for s in plan.shifts
            if s.end > grid.start and s.start < grid.end
        )
    )


def _history_digest(site_id: int, grid: Grid) -> str:
    from wfm.models import Queue

    row = db.session.execute(
        select(
            func.count(HistoryInterval.id),
            func.sum(HistoryInterval.offered),
            func.sum(HistoryInterval.aht_seconds),
        )
        .join(Queue, Queue.id == HistoryInterval.queue_id)
        .where(
            Queue.site_id == site_id,
            HistoryInterval.interval_start >= grid.start,
            HistoryInterval.interval_start < grid.end,
        )
    ).one()
    return sources.digest([row[0], round(row[1] or 0.0, 3), round(row[2] or 0.0, 1)])


def parts(
    plan: ShiftPlan | None, roster: Roster | None, grid: Grid, demand: str, version: int | None = None
) -> dict[str, str]:
    """The fingerprints of a check of `roster` (or of `plan` when no roster) over `grid`."""
    plan = roster.plan if roster is not None else plan
    if plan is None:
        return {"deleted": "deleted"}
    requirements = requirements_of(plan)
    out = {
        "staffing": _cells_digest(roster, grid, version) if roster is not None else _plan_digest(plan, grid),
        "demand": sources.digest([(r.id, sources.requirement_parts(r)) for r in requirements]),
    }
    if demand == "actual":
        out["history"] = _history_digest(plan.site_id, grid)
    return out


def grid_of_check(check: SimulationCheck) -> Grid:
    return Grid(check.start, check.interval_minutes, check.days * 1440 // check.interval_minutes)


def reasons(check: SimulationCheck) -> list[str]:
    """Why the check no longer speaks for what it checked, in sentences; empty when it still does."""
    plan = db.session.get(ShiftPlan, check.plan_id) if check.plan_id else None
    roster = db.session.get(Roster, check.roster_id) if check.roster_id else None
    if plan is None and roster is None:
        return [PART_SENTENCES["deleted"]]
    now = parts(plan, roster, grid_of_check(check), check.demand, check.version)
    return [PART_SENTENCES[p] for p, value in now.items() if (check.sources or {}).get(p) != value]
