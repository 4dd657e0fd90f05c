"""Solve a `RosterProblem` within a time limit: a pipeline of phases over one typed state.

The size of the model (its cells: employee x day x shift an employee may work) picks the phases from one
table, `REGIMES`; an employee who cannot keep the hard rules picks `ELASTIC` instead. Every regime starts
with `Construct`, then runs its phases in order, and ends with `HelperHandover`:
- `Construct`: the LP relaxation by interior point (a valid bound in seconds: the stretch model's LP is
  tight), then a roster built one employee at a time (every hard rule is per employee, so this always
  succeeds when a roster exists at all). When some employee cannot keep the hard rules, the model is
  rebuilt with elastic slacks on that employee's rules: the best roster is still returned, with the
  broken rules and the days concerned.
- `ColumnGeneration` (`columns`): whole rows per employee priced by labels give a bound far tighter than
  the LP's, dives through its master give rosters that replace the construction's when better, and its
  fractional roster guides the search.
- `Search`: fix-and-optimise neighbourhoods (`search.improve`) until the incumbent meets the bound, the
  search stalls, or its share of the time is spent.
- `WholeModel`: the whole model from the incumbent, for the rest of the time: it may prove optimality,
  raise the bound, or improve the roster; in its window form where the LP is weak or the model small.
- `BigFinish`: a big model searches to the end (`SearchToEnd`, ending with branch and price in
  neighbourhoods when given minutes, see `branch`) unless its LP is weak, where the whole model in its
  window form gets the middle third and the search the last.
A caller that may no longer want the answer (a cancelled job) passes `should_stop`: the solve then raises
`stopping.SolveStopped` within seconds, from any phase (see `scheduling.stopping`), and ends its helper.
Each phase logs what it decided (module logger), so a worker's log says why a solve ended where it did.
"""

from __future__ import annotations

import gc
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from scheduling import stopping
from scheduling.roster.branch import improve_by_branching
from scheduling.roster.columns import ColumnGeneration, bound_and_pick
from scheduling.roster.evaluate import Evaluation, evaluate
from scheduling.roster.exchange import Exchange
from scheduling.roster.formulation import build
from scheduling.roster.live import LiveModel
from scheduling.roster.model import Roster, RosterProblem
from scheduling.roster.parallel import Helper
from scheduling.roster.rows import RowSearch
from scheduling.roster.rows import supported as rows_supported
from scheduling.roster.search import SearchState, construct, improve
from scheduling.roster.size import SECONDS_PER_CELL, cells
from scheduling.roster.state import Bound, SolveLog, kind_stats
from scheduling.solver import SolveReport, relative_gap

logger = logging.getLogger(__name__)

OPTIMAL, FEASIBLE, INFEASIBLE, NO_SOLUTION = "optimal", "feasible", "infeasible", "no_solution"
TINY_CELLS = 400  # x cells: up to here the exact model alone is quickest
SMALL_CELLS = 600  # search, then the exact window model to prove optimality
MEDIUM_CELLS = 2000  # search, then the whole stretch model from the incumbent; above: search only
HELPER_SECONDS = 10.0  # a helper process (second search) only for time limits of at least this
COLUMNS_SHARE = 0.3  # of the time left after the construction, at most, for column generation
# Big models given this many seconds or more after the construction search until they stall for
# `BRANCHING_STALL` seconds, then branch and price in neighbourhoods (see `branch`) to the end; the helper
# process, if any, does the same with neighbourhoods of its own.
BRANCHING_MIN_SECONDS = 120.0
BRANCHING_STALL = 20.0
# Dives find rosters in their first seconds or not at all; on long runs branch and price uses the time
# better. At most this long, also when column generation converges early and leaves its share to them.
MAX_DIVE_SECONDS = 30.0
ROWS_SWEEP_SHARE = 0.5  # the first roster's sweeps (see `rows`) end at this share of the limit
WEAK_LP = 0.25  # an LP bound below this share of the roster found is weak: the window form serves better


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
    log: dict = field(default_factory=dict)  # phase figures (`state.SolveLog.as_dict`)
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
    settings = Settings(time_limit, threads, final_share, sub_limit, columns)
    helper = None
    if workers >= 2 and time_limit >= HELPER_SECONDS and cells(problem) > SMALL_CELLS:
        # This process keeps its thread count: HiGHS fixes it at a process's first solve, and a later
        # solve asking for another count fails outright.
        helper = Helper.start(problem, seed + 7919, time_limit - 0.5)
        logger.info("A helper process searches too: %s.", "started" if helper else "none could be started")
    try:
        return _run(problem, settings, started, random.Random(seed), helper)
    except stopping.SolveStopped:
        if helper is not None:
            helper.stop()
        raise
    finally:
        if helper is not None and helper.process.is_alive():
            helper.finish(0.0)
        # A full collection now, between solves, rather than whenever Python's collector next decides:
        # the next solve in the same process (a bench, a worker) did worse without it.
        gc.collect()


