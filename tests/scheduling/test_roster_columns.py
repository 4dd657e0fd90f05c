"""Column generation: the pricing labels against brute force, the bound against known optima, and the
rosters it picks re-checked by the independent evaluator."""

import itertools
import random
import time

import numpy as np
import pytest

from scheduling.roster import RosterProblem, ShiftType, Staff, evaluate, parse_curtois, read_curtois
from scheduling.roster.columns import ColumnGeneration, bound_and_pick
from scheduling.roster.evaluate import staff_violations
from scheduling.roster.formulation import build
from scheduling.roster.live import LiveModel
from scheduling.roster.pricing import cheapest_row, employee_rules
from scheduling.roster.search import SearchState, construct
from tests.reference_data import ROSTERING_BENCHMARK
from tests.scheduling.test_roster_solve import SMALL


def _random_case(rng: random.Random) -> tuple[RosterProblem, Staff]:
    horizon = rng.choice([6, 7, 8])
    shifts = (
        ShiftType("E", 480, frozenset()),
        ShiftType("L", 480, frozenset({"E"})),
        ShiftType("N", 600, frozenset({"E", "L"})),
    )[: rng.choice([2, 3])]
    ids = [s.id for s in shifts]
    weeks = rng.random() < 0.3
    most_in_a_row = rng.choice([None, 2, 3, 4, 5])
    person = Staff(
        id="P",
        max_shifts={s: rng.randint(1, horizon) for s in ids if rng.random() < 0.6},
        max_minutes=None if weeks else rng.choice([None, 480 * rng.randint(2, horizon)]),
        min_minutes=0 if weeks else rng.choice([0, 480 * rng.randint(0, 4)]),
        max_consecutive=most_in_a_row,
        min_consecutive=min(rng.choice([1, 1, 2, 3]), most_in_a_row or 3),
        min_days_off=rng.choice([1, 1, 2, 3]),
        max_weekends=rng.choice([None, 0, 1]),
        days_off=frozenset(d for d in range(horizon) if rng.random() < 0.12),
        unavailable=frozenset((d, s) for d in range(horizon) for s in ids if rng.random() < 0.1),
        min_week_minutes=rng.choice([960, 1440]) if weeks else None,
        max_week_minutes=rng.choice([1920, 2400]) if weeks else None,
    )
    pinned = {}
    if rng.random() < 0.3:
        day = rng.randrange(horizon)
        pinned[("P", day)] = rng.choice([None, *ids])
    problem = RosterProblem(
        horizon=horizon, shifts=shifts, staff=(person,), pinned=pinned, weekend_start=rng.randrange(0, 7)
    )
    return problem, person


def cheapest_by_brute_force(
    problem: RosterProblem, person: Staff, cost: np.ndarray, weekend_cost: np.ndarray
) -> float:
    """The least cost of a row that keeps the person's rules (and pinned days), every row of the horizon tried
    and judged by the evaluator's own rule checks (inf: no row keeps them)."""
    ids = list(problem.shift_ids)
    pins = {d: s for (_, d), s in problem.pinned.items()}
    best = np.inf
    for row in itertools.product([None, *ids], repeat=problem.horizon):
        if any(row[d] != s for d, s in pins.items()) or staff_violations(problem, person, row):
            continue
        value = sum(cost[d, ids.index(s)] for d, s in enumerate(row) if s is not None)
        value += sum(
            weekend_cost[w]
            for w, (a, b) in enumerate(problem.weekends())
            if row[a] is not None or row[b] is not None
        )
        best = min(best, value)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_cheapest_row_matches_brute_force(seed):
    """Every row of a small horizon is tried and judged by the evaluator's own rule checks; the labels
    must find the same least cost, and a row that keeps every rule."""
    rng = random.Random(seed)
    problem, person = _random_case(rng)
    ids = list(problem.shift_ids)
    cost = np.array([[rng.uniform(-20, 10) for _ in ids] for _ in range(problem.horizon)])
    weekend_cost = np.array([rng.uniform(-15, 5) for _ in problem.weekends()] or [0.0])
    pins = {d: s for (_, d), s in problem.pinned.items()}
    best = cheapest_by_brute_force(problem, person, cost, weekend_cost)
    found = cheapest_row(employee_rules(problem, person), cost, weekend_cost)
    assert found is not None
    value, path = found
    if best == np.inf:
        assert value == np.inf
        assert len(path) == 0
        return
    assert value == pytest.approx(best, abs=1e-9)
    row = tuple(None if k < 0 else ids[k] for k in path)
    assert staff_violations(problem, person, row) == []
    assert all(row[d] == s for d, s in pins.items())
    # a threshold at the optimum leaves nothing cheaper
    assert (
        cheapest_row(employee_rules(problem, person), cost, weekend_cost, threshold=best - 1e-9)[0] == np.inf
    )


def _generation(problem):
    live = LiveModel(build(problem), threads=2)
    state = SearchState()
    construct(live, time.perf_counter() + 20, random.Random(0), state)
    generation = ColumnGeneration(live)
    assert generation.supported
    generation.add_values(state.values)
    return live, state, generation


