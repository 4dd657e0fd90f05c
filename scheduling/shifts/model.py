"""The covering ILP: how many agents start each template variant on each day, with breaks placed.

Variables
  x[v]      integer, agents starting variant v (template, skill group, day, start, length).
  z[k,s,o]  integer, agents of break class k (one break rule of one template) who started at interval s
            and take that break o intervals after their start. One set per start time, shared by every
            length starting then that takes the break: sum_o z[k,s,o] = sum of those x.
  short     continuous, agents missing per interval (and queue); coverage is soft.
  y         continuous, on-phone agents of skill group g given to queue q (only with several skill groups).
On the phones in interval t = agents whose shift spans t - agents whose break spans t >= need - short.

Skill groups (optional, from the agents' skills: see `skill_groups`): each template is worked by each group
whose queues it lets them serve (the group's queues within the template's), so a variant belongs to one
template and one group; a group never starts more shifts on a day than it has agents that day, nor more
in a week than `SkillGroup.shifts_per_week`. Each group's agents on in an interval are shared among the
queues the group may serve (flows y), an agent counted once per interval. Without skill groups a
template's own queues are its group, and nobody limits how many start.

Why explicit break variables per start time (Aykin 1996, aggregated over lengths) rather than the implicit
model of Bechtold & Jacobs: both were built and measured on the 4-week, 15-minute, four-length, three-break
instance of bench/covering.py. The implicit model (break variables per time with first-in-first-out
feasibility rows, written with pending counts or with cumulative counts) is smaller, but its rows chain
the whole horizon together, the simplex basis becomes dense, and the LP relaxation alone took 16-40 s.
The explicit model has more columns (19 per start there) but every row is local: the same LP solves in
under a second. Aggregating over lengths keeps it at one set of break variables per start, not per shift.

Time runs on an unrolled axis of intervals from the first midnight; shifts of the last day spill past the
horizon. Non-cyclic (default), spilled time is not counted; cyclic, it folds onto the horizon's start.

`build_model(..., relaxed=True)` gives the LP relaxation; `keep`/`bounds` restrict the variants (a
neighbourhood of the LP solution searched by `covering.plan_shifts`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pulp

from scheduling.shifts.requirement import Requirement
from scheduling.shifts.skill_groups import SkillGroup
from scheduling.shifts.templates import BreakRule, ShiftTemplate, SiteLimit, TemplateError

ALL = "*"


@dataclass
class Variant:
    """One (template, day, start, length): the unit the model counts agents of."""

    template: int
    day: int
    start_minute: int
    length_minutes: int
    start: int  # interval index on the unrolled axis
    length: int  # intervals
    cost: float
    group: frozenset[str]  # the queues its agents may serve
    skill_group: int = -1  # index into the skill groups given (-1: none given)


@dataclass
class BreakClass:
    """All shifts of one template that take one break rule."""

    template: int
    rule: BreakRule
    first: int  # earliest break start, intervals after the shift start
    last: int  # latest break start, intervals after the shift start
    length: int  # intervals
    supply: dict[int, list[int]] = field(default_factory=dict)  # shift start -> variant indexes
    breaks: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)  # (start, offset) -> z


@dataclass
class CoveringModel:
    problem: pulp.LpProblem
    requirement: Requirement
    templates: list[ShiftTemplate]
    variants: list[Variant]
    x: list[pulp.LpVariable | None]  # None: variant left out of this model
    classes: list[BreakClass]
    groups: list[frozenset[str]]  # the sets of queues variants' agents may serve (flows go from these)
    pooled: bool  # one skill group serves every queue: queues are summed
    short: dict[tuple[int, int], pulp.LpVariable]  # (queue index or -1 when pooled, interval) -> var
    flows: dict[tuple[int, int, int], pulp.LpVariable]  # (group, queue, interval) -> var
    penalty: float
    cyclic: bool
    unit: int | None  # every objective value is a multiple of this (None: costs are not whole numbers)
    skill_groups: list[SkillGroup] = field(default_factory=list)


def _intervals(minutes: int, step: int, template: str, field_name: str) -> int:
    if minutes % step:
        raise TemplateError(
            f"template {template!r}, field {field_name!r}: {minutes} minutes is not a "
            f"multiple of the requirement's {step}-minute interval"
        )
    return minutes // step


def _served(template: ShiftTemplate, queues: frozenset[str], skill_groups: list[SkillGroup] | None):
    """(skill group index, queues served) pairs a template's shifts are worked by."""
    allowed = queues if not template.queues else frozenset(template.queues) & queues
    if not allowed:  # serves none of the queues planned: nobody would start it
        return []
    if skill_groups is None:
        return [(-1, allowed)]
    return [(g, group.queues & allowed) for g, group in enumerate(skill_groups) if group.queues & allowed]


