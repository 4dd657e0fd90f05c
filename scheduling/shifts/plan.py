"""What a covering solve returns: plan rows, coverage per interval, cost and the solver's figures.

All plain data, so the web layer can store it and the command line can write it without knowing the model.
`on_phones_from_rows` recomputes who is on the phones from the rows alone; the engine uses it to build
the coverage it reports, so the coverage always describes the plan as written, not the model's variables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, overload

import numpy as np

from scheduling.shifts.requirement import Requirement
from scheduling.solver import SolveReport


@dataclass(frozen=True)
class BreakTime:
    """One break of the agents on a plan row: `name` from the template, absolute start and end."""

    name: str
    start: datetime
    end: datetime
    paid: bool


@dataclass(frozen=True)
class PlanRow:
    """`agents` agents work `template` from `start` to `end`, all taking the same `breaks`."""

    date: date
    template: str
    start: datetime
    end: datetime
    agents: int
    breaks: tuple[BreakTime, ...] = ()
    queues: frozenset[str] = frozenset()
    skill_group: str = ""  # the skill group whose agents work it ("" when planned without skill groups)


@dataclass(frozen=True)
class IntervalCoverage:
    """Coverage of one interval for one queue ('*' when all queues are pooled)."""

    interval_start: datetime
    queue: str
    required: int
    on_phones: int
    short: int
    over: int


@dataclass(frozen=True)
class ShiftPlan:
    """The answer of `plan_shifts`.

    `cost` is what the shifts cost; `penalty` is the shortfall penalty paid for `unmet_agent_intervals`;
    `objective` (= cost + penalty) is what `report.bound` and `report.gap` refer to.
    """

    rows: list[PlanRow]
    coverage: list[IntervalCoverage]
    cost: float | None
    penalty: float | None
    unmet_agent_intervals: int
    report: SolveReport
    interval_minutes: int
    stats: dict = field(default_factory=dict)

    @property
    def objective(self) -> float | None:
        if self.cost is None:
            return None
        return self.cost + (self.penalty or 0.0)

    @property
    def shortfalls(self) -> list[IntervalCoverage]:
        """The intervals left short, with how many agents are missing."""
        return [c for c in self.coverage if c.short > 0]

    def by_queue(self) -> dict[str, dict[str, int]]:
        """Per queue, over the whole plan, in agent-intervals: required, planned (on the phones for it),
        short and over."""
        totals: dict[str, dict[str, int]] = {}
        for c in self.coverage:
            row = totals.setdefault(c.queue, {"required": 0, "planned": 0, "short": 0, "over": 0})
            row["required"] += c.required
            row["planned"] += c.on_phones
            row["short"] += c.short
            row["over"] += c.over
        return dict(sorted(totals.items()))

    @property
    def total_agents(self) -> int:
        return sum(row.agents for row in self.rows)

    def summary(self) -> dict:
        """The figures `wfm shifts --json` prints."""
        return {
            "status": self.report.status,
            "cost": None if self.objective is None else round(self.objective, 6),
            "bound": None if self.report.bound is None else round(self.report.bound, 6),
            "gap": self.report.gap,
            "unmet_agent_intervals": self.unmet_agent_intervals,
            "seconds": round(self.report.seconds, 3),
        }


def interval_index(requirement: Requirement, moment: datetime) -> int:
    """Index of the interval starting at `moment` on the requirement's grid (may lie outside it)."""
    minutes = (moment - requirement.start).total_seconds() / 60
    return int(minutes // requirement.interval_minutes)


@overload
def on_phones_from_rows(
    rows: Iterable[PlanRow],
    requirement: Requirement,
    cyclic: bool = False,
    *,
    by_group: Literal[False] = False,
) -> np.ndarray: ...


@overload
def on_phones_from_rows(
    rows: Iterable[PlanRow], requirement: Requirement, cyclic: bool = False, *, by_group: Literal[True]
) -> dict[frozenset, np.ndarray]: ...


def on_phones_from_rows(
    rows: Iterable[PlanRow], requirement: Requirement, cyclic: bool = False, *, by_group: bool = False
) -> np.ndarray | dict[frozenset, np.ndarray]:
    """Agents on the phones per interval of the horizon, recomputed from plan rows and their breaks.

    A shift counts in every interval it spans, less the intervals its breaks span. Time after the
    horizon is dropped, or folded onto its start when `cyclic`. With `by_group`, one array per skill
    group (the rows' `queues`).
    """
    n = requirement.n_intervals
    groups: dict[frozenset, np.ndarray] = {}
    for row in rows:
        counts = groups.setdefault(row.queues, np.zeros(n, dtype=np.int64))
        _add_span(counts, requirement, row.start, row.end, row.agents, cyclic)
        for item in row.breaks:
            _add_span(counts, requirement, item.start, item.end, -row.agents, cyclic)
    if by_group:
        return groups
    total = np.zeros(n, dtype=np.int64)
    for counts in groups.values():
        total += counts
    return total


def _add_span(
    counts: np.ndarray, requirement: Requirement, start: datetime, end: datetime, amount: int, cyclic: bool
) -> None:
    first, last = interval_index(requirement, start), interval_index(requirement, end)
    n = len(counts)
    for index in range(first, last):
        if 0 <= index < n:
            counts[index] += amount
        elif cyclic:
            counts[index % n] += amount
