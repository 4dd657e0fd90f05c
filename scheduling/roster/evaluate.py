"""Recompute every hard rule and the objective from a roster, independently of the solver's model.

Conventions that reproduce the published Curtois & Qu values: a block of work (or of days off) that
touches the first or last day of the horizon is exempt from the minimum-length rules; a weekend is days
7w+5 and 7w+6 and counts as worked when either day has a shift; "cannot follow" applies from day d to
d+1 inside the horizon.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scheduling.roster.model import Roster, RosterProblem, ShiftType, Staff
from scheduling.text import Sentence


@dataclass(frozen=True)
class Violation:
    """A broken hard rule: which rule, whose, on which days, and by how much."""

    rule: str
    employee: str
    days: tuple[int, ...]
    amount: int
    detail: str


@dataclass
class Evaluation:
    objective: float  # a whole number unless fractional interval cover or fairness weights say otherwise
    parts: dict[str, float] = field(default_factory=dict)  # objective by soft-rule family
    violations: list[Violation] = field(default_factory=list)
    broken_requests: list[tuple[str, int, str | None, int]] = field(default_factory=list)
    cover_deviations: list[tuple[int, str, int]] = field(
        default_factory=list
    )  # (day, shift, worked - needed)
    # (day, start minute, minutes, at work - needed) per interval of `interval_cover` that is off
    interval_deviations: list[tuple[int, int, int, float]] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.violations


def evaluate(problem: RosterProblem, roster: Roster) -> Evaluation:
    """Score `roster`; missing employees count as all days off, unknown shifts are violations."""
    result = Evaluation(objective=0, parts={"requests": 0, "cover": 0, "fairness": 0, "stability": 0})
    rows = {p.id: tuple(roster.get(p.id, (None,) * problem.horizon)) for p in problem.staff}
    for person in problem.staff:
        result.violations.extend(staff_violations(problem, person, rows[person.id]))
    for (emp, day), shift in problem.pinned.items():
        if rows[emp][day] != shift:
            result.violations.append(
                Violation(
                    "pinned",
                    emp,
                    (day,),
                    1,
                    Sentence("pinned %(shift)s", shift=shift) if shift else Sentence("pinned off"),
                )
            )
    for r in problem.requests:
        worked = rows[r.employee][r.day]
        hit = worked is not None and (r.shift is None or worked == r.shift)
        if hit != r.on:
            result.parts["requests"] += r.weight
            result.broken_requests.append((r.employee, r.day, r.shift, r.weight))
    _cover_part(problem, rows, result)
    for g in problem.fairness:
        values = [_fair_count(problem, rows[e], g.measure, g.shifts) for e in g.employees]
        mean = sum(values) / len(values) if values else 0.0
        result.parts["fairness"] += round(g.weight * sum(abs(v - mean) for v in values))
    if problem.change_weight:
        for (emp, day), shift in problem.previous.items():
            if rows[emp][day] != shift:
                result.parts["stability"] += problem.change_weight
    result.objective = sum(result.parts.values())
    return result


def _cover_part(problem: RosterProblem, rows: dict[str, tuple[str | None, ...]], result: Evaluation) -> None:
    """Shift cover and interval cover: their cost in `result.parts["cover"]`, and every deviation."""
    counts: dict[tuple[int, str], int] = {}
    for days in rows.values():
        for day, shift in enumerate(days):
            if shift is not None:
                counts[day, shift] = counts.get((day, shift), 0) + 1
    for c in problem.cover:
        diff = counts.get((c.day, c.shift), 0) - c.requirement
        if diff:
            result.parts["cover"] += diff * c.over_weight if diff > 0 else -diff * c.under_weight
            result.cover_deviations.append((c.day, c.shift, diff))
    interval_cost = 0.0
    for need in problem.interval_cover:
        at_work = sum(counts.get((d, s), 0) * share for d, s, share in problem.covering(need))
        gap = at_work - need.requirement
        if abs(gap) > 1e-9:
            interval_cost += gap * need.over_weight if gap > 0 else -gap * need.under_weight
            result.interval_deviations.append((need.day, need.start_minute, need.minutes, gap))
    if problem.interval_cover:  # shares and mean requirements make it fractional
        result.parts["cover"] = round(result.parts["cover"] + interval_cost, 6)


def _fair_count(
    problem: RosterProblem, days: tuple[str | None, ...], measure: str, shifts: frozenset
) -> float:
    if measure == "weekends":
        return sum(1 for sat, sun in problem.weekends() if days[sat] is not None or days[sun] is not None)
    if measure == "hours":
        known = {s.id: s.minutes for s in problem.shifts}
        return sum(known.get(s, 0) for s in days if s is not None) / 60
    return sum(1 for s in days if s is not None and s in shifts)


def staff_violations(problem: RosterProblem, person: Staff, days: tuple[str | None, ...]) -> list[Violation]:
    """Every hard staff rule broken by one employee's row."""
    horizon = problem.horizon
    if len(days) != horizon:
        detail = Sentence("%(days)s days, need %(horizon)s", days=len(days), horizon=horizon)
        return [Violation("horizon", person.id, (), abs(len(days) - horizon), detail)]
    known = {s.id: s for s in problem.shifts}
    return [
        *_cell_violations(problem, person, days, known),
        *_total_violations(problem, person, days, known),
        *_follow_violations(person, days, known),
        *_block_violations(person, days),
        *_weekend_violations(problem, person, days),
    ]


