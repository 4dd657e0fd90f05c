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
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduling.roster.live import LiveModel, SubResult
from scheduling.roster.parallel import Exchange

PLACEMENT_GAP = 0.005  # a rough placement is enough: the LNS refines it
STALL_TRIES = 40  # a stalled search has also gone this many tries without a gain
STUCK_TRIES = 20  # tries without a gain after which the search is stuck: a wide one, longer sub-solves
FAR = 0.02  # an incumbent this far above the bound (relative) tries a wide neighbourhood every other turn
WIDE_SECONDS = 10.0  # at most, for a wide neighbourhood (about half the horizon, every employee)


@dataclass
class SearchState:
    values: np.ndarray | None = None  # full column vector of the incumbent
    objective: float | None = None
    history: list[tuple[float, float]] = field(default_factory=list)  # (seconds, objective)
    stats: dict[str, list[float]] = field(default_factory=dict)  # kind -> [tries, improvements, seconds]
    infeasible_employees: list[int] = field(default_factory=list)
    sizes: dict[str, float] = field(default_factory=dict)  # last neighbourhood size of each kind


def construct(
    live: LiveModel, deadline: float, rng: random.Random, state: SearchState, exchange: Exchange | None = None
) -> None:
    """Place employees one at a time; each sub-MIP sees the cover already given by those placed before.

    With an `exchange`, a complete roster from the other search ends this construction early: the two
    construct side by side and both go on from whichever finishes first (on a loaded machine one
    construction took 17 s of 60)."""
    order = list(range(live.n_employees))
    rng.shuffle(order)
    current = np.zeros(live.n_cols)
    for e in order:
        live.set_employee_rows(e, False)
    # Cover per interval and fairness give each placement piecewise costs over every interval it could
    # work and every colleague it is compared with, which made a placement three times slower (60 agents
    # x 4 weeks: 0.45 s against 0.13 s): the construction places against the shift cover, requests and
    # the employee's own rules; those costs are counted once everyone is placed, and the search that
    # follows works on them.
    live.set_deferred_rows(False)
    started = time.perf_counter()
    try:
        _place_all(live, order, deadline, state, current, exchange)
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
    if state.values is not None:
        state.history.append((time.perf_counter() - started, state.objective))


def _place_all(
    live: LiveModel,
    order: list[int],
    deadline: float,
    state: SearchState,
    current: np.ndarray,
    exchange: Exchange | None = None,
) -> None:
    n = len(order)
    values = None
    for position, e in enumerate(order):
        got = exchange.take() if exchange is not None else None
        if got is not None:  # the other search has a whole roster already
            state.values, state.objective = live.clean(got[1]), got[0]
            state.infeasible_employees.clear()
            return
        share = max(0.2, (deadline - time.perf_counter()) / max(1, n - position))
        placed = _place(live, e, current, share, deadline)
        if placed is None:
            state.infeasible_employees.append(e)
            continue
        values = current = placed.values
        state.objective = placed.objective
    if values is not None and not state.infeasible_employees:
        state.values = values


def _place(live: LiveModel, e: int, current: np.ndarray, share: float, deadline: float) -> SubResult | None:
    """Place employee `e` against the cover the others give, in a model of only the columns that move
    (see `LiveModel.solve_columns`: one employee per solve of the whole model took 0.3 s of presolve at
    200 agents, a minute and more for the construction); None, with e's rows off again, when no placement
    was found.

    Retries with doubling time until a placement, a proof that none exists, or the deadline: on a loaded
    machine four short tries were not always enough (Curtois 10, load 7), and an employee merely not
    placed in time must not be reported as unable to keep the rules."""
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
            result.values = live.clean(result.values)
            return result
        if result.status == "infeasible":
            break
        attempt += 1
    live.set_employee_rows(e, False)  # keep this employee off; the diagnosis explains why
    return None


@dataclass
class Neighbourhood:
    kind: str
    size: float  # employees, days, or fraction, depending on kind
    low: float
    high: float
    rate: float = 0.0  # recent gain per second: kinds that pay are drawn more often


def _pick(kinds: list[Neighbourhood], rng: random.Random) -> Neighbourhood:
    """A kind drawn in proportion to its recent gain per second, each keeping at least a third of a fair
    share so a kind that stopped paying (or never started) is still tried now and then."""
    total = sum(k.rate for k in kinds)
    if total <= 0:
        return rng.choice(kinds)
    floor = 1.0 / (3 * len(kinds))
    weights = [floor + (1 - floor * len(kinds)) * k.rate / total for k in kinds]
    return rng.choices(kinds, weights=weights)[0]


