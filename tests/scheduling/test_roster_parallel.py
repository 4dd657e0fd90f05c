"""The helper search in a second process: what it sends back is a roster the evaluator accepts."""

import multiprocessing
import os
import random
import struct
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from scheduling.roster import Cover, RosterProblem, ShiftRequest, ShiftType, Staff, evaluate, solve_roster
from scheduling.roster.formulation import build
from scheduling.roster.live import LiveModel
from scheduling.roster.parallel import Exchange, Helper, _close_writing_end
from scheduling.roster.search import SearchState, construct
from scheduling.roster.size import cells as _cells
from scheduling.roster.solve import SMALL_CELLS

REPO = Path(__file__).resolve().parents[2]


def _problem() -> RosterProblem:
    """18 staff, 14 days, 3 shifts: above the size where the helper starts, small enough to search fast."""
    shifts = (
        ShiftType("E", 480),
        ShiftType("L", 480, frozenset({"E"})),
        ShiftType("N", 480, frozenset({"E", "L"})),
    )
    staff = tuple(
        Staff(
            f"s{i}",
            max_shifts={"N": 3},
            max_minutes=10 * 480,
            min_minutes=8 * 480,
            max_consecutive=5,
            min_consecutive=2,
            min_days_off=2,
            max_weekends=1,
            days_off=frozenset({i % 14}),
        )
        for i in range(18)
    )
    cover = tuple(Cover(d, s, need, 100, 1) for d in range(14) for s, need in (("E", 4), ("L", 4), ("N", 2)))
    requests = tuple(
        ShiftRequest(f"s{i}", (3 * i) % 14, "E" if i % 2 else None, 1 + i % 3, i % 3 != 0) for i in range(18)
    )
    return RosterProblem(14, shifts, staff, requests, cover, name="helper")


def _check(problem, result):
    evaluation = evaluate(problem, result.roster)
    assert evaluation.violations == []
    assert evaluation.objective == result.objective
    if result.bound is not None:
        assert result.bound <= result.objective + 1e-6


def test_two_searches_return_a_roster_the_evaluator_accepts():
    problem = _problem()
    assert _cells(problem) > SMALL_CELLS
    # Column generation alone proves this one optimal in a second, before the helper has searched.
    result = solve_roster(problem, time_limit=12, seed=3, workers=2, columns=False)
    _check(problem, result)
    helper = result.log["helper"]
    assert sum(kind["tries"] for kind in helper.values()) > 0  # the helper did search, and said so


@pytest.mark.slow
def test_a_helper_asked_to_branch_searches_by_branch_and_price_and_sends_back_a_valid_roster():
    """`Helper.branch` turns the helper from its neighbourhood search to branch and price over its own
    column generation; the roster it ends with keeps every hard rule and is no worse than the one given."""
    problem = _problem()
    live = LiveModel(build(problem), threads=2)  # the helper builds the same model: the same columns
    state = SearchState()
    construct(live, time.perf_counter() + 20, random.Random(0), state)
    assert state.values is not None
    helper = Helper.start(problem, seed=5, seconds=15)
    assert helper is not None
    exchange = helper.exchange
    exchange.n_cols = live.n_cols
    helper.branch(None)
    exchange.offer(state.objective, state.values)
    until = time.time() + 60
    while not exchange.closed and time.time() < until:  # the helper's last word, at its own deadline
        exchange.take(timeout=0.5)
    helper.finish(1.0)
    record = exchange.final_log["branching"]
    assert "skipped" not in record
    assert record["tries"] >= 1
    assert record["nodes"] >= 1
    objective, values = exchange.final
    assert objective <= state.objective
    evaluation = evaluate(problem, live.roster(values))
    assert evaluation.violations == []
    assert evaluation.objective == objective
    # Only branch and price searched: the neighbourhood search gave way at once.
    assert all(kind["tries"] == 0 for name, kind in exchange.final_log.items() if name != "branching")


def test_one_worker_starts_no_helper():
    problem = _problem()
    result = solve_roster(problem, time_limit=12, seed=3, workers=1)
    _check(problem, result)
    assert "helper" not in result.log


