"""The monthly capacity plan: class intakes chosen by integer programming, or by the spreadsheet rule.

Both are evaluated by the same `evaluate` (dynamics in `dynamics`), so their costs and shortfalls compare
like for like. The integer programme decides, per hiring pipeline and month, the number of classes
(0..max_classes_per_month) and the hires (class_min × classes ≤ hires ≤ class_max × classes, so a month
has no class or classes within their size range), plus overtime (at most max_share of the productive
FTE, paid at cost_factor × salary) and the FTE short; it minimises salaries of everyone present, the cost
per hire, overtime and the shortfall penalty. The solver never fails for lack of people: what cannot be
covered is short, and `explain` says why.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import pulp

from scheduling import solver as solvers
from scheduling import stopping
from scheduling.capacity import dynamics
from scheduling.capacity.explain import Shortfall, shortfalls
from scheduling.capacity.scenario import Scenario

SMALL = 1e-6


@dataclass(frozen=True)
class MonthFigures:
    """One group's month (expected FTE; hires are whole people)."""

    month: str
    group: str
    headcount_start: float
    hires: float
    in_training: float
    leavers: float
    moved_out: float
    moved_in: float
    headcount_end: float
    productive_fte: float
    required_fte: float
    overtime_fte: float
    short_fte: float
    cost: float


@dataclass(frozen=True)
class Intake:
    """Classes started in one month for one hiring pipeline."""

    month: str
    into: str
    pipeline: int
    classes: int
    hires: int


@dataclass(frozen=True)
class MoveDecision:
    """People the plan cross-trains from one group to another at a month's end."""

    month: str
    source: str
    target: str
    people: int


@dataclass(frozen=True)
class Plan:
    method: str
    figures: tuple[MonthFigures, ...]
    intakes: tuple[Intake, ...]
    total_cost: float
    short_fte_months: float
    shortfalls: tuple[Shortfall, ...]
    report: solvers.SolveReport | None = None
    cost_parts: dict = field(default_factory=dict)
    moves: tuple[MoveDecision, ...] = ()


def evaluate(
    scenario: Scenario, decisions: np.ndarray, method: str, report: solvers.SolveReport | None = None
) -> Plan:
    """The plan that `decisions` gives (one whole number per pipeline and month, then per decided move and
    month: `dynamics.decision_size`; a vector of the hires alone means no moves), with the cheapest
    overtime."""
    decisions = np.asarray(decisions, dtype=float)
    if len(decisions) < dynamics.decision_size(scenario):
        decisions = np.concatenate([decisions, np.zeros(dynamics.decision_size(scenario) - len(decisions))])
    months = dynamics.build(scenario)
    overtime_rate = scenario.overtime.cost_factor
    figures = []
    parts = {"salaries": 0.0, "hiring": 0.0, "moves": 0.0, "overtime": 0.0, "shortfall": 0.0}
    for month in range(scenario.months):
        label = scenario.month_label(month)
        for group in scenario.groups:
            m = months[(group.name, month)]
            present = m.headcount_start.at(decisions) + m.hires.at(decisions)
            productive = m.productive_fte.at(decisions)
            required = group.required_fte[month]
            gap = max(0.0, required - productive)
            overtime_cost = group.salary_per_month * overtime_rate
            overtime = 0.0
            if overtime_cost < scenario.shortfall_cost_per_fte_month:
                overtime = min(gap, scenario.overtime.max_share * max(productive, 0.0))
            short = max(0.0, gap - overtime)
            hiring_cost = sum(
                h.cost_per_hire * decisions[dynamics.hire_index(scenario, p, month)]
                for p, h in enumerate(scenario.hiring)
                if h.into == group.name
            )
            move_cost = sum(
                move.cost_per_move * decisions[dynamics.move_index(scenario, k, month)]
                for k, move in enumerate(scenario.moves)
                if move.source == group.name
            )
            parts["moves"] += move_cost
            salaries = group.salary_per_month * present
            cost = (
                salaries
                + hiring_cost
                + move_cost
                + overtime * overtime_cost
                + short * scenario.shortfall_cost_per_fte_month
            )
            parts["salaries"] += salaries
            parts["hiring"] += hiring_cost
            parts["overtime"] += overtime * overtime_cost
            parts["shortfall"] += short * scenario.shortfall_cost_per_fte_month
            figures.append(
                MonthFigures(
                    month=label,
                    group=group.name,
                    headcount_start=m.headcount_start.at(decisions),
                    hires=m.hires.at(decisions),
                    in_training=m.in_training.at(decisions),
                    leavers=m.leavers.at(decisions),
                    moved_out=m.moved_out.at(decisions),
                    moved_in=m.moved_in.at(decisions),
                    headcount_end=m.headcount_end.at(decisions),
                    productive_fte=productive,
                    required_fte=required,
                    overtime_fte=overtime,
                    short_fte=short,
                    cost=cost,
                )
            )
    intakes = []
    for p, hiring in enumerate(scenario.hiring):
        for month in range(scenario.months):
            count = int(np.rint(decisions[dynamics.hire_index(scenario, p, month)]))
            if count > 0:
                classes = math.ceil(count / hiring.class_max)
                intakes.append(Intake(scenario.month_label(month), hiring.into, p, classes, count))
    moves = [
        MoveDecision(scenario.month_label(month), move.source, move.target, people)
        for k, move in enumerate(scenario.moves)
        for month in range(scenario.months)
        if (people := int(np.rint(decisions[dynamics.move_index(scenario, k, month)]))) > 0
    ]
    return Plan(
        method=method,
        figures=tuple(figures),
        intakes=tuple(intakes),
        total_cost=sum(f.cost for f in figures),
        short_fte_months=sum(f.short_fte for f in figures),
        shortfalls=tuple(shortfalls(scenario, figures, decisions)),
        report=report,
        cost_parts=parts,
        moves=tuple(moves),
    )


