"""Solve a `RosterProblem` within a time limit: bound, construct, fix-and-optimise, then prove.

Phases, all inside one time limit:
1. the LP relaxation by interior point gives a valid bound in seconds (the stretch model's LP is tight);
2. a roster is built one employee at a time (every hard rule is per employee, so this always succeeds
   when a roster exists at all);
3. column generation (`columns`): whole rows per employee priced by labels give a bound far tighter
   than the LP's, dives through its master give rosters that replace the construction's when better,
   and its fractional roster guides the search;
4. fix-and-optimise neighbourhoods until the incumbent meets the bound or the time is nearly spent; big
   models given minutes search until they stall, then branch and price in neighbourhoods (`branch`);
5. the whole model, started from the incumbent, for the rest of the time: it may prove optimality,
   raise the bound, or improve the roster.
When some employee cannot meet the hard rules, the model is rebuilt with elastic slacks on that
employee's rules: the best roster is still returned, with the broken rules and the days concerned.
A caller that may no longer want the answer (a cancelled job) passes `should_stop`: the solve then raises
`stopping.SolveStopped` within seconds, from any phase (see `scheduling.stopping`), and ends its helper.
"""

from __future__ import annotations

import gc
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from scheduling import stopping
from scheduling.roster.branch import improve_by_branching
from scheduling.roster.columns import bound_and_pick
from scheduling.roster.evaluate import Evaluation, evaluate
from scheduling.roster.formulation import build
from scheduling.roster.live import LiveModel
from scheduling.roster.model import Roster, RosterProblem
from scheduling.roster.parallel import Helper
from scheduling.roster.search import SearchState, construct, improve
from scheduling.solver import SolveReport, relative_gap

OPTIMAL, FEASIBLE, INFEASIBLE, NO_SOLUTION = "optimal", "feasible", "infeasible", "no_solution"
TINY_CELLS = 400  # x cells: up to here the exact model alone is quickest
SMALL_CELLS = 600  # search, then the exact window model to prove optimality
MEDIUM_CELLS = 2000  # search, then the whole stretch model from the incumbent; above: search only
HELPER_SECONDS = 10.0  # a helper process (second search) only for time limits of at least this
COLUMNS_SHARE = 0.3  # of the time left after the construction, at most, for column generation
# Big models given this many seconds or more after the construction search until they stall for
# `BRANCHING_STALL` seconds (or a third of the time), then branch and price in neighbourhoods (see `branch`)
# to the end, which finds what the search alone does not; the helper process, if any, does the same with
# neighbourhoods of its own.
BRANCHING_MIN_SECONDS = 120.0
BRANCHING_STALL = 20.0
# Dives find rosters in their first seconds or not at all; on long runs branch and price uses the time
# better. At most this long, also when column generation converges early and leaves its share of the time
# to the dives (Curtois 8 at 600 s: 27 dives in 120 s, the best 1312, found by the twentieth).
MAX_DIVE_SECONDS = 30.0


@dataclass(frozen=True)
class BrokenRule:
    """A hard rule that could not hold: which rule, whose, on which days, by how much."""

    rule: str
    employee: str
    days: tuple[int, ...]
    amount: float


@dataclass
class RosterResult:
    status: str  # optimal / feasible / infeasible (hard rules broken, see `broken`) / no_solution
    roster: Roster | None
    objective: float | None  # the soft objective of `roster`, recomputed by the evaluator
    bound: float | None
    seconds: float
    evaluation: Evaluation | None = None
    broken: list[BrokenRule] = field(default_factory=list)
    log: dict = field(default_factory=dict)  # phase figures: construction, neighbourhood stats, history
    solver_objective: float | None = None  # what the MIP said the roster costs (must equal `objective`)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)

    def report(self) -> SolveReport:
        message = f"{len(self.broken)} hard rules broken" if self.broken else ""
        return SolveReport(self.status, self.objective, self.bound, self.gap, self.seconds, "highs", message)


