"""A roster built and improved one employee's whole row at a time, by the pricing labeller (milliseconds a
row), for problems whose soft costs split by cell: requests, shift cover and changes from the last period.

Every hard rule concerns one employee, and with shift cover the only link between employees, what one
employee's row costs given everyone else's is a sum over its cells: a request's weight where it is
broken, and for each cell the cover's marginal cost (the under weight saved while the others leave the
shift short, the over weight paid once they fill it). So the cheapest row for one employee, all others
fixed, is exactly what `pricing.cheapest_row` finds under those cell costs, keeping all of the
employee's hard rules. `construct` places employees one after another that way (the same greedy as one
small MIP per employee, far quicker: the MIP's setup cost tenths of a second a placement at 50 agents on a
loaded machine); `sweep` re-places each employee against all the others, keeping a row only when it
costs less, until a whole pass gains nothing. Interval cover and fairness link employees otherwise:
`supported` says no, and the model's own construction serves.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace

import numpy as np

from scheduling import stopping
from scheduling.roster.model import Roster, RosterProblem
from scheduling.roster.pricing import EmployeeRules, cheapest_row, employee_rules, pricing_work

# Rows are priced heuristically, keeping this many labels per state (exact pricing took up to 0.6 s a
# row at 80 agents x 35 days x 6 shift types, and minutes at 18 types): the row still keeps every rule,
# and a sweep keeps it only when it costs less.
HEURISTIC_KEEP = 2
# Labels kept heuristically can all miss a tight band of total minutes (Curtois 8: 17 of 28 days or
# more) and find no row: the row is then priced exactly, where that is quick enough.
EXACT_WORK = 2_000_000
RESTART_SHARE = 0.1  # of the employees, placed again from scratch when the sweeps stall
TYPES = 4  # shift types a row may draw from at once (the cheapest over the horizon, and its own)


def supported(problem: RosterProblem) -> bool:
    """Whether a row's cost given the others is a sum over its cells (no interval cover, no fairness)."""
    return not problem.interval_cover and not problem.fairness