@dataclass(frozen=True)
class Settings:
    time_limit: float
    threads: int
    final_share: float  # small models: the search ends at this share of the limit
    sub_limit: float  # seconds for one neighbourhood's solve, at first
    columns: bool  # column generation (False: to compare, or to test the search alone)


@dataclass
class Solve:
    """The state every phase reads and writes: the model, the incumbent, the bound and the log."""

    problem: RosterProblem
    settings: Settings
    started: float
    rng: random.Random
    helper: Helper | None
    live: LiveModel
    model_seconds: float  # what building a model costs here (the window form's too)
    incumbent: SearchState = field(default_factory=SearchState)
    bound: Bound = field(default_factory=lambda: Bound(True))
    log: SolveLog = field(default_factory=SolveLog)
    lp_bound: float | None = None
    elastic: frozenset[str] = frozenset()  # employees with slacks on their hard rules
    generation: ColumnGeneration | None = None  # the column generation run, kept for branch and price
    branching: bool = False  # a big model given minutes: search until it stalls, then branch and price
    # The best roster when it comes from another model than `live` (the window form): its values in `live`
    # are then unknown. None: the roster is `live.roster(incumbent.values)`.
    other_roster: Roster | None = None

    @property
    def deadline(self) -> float:
        return self.started + self.settings.time_limit

    @property
    def left(self) -> float:
        return self.deadline - time.perf_counter()

    @property
    def exchange(self) -> Exchange | None:
        return self.helper.exchange if self.helper is not None else None

    @property
    def objective(self) -> float:
        assert self.incumbent.objective is not None  # every phase after the construction has a roster
        return self.incumbent.objective

    @property
    def proven(self) -> bool:
        return self.bound.closes(self.incumbent.objective)

    @property
    def weak_lp(self) -> bool:
        """The LP bound is far below any roster found: not "twice the bound", since a big model's search
        can still be that far from a tight LP after a third of the time."""
        return self.lp_bound is None or self.lp_bound < WEAK_LP * self.objective

    def roster(self) -> Roster:
        if self.other_roster is not None:
            return self.other_roster
        assert self.incumbent.values is not None
        return self.live.roster(self.incumbent.values)

    def adopt(self, values: Any, objective: float) -> None:
        """A better roster of `live` (full column vector) found by a phase other than the search."""
        self.incumbent.values, self.incumbent.objective = values, objective
        self.other_roster = None

    def improve(self, until: float, stall: float | None = None) -> None:
        """The neighbourhood search on the incumbent until `until`, then its figures in the log."""
        improve(
            self.live,
            until,
            self.rng,
            self.incumbent,
            bound=self.bound.value,
            sub_limit=self.settings.sub_limit,
            stall=stall,
            exchange=self.exchange,
        )
        self.other_roster = None
        self.log.lns = kind_stats(self.incumbent.stats)
        self.log.lns_objective = self.incumbent.objective

    def end_helper(self, wait: float) -> tuple[float, Any] | None:
        """Stop the helper, keep its last word in the log, and return its last roster (if any)."""
        assert self.helper is not None
        got = self.helper.finish(wait)
        self.log.helper = self.helper.exchange.final_log
        self.helper = None
        return got