def build_variants(
    requirement: Requirement,
    templates: list[ShiftTemplate],
    cyclic: bool,
    skill_groups: list[SkillGroup] | None = None,
) -> list[Variant]:
    step, per_day = requirement.interval_minutes, requirement.intervals_per_day
    variants = []
    weekdays = requirement.weekdays()
    queues = frozenset(requirement.queues)
    for t_index, template in enumerate(templates):
        served = _served(template, queues, skill_groups)
        costs: dict[tuple[int, int, int], float] = {}
        for rule in template.breaks:
            for name, minutes in (
                ("window", rule.window_start),
                ("window", rule.window_end),
                ("minutes", rule.minutes),
            ):
                _intervals(minutes, step, template.name, f"breaks[{rule.name}].{name}")
        for start_minute, length_minutes in template.variants():
            start = _intervals(start_minute, step, template.name, "start")
            length = _intervals(length_minutes, step, template.name, "length_minutes")
            if cyclic and length > requirement.n_intervals:
                raise TemplateError(
                    f"template {template.name!r}, field 'length_minutes': longer than the cyclic horizon"
                )
            for day, weekday in enumerate(weekdays):
                if weekday not in template.days:
                    continue
                key = (weekday, start_minute, length_minutes)
                if key not in costs:
                    costs[key] = template.shift_cost(weekday, start_minute, length_minutes)
                for skill_group, group in served:
                    variants.append(
                        Variant(
                            t_index,
                            day,
                            start_minute,
                            length_minutes,
                            day * per_day + start,
                            length,
                            costs[key],
                            group,
                            skill_group,
                        )
                    )
    return variants


def cost_unit(costs: list[float]) -> int | None:
    """The largest whole number every cost is a multiple of (None when some cost is fractional).

    Every plan's objective is then a multiple of it, so an LP bound can be rounded up to the next multiple,
    which is what proves many plans optimal within 0.1% without any branching.
    """
    if not costs or not all(float(c).is_integer() for c in costs):
        return None
    return math.gcd(*(int(c) for c in costs)) or None


def default_penalty(variants: list[Variant]) -> float:
    """Twice the dearest shift plus a unit: a shortfall stays only where no added shift could cover it.

    (The unit is the costs' common divisor, so that penalties keep objectives on the same grid.)
    """
    highest = max((v.cost for v in variants), default=1.0)
    unit = cost_unit([v.cost for v in variants]) or 1
    return float(np.ceil(2 * highest / unit) * unit + unit)


def build_model(
    requirement: Requirement,
    templates: list[ShiftTemplate],
    site_limits: list[SiteLimit],
    *,
    cyclic: bool = False,
    penalty: float | None = None,
    relaxed: bool = False,
    keep: set[int] | None = None,
    bounds: dict[int, tuple[int, int]] | None = None,
    variants: list[Variant] | None = None,
    skill_groups: list[SkillGroup] | None = None,
) -> CoveringModel:
    """Build the covering ILP (see the module docstring); nothing is solved here."""
    n = requirement.n_intervals
    if variants is None:
        variants = build_variants(requirement, templates, cyclic, skill_groups)
    if penalty is None:
        penalty = default_penalty(variants)
    category = pulp.LpContinuous if relaxed else pulp.LpInteger
    problem = pulp.LpProblem("shift_covering", pulp.LpMinimize)
    x = _shift_variables(len(variants), keep, bounds or {}, category)
    constraints: list[tuple[dict, int, float, str]] = []

    groups = sorted({v.group for v in variants}, key=sorted)
    pooled = len(groups) <= 1 and (not groups or groups[0] == frozenset(requirement.queues))
    cover = _CoverRows(groups, pooled, n, cyclic)
    for i, v in enumerate(variants):
        if x[i] is not None:
            cover.add_span(v.group, x[i], v.start, v.length, 1)
    classes = _break_classes(requirement, templates, variants, x)
    _add_breaks(classes, variants, x, category, cover, constraints)

    short: dict[tuple[int, int], pulp.LpVariable] = {}
    flows: dict[tuple[int, int, int], pulp.LpVariable] = {}
    if pooled:
        _add_pooled_cover(requirement, cover.rows[0], short, constraints)
    else:
        _add_queue_flows(requirement, groups, cover.rows, short, flows, constraints)
    _add_site_limits(requirement, templates, site_limits, variants, x, cyclic, constraints)
    _add_group_limits(requirement, skill_groups or [], variants, x, constraints)

    objective = pulp.LpAffineExpression([(x[i], v.cost) for i, v in enumerate(variants) if x[i] is not None])
    for var in short.values():
        objective[var] = penalty
    problem.setObjective(objective)
    for row, sense, rhs, name in constraints:
        row = {var: coef for var, coef in row.items() if coef}
        problem.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(row), sense, rhs=rhs), name)
    unit = cost_unit([v.cost for v in variants] + [penalty])
    return CoveringModel(
        problem,
        requirement,
        templates,
        variants,
        x,
        classes,
        groups,
        pooled,
        short,
        flows,
        penalty,
        cyclic,
        unit,
        list(skill_groups or []),
    )


