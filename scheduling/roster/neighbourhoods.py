"""The kinds of neighbourhood the search frees, one strategy object each: which x cells a try re-solves.

Each kind keeps its own size (employees, days, cells or a fraction, depending on the kind), which grows
after an easy try and shrinks after a hard one, and its recent gain per second, by which `pick` draws it.
Kinds that fix most of the roster and free a few whole employees (`Employees`), a window of days for
everyone (`Days`), a block of both (`Block`), the cells furthest from the relaxation (`Guided`), every
shift type with a few employees' days (`Reshape`), the employees who could mend the costliest cover
(`Cover`, and its windowed form), and everyone around the costly days (`Wide`, tried when the search is
stuck, see `search.improve`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from scheduling.roster.live import LiveModel

WIDE_SECONDS = 10.0  # at most, for a wide neighbourhood (about half the horizon, every employee)


@dataclass
class Move:
    """One try: the x cells to free, who may move their days (`reshape`, bool per employee, or None),
    and the try's own time limit (None: the search's)."""

    free: np.ndarray
    reshape: np.ndarray | None = None
    time_limit: float | None = None


@dataclass
class Neighbourhood:
    kind: str
    size: float  # employees, days, cells or fraction, depending on the kind
    low: float
    high: float
    rate: float = 0.0  # recent gain per second: kinds that pay are drawn more often
    adapts: bool = True  # the size follows how easy the tries are

    def move(self, live: LiveModel, rng: random.Random, values: np.ndarray, remaining: float) -> Move:
        raise NotImplementedError

    def adapt(self, easy: bool) -> None:
        factor = 1.15 if easy else 0.8
        self.size = min(self.high, max(self.low, self.size * factor))


class Employees(Neighbourhood):
    """A few whole employees, over the whole horizon."""

    def move(self, live: LiveModel, rng: random.Random, values: np.ndarray, remaining: float) -> Move:
        n = live.n_employees
        chosen = rng.sample(range(n), max(1, min(n, round(self.size))))
        return Move(np.isin(live.x_employee, chosen))


class Days(Neighbourhood):
    """Everyone, over a window of days (drawn towards the costly ones half the time)."""

    def move(self, live: LiveModel, rng: random.Random, values: np.ndarray, remaining: float) -> Move:
        length = max(1, min(live.horizon, round(self.size)))
        start = window_start(length, live.day_costs(values), rng)
        return Move((live.x_day >= start) & (live.x_day < start + length))


class Block(Neighbourhood):
    """A share of the employees over a window of about half the horizon, both growing with the size."""

    def move(self, live: LiveModel, rng: random.Random, values: np.ndarray, remaining: float) -> Move:
        n, horizon = live.n_employees, live.horizon
        length = max(2, min(horizon, round(horizon * min(1.0, 0.25 + self.size / 2))))
        start = window_start(length, live.day_costs(values), rng)
        count = max(2, min(n, round(n * self.size)))
        chosen = rng.sample(range(n), count)
        return Move(np.isin(live.x_employee, chosen) & (live.x_day >= start) & (live.x_day < start + length))


class Guided(Neighbourhood):
    """The (employee, day) cells where the incumbent departs most from the relaxation (RINS-like), drawn
    at random in proportion to that distance so repeated tries differ."""

    def move(self, live: LiveModel, rng: random.Random, values: np.ndarray, remaining: float) -> Move:
        assert live.lp_x is not None  # this kind is only offered once a relaxation is known
        distance = np.abs(live.clean(values)[live.x_cols] - live.lp_x)
        cell = live.x_employee * live.horizon + live.x_day
        per_cell = np.zeros(live.n_employees * live.horizon)
        np.add.at(per_cell, cell, distance)
        weights = per_cell + 1e-3
        count = int(min(len(weights), max(1, round(self.size))))
        picker = np.random.default_rng(rng.randrange(2**31))
        chosen = picker.choice(len(weights), size=count, replace=False, p=weights / weights.sum())
        return Move(np.isin(cell, chosen))


class Reshape(Neighbourhood):
    """Everyone may swap shift types; a few may also move their days (with the stretch network)."""

    def move(self, live: LiveModel, rng: random.Random, values: np.ndarray, remaining: float) -> Move:
        n = live.n_employees
        reshape = np.zeros(n, dtype=bool)
        reshape[rng.sample(range(n), min(n, round(self.size)))] = True
        return Move(np.ones(len(live.x_cols), dtype=bool), reshape)


@dataclass
class Cover(Neighbourhood):
    """The employees who could mend the costliest cover deviations, over the whole horizon (their
    blocks, e.g. of nights, can then move from one employee to another) or, `windowed`, over a window
    around the deviation (more employees, fewer days).

    Deviations are drawn in proportion to what they cost; for a shortfall the candidates are those allowed
    that shift on that day but not working it, for a surplus those working it. A quarter of the employees
    are drawn at random so the same few are not freed again and again.
    """

    windowed: bool = False

    def move(self, live: LiveModel, rng: random.Random, values: np.ndarray, remaining: float) -> Move:
        n = live.n_employees
        count = max(2, min(n, round(self.size)))
        chosen, day = _mending(live, values, count, rng)
        others = [e for e in range(n) if e not in chosen]
        chosen.update(rng.sample(others, min(len(others), count - len(chosen))))
        free = np.isin(live.x_employee, sorted(chosen))
        if self.windowed:
            length = max(7, live.horizon // 2)
            centre = day if day is not None else rng.randrange(live.horizon)
            start = min(max(0, centre - length // 2), max(0, live.horizon - length))
            free &= (live.x_day >= start) & (live.x_day < start + length)
        return Move(free)


def _mending(
    live: LiveModel, values: np.ndarray, count: int, rng: random.Random
) -> tuple[set[int], int | None]:
    """Up to three quarters of `count` employees who could mend cover deviations drawn by their cost, and
    the day of the first deviation drawn (None when cover costs nothing)."""
    under = values[live.slack_under] * live.slack_under_weight
    over = values[live.slack_over] * live.slack_over_weight
    cost = np.maximum(0.0, np.concatenate([under, over]))
    chosen: set[int] = set()
    day = None
    if cost.sum() <= 1e-9:
        return chosen, day
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
    return chosen, day


class Wide(Neighbourhood):
    """Every employee on about half the horizon, the days around the costly ones, solved for up to
    `WIDE_SECONDS`. Small neighbourhoods make nothing of an uncovered shift whose mending moves many
    employees' days at once; a wide one mends it. Its size never adapts."""

    def move(self, live: LiveModel, rng: random.Random, values: np.ndarray, remaining: float) -> Move:
        days = costly_days(min(live.horizon, round(self.size)), live.day_costs(values), rng)
        return Move(np.isin(live.x_day, days), time_limit=min(WIDE_SECONDS, remaining / 3))


