"""The integer model of a `RosterProblem`, built with PuLP over lists (fast to build, see SOLVER_NOTES).

x[e, d, s] = 1 when employee e works shift s on day d; variables exist only where the rules allow the
assignment, so days off, availability, skills and zero shift caps cost nothing to enforce. Consecutive
rules are forbidden-pattern rows over the work indicator w[e, d] = sum_s x[e, d, s]; "cannot follow" is
aggregated (x[e,d,s] + sum of forbidden successors on d+1 <= 1), which is tighter than pairwise rows.

In elastic mode every hard staff row gets a penalised slack; the slacks that stay non-zero say which rule,
employee and days make a roster impossible. PuLP does not hand the objective's constant to HiGHS, so the
constant (weights of on-requests) is kept in `offset` and added back by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import pulp

from scheduling import stopping
from scheduling.roster.model import Roster, RosterProblem, Staff
from scheduling.roster.stretches import add_stretch_network

ELASTIC_WEIGHT = 100_000
LE, GE = pulp.LpConstraintLE, pulp.LpConstraintGE


@dataclass
class HardRow:
    rule: str
    employee: str
    days: tuple[int, ...]
    constraint: pulp.LpConstraint
    slack: pulp.LpVariable | None = None


class CoverSlack(NamedTuple):
    """One cover row (a shift's or an interval's): its day, the (day, shift) cells that count, and its
    shortfall and surplus columns."""

    day: int
    cells: tuple[tuple[int, str], ...]
    under: pulp.LpVariable
    over: pulp.LpVariable


@dataclass
class Formulation:
    """The model and the index maps that say what its columns and rows are, so nothing downstream has to
    read structure back out of variable names."""

    problem: RosterProblem
    lp: pulp.LpProblem
    x: dict[tuple[int, int, str], pulp.LpVariable]  # (employee index, day, shift id)
    offset: float
    hard_rows: list[HardRow] = field(default_factory=list)
    rows_by_employee: dict[int, list[pulp.LpConstraint]] = field(default_factory=dict)
    # employee -> weekend index (in `problem.weekends()`) -> worked-weekend flag, where one exists
    weekend_vars: dict[int, dict[int, pulp.LpVariable]] = field(default_factory=dict)
    # employee -> the arcs of their stretch network (work and off stretches), when it is used
    stretch_vars: dict[int, list[pulp.LpVariable]] = field(default_factory=dict)
    has_stretches: bool = False  # some employee's consecutive rules are a network with work stretches
    cover_slacks: list[CoverSlack] = field(default_factory=list)  # shift cover, then interval cover
    # Rows of costs that span many employees (interval cover, fairness), which the construction leaves
    # out and counts once everyone is placed (see `search.construct`).
    deferred_rows: list[pulp.LpConstraint] = field(default_factory=list)

    def owned(self) -> Iterator[tuple[int, pulp.LpVariable]]:
        """(employee index, column) for every column that belongs to one employee: their cells, their
        stretch arcs and their worked-weekend flags. Every other column is shared (cover slacks, interval
        counts, fairness, elastic slacks)."""
        for (e, _d, _s), var in self.x.items():
            yield e, var
        for e, arcs in self.stretch_vars.items():
            for var in arcs:
                yield e, var
        for e, flags in self.weekend_vars.items():
            for var in flags.values():
                yield e, var

    def roster_from_values(self, value: Callable[[pulp.LpVariable], float]) -> Roster:
        """Read a roster through `value(var) -> float` (PuLP's varValue or a HiGHS column vector)."""
        rows: dict[str, list[str | None]] = {p.id: [None] * self.problem.horizon for p in self.problem.staff}
        for (e, d, s), var in self.x.items():
            if value(var) > 0.5:
                rows[self.problem.staff[e].id][d] = s
        return {emp: tuple(days) for emp, days in rows.items()}

    def broken_hard_rules(self, value: Callable[[pulp.LpVariable], float]) -> list[HardRow]:
        """Hard rows whose elastic slack is in use (elastic mode only)."""
        return [r for r in self.hard_rows if r.slack is not None and value(r.slack) > 1e-6]


def build(
    problem: RosterProblem, elastic: frozenset[str] = frozenset(), stretches: bool = True
) -> Formulation:
    """Build the model; employees named in `elastic` get penalised slacks on their hard rules.

    `stretches` states the consecutive rules as a stretch network (tighter) instead of window rows;
    elastic employees always get window rows, whose slacks name the days at fault.
    """
    lp = pulp.LpProblem(f"roster_{problem.name or 'model'}".replace(" ", "_"), pulp.LpMinimize)
    x: dict[tuple[int, int, str], pulp.LpVariable] = {}
    for e, person in enumerate(problem.staff):
        for d in range(problem.horizon):
            for k, s in enumerate(problem.shift_ids):
                if problem.allowed(person, d, s):
                    x[e, d, s] = pulp.LpVariable(f"x_{e}_{d}_{k}", cat=pulp.LpBinary)
    form = Formulation(problem, lp, x, 0.0)
    objective: list[tuple[pulp.LpVariable, float]] = []
    for e, person in enumerate(problem.staff):
        stopping.check()  # a big model takes seconds to build (see `scheduling.stopping`)
        _staff_rows(form, e, person, person.id in elastic, objective, stretches and person.id not in elastic)
    stopping.check()
    _soft_terms(form, objective)
    lp += pulp.LpAffineExpression(objective)
    return form


def _work(form: Formulation, e: int, d: int) -> list[pulp.LpVariable]:
    return [form.x[e, d, s] for s in form.problem.shift_ids if (e, d, s) in form.x]


def _add(form, e, rule, days, expr, sense, rhs, elastic, objective) -> None:
    """Add one hard row `expr (sense) rhs`, with a penalised slack in elastic mode."""
    slack = None
    if elastic:
        slack = pulp.LpVariable(f"slack_{len(form.hard_rows)}", lowBound=0)
        expr = expr + (-slack if sense == pulp.LpConstraintLE else slack)
        # Minutes rows count a shift's worth of minutes like one broken shift rule, so the diagnosis
        # names the rule a person would (too few hours) rather than the one with the smallest unit.
        unit = _mean_shift_minutes(form.problem) if "minutes" in rule else 1.0
        objective.append((slack, ELASTIC_WEIGHT / unit))
    constraint = pulp.LpConstraint(expr, sense, rhs=rhs, name=f"h{len(form.hard_rows)}_{rule}")
    form.lp += constraint
    form.hard_rows.append(HardRow(rule, form.problem.staff[e].id, days, constraint, slack))
    form.rows_by_employee.setdefault(e, []).append(constraint)


def _mean_shift_minutes(problem: RosterProblem) -> float:
    lengths = [s.minutes for s in problem.shifts if s.minutes > 0]
    return sum(lengths) / len(lengths) if lengths else 1.0


def _staff_rows(
    form: Formulation, e: int, person: Staff, elastic: bool, objective: list, network: bool
) -> None:
    """Every hard row of one employee, in a fixed order (the order of the model's rows)."""
    rows = _EmployeeRows(form, e, person, elastic, objective)
    rows.day_rows()
    rows.total_rows()
    rows.follow_rows()
    if network:
        stretch = add_stretch_network(form.lp, e, person, rows.w, form.problem.horizon)
        form.rows_by_employee.setdefault(e, []).extend(stretch.rows)
        form.stretch_vars[e] = stretch.arcs
        form.has_stretches = form.has_stretches or stretch.works
    else:
        rows.window_rows()
    rows.weekend_rows()


class _EmployeeRows:
    """One employee's hard rows, each added through `add` (with its elastic slack when elastic)."""

    def __init__(self, form: Formulation, e: int, person: Staff, elastic: bool, objective: list) -> None:
        self.form, self.e, self.person, self.elastic, self.objective = form, e, person, elastic, objective
        self.problem, self.horizon = form.problem, form.problem.horizon
        self.w = [_work(form, e, d) for d in range(self.horizon)]

    def total(self, days) -> pulp.LpAffineExpression:
        return pulp.lpSum(v for d in days for v in self.w[d])

    def add(self, rule, days, expr, sense, rhs) -> None:
        _add(self.form, self.e, rule, tuple(days), expr, sense, rhs, self.elastic, self.objective)

    def minutes(self, days) -> pulp.LpAffineExpression:
        x, problem = self.form.x, self.problem
        return pulp.LpAffineExpression(
            [
                (x[self.e, d, s], problem.shift(s).minutes)
                for d in days
                for s in problem.shift_ids
                if (self.e, d, s) in x
            ]
        )

    def day_rows(self) -> None:
        """One shift a day, and the pinned cells."""
        for d in range(self.horizon):
            if len(self.w[d]) > 1:
                self.add("one_shift_a_day", [d], pulp.lpSum(self.w[d]), LE, 1)
        for (emp, d), shift in self.problem.pinned.items():
            if emp != self.person.id:
                continue
            if shift is None:
                self.add("pinned", [d], self.total([d]), LE, 0)
            else:
                var = self.form.x.get((self.e, d, shift))
                self.add("pinned", [d], pulp.LpAffineExpression([(var, 1)] if var is not None else []), GE, 1)

    def total_rows(self) -> None:
        """Most shifts of each type, total minutes, and minutes in each week."""
        person, x, e = self.person, self.form.x, self.e
        for s, cap in person.max_shifts.items():
            own = [x[e, d, s] for d in range(self.horizon) if (e, d, s) in x]
            if cap < len(own):
                self.add("max_shifts", [], pulp.lpSum(own), LE, cap)
        minutes = self.minutes(range(self.horizon))
        if person.max_minutes is not None:
            self.add("max_minutes", [], minutes, LE, person.max_minutes)
        if person.min_minutes > 0:
            self.add("min_minutes", [], minutes, GE, person.min_minutes)
        for days, whole in self.problem.weeks():
            week_minutes = self.minutes(days)
            if person.max_week_minutes is not None:
                self.add("max_week_minutes", days, week_minutes, LE, person.max_week_minutes)
            if person.min_week_minutes is not None and whole:
                self.add("min_week_minutes", days, week_minutes, GE, person.min_week_minutes)

    def follow_rows(self) -> None:
        """A shift and every shift that cannot follow it on the next day: at most one of them."""
        x, e, problem = self.form.x, self.e, self.problem
        for d in range(self.horizon - 1):
            for s in problem.shift_ids:
                if (e, d, s) not in x:
                    continue
                later = [x[e, d + 1, t] for t in problem.shift(s).cannot_follow if (e, d + 1, t) in x]
                if later:
                    self.add("cannot_follow", [d, d + 1], pulp.lpSum([x[e, d, s], *later]), LE, 1)

    def window_rows(self) -> None:
        """The consecutive rules as forbidden windows (without the stretch network)."""
        w, horizon, person = self.w, self.horizon, self.person
        k = person.max_consecutive
        if k is not None and k < horizon:
            for d in range(horizon - k):
                window = range(d, d + k + 1)
                if sum(1 for day in window if w[day]) > k:
                    self.add("max_consecutive", window, self.total(window), LE, k)
        # A work block of length < min_consecutive strictly inside the horizon is forbidden:
        # sum(w[d..d+L-1]) - w[d-1] - w[d+L] <= L - 1.
        for length in range(1, person.min_consecutive):
            for d in range(1, horizon - length):
                inner = range(d, d + length)
                if all(w[day] for day in inner):
                    rest = self.total(inner) - self.total([d - 1, d + length])
                    self.add("min_consecutive", inner, rest, LE, length - 1)
        # An off block of length < min_days_off strictly inside: w[d-1] + w[d+L] - sum(w[d..d+L-1]) <= 1.
        for length in range(1, person.min_days_off):
            for d in range(1, horizon - length):
                inner = range(d, d + length)
                if w[d - 1] and w[d + length]:
                    self.add(
                        "min_days_off", inner, self.total([d - 1, d + length]) - self.total(inner), LE, 1
                    )

    def weekend_rows(self) -> None:
        """Working-weekend indicators: wk >= each day's work, wk <= their sum, count <= max_weekends."""
        form, e, person, w = self.form, self.e, self.person, self.w
        weekends = form.problem.weekends()
        needs_indicator = any(
            person.id in g.employees for g in form.problem.fairness if g.measure == "weekends"
        )
        if (person.max_weekends is None or person.max_weekends >= len(weekends)) and not needs_indicator:
            return
        indicators: dict[int, pulp.LpVariable] = {}
        for i, (sat, sun) in enumerate(weekends):
            if not w[sat] and not w[sun]:
                continue
            wk = pulp.LpVariable(f"wk_{e}_{i}", cat=pulp.LpBinary)
            for day in (sat, sun):
                if w[day]:
                    form.lp += pulp.lpSum(w[day]) - wk <= 0
            form.lp += wk - pulp.lpSum(w[sat] + w[sun]) <= 0
            indicators[i] = wk
        form.weekend_vars[e] = indicators
        if person.max_weekends is not None and len(indicators) > person.max_weekends:
            self.add(
                "max_weekends",
                [d for pair in weekends for d in pair],
                pulp.lpSum(list(indicators.values())),
                LE,
                person.max_weekends,
            )


def _soft_terms(form: Formulation, objective: list) -> None:
    problem = form.problem
    index = {p.id: e for e, p in enumerate(problem.staff)}
    for r in problem.requests:
        e = index[r.employee]
        cells = [
            form.x[e, r.day, s]
            for s in ([r.shift] if r.shift else problem.shift_ids)
            if (e, r.day, s) in form.x
        ]
        if r.on:  # weight * (1 - sum cells)
            form.offset += r.weight
            objective.extend((v, -r.weight) for v in cells)
        else:
            objective.extend((v, r.weight) for v in cells)
    for c in problem.cover:
        cells = [
            form.x[e, c.day, c.shift] for e in range(len(problem.staff)) if (e, c.day, c.shift) in form.x
        ]
        under = pulp.LpVariable(f"under_{c.day}_{c.shift}", lowBound=0, upBound=c.requirement)
        over = pulp.LpVariable(f"over_{c.day}_{c.shift}", lowBound=0)
        form.lp += pulp.LpConstraint(
            pulp.lpSum(cells) + under - over,
            pulp.LpConstraintEQ,
            rhs=c.requirement,
            name=f"cover_{c.day}_{c.shift}",
        )
        objective.extend([(under, c.under_weight), (over, c.over_weight)])
        form.cover_slacks.append(CoverSlack(c.day, ((c.day, c.shift),), under, over))
    _interval_cover_terms(form, objective)
    if problem.change_weight:
        for (emp, d), shift in problem.previous.items():
            e = index[emp]
            work = _work(form, e, d)
            if shift is None:
                objective.extend((v, problem.change_weight) for v in work)
            else:
                form.offset += problem.change_weight
                if (e, d, shift) in form.x:
                    objective.append((form.x[e, d, shift], -problem.change_weight))
    for g_index, group in enumerate(problem.fairness):
        _fairness_terms(form, g_index, group, index, objective)


def _interval_cover_terms(form: Formulation, objective: list) -> None:
    """Employees at work during each interval against its requirement. Intervals counting the same cells
    with the same shares (most of a day's, between two shift starts or ends) share one `at` column equal to
    that count, so each interval's row is three columns long instead of one per employee and shift."""
    problem = form.problem
    at_work: dict[tuple[tuple[int, str, float], ...], pulp.LpVariable] = {}
    for i, need in enumerate(problem.interval_cover):
        if i % 100 == 0:
            stopping.check()
        cells = problem.covering(need)
        if cells not in at_work:
            count = pulp.LpVariable(f"at_{need.day}_{len(at_work)}", lowBound=0)
            terms = [
                (form.x[e, d, s], share)
                for d, s, share in cells
                for e in range(len(problem.staff))
                if (e, d, s) in form.x
            ]
            row = pulp.LpConstraint(
                pulp.LpAffineExpression(terms) - count,
                pulp.LpConstraintEQ,
                rhs=0,
                name=f"at_{need.day}_{len(at_work)}",
            )
            form.lp += row
            form.deferred_rows.append(row)
            at_work[cells] = count
        under = pulp.LpVariable(f"under_{need.day}_i{i}", lowBound=0, upBound=need.requirement)
        over = pulp.LpVariable(f"over_{need.day}_i{i}", lowBound=0)
        row = pulp.LpConstraint(
            at_work[cells] + under - over,
            pulp.LpConstraintEQ,
            rhs=need.requirement,
            name=f"need_{need.day}_i{i}",
        )
        form.lp += row
        form.deferred_rows.append(row)
        objective.extend([(under, need.under_weight), (over, need.over_weight)])
        form.cover_slacks.append(CoverSlack(need.day, tuple((d, s) for d, s, _share in cells), under, over))


def _fairness_terms(form, g_index, group, index, objective) -> None:
    """weight * sum_e |count_e - mean| with count_e linear in x, via deviation variables."""
    problem = form.problem
    counts = []
    for emp in group.employees:
        e = index[emp]
        if group.measure == "weekends":
            counts.append(pulp.lpSum(list(form.weekend_vars.get(e, {}).values())))
        elif group.measure == "hours":
            counts.append(
                pulp.LpAffineExpression(
                    [
                        (form.x[e, d, s], problem.shift(s).minutes / 60)
                        for d in range(problem.horizon)
                        for s in problem.shift_ids
                        if (e, d, s) in form.x
                    ]
                )
            )
        else:
            counts.append(
                pulp.lpSum(
                    form.x[e, d, s]
                    for d in range(problem.horizon)
                    for s in group.shifts
                    if (e, d, s) in form.x
                )
            )
    n = len(counts)
    if n < 2:
        return
    # The mean is a column of its own, tied to the counts by one row: written out in every deviation row
    # it made each of them as long as the whole group's cells (hours of 100 agents: 6 million nonzeros).
    mean = pulp.LpVariable(f"mean_{g_index}")
    rows = [
        pulp.LpConstraint(pulp.lpSum(counts) - n * mean, pulp.LpConstraintEQ, rhs=0, name=f"mean_{g_index}")
    ]
    for i, count in enumerate(counts):
        dev = pulp.LpVariable(f"fair_{g_index}_{i}", lowBound=0)
        rows += [dev - count + mean >= 0, dev + count - mean >= 0]
        objective.append((dev, group.weight))
    for row in rows:
        form.lp += row
    form.deferred_rows.extend(rows)
