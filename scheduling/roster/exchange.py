"""The two ends of the link between the main search and its helper process (see `parallel`).

Both searches build the same model, so a full column vector found by one is a valid start for the other:
each side `offer`s its improvements and `take`s the other's best. Its own module so that the searches
(`search`, `branch`) and the process that starts the helper (`parallel`) all depend on it and not on each
other.
"""

from __future__ import annotations

import queue

import numpy as np

Incumbent = tuple[float, np.ndarray]


class Exchange:
    """One side's ends of the two queues between the searches: `offer` what this side found, `take` the
    other side's best. Queues, not a bare pipe: a put never blocks (a feeder thread writes), so the helper
    keeps searching while the main process is inside one long whole-model solve and reads nothing."""

    def __init__(self, inbox, outbox, n_cols: int | None = None) -> None:
        self.inbox, self.outbox = inbox, outbox
        self.n_cols = n_cols
        self.sent = float("inf")
        self.stopped = False  # the other side asked this one to stop
        self.branching = False  # the other side asked this one to go on by branch and price (see `branch`)
        self.bound: float | None = None  # the bound the other side sent with that request
        self.final: Incumbent | None = None
        self.final_log: dict = {}
        self.closed = False  # the other side's last word (its final incumbent) has arrived

    def offer(self, objective: float, values: np.ndarray) -> None:
        if objective >= self.sent - 1e-6:
            return
        self.sent = objective
        self.send(("incumbent", objective, values))

    def send(self, message: tuple) -> None:
        try:
            self.outbox.put(message)
        except (ValueError, OSError, AssertionError):  # queue closed
            self.closed = True

    def take(self, timeout: float = 0.0) -> Incumbent | None:
        """The best incumbent received since the last call (None when nothing new arrived); waits up to
        `timeout` seconds for the first message."""
        best: Incumbent | None = None
        while not self.closed:
            try:
                message = self.inbox.get(timeout=timeout) if timeout > 0 else self.inbox.get_nowait()
            except queue.Empty:
                break
            except (EOFError, OSError, ValueError):  # the other side is gone (see `_close_writing_end`)
                self.closed = True
                break
            timeout = 0.0
            kind = message[0]
            if kind == "stop":
                self.stopped = True
                continue
            if kind == "branch":
                self.branching, self.bound = True, message[1]
                continue
            objective, values = message[1], message[2]
            if kind == "final":
                self.final_log, self.closed = message[3], True
            if self.n_cols is not None and len(values) != self.n_cols:
                continue  # no roster, or another model (cannot happen with the same build): ignore
            if kind == "final":
                self.final = (objective, values)
            if best is None or objective < best[0]:
                best = (objective, values)
        return best
