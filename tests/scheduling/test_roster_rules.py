"""Contact-centre rules on the same engine: rest times, skills, weekly hours, pins, stability, fairness."""

import itertools

import pytest

from scheduling.roster import (
    Cover,
    FairnessGroup,
    RosterInputError,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    evaluate,
    rest_conflicts,
    solve_roster,
)

EARLY = ShiftType("E", 480, start_minute=6 * 60)
LATE = ShiftType("L", 480, start_minute=14 * 60)
NIGHT = ShiftType("N", 480, start_minute=22 * 60, skill="nights", min_proficiency=2)


def test_rest_of_eleven_hours_becomes_cannot_follow_pairs():
    rules = rest_conflicts([EARLY, LATE, NIGHT], min_rest_minutes=11 * 60)
    assert rules == {"E": frozenset(), "L": frozenset({"E"}), "N": frozenset({"E", "L"})}
    with pytest.raises(RosterInputError, match="start_minute"):
        rest_conflicts([ShiftType("X", 480)], 660)


def _centre_problem() -> RosterProblem:
    follow = rest_conflicts([EARLY, LATE, NIGHT], 11 * 60)
    shifts = tuple(
        ShiftType(s.id, s.minutes, follow[s.id], s.start_minute, s.skill, s.min_proficiency)
        for s in (EARLY, LATE, NIGHT)
    )
    contract = dict(
        max_consecutive=5,
        min_consecutive=2,
        min_days_off=2,
        max_weekends=1,
        min_week_minutes=3 * 480,
        max_week_minutes=5 * 480,
    )
    staff = (
        Staff("ana", skills={"nights": 3}, **contract),
        Staff("ben", skills={"nights": 1}, **contract),  # not skilled enough for nights
        Staff("cai", skills={"nights": 2}, unavailable=frozenset({(2, "E"), (3, "E")}), **contract),
        Staff("dee", skills={}, days_off=frozenset({7, 8}), **contract),
    )
    cover = tuple(Cover(d, s, 1, 50, 5) for d in range(14) for s in ("E", "L", "N"))
    requests = (ShiftRequest("ana", 5, None, 4, on=False), ShiftRequest("ben", 1, "L", 2, on=True))
    previous = {("ana", d): "E" for d in range(5)} | {("ben", d): None for d in range(5)}
    return RosterProblem(
        horizon=14,
        shifts=shifts,
        staff=staff,
        requests=requests,
        cover=cover,
        pinned={("cai", 4): "L", ("ana", 9): None},
        previous=previous,
        change_weight=1,
        fairness=(FairnessGroup(("ana", "ben", "cai", "dee"), "weekends", 4),),
        name="centre",
    )


def test_centre_rules_hold_on_the_solved_roster():
    problem = _centre_problem()
    result = solve_roster(problem, time_limit=12)
    assert result.status in ("optimal", "feasible")
    roster = result.roster
    evaluation = evaluate(problem, roster)
    assert evaluation.violations == []  # rest, weekly hours, availability, skills and pins all re-checked
    assert result.solver_objective == pytest.approx(evaluation.objective)
    # skills
    assert "N" not in roster["ben"]
    assert "N" not in roster["dee"]
    # pins
    assert roster["cai"][4] == "L"
    assert roster["ana"][9] is None
    # availability
    assert roster["cai"][2] != "E"
    assert roster["cai"][3] != "E"
    for days in roster.values():  # 11 hours' rest: no E after L or N, no L after N
        for today, tomorrow in itertools.pairwise(days):
            assert (today, tomorrow) not in {("L", "E"), ("N", "E"), ("N", "L")}
        for week in (days[:7], days[7:]):
            assert 3 <= sum(1 for s in week if s) <= 5


def test_evaluator_prices_stability_and_fairness():
    problem = _centre_problem()
    empty = {p.id: (None,) * 14 for p in problem.staff}
    evaluation = evaluate(problem, empty)
    assert evaluation.parts["stability"] == 5  # ana's five early shifts of last period are gone
    assert evaluation.parts["fairness"] == 0  # nobody works a weekend: perfectly balanced
    one_weekend = dict(empty, ana=(None,) * 5 + ("E", "E") + (None,) * 7)
    # counts 1,0,0,0: mean 0.25, deviations 0.75 + 3 * 0.25 = 1.5, weight 4
    assert evaluate(problem, one_weekend).parts["fairness"] == 6


def test_an_employee_who_can_work_no_shift_is_rostered_off_not_reported_infeasible():
    """Someone hired on the period's last days with no skill for any planned shift: all days off is the
    only roster for them, and it keeps every rule (the construction once fixed their day-off stretches
    and called the whole roster infeasible)."""
    shifts = (
        ShiftType("E", 480, start_minute=360, skill="voice", min_proficiency=1),
        ShiftType("L", 480, start_minute=840, skill="voice", min_proficiency=1),
    )
    contract = dict(max_consecutive=5, min_consecutive=1, min_days_off=1, max_weekends=1)
    staff = (
        Staff("ana", skills={"voice": 2}, **contract),
        Staff("ben", skills={"voice": 1}, **contract),
        Staff("new", skills={"back office": 2}, days_off=frozenset(range(5)), **contract),
    )
    cover = tuple(Cover(d, s, 1, 50, 5) for d in range(7) for s in ("E", "L"))
    problem = RosterProblem(horizon=7, shifts=shifts, staff=staff, cover=cover, name="late hire")
    result = solve_roster(problem, time_limit=10)
    assert result.status in ("optimal", "feasible")
    assert result.broken == []
    assert evaluate(problem, result.roster).violations == []
    assert tuple(result.roster["new"]) == (None,) * 7
    assert sum(1 for days in result.roster.values() for s in days if s) >= 8  # ana and ben still cover