class Phase(Protocol):
    def run(self, solve: Solve) -> None: ...


# --- the phases -------------------------------------------------------------------------------------------
class ColumnsPhase:
    """Column generation: a bound from whole rows per employee, far tighter than the model's own
    relaxation, and rosters from dives through its master when they beat the search's. The helper, if
    any, searches meanwhile."""

    def run(self, solve: Solve) -> None:
        if not solve.settings.columns:
            return
        limit = solve.settings.time_limit
        incumbent = solve.incumbent
        assert incumbent.values is not None
        outcome = bound_and_pick(
            solve.live,
            incumbent.values,
            solve.objective,
            time.perf_counter() + COLUMNS_SHARE * solve.left,
            dive_seconds=max(1.0, min(0.2 * limit, MAX_DIVE_SECONDS)),
            most_dive_seconds=MAX_DIVE_SECONDS,
            pick_seconds=max(0.5, 0.05 * limit),
            seed=solve.rng.randrange(2**31),
        )
        solve.log.columns = outcome.record
        solve.generation = outcome.generation
        solve.bound.raise_to(outcome.bound)
        if outcome.values is not None:
            solve.adopt(outcome.values, outcome.objective)
            incumbent.history.append((time.perf_counter() - solve.started, outcome.objective))
            if solve.exchange is not None:
                solve.exchange.offer(outcome.objective, outcome.values)


def small_share(solve: Solve, now: float) -> tuple[float, float | None]:
    """Small models: search until `final_share` of the limit, stopping once it stalls; the exact window
    model then proves optimality fastest."""
    limit = solve.settings.time_limit
    return solve.started + solve.settings.final_share * limit, max(2.0, 0.1 * limit)


def third_left(solve: Solve, now: float) -> tuple[float, float | None]:
    """Larger models: a third of what the construction left (not of the limit: under load the
    construction alone can take most of it); a big model given minutes stops once it stalls, for branch
    and price (not where the LP is weak: the whole model in its window form serves those)."""
    solve.branching = (
        len(solve.live.x_cols) > MEDIUM_CELLS
        and solve.settings.columns
        and solve.deadline - now >= BRANCHING_MIN_SECONDS
        and not solve.weak_lp
    )
    if solve.branching:
        logger.info("Given minutes, the search stops once it stalls, for branch and price.")
    return now + (solve.deadline - now) / 3, BRANCHING_STALL if solve.branching else None


def to_the_end(solve: Solve, now: float) -> tuple[float, float | None]:
    return solve.deadline, None


@dataclass(frozen=True)
class Search:
    """The neighbourhood search for its share of the time: `share` says until when, and after how many
    seconds without a gain it stops."""

    share: Callable[[Solve, float], tuple[float, float | None]]

    def run(self, solve: Solve) -> None:
        until, stall = self.share(solve, time.perf_counter())
        solve.improve(until, stall)
        logger.info("Neighbourhood search: roster %g, bound %s.", solve.objective, solve.bound.value)


class NoSearch:
    """Tiny models: no neighbourhood search before the exact model (it alone is quickest there)."""

    def run(self, solve: Solve) -> None:
        solve.log.lns = kind_stats(solve.incumbent.stats)
        solve.log.lns_objective = solve.incumbent.objective


