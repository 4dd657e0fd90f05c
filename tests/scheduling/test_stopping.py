"""A solve asked to stop (its job cancelled) raises `SolveStopped` within seconds, not at its time limit:
between phases, and in the middle of a HiGHS run; a roster solve's helper process ends with it."""

import datetime as dt
import multiprocessing
import random
import time

import pulp
import pytest

from scheduling import stopping
from scheduling.roster import solve_roster
from scheduling.shifts import plan_shifts, requirement_from_series
from scheduling.shifts.templates import ShiftTemplate
from scheduling.solver import solve
from tests.scheduling.test_roster_parallel import _problem

LONG = 120  # seconds: the time limit, far beyond what a stop may take
PROMPT = 30  # seconds: generous for "within a few seconds" on a loaded machine


def _after_calls(count: int):
    """A `should_stop` that says go `count` times, then stop (asked at most every `CHECK_SECONDS`, so the
    stop comes some tenths of a second into the solve)."""
    calls = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) > count

    return should_stop


def _market_split(seed: int = 1, rows: int = 4, columns: int = 30) -> pulp.LpProblem:
    """Cornuéjols and Dawande's market split: a few equality knapsacks over 0/1 variables, which branch and
    bound takes minutes on (HiGHS had not closed this one after 40 s)."""
    rng = random.Random(seed)
    a = [[rng.randrange(100) for _ in range(columns)] for _ in range(rows)]
    problem = pulp.LpProblem("market_split", pulp.LpMinimize)
    x = [pulp.LpVariable(f"x{j}", cat="Binary") for j in range(columns)]
    over = [pulp.LpVariable(f"over{i}", lowBound=0) for i in range(rows)]
    under = [pulp.LpVariable(f"under{i}", lowBound=0) for i in range(rows)]
    problem += pulp.lpSum(over) + pulp.lpSum(under)
    for i in range(rows):
        problem += pulp.lpSum(a[i][j] * x[j] for j in range(columns)) + under[i] - over[i] == sum(a[i]) // 2
    return problem


def test_a_highs_run_is_interrupted_when_the_caller_asks_to_stop():
    problem = _market_split()
    started = time.monotonic()
    with pytest.raises(stopping.SolveStopped), stopping.stopping(_after_calls(2)):
        solve(problem, time_limit=LONG)
    assert time.monotonic() - started < PROMPT


def test_without_a_stop_asked_the_same_solve_runs_on():
    problem = _market_split()
    with stopping.stopping(lambda: False):
        report = solve(problem, time_limit=1.0)
    assert report.message == "Time limit reached"


def test_a_roster_solve_asked_to_stop_raises_and_ends_its_helper():
    started = time.monotonic()
    with pytest.raises(stopping.SolveStopped):
        solve_roster(_problem(), time_limit=LONG, seed=3, workers=2, should_stop=_after_calls(1))
    assert time.monotonic() - started < PROMPT
    assert [p for p in multiprocessing.active_children() if p.name == "roster-search-helper"] == []


def test_a_shift_plan_asked_to_stop_raises():
    requirement = requirement_from_series(dt.date(2025, 1, 6), 60, [2.0] * 24 * 7)
    templates = [ShiftTemplate("day", starts=(8 * 60,), lengths=(8 * 60,))]
    with pytest.raises(stopping.SolveStopped):
        plan_shifts(requirement, templates, time_limit=LONG, should_stop=lambda: True)
    assert plan_shifts(requirement, templates, time_limit=LONG, should_stop=lambda: False).report.has_solution
