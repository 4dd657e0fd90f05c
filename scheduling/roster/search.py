"""Finding good rosters fast: build one employee at a time, then fix-and-optimise neighbourhoods.

Every staff rule concerns one employee only (cover is soft), so a roster that keeps all hard rules can be
built employee by employee: each small MIP places one employee against the cover the others leave. The
LNS loop then frees a neighbourhood (a few whole employees, a window of days for everyone, or a block of
both), fixes every other cell to the incumbent and re-solves with the incumbent as a start. Sizes adapt:
a neighbourhood solved to optimality quickly grows, one that hits its time limit shrinks.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduling.roster.live import LiveModel

STALL_TRIES = 40  # a stalled search has also gone this many tries without a gain


@dataclass
class SearchState:
    values: np.ndarray | None = None  # full column vector of the incumbent
    objective: float | None = None
    history: list[tuple[float, float]] = field(default_factory=list)  # (seconds, objective)
    stats: dict[str, list[float]] = field(default_factory=dict)  # kind -> [tries, improvements, seconds]
    infeasible_employees: list[int] = field(default_factory=list)
    sizes: dict[str, float] = field(default_factory=dict)  # last neighbourhood size of each kind


def construct(live: LiveModel, deadline: float, rng: random.Random, state: SearchState) -> None:
    """Place employees one at a time; each sub-MIP sees the cover already given by those placed before."""
    order = list(range(live.n_employees))
    rng.shuffle(order)
    current = np.zeros(live.n_cols)
    for e in order:
        live.set_employee_rows(e, False)
    started = time.perf_counter()
    live.highs.setOptionValue("mip_rel_gap", 0.005)  # a rough placement is enough: the LNS refines it
    try:
        _place_all(live, order, deadline, state, current)
    finally:
        live.highs.setOptionValue("mip_rel_gap", 0.0)
    if state.values is not None:
        state.history.append((time.perf_counter() - started, state.objective))


def _place_all(live: LiveModel, order: list[int], deadline: float, state: SearchState,
               current: np.ndarray) -> None:
    n = len(order)
    values = None
    for position, e in enumerate(order):
        live.set_employee_rows(e, True)
        # The employee's own columns move even when no shift is open to them (all days off: hired late in
        # the period, no skill for any planned shift): their day-off stretches must still be chosen.
        mover = np.zeros(live.n_employees, dtype=bool)
        mover[e] = True
        result = None
        for attempt in range(4):
            remaining = deadline - time.perf_counter()
            share = max(0.2, remaining / max(1, n - position)) * (2 ** attempt)
            result = live.solve(live.x_employee == e, current, time_limit=share, warm=False, reshape=mover)
            if result.values is not None or result.status == "infeasible":
                break
        if result is None or result.values is None:
            state.infeasible_employees.append(e)
            live.set_employee_rows(e, False)  # keep this employee off; diagnosis explains why
            continue
        values = current = live.clean(result.values)
        state.objective = result.objective
    if values is not None and not state.infeasible_employees:
        state.values = values


@dataclass
class Neighbourhood:
    kind: str
    size: float  # employees, days, or fraction, depending on kind
    low: float
    high: float


def improve(live: LiveModel, deadline: float, rng: random.Random, state: SearchState,
            bound: float | None = None, sub_limit: float = 3.0, stall: float | None = None,
            on_improve: Callable[[float], None] | None = None) -> None:
    """Fix-and-optimise until the deadline, until the incumbent meets `bound`, or until `stall` seconds
    pass without an improvement."""
    n, horizon = live.n_employees, live.horizon
    kinds = [
        Neighbourhood("employees", min(n, 4), 2, n),
        Neighbourhood("days", min(horizon, 7), 3, horizon),
        Neighbourhood("block", 0.5, 0.2, 1.0),
    ]
    if live.lp_x is not None:
        kinds.append(Neighbourhood("guided", n * horizon * 0.15, 4, n * horizon))
    if live.has_stretches and len(live.form.problem.shifts) > 1:
        kinds.append(Neighbourhood("reshape", 2, 0, n))
    started = time.perf_counter()
    limit, stale = sub_limit, 0
    last_gain, since_gain = started, 0
    while state.values is not None:
        now = time.perf_counter()
        remaining = deadline - now
        if stall is not None and now - last_gain > stall and since_gain >= STALL_TRIES:
            return
        if remaining < 0.05 or (bound is not None and state.objective is not None
                                and state.objective - bound < 1 - 1e-6):
            return
        hood = rng.choice(kinds)
        reshape = None
        if hood.kind == "guided":
            free = _guided_cells(live, hood, rng, state.values)
        elif hood.kind == "reshape":  # everyone may swap shift types; a few may also move their days
            free = np.ones(len(live.x_cols), dtype=bool)
            reshape = np.zeros(n, dtype=bool)
            reshape[rng.sample(range(n), min(n, round(hood.size)))] = True
        else:
            free = _free_cells(live, hood, rng, live.day_costs(state.values))
        result = live.solve(free, state.values, time_limit=min(limit, remaining), reshape=reshape)
        tries = state.stats.setdefault(hood.kind, [0, 0, 0.0])
        tries[0] += 1
        tries[2] += result.seconds
        if result.values is not None and result.objective is not None \
                and result.objective <= state.objective + 1e-6:
            if result.objective < state.objective - 1e-6:
                tries[1] += 1
                stale, since_gain = -1, -1
                last_gain = time.perf_counter()
                state.history.append((time.perf_counter() - started, result.objective))
                if on_improve:
                    on_improve(result.objective)
            state.values, state.objective = live.clean(result.values), result.objective
        _adapt(hood, result.status == "optimal" and result.seconds < limit / 3)
        stale += 1
        since_gain += 1
        if stale >= 20:  # stuck: allow bigger neighbourhoods by giving each sub-solve more time
            limit, stale = min(4 * sub_limit, limit * 1.5), 0
        state.sizes[hood.kind] = round(hood.size, 2)


def _adapt(hood: Neighbourhood, easy: bool) -> None:
    factor = 1.15 if easy else 0.8
    hood.size = min(hood.high, max(hood.low, hood.size * factor))


def _guided_cells(live: LiveModel, hood: Neighbourhood, rng: random.Random, values: np.ndarray) -> np.ndarray:
    """Free the (employee, day) cells where the incumbent departs most from the LP relaxation (RINS-like),
    drawn at random in proportion to that distance so repeated tries differ."""
    distance = np.abs(live.clean(values)[live.x_cols] - live.lp_x)
    cell = live.x_employee * live.horizon + live.x_day
    per_cell = np.zeros(live.n_employees * live.horizon)
    np.add.at(per_cell, cell, distance)
    weights = per_cell + 1e-3
    count = int(min(len(weights), max(1, round(hood.size))))
    picker = np.random.default_rng(rng.randrange(2**31))
    chosen = picker.choice(len(weights), size=count, replace=False, p=weights / weights.sum())
    return np.isin(cell, chosen)


def _window_start(length: int, day_costs: np.ndarray, rng: random.Random) -> int:
    """Half the time anywhere; otherwise a window drawn in proportion to the cover penalty it holds."""
    starts = len(day_costs) - length + 1
    if rng.random() < 0.5 or day_costs.sum() <= 0:
        return rng.randrange(0, starts)
    window = np.convolve(day_costs, np.ones(length), mode="valid")[:starts] + 1e-9
    return int(rng.choices(range(starts), weights=window.tolist())[0])


def _free_cells(live: LiveModel, hood: Neighbourhood, rng: random.Random, day_costs: np.ndarray) -> np.ndarray:
    n, horizon = live.n_employees, live.horizon
    if hood.kind == "employees":
        chosen = rng.sample(range(n), max(1, min(n, round(hood.size))))
        return np.isin(live.x_employee, chosen)
    if hood.kind == "days":
        length = max(1, min(horizon, round(hood.size)))
        start = _window_start(length, day_costs, rng)
        return (live.x_day >= start) & (live.x_day < start + length)
    # block: half the horizon-ish window for a fraction of employees, both growing with `size`
    length = max(2, min(horizon, round(horizon * min(1.0, 0.25 + hood.size / 2))))
    start = _window_start(length, day_costs, rng)
    count = max(2, min(n, round(n * hood.size)))
    chosen = rng.sample(range(n), count)
    return np.isin(live.x_employee, chosen) & (live.x_day >= start) & (live.x_day < start + length)