def solve_roster(
    problem: RosterProblem,
    time_limit: float,
    seed: int = 0,
    threads: int = 2,
    final_share: float = 0.5,
    sub_limit: float = 0.7,
    workers: int = 2,
    columns: bool = True,
    should_stop: Callable[[], bool] | None = None,
) -> RosterResult:
    """Best roster found within `time_limit` seconds; never raises for a problem without a solution.

    `workers` 2 runs a second, single-threaded search in a helper process on problems above
    `SMALL_CELLS` cells given at least `HELPER_SECONDS` (see `parallel`); 1 keeps everything in this one.
    `columns` False leaves column generation out (to compare, or to test the search alone).
    `should_stop` (cheap, thread-safe: see `scheduling.stopping`) answering True makes the solve raise
    `stopping.SolveStopped` within seconds, whatever phase it is in, with its helper process ended.
    """
    if time_limit is None or time_limit <= 0:
        raise ValueError("time_limit: every solve needs a positive time limit in seconds")
    with stopping.stopping(should_stop):
        return _solve_roster(problem, time_limit, seed, threads, final_share, sub_limit, workers, columns)


def _solve_roster(
    problem: RosterProblem,
    time_limit: float,
    seed: int,
    threads: int,
    final_share: float,
    sub_limit: float,
    workers: int,
    columns: bool,
) -> RosterResult:
    stopping.check()
    started = time.perf_counter()
    deadline = started + time_limit
    rng = random.Random(seed)
    helper = None
    if workers >= 2 and time_limit >= HELPER_SECONDS and _cells(problem) > SMALL_CELLS:
        # This process keeps its thread count: HiGHS fixes it at a process's first solve, and a later
        # solve asking for another count fails outright (measured: no LP, no roster).
        helper = Helper.start(problem, seed + 7919, time_limit - 0.5)
    try:
        return _solve(
            problem, time_limit, started, deadline, rng, threads, final_share, sub_limit, helper, columns
        )
    except stopping.SolveStopped:
        if helper is not None:
            helper.stop()
        raise
    finally:
        if helper is not None and helper.process.is_alive():
            helper.finish(0.0)
        # A full collection now, between solves, rather than whenever Python's collector next decides:
        # the next solve in the same process (a bench, a worker) did worse without it (Curtois 8 after 7,
        # seed 1: 1395-1397 in three runs; with this collection 1302-1305 in three runs, 1395 in a fourth;
        # 1303-1306 in a fresh process).
        gc.collect()


def _cells(problem: RosterProblem) -> int:
    return sum(
        1
        for p in problem.staff
        for d in range(problem.horizon)
        for s in problem.shift_ids
        if problem.allowed(p, d, s)
    )


