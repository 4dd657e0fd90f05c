"""Stopping a solve early because its caller no longer wants the answer (a job its user cancelled).

Every solve has a time limit, but a user who cancels a 4-minute roster must not wait 4 minutes. A caller
passes `should_stop` (a callable answering True once the work is to be abandoned) to the solve, which runs
inside `stopping(should_stop)`; the engine then raises `SolveStopped` within a few seconds, from wherever
it is:

- between its phases, sub-solves and rounds (`check`), and
- inside a HiGHS run, through HiGHS's interrupt callbacks (`watch`, on every Highs object made while a stop
  is asked for; `run` raises once such a run has returned), so a long whole-model solve ends too.

Nothing here blocks or knows who asks: `should_stop` is called at most every `CHECK_SECONDS` and must be
cheap and thread-safe (HiGHS calls back from its own threads), such as a `threading.Event`'s `is_set`.
Without a `stopping` block every function here does nothing (the command line and the benchmarks: no
callbacks, the same solves as before).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

ShouldStop = Callable[[], bool]
CHECK_SECONDS = 0.2  # at most this often `should_stop` is called; in between its last answer holds


class SolveStopped(Exception):
    """The caller asked the solve to stop; it returns nothing."""

    def __init__(self) -> None:
        super().__init__("the solve was asked to stop")


class StopCheck:
    """`should_stop` asked at most every `every` seconds; once it has said True, always True."""

    def __init__(self, should_stop: ShouldStop, every: float = CHECK_SECONDS) -> None:
        self.should_stop = should_stop
        self.every = every
        self._asked = float("-inf")
        self._stopped = False

    def stopped(self) -> bool:
        if self._stopped:
            return True
        now = time.monotonic()
        if now - self._asked >= self.every:
            self._asked = now
            self._stopped = bool(self.should_stop())
        return self._stopped

    def check(self) -> None:
        if self.stopped():
            raise SolveStopped()


_current: ContextVar[StopCheck | None] = ContextVar("scheduling_stop_check", default=None)


@contextmanager
def stopping(should_stop: ShouldStop | None) -> Iterator[StopCheck | None]:
    """Within this block (in this thread), `check`, `watch` and `run` answer to `should_stop`; None asks
    nothing (the block changes nothing)."""
    if should_stop is None:
        yield None
        return
    current = StopCheck(should_stop)
    token = _current.set(current)
    try:
        yield current
    finally:
        _current.reset(token)


def check() -> None:
    """Raise `SolveStopped` when the caller has asked to stop."""
    current = _current.get()
    if current is not None:
        current.check()


def watch(highs) -> None:
    """Let the caller's stop interrupt `highs` (a `highspy.Highs`) in the middle of its runs: simplex,
    interior point and branch and bound alike (measured: a whole roster model ends within 1-2 s of the
    request)."""
    current = _current.get()
    if current is None:
        return

    def interrupt(event) -> None:
        if current.stopped():
            event.interrupt()

    for kind in (highs.cbSimplexInterrupt, highs.cbIpmInterrupt, highs.cbMipInterrupt):
        kind.subscribe(interrupt)


def run(highs) -> None:
    """`highs.run()`, raising `SolveStopped` before it when the caller has asked to stop, and after it when
    it was interrupted (see `watch`) or the caller asked meanwhile."""
    check()
    highs.run()
    check()
