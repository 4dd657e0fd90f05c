"""Cover per interval (agents at work through each interval of the requirement) and hours fairness: the
solver's roster is re-scored by the evaluator and compared with the best of every possible roster."""

import itertools

import pytest

from scheduling.roster import (
    FairnessGroup,
    IntervalCover,
    RosterInputError,
    RosterProblem,
    ShiftType,
    Staff,
    evaluate,
    rest_conflicts,
    solve_roster,
)
from scheduling.roster.evaluate import staff_violations

TIMES = {"E": (360, 480), "L": (840, 480), "N": (1320, 480)}  # early 06-14, late 14-22, night 22-06


def _shifts(times=TIMES, rest_minutes=660):
    plain = [ShiftType(s, m, start_minute=start) for s, (start, m) in times.items()]
    conflicts = rest_conflicts(plain, rest_minutes)
    return tuple(
        ShiftType(s.id, s.minutes, cannot_follow=conflicts[s.id], start_minute=s.start_minute) for s in plain
    )


def _hourly(horizon, needs, under=10, over=1):
    """needs: hour -> agents wanted, the same every day."""
    return tuple(
        IntervalCover(d, 60 * h, 60, n, under, over) for d in range(horizon) for h, n in needs.items()
    )


def _best(problem, options):
    """The lowest objective of every roster that keeps the hard rules (each employee's rows that keep
    their own rules, in every combination)."""
    rows = [
        [
            row
            for row in itertools.product(options, repeat=problem.horizon)
            if not staff_violations(problem, person, row)
        ]
        for person in problem.staff
    ]
    best = None
    for combination in itertools.product(*rows):
        roster = {p.id: row for p, row in zip(problem.staff, combination, strict=True)}
        evaluation = evaluate(problem, roster)
        if evaluation.feasible and (best is None or evaluation.objective < best):
            best = evaluation.objective
    return best


def _check(problem, result):
    evaluation = evaluate(problem, result.roster)
    assert evaluation.violations == []
    assert evaluation.objective == result.objective
    assert result.solver_objective == pytest.approx(evaluation.objective)
    return evaluation


def test_a_shift_counts_for_the_share_of_an_interval_it_is_at_work():
    problem = RosterProblem(
        horizon=2, shifts=_shifts(), staff=(Staff("A"),), interval_cover=(IntervalCover(1, 120, 60, 1, 1, 1),)
    )
    assert problem.covering(IntervalCover(1, 120, 60, 1, 1, 1)) == ((0, "N", 1.0),)  # last night's shift
    assert problem.covering(IntervalCover(0, 120, 60, 1, 1, 1)) == ()  # no day before the first
    assert problem.covering(IntervalCover(0, 1350, 30, 1, 1, 1)) == ((0, "N", 1.0),)
    assert sorted(problem.covering(IntervalCover(0, 1290, 60, 1, 1, 1))) == [(0, "L", 0.5), (0, "N", 0.5)]
    assert problem.covering(IntervalCover(0, 840, 15, 1, 1, 1)) == ((0, "L", 1.0),)


def test_partial_shares_and_a_fractional_requirement_are_scored_exactly():
    # One agent at work 08:30-12:30 against 1.5 wanted over 08:00-10:00 and 1 over 12:00-13:00.
    shifts = _shifts({"M": (510, 240)})
    needs = (IntervalCover(0, 480, 120, 1.5, 4, 1), IntervalCover(0, 720, 60, 1, 4, 1))
    problem = RosterProblem(horizon=1, shifts=shifts, staff=(Staff("A"),), interval_cover=needs)
    evaluation = evaluate(problem, {"A": ("M",)})
    assert evaluation.interval_deviations == [(0, 480, 120, 0.75 - 1.5), (0, 720, 60, -0.5)]
    assert evaluation.objective == pytest.approx(0.75 * 4 + 0.5 * 4)
    assert evaluate(problem, {"A": (None,)}).objective == pytest.approx(2.5 * 4)
    result = solve_roster(problem, time_limit=5)
    _check(problem, result)
    assert result.roster == {"A": ("M",)}


