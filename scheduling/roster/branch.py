"""Branch and price: the best roster of a neighbourhood, searched (and often proven) over whole rows.

Column generation (see `columns.py`) gives a bound far tighter than the integer model's relaxation, but
its master is fractional. Branch and price searches the integer rosters under it: each node prices its
master to convergence under the node's restrictions, is pruned once its Lagrangian bound says it cannot
beat the incumbent, and otherwise branches, in this order, on
- a shared column the master holds fractionally (a cover slack: "at most 2 short on night 12" / "at least 3"),
- an employee's time worked in total (on the benchmark, shifts: "at most 17" / "at least 18"), which the
  pricing keeps as a resource,
- a cell: one (employee, day) choice, a shift or the day off, forced or forbidden.
Nodes are taken best bound first, each followed by a plunge into its likelier child, so rosters come early.

On its own the tree is too big for the benchmark's hard instances. What works is to search it in
neighbourhoods (`improve_by_branching`): fix a random share of the cells where the incumbent agrees with
the root master (RINS, over the column-generation relaxation) and let branch and price find the best
roster over the rest, with the incumbent as cutoff; that finds rosters the neighbourhood search and the
whole model do not (see bench/roster_notes.md).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
import time
from dataclasses import dataclass, field, replace

import numpy as np

from scheduling import stopping
from scheduling.roster.columns import ColumnGeneration, complete_rows
from scheduling.roster.exchange import Exchange
from scheduling.roster.live import INF, LiveModel
from scheduling.roster.pricing import EmployeeRules
from scheduling.roster.state import BranchingRecord, gap_closed, tolerance

logger = logging.getLogger(__name__)

SURE = 0.99  # a cell the root master gives the incumbent's choice this weight or more "agrees"
FIX_SHARE = 0.7  # of the agreeing cells, this share is fixed in each neighbourhood, drawn at random
SUB_SECONDS = 40.0  # at most, for one neighbourhood's branch and price
FRACTIONAL = 1e-6


@dataclass
class Node:
    bound: float
    depth: int
    forbid: np.ndarray  # bool [employee, day, choice]: choices ruled out (last choice: the day off)
    shared: dict[int, tuple[float, float]] = field(default_factory=dict)  # shared column -> bounds
    totals: dict[int, tuple[int, int]] = field(default_factory=dict)  # employee -> total units bounds


@dataclass
class BranchResult:
    objective: float | None  # the best roster found below the cutoff, or None
    rows: list[np.ndarray] | None
    exhausted: bool  # the whole tree was searched: nothing better than `objective` (or the cutoff) exists
    nodes: int
    bound: float  # the least bound among the nodes left open (the cutoff when exhausted)


class BranchAndPrice:
    """Branch and price over a converged (or at least started) `ColumnGeneration`; it adds rows to the
    generation's pool and leaves its master's bounds as the last node set them until `release`."""

    def __init__(self, generation: ColumnGeneration) -> None:
        self.generation = generation
        self.live: LiveModel = generation.live
        self.n, self.horizon, self.n_shifts = generation.n, generation.horizon, generation.n_shifts
        shared = generation.shared
        self.shared_lower = np.array(self.live.col_lower[shared])
        self.shared_upper = np.array(self.live.col_upper[shared])
        self.shared_cost = np.array(self.live.cost[shared])
        self.closed = tolerance(self.live.integral)  # a node this close to the cutoff is pruned
        self.nodes = 0
        self.incomplete = False  # a node was dropped unsearched (its pricing outgrew the label limit)
        self._rows = np.zeros((0, self.horizon), dtype=np.int64)  # the pool's rows, owners and totals
        self._owners = np.zeros(0, dtype=np.int64)
        self._totals = np.zeros(0, dtype=np.int64)
        self.rules: list[EmployeeRules] = list(generation.rules)

    # --- the pool as arrays ------------------------------------------------------------------------
    def _sync(self) -> int:
        """Bring the row arrays up to the pool; returns the index of the first new row."""
        pool = self.generation.pool
        start = len(self._owners)
        if len(pool.rows) > start:
            new = np.array(pool.rows[start:], dtype=np.int64)
            owners = np.array(pool.employee[start:], dtype=np.int64)
            units = [self.generation.rules[e].units for e in owners.tolist()]
            totals = np.array([u[r[r >= 0]].sum() for u, r in zip(units, new, strict=True)], dtype=np.int64)
            self._rows = np.vstack([self._rows, new])
            self._owners = np.concatenate([self._owners, owners])
            self._totals = np.concatenate([self._totals, totals])
        return start

    # --- a node ------------------------------------------------------------------------------------------
    def _apply(self, node: Node) -> None:
        """The node's restrictions: shared column bounds in the master, rules in the pricing, and every
        pool row that breaks them out of the master."""
        lower, upper = self.shared_lower.copy(), self.shared_upper.copy()
        for j, (low, high) in node.shared.items():
            lower[j], upper[j] = max(lower[j], low), min(upper[j], high)
        master = self.generation.master
        master.changeColsBounds(len(lower), np.arange(len(lower), dtype=np.int32), lower, upper)
        for e in range(self.n):
            base = self.generation.rules[e]
            rules = base
            if node.forbid[e].any():
                rules = replace(
                    rules,
                    allowed=base.allowed & ~node.forbid[e, :, : self.n_shifts],
                    off_ok=base.off_ok & ~node.forbid[e, :, self.n_shifts],
                )
            if e in node.totals:
                low, high = node.totals[e]
                rules = replace(
                    rules, total_low=max(rules.total_low, low), total_high=min(rules.total_high, high)
                )
            self.rules[e] = rules
        self._bound_rows(node, 0)

    def _bound_rows(self, node: Node, start: int) -> None:
        self._sync()
        rows, owners = self._rows[start:], self._owners[start:]
        if not len(rows):
            return
        days = np.arange(self.horizon)
        chosen = np.where(rows < 0, self.n_shifts, rows)
        bad = np.asarray(node.forbid[owners[:, None], days[None, :], chosen].any(axis=1))
        for e, (low, high) in node.totals.items():
            mine = owners == e
            totals = self._totals[start:][mine]
            bad[mine] |= (totals < low) | (totals > high)
        first = self.generation.first + start
        index = np.arange(first, first + len(rows), dtype=np.int32)
        self.generation.master.changeColsBounds(
            len(index), index, np.zeros(len(index)), np.where(bad, 0.0, INF)
        )

    def _price(self, node: Node, cutoff: float, deadline: float) -> np.ndarray | None:
        """Price the node to convergence: the master's solution, or None when the node is pruned (its
        bound reaches the cutoff, no roster keeps its restrictions) or the deadline passes."""
        generation = self.generation
        self.nodes += 1
        while True:
            if time.perf_counter() > deadline:
                return None
            before = len(generation.pool.rows)
            added, bound = generation.price_round(deadline, 0, rules=self.rules)
            if added is None:
                return None
            if bound is None:  # the labels outgrew their limit (or the deadline came): not searched
                self.incomplete = True
                return None
            node.bound = max(node.bound, bound)
            if node.bound > cutoff - self.closed:
                return None
            if added == 0:
                break
            self._bound_rows(node, before)
        solution = np.array(generation.master.getSolution().col_value)
        if solution[len(generation.shared) : generation.first].sum() > FRACTIONAL:
            return None  # the master needs an artificial column: no roster keeps this node's restrictions
        return solution

    def _branch(self, node: Node, solution: np.ndarray) -> list[Node] | None:
        """The node's two children, the likelier first; None when the master's solution is integral."""
        return (
            self._branch_on_slack(node, solution)
            or self._branch_on_total(node, solution)
            or self._branch_on_cell(node)
        )

    def _branch_on_slack(self, node: Node, solution: np.ndarray) -> list[Node] | None:
        """On the costliest shared column (a cover slack) the master holds fractionally."""
        shared = solution[: len(self.generation.shared)]
        gap = np.abs(shared - np.round(shared))
        candidates = np.flatnonzero(gap > FRACTIONAL)
        if not len(candidates):
            return None
        j = int(candidates[np.argmax(gap[candidates] * (1 + np.abs(self.shared_cost[candidates])))])
        v = float(shared[j])
        deeper = node.depth + 1
        down = replace(node, depth=deeper, shared={**node.shared, j: (self.shared_lower[j], np.floor(v))})
        up = replace(node, depth=deeper, shared={**node.shared, j: (np.ceil(v), self.shared_upper[j])})
        return [down, up] if v - np.floor(v) < 0.5 else [up, down]

    def _branch_on_total(self, node: Node, solution: np.ndarray) -> list[Node] | None:
        """On the employee whose time worked in total is most fractional."""
        generation = self.generation
        weights = solution[generation.first :]
        self._sync()
        active = np.flatnonzero(weights > 1e-9)
        totals = np.zeros(self.n)
        np.add.at(totals, self._owners[active], weights[active] * self._totals[active])
        gap = np.abs(totals - np.round(totals))
        tracked = np.array([r.total_cap > 0 for r in generation.rules])
        candidates = np.flatnonzero((gap > FRACTIONAL) & tracked)
        if not len(candidates):
            return None
        e = int(candidates[np.argmax(gap[candidates])])
        v = float(totals[e])
        low, high = node.totals.get(e, (0, 1 << 30))
        deeper = node.depth + 1
        down = replace(node, depth=deeper, totals={**node.totals, e: (low, int(np.floor(v)))})
        up = replace(node, depth=deeper, totals={**node.totals, e: (int(np.ceil(v)), high)})
        return [down, up] if v - np.floor(v) < 0.5 else [up, down]

    def _branch_on_cell(self, node: Node) -> list[Node] | None:
        """On the (employee, day) choice the master is least sure of: forced, or ruled out."""
        share = self.generation.shares()
        gap = np.minimum(share, 1 - share)
        if gap.max() <= FRACTIONAL:
            return None
        e, d, c = (int(i) for i in np.unravel_index(int(np.argmax(gap)), gap.shape))
        forced = node.forbid.copy()
        forced[e, d, :] = True
        forced[e, d, c] = False
        ruled_out = node.forbid.copy()
        ruled_out[e, d, c] = True
        one = replace(node, depth=node.depth + 1, forbid=forced)
        zero = replace(node, depth=node.depth + 1, forbid=ruled_out)
        return [one, zero] if share[e, d, c] >= 0.5 else [zero, one]

    # --- the search --------------------------------------------------------------------------------------
    def search(
        self, cutoff: float, deadline: float, forbid: np.ndarray | None = None, bound: float = -INF
    ) -> BranchResult:
        """The best roster below `cutoff` keeping `forbid` (bool [employee, day, choice], choices ruled
        out), best bound first with a plunge after each node; stops at `deadline`."""
        root = Node(
            bound,
            0,
            np.zeros((self.n, self.horizon, self.n_shifts + 1), dtype=bool) if forbid is None else forbid,
        )
        order = itertools.count()
        heap: list[tuple[float, int, Node]] = [(root.bound, next(order), root)]
        best: tuple[float, list[np.ndarray]] | None = None
        started_nodes = self.nodes
        self.incomplete = False
        while heap and time.perf_counter() < deadline:
            _, _, node = heapq.heappop(heap)
            plunge: Node | None = node
            while (
                plunge is not None and plunge.bound <= cutoff - self.closed and time.perf_counter() < deadline
            ):
                self._apply(plunge)
                solution = self._price(plunge, cutoff, deadline)
                if solution is None:
                    break
                rows = self.generation.integral_rows()
                if rows is not None:
                    value = self.generation.master.getInfo().objective_function_value + self.live.form.offset
                    value = float(round(value)) if self.live.integral else value
                    if value < cutoff - 1e-9:
                        best, cutoff = (value, [r.copy() for r in rows]), value
                    break
                children = self._branch(plunge, solution)
                if children is None:
                    break
                for later in children[1:]:
                    heapq.heappush(heap, (later.bound, next(order), later))
                plunge = children[0]
            heap = [item for item in heap if item[2].bound <= cutoff - self.closed]
            heapq.heapify(heap)
        exhausted = not heap and not self.incomplete and time.perf_counter() < deadline
        left = min((item[0] for item in heap), default=cutoff)
        return BranchResult(
            None if best is None else best[0],
            None if best is None else best[1],
            exhausted,
            self.nodes - started_nodes,
            left,
        )

    def release(self) -> None:
        """The master as column generation left it: shared bounds and every pool row back."""
        self._apply(Node(-INF, 0, np.zeros((self.n, self.horizon, self.n_shifts + 1), dtype=bool)))
        self.rules = list(self.generation.rules)


def improve_by_branching(
    live: LiveModel,
    values: np.ndarray,
    objective: float,
    deadline: float,
    seed: int = 0,
    bound: float | None = None,
    exchange: Exchange | None = None,
    generation: ColumnGeneration | None = None,
) -> tuple[np.ndarray, float, BranchingRecord]:
    """Neighbourhoods solved by branch and price until `deadline` or the bound: each fixes a random
    `FIX_SHARE` of the cells where the roster `values` agrees with the root master and searches the rest
    for a better roster. Returns the best (values, objective), never worse than the one given, and a
    record of the work (`skipped` with the reason when column generation cannot serve here). `generation`
    is the column generation already run, if any (converged, it saves pricing it all again, and its pool
    holds the dives' rows). With an `exchange`, the other search's better rosters are adopted between
    neighbourhoods and this one's are offered to it."""
    started = time.perf_counter()
    record = BranchingRecord()
    generation = generation if generation is not None else ColumnGeneration(live, live.threads)
    if not generation.supported:
        record.skipped = "pricing too slow for this model" if generation.too_big else "not supported"
    else:
        generation.add_values(values)
        if not generation.converged:
            generation.run(deadline)
        if not generation.converged:
            record.skipped = "column generation did not converge in time"
    if record.skipped is not None:
        logger.info("Branch and price skipped: %s.", record.skipped)
        return values, objective, record
    record.bound = generation.bound  # the root's, now that it has converged
    rng = random.Random(seed)
    generation.lp_time_limit(max(0.1, deadline - time.perf_counter()))
    stopping.run(generation.master)
    root = generation.shares()
    branching = BranchAndPrice(generation)
    search = _NeighbourhoodBranching(live, branching, root, rng, record, started)
    try:
        values, objective = search.run(values, objective, deadline, bound, exchange)
    finally:
        branching.release()
    record.seconds = round(time.perf_counter() - started, 1)
    logger.info(
        "Branch and price: %d neighbourhoods, %d better rosters, %d nodes, roster %g.",
        record.tries,
        record.improved,
        record.nodes,
        objective,
    )
    return values, objective, record


class _NeighbourhoodBranching:
    """The loop of `improve_by_branching` over a converged generation."""

    def __init__(
        self,
        live: LiveModel,
        branching: BranchAndPrice,
        root: np.ndarray,
        rng: random.Random,
        record: BranchingRecord,
        started: float,
    ) -> None:
        self.live, self.branching, self.generation = live, branching, branching.generation
        self.root, self.rng, self.record, self.started = root, rng, record, started

    def run(
        self,
        values: np.ndarray,
        objective: float,
        deadline: float,
        bound: float | None,
        exchange: Exchange | None,
    ) -> tuple[np.ndarray, float]:
        live, generation, record, branching = self.live, self.generation, self.record, self.branching
        rows = generation.rows_of(values)
        while time.perf_counter() < deadline and not gap_closed(objective, bound, live.integral):
            got = exchange.take() if exchange is not None else None
            if exchange is not None and exchange.stopped:
                break
            if got is not None and got[0] < objective - 1e-9:
                values, objective = live.clean(got[1]), got[0]
                rows = generation.rows_of(values)
                generation.add_values(values)
                continue
            record.tries += 1
            forbid = self._forbid(rows)
            found = branching.search(objective, min(deadline, time.perf_counter() + SUB_SECONDS), forbid)
            record.nodes += found.nodes
            if found.rows is None:
                continue
            completed = complete_rows(live, generation, found.rows)
            if completed is not None and completed[1] < objective - 1e-9:
                values, objective = completed
                rows = [r.copy() for r in found.rows]
                record.improved += 1
                if exchange is not None:
                    exchange.offer(objective, values)
                record.history.append((round(time.perf_counter() - self.started, 1), objective))
        return values, objective

    def _forbid(self, rows: list[np.ndarray]) -> np.ndarray:
        """A neighbourhood: a random `FIX_SHARE` of the cells where `rows` agree with the root master
        fixed to their choice (every other choice of theirs forbidden)."""
        chosen = np.stack([np.where(r < 0, self.generation.n_shifts, r) for r in rows])
        root = self.root
        agree = np.take_along_axis(root, chosen[:, :, None], axis=2)[:, :, 0] >= SURE
        fix = agree & (np.random.default_rng(self.rng.randrange(2**31)).random(agree.shape) < FIX_SHARE)
        forbid = np.zeros(root.shape, dtype=bool)
        employees, days = np.nonzero(fix)
        forbid[employees, days, :] = True
        forbid[employees, days, chosen[employees, days]] = False
        return forbid
