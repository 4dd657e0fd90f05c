"""A large plan by skill group solved one day at a time (a rolling horizon), and coverage per queue.

The covering model by skill group counts every template once per group, each with its own break
variables, and its LP relaxation grows faster than the horizon: a week of a ten-queue centre with eight
groups is a model whose relaxation takes the solver far longer than seven one-day models together. Days
are linked only by shifts running past midnight and by each group's weekly shift limit, so `plan_by_day`
plans the days in order:
- the agents of shifts already planned that are still on after midnight (per group) are shared out among
  the queues they serve first (a maximum flow), and the day is planned for the need they leave;
- each group's weekly shifts left are shared out among the week's remaining days in proportion to the
  need of the queues the group serves, rounded up, never more than is left: the weekly limit holds, and
  whatever a day does not use passes to the days after it;
- each day has its share of the time left (at least MIN_DAY_SECONDS, so a short time limit may be
  overrun) and is planned to within DAY_GAP of its bound; a day that finds no plan in time is tried once
  more with twice its time;
- the site's most starts per interval is a limit within a day and holds as it is. A site's most agents at
  once is not split this way: a plan with that limit is solved whole (see `covering.plan_shifts`).
The days' plans are joined and coverage is recomputed from the joined rows over the whole horizon by the
maximum flow of `flow.share_out`. The answer is a good plan, not a proven optimum: its status says so.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import numpy as np

from scheduling.shifts.flow import share_out
from scheduling.shifts.plan import IntervalCoverage, PlanRow, ShiftPlan, on_phones_from_rows
from scheduling.shifts.requirement import Requirement
from scheduling.shifts.skill_groups import SkillGroup
from scheduling.solver import FEASIBLE, HAS_SOLUTION, NO_SOLUTION, SolveReport

# Plans by skill group with more shift variants than this (and more than one day) are planned day by day.
DAY_BY_DAY_ABOVE_VARIANTS = 3000
# Each day gets its share of the time limit, and at least this (a day's LP relaxation must finish), and is
# solved to this relative gap at most: the whole is not proven optimal anyway, and a day proven close
# enough leaves its time to the days after it.
MIN_DAY_SECONDS = 3.0
DAY_GAP = 0.01


def plan_by_day(
    requirement: Requirement,
    groups: list[SkillGroup],
    penalty: float,
    time_limit: float,
    plan_day: Callable[[Requirement, list[SkillGroup], float], ShiftPlan],
    progress: Callable[[str, float], None] | None = None,
) -> ShiftPlan:
    """Plan each day in turn with `plan_day(day's requirement, day's groups, seconds)` (see the module
    docstring); `penalty` is the shortfall penalty per agent-interval the days were planned with."""
    started = time.perf_counter()
    per_day, days = requirement.intervals_per_day, requirement.days
    need = _need_by_group(requirement, groups)
    left_in_week = {
        (g, d // 7): group.shifts_per_week
        for g, group in enumerate(groups)
        for d in range(len(days))
        if group.shifts_per_week is not None
    }
    rows: list[PlanRow] = []
    cost, statuses, phases = 0.0, [], []
    for d in range(len(days)):
        if progress is not None:
            progress(f"day {d + 1} of {len(days)}", min(1.0, (time.perf_counter() - started) / time_limit))
        window = slice(d * per_day, (d + 1) * per_day)
        values = _need_left(requirement, rows, window)
        sub = Requirement(
            requirement.start + timedelta(days=d),
            requirement.interval_minutes,
            requirement.queues,
            values,
            requirement.weekday_of,
        )
        week_end = min(len(days), (d // 7 + 1) * 7)
        day_groups = []
        for g, group in enumerate(groups):
            weekly = None
            if group.shifts_per_week is not None:
                left = left_in_week[(g, d // 7)]
                share = need[g][d] / max(1e-9, sum(need[g][d:week_end])) if need[g][d] > 0 else 0.0
                weekly = float(min(left, math.ceil(left * share - 1e-9)))
            day_groups.append(
                replace(group, agents=group.agents_on(d), agents_by_day=None, shifts_per_week=weekly)
            )
        seconds = max(MIN_DAY_SECONDS, (time_limit - (time.perf_counter() - started)) / (len(days) - d))
        plan = plan_day(sub, day_groups, seconds)
        if plan.report.status not in HAS_SOLUTION:  # a busy machine: the day once more, with longer
            plan = plan_day(sub, day_groups, 2 * seconds)
        statuses.append(plan.report.status)
        phases += [{**phase, "day": d} for phase in plan.stats.get("phases", [])]
        if plan.report.status not in HAS_SOLUTION:
            continue
        rows += plan.rows
        cost += plan.cost or 0.0
        for g, group in enumerate(groups):
            if group.shifts_per_week is not None:
                started_today = sum(r.agents for r in plan.rows if r.skill_group == group.name)
                left_in_week[(g, d // 7)] -= started_today
    rows.sort(key=lambda r: (r.start, r.template, r.end, r.skill_group))
    coverage = queue_coverage(requirement, rows, False, sorted({r.queues for r in rows}, key=sorted))
    unmet = sum(c.short for c in coverage)
    solved = any(s in HAS_SOLUTION for s in statuses)
    report = SolveReport(
        FEASIBLE if solved else NO_SOLUTION,
        cost + unmet * penalty if solved else None,
        None,
        None,
        time.perf_counter() - started,
        "highs",
        f"planned one day at a time ({len(days)} days)",
    )
    stats = {"phases": phases, "penalty": penalty, "skill_groups": len(groups), "day_by_day": True}
    return ShiftPlan(
        rows,
        coverage,
        cost if solved else None,
        unmet * penalty if solved else None,
        unmet,
        report,
        requirement.interval_minutes,
        stats,
    )


def _need_by_group(requirement: Requirement, groups: list[SkillGroup]) -> list[list[float]]:
    """Per group and day: the agent-intervals needed on the queues the group may serve."""
    per_day = requirement.intervals_per_day
    out = []
    for group in groups:
        mask = [q for q, queue in enumerate(requirement.queues) if queue in group.queues]
        daily = requirement.values[mask].sum(axis=0).reshape(-1, per_day).sum(axis=1) if mask else []
        out.append([float(v) for v in daily] or [0.0] * len(requirement.days))
    return out


def _need_left(requirement: Requirement, rows: list[PlanRow], window: slice) -> np.ndarray:
    """The day's need less what agents of shifts already planned (still on after midnight) can meet."""
    values = requirement.values[:, window].astype(float)
    if not rows:
        return values
    on = on_phones_from_rows(rows, requirement, by_group=True)
    groups = sorted(on, key=sorted)
    serves = [[q for q, queue in enumerate(requirement.queues) if queue in g] for g in groups]
    for t, u in enumerate(range(window.start, window.stop)):
        agents = [int(on[g][u]) for g in groups]
        if not any(agents):
            continue
        given = share_out(agents, [math.ceil(v) for v in values[:, t]], serves)
        for (_, q), amount in given.items():
            values[q, t] = max(0.0, values[q, t] - amount)
    return values