@dataclass(frozen=True)
class WholeModel:
    """The whole model for the rest of the time (a big model: until the last third, then the search
    again), in its window form when `window` says so or the LP is weak, else in the stretch form from the
    incumbent (where the LP is tight HiGHS then cuts the search's result and lifts the bound)."""

    window: bool = False
    then_search: bool = False

    def run(self, solve: Solve) -> None:
        if solve.proven or solve.left <= 0.2:
            return
        window = self.window or solve.weak_lp
        until = solve.deadline - solve.settings.time_limit / 3 if self.then_search else solve.deadline
        if window and solve.helper is not None:
            # The window form is where the whole model itself finds the roster; the helper would only
            # take CPU from it, so it hands over and ends.
            got = solve.end_helper(1.0)
            if got is not None and got[0] < solve.objective - 1e-6:
                solve.adopt(solve.live.clean(got[1]), got[0])
        logger.info("The whole model in its %s form.", "window" if window else "stretch")
        if window:
            form = build(solve.problem, stretches=False)
            stopping.check()
            exact = LiveModel(form, threads=solve.settings.threads)
            result, bound = exact.solve_full(None, until - time.perf_counter(), roster=solve.roster())
        else:
            exact = solve.live
            result, bound = exact.solve_full(solve.incumbent.values, until - time.perf_counter())
        solve.log.final_status = f"{result.status} ({'window' if window else 'stretch'} form)"
        improved = (
            result.values is not None and result.objective is not None and result.objective < solve.objective
        )
        if improved:
            assert result.values is not None
            assert result.objective is not None
            solve.other_roster, solve.incumbent.objective = exact.roster(result.values), result.objective
        solve.bound.raise_to(bound)
        logger.info(
            "Whole model: %s, roster %g, bound %s.", result.status, solve.objective, solve.bound.value
        )
        if self.then_search and solve.left > 1.0:
            self._search_again(solve, result.values if improved else None, window)

    @staticmethod
    def _search_again(solve: Solve, values: Any, window: bool) -> None:
        """The last third searching, from the whole model's roster carried back into the stretch model."""
        if values is not None and window:
            completed = solve.live.complete(solve.roster(), 5.0)
            if completed.values is None:
                return
            solve.incumbent.values = solve.live.clean(completed.values)
        elif values is not None:
            solve.incumbent.values = solve.live.clean(values)
        solve.improve(solve.deadline)


class SearchToEnd:
    """Big models with a tight LP: the whole stretch model rarely improves the search's roster in the
    time left, the search itself still does, so it keeps searching; given minutes, it ends with branch
    and price in neighbourhoods, the helper's too, each process trading its better rosters with the
    other."""

    def run(self, solve: Solve) -> None:
        solve.log.final_status = "search to the end"
        skipped = False
        if solve.branching and not solve.proven:
            skipped = not self._branch(solve)
        if skipped or not solve.branching:
            solve.improve(solve.deadline)
        solve.log.lns = kind_stats(solve.incumbent.stats)
        solve.log.lns_objective = solve.incumbent.objective

    @staticmethod
    def _branch(solve: Solve) -> bool:
        """Branch and price to the end; False when it could not run here."""
        if solve.helper is not None:
            solve.helper.branch(solve.bound.value)
        phase = time.perf_counter() - solve.started
        assert solve.incumbent.values is not None
        values, objective, record = improve_by_branching(
            solve.live,
            solve.incumbent.values,
            solve.objective,
            solve.deadline,
            seed=solve.rng.randrange(2**31),
            bound=solve.bound.value,
            exchange=solve.exchange,
            generation=solve.generation,
        )
        solve.adopt(values, objective)
        solve.incumbent.history.extend((phase + seconds, value) for seconds, value in record.history)
        solve.log.branching = record.as_dict()
        solve.bound.raise_to(record.bound)
        if record.skipped is None:
            solve.log.final_status = "search, then branch and price"
        return record.skipped is None


class BigFinish:
    """Big models: search to the end, unless the LP is weak and there is time to build the window form;
    then the whole model in that form for the middle third and the search for the last."""

    def run(self, solve: Solve) -> None:
        no_time_to_rebuild = solve.left < 3 * solve.model_seconds
        if not solve.weak_lp or no_time_to_rebuild:
            logger.info("A big model searches to the end (LP %s).", "tight" if not solve.weak_lp else "weak")
            SearchToEnd().run(solve)
        else:
            WholeModel(window=True, then_search=True).run(solve)


