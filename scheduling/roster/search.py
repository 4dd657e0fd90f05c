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


@dataclass
class SearchState:
    values: np.ndarray | None = None  # full column vector of the incumbent
    objective: float | None = None
    history: list[tuple[float, float]] = field(default_factory=list)  # (seconds, objective)
    stats: dict[str, list[int]] = field(default_factory=dict)  # kind -> [tries, improvements]
    infeasible_employees: list[int] = field(default_factory=list)


def construct(live: LiveModel, deadline: float, rng: random.Random, state: SearchState) -> None:
    """Place employees one at a time; each sub-MIP sees the cover already given by those placed before."""
    n = live.n_employees
    order = list(range(n))
    rng.shuffle(order)
    current = np.zeros(live.n_cols)
    for e in range(n):
        live.set_employee_rows(e, False)
    started = time.perf_counter()
    values = None
    for position, e in enumerate(order):
        live.set_employee_rows(e, True)
        result = None
        for attempt in range(4):
            remaining = deadline - time.perf_counter()
            share = max(0.2, remaining / max(1, n - position)) * (2 ** attempt)
            result = live.solve(live.x_employee == e, current, time_limit=share, warm=False)
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
        state.history.append((time.perf_counter() - started, state.objective))


@dataclass
class Neighbourhood:
    kind: str
    size: float  # employees, days, or fraction, depending on kind
    low: float
    high: float


def improve(live: LiveModel, deadline: float, rng: random.Random, state: SearchState,
            bound: float | None = None, sub_limit: float = 3.0,
            on_improve: Callable[[float], None] | None = None) -> None:
    """Fix-and-optimise until the deadline or until the incumbent meets `bound`."""
    n, horizon = live.n_employees, live.horizon
    kinds = [
        Neighbourhood("employees", min(n, 4), 2, n),
        Neighbourhood("days", min(horizon, 7), 3, horizon),
        Neighbourhood("block", 0.5, 0.2, 1.0),
    ]
    started = time.perf_counter()
    while state.values is not None:
        remaining = deadline - time.perf_counter()
        if remaining < 0.05 or (bound is not None and state.objective is not None
                                and state.objective - bound < 1 - 1e-6):
            return
        hood = rng.choice(kinds)
        free = _free_cells(live, hood, rng)
        result = live.solve(free, state.values, time_limit=min(sub_limit, remaining))
        tries = state.stats.setdefault(hood.kind, [0, 0])
        tries[0] += 1
        if result.values is not None and result.objective is not None \
                and result.objective <= state.objective + 1e-6:
            if result.objective < state.objective - 1e-6:
                tries[1] += 1
                state.history.append((time.perf_counter() - started, result.objective))
                if on_improve:
                    on_improve(result.objective)
            state.values, state.objective = live.clean(result.values), result.objective
        _adapt(hood, result.status == "optimal" and result.seconds < sub_limit / 3)


def _adapt(hood: Neighbourhood, easy: bool) -> None:
    factor = 1.15 if easy else 0.8
    hood.size = min(hood.high, max(hood.low, hood.size * factor))


def _free_cells(live: LiveModel, hood: Neighbourhood, rng: random.Random) -> np.ndarray:
    n, horizon = live.n_employees, live.horizon
    if hood.kind == "employees":
        chosen = rng.sample(range(n), max(1, min(n, round(hood.size))))
        return np.isin(live.x_employee, chosen)
    if hood.kind == "days":
        length = max(1, min(horizon, round(hood.size)))
        start = rng.randrange(0, horizon - length + 1)
        return (live.x_day >= start) & (live.x_day < start + length)
    # block: half the horizon-ish window for a fraction of employees, both growing with `size`
    length = max(2, min(horizon, round(horizon * min(1.0, 0.25 + hood.size / 2))))
    start = rng.randrange(0, horizon - length + 1)
    count = max(2, min(n, round(n * hood.size)))
    chosen = rng.sample(range(n), count)
    return np.isin(live.x_employee, chosen) & (live.x_day >= start) & (live.x_day < start + length)
