"""The check as a background job: read the plan or roster, simulate it, keep the figures (one transaction,
written last, as every job does)."""

from __future__ import annotations

import datetime as dt
import logging
import time

from sqlalchemy import select

from scheduling.text import Sentence
from wfm.extensions import db
from wfm.formatting import counted
from wfm.jobs import JobContext, job_function
from wfm.models import Roster, ShiftPlan, SimulationCheck
from wfm.simcheck import figures, freshness
from wfm.simcheck.inputs import DEMANDS, CheckProblem, plan_input, roster_input
from wfm.simcheck.scenario import build, problem_in_words

log = logging.getLogger(__name__)

MAX_REPLICATIONS = 500


def simulate(scenario: dict, replications: int, seed: int) -> dict:
    from scheduling.simulate import ScenarioError, simulate_json

    try:
        return simulate_json(scenario, replications=replications, seed=seed)
    except ScenarioError as problem:  # the translation made a scenario the simulator refuses
        log.warning("The simulator refused a check's scenario: %s", problem)
        raise CheckProblem(
            "scenario",
            Sentence(
                "the simulator could not read the check (%(problem)s)",
                problem=problem_in_words(str(problem), scenario),
            ),
        ) from problem


@job_function("simulation-check")
def run_check(
    ctx: JobContext,
    plan_id: int | None = None,
    roster_id: int | None = None,
    demand: str = "forecast",
    start: str | None = None,
    days: int | None = None,
    replications: int = 30,
    seed: int = 0,
    version: int | None = None,
) -> dict:
    if demand not in DEMANDS:
        raise CheckProblem("demand", Sentence("choose the forecast or the actual history"))
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise CheckProblem(
            "replications", Sentence("choose from 1 to %(most)s simulated runs", most=MAX_REPLICATIONS)
        )
    first = dt.date.fromisoformat(start) if start else None
    ctx.progress(0.05, Sentence("Reading the staffing and the forecast"))
    roster = db.session.get(Roster, roster_id) if roster_id else None
    plan = db.session.get(ShiftPlan, plan_id) if plan_id else None
    if roster_id and roster is None:
        raise CheckProblem("roster_id", Sentence("that roster no longer exists"))
    if roster is None and plan is None:
        raise CheckProblem("plan_id", Sentence("that shift plan no longer exists"))
    if roster is not None and version == 0:  # the latest published version
        if not roster.published_version:
            raise CheckProblem(
                "version", Sentence("the roster has not been published yet: check its draft instead")
            )
        version = roster.published_version
    if roster is None:
        version = None
    data = (
        roster_input(roster, demand, first, days, version)
        if roster
        else plan_input(plan, demand, first, days)
    )
    scenario = build(data.grid, data.queues, data.shifts, data.shrinkage)
    ctx.progress(
        0.15, f"Simulating {counted(replications, 'run')} of {counted(data.grid.periods, 'interval')}"
    )
    began = time.monotonic()
    with ctx.timed(0.15, 0.9, max(5.0, replications * 0.2), Sentence("Simulating")):
        result = simulate(scenario, replications, seed)
    seconds = time.monotonic() - began
    ctx.progress(0.9, Sentence("Saving the figures"))
    rows = figures.interval_rows(data.grid, data.queues, result, scenario)
    totals = figures.totals(data.queues, rows, result)
    check = SimulationCheck(
        plan_id=(roster.plan_id if roster else plan.id),
        roster_id=roster.id if roster else None,
        version=version,
        demand=demand,
        start=data.grid.start,
        days=data.grid.periods * data.grid.period_minutes // 1440,
        interval_minutes=data.grid.period_minutes,
        replications=replications,
        seed=seed,
        seconds=round(seconds, 3),
        intervals=rows,
        totals=totals,
        notes=data.notes,
        sources=freshness.parts(plan, roster, data.grid, demand, version),
        created_by_id=ctx.user_id,
    )
    db.session.add(check)
    db.session.flush()
    return {
        "check_id": check.id,
        "url": f"/simulation/{check.id}",
        "message": figures.summary(totals["total"]),
    }


def latest(plan: ShiftPlan | None = None, roster: Roster | None = None) -> SimulationCheck | None:
    """The newest check of a roster (or of a plan itself, not of its rosters)."""
    query = select(SimulationCheck).order_by(SimulationCheck.id.desc()).limit(1)
    if roster is not None:
        query = query.where(SimulationCheck.roster_id == roster.id)
    else:
        query = query.where(SimulationCheck.plan_id == plan.id, SimulationCheck.roster_id.is_(None))
    return db.session.scalar(query)
