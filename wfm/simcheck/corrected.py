"""A requirement corrected by simulation: the Erlang answer of a live queue's requirement, corrected
interval by interval (`scheduling.staffing.by_simulation`), kept as a new requirement of the same forecast,
which later shift plans then take as the newest. Its service level, ASA and abandonment per interval are the
simulated ones; its targets say it was corrected, from which requirement, and how."""

from __future__ import annotations

import datetime as dt

from scheduling.staffing.by_simulation import correct
from scheduling.staffing.targets import scheduled_agents
from scheduling.text import Sentence
from wfm import sources
from wfm.extensions import db
from wfm.formatting import counted
from wfm.jobs import JobContext, job_function
from wfm.models import Requirement, RequirementInterval
from wfm.simcheck.inputs import CheckProblem, demand_of
from wfm.simcheck.scenario import Grid, build

GROUP = "agents"


def scenario_of(requirement: Requirement) -> tuple[Grid, dict, list[int]]:
    """The requirement's queue alone, answered by one group staffed with its Erlang answer per interval."""
    forecast = requirement.forecast
    minutes = forecast.interval_minutes
    grid = Grid(dt.datetime.combine(forecast.start_date, dt.time()), minutes, forecast.days * 1440 // minutes)
    queue = demand_of(requirement, grid, "forecast")
    agents = [0] * grid.periods
    for row in requirement.intervals:
        k = grid.index(row.interval_start)
        if k is not None:
            agents[k] = int(row.agents)
    scenario = build(grid, [queue], [])
    scenario["contact_types"][0]["groups"] = [GROUP]
    scenario["agent_groups"] = [{"name": GROUP, "serves": [queue.name], "agents_per_period": agents}]
    return grid, scenario, agents


@job_function("requirement-by-simulation")
def run_correction(
    ctx: JobContext, requirement_id: int, replications: int = 20, seed: int = 0, margin: float = 0.0
) -> dict:
    base = db.session.get(Requirement, requirement_id)
    if base is None:
        raise CheckProblem("requirement_id", Sentence("that requirement no longer exists"))
    if base.queue.channel.is_deferred or not (base.targets or {}).get("service_level"):
        raise CheckProblem(
            "requirement_id", Sentence("only a live queue with a service-level target can be corrected")
        )
    ctx.progress(0.05, Sentence("Reading the requirement"))
    grid, scenario, erlang = scenario_of(base)
    name = base.queue.name
    with ctx.timed(0.1, 0.9, max(10.0, replications * 1.0), Sentence("Correcting by simulation")):
        corrected = correct(
            scenario,
            {name: float(base.targets["service_level"])},
            replications=replications,
            seed=seed,
            margin=margin,
        )
    ctx.progress(0.9, Sentence("Saving the corrected requirement"))
    targets = {
        **base.targets,
        "by_simulation": {
            "from_requirement": base.id,
            "replications": replications,
            "seed": seed,
            "margin": margin,
            "rounds": corrected.rounds,
            "converged": corrected.converged,
        },
    }
    record = Requirement(
        forecast_id=base.forecast_id, queue_id=base.queue_id, targets=targets, created_by_id=ctx.user_id
    )
    db.session.add(record)
    db.session.flush()
    shrinkage = float(base.targets.get("shrinkage") or 0.0)
    cells = corrected.result["by_period"][name]
    rows = []
    for row in base.intervals:
        k = grid.index(row.interval_start)
        agents = corrected.agents[GROUP][k] if k is not None else row.agents
        cell = cells[k] if k is not None else {}
        simulated = cell.get("service_level")
        rows.append(
            {
                "requirement_id": record.id,
                "interval_start": row.interval_start,
                "forecast": row.forecast,
                "aht_seconds": row.aht_seconds,
                "agents": int(agents),
                "scheduled_agents": int(scheduled_agents(int(agents), shrinkage)),
                "service_level": simulated if simulated is not None else row.service_level,
                "occupancy": None,
                "asa_seconds": cell.get("asa_seconds"),
                "abandon_rate": cell.get("abandon_rate"),
            }
        )
    if rows:
        db.session.execute(RequirementInterval.__table__.insert(), rows)
    sources.stamp(record)
    db.session.flush()
    before, after = sum(erlang), corrected.total()
    change = after - before
    message = (
        f"Corrected by simulation in {counted(corrected.rounds, 'round')}: "
        f"{counted(after, 'agent-interval')} against {before} from Erlang ({change:+d})."
    )
    if not corrected.converged:
        message += " It had not settled when the rounds ran out."
    return {"requirement_id": record.id, "url": f"/planning/requirements/{record.id}", "message": message}
