"""What a roster solve carries from phase to phase: the bound, the proof test, and the solve log.

The incumbent itself is `search.SearchState` (the search's own state: values, objective, history, per
kind statistics). The bound only ever rises, rounded up when every cost is whole; the proof test ("the
incumbent is optimal: the gap is closed") is `gap_closed`, the one place it is written. The log is typed
while the solve runs and becomes the plain dict of `RosterResult.log` only at the end (`SolveLog.as_dict`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


def tolerance(integral: bool) -> float:
    """How close an objective must come to the bound to be proven optimal: under 1 when every cost is
    whole (the objective is then a whole number too), a hair otherwise."""
    return 1 - 1e-6 if integral else 1e-6


def gap_closed(objective: float | None, bound: float | None, integral: bool) -> bool:
    """Whether `objective` is proven optimal by `bound`: the proof test of every phase."""
    return objective is not None and bound is not None and objective - bound < tolerance(integral)


def round_up(value: float | None, integral: bool) -> float | None:
    """A bound rounded up to the next whole number when every cost is whole (still a valid bound)."""
    if value is None:
        return None
    return float(math.ceil(value - 1e-6)) if integral else value


@dataclass
class Bound:
    """The best lower bound on the objective found so far; None until some phase proves one."""

    integral: bool
    value: float | None = None

    def raise_to(self, found: float | None) -> None:
        """Keep `found` (rounded up) when it is higher than the bound so far."""
        found = round_up(found, self.integral)
        if found is not None:
            self.value = found if self.value is None else max(self.value, found)

    def closes(self, objective: float | None) -> bool:
        return gap_closed(objective, self.value, self.integral)


def kind_stats(stats: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """A search's per-kind [tries, improvements, seconds] as the log shows them."""
    return {kind: {"tries": t, "improved": i, "seconds": round(s, 1)} for kind, (t, i, s) in stats.items()}


@dataclass
class SolveLog:
    """Why a solve ended where it did: each phase's figures, turned into `RosterResult.log` at the end."""

    lp_bound: float | None = None
    construction: float | None = None
    construction_seconds: float | None = None
    rows: dict[str, Any] | None = None  # the construction by rows and its sweeps (see `rows`), or why not
    columns: dict[str, Any] | str | None = None  # column generation's figures, or why it was left out
    lns: dict[str, dict[str, float]] | None = None  # neighbourhood kind -> tries, improved, seconds
    lns_objective: float | None = None
    final_status: str | None = None  # how the solve ended (whole model, search to the end, ...)
    branching: dict[str, Any] | None = None  # branch and price in neighbourhoods, when it ran
    helper: dict[str, Any] | None = None  # the helper process's last word
    history: list[tuple[float, float]] | None = None  # (seconds, objective) of every improvement
    # Each phase in the order run: its name, seconds, and the roster's objective after it (the
    # construction's is the first), to see where a solve's time went and what each phase gained.
    phases: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "lp_bound": self.lp_bound,
            "construction": self.construction,
            "construction_seconds": self.construction_seconds,
        }
        optional = (
            ("rows", self.rows),
            ("columns", self.columns),
            ("lns", self.lns),
            ("lns_objective", self.lns_objective),
            ("final_status", self.final_status),
            ("branching", self.branching),
            ("helper", self.helper),
            ("history", self.history),
            ("phases", self.phases or None),
        )
        out.update((key, value) for key, value in optional if value is not None)
        return out


@dataclass
class BranchingRecord:
    """Branch and price in neighbourhoods (`branch.improve_by_branching`): what it did, or why not."""

    tries: int = 0
    improved: int = 0
    nodes: int = 0
    skipped: str | None = None  # why it did not run (column generation cannot serve here)
    bound: float | None = None  # the root's, once column generation has converged
    history: list[tuple[float, float]] = field(default_factory=list)  # (seconds, objective)
    seconds: float | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"tries": self.tries, "improved": self.improved, "nodes": self.nodes}
        if self.skipped is not None:
            out["skipped"] = self.skipped
            return out
        out["bound"] = self.bound
        if self.history:
            out["history"] = list(self.history)
        if self.seconds is not None:
            out["seconds"] = self.seconds
        return out
