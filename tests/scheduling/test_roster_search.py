"""The neighbourhood search: when stuck it tries wide windows, and never leaves the hard rules."""

import contextlib
import random
import time

import numpy as np

from scheduling.roster import evaluate, read_curtois
from scheduling.roster.formulation import build
from scheduling.roster.live import LiveModel
from scheduling.roster.neighbourhoods import costly_days as _costly_days
from scheduling.roster.search import STUCK_TRIES, SearchState, construct, improve
from scheduling.stopping import SolveStopped, stopping
from tests.reference_data import ROSTERING_BENCHMARK


def test_a_stuck_search_tries_a_wide_window_and_keeps_every_hard_rule():
    problem = read_curtois(ROSTERING_BENCHMARK / "Instance3.txt")
    live = LiveModel(build(problem), threads=2)  # HiGHS keeps the first thread count a process uses
    state = SearchState()
    construct(live, time.perf_counter() + 20, random.Random(0), state)
    constructed = state.objective
    # No bound to stop at: once the roster is optimal every try fails, so the search is soon stuck. It is
    # stopped as soon as it has been stuck twice over and tried a wide window, or at a generous deadline
    # (a busy machine makes fewer tries a second: counting tries, not seconds, keeps the test from timing).

    def tries() -> int:
        return sum(t for t, _, _ in state.stats.values())

    def stuck_and_wide() -> bool:
        return tries() > 2 * STUCK_TRIES and state.stats.get("wide", (0,))[0] >= 1

    with contextlib.suppress(SolveStopped), stopping(stuck_and_wide):
        improve(live, time.perf_counter() + 240, random.Random(1), state, sub_limit=0.2)
    assert tries() > 2 * STUCK_TRIES
    assert state.stats["wide"][0] >= 1
    evaluation = evaluate(problem, live.roster(state.values))
    assert evaluation.violations == []
    assert evaluation.objective == state.objective <= constructed


def test_a_wide_neighbourhood_frees_the_days_around_every_costly_day_before_any_other():
    costs = np.zeros(28)
    costs[[5, 12, 19, 26]] = [400.0, 300.0, 200.0, 100.0]  # a shortfall each weekend, a week apart
    for seed in range(20):
        days = _costly_days(14, costs, random.Random(seed))
        assert len({5, 12, 19, 26} & set(days)) >= 3  # 14 consecutive days hold two of them at most
        assert all(min(abs(d - c) for c in (5, 12, 19, 26)) <= 2 for d in days)  # and only days near them
        assert 14 <= len(days) <= 28
        assert days == sorted(set(days))
    one = _costly_days(3, np.where(np.arange(28) == 10, 50.0, 0.0), random.Random(0))
    assert 10 in one
    assert set(one) <= set(range(8, 13))
    free = _costly_days(7, np.zeros(28), random.Random(3))  # no cover cost: a window of consecutive days
    assert len(free) == 7
    assert free == list(range(free[0], free[0] + 7))


def test_a_roster_far_above_the_bound_tries_a_wide_neighbourhood_first_and_every_other_turn():
    problem = read_curtois(ROSTERING_BENCHMARK / "Instance3.txt")
    live = LiveModel(build(problem), threads=2)
    state = SearchState()
    construct(live, time.perf_counter() + 20, random.Random(0), state)
    start, objective = state.values.copy(), state.objective
    first_kinds = {}
    for name, bound in (("far", 0.5 * objective), ("near", objective - 1)):
        state = SearchState(values=start.copy(), objective=objective)
        improve(live, time.perf_counter() + 1.0, random.Random(2), state, bound=bound, sub_limit=0.2)
        first_kinds[name] = next(iter(state.stats))  # the kinds in the order they were first tried
        if name == "far":  # still far at the end (the bound is half the objective): wide every other turn
            tries = sum(t for t, _, _ in state.stats.values())
            assert tries >= 3
            assert state.stats["wide"][0] == (tries + 1) // 2
        evaluation = evaluate(problem, live.roster(state.values))
        assert evaluation.violations == []
        assert evaluation.objective == state.objective <= objective
    assert first_kinds["far"] == "wide"
    assert first_kinds["near"] != "wide"


def test_cover_slacks_a_hair_below_zero_give_no_negative_day_cost_and_a_wide_draw_still_works():
    # HiGHS leaves a slack at -1e-10 now and then; drawn from as weights, a negative day cost killed a
    # search process ("probabilities are not non-negative").
    live = LiveModel(build(read_curtois(ROSTERING_BENCHMARK / "Instance3.txt")), threads=2)
    values = np.zeros(live.n_cols)
    values[live.cover_col] = -1e-7
    values[live.cover_col[0]] = 1.0
    costs = live.day_costs(values)
    assert (costs >= 0).all()
    assert costs.sum() > 0
    days = _costly_days(14, costs, random.Random(0))
    assert live.cover_day[0] in days