def solve(
    scenario: Scenario,
    *,
    time_limit: float = 30.0,
    solver: str = "highs",
    should_stop: stopping.ShouldStop | None = None,
    lookahead: int = 0,
) -> Plan:
    """The cheapest plan the integer programme finds within `time_limit` seconds; `should_stop` answering
    True stops it (`stopping.SolveStopped`).

    With `lookahead` months, the programme plans over the horizon and that many months more (each group
    requiring what it requires in the last month), and the plan keeps only the horizon's decisions: people
    hired near the end are then valued for the months they go on working, which the horizon alone does not
    see (without it, shortfalls gather in the last months, where a class would not pay for itself).
    """
    with stopping.stopping(should_stop):
        if lookahead <= 0:
            return _solve(scenario, time_limit, solver)
        longer = extended(scenario, lookahead)
        plan = _solve(longer, time_limit, solver)
        decisions = np.zeros(dynamics.decision_size(scenario))
        for p in range(len(scenario.hiring)):
            for month in range(scenario.months):
                decisions[dynamics.hire_index(scenario, p, month)] = _decided(plan, longer, p, month)
        for k in range(len(scenario.moves)):
            for month in range(scenario.months):
                decisions[dynamics.move_index(scenario, k, month)] = _moved(plan, longer, k, month)
        return evaluate(scenario, decisions, f"integer programme, {lookahead} months' lookahead", plan.report)


def extended(scenario: Scenario, months: int) -> Scenario:
    """The scenario over `months` more months, each group requiring its last month's figure."""
    groups = tuple(
        dataclasses.replace(g, required_fte=g.required_fte + (g.required_fte[-1],) * months)
        for g in scenario.groups
    )
    return dataclasses.replace(scenario, months=scenario.months + months, groups=groups)


def _decided(plan: Plan, scenario: Scenario, pipeline: int, month: int) -> int:
    label = scenario.month_label(month)
    return sum(i.hires for i in plan.intakes if i.pipeline == pipeline and i.month == label)


def _moved(plan: Plan, scenario: Scenario, move: int, month: int) -> int:
    label, wanted = scenario.month_label(month), scenario.moves[move]
    return sum(
        m.people
        for m in plan.moves
        if m.month == label and m.source == wanted.source and m.target == wanted.target
    )