def test_bound_never_above_the_brute_force_optimum():
    problem = parse_curtois(SMALL, source="small")
    live, _state, generation = _generation(problem)
    bound = generation.run(time.perf_counter() + 20)
    assert generation.converged
    options = [None, "D", "N"]
    best = min(
        e.objective
        for e in (
            evaluate(problem, {"A": (*a, None), "B": b})
            for a in itertools.product(options, repeat=4)
            for b in itertools.product(options, repeat=5)
        )
        if e.feasible
    )
    assert bound <= best + 1e-6
    assert bound >= live.lp_bound(10) - 1e-6  # never weaker than the model's own relaxation


def test_curtois_4_bound_meets_its_proven_optimum_and_the_pick_is_a_valid_roster():
    """The literature proves 1716 optimal for instance 4; the model's own relaxation gives about 1488.
    Column generation must reach 1716 (and never pass it), and its roster must keep every hard rule."""
    problem = read_curtois(ROSTERING_BENCHMARK / "Instance4.txt")
    live, state, _ = _generation(problem)
    outcome = bound_and_pick(live, state.values, state.objective, time.perf_counter() + 40)
    bound, picked, objective, log = (
        outcome.bound,
        outcome.values,
        outcome.objective,
        {"columns": outcome.record},
    )
    assert log["columns"]["converged"]
    assert 1716 - 1e-3 <= bound <= 1716 + 1e-6
    values = picked if picked is not None else state.values
    roster = live.roster(values)
    evaluation = evaluate(problem, roster)
    assert evaluation.violations == []
    assert evaluation.objective == objective
    assert objective >= 1716


@pytest.mark.parametrize(
    ("kind", "share", "keep"), [("rows", 8, 2), ("rows", 0, 2), ("cells", 16, 0), ("cells", 8, 2)]
)
def test_dive_gives_a_roster_that_keeps_every_hard_rule(kind, share, keep):
    problem = read_curtois(ROSTERING_BENCHMARK / "Instance6.txt")
    live, _state, generation = _generation(problem)
    bound = generation.run(time.perf_counter() + 30)
    assert generation.converged
    dive = generation.dive_cells if kind == "cells" else generation.dive
    rows = dive(time.perf_counter() + 30, share, keep, noise=np.random.default_rng(1))
    assert rows is not None
    assert len(rows) == len(problem.staff)
    roster = {
        p.id: tuple(None if k < 0 else problem.shift_ids[k] for k in row)
        for p, row in zip(problem.staff, rows, strict=True)
    }
    evaluation = evaluate(problem, roster)
    assert evaluation.violations == []
    assert evaluation.objective >= bound - 1e-6
    # the master is given back whole: the bound's linear master solves to the same value again
    generation.master.run()
    assert generation.master.getInfo().objective_function_value + live.form.offset == pytest.approx(
        generation.lp_value, abs=1e-6
    )


def test_the_master_solves_when_less_time_is_left_than_it_has_spent():
    """HiGHS measures a simplex time limit against all of an object's solves so far: a round given less
    time than the master has already spent must still solve it (it stopped at once, ending dives early)."""
    problem = read_curtois(ROSTERING_BENCHMARK / "Instance6.txt")
    _live, _state, generation = _generation(problem)
    generation.run(time.perf_counter() + 30)
    spent = generation.master.getRunTime()
    assert spent > 0
    first = generation.first
    heaviest = first + int(np.argmax(np.array(generation.master.getSolution().col_value)[first:]))
    generation.master.changeColsBounds(1, np.array([heaviest], dtype=np.int32), np.zeros(1), np.zeros(1))
    added, _bound = generation.price_round(time.perf_counter() + spent / 2, 0)  # the master must solve again
    assert added is not None


def test_no_round_is_begun_that_the_last_rounds_cost_says_cannot_end_in_time():
    problem = parse_curtois(SMALL, source="small")
    _live, _state, generation = _generation(problem)
    generation.price_round(time.perf_counter() + 20, 0)
    rounds = generation.rounds
    generation.round_seconds = 1000.0  # as if a round cost this much
    generation.run(time.perf_counter() + 20)
    assert generation.rounds == rounds
    assert generation.capped == "the next round would not end in time"


def test_pricing_stops_at_its_first_bound_where_no_dive_fits_and_no_dive_is_tried(monkeypatch):
    import scheduling.roster.columns as columns

    problem = parse_curtois(SMALL, source="small")
    live, state, generation = _generation(problem)
    monkeypatch.setattr(columns, "DIVE_ROUNDS_ESTIMATE", 10**9)  # no dive fits in any time
    generation.price_round(time.perf_counter() + 20, 0)  # exact: a bound
    assert generation.bound is not None
    rounds = generation.rounds
    generation.run(time.perf_counter() + 20, dive_room=1.0)
    assert generation.rounds == rounds
    assert not generation.converged
    assert generation.capped == "a bound is proved and no dive fits in the time"
    outcome = bound_and_pick(live, state.values, state.objective, time.perf_counter() + 20)
    assert outcome.record["dive"] is None
    assert outcome.record["dive_rounds"] == 0
    assert outcome.record["bound"] is not None
