"""A second search in its own process, trading incumbents with the first: both cores busy on sub-MIPs.

HiGHS solves the small sub-MIPs of the neighbourhood search no faster with two threads than with one (see
bench/roster_notes.md), and it fixes its thread count once per process. So two single-threaded searches,
each in its own process, do about twice the work of one search with two threads. They build the same model
(the same columns in the same order), so a full column vector found by one is a valid start for the other:
each sends its improvements and adopts the other's better incumbents, and the helper's last incumbent
comes back at the end. The helper is started by "spawn" (forking a process in which HiGHS threads already
run is unsafe) and only for problems big enough to repay its start-up (about a second); it starts from the
main search's first roster. The helper dies with the process that started it, however that one ends (see
`_die_with_parent`): a web process or worker killed outright must not leave a search running for minutes.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import random
import signal
import sys
import threading
import time
import types

import numpy as np

from scheduling.roster.branch import improve_by_branching
from scheduling.roster.exchange import Exchange, Incumbent
from scheduling.roster.formulation import build
from scheduling.roster.live import LiveModel
from scheduling.roster.model import RosterProblem
from scheduling.roster.search import SearchState, improve
from scheduling.roster.state import kind_stats

# The helper gives each sub-MIP longer than the main search (0.7 s): fewer, bigger neighbourhoods, a
# different mix from the main search.
HELPER_SUB_LIMIT = 3.0
ORPHAN_SECONDS = 60.0  # the longest a finished helper waits for its last message to be read
PARENT_POLL_SECONDS = 0.5  # how often a helper looks whether the process that started it still exists
PR_SET_PDEATHSIG = 1  # Linux prctl(2): the signal a process gets when its parent dies


class Helper:
    """The helper process seen from the main search."""

    def __init__(self, process: multiprocessing.process.BaseProcess, exchange: Exchange) -> None:
        self.process = process
        self.exchange = exchange

    @classmethod
    def start(cls, problem: RosterProblem, seed: int, seconds: float) -> Helper | None:
        """Start a helper that searches for `seconds` (wall clock); None when no process can be started
        (say, inside a daemonic worker): the main search then runs alone."""
        try:
            context = multiprocessing.get_context("spawn")
            to_helper, from_helper = context.Queue(), context.Queue()
            process = context.Process(
                target=_helper_main,
                args=(problem, seed, time.time() + seconds, to_helper, from_helper, os.getpid()),
                daemon=True,
                name="roster-search-helper",
            )
            # "spawn" normally re-runs the caller's main script in the child: a script without a
            # `__main__` guard would solve again there. The helper needs only this module, so it is
            # started while an empty module stands in for `__main__`.
            caller = sys.modules["__main__"]
            sys.modules["__main__"] = types.ModuleType("__main__")
            try:
                process.start()
            finally:
                sys.modules["__main__"] = caller
            _close_writing_end(from_helper)
        except (AssertionError, OSError, RuntimeError, ValueError):  # daemonic parents may not have children
            return None
        return cls(process, Exchange(from_helper, to_helper))

    def branch(self, bound: float | None) -> None:
        """Ask the helper to leave its neighbourhood search for branch and price in neighbourhoods of its
        own (see `branch.improve_by_branching`), down to `bound`."""
        self.exchange.send(("branch", bound))

    def finish(self, wait: float) -> Incumbent | None:
        """Ask the helper to stop, wait up to `wait` seconds for its last incumbent, and end it."""
        exchange = self.exchange
        exchange.send(("stop",))
        best: Incumbent | None = None
        until = time.time() + max(0.1, wait)
        while not exchange.closed and time.time() < until:
            got = exchange.take(timeout=min(0.2, max(0.01, until - time.time())))
            if got is not None and (best is None or got[0] < best[0]):
                best = got
            if not self.process.is_alive() and not exchange.closed:
                got = exchange.take()
                if got is not None and (best is None or got[0] < best[0]):
                    best = got
                break
        self.process.join(timeout=1.0)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=1.0)
        exchange.outbox.cancel_join_thread()  # never hang on exit over a message nobody will read
        return best

    def stop(self) -> None:
        """End the helper now, its work unwanted (the solve was asked to stop): no waiting for its last
        word."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=2.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=2.0)
        self.exchange.outbox.cancel_join_thread()