def _solve(
    problem: RosterProblem,
    time_limit: float,
    started: float,
    deadline: float,
    rng: random.Random,
    threads: int,
    final_share: float,
    sub_limit: float,
    helper: Helper | None,
    columns: bool = True,
) -> RosterResult:
    exchange = helper.exchange if helper is not None else None
    form = build(problem)
    stopping.check()
    live = LiveModel(form, threads=threads)
    model_seconds = time.perf_counter() - started  # what building a model costs here (the window form's too)
    if exchange is not None:
        exchange.n_cols = live.n_cols
    # The LP bound by interior point takes about as long as building the model; where that alone used a
    # fifth of the time (200 agents x 4 weeks: 11 s of 30), it would not finish, so it is not tried.
    lp_bound = live.lp_bound(min(10.0, 0.15 * time_limit)) if model_seconds < 0.2 * time_limit else None
    bound = _round_up(lp_bound, live.integral)
    state = SearchState()
    construct(live, started + 0.5 * time_limit, rng, state, exchange)
    if exchange is not None and state.values is not None:
        exchange.offer(state.objective, state.values)
    elastic = frozenset(problem.staff[e].id for e in state.infeasible_employees)
    if elastic and helper is not None:  # the helper's model has no slacks: its rosters cannot help
        helper.finish(0.0)
        helper = exchange = None
    if elastic:  # some employee cannot keep the hard rules: rebuild with slacks on theirs, and say why
        form = build(problem, elastic=elastic)
        stopping.check()
        live = LiveModel(form, threads=threads)
        state = SearchState()
        construct(live, started + 0.6 * time_limit, rng, state)
        bound = None
    log: dict = {
        "lp_bound": lp_bound,
        "construction": state.objective,
        "construction_seconds": round(time.perf_counter() - started, 2),
    }
    if state.values is None:
        return RosterResult(NO_SOLUTION, None, None, bound, time.perf_counter() - started, log=log)
    if columns and not elastic:
        # Column generation: a bound from whole rows per employee, far tighter than the model's own
        # relaxation on the benchmark, and rosters from dives through its master when they beat the search's.
        # The helper, if any, searches meanwhile.
        until = time.perf_counter() + COLUMNS_SHARE * (deadline - time.perf_counter())
        columns_bound, picked, objective = bound_and_pick(
            live,
            state.values,
            state.objective,
            until,
            log,
            dive_seconds=max(1.0, min(0.2 * time_limit, MAX_DIVE_SECONDS)),
            most_dive_seconds=MAX_DIVE_SECONDS,
            pick_seconds=max(0.5, 0.05 * time_limit),
            seed=rng.randrange(2**31),
        )
        if columns_bound is not None:
            columns_bound = _round_up(columns_bound, live.integral)
            bound = columns_bound if bound is None else max(bound, columns_bound)
        if picked is not None:
            state.values, state.objective = picked, objective
            state.history.append((time.perf_counter() - started, objective))
            if exchange is not None:
                exchange.offer(objective, picked)
    # Small models: the search stops once it stalls and the rest of the time goes to the whole model in
    # its window form, which proves optimality fastest there. Larger ones: a third of the time searching,
    # then the whole model from the incumbent, in the stretch form where the LP is tight (measured on
    # instances 5-7: HiGHS then cuts the search's result by 5-15% and lifts the bound well above the LP's)
    # and in the smaller window form where it is weak (instance 9). Medium models keep the whole model to
    # the end; big ones, where it rarely gets past the root in time, go back to searching for the last third.
    cells = len(live.x_cols)
    size = "small" if cells <= SMALL_CELLS else "medium" if cells <= MEDIUM_CELLS else "big"
    if elastic:
        size = "elastic"
    # The search gets a third of what the construction left (not a third of the limit: under load the
    # construction alone took 17 s of 60 on Curtois 6, leaving the search 3 s).
    built = time.perf_counter()
    lns_deadline = started + final_share * time_limit if size == "small" else built + (deadline - built) / 3
    if size == "elastic":
        lns_deadline = deadline
    stall = max(2.0, 0.1 * time_limit) if size == "small" else None
    # A big model given minutes ends with branch and price (see `branch`): its search stops once it stalls.
    # Not where the LP is weak (Curtois 9): the whole model in its window form serves those (see below).
    branching = (
        size == "big"
        and columns
        and deadline - built >= BRANCHING_MIN_SECONDS
        and lp_bound is not None
        and lp_bound >= 0.25 * state.objective
    )
    if branching:
        stall = BRANCHING_STALL
    if cells > TINY_CELLS or size != "small":  # tiny models: the exact solve alone is quickest
        improve(
            live, lns_deadline, rng, state, bound=bound, sub_limit=sub_limit, stall=stall, exchange=exchange
        )
    log["lns"] = {
        kind: {"tries": t, "improved": i, "seconds": round(s, 1)} for kind, (t, i, s) in state.stats.items()
    }
    log["lns_objective"] = state.objective
    proven = bound is not None and state.objective - bound < (1 - 1e-6 if live.integral else 1e-6)
    roster = live.roster(state.values)
    # Weak: the LP bound is far below any roster found (Curtois 9: 39 against 439). Not "twice the bound":
    # a big model's search can still be that far from a tight LP after a third of the time (8, loaded).
    weak_lp = lp_bound is None or lp_bound < 0.25 * state.objective
    # A big model whose window form could not even be built in the time left keeps searching instead
    # (200 agents x 28 days x 53 shift types: 7 s to build, the job then ended 4.5 s late).
    no_time_to_rebuild = deadline - time.perf_counter() < 3 * model_seconds
    if size == "big" and (not weak_lp or no_time_to_rebuild):
        # Big models with a tight LP: the whole stretch model rarely improves the search's roster in the
        # time left, the search itself still does (Curtois 8 and 10, 60 s: 1728/1726 and 4644 searching to
        # the end against 1733-1830 and 4753 with the whole-model phase), so it keeps searching.
        log["final_status"] = "search to the end"
        if branching and not proven:
            # Long runs: the neighbourhood search stalls above the bound (Curtois 8: 1303 for 600 s against
            # 1300), where branch and price in neighbourhoods goes on, the helper's too: two draws of
            # neighbourhoods at a time, each process trading its better rosters with the other.
            if helper is not None:
                helper.branch(bound)
            phase = time.perf_counter() - started
            state.values, state.objective = improve_by_branching(
                live,
                state.values,
                state.objective,
                deadline,
                log,
                seed=rng.randrange(2**31),
                bound=bound,
                exchange=exchange,
            )
            state.history.extend(
                (phase + seconds, value) for seconds, value in log["branching"].get("history", [])
            )
            if log["branching"].get("bound") is not None:
                found = _round_up(log["branching"]["bound"], live.integral)
                bound = found if bound is None else max(bound, found)
            if "skipped" not in log["branching"]:
                log["final_status"] = "search, then branch and price"
        if "skipped" in log.get("branching", {}) or not branching:
            improve(live, deadline, rng, state, bound=bound, sub_limit=sub_limit, exchange=exchange)
        log["lns_objective"] = state.objective
        log["lns"] = {
            kind: {"tries": t, "improved": i, "seconds": round(s, 1)}
            for kind, (t, i, s) in state.stats.items()
        }
        roster = live.roster(state.values)
        proven = bound is not None and state.objective - bound < (1 - 1e-6 if live.integral else 1e-6)
    elif size != "elastic" and not proven and deadline - time.perf_counter() > 0.2:
        window_form = size == "small" or weak_lp
        whole_until = deadline - time_limit / 3 if size == "big" else deadline
        if window_form and helper is not None:
            # The window form is where the whole model itself finds the roster (Curtois 9: 439 from a
            # search at 600-1100); the helper would only take CPU from it, so it hands over and ends.
            got = helper.finish(1.0)
            log["helper"] = helper.exchange.final_log
            if got is not None and got[0] < state.objective - 1e-6:
                state.values, state.objective = live.clean(got[1]), got[0]
                roster = live.roster(state.values)
            helper = exchange = None
        if window_form:
            form = build(problem, stretches=False)
            stopping.check()
            exact = LiveModel(form, threads=threads)
            result, full_bound = exact.solve_full(None, whole_until - time.perf_counter(), roster=roster)
        else:
            exact = live
            result, full_bound = live.solve_full(state.values, whole_until - time.perf_counter())
        log["final_status"] = f"{result.status} ({'window' if window_form else 'stretch'} form)"
        improved = (
            result.values is not None and result.objective is not None and result.objective < state.objective
        )
        if improved:
            roster, state.objective = exact.roster(result.values), result.objective
        if full_bound is not None:
            full_bound = _round_up(full_bound, exact.integral)
            bound = full_bound if bound is None else max(bound, full_bound)
        if size == "big" and deadline - time.perf_counter() > 1.0:
            resume = True
            if improved and window_form:  # carry the roster back into the stretch model
                completed = live.complete(roster, 5.0)
                resume = completed.values is not None
                if resume:
                    state.values = live.clean(completed.values)
            elif improved:
                state.values = live.clean(result.values)
            if resume:
                improve(live, deadline, rng, state, bound=bound, sub_limit=sub_limit, exchange=exchange)
                roster = live.roster(state.values)
    if helper is not None:
        got = helper.finish(deadline - time.perf_counter() + 1.0)
        log["helper"] = helper.exchange.final_log
        if got is not None and got[0] < state.objective - 1e-6:
            roster, state.objective = live.roster(got[1]), got[0]
            log["final_status"] = f"{log.get('final_status', '')}; helper's roster".lstrip("; ")
    stopping.check()  # the roster is not returned to a caller who no longer wants it
    evaluation = evaluate(problem, roster)
    broken: list[BrokenRule] = []
    if elastic:
        broken = [BrokenRule(v.rule, v.employee, v.days, v.amount) for v in evaluation.violations]
        status = INFEASIBLE
    elif bound is not None and evaluation.objective - bound < (1 - 1e-6 if live.integral else 1e-6):
        status, bound = OPTIMAL, float(evaluation.objective)
    else:
        status = FEASIBLE
    log["history"] = state.history
    return RosterResult(
        status,
        roster,
        float(evaluation.objective),
        bound,
        time.perf_counter() - started,
        evaluation,
        broken,
        log,
        None if elastic else state.objective,
    )


def _round_up(value: float | None, integral: bool) -> float | None:
    if value is None:
        return None
    return float(math.ceil(value - 1e-6)) if integral else value