def kinds_for(live: LiveModel) -> list[Neighbourhood]:
    """The kinds this model offers (a wide one comes apart: see `search.improve`)."""
    n, horizon = live.n_employees, live.horizon
    kinds: list[Neighbourhood] = [
        Employees("employees", min(n, 4), 2, n),
        Days("days", min(horizon, 7), 3, horizon),
        Block("block", 0.5, 0.2, 1.0),
    ]
    if live.lp_x is not None:
        kinds.append(Guided("guided", n * horizon * 0.15, 4, n * horizon))
    if live.has_stretches and len(live.form.problem.shifts) > 1:
        kinds.append(Reshape("reshape", 2, 0, n))
    if len(live.slack_day) and n > 2:
        kinds.append(Cover("cover", min(n, 4), 2, n))
        kinds.append(Cover("cover_window", min(n, 8), 3, n, windowed=True))
    return kinds


def wide_for(live: LiveModel) -> Wide:
    return Wide("wide", max(7, live.horizon // 2), 0, live.horizon, adapts=False)


def pick(kinds: list[Neighbourhood], rng: random.Random) -> Neighbourhood:
    """A kind drawn in proportion to its recent gain per second, each keeping at least a third of a fair
    share so a kind that stopped paying (or never started) is still tried now and then."""
    total = sum(k.rate for k in kinds)
    if total <= 0:
        return rng.choice(kinds)
    floor = 1.0 / (3 * len(kinds))
    weights = [floor + (1 - floor * len(kinds)) * k.rate / total for k in kinds]
    return rng.choices(kinds, weights=weights)[0]


def costly_days(count: int, day_costs: np.ndarray, rng: random.Random) -> list[int]:
    """About `count` days for a wide neighbourhood: days drawn in proportion to their cover penalty, each
    with one or two days either side, until there are enough; a window anywhere when cover costs nothing.
    The costly days of a benchmark roster are often weekends a week apart: a window of consecutive days
    holds fewer of them than the days around each do."""
    horizon = len(day_costs)
    if day_costs.sum() <= 1e-9:
        start = window_start(count, day_costs, rng)
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


def window_start(length: int, day_costs: np.ndarray, rng: random.Random) -> int:
    """Half the time anywhere; otherwise a window drawn in proportion to the cover penalty it holds."""
    starts = len(day_costs) - length + 1
    if rng.random() < 0.5 or day_costs.sum() <= 0:
        return rng.randrange(0, starts)
    window = np.convolve(day_costs, np.ones(length), mode="valid")[:starts] + 1e-9
    return int(rng.choices(range(starts), weights=window.tolist())[0])
