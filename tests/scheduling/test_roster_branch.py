"""Branch and price: the rosters it finds against the whole integer model solved to optimality by HiGHS,
its restrictions kept, and its neighbourhoods never making a roster worse; every roster re-checked by the
independent evaluator."""

import random
import time
from dataclasses import replace

import numpy as np
import pytest

from scheduling.roster import Cover, RosterProblem, ShiftRequest, ShiftType, Staff, evaluate, read_curtois
from scheduling.roster.branch import BranchAndPrice, improve_by_branching
from scheduling.roster.columns import ColumnGeneration
from scheduling.roster.formulation import build
from scheduling.roster.live import INF, LiveModel
from scheduling.roster.search import SearchState, construct
from tests.reference_data import ROSTERING_BENCHMARK


def _random_problem(seed: int) -> RosterProblem:
    rng = random.Random(seed)
    horizon = 14
    shifts = (
        ShiftType("E", 480),
        ShiftType("L", 480, frozenset({"E"})),
        ShiftType("N", 480, frozenset({"E", "L"})),
    )
    staff = tuple(
        Staff(
            id=f"P{i}",
            max_shifts={"N": rng.choice([0, 2, 3])},
            max_minutes=480 * rng.choice([8, 9, 10]),
            min_minutes=480 * rng.choice([5, 6, 7]),
            max_consecutive=rng.choice([3, 4, 5]),
            min_consecutive=rng.choice([1, 2]),
            min_days_off=rng.choice([1, 2]),
            max_weekends=1,
            days_off=frozenset(rng.sample(range(horizon), 2)),
        )
        for i in range(5)
    )
    cover = tuple(
        Cover(d, s, rng.choice([0, 1, 1, 2]) if s != "N" else rng.choice([0, 1]), 100, 1)
        for d in range(horizon)
        for s in ("E", "L", "N")
    )
    requests = tuple(
        ShiftRequest(
            p.id, rng.randrange(horizon), rng.choice(["E", "L", "N"]), rng.randint(1, 3), rng.random() < 0.5
        )
        for p in staff
        for _ in range(4)
    )
    return RosterProblem(horizon=horizon, shifts=shifts, staff=staff, requests=requests, cover=cover)


def _start(problem):
    live = LiveModel(build(problem), threads=2)
    state = SearchState()
    construct(live, time.perf_counter() + 20, random.Random(0), state)
    assert state.values is not None
    return live, state


def _optimum(problem) -> float:
    """The whole integer model, solved to optimality by HiGHS."""
    live = LiveModel(build(problem, stretches=False), threads=2)
    result, _ = live.solve_full(None, 60)
    assert result.status == "optimal"
    return result.objective


def _converged(live, state):
    generation = ColumnGeneration(live)
    generation.add_values(state.values)
    generation.run(time.perf_counter() + 30)
    assert generation.converged
    return generation


def test_branch_and_price_finds_and_proves_the_optimum_of_the_whole_model():
    """Five small rosters whose column-generation bound is below the optimum in most: the search, with no
    cutoff, must find a roster at the optimum HiGHS proves on the whole model, keep every hard rule, and
    say it searched the whole tree."""
    branched = 0
    for seed in range(5):
        problem = _random_problem(seed)
        live, state = _start(problem)
        generation = _converged(live, state)
        root_bound = generation.bound
        found = BranchAndPrice(generation).search(INF, time.perf_counter() + 60)
        optimum = _optimum(problem)
        assert found.exhausted
        assert found.objective == optimum
        roster = generation.roster(found.rows)
        evaluation = evaluate(problem, roster)
        assert evaluation.violations == []
        assert evaluation.objective == optimum
        branched += found.nodes > 1 and root_bound < optimum - 1e-6
    assert branched >= 2  # the tree, not the root alone, found most of them


def test_forbidden_choices_are_kept_and_the_best_roster_under_them_is_found():
    problem = _random_problem(1)
    live, state = _start(problem)
    generation = _converged(live, state)
    branching = BranchAndPrice(generation)
    forbid = np.zeros((generation.n, generation.horizon, generation.n_shifts + 1), dtype=bool)
    # P0 works an E on day 3 (every other choice ruled out), P1 is off on days 5 and 6, P2 never works L
    forbid[0, 3, :] = True
    forbid[0, 3, 0] = False
    forbid[1, 5, 3] = forbid[1, 6, 3] = False
    forbid[1, 5, :3] = forbid[1, 6, :3] = True
    forbid[2, :, 1] = True
    assert problem.allowed(problem.staff[0], 3, "E")
    found = branching.search(INF, time.perf_counter() + 60, forbid)
    assert found.exhausted
    assert found.rows is not None
    roster = generation.roster(found.rows)
    assert roster["P0"][3] == "E"
    assert roster["P1"][5] is None
    assert roster["P1"][6] is None
    assert "L" not in roster["P2"]
    evaluation = evaluate(problem, roster)
    assert evaluation.violations == []
    assert evaluation.objective == found.objective
    # the same restrictions stated in the problem itself (pins, unavailable cells): the same optimum
    staff = list(problem.staff)
    staff[2] = replace(staff[2], unavailable=frozenset((d, "L") for d in range(problem.horizon)))
    restricted = replace(
        problem, staff=tuple(staff), pinned={("P0", 3): "E", ("P1", 5): None, ("P1", 6): None}
    )
    assert found.objective == _optimum(restricted)
    # nothing below that: a second search with the roster's value as the cutoff finds nothing
    again = branching.search(found.objective, time.perf_counter() + 60, forbid)
    assert again.exhausted
    assert again.rows is None


def test_a_branch_no_roster_can_keep_is_searched_and_found_empty():
    problem = _random_problem(2)
    live, state = _start(problem)
    generation = _converged(live, state)
    forbid = np.zeros((generation.n, generation.horizon, generation.n_shifts + 1), dtype=bool)
    forbid[0, 4, :] = True  # no shift and no day off for P0 on day 4
    found = BranchAndPrice(generation).search(INF, time.perf_counter() + 30, forbid)
    assert found.exhausted
    assert found.rows is None
    assert found.objective is None


def test_neighbourhoods_never_worsen_a_roster_and_keep_every_hard_rule():
    problem = read_curtois(ROSTERING_BENCHMARK / "Instance3.txt")
    live, state = _start(problem)
    values, objective, record = improve_by_branching(
        live, state.values, state.objective, time.perf_counter() + 20, seed=3, bound=1001
    )
    log = {"branching": record.as_dict()}
    assert objective <= state.objective
    assert log["branching"]["tries"] >= 1
    assert "skipped" not in log["branching"]
    evaluation = evaluate(problem, live.roster(values))
    assert evaluation.violations == []
    assert evaluation.objective == objective
    if log["branching"]["improved"]:
        assert objective < state.objective


@pytest.mark.slow
def test_a_long_solve_of_a_big_model_ends_with_branch_and_price(monkeypatch):
    """The phase a long run of a big model ends with (here brought forward by lowering its threshold):
    it runs, and the roster returned keeps every hard rule with the objective the evaluator gives."""
    import scheduling.roster.solve as solve

    monkeypatch.setattr(solve, "BRANCHING_MIN_SECONDS", 5.0)
    problem = read_curtois(ROSTERING_BENCHMARK / "Instance8.txt")
    result = solve.solve_roster(problem, 60, workers=1)
    assert result.log["final_status"] == "search, then branch and price"
    assert result.log["branching"]["tries"] >= 1
    assert result.evaluation.violations == []
    assert result.objective == result.evaluation.objective
    assert result.objective >= result.bound >= 1297
