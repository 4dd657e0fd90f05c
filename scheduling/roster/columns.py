"""Column generation: a bound from whole roster rows per employee, and rosters picked among them.

The integer model (see `formulation.py`) splits into rows of one employee each (their hard rules) and
rows linking employees (cover, interval cover, fairness). Dantzig-Wolfe decomposition keeps the linking
rows in a master problem whose columns are complete rows of one employee, each keeping all of their
hard rules; `pricing.cheapest_row` finds the row with the least reduced cost for an employee under the
master's duals. The master's linear relaxation, once no row prices out, is bounded only by the convex
hull of each employee's rows rather than by the model's own relaxation, which on the benchmark is far
tighter (see bench/roster_notes.md), and
at every round a valid bound follows from the duals (the Lagrangian bound: the master's value plus each
employee's least reduced cost), so a bound is at hand even when the time runs out first.

The columns found are also a pool to choose rosters from: the master with integer columns (price and
branch, without further pricing) is a small MIP whose solution is a complete roster, often better than the
neighbourhood search had found; and the search's rosters go into the pool, so the pick is never worse.
"""

from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass, replace
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp

from scheduling import stopping
from scheduling.roster.live import INF, LiveModel, quiet_highs
from scheduling.roster.pricing import EmployeeRules, cheapest_row, employee_rules, pricing_work
from scheduling.roster.state import gap_closed

logger = logging.getLogger(__name__)

EPS = 1e-6
PRICING_WORK_LIMIT = 5_000_000  # see `pricing_work`: above this, no column generation
DIVE_ROUNDS = 8  # pricing rounds at most between two fixings of a dive
# Dives, as (kind, share, keep): fixing whole rows ("rows", see `dive`) or cells (`dive_cells`); when the
# master is sure of nothing, fix this share of what is left (1/8, 1/16, or 0: one at a time), pricing with
# `keep` labels per state (0: exactly). Each way wins somewhere and a dive's outcome varies widely with
# small changes (see bench/roster_notes.md), so they take turns, with near-ties broken at random, for as
# long as the dives' time lasts.
DIVES = (
    ("rows", 8, 4),
    ("cells", 16, 0),
    ("rows", 8, 2),
    ("cells", 8, 2),
    ("rows", 4, 4),
    ("rows", 0, 2),
    ("rows", 4, 2),
)
NOISE = 0.05  # near-ties in a dive's order of fixing are broken at random within this much weight
ARTIFICIAL = 1e4  # an artificial column costs this times the dearest cost in the model
HEURISTIC_KEEP = 2  # labels kept per state in the early, heuristic rounds
# A dive prices about this many rounds (fixings times the rounds between two of them) before it has a
# roster; where that many rounds at the measured cost of one do not fit in the time given, no dive is
# tried and column generation stops at its first exact bound, leaving the rest of its time to the search.
DIVE_ROUNDS_ESTIMATE = 40


@dataclass
class Pool:
    """The master's columns: whose row each is and the row itself (shift index per day, -1 off)."""

    employee: list[int]
    rows: list[np.ndarray]


