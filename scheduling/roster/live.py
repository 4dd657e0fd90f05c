"""The PuLP-built roster model held live in HiGHS, so neighbourhoods can be fixed and re-solved cheaply.

Rebuilding a PuLP model for each of hundreds of small re-optimisations would cost more than solving them.
Instead the model is handed to HiGHS once (through PuLP's own `buildSolverModel`, so the columns are
exactly the PuLP variables) and each sub-problem only changes column bounds: cells outside the
neighbourhood are fixed to the incumbent, and the incumbent is given as a start so a sub-solve never
returns anything worse. Rows of employees not yet placed can be switched off, which lets a roster be
built one employee at a time inside the same model.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np
import pulp
import scipy.sparse as sp

from scheduling import stopping
from scheduling.roster.formulation import Formulation

INF = highspy.kHighsInf
# From this many columns, a sub-problem that fixes most of them is solved as a model of its own
# (`solve_columns`): HiGHS presolves fixed columns too, which costs tenths of a second a solve on the
# centre's biggest models. The benchmark's models stay below it, on the whole-model path.
SEPARATE_COLUMNS = 30_000
DEFERRED = "deferred"  # the row group of `Formulation.deferred_rows`


@dataclass
class SubResult:
    status: str  # "optimal", "feasible", "infeasible", "no_solution"
    objective: float | None  # including the formulation's constant offset
    values: np.ndarray | None  # all column values
    seconds: float


@dataclass
class ModelArrays:
    """A HiGHS model as arrays: the matrix by column and by row, costs, integrality (0 continuous), and
    the row bounds as they stand (rows of employees not yet placed are switched off)."""

    matrix: sp.csc_matrix
    by_row: sp.csr_matrix
    cost: np.ndarray
    integer: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray

    @classmethod
    def of(cls, highs: highspy.Highs, n_cols: int) -> ModelArrays:
        model = highs.getLp()
        a = model.a_matrix_
        parts = (np.array(a.value_), np.array(a.index_), np.array(a.start_))
        shape = (model.num_row_, model.num_col_)
        if a.format_ == highspy.MatrixFormat.kRowwise:  # as PuLP passes it
            by_row = sp.csr_matrix(parts, shape=shape)
            matrix = by_row.tocsc()
        else:
            matrix = sp.csc_matrix(parts, shape=shape)
            by_row = matrix.tocsr()
        integer = (
            np.array([int(t) for t in model.integrality_], dtype=np.int32)
            if len(model.integrality_)
            else np.zeros(n_cols, dtype=np.int32)
        )
        return cls(
            matrix,
            by_row,
            np.array(model.col_cost_),
            integer,
            np.array(model.row_lower_),
            np.array(model.row_upper_),
        )


class LiveModel:
    def __init__(self, form: Formulation, threads: int = 2) -> None:
        self.form = form
        self.threads = threads
        self.has_stretches = form.has_stretches
        self.lp_x: np.ndarray | None = None  # the LP relaxation's x values, once `lp_bound` has run
        lp = form.lp
        command = pulp.HiGHS(msg=False, threads=threads)
        lp.solverModel = quiet_highs()
        lp.solverModel.setOptionValue("threads", threads)
        command.buildSolverModel(lp)
        self.highs: highspy.Highs = lp.solverModel
        self.integral = _integral(form)
        self.highs.setOptionValue("mip_abs_gap", 0.99 if self.integral else 1e-6)
        self.highs.setOptionValue("mip_rel_gap", 0.0)
        self.highs.setOptionValue("mip_allow_restart", False)  # restarts cost seconds on tiny sub-problems
        self.n_cols = self.highs.getNumCol()
        keys = list(form.x)
        self.x_keys = keys
        self.x_cols = np.array([form.x[k].index for k in keys], dtype=np.int32)
        self.x_employee = np.array([k[0] for k in keys], dtype=np.int32)
        self.x_day = np.array([k[1] for k in keys], dtype=np.int32)
        self.n_employees = len(form.problem.staff)
        self.horizon = form.problem.horizon
        self._all_cols = np.arange(self.n_cols, dtype=np.int32)
        self.col_lower = np.zeros(self.n_cols)
        self.col_upper = np.zeros(self.n_cols)
        self.col_owner = np.full(self.n_cols, self.n_employees, dtype=np.int32)  # n_employees: shared
        weights = dict(form.lp.objective.items())
        for var in lp.variables():
            self.col_lower[var.index] = -INF if var.lowBound is None else var.lowBound
            self.col_upper[var.index] = INF if var.upBound is None else var.upBound
        for e, var in form.owned():
            self.col_owner[var.index] = e
        # (day, column, weight) of every cover slack in column order, to find the days that cost most
        cover = sorted(
            (
                (c.day, var.index, weights.get(var, 0.0))
                for c in form.cover_slacks
                for var in (c.under, c.over)
            ),
            key=lambda item: item[1],
        )
        self.cover_day = np.array([c[0] for c in cover], dtype=np.int32)
        self.cover_col = np.array([c[1] for c in cover], dtype=np.int32)
        self.cover_weight = np.array([c[2] for c in cover])
        shift_index = {sid: k for k, sid in enumerate(form.problem.shift_ids)}
        self.x_shift = np.array([shift_index[k[2]] for k in keys], dtype=np.int32)
        # Per cover row (shift or interval): its day, the cells that count (as day * shifts + shift index,
        # matched against `x_cell`), its slack columns and their weights. The cover-targeted
        # neighbourhoods free the employees who could mend the costliest deviations.
        slacks = form.cover_slacks
        n_shifts = len(shift_index)
        self.x_cell = self.x_day * n_shifts + self.x_shift
        self.slack_day = np.array([c.day for c in slacks], dtype=np.int32)
        self.slack_cells = [
            np.array([d * n_shifts + shift_index[s] for d, s in c.cells], dtype=np.int32) for c in slacks
        ]
        self.slack_under = np.array([c.under.index for c in slacks], dtype=np.int32)
        self.slack_over = np.array([c.over.index for c in slacks], dtype=np.int32)
        self.slack_under_weight = np.array([weights.get(c.under, 0.0) for c in slacks])
        self.slack_over_weight = np.array([weights.get(c.over, 0.0) for c in slacks])
        # Row groups that can be switched off: each employee's own rows, and the deferred rows (interval
        # cover, fairness), which the construction leaves out (see `search.construct`).
        groups: dict[int | str, list[pulp.LpConstraint]] = {
            e: rows for e, rows in form.rows_by_employee.items()
        }
        groups[DEFERRED] = form.deferred_rows
        self._employee_rows = {
            e: np.array([c.index for c in rows], dtype=np.int32) for e, rows in groups.items()
        }
        self._row_bounds = {
            e: (np.array([_row_lb(c) for c in rows]), np.array([_row_ub(c) for c in rows]))
            for e, rows in groups.items()
        }
        self._arrays: ModelArrays | None = None  # read from HiGHS on first use

    @property
    def arrays(self) -> ModelArrays:
        """The model as arrays (matrix, costs, integrality, row bounds as rows are switched on and off),
        read from HiGHS on first use: what `solve_columns`, `linked` and column generation work on."""
        if self._arrays is None:
            self._arrays = ModelArrays.of(self.highs, self.n_cols)
        return self._arrays

    @property
    def cost(self) -> np.ndarray:
        """Every model column's objective coefficient."""
        return self.arrays.cost

    # --- rows of employees not yet placed -------------------------------------------------------------
    def set_deferred_rows(self, active: bool) -> None:
        self.set_employee_rows(DEFERRED, active)

    def settle_shared(self, values: np.ndarray, time_limit: float) -> SubResult:
        """`values` with every shared column (cover slacks, interval counts, fairness) solved for, the rest
        kept: after the rows of a shared column were switched back on."""
        return self.solve_columns(self.col_owner == self.n_employees, values, time_limit)

    def set_employee_rows(self, employee: int | str, active: bool) -> None:
        rows = self._employee_rows.get(employee)
        if rows is None or not len(rows):
            return
        lower, upper = self._row_bounds[employee]
        if not active:
            lower, upper = np.full(len(rows), -INF), np.full(len(rows), INF)
        self.highs.changeRowsBounds(len(rows), rows, lower, upper)
        if self._arrays is not None:
            self._arrays.row_lower[rows], self._arrays.row_upper[rows] = lower, upper

    # --- solving a neighbourhood ----------------------------------------------------------------------
    def solve(
        self,
        free: np.ndarray,
        incumbent: np.ndarray,
        time_limit: float,
        warm: bool = True,
        x_start: np.ndarray | None = None,
        reshape: np.ndarray | None = None,
    ) -> SubResult:
        """Re-optimise the x cells where `free` holds (bool per x cell); everything else keeps `incumbent`.

        `incumbent` is a full column vector. Columns an employee owns besides x (stretches, weekend
        indicators) stay free for employees with a free cell and are fixed otherwise, so presolve can drop
        everyone who does not move. With `warm`, the incumbent is the start: a sub-solve is never worse.
        `reshape` (bool per employee) overrides who may move those columns: with the stretch network, an
        employee whose stretches are fixed keeps their working days and may only swap shift types.
        """
        started = time.perf_counter()
        moving = np.zeros(self.n_employees + 1, dtype=bool)
        if reshape is None:
            moving[np.unique(self.x_employee[free])] = True
        else:  # only these employees may change which days they work; the others may change shift types
            moving[:-1] = reshape
        moving[-1] = True  # shared columns (cover slacks, fairness) always move
        keep = ~moving[self.col_owner]
        lower = np.where(keep, incumbent, self.col_lower)
        upper = np.where(keep, incumbent, self.col_upper)
        fixed_x = ~free
        if x_start is None and self.n_cols >= SEPARATE_COLUMNS:
            columns = ~keep
            columns[self.x_cols[fixed_x]] = False
            columns = self.linked(columns & (self.col_owner < self.n_employees))
            if columns.sum() < 0.5 * self.n_cols:  # the same restriction, in a model of its own: faster
                return self.solve_columns(columns, incumbent, time_limit, start=incumbent if warm else None)
        lower[self.x_cols[fixed_x]] = incumbent[self.x_cols[fixed_x]]
        upper[self.x_cols[fixed_x]] = incumbent[self.x_cols[fixed_x]]
        self.highs.changeColsBounds(self.n_cols, self._all_cols, lower, upper)
        self.highs.setOptionValue("time_limit", max(0.01, float(time_limit)))
        if warm:
            self.highs.setSolution(self.n_cols, self._all_cols, incumbent)
        elif x_start is not None:  # x cells only: HiGHS completes the other columns itself
            self.highs.setSolution(len(self.x_cols), self.x_cols, x_start)
        stopping.run(self.highs)
        label, values, objective = _outcome(self.highs)
        if values is not None:
            objective = self._value_of(values)
        return SubResult(label, objective, values, time.perf_counter() - started)

    def linked(self, columns: np.ndarray) -> np.ndarray:
        """`columns` (bool per column) with the shared columns (cover slacks, interval counts, fairness)
        that share a row with them, and so on through those: the only shared columns a change to
        `columns` can move. The others keep the incumbent's values, which stay optimal for them, so a
        sub-problem freeing a week needs only that week's cover rows (4 weeks x 96 intervals otherwise)."""
        arrays = self.arrays
        shared = self.col_owner == self.n_employees
        live_rows = (arrays.row_lower > -INF) | (arrays.row_upper < INF)  # rows switched off link nothing
        out = columns.copy()
        frontier = np.flatnonzero(columns)
        while len(frontier):
            rows = np.zeros(len(live_rows), dtype=bool)
            rows[arrays.matrix[:, frontier].indices] = True
            reached = np.zeros(self.n_cols, dtype=bool)
            reached[arrays.by_row[np.flatnonzero(rows & live_rows)].indices] = True
            frontier = np.flatnonzero(reached & shared & ~out)
            out[frontier] = True
        return out

    def solve_columns(
        self,
        moving: np.ndarray,
        incumbent: np.ndarray,
        time_limit: float,
        rel_gap: float = 0.0,
        start: np.ndarray | None = None,
    ) -> SubResult:
        """Solve for the columns where `moving` holds (bool per column), every other one fixed at
        `incumbent`, in a model of its own: only the rows those columns touch, with the fixed columns'
        part moved into the row bounds. The same restriction as `solve` with those bounds, but HiGHS never
        sees the fixed columns, so on a big model (200 agents x 28 days x 53 shift types: 128,000
        columns) a one-employee solve takes hundredths of a second instead of the 0.3 s the whole model's
        presolve costs. `start` (a full column vector) is given as the start when set."""
        started = time.perf_counter()
        arrays = self.arrays
        fixed = np.where(moving, 0.0, incumbent)
        columns = np.flatnonzero(moving)
        block = arrays.matrix[:, columns]
        rows = np.unique(block.indices)
        activity = arrays.by_row[rows] @ fixed
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(columns), len(rows)
        lp.col_cost_ = arrays.cost[columns]
        lp.col_lower_, lp.col_upper_ = self.col_lower[columns], self.col_upper[columns]
        lp.row_lower_, lp.row_upper_ = arrays.row_lower[rows] - activity, arrays.row_upper[rows] - activity
        block = block[rows].tocsc()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = (
            block.indptr,
            block.indices,
            block.data,
        )
        lp.integrality_ = [highspy.HighsVarType(int(t)) for t in arrays.integer[columns]]
        sub = quiet_highs()
        for key, value in (
            ("threads", self.threads),
            ("time_limit", max(0.01, float(time_limit))),
            ("mip_rel_gap", rel_gap),
            ("mip_abs_gap", 0.99 if self.integral else 1e-6),
        ):
            sub.setOptionValue(key, value)
        sub.passModel(lp)
        if start is not None:
            sub.setSolution(len(columns), np.arange(len(columns), dtype=np.int32), start[columns])
        stopping.run(sub)
        label, part, objective = _outcome(sub)
        values = None
        if part is not None:
            values = fixed.copy()
            values[columns] = part
            objective = self._value_of(values)
        return SubResult(label, objective, values, time.perf_counter() - started)

    def _value_of(self, values: np.ndarray) -> float:
        """What a full column vector costs, from its values, not from HiGHS's own figure, which can be off
        by a unit: a search that believed it stopped "at the bound" too early."""
        return self._objective(float(self.arrays.cost @ values))

    def _objective(self, value: float) -> float:
        value += self.form.offset
        return float(round(value)) if self.integral else value

    def solve_full(
        self, incumbent: np.ndarray | None, time_limit: float, roster: dict | None = None
    ) -> tuple[SubResult, float | None]:
        """The whole model (every cell free) from `incumbent` (a full column vector) or from `roster`
        (only its cells are given; HiGHS completes the rest); returns the result and the proven bound."""
        everything = np.ones(len(self.x_cols), dtype=bool)
        start = incumbent if incumbent is not None else np.zeros(self.n_cols)
        self.highs.setOptionValue("mip_allow_restart", True)
        try:
            cells = self.roster_cells(roster) if roster is not None else None
            result = self.solve(everything, start, time_limit, warm=incumbent is not None, x_start=cells)
        finally:
            self.highs.setOptionValue("mip_allow_restart", False)
        # HiGHS's own bound, even when it says "optimal": that verdict rests on its figure for the
        # incumbent, which can be off (see `solve`); the caller rounds the bound up when costs are whole.
        bound = self.highs.getInfo().mip_dual_bound
        if abs(bound) >= 1e30:
            return result, None
        return result, bound + self.form.offset

    def lp_bound(self, time_limit: float) -> float | None:
        """The LP relaxation's optimum, by interior point without crossover (seconds where simplex takes
        tens on the larger models): a cheap, valid lower bound for the roster's objective."""
        relaxed = quiet_highs()
        model = self.highs.getLp()
        model.integrality_ = []
        relaxed.passModel(model)
        relaxed.changeColsBounds(self.n_cols, self._all_cols, self.col_lower, self.col_upper)
        settings = (
            ("solver", "ipm"),
            ("run_crossover", "off"),
            ("time_limit", max(0.1, time_limit)),
            ("threads", self.threads),
        )  # HiGHS keeps the first thread count a process uses
        for key, value in settings:
            relaxed.setOptionValue(key, value)
        stopping.run(relaxed)
        if relaxed.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        self.lp_x = np.array(relaxed.getSolution().col_value)[self.x_cols]
        value = relaxed.getInfo().objective_function_value + self.form.offset
        return value - 1e-6 * max(1.0, abs(value))

    def complete(self, roster: dict, time_limit: float) -> SubResult:
        """This model's full column vector for a roster found elsewhere: x fixed to the roster, every
        other column (stretches, weekends, cover slacks) solved for."""
        start = np.zeros(self.n_cols)
        start[self.x_cols] = self.roster_cells(roster)
        nothing = np.zeros(len(self.x_cols), dtype=bool)
        started = time.perf_counter()
        result = self.solve(
            nothing, start, time_limit, warm=False, reshape=np.ones(self.n_employees, dtype=bool)
        )
        if result.values is None or self.n_cols < SEPARATE_COLUMNS:
            return result
        # Solved as a model of its own, that held only the rows of the employees' own columns: the
        # shared columns (cover slacks) kept the start's zeros. Settle them against the roster.
        return self.settle_shared(result.values, max(1.0, time_limit - (time.perf_counter() - started)))

    def roster_cells(self, roster: dict) -> np.ndarray:
        """The x cell values (0/1, in x_cols order) of a roster."""
        staff = self.form.problem.staff
        return np.array([1.0 if roster[staff[e].id][d] == s else 0.0 for e, d, s in self.x_keys])

    def day_costs(self, values: np.ndarray) -> np.ndarray:
        """Cover penalty per day of the horizon in the solution `values`, never negative: HiGHS leaves a
        slack at -1e-10 now and then, and the costs are drawn from as weights, which must not be negative."""
        costs = np.zeros(self.horizon)
        np.add.at(costs, self.cover_day, np.maximum(self.cover_weight * values[self.cover_col], 0.0))
        return costs

    def clean(self, values: np.ndarray) -> np.ndarray:
        """A solution with its x cells rounded to exact 0/1, fit to be fixed and reused as a start."""
        out = values.copy()
        out[self.x_cols] = np.round(out[self.x_cols])
        return out

    def roster(self, values: np.ndarray) -> dict[str, tuple[str | None, ...]]:
        return self.form.roster_from_values(lambda var: values[var.index])


