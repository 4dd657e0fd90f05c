"""Re-optimising a published roster: keep what people were promised unless a change repairs something.

The solver's stability term (`RosterProblem.previous` with `change_weight`) makes change costly, but a
time-limited search may still leave changes that buy only small soft gains (a wish, fairness) or none at
all. `keep_previous` goes over the solver's roster and puts the previous row back, per employee and then
per day, wherever doing so breaks no more hard rules (nor a pinned cell) and leaves the roster no shorter
of its cover (or short by less than `worth` per cell put back): what remains changed is what repairs a
shortage worth the change, or a hard-rule breach.
"""

from __future__ import annotations

from collections.abc import Mapping

from scheduling.roster.evaluate import staff_violations
from scheduling.roster.model import IntervalCover, Roster, RosterProblem

Row = tuple[str | None, ...]


class _Shortage:
    """The weighted cover shortage of a roster (planned shifts and intervals short), kept up to date as
    rows are swapped in and out."""

    def __init__(self, problem: RosterProblem, roster: Roster):
        self.problem = problem
        self.covering: list[tuple[IntervalCover, tuple]] = [
            (need, problem.covering(need)) for need in problem.interval_cover
        ]
        self.counts: dict[tuple[int, str], int] = {}
        for row in roster.values():
            self._add(row, 1)

    def _add(self, row: Row, sign: int) -> None:
        for day, shift in enumerate(row):
            if shift is not None:
                self.counts[day, shift] = self.counts.get((day, shift), 0) + sign

    def swap(self, old: Row, new: Row) -> None:
        self._add(old, -1)
        self._add(new, 1)

    def total(self) -> float:
        short = 0.0
        for c in self.problem.cover:
            short += max(0, c.requirement - self.counts.get((c.day, c.shift), 0)) * c.under_weight
        for need, cells in self.covering:
            at_work = sum(self.counts.get((d, s), 0) * share for d, s, share in cells)
            short += max(0.0, need.requirement - at_work) * need.under_weight
        return round(short, 6)


def _breaches(problem: RosterProblem, person, row: Row, pins: dict[int, str | None]) -> float:
    broken = sum(v.amount for v in staff_violations(problem, person, row))
    return broken + sum(1 for day, shift in pins.items() if row[day] != shift)


def keep_previous(
    problem: RosterProblem, solved: Roster, previous: Mapping[str, Row], worth: float = 0.0
) -> Roster:
    """`solved` with every change against `previous` (employee -> row) undone that repairs too little: a row,
    else a day, goes back when the employee then breaks no more hard rules and the roster's weighted
    shortage of cover grows by at most `worth` per cell put back (0: not at all). Employees missing from
    `previous` keep their solved rows."""
    rows = {emp: tuple(row) for emp, row in solved.items()}
    shortage = _Shortage(problem, rows)
    current = shortage.total()
    people = {p.id: p for p in problem.staff}
    pins: dict[str, dict[int, str | None]] = {}
    for (emp, day), shift in problem.pinned.items():
        pins.setdefault(emp, {})[day] = shift

    def try_row(emp: str, candidate: Row) -> bool:
        nonlocal current
        person, row = people[emp], rows[emp]
        if _breaches(problem, person, candidate, pins.get(emp, {})) > _breaches(
            problem, person, row, pins.get(emp, {})
        ):
            return False
        shortage.swap(row, candidate)
        after = shortage.total()
        if after > current + worth * sum(1 for a, b in zip(row, candidate, strict=True) if a != b) + 1e-9:
            shortage.swap(candidate, row)
            return False
        rows[emp], current = candidate, after
        return True

    progress = True
    while progress:  # one put back may allow another (a shift handed back frees its taker's row)
        progress = False
        changed = sorted(e for e in rows if e in previous and e in people and rows[e] != tuple(previous[e]))
        for emp in changed:
            progress |= try_row(emp, tuple(previous[emp]))
        for emp in changed:
            for day in range(problem.horizon):
                row = rows[emp]
                if row[day] != previous[emp][day]:
                    progress |= try_row(emp, (*row[:day], previous[emp][day], *row[day + 1 :]))
    return rows