def test_exchange_passes_only_better_incumbents_and_the_final_word():
    context = multiprocessing.get_context("spawn")
    a_to_b, b_to_a = context.Queue(), context.Queue()
    a, b = Exchange(b_to_a, a_to_b, n_cols=3), Exchange(a_to_b, b_to_a, n_cols=3)
    a.offer(10.0, np.array([1.0, 0.0, 1.0]))
    a.offer(12.0, np.array([0.0, 0.0, 0.0]))  # worse than what was sent: not sent
    a.offer(9.0, np.array([0.0, 1.0, 1.0]))
    got = b.take(timeout=5.0)
    while got is None or got[0] > 9.0:  # the queue's feeder thread may deliver the two in two reads
        got = b.take(timeout=5.0)
    assert got[0] == 9.0
    assert got[1].tolist() == [0.0, 1.0, 1.0]
    a.send(("incumbent", 5.0, np.zeros(7)))  # another model's vector: ignored
    a.send(("final", 8.0, np.array([1.0, 1.0, 0.0]), {"days": {"tries": 1}}))
    while not b.closed:
        b.take(timeout=5.0)
    assert b.final[0] == 8.0
    assert b.final_log == {"days": {"tries": 1}}
    b.send(("stop",))
    a.take(timeout=5.0)
    assert a.stopped


def test_a_script_without_a_main_guard_solves_once(tmp_path):
    """ "spawn" would re-run the caller's script in the helper; the helper must not solve twice."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(REPO)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_roster_parallel import _problem
        from scheduling.roster import solve_roster
        print("SOLVING", flush=True)
        result = solve_roster(_problem(), time_limit=10, workers=2)
        print("DONE", result.status, "helper" in result.log, flush=True)
    """)
    )
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("SOLVING") == 1
    assert "DONE feasible True" in run.stdout or "DONE optimal True" in run.stdout


def _write_half_a_message(queue) -> None:
    queue._writer._send(struct.pack("!i", 1 << 20) + b"x" * 100)  # a megabyte announced, 100 bytes sent
    os._exit(0)


def test_a_message_cut_off_halfway_ends_the_exchange_instead_of_blocking_it():
    """A helper that dies while writing (killed, or cut off on exit) must not leave the main search waiting
    for ever for the rest of the message."""
    context = multiprocessing.get_context("fork")  # the child only writes a few bytes and exits
    from_other, to_other = context.Queue(), context.Queue()
    writer = context.Process(target=_write_half_a_message, args=(from_other,))
    writer.start()
    _close_writing_end(from_other)  # as `Helper.start` does once the helper has started
    writer.join(10)
    exchange = Exchange(from_other, to_other, n_cols=3)
    got = []
    reading = threading.Thread(target=lambda: got.append(exchange.take(timeout=1.0)), daemon=True)
    reading.start()
    reading.join(10)
    assert not reading.is_alive(), "take() waits for ever for the rest of the message"
    assert got == [None]
    assert exchange.closed


def _gone(pid: int) -> bool:
    """No such process, or only its zombie (dead, waiting to be reaped by whoever adopted it)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


def test_a_helper_dies_with_its_parent_killed_outright(tmp_path):
    """A web process or worker killed with SIGKILL cannot end its helper: the helper must notice and go,
    not search on for the rest of its time limit (it did, for minutes, at most of a core)."""
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(f"""
        import random, sys, time
        sys.path.insert(0, {str(REPO)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_roster_parallel import _problem
        from scheduling.roster.formulation import build
        from scheduling.roster.live import LiveModel
        from scheduling.roster.parallel import Helper
        from scheduling.roster.search import SearchState, construct

        if __name__ == "__main__":
            problem = _problem()
            live = LiveModel(build(problem), threads=1)
            state = SearchState()
            construct(live, time.perf_counter() + 30, random.Random(0), state)
            helper = Helper.start(problem, seed=5, seconds=600)
            helper.exchange.n_cols = live.n_cols
            helper.exchange.offer(state.objective, state.values)
            until = time.time() + 120
            while helper.exchange.take(timeout=0.5) is None and time.time() < until:
                pass  # the helper has adopted the roster and is searching from it
            print(helper.process.pid, flush=True)
            time.sleep(600)
    """)
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    helper_pid = None
    try:
        helper_pid = int(parent.stdout.readline())
        assert not _gone(helper_pid)
        parent.kill()  # SIGKILL: no atexit, no finally
        parent.wait(timeout=30)
        until = time.monotonic() + 20
        while not _gone(helper_pid) and time.monotonic() < until:
            time.sleep(0.1)
        assert _gone(helper_pid), "the helper outlived its parent"
    finally:
        parent.kill()
        if helper_pid is not None and not _gone(helper_pid):
            os.kill(helper_pid, 9)