def test_interval_cover_roster_is_the_best_of_every_roster():
    horizon = 3
    needs = {h: 1 for h in range(6, 22)} | {15: 2, 16: 2, 23: 1, 2: 1}
    staff = (
        Staff("A", max_consecutive=2, max_minutes=960),
        Staff("B", max_minutes=1440),
        Staff("C", days_off=frozenset({1}), max_minutes=960),
    )
    problem = RosterProblem(
        horizon=horizon, shifts=_shifts(), staff=staff, interval_cover=_hourly(horizon, needs)
    )
    best = _best(problem, [None, "E", "L", "N"])
    result = solve_roster(problem, time_limit=10)
    evaluation = _check(problem, result)
    assert result.status == "optimal"
    assert result.objective == best
    # the deviations name real intervals and add up to the cover cost
    assert (
        sum(-dev * 10 if dev < 0 else dev for _d, _m, _len, dev in evaluation.interval_deviations)
        == evaluation.parts["cover"]
    )


def test_surplus_shifts_go_where_the_requirement_is_highest():
    # Each must work 2 of the 3 days (a contract minimum) but only one agent is wanted in the afternoon:
    # the extra shifts are lates, where the afternoon peak needs them, not earlies.
    needs = {h: 1 for h in range(6, 14)} | {h: 3 for h in range(14, 22)}
    staff = tuple(Staff(name, min_minutes=960, max_minutes=960) for name in "ABC")
    problem = RosterProblem(
        horizon=3,
        shifts=_shifts({"E": (360, 480), "L": (840, 480)}),
        staff=staff,
        interval_cover=_hourly(3, needs),
    )
    result = solve_roster(problem, time_limit=10)
    _check(problem, result)
    # Which day carries which shift has ties (the same cost either way); how many are lates has not.
    worked = [s for e in "ABC" for s in result.roster[e]]
    assert worked.count("L") > worked.count("E")
    assert result.objective == _best(problem, [None, "E", "L"])


def test_hours_fairness_balances_hours_among_comparable_agents():
    times = {"S": (480, 240), "F": (480, 480)}  # a 4-hour and an 8-hour shift at 08:00
    staff = (Staff("A", min_minutes=960), Staff("B", min_minutes=960))
    needs = {h: 1 for h in range(8, 16)}
    problem = RosterProblem(
        horizon=3,
        shifts=_shifts(times),
        staff=staff,
        interval_cover=_hourly(3, needs, 3, 1),
        fairness=(FairnessGroup(("A", "B"), "hours", 2),),
    )
    result = solve_roster(problem, time_limit=10)
    _check(problem, result)
    assert result.objective == _best(problem, [None, "S", "F"])
    hours = [sum(problem.shift(s).minutes for s in result.roster[e] if s) / 60 for e in "AB"]
    assert hours[0] == hours[1]


@pytest.mark.parametrize(
    ("need", "field"),
    [
        (IntervalCover(5, 0, 60, 1, 1, 1), "interval_cover[0].day"),
        (IntervalCover(0, 1440, 60, 1, 1, 1), "interval_cover[0]"),
        (IntervalCover(0, 60, 0, 1, 1, 1), "interval_cover[0]"),
        (IntervalCover(0, 60, 60, -1, 1, 1), "interval_cover[0]"),
    ],
)
def test_bad_interval_cover_names_the_field(need, field):
    with pytest.raises(RosterInputError, match=field.replace("[", r"\[").replace("]", r"\]")):
        RosterProblem(horizon=2, shifts=_shifts(), staff=(Staff("A"),), interval_cover=(need,))


def test_interval_cover_needs_start_times():
    with pytest.raises(RosterInputError, match=r"shifts\[D\].start_minute"):
        RosterProblem(
            horizon=1,
            shifts=(ShiftType("D", 480),),
            staff=(Staff("A"),),
            interval_cover=(IntervalCover(0, 60, 60, 1, 1, 1),),
        )