def _cell_violations(
    problem: RosterProblem, person: Staff, days: tuple[str | None, ...], known: dict[str, ShiftType]
) -> list[Violation]:
    out: list[Violation] = []
    for day, shift in enumerate(days):
        if shift is None:
            continue
        if shift not in known:
            out.append(
                Violation(
                    "unknown_shift", person.id, (day,), 1, Sentence("shift %(shift)s", shift=repr(shift))
                )
            )
        elif day in person.days_off:
            out.append(
                Violation(
                    "day_off", person.id, (day,), 1, Sentence("works %(shift)s on a day off", shift=shift)
                )
            )
        elif not problem.allowed(person, day, shift):
            out.append(
                Violation(
                    "not_allowed", person.id, (day,), 1, Sentence("may not work %(shift)s", shift=shift)
                )
            )
    return out


def _minutes(days: Iterable[str | None], known: dict[str, ShiftType]) -> int:
    return sum(known[s].minutes for s in days if s is not None and s in known)


def _total_violations(
    problem: RosterProblem, person: Staff, days: tuple[str | None, ...], known: dict[str, ShiftType]
) -> list[Violation]:
    """Most shifts of each type, total minutes, and minutes in each week."""
    out: list[Violation] = []
    emp = person.id
    for shift_id, cap in person.max_shifts.items():
        used = [d for d, s in enumerate(days) if s == shift_id]
        if len(used) > cap:
            detail = f"{len(used)} x {shift_id} > {cap}"
            out.append(Violation("max_shifts", emp, tuple(used), len(used) - cap, detail))
    minutes = _minutes(days, known)
    if person.max_minutes is not None and minutes > person.max_minutes:
        out.append(
            Violation(
                "max_minutes",
                emp,
                (),
                minutes - person.max_minutes,
                Sentence("%(minutes)s min", minutes=minutes),
            )
        )
    if minutes < person.min_minutes:
        out.append(
            Violation(
                "min_minutes",
                emp,
                (),
                person.min_minutes - minutes,
                Sentence("%(minutes)s min", minutes=minutes),
            )
        )
    for week_days, whole in problem.weeks():
        m = _minutes((days[d] for d in week_days), known)
        if person.max_week_minutes is not None and m > person.max_week_minutes:
            out.append(
                Violation(
                    "max_week_minutes",
                    emp,
                    tuple(week_days),
                    m - person.max_week_minutes,
                    Sentence("%(minutes)s min", minutes=m),
                )
            )
        if person.min_week_minutes is not None and whole and m < person.min_week_minutes:
            out.append(
                Violation(
                    "min_week_minutes",
                    emp,
                    tuple(week_days),
                    person.min_week_minutes - m,
                    Sentence("%(minutes)s min", minutes=m),
                )
            )
    return out


def _follow_violations(
    person: Staff, days: tuple[str | None, ...], known: dict[str, ShiftType]
) -> list[Violation]:
    out: list[Violation] = []
    for day in range(len(days) - 1):
        first, second = days[day], days[day + 1]
        if (
            first is not None
            and first in known
            and second is not None
            and second in known[first].cannot_follow
        ):
            out.append(
                Violation(
                    "cannot_follow",
                    person.id,
                    (day, day + 1),
                    1,
                    Sentence("%(second)s after %(first)s", second=second, first=first),
                )
            )
    return out


def _block_violations(person: Staff, days: tuple[str | None, ...]) -> list[Violation]:
    """Consecutive working days and days off (blocks touching either end of the horizon exempt from the
    minimums)."""
    out: list[Violation] = []
    emp, horizon = person.id, len(days)
    for start, length, working in _blocks(days):
        block = tuple(range(start, start + length))
        inner = start > 0 and start + length < horizon
        if working and person.max_consecutive is not None and length > person.max_consecutive:
            out.append(
                Violation(
                    "max_consecutive",
                    emp,
                    block,
                    length - person.max_consecutive,
                    Sentence("%(length)s days", length=length),
                )
            )
        if working and inner and length < person.min_consecutive:
            out.append(
                Violation(
                    "min_consecutive",
                    emp,
                    block,
                    person.min_consecutive - length,
                    Sentence("%(length)s days", length=length),
                )
            )
        if not working and inner and length < person.min_days_off:
            out.append(
                Violation(
                    "min_days_off",
                    emp,
                    block,
                    person.min_days_off - length,
                    Sentence("%(length)s days off", length=length),
                )
            )
    return out


def _weekend_violations(
    problem: RosterProblem, person: Staff, days: tuple[str | None, ...]
) -> list[Violation]:
    if person.max_weekends is None:
        return []
    worked = [(a, b) for a, b in problem.weekends() if days[a] is not None or days[b] is not None]
    if len(worked) <= person.max_weekends:
        return []
    flat = tuple(d for pair in worked for d in pair)
    detail = Sentence("%(weekends)s weekends", weekends=len(worked))
    return [Violation("max_weekends", person.id, flat, len(worked) - person.max_weekends, detail)]


def _blocks(days: tuple[str | None, ...]) -> list[tuple[int, int, bool]]:
    """Maximal runs as (start, length, working)."""
    runs: list[tuple[int, int, bool]] = []
    start = 0
    for day in range(1, len(days) + 1):
        if day == len(days) or (days[day] is None) != (days[start] is None):
            runs.append((start, day - start, days[start] is not None))
            start = day
    return runs
