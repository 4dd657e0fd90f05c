"""One way to run a PuLP model: HiGHS by default, CBC as fallback, always with a time limit.

PuLP's own status cannot be trusted on its own (see SOLVER_NOTES): it says "Optimal" when HiGHS stops at
its time limit, even with no solution. This module reads HiGHS's model status, whether a primal solution
exists, and the proven bound, and returns them as a `SolveReport` that callers can show users.
Inside `stopping.stopping(should_stop)` a solve raises `stopping.SolveStopped` once the caller asks: HiGHS
is interrupted mid-run; CBC, a separate program, is asked before and after its run only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pulp

from scheduling import stopping

DEFAULT_THREADS = 2

OPTIMAL = "optimal"  # proven optimal (within the gap asked for)
FEASIBLE = "feasible"  # a solution, not proven optimal (time limit)
INFEASIBLE = "infeasible"  # proven to have no solution
NO_SOLUTION = "no_solution"  # stopped (time limit) before any solution was found
UNBOUNDED = "unbounded"
ERROR = "error"

HAS_SOLUTION = frozenset({OPTIMAL, FEASIBLE})


@dataclass(frozen=True)
class SolveReport:
    """What a solve achieved, in figures a scheduler can read."""

    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    solver: str
    message: str = ""

    @property
    def has_solution(self) -> bool:
        return self.status in HAS_SOLUTION

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
            "solver": self.solver,
            "message": self.message,
        }


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """Gap as HiGHS defines it: |objective - bound| / max(|objective|, tiny)."""
    if objective is None or bound is None:
        return None
    denominator = max(abs(objective), 1e-9)
    return abs(objective - bound) / denominator


def solve(
    problem: pulp.LpProblem,
    *,
    time_limit: float,
    solver: str = "highs",
    threads: int = DEFAULT_THREADS,
    gap_abs: float | None = None,
    gap_rel: float | None = None,
    msg: bool = False,
    options: dict | None = None,
) -> SolveReport:
    """Solve `problem` in place and report honestly what was found.

    `gap_abs` just under 1 proves optimality for integer objectives without wasting time (SOLVER_NOTES).
    `options` are passed to HiGHS unchanged (for example {"mip_heuristic_effort": 0.3}).
    """
    if time_limit is None or time_limit <= 0:
        raise ValueError("time_limit: every solve needs a positive time limit in seconds")
    if solver not in ("highs", "cbc"):
        raise ValueError(f"solver: unknown solver {solver!r} (use 'highs' or 'cbc')")
    stopping.check()
    started = time.perf_counter()
    if solver == "highs":
        report = _solve_highs(problem, time_limit, threads, gap_abs, gap_rel, msg, options or {}, started)
    else:
        report = _solve_cbc(problem, time_limit, threads, gap_abs, gap_rel, msg, started)
    stopping.check()  # interrupted (HiGHS), or asked meanwhile: the caller wants no answer
    return report


def _highs_command(**settings) -> pulp.LpSolver:
    """PuLP's HiGHS interface, whose Highs object answers the caller's stop (see `stopping.watch`)."""

    class StoppableHiGHS(pulp.HiGHS):
        def createAndConfigureSolver(self, lp) -> None:
            super().createAndConfigureSolver(lp)
            stopping.watch(lp.solverModel)

    return StoppableHiGHS(**settings)


def _solve_highs(problem, time_limit, threads, gap_abs, gap_rel, msg, options, started) -> SolveReport:
    import highspy

    command = _highs_command(
        msg=msg, timeLimit=time_limit, threads=threads, gapAbs=gap_abs, gapRel=gap_rel, **options
    )
    try:
        problem.solve(command)
    except pulp.PulpSolverError as exc:  # pragma: no cover - solver crash
        return SolveReport(ERROR, None, None, None, time.perf_counter() - started, "highs", str(exc))
    seconds = time.perf_counter() - started
    model = problem.solverModel
    model_status = model.getModelStatus()
    info = model.getInfo()
    has_primal = info.primal_solution_status == 2  # kSolutionStatusFeasible
    is_mip = any(v.cat == pulp.LpInteger for v in problem.variables())
    status_names = highspy.HighsModelStatus
    sense = -1 if problem.sense == pulp.LpMaximize else 1  # PuLP hands HiGHS a minimisation
    # PuLP does not hand HiGHS the objective's constant term: add it back to the objective and the bound.
    offset = float(problem.objective.constant) if problem.objective is not None else 0.0
    objective = sense * model.getObjectiveValue() + offset if has_primal else None
    if model_status == status_names.kOptimal:
        status = OPTIMAL
    elif model_status == status_names.kInfeasible:
        status = INFEASIBLE
    elif model_status in (status_names.kUnbounded, status_names.kUnboundedOrInfeasible):
        status = UNBOUNDED
    elif has_primal:
        status = FEASIBLE
    elif model_status in (status_names.kTimeLimit, status_names.kIterationLimit, status_names.kInterrupt):
        status = NO_SOLUTION
    else:
        status = ERROR
    if is_mip:
        bound = sense * info.mip_dual_bound + offset if abs(info.mip_dual_bound) < 1e30 else None
    else:
        bound = objective if status == OPTIMAL else None
    if status == OPTIMAL and bound is None:
        bound = objective
    gap = relative_gap(objective, bound)
    message = model.modelStatusToString(model_status)
    return SolveReport(status, objective, bound, gap, seconds, "highs", message)


def _solve_cbc(problem, time_limit, threads, gap_abs, gap_rel, msg, started) -> SolveReport:
    command = pulp.PULP_CBC_CMD(
        msg=msg, timeLimit=time_limit, threads=threads, gapAbs=gap_abs, gapRel=gap_rel
    )
    try:
        problem.solve(command)
    except pulp.PulpSolverError as exc:  # pragma: no cover - solver crash
        return SolveReport(ERROR, None, None, None, time.perf_counter() - started, "cbc", str(exc))
    seconds = time.perf_counter() - started
    sol_status = problem.sol_status
    objective = pulp.value(problem.objective) if sol_status in (1, 2) else None
    if problem.status == pulp.LpStatusOptimal and sol_status == pulp.LpSolutionOptimal:
        status, bound = OPTIMAL, objective
    elif sol_status in (pulp.LpSolutionIntegerFeasible,):
        status, bound = FEASIBLE, None
    elif problem.status == pulp.LpStatusInfeasible:
        status, bound = INFEASIBLE, None
    elif problem.status == pulp.LpStatusUnbounded:
        status, bound = UNBOUNDED, None
    else:
        status, bound = NO_SOLUTION, None
    return SolveReport(
        status,
        objective,
        bound,
        relative_gap(objective, bound),
        seconds,
        "cbc",
        pulp.LpStatus[problem.status],
    )