def queue_coverage(
    requirement: Requirement,
    rows: list[PlanRow],
    cyclic: bool,
    groups: list[frozenset[str]],
    flows: dict[tuple[int, int, int], int] | None = None,
) -> list[IntervalCoverage]:
    """Required, planned, short and over per queue and interval, from the plan's rows: each group's agents
    on in an interval shared out among its queues by a maximum flow (started from `flows` when given);
    agents left over count as over on the first queue their group serves."""
    req = requirement
    flows = flows or {}
    by_group = on_phones_from_rows(rows, req, cyclic, by_group=True)
    on = [by_group.get(group, np.zeros(req.n_intervals, dtype=int)) for group in groups]
    serves = [[q for q, queue in enumerate(req.queues) if queue in group] for group in groups]
    coverage = []
    for t in range(req.n_intervals):
        given = share_out(
            [int(on[g][t]) for g in range(len(groups))],
            [int(req.values[q, t]) for q in range(len(req.queues))],
            serves,
            {(g, q): flows.get((g, q, t), 0) for g in range(len(groups)) for q in serves[g]},
        )
        planned = [0] * len(req.queues)
        for (_group, q), amount in given.items():
            planned[q] += amount
        for g, queues in enumerate(serves):
            spare = int(on[g][t]) - sum(given.get((g, q), 0) for q in queues)
            if spare and queues:
                planned[queues[0]] += spare
        for q, queue in enumerate(req.queues):
            required = int(req.values[q, t])
            coverage.append(
                IntervalCoverage(
                    req.interval_start(t),
                    queue,
                    required,
                    planned[q],
                    max(0, required - planned[q]),
                    max(0, planned[q] - required),
                )
            )
    return coverage
