"""Weekly hours follow the centre's week (`RosterProblem.week_start`), not the roster's first day: the
minimum holds in whole weeks, the maximum in every part of one. Checked in the evaluator, the pricing
labels (against brute force) and the integer model."""

from __future__ import annotations

import random

import numpy as np
import pytest

from scheduling.roster import RosterProblem, ShiftType, Staff
from scheduling.roster.evaluate import staff_violations
from scheduling.roster.pricing import cheapest_row, employee_rules
from tests.scheduling.test_roster_columns import cheapest_by_brute_force

DAY = ShiftType("D", 480, frozenset())


def _person(**rules) -> Staff:
    return Staff(id="P", min_week_minutes=2400, max_week_minutes=2400, **rules)


def test_weeks_are_the_centres_weeks_cut_to_the_horizon():
    problem = RosterProblem(horizon=14, shifts=(DAY,), staff=(_person(),), week_start=5)
    assert problem.weeks() == [(range(0, 5), False), (range(5, 12), True), (range(12, 14), False)]
    assert RosterProblem(horizon=14, shifts=(DAY,), staff=(_person(),)).weeks() == [
        (range(0, 7), True),
        (range(7, 14), True),
    ]


def test_five_shifts_in_the_centres_week_keep_the_weekly_rule_from_any_first_day():
    """Rostered from a Tuesday, the centre's week (Sunday to Saturday) starts on day 5. Working days
    3 to 9 (Fri..Thu) is two days of one week and five of the next: inside the rule. Counted from the
    roster's first day it looked like four then three, and both were reported below the minimum."""
    row = tuple("D" if 3 <= d <= 9 else None for d in range(14))
    person = _person()
    by_centre = RosterProblem(horizon=14, shifts=(DAY,), staff=(person,), week_start=5)
    assert staff_violations(by_centre, person, row) == []
    from_first_day = RosterProblem(horizon=14, shifts=(DAY,), staff=(person,))
    assert {v.rule for v in staff_violations(from_first_day, person, row)} == {"min_week_minutes"}
    # six shifts in the centre's week are above its maximum, even in a part of a week
    over = tuple("D" if d in (0, 1, 2, 3, 4) or 5 <= d <= 10 else None for d in range(14))
    assert [v.days for v in staff_violations(by_centre, person, over)] == [tuple(range(5, 12))]


@pytest.mark.parametrize("seed", range(30))
def test_cheapest_row_with_a_week_start_matches_brute_force(seed):
    rng = random.Random(seed)
    horizon = rng.choice([7, 8, 9])
    shifts = (ShiftType("E", 480, frozenset()), ShiftType("L", 600, frozenset({"E"})))
    low = rng.choice([0, 960, 1440])
    person = Staff(
        id="P",
        max_consecutive=rng.choice([None, 3, 5]),
        min_consecutive=1,
        min_days_off=rng.choice([1, 2]),
        unavailable=frozenset((d, s.id) for d in range(horizon) for s in shifts if rng.random() < 0.1),
        min_week_minutes=low,
        max_week_minutes=rng.choice([1920, 2400]),
    )
    problem = RosterProblem(
        horizon=horizon,
        shifts=shifts,
        staff=(person,),
        weekend_start=rng.randrange(0, 7),
        week_start=rng.randrange(0, 7),
    )
    ids = list(problem.shift_ids)
    cost = np.array([[rng.uniform(-20, 10) for _ in ids] for _ in range(horizon)])
    weekend_cost = np.array([rng.uniform(-15, 5) for _ in problem.weekends()] or [0.0])
    best = cheapest_by_brute_force(problem, person, cost, weekend_cost)
    found = cheapest_row(employee_rules(problem, person), cost, weekend_cost)
    assert found is not None
    value, path = found
    if best == np.inf:
        assert value == np.inf
        return
    assert value == pytest.approx(best, abs=1e-9)
    assert staff_violations(problem, person, tuple(None if k < 0 else ids[k] for k in path)) == []


def test_the_solver_keeps_the_centres_week():
    """Cover asks for the agent on days 0-4 (before the centre's week starts on day 5) and on every day of
    that week; the minimum and maximum of five shifts hold in the whole week, whatever the part before."""
    from scheduling.roster.model import Cover
    from scheduling.roster.solve import solve_roster

    person = _person(max_consecutive=7)
    problem = RosterProblem(
        horizon=14,
        shifts=(DAY,),
        staff=(person,),
        week_start=5,
        cover=tuple(Cover(d, "D", 1, 10, 1) for d in range(14)),
    )
    result = solve_roster(problem, time_limit=10, workers=1)
    assert result.status == "optimal"
    assert not result.broken
    row = result.roster["P"]
    assert sum(1 for d in range(5, 12) if row[d] is not None) == 5
    assert sum(1 for d in range(0, 5) if row[d] is not None) == 5  # the part before: at most the weekly five
    assert staff_violations(problem, person, tuple(row)) == []