def quiet_highs() -> highspy.Highs:
    """A silent Highs object. The first one in a process prints a banner straight to file descriptor 1,
    which would corrupt machine-read output (`wfm roster --json`), so it is created with fd 1 muted.
    Inside `stopping.stopping(...)` its runs end when the caller asks (see `stopping.watch`)."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    stopping.watch(highs)
    return highs


def _outcome(highs: highspy.Highs) -> tuple[str, np.ndarray | None, float | None]:
    """A finished run's status label, column values and objective (without the offset)."""
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_primal = info.primal_solution_status == 2
    names = highspy.HighsModelStatus
    if status == names.kOptimal:
        label = "optimal"
    elif status == names.kInfeasible:
        label = "infeasible"
    else:
        label = "feasible" if has_primal else "no_solution"
    if not has_primal:
        return label, None, None
    return label, np.array(highs.getSolution().col_value), info.objective_function_value


def _integral(form: Formulation) -> bool:
    """Whether every objective coefficient is an integer, so an absolute gap under 1 proves optimality."""
    problem = form.problem
    if problem.fairness:
        return False
    whole = all(
        float(v).is_integer()
        for n in problem.interval_cover
        for v in (n.requirement, n.under_weight, n.over_weight)
    )
    return whole and all(
        float(share).is_integer() for n in problem.interval_cover for *_, share in problem.covering(n)
    )


def _row_lb(c: pulp.LpConstraint) -> float:
    lb = c.getLb()
    return -INF if lb is None else lb


def _row_ub(c: pulp.LpConstraint) -> float:
    ub = c.getUb()
    return INF if ub is None else ub
