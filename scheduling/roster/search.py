"""Finding good rosters fast: build one employee at a time, then fix-and-optimise neighbourhoods.

Every staff rule concerns one employee only (cover is soft), so a roster that keeps all hard rules can be
built employee by employee: each small MIP places one employee against the cover the others leave. The
LNS loop then frees a neighbourhood (a few whole employees, a window of days for everyone, or a block of
both), fixes every other cell to the incumbent and re-solves with the incumbent as a start. Sizes adapt:
a neighbourhood solved to optimality quickly grows, one that hits its time limit shrinks. A search
that is stuck tries a wide one: everyone, on the days around the costly ones (about half the horizon),
with seconds to spare; one far above the bound tries a wide one every other turn.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import numpy as np

from scheduling.roster.exchange import Exchange
from scheduling.roster.live import LiveModel
from scheduling.roster.neighbourhoods import Neighbourhood, kinds_for, pick, wide_for
from scheduling.roster.state import gap_closed

PLACEMENT_GAP = 0.005  # a rough placement is enough: the LNS refines it
STALL_TRIES = 40  # a stalled search has also gone this many tries without a gain
STUCK_TRIES = 20  # tries without a gain after which the search is stuck: a wide one, longer sub-solves
FAR = 0.02  # an incumbent this far above the bound (relative) tries a wide neighbourhood every other turn


@dataclass
class SearchState:
    values: np.ndarray | None = None  # full column vector of the incumbent
    objective: float | None = None
    history: list[tuple[float, float]] = field(default_factory=list)  # (seconds, objective)
    stats: dict[str, list[float]] = field(default_factory=dict)  # kind -> [tries, improvements, seconds]
    infeasible_employees: list[int] = field(default_factory=list)
    sizes: dict[str, float] = field(default_factory=dict)  # last neighbourhood size of each kind


def construct(live: LiveModel, deadline: float, rng: random.Random, state: SearchState) -> None:
    """Place employees one at a time; each sub-MIP sees the cover already given by those placed before.
    A helper process, if any, waits for this construction's roster rather than building its own (see
    `parallel`)."""
    order = list(range(live.n_employees))
    rng.shuffle(order)
    current = np.zeros(live.n_cols)
    for e in order:
        live.set_employee_rows(e, False)
    # Cover per interval and fairness give each placement piecewise costs over every interval it could
    # work and every colleague it is compared with, which made a placement several times slower: the
    # construction places against the shift cover, requests and
    # the employee's own rules; those costs are counted once everyone is placed, and the search that
    # follows works on them.
    live.set_deferred_rows(False)
    started = time.perf_counter()
    try:
        _place_all(live, order, deadline, state, current)
    finally:
        for e in order:
            live.set_employee_rows(e, e not in state.infeasible_employees)
        live.set_deferred_rows(True)
    # Each placement moved only the shared columns its rows reach: settle them all once (cover rows no
    # one can work, the deferred costs).
    if state.values is not None:
        settled = live.settle_shared(state.values, max(1.0, deadline - time.perf_counter()))
        if settled.values is None:  # cannot happen (the slacks make every roster feasible): keep nothing
            state.values = None
        else:
            state.values, state.objective = live.clean(settled.values), settled.objective
    if state.values is not None and state.objective is not None:
        state.history.append((time.perf_counter() - started, state.objective))


def _place_all(
    live: LiveModel,
    order: list[int],
    deadline: float,
    state: SearchState,
    current: np.ndarray,
) -> None:
    n = len(order)
    values = None
    for position, e in enumerate(order):
        share = max(0.2, (deadline - time.perf_counter()) / max(1, n - position))
        placed = _place(live, e, current, share, deadline)
        if placed is None:
            state.infeasible_employees.append(e)
            continue
        values = current = placed[0]
        state.objective = placed[1]
    if values is not None and not state.infeasible_employees:
        state.values = values


def _place(
    live: LiveModel, e: int, current: np.ndarray, share: float, deadline: float
) -> tuple[np.ndarray, float | None] | None:
    """Place employee `e` against the cover the others give, in a model of only the columns that move
    (see `LiveModel.solve_columns`: the whole model's presolve would cost each placement tenths of a
    second on big models); None, with e's rows off again, when no placement was found.

    Retries with doubling time until a placement, a proof that none exists, or the deadline: on a loaded
    machine a few short tries are not always enough, and an employee merely not placed in time must not
    be reported as unable to keep the rules."""
    live.set_employee_rows(e, True)
    # The employee's own columns move even when no shift is open to them (all days off: hired late in the
    # period, no skill for any planned shift): their day-off stretches must still be chosen.
    # With them, the shared columns their rows reach: cover slacks, fairness. The others keep their values
    # until `construct` settles them.
    columns = live.linked(live.col_owner == e)
    attempt = 0
    while attempt < 4 or time.perf_counter() < deadline:
        result = live.solve_columns(columns, current, share * (2 ** min(attempt, 6)), rel_gap=PLACEMENT_GAP)
        if result.values is not None:
            return live.clean(result.values), result.objective
        if result.status == "infeasible":
            break
        attempt += 1
    live.set_employee_rows(e, False)  # keep this employee off; the diagnosis explains why
    return None


def improve(
    live: LiveModel,
    deadline: float,
    rng: random.Random,
    state: SearchState,
    bound: float | None = None,
    sub_limit: float = 3.0,
    stall: float | None = None,
    exchange: Exchange | None = None,
) -> None:
    """Fix-and-optimise until the deadline, until the incumbent comes within a whole unit of `bound`, or
    until `stall` seconds pass without an improvement. With an `exchange`, improvements go to the other
    search and its better incumbents are adopted (see `parallel`)."""
    _Search(live, rng, state, bound, sub_limit, exchange).run(deadline, stall)


class _Search:
    """The loop of `improve`: draw a kind, free its cells, re-solve, keep what is no worse."""

    def __init__(
        self,
        live: LiveModel,
        rng: random.Random,
        state: SearchState,
        bound: float | None,
        sub_limit: float,
        exchange: Exchange | None,
    ) -> None:
        self.live, self.rng, self.state, self.bound = live, rng, state, bound
        self.sub_limit, self.limit, self.exchange = sub_limit, sub_limit, exchange
        self.kinds = kinds_for(live)
        # A wide neighbourhood comes whenever the search is stuck and, while the roster is far above the
        # bound, every other turn.
        self.wide = wide_for(live)
        self.wide_next = self.far()
        self.started = time.perf_counter()
        self.stale = 0  # tries since the last gain or the last wide one
        self.last_gain, self.since_gain = self.started, 0

    def far(self) -> bool:
        objective, bound = self.state.objective, self.bound
        return bound is not None and objective is not None and objective - bound > FAR * abs(objective)

    def run(self, deadline: float, stall: float | None) -> None:
        state = self.state
        while state.values is not None:
            now = time.perf_counter()
            if stall is not None and now - self.last_gain > stall and self.since_gain >= STALL_TRIES:
                return
            # The search stops within a whole unit of the bound, also where costs are fractional: what is
            # left there is for the whole model (see `solve`) to close.
            if deadline - now < 0.05 or gap_closed(state.objective, self.bound, integral=True):
                return
            if self.exchange is not None and not self.adopt():
                return
            hood = self.wide if self.wide_next else pick(self.kinds, self.rng)
            self.wide_next = hood is not self.wide and self.far()
            self.try_one(hood, deadline - now)

    def adopt(self) -> bool:
        """Take the other search's better incumbent, if any; False when it asked this one to stop."""
        assert self.exchange is not None
        got = self.exchange.take()
        if self.exchange.stopped or self.exchange.branching:
            return False
        state = self.state
        if got is not None and state.objective is not None and got[0] < state.objective - 1e-6:
            state.values, state.objective = self.live.clean(got[1]), got[0]
            self.last_gain = time.perf_counter()
            state.history.append((self.last_gain - self.started, got[0]))
        return True

    def try_one(self, hood: Neighbourhood, remaining: float) -> None:
        state = self.state
        assert state.values is not None
        assert state.objective is not None
        move = hood.move(self.live, self.rng, state.values, remaining)
        time_limit = min(self.limit, remaining) if move.time_limit is None else move.time_limit
        before = state.objective
        result = self.live.solve(move.free, state.values, time_limit=time_limit, reshape=move.reshape)
        tries = state.stats.setdefault(hood.kind, [0, 0, 0.0])
        tries[0] += 1
        tries[2] += result.seconds
        if result.values is not None and result.objective is not None and result.objective <= before + 1e-6:
            if result.objective < before - 1e-6:
                tries[1] += 1
                self.stale, self.since_gain = -1, -1
                self.last_gain = time.perf_counter()
                state.history.append((time.perf_counter() - self.started, result.objective))
            state.values, state.objective = self.live.clean(result.values), result.objective
            if self.exchange is not None:
                self.exchange.offer(state.objective, state.values)
        if hood.adapts:
            hood.adapt(result.status == "optimal" and result.seconds < self.limit / 3)
        gain = max(0.0, before - state.objective)
        hood.rate = 0.8 * hood.rate + 0.2 * gain / max(0.05, result.seconds)
        self.stale += 1
        self.since_gain += 1
        if self.stale >= STUCK_TRIES:  # stuck: a wide neighbourhood next, and more time for every sub-solve
            self.wide_next = True
            self.limit = min(4 * self.sub_limit, self.limit * 1.5)
            self.stale = 0
        state.sizes[hood.kind] = round(hood.size, 2)