def _shift_variables(
    count: int, keep: set[int] | None, bounds: dict[int, tuple[int, int]], category: str
) -> list[pulp.LpVariable | None]:
    """x[i]: how many agents work variant i, within its bounds; None for a variant left out (`keep`)."""
    return [
        pulp.LpVariable(
            f"x{i}", lowBound=bounds.get(i, (0, None))[0], upBound=bounds.get(i, (0, None))[1], cat=category
        )
        if keep is None or i in keep
        else None
        for i in range(count)
    ]


class _CoverRows:
    """The cover constraints' left-hand sides, {variable: coefficient} per interval: one set of rows
    per skill group, or one in all when the groups are pooled."""

    def __init__(self, groups: list[frozenset[str]], pooled: bool, n: int, cyclic: bool) -> None:
        self.group_index = {g: i for i, g in enumerate(groups)}
        self.pooled, self.n, self.cyclic = pooled, n, cyclic
        self.rows: list[list[dict]] = [[{} for _ in range(n)] for _ in range(1 if pooled else len(groups))]

    def add_span(self, group: frozenset[str], var, begin: int, length: int, coef: int) -> None:
        """Add `coef` × `var` to the intervals begin..begin+length of `group` (wrapping when cyclic)."""
        target = self.rows[0 if self.pooled else self.group_index[group]]
        for u in range(begin, begin + length):
            if u >= self.n:
                if not self.cyclic:
                    return
                u %= self.n
            target[u][var] = target[u].get(var, 0) + coef


def _add_breaks(
    classes: list[BreakClass],
    variants: list[Variant],
    x: list,
    category: str,
    cover: _CoverRows,
    constraints: list[tuple[dict, int, float, str]],
) -> None:
    """Take each break off the cover: a fixed break where it is; a break with a window through one
    variable per offset, as many in all as agents start that shift (z, constraint b)."""
    for k, klass in enumerate(classes):
        group = variants[next(iter(klass.supply.values()))[0]].group
        for start, members in klass.supply.items():
            supply = {x[i]: -1 for i in members}
            if klass.first == klass.last:  # fixed break: no choice, no variables
                for i in members:
                    cover.add_span(group, x[i], start + klass.first, klass.length, -1)
                continue
            for offset in range(klass.first, klass.last + 1):
                z = pulp.LpVariable(f"z{k}_{start}_{offset}", lowBound=0, cat=category)
                klass.breaks[(start, offset)] = z
                supply[z] = 1
                cover.add_span(group, z, start + offset, klass.length, -1)
            constraints.append((supply, pulp.LpConstraintEQ, 0.0, f"b{k}_{start}"))


def _add_pooled_cover(
    requirement: Requirement,
    rows: list[dict],
    short: dict[tuple[int, int], pulp.LpVariable],
    constraints: list[tuple[dict, int, float, str]],
) -> None:
    """One skill group for every queue: on-phone agents plus the shortfall meet the total need."""
    need = requirement.total()
    for t in range(requirement.n_intervals):
        if need[t] > 0:
            short[(-1, t)] = s = pulp.LpVariable(f"s{t}", lowBound=0)
            row = rows[t]
            row[s] = 1
            constraints.append((row, pulp.LpConstraintGE, float(need[t]), f"c{t}"))


