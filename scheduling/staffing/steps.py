"""Back-office work done in steps by different people: entry, then review by another agent (four-eyes).

A work item passes its steps in order; each step has its own handle time and its own skill, so each step
is a requirement of its own (a queue of its own in the shift plan, served by the agents with that skill).
An item finished by one step in an interval is handed to the next step in the following open interval.
The item's deadline is shared among the steps: the hand-overs take one interval each, and what remains
is split by each step's `deadline_share` (by default in proportion to the steps' handle times). Each step
is then planned by `plan_backoffice`: the smallest peak that finishes its work within its part of the
deadline, so an item meeting every step's deadline meets the item's. One exception: an item finished by
a step in the last open interval of a day reaches the next step when the centre opens again, and that
step's part of the deadline runs from then (closed time is not worked).

The four-eyes rule (`other_agent`: the step must be done by someone other than the one who did the step
before) is kept in the plan by counting the steps apart: each step is its own queue, and an agent counts
once per interval, so the entry work and the review work of one interval are never the same agent's
time. Which items a reviewer takes (never their own entries) is the routing's part, not the plan's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduling.staffing.backoffice import BackOfficePlan, plan_backoffice


@dataclass(frozen=True)
class WorkStep:
    """One step of a work item: its name, handle time per item, the skill (and level) it needs."""

    name: str
    handle_seconds: float
    skill: str
    min_proficiency: int = 1
    other_agent: bool = False  # four-eyes: not the agent who did the step before
    deadline_share: float | None = None  # share of the item's deadline (after hand-overs) for this step

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("steps: field 'name': every step needs a name")
        if not np.isfinite(self.handle_seconds) or self.handle_seconds <= 0:
            raise ValueError(f"steps[{self.name}]: field 'handle_seconds': must be a number > 0")
        if not 1 <= self.min_proficiency <= 5:
            raise ValueError(f"steps[{self.name}]: field 'min_proficiency': must be from 1 to 5")
        if self.deadline_share is not None and not 0 < self.deadline_share <= 1:
            raise ValueError(f"steps[{self.name}]: field 'deadline_share': must be above 0 and at most 1")


@dataclass(frozen=True)
class StepPlan:
    """The plan of one step: the items reaching it per interval, its part of the deadline, its agents."""

    step: WorkStep
    items: np.ndarray
    deadline_hours: float
    plan: BackOfficePlan


def step_deadlines(steps: list[WorkStep], deadline_hours: float, interval_seconds: float) -> list[float]:
    """Each step's deadline: the item's, less one interval per hand-over, shared among the steps."""
    handovers = (len(steps) - 1) * interval_seconds / 3600.0
    left = deadline_hours - handovers
    if left <= 0:
        raise ValueError(
            f"deadline_hours: {deadline_hours:g} hours leave no time for {len(steps)} steps "
            f"handed over one interval apart"
        )
    given = [s.deadline_share for s in steps]
    if all(g is not None for g in given):
        shares = np.array(given, dtype=float)
    elif any(g is not None for g in given):
        raise ValueError("steps: field 'deadline_share': give it for every step or for none")
    else:
        shares = np.array([s.handle_seconds for s in steps], dtype=float)
    if shares.sum() > 1 + 1e-9 and all(g is not None for g in given):
        raise ValueError("steps: field 'deadline_share': the shares add up to more than 1")
    if not all(g is not None for g in given):
        shares = shares / shares.sum()
    return [float(left * share) for share in shares]


def plan_steps(
    starts: np.ndarray,
    items: np.ndarray,
    steps: list[WorkStep],
    *,
    interval_seconds: float,
    deadline_hours: float,
    max_occupancy: float | None = None,
    opening_backlog_items: dict[str, float] | None = None,
) -> list[StepPlan]:
    """Plan every step of the work arriving as `items` per open interval (see the module docstring).

    `opening_backlog_items`: items already waiting at a step (by step name) when the first interval opens.
    """
    if not steps:
        raise ValueError("steps: at least one step is needed")
    names = [s.name for s in steps]
    if len(set(names)) != len(names):
        raise ValueError("steps: field 'name': step names must be unique")
    backlog = dict(opening_backlog_items or {})
    unknown = set(backlog) - set(names)
    if unknown:
        raise ValueError(f"opening_backlog_items: no step named {sorted(unknown)[0]!r}")
    arriving = np.asarray(items, dtype=float)
    if np.any(~np.isfinite(arriving)) or np.any(arriving < 0):
        raise ValueError("items: must be finite and >= 0")
    plans = []
    for step, deadline in zip(steps, step_deadlines(steps, deadline_hours, interval_seconds), strict=True):
        plan = plan_backoffice(
            starts,
            arriving * step.handle_seconds,
            interval_seconds=interval_seconds,
            deadline_hours=deadline,
            max_occupancy=max_occupancy,
            opening_backlog_seconds=backlog.get(step.name, 0.0) * step.handle_seconds,
        )
        plans.append(StepPlan(step, arriving, deadline, plan))
        finished = plan.done_seconds / step.handle_seconds
        arriving = handed_over(finished)
    return plans


def handed_over(finished: np.ndarray) -> np.ndarray:
    """Items finished in each open interval reach the next step in the next open interval (those finished
    in the last interval given reach it in that interval: nothing later is known)."""
    moved = np.zeros_like(finished)
    if finished.size:
        moved[1:] = finished[:-1]
        moved[-1] += finished[-1]
    return moved