def improve(
    live: LiveModel,
    deadline: float,
    rng: random.Random,
    state: SearchState,
    bound: float | None = None,
    sub_limit: float = 3.0,
    stall: float | None = None,
    on_improve: Callable[[float], None] | None = None,
    exchange: Exchange | None = None,
) -> None:
    """Fix-and-optimise until the deadline, until the incumbent meets `bound`, or until `stall` seconds
    pass without an improvement. With an `exchange`, improvements go to the other search and its better
    incumbents are adopted (see `parallel`)."""
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
    if len(live.slack_day) and n > 2:
        kinds.append(Neighbourhood("cover", min(n, 4), 2, n))
        kinds.append(Neighbourhood("cover_window", min(n, 8), 3, n))
    # A wide neighbourhood: every employee on about half the horizon, the days around the costly ones
    # (`_costly_days`), solved for up to `WIDE_SECONDS`. Small neighbourhoods make nothing of an uncovered
    # shift whose mending moves many employees' days at once: that is what a dive's roster often holds
    # (Curtois 8: 1400-1500 against 1300) and what a wide one mends, in 1-10 s about every other try.
    # It comes whenever the search is stuck and, while the roster is far above the bound, every other turn.
    wide = Neighbourhood("wide", max(7, horizon // 2), 0, horizon)

    def far() -> bool:
        return (
            bound is not None
            and state.objective is not None
            and state.objective - bound > FAR * abs(state.objective)
        )

    wide_next = far()
    started = time.perf_counter()
    limit, stale = sub_limit, 0
    last_gain, since_gain = started, 0
    while state.values is not None:
        now = time.perf_counter()
        remaining = deadline - now
        if stall is not None and now - last_gain > stall and since_gain >= STALL_TRIES:
            return
        if remaining < 0.05 or (
            bound is not None and state.objective is not None and state.objective - bound < 1 - 1e-6
        ):
            return
        if exchange is not None:
            got = exchange.take()
            if exchange.stopped or exchange.branching:
                return
            if got is not None and got[0] < state.objective - 1e-6:
                state.values, state.objective = live.clean(got[1]), got[0]
                last_gain = time.perf_counter()
                state.history.append((last_gain - started, got[0]))
        hood = wide if wide_next else _pick(kinds, rng)
        # Far above the bound, every other neighbourhood is a wide one: measured from a Curtois 8 roster
        # one uncovered shift above the optimum (1399), wide ones mended it in 7 of 8 tries of 1-7 s, while
        # a run that tried one only when stuck (5 in 30 s) ended there.
        wide_next = hood is not wide and far()
        reshape = None
        time_limit = min(limit, remaining)
        if hood.kind == "wide":
            free = np.isin(
                live.x_day, _costly_days(min(horizon, round(hood.size)), live.day_costs(state.values), rng)
            )
            time_limit = min(WIDE_SECONDS, remaining / 3)
        elif hood.kind == "guided":
            free = _guided_cells(live, hood, rng, state.values)
        elif hood.kind == "reshape":  # everyone may swap shift types; a few may also move their days
            free = np.ones(len(live.x_cols), dtype=bool)
            reshape = np.zeros(n, dtype=bool)
            reshape[rng.sample(range(n), min(n, round(hood.size)))] = True
        elif hood.kind.startswith("cover"):
            free = _cover_cells(live, hood, rng, state.values)
        else:
            free = _free_cells(live, hood, rng, live.day_costs(state.values))
        before = state.objective
        result = live.solve(free, state.values, time_limit=time_limit, reshape=reshape)
        tries = state.stats.setdefault(hood.kind, [0, 0, 0.0])
        tries[0] += 1
        tries[2] += result.seconds
        if (
            result.values is not None
            and result.objective is not None
            and result.objective <= state.objective + 1e-6
        ):
            if result.objective < state.objective - 1e-6:
                tries[1] += 1
                stale, since_gain = -1, -1
                last_gain = time.perf_counter()
                state.history.append((time.perf_counter() - started, result.objective))
                if on_improve:
                    on_improve(result.objective)
            state.values, state.objective = live.clean(result.values), result.objective
            if exchange is not None:
                exchange.offer(state.objective, state.values)
        if hood is not wide:
            _adapt(hood, result.status == "optimal" and result.seconds < limit / 3)
        gain = max(0.0, before - state.objective)
        hood.rate = 0.8 * hood.rate + 0.2 * gain / max(0.05, result.seconds)
        stale += 1
        since_gain += 1
        if stale >= STUCK_TRIES:  # stuck: a wide neighbourhood next, and more time for every sub-solve
            wide_next = True
            limit = min(4 * sub_limit, limit * 1.5)
            stale = 0
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


def _cover_cells(live: LiveModel, hood: Neighbourhood, rng: random.Random, values: np.ndarray) -> np.ndarray:
    """Free the employees who could mend the costliest cover deviations, over the whole horizon ("cover":
    their blocks, e.g. of nights, can then move from one employee to another) or over a window around the
    deviation ("cover_window": more employees, fewer days).

    Deviations are drawn in proportion to what they cost; for a shortfall the candidates are those allowed
    that shift on that day but not working it, for a surplus those working it. A quarter of the employees
    are drawn at random so the same few are not freed again and again.
    """
    n = live.n_employees
    count = max(2, min(n, round(hood.size)))
    under = values[live.slack_under] * live.slack_under_weight
    over = values[live.slack_over] * live.slack_over_weight
    cost = np.maximum(0.0, np.concatenate([under, over]))
    chosen: set[int] = set()
    day = None
    if cost.sum() > 1e-9:
        picker = np.random.default_rng(rng.randrange(2**31))
        x_values = values[live.x_cols]
        for _ in range(4 * count):
            if len(chosen) >= count - count // 4:
                break
            k = int(picker.choice(len(cost), p=cost / cost.sum()))
            short = k < len(under)
            k %= len(under)
            if day is None:
                day = int(live.slack_day[k])
            cell = np.isin(live.x_cell, live.slack_cells[k])
            cell &= (x_values < 0.5) if short else (x_values > 0.5)
            candidates = sorted(set(live.x_employee[cell].tolist()) - chosen)
            if candidates:
                chosen.add(rng.choice(candidates))
    others = [e for e in range(n) if e not in chosen]
    chosen.update(rng.sample(others, min(len(others), count - len(chosen))))
    free = np.isin(live.x_employee, sorted(chosen))
    if hood.kind == "cover_window":
        length = max(7, live.horizon // 2)
        centre = day if day is not None else rng.randrange(live.horizon)
        start = min(max(0, centre - length // 2), max(0, live.horizon - length))
        free &= (live.x_day >= start) & (live.x_day < start + length)
    return free


def _costly_days(count: int, day_costs: np.ndarray, rng: random.Random) -> list[int]:
    """About `count` days for a wide neighbourhood: days drawn in proportion to their cover penalty, each
    with one or two days either side, until there are enough; a window anywhere when cover costs nothing.

    Measured on Curtois 8 from rosters stuck one uncovered shift above the optimum (1400, 1502, 1407; four
    tries each, 14 days, 10 s): days around the costly ones mended 2, 4 and 4 of the 12 tries; windows of
    14 consecutive days 0, 0 and 4. The costly days are weekends there, a week apart: 14 consecutive days
    hold two of them, the days around them three or four. Half the horizon is about right: around 10 days
    the solves were quick but mended nothing, around 20 most ran out of time."""
    horizon = len(day_costs)
    if day_costs.sum() <= 1e-9:
        start = _window_start(count, day_costs, rng)
        return list(range(start, start + count))
    picker = np.random.default_rng(rng.randrange(2**31))
    weights = day_costs + 1e-9
    chosen: set[int] = set()
    for day in picker.choice(horizon, size=horizon, replace=False, p=weights / weights.sum()).tolist():
        reach = rng.choice((1, 2))
        chosen.update(range(max(0, day - reach), min(horizon, day + reach + 1)))
        if len(chosen) >= count:
            break
    return sorted(chosen)


def _window_start(length: int, day_costs: np.ndarray, rng: random.Random) -> int:
    """Half the time anywhere; otherwise a window drawn in proportion to the cover penalty it holds."""
    starts = len(day_costs) - length + 1
    if rng.random() < 0.5 or day_costs.sum() <= 0:
        return rng.randrange(0, starts)
    window = np.convolve(day_costs, np.ones(length), mode="valid")[:starts] + 1e-9
    return int(rng.choices(range(starts), weights=window.tolist())[0])


def _free_cells(
    live: LiveModel, hood: Neighbourhood, rng: random.Random, day_costs: np.ndarray
) -> np.ndarray:
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