@dataclass(frozen=True)
class Regime:
    """A size of model, up to `most_cells` cells, and the phases it runs after the construction."""

    name: str
    most_cells: float
    phases: tuple[Phase, ...]


# The phases by size, smallest first: the first regime whose `most_cells` holds the model's cells runs.
REGIMES: tuple[Regime, ...] = (
    Regime("tiny", TINY_CELLS, (ColumnsPhase(), NoSearch(), WholeModel(window=True))),
    Regime("small", SMALL_CELLS, (ColumnsPhase(), Search(small_share), WholeModel(window=True))),
    Regime("medium", MEDIUM_CELLS, (ColumnsPhase(), Search(third_left), WholeModel())),
    Regime("big", float("inf"), (ColumnsPhase(), Search(third_left), BigFinish())),
)
# Some employee cannot keep the hard rules: search the elastic model to the end (no bound to prove).
ELASTIC = Regime("elastic", 0, (Search(to_the_end),))


def regime_for(count: int, elastic: bool) -> Regime:
    if elastic:
        return ELASTIC
    return next(r for r in REGIMES if count <= r.most_cells)


# --- the pipeline -----------------------------------------------------------------------------------------
def _run(
    problem: RosterProblem, settings: Settings, started: float, rng: random.Random, helper: Helper | None
) -> RosterResult:
    by_rows = None
    if rows_supported(problem) and _no_time_for_the_model(problem, settings, started, share=0.5):
        # The model may take most of the time to build: the rows first, which need none.
        by_rows = _rows_first(problem, settings, started, rng)
        if by_rows[1] is not None and _no_time_for_the_model(problem, settings, started):
            return _rows_to_the_end(problem, settings, started, rng, helper, *by_rows)
    solve = _construct(problem, settings, started, rng, helper, by_rows)
    if solve.incumbent.values is None:
        logger.info("No roster found in the time: no solution.")
        return RosterResult(
            NO_SOLUTION, None, None, solve.bound.value, time.perf_counter() - started, log=solve.log.as_dict()
        )
    regime = regime_for(len(solve.live.x_cols), bool(solve.elastic))
    logger.info(
        "Regime %s for %d cells: %s.",
        regime.name,
        len(solve.live.x_cols),
        ", ".join(type(phase).__name__ for phase in regime.phases),
    )
    solve.log.phases.append(_phase_record("Construct", started, solve))
    for phase in regime.phases:
        phase_started = time.perf_counter()
        phase.run(solve)
        solve.log.phases.append(_phase_record(type(phase).__name__, phase_started, solve))
    phase_started = time.perf_counter()
    _hand_over(solve)
    solve.log.phases.append(_phase_record("HelperHandover", phase_started, solve))
    return _result(solve)


def _phase_record(name: str, phase_started: float, solve: Solve) -> dict[str, Any]:
    return {
        "phase": name,
        "seconds": round(time.perf_counter() - phase_started, 2),
        "objective": solve.incumbent.objective,
        "bound": solve.bound.value,
    }


def _no_time_for_the_model(
    problem: RosterProblem, settings: Settings, started: float, share: float = 1.0
) -> bool:
    """Whether building the model (which cannot be cut short) would take a third of `share` of the time
    left or more: then the rows' sweeps use all of it instead."""
    left = started + settings.time_limit - time.perf_counter()
    return 3 * cells(problem) * SECONDS_PER_CELL >= share * left


