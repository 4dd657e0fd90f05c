"""The centre as the bank's talent pool: a person who moves to another bank department is a placement, not
a loss. Leaving and moving are different events; the applications to internal vacancies follow a workflow
with a log; the agents eligible for a vacancy (or one requirement short) are found with the career
ladders' own eligibility.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from scheduling.text import Sentence
from training.catalogue import Catalogue
from training.eligibility import Eligibility, eligibility
from training.records import AgentRecord
from training.workflow import ANYONE, STAFF, Workflow

# Why a person left the bank, in the words HR reads (code -> words). "other" needs a text.
LEAVING_REASONS = {
    "pay": Sentence("Pay"),
    "prospects": Sentence("Career prospects"),
    "shift_pattern": Sentence("Shift pattern"),
    "studies": Sentence("Studies"),
    "relocation": Sentence("Relocation"),
    "dismissal": Sentence("Dismissal"),
    "other": Sentence("Other"),
}

# Where in the bank an agent may be placed (code -> words).
DEPARTMENTS = {
    "branch_network": Sentence("Branch network"),
    "wealth_management": Sentence("Wealth management"),
    "risk": Sentence("Risk and compliance"),
    "it": Sentence("IT"),
    "operations": Sentence("Operations and processing"),
    "remote_service": Sentence("Remote service"),
    "other": Sentence("Another department"),
}

MOVED = "moved"
LEFT = "left"


@dataclass(frozen=True)
class Exit:
    """One end of employment in the centre: `kind` is LEFT (lost to the bank) or MOVED (placed in it)."""

    agent_id: str
    on: dt.date
    kind: str
    reason: str | None = None  # a LEAVING_REASONS code, for LEFT
    voluntary: bool | None = None
    regretted: bool | None = None
    department: str | None = None  # a DEPARTMENTS code, for MOVED
    role: str = ""
    level_reached: int = 0

    def __post_init__(self) -> None:
        if self.kind not in (LEFT, MOVED):
            raise ValueError(f"kind: {self.kind!r} is neither {LEFT!r} nor {MOVED!r}")
        if self.kind == LEFT and self.reason not in LEAVING_REASONS:
            raise ValueError(f"reason: {self.reason!r} is not a leaving reason")
        if self.kind == MOVED and self.department not in DEPARTMENTS:
            raise ValueError(f"department: {self.department!r} is not a department")


def placements_in(exits: Iterable[Exit], start: dt.date, end: dt.date) -> int:
    """Internal moves whose day falls in [start, end]."""
    return sum(1 for e in exits if e.kind == MOVED and start <= e.on <= end)


def placements_per_year(exits: Iterable[Exit], years: Iterable[int]) -> dict[int, int]:
    """Calendar year -> internal moves that year (every year asked for appears, even with none)."""
    counts = {year: 0 for year in years}
    for e in exits:
        if e.kind == MOVED and e.on.year in counts:
            counts[e.on.year] += 1
    return counts


# --- applications to internal vacancies --------------------------------------------------------------------

APPLICANT = frozenset({"agent"})

APPLICATION = Workflow(
    name="application",
    transitions={
        (None, "applied"): ANYONE,  # an agent for themselves, or HR on their behalf
        ("applied", "shortlisted"): STAFF,
        ("applied", "not taken"): STAFF,
        ("shortlisted", "offered"): STAFF,
        ("shortlisted", "not taken"): STAFF,
        ("offered", "accepted"): APPLICANT,
        ("offered", "declined"): APPLICANT,
        ("applied", "withdrawn"): APPLICANT,
        ("shortlisted", "withdrawn"): APPLICANT,
        ("offered", "withdrawn"): APPLICANT,
    },
    needs_note=frozenset({"not taken"}),
)

OPEN_STATES = frozenset({"applied", "shortlisted", "offered"})


@dataclass(frozen=True)
class Candidate:
    agent_id: str
    eligibility: Eligibility

    @property
    def missing(self) -> list[str]:
        return [c.detail for c in self.eligibility.missing]


def candidates(
    records: Iterable[AgentRecord], field: str, level: int, on: dt.date, cat: Catalogue
) -> tuple[list[Candidate], list[Candidate]]:
    """(eligible, nearly eligible): employed agents meeting every requirement of the rung, and those
    missing exactly one. Agents already at or above the rung are left out (it would be no step up)."""
    rung = cat.level(field, level)
    eligible, nearly = [], []
    for record in records:
        if not record.employed_on(on) or record.level_on(field, on) >= level:
            continue
        result = eligibility(record, rung, on, cat)
        if result.eligible:
            eligible.append(Candidate(record.agent_id, result))
        elif len(result.missing) == 1:
            nearly.append(Candidate(record.agent_id, result))
    return eligible, nearly
