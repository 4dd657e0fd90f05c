"""The neighbourhood search: when stuck it tries wide windows, and never leaves the hard rules."""

import random
import time

import pytest

from scheduling.roster import evaluate, read_curtois
from scheduling.roster.formulation import build
from scheduling.roster.live import LiveModel
from scheduling.roster.search import STUCK_TRIES, SearchState, construct, improve
from tests.shared_data import ROSTERING_BENCHMARK


@pytest.mark.skipif(not (ROSTERING_BENCHMARK / "Instance3.txt").exists(), reason="benchmark data not present")
def test_a_stuck_search_tries_a_wide_window_and_keeps_every_hard_rule():
    problem = read_curtois(ROSTERING_BENCHMARK / "Instance3.txt")
    live = LiveModel(build(problem), threads=2)  # HiGHS keeps the first thread count a process uses
    state = SearchState()
    construct(live, time.perf_counter() + 20, random.Random(0), state)
    constructed = state.objective
    # No bound to stop at: once the roster is optimal every try fails, so the search is soon stuck.
    improve(live, time.perf_counter() + 8, random.Random(1), state, sub_limit=0.2)
    tries = sum(t for t, _, _ in state.stats.values())
    assert tries > 2 * STUCK_TRIES
    assert state.stats["wide"][0] >= 1
    evaluation = evaluate(problem, live.roster(state.values))
    assert evaluation.violations == []
    assert evaluation.objective == state.objective <= constructed