def _break_classes(
    requirement: Requirement, templates: list[ShiftTemplate], variants: list[Variant], x: list
) -> list[BreakClass]:
    step = requirement.interval_minutes
    classes: dict[tuple[int, int, str], BreakClass] = {}  # (template, skill group, rule) -> class
    for i, variant in enumerate(variants):
        if x[i] is None:
            continue
        template = templates[variant.template]
        for rule in template.breaks_for(variant.length_minutes):
            key = (variant.template, variant.skill_group, rule.name)
            if key not in classes:
                classes[key] = BreakClass(
                    variant.template,
                    rule,
                    first=rule.window_start // step,
                    last=rule.latest_start // step,
                    length=rule.minutes // step,
                )
            classes[key].supply.setdefault(variant.start, []).append(i)
    return list(classes.values())


def _add_queue_flows(requirement, groups, rows, short, flows, constraints) -> None:
    """Several skill groups: on-phone agents of each group are shared out among the queues it serves
    (flows only where some shift of the group spans the interval: elsewhere the group has nobody to give)."""
    for t in range(requirement.n_intervals):
        for q, queue in enumerate(requirement.queues):
            need = float(requirement.values[q, t])
            if need <= 0:
                continue
            short[(q, t)] = s = pulp.LpVariable(f"s{q}_{t}", lowBound=0)
            row = {s: 1}
            for g, group in enumerate(groups):
                if queue in group and any(coef > 0 for coef in rows[g][t].values()):
                    flows[(g, q, t)] = y = pulp.LpVariable(f"y{g}_{q}_{t}", lowBound=0)
                    row[y] = 1
            constraints.append((row, pulp.LpConstraintGE, need, f"c{q}_{t}"))
        for g in range(len(groups)):
            used = [flows[(g, q, t)] for q in range(len(requirement.queues)) if (g, q, t) in flows]
            if not used:
                continue
            row = rows[g][t]
            for y in used:
                row[y] = -1
            constraints.append((row, pulp.LpConstraintGE, 0.0, f"g{g}_{t}"))


def _add_group_limits(requirement, skill_groups, variants, x, constraints) -> None:
    """A skill group starts at most as many shifts a day as it has agents that day, and at most its
    `shifts_per_week` in each week of the plan (weeks counted from the plan's first day)."""
    by_day: dict[tuple[int, int], dict] = {}
    for i, v in enumerate(variants):
        if x[i] is not None and v.skill_group >= 0:
            by_day.setdefault((v.skill_group, v.day), {})[x[i]] = 1
    for (g, day), row in sorted(by_day.items()):
        constraints.append((row, pulp.LpConstraintLE, float(skill_groups[g].agents_on(day)), f"ga{g}_{day}"))
    for g, group in enumerate(skill_groups):
        if group.shifts_per_week is None:
            continue
        weeks: dict[int, dict] = {}
        for (gg, day), row in by_day.items():
            if gg == g:
                weeks.setdefault(day // 7, {}).update(row)
        for week, row in sorted(weeks.items()):
            constraints.append((row, pulp.LpConstraintLE, float(group.shifts_per_week), f"gw{g}_{week}"))


def _add_site_limits(requirement, templates, site_limits, variants, x, cyclic, constraints) -> None:
    n = requirement.n_intervals
    for li, limit in enumerate(site_limits):
        members = [
            i for i, v in enumerate(variants) if x[i] is not None and templates[v.template].site == limit.site
        ]
        if limit.max_agents is not None:
            present: list[dict] = [{} for _ in range(n)]
            for i in members:
                for u in range(variants[i].start, variants[i].start + variants[i].length):
                    if u >= n and not cyclic:
                        break
                    present[u % n][x[i]] = present[u % n].get(x[i], 0) + 1
            for t, row in enumerate(present):
                if row:
                    constraints.append((row, pulp.LpConstraintLE, float(limit.max_agents), f"sa{li}_{t}"))
        if limit.max_starts_per_interval is not None:
            by_start: dict[int, dict] = {}
            for i in members:
                by_start.setdefault(variants[i].start, {})[x[i]] = 1
            for start, row in sorted(by_start.items()):
                constraints.append(
                    (row, pulp.LpConstraintLE, float(limit.max_starts_per_interval), f"ss{li}_{start}")
                )