def _rows_to_the_end(
    problem: RosterProblem,
    settings: Settings,
    started: float,
    rng: random.Random,
    helper: Helper | None,
    search: RowSearch,
    rows: Any,
    record: dict[str, Any],
) -> RosterResult:
    """No time to build the model: the rows' sweeps, with some employees re-placed from scratch each time
    they stall, to the end; the helper (whose own model would not be built in time either) ends."""
    if helper is not None:
        helper.stop()
    log = SolveLog(rows=record)
    swept = evaluate(problem, search.roster(rows)).objective
    log.phases.append(
        {"phase": "Construct", "seconds": round(time.perf_counter() - started, 2), "objective": swept}
    )
    phase_started = time.perf_counter()
    deadline = started + settings.time_limit
    tries, better = search.restarts(rows, rng, deadline)
    evaluation = evaluate(problem, search.roster(rows))
    record.update(restarts=tries, restarts_improved=better, final=evaluation.objective)
    log.construction = record["construction"]
    log.construction_seconds = record["construction_seconds"]
    log.final_status = "rows to the end (no time to build the model)"
    log.phases.append(
        {
            "phase": "RowRestarts",
            "seconds": round(time.perf_counter() - phase_started, 2),
            "objective": evaluation.objective,
        }
    )
    seconds = time.perf_counter() - started
    logger.info(
        "Rows to the end: %g after %.1f s (no time to build the model).", evaluation.objective, seconds
    )
    return RosterResult(
        FEASIBLE,
        search.roster(rows),
        float(evaluation.objective),
        None,
        seconds,
        evaluation,
        [],
        log.as_dict(),
        float(evaluation.objective),
    )


def _construct(
    problem: RosterProblem,
    settings: Settings,
    started: float,
    rng: random.Random,
    helper: Helper | None,
    by_rows: tuple[RowSearch, Any, dict[str, Any]] | None = None,
) -> Solve:
    """The model, its LP bound (when building it left the time), and a first roster (by rows, when they
    came, see `_rows_first`); with slacks on the rules of any employee who cannot keep them."""
    limit = settings.time_limit
    building = time.perf_counter()
    live = LiveModel(_built(problem), threads=settings.threads)
    solve = Solve(problem, settings, started, rng, helper, live, time.perf_counter() - building)
    solve.bound = Bound(live.integral)
    if solve.exchange is not None:
        solve.exchange.n_cols = live.n_cols
    # The LP bound by interior point takes about as long as building the model; where that alone used a
    # fifth of the time, it would not finish, so it is not tried.
    if solve.model_seconds < 0.2 * limit:
        solve.lp_bound = live.lp_bound(min(10.0, 0.15 * limit))
    solve.bound.raise_to(solve.lp_bound)
    if by_rows is None and rows_supported(problem):
        by_rows = _rows_first(problem, settings, started, rng)
    if by_rows is not None:
        _complete_rows(solve, *by_rows)
    if solve.incumbent.values is None:
        construct(live, started + 0.5 * limit, rng, solve.incumbent)
    if solve.exchange is not None and solve.incumbent.values is not None:
        solve.exchange.offer(solve.objective, solve.incumbent.values)
    solve.elastic = frozenset(problem.staff[e].id for e in solve.incumbent.infeasible_employees)
    if solve.elastic:
        _go_elastic(solve)
    incumbent = solve.incumbent
    solve.log.lp_bound = solve.lp_bound
    solve.log.construction = incumbent.objective
    solve.log.construction_seconds = round(time.perf_counter() - started, 2)
    logger.info(
        "Construction: roster %s after %.1f s, LP bound %s.",
        incumbent.objective,
        time.perf_counter() - started,
        solve.lp_bound,
    )
    return solve


def _rows_first(
    problem: RosterProblem, settings: Settings, started: float, rng: random.Random
) -> tuple[RowSearch, Any, dict[str, Any]]:
    """A first roster one whole row at a time by the labeller, then sweeps re-placing each employee
    against all the others (see `rows`), as rows (None when some employee got no row: the model's own
    construction then says who cannot keep their rules). The construction runs to its end whatever the
    time: nothing gives a first roster sooner."""
    limit = settings.time_limit
    search = RowSearch.of(problem)
    rows = search.construct(rng, started + limit)
    if rows is None:
        return search, None, {"skipped": "some employee got no row"}
    built = time.perf_counter() - started
    record: dict[str, Any] = {
        "construction": evaluate(problem, search.roster(rows)).objective,
        "construction_seconds": round(built, 2),
    }
    record["rows_changed"] = search.sweep(rows, rng, started + ROWS_SWEEP_SHARE * limit)
    record["sweep_seconds"] = round(time.perf_counter() - started - built, 2)
    return search, rows, record


