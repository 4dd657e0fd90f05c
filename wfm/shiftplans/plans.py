"""Shift plans in the database: the covering solve as a background job on the stored requirements."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

from sqlalchemy import select

from scheduling.shifts import Requirement as EngineRequirement
from scheduling.shifts import RequirementError, plan_shifts, requirement_from_records
from scheduling.shifts.skill_groups import shared_queues
from scheduling.text import Sentence
from wfm import sources
from wfm.calendars import make_up_weekdays
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.formatting import counted
from wfm.jobs import JobContext, job_function
from wfm.models import (
    PlanCoverage,
    PlanShift,
    Queue,
    Requirement,
    RequirementInterval,
    ShiftPlan,
    ShiftTemplate,
    Site,
)
from wfm.shiftplans.chosen import latest_requirements
from wfm.shiftplans.skill_groups import groups_setting, site_skill_groups
from wfm.shiftplans.templates import to_engine

COLUMNS = {"scheduled_agents": "agents to schedule (with shrinkage)", "agents": "agents on the phones"}
DEFAULT_COLUMN = "scheduled_agents"  # the form's default and the demo's: plans include shrinkage


class PlanProblem(FieldError):
    """A shift plan that cannot be made from the requirements asked."""


def requirement_grid(
    requirements: dict[Queue, Requirement], start: dt.date, days: int, column: str
) -> EngineRequirement:
    """The requirements of the period as the engine's whole-day grid (intervals with none count as 0)."""
    first = dt.datetime.combine(start, dt.time())
    end = first + dt.timedelta(days=days)
    records = []
    minutes = set()
    for queue, requirement in requirements.items():
        minutes.add(requirement.forecast.interval_minutes)
        rows = db.session.execute(
            select(RequirementInterval.interval_start, getattr(RequirementInterval, column)).where(
                RequirementInterval.requirement_id == requirement.id,
                RequirementInterval.interval_start >= first,
                RequirementInterval.interval_start < end,
            )
        ).all()
        records += [(stamp, queue.name, float(value)) for stamp, value in rows]
    if not records:
        raise PlanProblem(
            "start", Sentence("no requirement covers that period: forecast it and calculate requirements")
        )
    interval = math.gcd(*minutes)
    last = end - dt.timedelta(minutes=interval)
    for queue in requirements:  # pin the grid to whole days of the period
        for stamp in (first, last):
            if not any(r[0] == stamp and r[1] == queue.name for r in records):
                records.append((stamp, queue.name, 0.0))
    try:
        return requirement_from_records(records, interval_minutes=interval)
    except RequirementError as problem:
        raise PlanProblem("start", str(problem)) from problem


@job_function("shift-plan")
def run_plan(
    ctx: JobContext,
    site_id: int,
    name: str,
    start: str,
    days: int,
    template_ids: list[int],
    column: str = "scheduled_agents",
    time_limit: float = 30.0,
    cyclic: bool = False,
    solver: str = "highs",
    by_skill: bool = False,
) -> dict:
    site = db.session.get(Site, site_id)
    first = dt.date.fromisoformat(start)
    ctx.progress(0.05, "Reading requirements and templates")
    requirements = latest_requirements(site, first, first + dt.timedelta(days=days - 1))
    templates = [db.session.get(ShiftTemplate, t) for t in template_ids]
    templates = [t for t in templates if t is not None and t.site_id == site.id]
    if not templates:
        raise PlanProblem("template_ids", Sentence("choose at least one shift template of the site"))
    grid = requirement_grid(requirements, first, days, column)
    grid = replace(grid, weekday_of=make_up_weekdays(site, grid.days))  # 调休: a weekday's templates
    engine_templates, limits = to_engine(templates, site)
    groups = None
    if by_skill:
        groups = site_skill_groups(site, first, days, grid.queues)
        if not groups:
            raise PlanProblem(
                "by_skill",
                Sentence(
                    "no agent of the site holds the skills of these queues, so no skill group can be made"
                ),
            )
    ctx.progress(
        0.15,
        f"Solving: {counted(len(engine_templates), 'template')}, {counted(grid.n_intervals, 'interval')}, "
        f"{counted(len(grid.queues), 'queue')} (at most {time_limit:g} s)",
    )
    plan = plan_shifts(
        grid,
        engine_templates,
        limits,
        cyclic=cyclic,
        time_limit=time_limit,
        solver=solver,
        progress=lambda phase, used: ctx.progress(0.15 + 0.75 * used, f"Solving: {phase}"),
        should_stop=ctx.should_stop,
        skill_groups=groups,
    )
    ctx.progress(0.9, "Saving the plan")
    report = plan.report
    record = ShiftPlan(
        site_id=site.id,
        name=name,
        start_date=first,
        days=days,
        interval_minutes=grid.interval_minutes,
        settings={
            "column": column,
            "cyclic": cyclic,
            "time_limit": time_limit,
            "solver": solver,
            "templates": [t.name for t in templates],
            "template_ids": [t.id for t in templates],
            "requirements": {q.name: r.id for q, r in requirements.items()},
            "by_skill": by_skill,
            "skill_groups": groups_setting(groups or []),
            "pooled_queues": [sorted(s) for s in shared_queues(groups or [])],
        },
        solver_status=report.status,
        cost=plan.cost,
        penalty=plan.penalty,
        bound=report.bound,
        gap=report.gap,
        seconds=report.seconds,
        unmet_agent_intervals=plan.unmet_agent_intervals,
        stats={k: v for k, v in plan.stats.items() if isinstance(v, int | float | str | bool)},
        created_by_id=ctx.user_id,
    )
    db.session.add(record)
    db.session.flush()
    if plan.rows:
        db.session.execute(
            PlanShift.__table__.insert(),
            [
                {
                    "plan_id": record.id,
                    "template": row.template,
                    "start": row.start,
                    "end": row.end,
                    "agents": row.agents,
                    "queues": sorted(row.queues),
                    "skill_group": row.skill_group,
                    "breaks": [
                        {
                            "name": b.name,
                            "start": b.start.isoformat(),
                            "end": b.end.isoformat(),
                            "paid": b.paid,
                        }
                        for b in row.breaks
                    ],
                }
                for row in plan.rows
            ],
        )
    if plan.coverage:
        db.session.execute(
            PlanCoverage.__table__.insert(),
            [
                {
                    "plan_id": record.id,
                    "interval_start": c.interval_start,
                    "queue": c.queue,
                    "required": c.required,
                    "on_phones": c.on_phones,
                    "short": c.short,
                    "over": c.over,
                }
                for c in plan.coverage
            ],
        )
    db.session.flush()
    sources.stamp(record)
    db.session.flush()
    message = (
        f"{report.status}: {counted(plan.total_agents, 'shift')}, "
        f"{counted(plan.unmet_agent_intervals, 'agent-interval')} short"
    )
    return {"plan_id": record.id, "url": f"/planning/plans/{record.id}", "message": message}