def _solve(scenario: Scenario, time_limit: float, solver: str) -> Plan:
    months = dynamics.build(scenario)
    size = dynamics.decision_size(scenario)
    problem = pulp.LpProblem("capacity", pulp.LpMinimize)
    decision_vars, class_vars = [], []
    for p, hiring in enumerate(scenario.hiring):
        for month in range(scenario.months):
            most = hiring.max_classes_per_month
            n = pulp.LpVariable(f"classes_{p}_{month}", 0, most, cat=pulp.LpInteger)
            h = pulp.LpVariable(f"hires_{p}_{month}", 0, most * hiring.class_max, cat=pulp.LpInteger)
            problem += h >= hiring.class_min * n, f"class_min_{p}_{month}"
            problem += h <= hiring.class_max * n, f"class_max_{p}_{month}"
            decision_vars.append(h)
            class_vars.append(n)
    for k, move in enumerate(scenario.moves):
        for month in range(scenario.months):
            decision_vars.append(
                pulp.LpVariable(f"moves_{k}_{month}", 0, move.max_per_month, cat=pulp.LpInteger)
            )
    assert len(decision_vars) == size

    def expression(affine: dynamics.Affine) -> pulp.LpAffineExpression:
        terms = [
            (decision_vars[i], float(affine.coefficients[i]))
            for i in np.flatnonzero(np.abs(affine.coefficients) > 1e-12)
        ]
        return pulp.LpAffineExpression(terms, constant=affine.constant)

    objective = []
    for month in range(scenario.months):
        for g, group in enumerate(scenario.groups):
            m = months[(group.name, month)]
            productive = expression(m.productive_fte)
            overtime = pulp.LpVariable(f"overtime_{g}_{month}", 0)
            short = pulp.LpVariable(f"short_{g}_{month}", 0)
            problem += overtime <= scenario.overtime.max_share * productive, f"overtime_cap_{g}_{month}"
            problem += short >= group.required_fte[month] - productive - overtime, f"cover_{g}_{month}"
            objective.append(group.salary_per_month * (expression(m.headcount_start) + expression(m.hires)))
            objective.append(group.salary_per_month * scenario.overtime.cost_factor * overtime)
            objective.append(scenario.shortfall_cost_per_fte_month * short)
    for p, hiring in enumerate(scenario.hiring):
        for month in range(scenario.months):
            objective.append(hiring.cost_per_hire * decision_vars[dynamics.hire_index(scenario, p, month)])
    for month in range(scenario.months):
        for g, group in enumerate(scenario.groups):
            leaving = [(k, move) for k, move in enumerate(scenario.moves) if move.source == group.name]
            if not leaving:
                continue
            decided = pulp.lpSum(decision_vars[dynamics.move_index(scenario, k, month)] for k, _ in leaving)
            staying = expression(months[(group.name, month)].full_speed_staying)
            problem += decided <= staying, f"moves_from_full_speed_{g}_{month}"
            for k, move in leaving:
                objective.append(move.cost_per_move * decision_vars[dynamics.move_index(scenario, k, month)])
    problem += pulp.lpSum(objective)
    report = solvers.solve(problem, time_limit=time_limit, solver=solver, gap_rel=1e-6)
    if not report.has_solution:
        return evaluate(scenario, np.zeros(size), "integer programme", report)
    hires = np.array([round(v.value() or 0.0) for v in decision_vars], dtype=float)
    return evaluate(scenario, hires, "integer programme", report)


def spreadsheet_rule(scenario: Scenario) -> Plan:
    """The planners' rule: each month, hire the gap `training_months` ahead, in classes.

    For each month m and pipeline, the gap is the group's required FTE in month m + training_months less
    what it will produce then with the classes already decided (at full speed: the rule ignores the ramp),
    in heads; it is hired now in as few classes as hold it, each within the class size range, at most
    max_classes_per_month. Months whose class would finish training after the horizon hire nothing.
    """
    months = dynamics.build(scenario)
    hires = np.zeros(dynamics.decision_size(scenario))
    for month in range(scenario.months):
        for p, hiring in enumerate(scenario.hiring):
            ready = month + hiring.training_months
            if ready >= scenario.months or hiring.max_classes_per_month == 0:
                continue
            group = scenario.group(hiring.into)
            target = months[(group.name, ready)]
            productive = target.productive_fte.at(hires)
            gap_fte = group.required_fte[ready] - productive
            if gap_fte <= SMALL or group.productivity <= 0:
                continue
            heads = math.ceil(gap_fte / group.productivity - SMALL)
            classes = min(math.ceil(heads / hiring.class_max), hiring.max_classes_per_month)
            size = min(max(heads, classes * hiring.class_min), classes * hiring.class_max)
            hires[dynamics.hire_index(scenario, p, month)] = size
    return evaluate(scenario, hires, "spreadsheet rule")
