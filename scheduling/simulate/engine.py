"""Run a scenario's replications: draw the contacts, run the event loop, count what happened.

The counts of every replication are kept only as running sums and sums of products (per contact type and
period, per type, and for everything together), which is all the confidence intervals need; so a four-week
scenario with a hundred replications holds a few megabytes, not every contact of every replication.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from scheduling.simulate.draws import draw_contacts
from scheduling.simulate.kernel import simulate_replication
from scheduling.simulate.scenario import Scenario, ScenarioError

# The counts kept per cell, in this order.
COUNTS = (
    "offered",
    "served",
    "abandoned",
    "served_within_target",
    "abandoned_after_target",
    "waited",
    "wait",
)
MAX_REPLICATIONS = 100_000
MAX_WORKERS = 4


# Rates as ratios of sums of counts: (result key, numerator counts, denominator counts, bounded to [0, 1]).
RATES = (
    ("service_level", ("served_within_target",), ("served", "abandoned_after_target"), True),
    ("asa_seconds", ("wait",), ("served",), False),
    ("abandon_rate", ("abandoned",), ("offered",), True),
    ("p_wait", ("waited",), ("offered",), True),
)
GROUP_TIMES = ("busy", "available")
GROUP_RATES = (("occupancy", ("busy",), ("available",), True),)


@dataclass(frozen=True)
class Moments:
    """Sums over `replications` replications: of each count (`first`, shape (k, cells)), and for each
    rate X/Y of ΣX, ΣY, ΣX², ΣY², ΣXY (`rates`, shape (rates, 5, cells))."""

    replications: int
    first: np.ndarray
    rates: np.ndarray


@dataclass(frozen=True)
class Outcome:
    """A finished simulation: contact counts per type and period (cells type-major, then one per type,
    then the total), and agent time per group (busy, available)."""

    scenario: Scenario
    contacts: Moments
    groups: Moments
    seed: int


@dataclass(frozen=True)
class Layout:
    """The scenario as the flat arrays the event loop reads."""

    type_units: np.ndarray
    type_deferred: np.ndarray
    type_deadline: np.ndarray
    type_answer: np.ndarray
    type_groups_start: np.ndarray
    type_groups: np.ndarray
    group_serves_start: np.ndarray
    group_serves: np.ndarray
    agent_group: np.ndarray
    capacity: int
    change_time: np.ndarray
    change_agent: np.ndarray
    change_on: np.ndarray
    available_seconds: np.ndarray  # per group, within the scenario's periods


def layout(scenario: Scenario) -> Layout:
    capacity = math.lcm(*(t.concurrency for t in scenario.types))
    types = scenario.types
    agent_group: list[int] = []
    times: list[float] = []
    agents: list[int] = []
    ons: list[int] = []
    available = np.zeros(len(scenario.groups))
    horizon = scenario.horizon_seconds
    for g, group in enumerate(scenario.groups):
        for stretches in group.stretches:
            a = len(agent_group)
            agent_group.append(g)
            for start, end in stretches:
                if start >= horizon:
                    continue
                available[g] += min(end, horizon) - start
                times.append(start)
                agents.append(a)
                ons.append(1)
                if end < horizon:  # the agents on at the end stay until every contact has left
                    times.append(end)
                    agents.append(a)
                    ons.append(0)
    change_time = np.array(times, dtype=float)
    change_on = np.array(ons, dtype=np.int64)
    order = np.lexsort((change_on, change_time))
    return Layout(
        type_units=np.array([capacity // t.concurrency for t in types], dtype=np.int64),
        type_deferred=np.array([t.deferred for t in types], dtype=np.bool_),
        type_deadline=np.array([t.deadline_seconds or 0.0 for t in types], dtype=float),
        type_answer=np.array([t.answer_seconds for t in types], dtype=float),
        type_groups_start=np.cumsum([0] + [len(t.groups) for t in types]).astype(np.int64),
        type_groups=np.array([g for t in types for g in t.groups], dtype=np.int64),
        group_serves_start=np.cumsum([0] + [len(g.serves) for g in scenario.groups]).astype(np.int64),
        group_serves=np.array([t for g in scenario.groups for t in g.serves], dtype=np.int64),
        agent_group=np.array(agent_group, dtype=np.int64),
        capacity=capacity,
        change_time=change_time[order],
        change_agent=np.array(agents, dtype=np.int64)[order],
        change_on=change_on[order],
        available_seconds=available,
    )


def run(scenario: Scenario, replications: int = 100, seed: int = 0, workers: int | None = None) -> Outcome:
    """Simulate `replications` independent replications with common random numbers from `seed`.

    Replications run on `workers` threads (default: the machine's cores, at most MAX_WORKERS); the event
    loop releases the interpreter lock, and the result is the same whatever the number of threads."""
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ScenarioError("replications: must be a whole number of at least 1")
    if replications > MAX_REPLICATIONS:
        raise ScenarioError(f"replications: at most {MAX_REPLICATIONS}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ScenarioError("seed: must be a whole number of at least 0")
    plan = layout(scenario)
    n_types, n_periods = len(scenario.types), scenario.periods
    cells = n_types * n_periods + n_types + 1
    contacts = _Accumulator(COUNTS, RATES, cells)
    groups = _Accumulator(GROUP_TIMES, GROUP_RATES, len(scenario.groups))

    def one(replication: int) -> tuple[np.ndarray, np.ndarray]:
        drawn = draw_contacts(scenario, seed, replication)
        start, agent_of = _loop(scenario, plan, drawn)
        return _contact_counts(scenario, plan, drawn, start), _group_time(
            scenario, plan, drawn, start, agent_of
        )

    workers = max(
        1, min(workers if workers is not None else (os.cpu_count() or 1), MAX_WORKERS, replications)
    )
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # map yields in replication order, so the sums (and the result) do not depend on the threads
        for contact_counts, group_times in pool.map(one, range(replications)):
            contacts.add(contact_counts)
            groups.add(group_times)
    return Outcome(scenario, contacts.moments(), groups.moments(), seed)


def _contact_counts(scenario: Scenario, plan: Layout, drawn, start: np.ndarray) -> np.ndarray:
    n_types, n_periods = len(scenario.types), scenario.periods
    served = ~np.isnan(start)
    wait = np.where(served, start - drawn.arrival, drawn.gives_up - drawn.arrival)
    answer = plan.type_answer[drawn.kind]
    deferred = plan.type_deferred[drawn.kind]
    finish = np.where(served, start + drawn.handle - drawn.arrival, np.inf)
    within = served & np.where(deferred, finish <= plan.type_deadline[drawn.kind], wait <= answer)
    values = (
        np.ones(drawn.arrival.size),
        served,
        ~served,
        within,
        ~served & (wait > answer),
        ~(served & (wait <= 0.0)),
        np.where(served, wait, 0.0),
    )
    cell = drawn.kind * n_periods + drawn.period
    size = n_types * n_periods
    out = np.empty((len(values), size + n_types + 1))
    for k, value in enumerate(values):
        per_cell = np.bincount(cell, weights=np.asarray(value, dtype=float), minlength=size)
        per_type = per_cell.reshape(n_types, n_periods).sum(axis=1)
        out[k, :size] = per_cell
        out[k, size : size + n_types] = per_type
        out[k, -1] = per_type.sum()
    return out


def _group_time(
    scenario: Scenario, plan: Layout, drawn, start: np.ndarray, agent_of: np.ndarray
) -> np.ndarray:
    """Seconds of handling (weighted by the share of an agent a contact takes) inside the periods, and
    seconds available, per group."""
    served = agent_of >= 0
    begin = start[served]
    end = np.minimum(begin + drawn.handle[served], scenario.horizon_seconds)
    share = plan.type_units[drawn.kind[served]] / plan.capacity
    busy = np.bincount(
        plan.agent_group[agent_of[served]],
        weights=np.clip(end - begin, 0.0, None) * share,
        minlength=len(scenario.groups),
    )
    return np.vstack([busy, plan.available_seconds])


class _Accumulator:
    def __init__(self, names: tuple[str, ...], rates: tuple, cells: int):
        self.n = 0
        self.first = np.zeros((len(names), cells))
        self.rates = np.zeros((len(rates), 5, cells))
        self.numerator = np.zeros((len(rates), len(names)))
        self.denominator = np.zeros((len(rates), len(names)))
        for r, (_, top, bottom, _) in enumerate(rates):
            for name in top:
                self.numerator[r, names.index(name)] = 1.0
            for name in bottom:
                self.denominator[r, names.index(name)] = 1.0

    def add(self, values: np.ndarray) -> None:
        self.n += 1
        self.first += values
        x = self.numerator @ values
        y = self.denominator @ values
        self.rates[:, 0] += x
        self.rates[:, 1] += y
        self.rates[:, 2] += x * x
        self.rates[:, 3] += y * y
        self.rates[:, 4] += x * y

    def moments(self) -> Moments:
        return Moments(self.n, self.first, self.rates)


@dataclass(frozen=True)
class Trace:
    """Every contact of one replication: when it came, its type, when it was answered (NaN: never), by
    which agent (-1: nobody), how long it was handled and when it would have hung up (inf: never)."""

    arrival: np.ndarray
    kind: np.ndarray
    start: np.ndarray
    agent: np.ndarray
    handle: np.ndarray
    gives_up: np.ndarray

    @property
    def wait(self) -> np.ndarray:
        return self.start - self.arrival


def trace(scenario: Scenario, seed: int = 0, replication: int = 0) -> Trace:
    """One replication contact by contact (for tests and for checking a replay by hand)."""
    plan = layout(scenario)
    drawn = draw_contacts(scenario, seed, replication)
    start, agent_of = _loop(scenario, plan, drawn)
    return Trace(drawn.arrival, drawn.kind, start, agent_of, drawn.handle, drawn.gives_up)


def _loop(scenario: Scenario, plan: Layout, drawn) -> tuple[np.ndarray, np.ndarray]:
    return simulate_replication(
        drawn.arrival,
        drawn.kind,
        drawn.handle,
        drawn.gives_up,
        plan.type_units,
        plan.type_deferred,
        plan.type_deadline,
        plan.type_groups_start,
        plan.type_groups,
        plan.group_serves_start,
        plan.group_serves,
        plan.agent_group,
        plan.capacity,
        plan.change_time,
        plan.change_agent,
        plan.change_on,
        scenario.policy == "longest_waiting",
    )
