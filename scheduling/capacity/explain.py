"""Why a month is short when the plan cannot cover it, in a code with its figures and in a plain sentence.

The reasons, checked in this order for a group's month m:
- `no_hiring`: no class is hired into the group (people only arrive by moves, if at all);
- `too_soon`: every class into the group would still be in training in month m, even one started now;
- `capped`: every class that could produce in month m (started from the plan's first month up to
  m - training_months) is already at its most (class_max × max_classes_per_month);
- `costlier`: a larger class was possible, but its salaries and hiring cost over the months it stays
  are more than the shortfall penalty it would save.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from scheduling.capacity import dynamics
from scheduling.capacity.scenario import Scenario, month_name
from scheduling.text import Sentence


class _GroupMonth(Protocol):
    """What the explanation reads of a plan's row (`plan.MonthFigures`)."""

    @property
    def month(self) -> str: ...
    @property
    def group(self) -> str: ...
    @property
    def short_fte(self) -> float: ...


REPORTED = 0.05  # FTE; smaller shortfalls are not worth a sentence (the CSV still shows them)


@dataclass(frozen=True)
class Shortfall:
    """FTE short in a group's month and why (`reason` is a code; `sentence` words it)."""

    month: str
    group: str
    short_fte: float
    reason: str
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "month": self.month,
            "group": self.group,
            "short_fte": round(self.short_fte, 2),
            "reason": self.reason,
            "details": self.details,
            "message": str(sentence(self)),
        }


def shortfalls(scenario: Scenario, figures: Sequence[_GroupMonth], hires: np.ndarray) -> list[Shortfall]:
    found = []
    for index, row in enumerate(figures):
        if row.short_fte < REPORTED:
            continue
        month = index // len(scenario.groups)
        reason, details = _reason(scenario, row.group, month, hires)
        found.append(Shortfall(row.month, row.group, row.short_fte, reason, details))
    return found


def _reason(scenario: Scenario, group: str, month: int, hires: np.ndarray) -> tuple[str, dict]:
    pipelines = [(p, h) for p, h in enumerate(scenario.hiring) if h.into == group]
    if not pipelines or all(h.max_classes_per_month == 0 for _, h in pipelines):
        return "no_hiring", {}
    soonest = min(h.training_months for _, h in pipelines)
    if soonest > month:
        return "too_soon", {
            "first_start": scenario.month_label(0),
            "first_output": scenario.month_label(soonest),
        }
    useful = [(p, h, start) for p, h in pipelines for start in range(0, month - h.training_months + 1)]
    at_cap = all(
        hires[dynamics.hire_index(scenario, p, start)] >= h.class_max * h.max_classes_per_month - 1e-9
        for p, h, start in useful
    )
    cap = max(h.class_max * h.max_classes_per_month for _, h, _ in useful)
    if at_cap:
        last = max(start for _, _, start in useful)
        return "capped", {
            "first_start": scenario.month_label(0),
            "last_start": scenario.month_label(last),
            "cap": cap,
        }
    return "costlier", {"penalty": scenario.shortfall_cost_per_fte_month}


def sentence(shortfall: Shortfall, month_words: Callable[[str], str] = month_name) -> Sentence:
    """The shortfall in a plain sentence, for example
    "March 2027: Service L1 is 3.2 FTE short: the earliest class that could help starts training in
    January 2027 and is capped at 12." (`month_words` writes a month, '2027-03' -> 'March 2027'; the web
    layer gives one in the reader's language)."""
    d = shortfall.details
    head = {
        "month": month_words(shortfall.month),
        "group": shortfall.group,
        "short": f"{shortfall.short_fte:.1f}",
    }
    if shortfall.reason == "no_hiring":
        return Sentence(
            "%(month)s: %(group)s is %(short)s FTE short: no class is hired into this group, "
            "and the moves into it do not cover it.",
            **head,
        )
    if shortfall.reason == "too_soon":
        return Sentence(
            "%(month)s: %(group)s is %(short)s FTE short: the earliest class that could help starts training "
            "in %(first_start)s and produces nothing before %(first_output)s.",
            **head,
            first_start=month_words(d["first_start"]),
            first_output=month_words(d["first_output"]),
        )
    if shortfall.reason == "capped":
        if d["first_start"] == d["last_start"]:
            return Sentence(
                "%(month)s: %(group)s is %(short)s FTE short: the earliest class that could help starts "
                "training in %(first_start)s and is capped at %(cap)s.",
                **head,
                first_start=month_words(d["first_start"]),
                cap=d["cap"],
            )
        return Sentence(
            "%(month)s: %(group)s is %(short)s FTE short: every class that could help, starting from "
            "%(first_start)s to %(last_start)s, is already at its cap of %(cap)s a month.",
            **head,
            first_start=month_words(d["first_start"]),
            last_start=month_words(d["last_start"]),
            cap=d["cap"],
        )
    return Sentence(
        "%(month)s: %(group)s is %(short)s FTE short: a larger class would cost more over the months it "
        "stays than the shortfall penalty of %(penalty)s per FTE-month it saves.",
        **head,
        penalty=f"{d['penalty']:,.0f}",
    )