def _close_writing_end(received: multiprocessing.queues.Queue) -> None:
    """Close this process's copy of the writing end of a queue that only the other process writes to.
    Then when the other ends halfway through a message (killed, out of memory, or cut off on exit), a
    read meets the end of the file, which `Exchange.take` takes for the end, and not a read that waits
    for ever for the rest (measured: a solve hung for good inside `take` after its helper had exited)."""
    writer = getattr(received, "_writer", None)  # CPython's Queue; without it, nothing to close
    if writer is not None:
        writer.close()


def _helper_main(problem: RosterProblem, seed: int, wall_deadline: float, inbox, outbox, parent: int) -> None:
    """The helper: its own model with one thread; from the main search's first roster, its own search;
    when asked, branch and price in neighbourhoods of its own (drawn with its own seed, from its own
    column generation) for the rest of the time. It ends when its parent (pid `parent`) does."""
    _die_with_parent(parent)
    _close_writing_end(inbox)
    exchange = Exchange(inbox, outbox)
    state = SearchState()
    branch_log: dict = {}
    try:
        deadline = time.perf_counter() + (wall_deadline - time.time())
        live = LiveModel(build(problem), threads=1)
        exchange.n_cols = live.n_cols
        live.lp_bound(min(10.0, 0.15 * (deadline - time.perf_counter())))
        rng = random.Random(seed)
        # No construction of its own: two side by side on a loaded machine each take far longer, so the
        # helper waits for the main one.
        while state.values is None and not exchange.stopped and time.perf_counter() < deadline - 0.5:
            got = exchange.take(timeout=min(0.5, max(0.01, deadline - time.perf_counter())))
            if got is not None:
                state.values, state.objective = live.clean(got[1]), got[0]
        if state.values is not None and state.objective is not None and not exchange.stopped:
            exchange.offer(state.objective, state.values)
            improve(live, deadline, rng, state, sub_limit=HELPER_SUB_LIMIT, exchange=exchange)
        if (
            state.values is not None
            and state.objective is not None
            and exchange.branching
            and not exchange.stopped
        ):
            state.values, state.objective, record = improve_by_branching(
                live,
                state.values,
                state.objective,
                deadline,
                seed=rng.randrange(2**31),
                bound=exchange.bound,
                exchange=exchange,
            )
            branch_log["branching"] = record.as_dict()
            if record.skipped is not None:  # no column generation for this model: search on
                exchange.branching = False
                improve(live, deadline, rng, state, sub_limit=HELPER_SUB_LIMIT, exchange=exchange)
    finally:
        if state.values is not None:
            stats: dict = kind_stats(state.stats)
            stats.update(branch_log)
            exchange.send(("final", state.objective, state.values, stats))
        else:
            exchange.send(("final", float("inf"), np.zeros(0), {}))
        # On exit the queue's feeder thread waits until the main process has read the last message. Exit
        # without it only once nobody will read it (the main process is gone), or after `ORPHAN_SECONDS`:
        # a fixed 3 s cut the final roster off halfway while the main search was busy in a long solve.
        threading.Thread(target=_exit_when_orphaned, args=(parent, ORPHAN_SECONDS), daemon=True).start()


def _exit_when_orphaned(parent: int, seconds: float) -> None:
    until = time.monotonic() + seconds
    while os.getppid() == parent and time.monotonic() < until:
        time.sleep(0.2)
    os._exit(0)


def _die_with_parent(parent: int) -> None:
    """End this process as soon as the process `parent` that started it is gone, however it went.

    A parent that ends normally stops its helper (`Helper.finish`, or multiprocessing's exit handler for
    daemonic children); one killed outright (SIGKILL, out of memory) cannot, and its helper searched on
    alone until its own deadline, minutes at most of a core. On Linux the kernel sends SIGKILL when the
    parent's starting thread ends (prctl PR_SET_PDEATHSIG; that thread is the one solving, which outlives
    the helper). Everywhere, a thread also watches the parent's pid: once this process has been adopted
    by another, it exits. A parent gone before either was in place is caught by the first look."""
    if sys.platform.startswith("linux"):
        # Without prctl in this libc, the watching thread serves alone.
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)
    threading.Thread(
        target=_exit_when_parent_gone, args=(parent,), daemon=True, name="roster-helper-parent-watch"
    ).start()


def _exit_when_parent_gone(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(0)
