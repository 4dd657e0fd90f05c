"""`plan_shifts`: requirement + templates -> a shift plan, solved with a time limit, never raising on
an uncoverable requirement (coverage is soft; the plan lists the intervals left short).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from scheduling import stopping
from scheduling.shifts.break_assignment import assign_breaks
from scheduling.shifts.by_day import DAY_BY_DAY_ABOVE_VARIANTS, DAY_GAP, plan_by_day, queue_coverage
from scheduling.shifts.model import ALL, CoveringModel, build_model, build_variants, default_penalty
from scheduling.shifts.plan import BreakTime, IntervalCoverage, PlanRow, ShiftPlan, on_phones_from_rows
from scheduling.shifts.requirement import Requirement
from scheduling.shifts.skill_groups import SkillGroup
from scheduling.shifts.templates import ShiftTemplate, SiteLimit, TemplateError
from scheduling.solver import FEASIBLE, HAS_SOLUTION, NO_SOLUTION, OPTIMAL, SolveReport, relative_gap, solve


def plan_shifts(
    requirement: Requirement,
    templates: list[ShiftTemplate],
    site_limits: list[SiteLimit] | tuple = (),
    *,
    cyclic: bool = False,
    penalty: float | None = None,
    time_limit: float = 60.0,
    solver: str = "highs",
    gap: float = 1e-3,
    strategy: str = "lp_first",
    progress: Callable[[str, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    skill_groups: list[SkillGroup] | None = None,
) -> ShiftPlan:
    """Choose how many agents start each template variant each day, with breaks, at least cost.

    requirement: agents needed on the phones per queue and interval (see `Requirement`).
    templates: the allowed shifts; a template serves the queues in its `queues` (all when empty).
    site_limits: most agents at once / most starts per interval per site.
    cyclic: the horizon repeats (shifts running past its end cover its start); default non-cyclic, where
        the last day's shifts spill past the horizon and that time counts for nothing.
    penalty: cost per missing agent-interval (default: twice the dearest shift plus one cost unit, so a
        shortfall is left only where no shift could be added to cover it).
    gap: relative gap at which a plan counts as proven optimal (0.1% by default).
    strategy: "lp_first" (default) solves the LP relaxation (the bound), then the integer model on a
        narrow and, if that is not within `gap`, a wider neighbourhood of the LP solution, and then (for
        models up to FULL_MIP_MAX_VARIABLES) the whole integer model with the time left. "direct" hands the
        whole integer model to the solver at once (its bound can rise above the LP's through cuts and
        branching, at the price of time).
    progress: called as progress(phase name, share of the time limit used so far) before each solve
        phase, for a job's progress bar.
    should_stop: answering True (cheap, thread-safe: see `scheduling.stopping`) makes the solve raise
        `stopping.SolveStopped` within seconds, also in the middle of a phase's solve (a cancelled job).
    skill_groups: the agents by the queues they may serve (see `skill_groups`): starts are chosen per
        template and group, within each group's head count; None plans by the templates' queues alone.
    Returns a `ShiftPlan` whatever happens; `plan.report.status` says whether it is proven optimal.
    """
    _check_inputs(templates, site_limits, penalty, gap, strategy)
    if skill_groups is not None:
        skill_groups = list(skill_groups)
        _check_groups(skill_groups, len(requirement.days))
    with stopping.stopping(should_stop):
        return _plan_shifts(
            requirement,
            templates,
            site_limits,
            cyclic,
            penalty,
            time_limit,
            solver,
            gap,
            strategy,
            progress,
            skill_groups,
        )


def _plan_shifts(
    requirement, templates, site_limits, cyclic, penalty, time_limit, solver, gap, strategy, progress, groups
) -> ShiftPlan:
    started = time.perf_counter()
    templates, site_limits = list(templates), list(site_limits)
    variants = build_variants(requirement, templates, cyclic, groups)
    penalty = default_penalty(variants) if penalty is None else float(penalty)
    if _day_by_day(requirement, variants, site_limits, cyclic, groups):
        return plan_by_day(
            requirement,
            groups,
            penalty,
            time_limit,
            lambda day, day_groups, seconds: _plan_shifts(
                day,
                templates,
                site_limits,
                False,
                penalty,
                seconds,
                solver,
                max(gap, DAY_GAP),
                strategy,
                None,
                day_groups,
            ),
            progress,
        )
    search = _Search(
        requirement,
        templates,
        site_limits,
        variants,
        cyclic,
        penalty,
        solver,
        gap,
        started,
        time_limit,
        progress,
        groups,
    )
    model, report = search.run(strategy)
    rows = _plan_rows(model) if report.status in HAS_SOLUTION else []
    coverage, unmet = _coverage(model, rows)
    cost = None
    if report.status in HAS_SOLUTION:
        cost = sum(
            v.cost * _round(var.varValue)
            for v, var in zip(model.variants, model.x, strict=True)
            if var is not None
        )
    stats = {"variants": len(variants), "phases": search.phases, "penalty": penalty}
    if groups is not None:
        stats["skill_groups"] = len(groups)
    penalty_paid = None if cost is None else unmet * penalty
    return ShiftPlan(rows, coverage, cost, penalty_paid, unmet, report, requirement.interval_minutes, stats)


def _day_by_day(requirement, variants, site_limits, cyclic, groups) -> bool:
    """A large plan by skill group is planned one day at a time (see `by_day`)."""
    return (
        groups is not None
        and not cyclic
        and len(requirement.days) > 1
        and len(variants) > DAY_BY_DAY_ABOVE_VARIANTS
        and all(limit.max_agents is None for limit in site_limits)
    )


def _check_inputs(templates, site_limits, penalty, gap, strategy) -> None:
    if not templates:
        raise TemplateError("templates: at least one template is needed")
    names = [t.name for t in templates]
    if len(set(names)) != len(names):
        raise TemplateError("templates: field 'name': names must be unique")
    sites = [limit.site for limit in site_limits]
    if len(set(sites)) != len(sites):
        raise TemplateError("sites: field 'site': each site may have one limit entry")
    if penalty is not None and penalty < 0:
        raise ValueError("penalty: must be >= 0")
    if not 0 <= gap < 1:
        raise ValueError("gap: must be in [0, 1)")
    if strategy not in ("lp_first", "direct"):
        raise ValueError(f"strategy: unknown strategy {strategy!r} (use 'lp_first' or 'direct')")


def _check_groups(groups: list[SkillGroup], days: int) -> None:
    names = [g.name for g in groups]
    if len(set(names)) != len(names):
        raise TemplateError("skill_groups: field 'name': names must be unique")
    for g in groups:
        if g.agents < 0:
            raise TemplateError(f"skill group {g.name!r}, field 'agents': must be >= 0")
        if g.agents_by_day is not None and len(g.agents_by_day) != days:
            raise TemplateError(
                f"skill group {g.name!r}, field 'agents_by_day': {len(g.agents_by_day)} values "
                f"for {days} days"
            )
        if g.shifts_per_week is not None and g.shifts_per_week < 0:
            raise TemplateError(f"skill group {g.name!r}, field 'shifts_per_week': must be >= 0")


# Above this size the whole integer model is not tried after the neighbourhoods: HiGHS was seen spending
# minutes in the root node of a 31k-variable covering model, far past its time limit.
FULL_MIP_MAX_VARIABLES = 20_000


class _Search:
    """The solve phases of `plan_shifts`, sharing one time budget."""

    def __init__(
        self,
        requirement,
        templates,
        site_limits,
        variants,
        cyclic,
        penalty,
        solver,
        gap,
        started,
        time_limit,
        progress=None,
        skill_groups=None,
    ) -> None:
        self.requirement, self.templates, self.site_limits = requirement, templates, site_limits
        self.variants, self.cyclic, self.penalty = variants, cyclic, penalty
        self.solver, self.gap, self.started, self.time_limit = solver, gap, started, time_limit
        self.phases: list[dict] = []
        self.build_seconds = 0.0
        self.progress = progress
        self.skill_groups = skill_groups

    def remaining(self) -> float:
        return max(0.05, self.time_limit - (time.perf_counter() - self.started))

    def build(self, **kwargs) -> CoveringModel:
        stopping.check()
        began = time.perf_counter()
        model = build_model(
            self.requirement,
            self.templates,
            self.site_limits,
            cyclic=self.cyclic,
            penalty=self.penalty,
            variants=self.variants,
            skill_groups=self.skill_groups,
            **kwargs,
        )
        self.build_seconds = round(time.perf_counter() - began, 3)
        return model

    def solve(self, phase: str, model: CoveringModel, options: dict | None = None) -> SolveReport:
        built = time.perf_counter()
        if self.progress is not None:
            self.progress(phase, min(1.0, (built - self.started) / self.time_limit))
        report = solve(
            model.problem,
            time_limit=self.remaining(),
            solver=self.solver,
            gap_abs=model.unit - 0.001 if model.unit else None,
            gap_rel=self.gap,
            options=options,
        )
        self.phases.append(
            {
                "phase": phase,
                "status": report.status,
                "objective": report.objective,
                "bound": report.bound,
                "variables": len(model.problem.variables()),
                "constraints": len(model.problem.constraints),
                "build_seconds": self.build_seconds,
                "seconds": round(time.perf_counter() - built, 3),
            }
        )
        return report

    def integer_bound(self, bound: float | None, model: CoveringModel) -> float | None:
        if bound is None:
            return None
        if not model.unit:
            return bound
        return float(math.ceil(bound / model.unit - 1e-6) * model.unit)

    def finish(self, model, status, objective, bound, message) -> tuple[CoveringModel, SolveReport]:
        seconds = time.perf_counter() - self.started
        return model, SolveReport(
            status, objective, bound, relative_gap(objective, bound), seconds, self.solver, message
        )

    def run(self, strategy: str) -> tuple[CoveringModel, SolveReport]:
        if strategy == "direct":
            model = self.build()
            report = self.solve("mip", model)
            return self.finish(model, report.status, report.objective, report.bound, report.message)
        relaxation = self.build(relaxed=True)
        lp = self.solve("lp relaxation", relaxation)
        if lp.status != OPTIMAL:
            model = self.build()
            report = self.solve("mip", model)
            return self.finish(model, report.status, report.objective, report.bound, report.message)
        bound = self.integer_bound(lp.objective, relaxation)
        values = {i: var.varValue or 0.0 for i, var in enumerate(relaxation.x) if var is not None}
        if _integral(relaxation):
            return self.finish(relaxation, OPTIMAL, lp.objective, bound, "LP relaxation is integral")
        keep = {i for i, value in values.items() if value > 1e-6}
        best_model, best = relaxation, None
        # Neighbourhoods of the LP solution, narrow then wide: every variant the LP uses, within +-1 and
        # then +-3 agents of its LP value. They solve in seconds where the whole integer model can spend
        # minutes in its root node (and HiGHS was seen overrunning its time limit there).
        for phase, spread in (("mip near LP", 1), ("mip wider near LP", 3)):
            if best is not None and self.remaining() < 1.0:
                break
            limits = {
                i: (max(0, math.floor(values[i] + 1e-6) - spread), math.ceil(values[i] - 1e-6) + spread)
                for i in keep
            }
            around = self.build(keep=keep, bounds=limits)
            report = self.solve(phase, around)
            if report.objective is not None and (
                best is None or best.objective is None or report.objective < best.objective - 1e-9
            ):
                best_model, best = around, report
            if (
                best is not None
                and best.objective is not None
                and relative_gap(best.objective, bound) <= self.gap
            ):
                return self.finish(best_model, OPTIMAL, best.objective, bound, "within gap of the LP bound")
        full_size = len(relaxation.problem.variables())
        if self.remaining() >= 1.0 and full_size <= FULL_MIP_MAX_VARIABLES:
            full = self.build()
            report = self.solve("mip", full)
            if report.objective is not None and (
                best is None or best.objective is None or report.objective < best.objective - 1e-9
            ):
                best_model, best = full, report
            found = self.integer_bound(report.bound, full)
            if found is not None:
                bound = found if bound is None else max(bound, found)
        if best is None or best.objective is None:
            return self.finish(best_model, NO_SOLUTION, None, bound, "no integer plan found in time")
        status = OPTIMAL if relative_gap(best.objective, bound) <= self.gap else FEASIBLE
        return self.finish(best_model, status, best.objective, bound, best.message)


def _integral(model: CoveringModel) -> bool:
    variables = [v for v in model.x if v is not None]
    variables += [z for klass in model.classes for z in klass.breaks.values()]
    return all(abs((v.varValue or 0.0) - round(v.varValue or 0.0)) <= 1e-6 for v in variables)


def _round(value: float | None) -> int:
    return 0 if value is None else max(0, round(value))


def _plan_rows(model: CoveringModel) -> list[PlanRow]:
    """Rows per variant and break pattern, with explicit break times from the FIFO assignment."""
    req = model.requirement
    step = timedelta(minutes=req.interval_minutes)
    x_values = [0 if var is None else _round(var.varValue) for var in model.x]
    per_variant: dict[int, list[list[tuple]]] = {}
    for klass in model.classes:
        z_values = {key: _round(z.varValue) for key, z in klass.breaks.items()}
        for v, starts in assign_breaks(klass, x_values, z_values).items():
            per_variant.setdefault(v, []).append([(klass.rule, b) for b in starts])
    rows = []
    for v, variant in enumerate(model.variants):
        agents = x_values[v]
        if not agents:
            continue
        template = model.templates[variant.template]
        lists = per_variant.get(v, [])
        patterns = Counter(
            tuple(sorted((items[i] for items in lists), key=lambda item: item[1])) for i in range(agents)
        )
        start = req.start + variant.start * step
        end = start + variant.length * step
        for pattern, count in sorted(patterns.items(), key=lambda kv: [b for _, b in kv[0]]):
            breaks = tuple(
                BreakTime(
                    rule.name,
                    req.start + b * step,
                    req.start + b * step + timedelta(minutes=rule.minutes),
                    rule.paid,
                )
                for rule, b in pattern
            )
            group_name = model.skill_groups[variant.skill_group].name if variant.skill_group >= 0 else ""
            rows.append(
                PlanRow(
                    req.days[variant.day], template.name, start, end, count, breaks, variant.group, group_name
                )
            )
    rows.sort(key=lambda r: (r.start, r.template, r.end, r.skill_group))
    return rows


def _coverage(model: CoveringModel, rows: list[PlanRow]) -> tuple[list[IntervalCoverage], int]:
    """Coverage recomputed from the plan rows; per queue from the model's flows when not pooled."""
    req = model.requirement
    if model.pooled:
        on_phones = on_phones_from_rows(rows, req, model.cyclic)
        need = req.total().astype(int)
        label = req.queues[0] if len(req.queues) == 1 else ALL
        coverage = [_interval(req, t, label, int(need[t]), int(on_phones[t])) for t in range(req.n_intervals)]
    else:
        flows = {key: _round(var.varValue) for key, var in model.flows.items()} if rows else {}
        coverage = queue_coverage(req, rows, model.cyclic, model.groups, flows)
    return coverage, sum(c.short for c in coverage)


def _interval(req: Requirement, t: int, queue: str, required: int, on_phones: int) -> IntervalCoverage:
    return IntervalCoverage(
        req.interval_start(t),
        queue,
        required,
        on_phones,
        max(0, required - on_phones),
        max(0, on_phones - required),
    )
