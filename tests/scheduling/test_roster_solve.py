"""Rosters from the solver, re-checked by the independent evaluator (never trusting the solver's word)."""

import itertools
from pathlib import Path

import pytest

from scheduling.roster import evaluate, parse_curtois, read_curtois, solve_roster

FIXTURE = Path(__file__).parent / "fixtures" / "roster" / "tiny.txt"

SMALL = """SECTION_HORIZON
5
SECTION_SHIFTS
D,480,
N,600,D
SECTION_STAFF
A,D=5|N=2,2400,1440,3,2,1,1
B,D=5|N=5,2400,960,4,1,2,1
SECTION_DAYS_OFF
A,4
SECTION_SHIFT_ON_REQUESTS
A,0,N,4
B,2,D,2
SECTION_SHIFT_OFF_REQUESTS
B,1,N,3
SECTION_COVER
0,D,1,50,1
0,N,1,50,1
1,D,1,50,1
1,N,1,50,1
2,D,2,50,2
2,N,0,50,1
3,D,1,50,1
3,N,1,50,1
4,D,1,50,1
4,N,0,50,1
"""


def _check(problem, result):
    assert result.roster is not None
    evaluation = evaluate(problem, result.roster)
    assert evaluation.violations == []
    assert evaluation.objective == result.objective
    assert result.solver_objective == pytest.approx(evaluation.objective)
    if result.bound is not None:
        assert result.bound <= result.objective + 1e-6
    return evaluation


def test_small_instance_matches_brute_force():
    problem = parse_curtois(SMALL, source="small")
    options = [None, "D", "N"]
    best = None
    for a in itertools.product(options, repeat=4):
        for b in itertools.product(options, repeat=5):
            evaluation = evaluate(problem, {"A": (*a, None), "B": b})
            if evaluation.feasible and (best is None or evaluation.objective < best):
                best = evaluation.objective
    result = solve_roster(problem, time_limit=10)
    _check(problem, result)
    assert result.status == "optimal"
    assert result.objective == best


def test_hand_made_fixture_solves_to_a_proven_optimum():
    problem = read_curtois(FIXTURE)
    result = solve_roster(problem, time_limit=10)
    _check(problem, result)
    assert result.status == "optimal"
    assert result.bound == result.objective


def test_benchmark_instance_1_reaches_its_optimum_607():
    from tests.reference_data import ROSTERING_BENCHMARK

    problem = read_curtois(ROSTERING_BENCHMARK / "Instance1.txt")
    result = solve_roster(problem, time_limit=14)
    _check(problem, result)
    assert result.objective == 607
    assert result.status == "optimal"


def test_impossible_contract_is_diagnosed_not_raised():
    text = SMALL.replace("A,D=5|N=2,2400,1440,3,2,1,1", "A,D=5|N=2,2400,2400,3,2,1,1")  # 5 shifts, day 4 off
    problem = parse_curtois(text, source="impossible")
    result = solve_roster(problem, time_limit=10)
    assert result.status == "infeasible"
    assert result.roster is not None
    assert {(b.rule, b.employee) for b in result.broken} == {("min_minutes", "A")}
    evaluation = evaluate(problem, result.roster)
    assert [(v.rule, v.employee) for v in evaluation.violations] == [("min_minutes", "A")]
