"""How headcount moves month by month, as linear functions of the hires: one model for solver and rule.

The plan is in expected FTE. Attrition and promotions are probabilities, so the leavers and movers of a
month are expectations (`rate × people present`), not whole people; rounding them to whole people each month
would either bias the plan or, inside the optimiser, let it pick the roundings that suit it. Hires (and any
cross-training moves) are the decisions, and they are whole people (integer variables). Every other figure
is an exact linear function of them, and `rows.balanced` prints them so that each CSV row balances exactly.

In month m a group holds `present = headcount_start + hires` (classes start on the first of the month).
During the month `leavers = attrition × present` and `moved_out = Σ rate × present` leave; `moved_in`
arrives from other groups at the month's end (experienced, at full speed from the next month), so
`headcount_end = present - leavers - moved_out + moved_in` is the next month's start. Cross-training moves
the plan decides (`scenario.moves`) leave at the month's end too, from the people at full speed who
stay, and count in moved_out and moved_in. A class started in month s is present in month m ≥ s at
survival^(m-s) of its size (the same attrition and rates of moving as everyone in the group, except that
in its first twelve months the hiring's `first_year_attrition`, when given, replaces the group's: new
hires leave more often); it produces nothing in its first `training_months`, then its ramp shares, then
full speed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduling.capacity.scenario import Hiring, Scenario

FIRST_YEAR = 12  # months a hire counts as a newcomer (first_year_attrition)


@dataclass(frozen=True)
class Affine:
    """constant + coefficients · hires, where hires is the vector of (pipeline, month) class intakes."""

    constant: float
    coefficients: np.ndarray

    def __add__(self, other: Affine) -> Affine:
        return Affine(self.constant + other.constant, self.coefficients + other.coefficients)

    def __sub__(self, other: Affine) -> Affine:
        return Affine(self.constant - other.constant, self.coefficients - other.coefficients)

    def scaled(self, factor: float) -> Affine:
        return Affine(self.constant * factor, self.coefficients * factor)

    def at(self, hires: np.ndarray) -> float:
        return float(self.constant + self.coefficients @ hires)


@dataclass(frozen=True)
class GroupMonth:
    """One group's month as linear functions of the hires."""

    headcount_start: Affine
    hires: Affine
    in_training: Affine
    leavers: Affine
    moved_out: Affine
    moved_in: Affine
    headcount_end: Affine
    productive_fte: Affine
    full_speed_staying: Affine  # full-speed people who neither leave nor move by the rates this month


def _lowest_survival(scenario: Scenario, name: str) -> float:
    """The group's survival, or its newcomers' when lower (a bound for who is sure to stay)."""
    rates = [h.first_year_attrition for h in scenario.hiring if h.into == name and h.first_year_attrition]
    return scenario.survival(name) - max([0.0, *(r - scenario.group(name).monthly_attrition for r in rates)])


def hire_index(scenario: Scenario, pipeline: int, month: int) -> int:
    return pipeline * scenario.months + month


def move_index(scenario: Scenario, move: int, month: int) -> int:
    """Decided moves follow the hires in the decision vector."""
    return (len(scenario.hiring) + move) * scenario.months + month


def decision_size(scenario: Scenario) -> int:
    return (len(scenario.hiring) + len(scenario.moves)) * scenario.months


def output_share(hiring: Hiring, age: int) -> float:
    """Share of full speed of a hire in the class's month `age` (0 is the month the class starts)."""
    if age < hiring.training_months:
        return 0.0
    ramp_month = age - hiring.training_months
    return hiring.ramp[ramp_month] if ramp_month < len(hiring.ramp) else 1.0


def cohort_share(scenario: Scenario, hiring: Hiring, age: int) -> float:
    """Share of a class still in its group at the class's month `age`: each month before, it lost the
    group's flow rates and, in its first FIRST_YEAR months, `first_year_attrition` (when given) instead of
    the group's attrition."""
    group = scenario.group(hiring.into)
    out_rate = scenario.survival(group.name) + group.monthly_attrition  # 1 - flows out
    share = 1.0
    for month in range(age):
        share *= out_rate - _attrition_at(group.monthly_attrition, hiring, month)
    return share


def _attrition_at(group_rate: float, hiring: Hiring, age: int) -> float:
    if hiring.first_year_attrition is not None and age < FIRST_YEAR:
        return hiring.first_year_attrition
    return group_rate


def build(scenario: Scenario) -> dict[tuple[str, int], GroupMonth]:
    """Every (group, month) of the scenario as linear functions of the hires."""
    zero = np.zeros(decision_size(scenario))
    start = {g.name: Affine(g.headcount, zero.copy()) for g in scenario.groups}
    result: dict[tuple[str, int], GroupMonth] = {}
    for month in range(scenario.months):
        present: dict[str, Affine] = {}
        cohort_terms: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        for group in scenario.groups:
            hires, training, deficit = zero.copy(), zero.copy(), zero.copy()
            extra_leaving = zero.copy()  # newcomers' attrition beyond the group's
            for p, hiring in enumerate(scenario.hiring):
                if hiring.into != group.name:
                    continue
                hires[hire_index(scenario, p, month)] = 1.0
                for started in range(month + 1):
                    age = month - started
                    remaining = cohort_share(scenario, hiring, age)
                    column = hire_index(scenario, p, started)
                    if age < hiring.training_months:
                        training[column] = remaining
                    deficit[column] = remaining * (1.0 - output_share(hiring, age))
                    extra = _attrition_at(group.monthly_attrition, hiring, age) - group.monthly_attrition
                    extra_leaving[column] = remaining * extra
            present[group.name] = start[group.name] + Affine(0.0, hires)
            cohort_terms[group.name] = (hires, training, deficit, extra_leaving)
        ends: dict[str, Affine] = {}
        for group in scenario.groups:
            here = present[group.name]
            out_rate = sum(f.monthly_rate for f in scenario.flows if f.source == group.name)
            moved_in = Affine(0.0, zero.copy())
            for flow in scenario.flows:
                if flow.target == group.name:
                    moved_in = moved_in + present[flow.source].scaled(flow.monthly_rate)
            decided_in, decided_out = zero.copy(), zero.copy()
            for k, move in enumerate(scenario.moves):
                if move.target == group.name:
                    decided_in[move_index(scenario, k, month)] = 1.0
                if move.source == group.name:
                    decided_out[move_index(scenario, k, month)] = 1.0
            moved_in = moved_in + Affine(0.0, decided_in)
            hires, training, deficit, extra_leaving = cohort_terms[group.name]
            leavers = here.scaled(group.monthly_attrition) + Affine(0.0, extra_leaving)
            moved_out = here.scaled(out_rate) + Affine(0.0, decided_out)
            end = here - leavers - moved_out + moved_in
            productive = (here - Affine(0.0, deficit)).scaled(group.productivity)
            result[(group.name, month)] = GroupMonth(
                headcount_start=start[group.name],
                hires=Affine(0.0, hires),
                in_training=Affine(0.0, training),
                leavers=leavers,
                moved_out=moved_out,
                moved_in=moved_in,
                headcount_end=end,
                productive_fte=productive,
                full_speed_staying=(here - Affine(0.0, deficit)).scaled(
                    _lowest_survival(scenario, group.name)
                ),
            )
            ends[group.name] = end
        start = ends
    return result