def _complete_rows(solve: Solve, search: RowSearch, rows: Any, record: dict[str, Any]) -> None:
    """The rows' roster as the incumbent, with its other columns (stretches, weekends, slacks)."""
    solve.log.rows = record
    if rows is None:
        return
    completed = solve.live.complete(search.roster(rows), max(1.0, 0.1 * solve.settings.time_limit))
    if completed.values is None or completed.objective is None:
        record["skipped"] = "the rows could not be completed in the model"
        return
    solve.incumbent.values = solve.live.clean(completed.values)
    solve.incumbent.objective = completed.objective
    solve.incumbent.history.append((time.perf_counter() - solve.started, completed.objective))
    record["sweep"] = completed.objective
    logger.info("Rows: %g at first, %g after the sweeps.", record["construction"], completed.objective)


def _built(problem: RosterProblem, elastic: frozenset[str] = frozenset()) -> Any:
    form = build(problem, elastic=elastic)
    stopping.check()
    return form


def _go_elastic(solve: Solve) -> None:
    """Some employee cannot keep the hard rules: rebuild with slacks on theirs, and say why. The helper's
    model has no slacks, so its rosters cannot help: it ends."""
    logger.info("%d employees cannot keep their hard rules: elastic model.", len(solve.elastic))
    if solve.helper is not None:
        solve.helper.finish(0.0)
        solve.helper = None
    solve.live = LiveModel(_built(solve.problem, solve.elastic), threads=solve.settings.threads)
    solve.incumbent = SearchState()
    construct(solve.live, solve.started + 0.6 * solve.settings.time_limit, solve.rng, solve.incumbent)
    solve.bound = Bound(solve.live.integral)


def _hand_over(solve: Solve) -> None:
    """The helper's last roster, when it beats this search's."""
    if solve.helper is None:
        return
    got = solve.end_helper(solve.left + 1.0)
    if got is not None and got[0] < solve.objective - 1e-6:
        solve.other_roster, solve.incumbent.objective = solve.live.roster(got[1]), got[0]
        solve.log.final_status = f"{solve.log.final_status or ''}; helper's roster".lstrip("; ")
        logger.info("The helper's roster is better: %g.", got[0])


def _result(solve: Solve) -> RosterResult:
    roster = solve.roster()
    stopping.check()  # the roster is not returned to a caller who no longer wants it
    evaluation = evaluate(solve.problem, roster)
    broken: list[BrokenRule] = []
    bound = solve.bound.value
    if solve.elastic:
        broken = [BrokenRule(v.rule, v.employee, v.days, v.amount) for v in evaluation.violations]
        status = INFEASIBLE
    elif solve.bound.closes(evaluation.objective):
        status, bound = OPTIMAL, float(evaluation.objective)
    else:
        status = FEASIBLE
    solve.log.history = solve.incumbent.history
    seconds = time.perf_counter() - solve.started
    gap = relative_gap(float(evaluation.objective), bound)
    logger.info(
        "Roster solve ended %s: objective %g, bound %s, gap %s, %.1f s (%s).",
        status,
        evaluation.objective,
        bound,
        "unknown" if gap is None else f"{100 * gap:.2f}%",
        seconds,
        solve.log.final_status or "no final phase",
    )
    return RosterResult(
        status,
        roster,
        float(evaluation.objective),
        bound,
        seconds,
        evaluation,
        broken,
        solve.log.as_dict(),
        None if solve.elastic else solve.incumbent.objective,
    )