class ColumnGeneration:
    """The master problem over a `LiveModel`'s rows, its pricing, and its bound."""

    def __init__(self, live: LiveModel, threads: int = 2) -> None:
        self.live = live
        problem = live.form.problem
        n = live.n_employees
        self.n = n
        arrays = live.arrays
        by_row = arrays.by_row
        owner = live.col_owner
        rows_of_nz = np.repeat(np.arange(by_row.shape[0]), np.diff(by_row.indptr))
        low = np.full(by_row.shape[0], n + 1)
        high = np.full(by_row.shape[0], -1)
        np.minimum.at(low, rows_of_nz, owner[by_row.indices])
        np.maximum.at(high, rows_of_nz, owner[by_row.indices])
        own_row = (low == high) & (high < n)
        self.link = np.flatnonzero(~own_row)
        link_rows = by_row[self.link]
        link_matrix = link_rows.tocsc()
        self.link_matrix = link_matrix
        shift_index = {s: k for k, s in enumerate(problem.shift_ids)}
        self.n_shifts = len(shift_index)
        horizon = problem.horizon
        self.horizon = horizon
        # Each employee's x columns as (day, shift) cells and weekend columns by weekend index: the only
        # owned columns a linking row or the objective may hold (checked), so a row's coefficients in the
        # master follow from its cells and weekends.
        x_of: list[dict[tuple[int, int], int]] = [{} for _ in range(n)]
        for (e, d, s), var in live.form.x.items():
            x_of[e][d, shift_index[s]] = var.index
        weekend_of: list[dict[int, int]] = [{} for _ in range(n)]
        for e, flags in live.form.weekend_vars.items():
            weekend_of[e] = {w: var.index for w, var in flags.items()}
        self.x_of, self.weekend_of = x_of, weekend_of
        known = np.zeros(live.n_cols, dtype=bool)
        for cells in x_of:
            known[list(cells.values())] = True
        for weeks in weekend_of:
            known[list(weeks.values())] = True
        owned = owner < n
        touched = np.zeros(live.n_cols, dtype=bool)
        touched[link_rows.indices] = True
        unknown = owned & ~known & (touched | (live.cost != 0))
        self.supported = not unknown.any() and not (arrays.integer[owner == n] > 0).any()
        self.rules: list[EmployeeRules] = [employee_rules(problem, p) for p in problem.staff]
        self.too_big = max((pricing_work(r) for r in self.rules), default=0) > PRICING_WORK_LIMIT
        self.supported = self.supported and not self.too_big
        self.shared = np.flatnonzero(owner == n)
        self.threads = threads
        self.master = self._master()
        self.pool = Pool([], [])
        self._seen: set[tuple[int, bytes]] = set()
        self.bound: float | None = None  # best Lagrangian bound so far (with the model's offset)
        self.lp_value: float | None = None
        self.converged = False
        self.rounds = 0
        self.pricing_seconds = 0.0
        self.keep = HEURISTIC_KEEP  # labels kept per state while pricing heuristically (0: exact)
        self.master_seconds = 0.0
        self.round_seconds = 0.0  # the last round's (master and pricing), the projection's unit
        self.capped: str | None = None  # why column generation stopped early to leave time, if it did
        self._reduced: np.ndarray | None = None  # the model columns' reduced costs at the last round

    def _master(self) -> highspy.Highs:
        live, n = self.live, self.n
        model = highspy.HighsLp()
        model.num_col_ = len(self.shared)
        model.num_row_ = len(self.link) + n
        model.col_cost_ = live.cost[self.shared]
        model.col_lower_, model.col_upper_ = live.col_lower[self.shared], live.col_upper[self.shared]
        model.row_lower_ = np.concatenate([live.arrays.row_lower[self.link], np.ones(n)])
        model.row_upper_ = np.concatenate([live.arrays.row_upper[self.link], np.ones(n)])
        block = sp.vstack([self.link_matrix[:, self.shared], sp.csc_matrix((n, len(self.shared)))]).tocsc()
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_, model.a_matrix_.index_ = block.indptr, block.indices
        model.a_matrix_.value_ = block.data
        master = quiet_highs()
        master.setOptionValue("threads", self.threads)
        master.passModel(model)
        # Artificial columns, far dearer than any roster, keep the master feasible whatever a branch of
        # `branch.BranchAndPrice` bounds or forbids: one each way on every linking row and one on every
        # employee's row. A master that uses one after pricing holds no roster of that branch.
        rows = len(self.link)
        index = np.concatenate([np.arange(rows), np.arange(rows), np.arange(rows, rows + n)]).astype(np.int32)
        value = np.concatenate([np.ones(rows), -np.ones(rows), np.ones(n)])
        count = len(index)
        artificial = ARTIFICIAL * max(1.0, float(np.abs(live.cost).max(initial=0.0)))
        master.addCols(
            count,
            np.full(count, artificial),
            np.zeros(count),
            np.full(count, INF),
            count,
            np.arange(count, dtype=np.int32),
            index,
            value,
        )
        self.first = len(self.shared) + count  # the pool's first column in the master
        return master

    # --- columns ----------------------------------------------------------------------------------------
    def _columns_of(self, e: int, row: np.ndarray) -> np.ndarray:
        """The model columns set to 1 by employee e working `row` (its cells and worked weekends)."""
        cols = [self.x_of[e][d, s] for d, s in enumerate(row.tolist()) if s >= 0]
        for w, (sat, sun) in enumerate(self.live.form.problem.weekends()):
            if w in self.weekend_of[e] and (row[sat] >= 0 or row[sun] >= 0):
                cols.append(self.weekend_of[e][w])
        return np.array(cols, dtype=np.int64)

    def add(self, e: int, row: np.ndarray) -> bool:
        """Add employee e's `row` to the master unless it is there already."""
        key = (e, row.astype(np.int8).tobytes())
        if key in self._seen:
            return False
        self._seen.add(key)
        cols = self._columns_of(e, row)
        cost = float(self.live.cost[cols].sum()) if len(cols) else 0.0
        coefficients = (
            np.asarray(self.link_matrix[:, cols].sum(axis=1)).ravel()
            if len(cols)
            else np.zeros(len(self.link))
        )
        nonzero = np.flatnonzero(np.abs(coefficients) > 1e-12)
        index = np.concatenate([nonzero, [len(self.link) + e]]).astype(np.int32)
        value = np.concatenate([coefficients[nonzero], [1.0]])
        self.master.addCol(cost, 0.0, INF, len(index), index, value)
        self.pool.employee.append(e)
        self.pool.rows.append(row.copy())
        return True

    def add_values(self, values: np.ndarray) -> int:
        """Add every employee's row of a full column vector (a roster the search found)."""
        return sum(self.add(e, row) for e, row in enumerate(self.rows_of(values)))

    def rows_of(self, values: np.ndarray) -> list[np.ndarray]:
        rows = [np.full(self.horizon, -1, dtype=np.int64) for _ in range(self.n)]
        for e, cells in enumerate(self.x_of):
            for (d, s), col in cells.items():
                if values[col] > 0.5:
                    rows[e][d] = s
        return rows

    # --- the linear master ---------------------------------------------------------------------------
    def run(self, deadline: float, dive_room: float = INF) -> float | None:
        """Price until no row improves the master (then its value is the bound) or the deadline passes;
        returns the best bound found, with the model's constant offset. A round is not begun when the
        last one's time would take it past the deadline (a cut-short round adds rows but proves no bound),
        and pricing stops at the first exact bound once a dive would fit neither in the time left nor in
        `dive_room` seconds after it (see `dive_fits`): the bound is all it would give."""
        while time.perf_counter() < deadline:
            if self.rounds and time.perf_counter() + self.round_seconds > deadline:
                self.capped = "the next round would not end in time"
                break
            if self.bound is not None and not self.dive_fits(max(deadline - time.perf_counter(), dive_room)):
                self.capped = "a bound is proved and no dive fits in the time"
                break
            added, bound = self.price_round(deadline, self.keep)
            if added is None:
                return self.bound
            if self.keep and added <= self.n // 5:  # the quick rows are running out: price exactly
                self.keep = 0
                continue
            if bound is not None and added == 0:
                self.converged = True
                return self.bound
        return self.bound

    def dive_fits(self, seconds: float) -> bool:
        """Whether a dive, `DIVE_ROUNDS_ESTIMATE` rounds at the last round's cost, fits in `seconds`."""
        return DIVE_ROUNDS_ESTIMATE * self.round_seconds <= seconds

    def price_round(
        self,
        deadline: float,
        keep: int,
        skip: frozenset[int] = frozenset(),
        rules: list[EmployeeRules] | None = None,
    ) -> tuple[int | None, float | None]:
        """Solve the linear master, then price every employee not in `skip` under `rules` (by default
        their own; a dive's or a branch's restrict them): (rows added, the Lagrangian bound under those
        rules, with the model's offset, or None unless everyone was priced exactly). (None, None) when
        the master was not solved. Only a bound under the employees' own rules is kept in `bound`."""
        live = self.live
        started = round_started = time.perf_counter()
        self.lp_time_limit(deadline - started)
        stopping.run(self.master)
        self.master_seconds += time.perf_counter() - started
        if self.master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None, None
        value = self.master.getInfo().objective_function_value
        duals = np.array(self.master.getSolution().row_dual)
        link_duals, convexity = duals[: len(self.link)], duals[len(self.link) :]
        reduced = live.cost - self.link_matrix.T @ link_duals
        self.rounds += 1
        started = time.perf_counter()
        self._reduced = reduced
        own = rules is None
        total, exact, added = 0.0, keep == 0 and not skip, 0
        rules = self.rules if rules is None else rules
        for e in range(self.n):
            if e in skip:
                continue
            stopping.check()
            if time.perf_counter() > deadline:
                exact = False
                break
            found = cheapest_row(rules[e], *self.costs(e, reduced), convexity[e] - EPS, keep)
            if found is None:
                exact = False
                continue
            cost, row = found
            if cost < convexity[e] - EPS:
                total += cost - convexity[e]
                added += self.add(e, row)
        self.pricing_seconds += time.perf_counter() - started
        self.round_seconds = time.perf_counter() - round_started
        if own and not skip:  # the master itself, not a dive's or a branch's restriction of it
            self.lp_value = value + live.form.offset
        bound = value + total + live.form.offset - self.n * EPS if exact else None
        if own and bound is not None:
            self.bound = bound if self.bound is None else max(self.bound, bound)
        return added, bound

    def lp_time_limit(self, seconds: float) -> None:
        """Give the master's next linear solves `seconds` more. HiGHS (1.16) measures a simplex solve's
        time limit against the run time summed over every solve of the same object (a MIP's against its
        own run), so a plain limit below the seconds already spent stopped each solve at once: late in
        column generation, and in the dives, whose masters then failed one after another."""
        self.master.setOptionValue("time_limit", self.master.getRunTime() + max(0.01, seconds))

    def costs(self, e: int, reduced: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Employee e's (day, shift) cell costs and worked-weekend costs from the model columns' costs."""
        cells_cost = np.zeros((self.horizon, self.n_shifts))
        for (d, s), col in self.x_of[e].items():
            cells_cost[d, s] = reduced[col]
        weekend_cost = np.zeros(max(1, len(self.live.form.problem.weekends())))
        for w, col in self.weekend_of[e].items():
            weekend_cost[w] = reduced[col]
        return cells_cost, weekend_cost

    def dive_cells(
        self,
        deadline: float,
        share: int = 16,
        keep: int = 0,
        sure: float = 0.99,
        noise: np.random.Generator | None = None,
    ) -> list[np.ndarray] | None:
        """A roster by diving on cells: fix every (employee, day) whose choice (a shift or the day off)
        the master takes with weight `sure` or more, or else the surest 1/`share` of the undecided ones,
        drop the rows that disagree, price again under the fixings and repeat until the master picks one
        row per employee. Gentler than fixing whole rows: an employee keeps the rest of their row free.
        `noise` shuffles near-ties in the order of fixing, so repeated dives differ. None when the
        deadline comes first or the fixings leave an employee no row. The master is left as it was, with
        the new rows."""
        first = self.first
        rules = list(self.rules)
        forbid = np.zeros((self.n, self.horizon, self.n_shifts + 1), dtype=bool)  # last: the day off
        try:
            while True:
                if not self._settle(deadline, keep, rules):
                    return None
                rows = self.integral_rows()
                if rows is not None:
                    return rows
                share_of = self.shares()
                choice = share_of.argmax(axis=2)
                strength = share_of.max(axis=2)
                undecided = (forbid.sum(axis=2) < self.n_shifts) & (strength < 1 - 1e-6)
                if not undecided.any():
                    return None
                picked = undecided & (strength >= sure)
                if not picked.any():
                    if noise is not None:
                        strength = strength + NOISE * noise.random(strength.shape)
                    order = np.argsort(-np.where(undecided, strength, -1.0), axis=None)
                    picked = np.zeros_like(undecided)
                    picked.flat[order[: max(1, int(undecided.sum()) // share) if share else 1]] = True
                for e, d in np.argwhere(picked):
                    forbid[e, d, :] = True
                    forbid[e, d, choice[e, d]] = False
                if not self._forbid(forbid, rules, first):
                    return None
        finally:
            self._release(first)

    def _settle(
        self,
        deadline: float,
        keep: int,
        rules: list[EmployeeRules] | None = None,
        skip: frozenset[int] = frozenset(),
    ) -> bool:
        """A dive's pricing between two fixings: a few rounds, then the master solved once more with the
        rows they added. False when the deadline passes or the master is not solved."""
        for _ in range(DIVE_ROUNDS):
            if time.perf_counter() > deadline:
                return False
            added, _bound = self.price_round(deadline, keep, skip, rules)
            if added is None:
                return False
            if added == 0:
                break
        stopping.run(self.master)
        return self.master.getModelStatus() == highspy.HighsModelStatus.kOptimal

    def _release(self, first: int) -> None:
        """Every row back in the master after a dive."""
        count = len(self.pool.rows)
        self.master.changeColsBounds(
            count, np.arange(first, first + count, dtype=np.int32), np.zeros(count), np.full(count, INF)
        )

    def _forbid(self, forbid: np.ndarray, rules: list[EmployeeRules], first: int) -> bool:
        """Apply a dive's forbidden (employee, day, choice) cells: each employee's pricing rules, the rows
        that work a forbidden cell out of the master (the others back in), and a row priced for anyone
        left without one. False when an employee has no row at all under them."""
        reduced = self._reduced
        if reduced is None:  # no round priced yet: no reduced costs to price a row by
            return False
        rows = np.array(self.pool.rows)
        owners = np.array(self.pool.employee)
        days = np.arange(self.horizon)
        bad = forbid[owners[:, None], days[None, :], np.where(rows < 0, self.n_shifts, rows)].any(axis=1)
        self.master.changeColsBounds(
            len(rows),
            np.arange(first, first + len(rows), dtype=np.int32),
            np.zeros(len(rows)),
            np.where(bad, 0.0, INF),
        )
        for e in range(self.n):
            base = self.rules[e]
            if forbid[e].any():
                rules[e] = replace(
                    base,
                    allowed=base.allowed & ~forbid[e, :, : self.n_shifts],
                    off_ok=base.off_ok & ~forbid[e, :, self.n_shifts],
                )
            else:
                rules[e] = base
            if (bad[owners == e]).all():
                found = cheapest_row(rules[e], *self.costs(e, reduced), np.inf, 0)
                if found is None or not np.isfinite(found[0]):
                    return False
                self.add(e, found[1])
        return True

    def dive(
        self,
        deadline: float,
        share: int = 8,
        keep: int = HEURISTIC_KEEP,
        noise: np.random.Generator | None = None,
    ) -> list[np.ndarray] | None:
        """A roster by diving: fix the employees whose row the master has (nearly) chosen, or else the
        one it is surest of, price the others again (quickly) and repeat until everyone has a row.
        `noise` shuffles near-ties in the order of fixing. None when the deadline comes first. The
        master is left as it was, with the new rows."""
        fixed: dict[int, int] = {}  # employee -> pool index of their row
        first = self.first
        try:
            while len(fixed) < self.n:
                if not self._settle(deadline, keep, skip=frozenset(fixed)):
                    return None
                weights = np.array(self.master.getSolution().col_value)[first:]
                best: dict[int, tuple[float, int]] = {}
                for column in np.flatnonzero(weights > 1e-6).tolist():
                    e = self.pool.employee[column]
                    if e not in fixed and (e not in best or weights[column] > best[e][0]):
                        best[e] = (float(weights[column]), column)
                if not best:
                    return None
                sure = {e: k for e, (w, k) in best.items() if w > 1 - 1e-6}
                if not sure:  # the surest few (one at a time takes as many steps as employees)
                    jitter = {e: NOISE * noise.random() if noise is not None else 0.0 for e in best}
                    ranked = sorted(best.items(), key=lambda item: -item[1][0] - jitter[item[0]])
                    count = max(1, (self.n - len(fixed)) // share) if share else 1
                    sure = {e: k for e, (w, k) in ranked[:count]}
                for e, k in sure.items():
                    fixed[e] = k
                    others = np.array(
                        [first + j for j, owner in enumerate(self.pool.employee) if owner == e and j != k],
                        dtype=np.int32,
                    )
                    if len(others):
                        self.master.changeColsBounds(
                            len(others), others, np.zeros(len(others)), np.zeros(len(others))
                        )
            return [self.pool.rows[fixed[e]] for e in range(self.n)]
        finally:
            self._release(first)

    # --- rosters from the pool ----------------------------------------------------------------------
    def best_roster(
        self, time_limit: float, start: np.ndarray | None = None, cutoff: float | None = None
    ) -> tuple[float, list[np.ndarray]] | None:
        """The best roster made of the pool's rows (one per employee): (objective, rows), or None.
        `start` (a full column vector whose rows are in the pool) is given to HiGHS as a start."""
        master = self.master
        count = len(self.pool.rows)
        first = self.first
        columns = np.arange(first, first + count, dtype=np.int32)
        master.changeColsIntegrality(count, columns, np.full(count, highspy.HighsVarType.kInteger))
        try:
            master.setOptionValue("time_limit", max(0.05, time_limit))
            master.setOptionValue("mip_abs_gap", 0.99 if self.live.integral else 1e-6)
            master.setOptionValue("mip_rel_gap", 0.0)
            if cutoff is not None:
                master.setOptionValue("objective_bound", cutoff - self.live.form.offset)
            if start is not None:
                self._set_start(start)
            stopping.run(master)
            info = master.getInfo()
            if info.primal_solution_status != 2:
                return None
            chosen = np.array(master.getSolution().col_value)[first:]
            rows: list[np.ndarray | None] = [None] * self.n
            for k in np.flatnonzero(chosen > 0.5):
                rows[self.pool.employee[k]] = self.pool.rows[k]
            if any(r is None for r in rows):
                return None
            return info.objective_function_value + self.live.form.offset, rows  # type: ignore[return-value]
        finally:
            master.changeColsIntegrality(count, columns, np.full(count, highspy.HighsVarType.kContinuous))
            master.setOptionValue("objective_bound", INF)
            master.clearSolver()

    def _set_start(self, values: np.ndarray) -> None:
        rows = self.rows_of(values)
        keys = {(e, r.astype(np.int8).tobytes()): e for e, r in enumerate(rows)}
        start = np.zeros(self.first + len(self.pool.rows))
        start[: len(self.shared)] = values[self.shared]
        for k, (e, row) in enumerate(zip(self.pool.employee, self.pool.rows, strict=True)):
            if (e, row.astype(np.int8).tobytes()) in keys:
                start[self.first + k] = 1.0
        self.master.setSolution(len(start), np.arange(len(start), dtype=np.int32), start)

    def pool_weights(self) -> np.ndarray:
        """The master's last solution: the weight of each pool row."""
        return np.array(self.master.getSolution().col_value)[self.first :]

    def integral_rows(self) -> list[np.ndarray] | None:
        """One whole row per employee when the master's last solution is integral, else None."""
        weights = self.pool_weights()
        active = np.flatnonzero(weights > 1e-6)
        if not (weights[active] > 1 - 1e-6).all():
            return None
        rows: list[np.ndarray | None] = [None] * self.n
        for k in active:
            rows[self.pool.employee[k]] = self.pool.rows[k]
        return None if any(r is None for r in rows) else rows  # type: ignore[return-value]

    def shares(self) -> np.ndarray:
        """[employee, day, choice]: the weight the master's last solution gives each choice of each
        (employee, day) cell, a shift index or, last, the day off."""
        weights = self.pool_weights()
        share_of = np.zeros((self.n, self.horizon, self.n_shifts + 1))
        days = np.arange(self.horizon)
        for k in np.flatnonzero(weights > 1e-9):
            share_of[self.pool.employee[k], days, self.pool.rows[k]] += weights[k]
        return share_of

    def fractional_cells(self) -> np.ndarray | None:
        """The master's last linear solution as x cell values (in `live.x_cols` order): each cell the
        share of its employee's chosen rows that work it. Guides the search like the model's own
        relaxation, from a tighter one."""
        if self.master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        weights = self.pool_weights()
        values = np.zeros(self.live.n_cols)
        for k in np.flatnonzero(weights > 1e-9):
            values[self._columns_of(self.pool.employee[k], self.pool.rows[k])] += weights[k]
        return values[self.live.x_cols]

    def roster(self, rows: list[np.ndarray]) -> dict[str, tuple[str | None, ...]]:
        """A roster given as rows (shift index per day, -1 off) in the problem's own terms."""
        shift_ids = self.live.form.problem.shift_ids
        staff = self.live.form.problem.staff
        return {
            staff[e].id: tuple(None if s < 0 else shift_ids[s] for s in row) for e, row in enumerate(rows)
        }


@dataclass
class ColumnsOutcome:
    """What `bound_and_pick` found: its bound, a better roster if any, and the generation itself (its
    pool and converged master serve branch and price later, see `branch.improve_by_branching`)."""

    generation: ColumnGeneration | None  # None when column generation cannot serve this model
    bound: float | None  # the Lagrangian bound, with the model's offset (not rounded)
    values: np.ndarray | None  # a roster better than the one given (full column vector), or None
    objective: float  # its objective, or the given one's
    record: dict[str, Any] | str  # the solve log's "columns" entry (a reason when it did not run)


def bound_and_pick(
    live: LiveModel,
    values: np.ndarray,
    objective: float,
    until: float,
    dive_seconds: float = 5.0,
    pick_seconds: float = 2.0,
    seed: int = 0,
    most_dive_seconds: float = INF,
) -> ColumnsOutcome:
    """Column generation until `until`, dives (the kinds in `DIVES` taking turns, `seed` breaking their
    near-ties) until then or for at least `dive_seconds` more, but for at most `most_dive_seconds`, then at
    most `pick_seconds` choosing a roster among all the rows found. The search's roster `values` seeds the
    pool, so the result is never worse; the master's fractional cells replace `live.lp_x` for the guided
    neighbourhood. The dives are what find good rosters; the pick among the rows only combines them and is
    kept short."""
    started = time.perf_counter()
    generation = ColumnGeneration(live, threads=live.threads)
    if not generation.supported:
        reason = "pricing too slow for this model" if generation.too_big else "not supported by this model"
        logger.info("Column generation left out: %s.", reason)
        return ColumnsOutcome(None, None, None, objective, reason)
    generation.add_values(values)
    bound = generation.run(until, dive_room=min(dive_seconds, most_dive_seconds))
    cells = generation.fractional_cells()
    if cells is not None:
        live.lp_x = cells
    best_values, best = values, objective
    dived: list[float] | None = None
    dive_rounds = 0
    now = time.perf_counter()
    dives_until = min(max(until, now + dive_seconds), now + most_dive_seconds)
    if not gap_closed(objective, bound, live.integral) and generation.dive_fits(dives_until - now):
        rounds_before = generation.rounds
        dived, (best_values, best) = _dive(live, generation, bound, dives_until, (values, objective), seed)
        dive_rounds = generation.rounds - rounds_before
        got = generation.best_roster(pick_seconds, start=best_values, cutoff=best)
        if got is not None and got[0] < best - 1e-6:
            completed = complete_rows(live, generation, got[1])
            if completed is not None and completed[1] < best - 1e-6:
                best_values, best = completed
    better = best < objective - 1e-6
    record = {
        "bound": None if bound is None else round(bound, 3),
        "converged": generation.converged,
        "rounds": generation.rounds,
        "columns": len(generation.pool.rows),
        "pricing_seconds": round(generation.pricing_seconds, 2),
        "round_seconds": round(generation.round_seconds, 2),
        "capped": generation.capped,
        "dive": dived,
        "dive_rounds": dive_rounds,
        "picked": best if better else None,
        "seconds": round(time.perf_counter() - started, 2),
    }
    logger.info(
        "Column generation: bound %s (%s after %d rounds), roster %s.",
        record["bound"],
        "converged" if generation.converged else "not converged",
        generation.rounds,
        f"{best:g} picked" if better else "not improved",
    )
    if better:
        return ColumnsOutcome(generation, bound, best_values, best, record)
    return ColumnsOutcome(generation, bound, None, objective, record)


def _dive(
    live: LiveModel,
    generation: ColumnGeneration,
    bound: float | None,
    until: float,
    start: tuple[np.ndarray, float],
    seed: int,
) -> tuple[list[float], tuple[np.ndarray, float]]:
    """Dives of each kind in `DIVES` by turns until `until`, the bound, or a whole turn without a better
    roster: (each dive's objective, the best (values, objective) among them and `start`)."""
    dived: list[float] = []
    best_values, best = start
    noise = np.random.default_rng(seed)
    since_better = 0
    for kind, share, keep in itertools.cycle(DIVES):
        if (
            time.perf_counter() > until
            or since_better >= len(DIVES)
            or gap_closed(best, bound, live.integral)
        ):
            break
        dive = generation.dive_cells if kind == "cells" else generation.dive
        rows = dive(until, share, keep, noise=noise)
        completed = None if rows is None else complete_rows(live, generation, rows)
        since_better += 1
        if completed is not None:
            dived.append(completed[1])
            if completed[1] < best - 1e-6:
                best_values, best = completed
                since_better = 0
    return dived, (best_values, best)


def complete_rows(
    live: LiveModel, generation: ColumnGeneration, rows: list[np.ndarray]
) -> tuple[np.ndarray, float] | None:
    """The full column vector (stretches, weekends, slacks solved for) and objective of a roster."""
    completed = live.complete(generation.roster(rows), 5.0)
    if completed.values is None or completed.objective is None:
        return None
    return live.clean(completed.values), completed.objective