@dataclass
class RowSearch:
    """The cell costs that do not depend on others (requests, changes), the cover's counts, and each
    employee's rules for the labeller."""

    problem: RosterProblem
    rules: list[EmployeeRules]
    own: np.ndarray  # [employee, day, shift]: request and change costs of working that cell
    own_off: np.ndarray  # [employee, day]: request costs of a day off (on-requests for the whole day)
    requirement: np.ndarray  # [day, shift]
    under: np.ndarray  # [day, shift] weight of each person short
    over: np.ndarray  # [day, shift] weight of each person over
    weekend_cost: np.ndarray

    @classmethod
    def of(cls, problem: RosterProblem) -> RowSearch:
        n, horizon, shifts = len(problem.staff), problem.horizon, problem.shift_ids
        index = {s: k for k, s in enumerate(shifts)}
        person_index = {p.id: e for e, p in enumerate(problem.staff)}
        own = np.zeros((n, horizon, len(shifts)))
        own_off = np.zeros((n, horizon))
        for r in problem.requests:
            e = person_index[r.employee]
            cells = [index[r.shift]] if r.shift is not None else list(range(len(shifts)))
            if r.on:  # broken unless one of the cells is worked
                if r.shift is None:
                    own_off[e, r.day] += r.weight
                else:
                    own[e, r.day, :] += r.weight
                    own[e, r.day, cells[0]] -= r.weight
                    own_off[e, r.day] += r.weight
            else:
                own[e, r.day, cells] += r.weight
        if problem.change_weight:
            for (emp, d), shift in problem.previous.items():
                e = person_index[emp]
                if shift is None:
                    own[e, d, :] += problem.change_weight
                else:
                    own[e, d, :] += problem.change_weight
                    own[e, d, index[shift]] -= problem.change_weight
                    own_off[e, d] += problem.change_weight
        requirement = np.zeros((horizon, len(shifts)))
        under = np.zeros((horizon, len(shifts)))
        over = np.zeros((horizon, len(shifts)))
        for c in problem.cover:
            requirement[c.day, index[c.shift]] += c.requirement
            under[c.day, index[c.shift]] = c.under_weight
            over[c.day, index[c.shift]] = c.over_weight
        rules = [employee_rules(problem, p) for p in problem.staff]
        weekend_cost = np.zeros(max(1, len(problem.weekends())))
        return cls(problem, rules, own, own_off, requirement, under, over, weekend_cost)

    def counts(self, rows: np.ndarray) -> np.ndarray:
        """[day, shift]: how many work each cell in `rows` ([employee, day], shift index or -1)."""
        horizon, n_shifts = self.requirement.shape
        out = np.zeros((horizon, n_shifts))
        working = rows >= 0
        days = np.broadcast_to(np.arange(horizon), rows.shape)
        np.add.at(out, (days[working], rows[working]), 1)
        return out

    def cell_costs(self, e: int, others: np.ndarray) -> np.ndarray:
        """What working each cell costs employee e, against the counts `others` of everyone else, with
        the day off costing nothing (its request costs moved onto the shifts)."""
        cover = np.where(others < self.requirement, -self.under, self.over)
        return self.own[e] + cover - self.own_off[e][:, None]

    def best_row(
        self, e: int, others: np.ndarray, threshold: float = np.inf, keeping: np.ndarray | None = None
    ) -> tuple[float, np.ndarray] | None:
        """Employee e's cheapest row (cost relative to a row of days off) against the others' counts,
        among the `TYPES` shift types that pay best over the horizon and those of `keeping` (the current
        row, which so stays within reach); the labels grow with the shift types a row may use. When that
        finds no row, among all of them."""
        costs = self.cell_costs(e, others)
        rules = self.rules[e]
        n_shifts = costs.shape[1]
        if n_shifts > TYPES:
            gain = np.where(rules.allowed, np.minimum(costs, 0.0), 0.0).sum(axis=0)
            chosen = np.zeros(n_shifts, dtype=bool)
            chosen[np.argsort(gain, kind="stable")[:TYPES]] = True
            if keeping is not None:
                chosen[keeping[keeping >= 0]] = True
            narrow = replace(rules, allowed=rules.allowed & chosen[None, :])
            found = cheapest_row(narrow, costs, self.weekend_cost, threshold, HEURISTIC_KEEP)
            if found is not None and len(found[1]):
                return found
            if keeping is not None:
                return None  # the current row was within reach: nothing cheaper among these types
        for keep in (HEURISTIC_KEEP, 0):
            if keep == 0 and (keeping is not None or pricing_work(rules) > EXACT_WORK):
                break
            found = cheapest_row(rules, costs, self.weekend_cost, threshold, keep)
            if found is not None and len(found[1]):
                return found
        return None

    def row_cost(self, e: int, row: np.ndarray, others: np.ndarray) -> float:
        costs = self.cell_costs(e, others)
        days = np.flatnonzero(row >= 0)
        return float(costs[days, row[days]].sum())

    def construct(self, rng: random.Random, deadline: float) -> np.ndarray | None:
        """Every employee placed in turn against those placed before; None when some employee has no
        row keeping their rules (or the labels outgrew the labeller's limit), or at the deadline."""
        n, horizon = len(self.rules), self.problem.horizon
        rows = np.full((n, horizon), -1, dtype=np.int64)
        order = list(range(n))
        rng.shuffle(order)
        counts = np.zeros_like(self.requirement)
        days = np.arange(horizon)
        for e in order:
            stopping.check()
            if time.perf_counter() > deadline:
                return None
            found = self.best_row(e, counts)
            if found is None:
                return None
            rows[e] = found[1]
            working = rows[e] >= 0
            counts[days[working], rows[e][working]] += 1
        return rows

    def sweep(self, rows: np.ndarray, rng: random.Random, deadline: float) -> int:
        """Re-place each employee (in a random order) against all the others, keeping a row only when it
        costs less; passes until one gains nothing or the deadline. Returns the rows changed."""
        n, horizon = rows.shape
        counts = self.counts(rows)
        days = np.arange(horizon)
        changed = 0
        while time.perf_counter() < deadline:
            gained = False
            order = list(range(n))
            rng.shuffle(order)
            for e in order:
                stopping.check()
                if time.perf_counter() > deadline:
                    break
                working = rows[e] >= 0
                counts[days[working], rows[e][working]] -= 1
                current = self.row_cost(e, rows[e], counts)
                found = self.best_row(e, counts, current - 1e-6, keeping=rows[e])
                if found is not None and found[0] < current - 1e-6:
                    rows[e] = found[1]
                    changed += 1
                    gained = True
                working = rows[e] >= 0
                counts[days[working], rows[e][working]] += 1
            if not gained:
                break
        return changed

    def restarts(self, rows: np.ndarray, rng: random.Random, deadline: float) -> tuple[int, int]:
        """Sweeps to the deadline: once they stall, a share of the employees (`RESTART_SHARE`) is placed
        again from scratch against the others and swept, and the result kept when it costs less. `rows`
        ends holding the best. Returns (restarts, restarts that gained)."""
        n, horizon = rows.shape
        days = np.arange(horizon)
        self.sweep(rows, rng, deadline)
        best = self._cost(rows)
        tries = better = 0
        while time.perf_counter() < deadline:
            trial = rows.copy()
            counts = self.counts(trial)
            chosen = rng.sample(range(n), max(2, round(RESTART_SHARE * n)))
            for e in chosen:
                working = trial[e] >= 0
                counts[days[working], trial[e][working]] -= 1
                trial[e] = -1
            for e in chosen:
                stopping.check()
                found = self.best_row(e, counts)
                if found is None:
                    break
                trial[e] = found[1]
                working = trial[e] >= 0
                counts[days[working], trial[e][working]] += 1
            else:
                self.sweep(trial, rng, deadline)
                tries += 1
                cost = self._cost(trial)
                if cost < best - 1e-6:
                    rows[:], best = trial, cost
                    better += 1
                continue
            break
        return tries, better

    def _cost(self, rows: np.ndarray) -> float:
        """The roster's cost up to a constant (the same for every roster): each row against those before."""
        counts = np.zeros_like(self.requirement)
        days = np.arange(rows.shape[1])
        total = 0.0
        for e in range(rows.shape[0]):
            total += self.row_cost(e, rows[e], counts)
            working = rows[e] >= 0
            counts[days[working], rows[e][working]] += 1
        return total

    def roster(self, rows: np.ndarray) -> Roster:
        shifts = self.problem.shift_ids
        return {
            p.id: tuple(None if s < 0 else shifts[s] for s in rows[e].tolist())
            for e, p in enumerate(self.problem.staff)
        }
