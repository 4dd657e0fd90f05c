"""The named-rostering problem as plain data: who may work which shift on which day, and what it costs.

One model serves both the Curtois & Qu benchmark and the contact centre. Every staff rule is hard (the
solver may only break it in elastic mode, to diagnose why a roster cannot exist); requests, cover,
fairness and stability are soft and weighted. A roster is `{employee_id: (shift_id or None per day)}`.

Contact-centre rules map onto the same fields:
- rest between shifts (say 11 hours) -> `ShiftType.cannot_follow`, see `rest_conflicts`;
- contracted hours per week -> `Staff.min_week_minutes` / `max_week_minutes`;
- availability and approved time off -> `Staff.days_off` (whole days) and `Staff.unavailable` (day, shift);
- skills -> `ShiftType.skill` / `min_proficiency` against `Staff.skills`;
- published cells kept -> `RosterProblem.pinned`; the last period -> `previous` with `change_weight`;
- cover per interval of the requirement (agents at work through it) -> `IntervalCover`;
- balanced weekends, nights and hours -> `FairnessGroup`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Roster = dict[str, tuple[str | None, ...]]

# What one roster can be, generously: a year of days (the Curtois instances reach 364), a very large
# centre's staff, and the weights and cover a person writes. Beyond them is a typo, and a model that would
# fill the machine's memory before any time limit could be checked (a horizon of 99,999,999 days did).
MAX_HORIZON_DAYS = 366
MAX_STAFF = 5_000
MAX_REQUIREMENT = 100_000  # people wanted on one shift of one day
MAX_WEIGHT = 1_000_000  # of a request, or of a missing or extra person


class RosterInputError(ValueError):
    """Bad roster input; the message names the field (and the file line when it came from a file)."""


@dataclass(frozen=True)
class ShiftType:
    """A kind of shift. `cannot_follow`: shift ids that may not be worked the day after this one."""

    id: str
    minutes: int
    cannot_follow: frozenset[str] = frozenset()
    start_minute: int | None = None  # minutes after midnight; only needed to derive rest rules
    skill: str | None = None  # a shift that serves a queue needs this skill...
    min_proficiency: int = 0  # ...at this proficiency or more
    # Minutes from start to end when `minutes` (what counts towards contracted hours) leaves out unpaid
    # breaks; interval cover counts the shift at work over this whole span.
    span_minutes: int | None = None

    @property
    def span(self) -> int:
        return self.minutes if self.span_minutes is None else self.span_minutes


@dataclass(frozen=True)
class Staff:
    """One employee's contract. `max_shifts[s]` caps shifts of type s over the horizon (missing: no cap)."""

    id: str
    max_shifts: Mapping[str, int] = field(default_factory=dict)
    max_minutes: int | None = None
    min_minutes: int = 0
    max_consecutive: int | None = None
    min_consecutive: int = 1
    min_days_off: int = 1
    max_weekends: int | None = None
    days_off: frozenset[int] = frozenset()
    unavailable: frozenset[tuple[int, str]] = frozenset()  # (day, shift) pairs that may not be worked
    min_week_minutes: int | None = None  # contracted hours per whole week (`RosterProblem.weeks`)
    max_week_minutes: int | None = None
    skills: Mapping[str, int] = field(default_factory=dict)  # skill -> proficiency


@dataclass(frozen=True)
class ShiftRequest:
    """A wish: `on` wants the shift on that day, otherwise the employee does not want it. Broken costs weight.

    `shift` None means the whole day (on: any shift, off: no shift at all).
    """

    employee: str
    day: int
    shift: str | None
    weight: int
    on: bool


@dataclass(frozen=True)
class Cover:
    """How many employees should work `shift` on `day`; each one short or over costs its weight."""

    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class IntervalCover:
    """How many employees should be at work during one interval of a day; each one short or over costs
    its weight. The interval is `minutes` long from `start_minute` after day `day`'s midnight. A shift
    counts for the share of the interval it is at work (a 08:30 start counts half for 08:00-09:00), whether
    it started that day or the day before (a night shift), so the requirement may be fractional too: the
    mean over an hour of a requirement per quarter hour. Shift types need `start_minute` for this.
    Breaks are not counted: they are placed after rostering."""

    day: int
    start_minute: int
    minutes: int
    requirement: float
    under_weight: float
    over_weight: float


@dataclass(frozen=True)
class FairnessGroup:
    """Comparable employees whose counts should be equal: each unit away from the group mean costs weight.

    `measure` is "weekends" (working weekends), "shifts" (shifts of the types in `shifts`, e.g. nights)
    or "hours" (hours worked over the horizon; the weight is per hour away from the mean).
    """

    employees: tuple[str, ...]
    measure: str
    weight: int
    shifts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RosterProblem:
    horizon: int
    shifts: tuple[ShiftType, ...]
    staff: tuple[Staff, ...]
    requests: tuple[ShiftRequest, ...] = ()
    cover: tuple[Cover, ...] = ()
    interval_cover: tuple[IntervalCover, ...] = ()
    pinned: Mapping[tuple[str, int], str | None] = field(default_factory=dict)  # None pins a day off
    previous: Mapping[tuple[str, int], str | None] = field(default_factory=dict)
    change_weight: int = 0
    fairness: tuple[FairnessGroup, ...] = ()
    name: str = ""
    # Day index of the first weekend day: 5 when day 0 is a Monday and the weekend is Saturday and Sunday
    # (the benchmark's convention); a centre whose weekend is Friday and Saturday, rostered from a
    # Monday, uses 4.
    weekend_start: int = 5
    # Day index of the first day of the centre's week, for the weekly-hours rules: 0 when day 0 starts a
    # week (the benchmark's convention); a Sunday-to-Saturday week rostered from a Tuesday uses 5.
    week_start: int = 0
    # Day indices of weekend days that are working days (a make-up working day, China's 调休): not part of
    # the weekend they fall in, so working one is not a worked weekend.
    weekend_workdays: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        validate(self)

    @property
    def shift_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.shifts)

    def shift(self, shift_id: str) -> ShiftType:
        return self._shift_index()[shift_id]

    def _shift_index(self) -> dict[str, ShiftType]:
        return {s.id: s for s in self.shifts}

    def weekends(self) -> list[tuple[int, int]]:
        """The weekend's two days, per week, as day-index pairs inside the horizon. A weekend one of whose
        days is a make-up working day is the other day alone, as the pair (d, d); one whose both days are
        working days is no weekend."""
        out = []
        for d in range(self.weekend_start, self.horizon - 1, 7):
            days = [day for day in (d, d + 1) if day not in self.weekend_workdays]
            if days:
                out.append((days[0], days[-1]))
        return out

    def weeks(self) -> list[tuple[range, bool]]:
        """The centre's weeks cut to the horizon, each with whether it is whole: the minimum weekly hours
        hold in whole weeks only; the maximum in every part (hours outside the horizon only add to it)."""
        out = [(range(0, self.week_start), False)] if self.week_start else []
        first = self.week_start
        while first < self.horizon:
            out.append((range(first, min(first + 7, self.horizon)), first + 7 <= self.horizon))
            first += 7
        return [(days, whole) for days, whole in out if len(days)]

    def covering(self, need: IntervalCover) -> tuple[tuple[int, str, float], ...]:
        """(day, shift, share) for each cell at work during `need`'s interval, with the share of the
        interval it is at work: shifts of its day, and of the day before that run past midnight into it."""
        start, end = need.start_minute, need.start_minute + need.minutes
        cells = []
        for offset, day in ((0, need.day), (1440, need.day - 1)):
            if day < 0:
                continue
            for s in self.shifts:
                if s.start_minute is None:
                    continue
                overlap = min(end + offset, s.start_minute + s.span) - max(start + offset, s.start_minute)
                if overlap > 0:
                    cells.append((day, s.id, overlap / need.minutes))
        return tuple(cells)

    def allowed(self, person: Staff, day: int, shift_id: str) -> bool:
        """Whether the rules let `person` work `shift_id` on `day` at all (before any pinning)."""
        if day in person.days_off or (day, shift_id) in person.unavailable:
            return False
        if person.max_shifts.get(shift_id, 1) <= 0:
            return False
        shift = self.shift(shift_id)
        return shift.skill is None or person.skills.get(shift.skill, -1) >= shift.min_proficiency


def rest_conflicts(shifts: list[ShiftType], min_rest_minutes: int) -> dict[str, frozenset[str]]:
    """Which shifts cannot follow which on the next day, from start times and a minimum rest.

    A shift starting at `a` lasting `m` (its span, breaks included) ends at a+m; tomorrow's shift starting
    at `b` leaves (1440 + b) - (a + m) minutes of rest.
    """
    result: dict[str, frozenset[str]] = {}
    for first in shifts:
        if first.start_minute is None:
            raise RosterInputError(f"shifts[{first.id}].start_minute: needed to derive rest rules")
        end = first.start_minute + first.span
        result[first.id] = frozenset(
            second.id
            for second in shifts
            if second.start_minute is not None and 1440 + second.start_minute - end < min_rest_minutes
        )
    return result


def validate(problem: RosterProblem) -> None:
    """Check references and ranges eagerly so errors name the field, not a solver failure later."""
    _validate_size(problem)
    known = _validate_shifts(problem)
    staff_ids = [p.id for p in problem.staff]
    if len(set(staff_ids)) != len(staff_ids):
        raise RosterInputError("staff: duplicate employee id")
    for p in problem.staff:
        _validate_staff(p, known, problem.horizon)
    people = set(staff_ids)
    _validate_requests(problem, people, known)
    _validate_cover(problem, known)
    _validate_interval_cover(problem)
    for name, cells in (("pinned", problem.pinned), ("previous", problem.previous)):
        for (emp, day), shift in cells.items():
            if (
                emp not in people
                or not 0 <= day < problem.horizon
                or (shift is not None and shift not in known)
            ):
                raise RosterInputError(f"{name}[{emp!r}, {day}]: unknown employee, day or shift")
    for i, g in enumerate(problem.fairness):
        if g.measure not in ("weekends", "shifts", "hours"):
            raise RosterInputError(f"fairness[{i}].measure: use 'weekends', 'shifts' or 'hours'")
        if set(g.employees) - people or set(g.shifts) - known:
            raise RosterInputError(f"fairness[{i}]: unknown employee or shift")


def _validate_size(problem: RosterProblem) -> None:
    if problem.horizon <= 0:
        raise RosterInputError("horizon: must be a positive number of days")
    if problem.horizon > MAX_HORIZON_DAYS:
        raise RosterInputError(
            f"horizon: {problem.horizon} days; at most {MAX_HORIZON_DAYS} can be rostered at once"
        )
    if len(problem.staff) > MAX_STAFF:
        raise RosterInputError(f"staff: {len(problem.staff)} employees; at most {MAX_STAFF} in one roster")
    if not 0 <= problem.weekend_start <= 6:
        raise RosterInputError("weekend_start: must be a day index from 0 to 6")
    if not 0 <= problem.week_start <= 6:
        raise RosterInputError("week_start: must be a day index from 0 to 6")
    if any(not 0 <= d < problem.horizon for d in problem.weekend_workdays):
        raise RosterInputError("weekend_workdays: each must be a day index inside the horizon")


def _validate_shifts(problem: RosterProblem) -> set[str]:
    """The shift ids, once every shift is known to be sound."""
    ids = [s.id for s in problem.shifts]
    if len(set(ids)) != len(ids):
        raise RosterInputError("shifts: duplicate shift id")
    known = set(ids)
    for s in problem.shifts:
        if s.minutes < 0 or s.span < 0:
            raise RosterInputError(f"shifts[{s.id}].minutes: must not be negative")
        unknown = set(s.cannot_follow) - known
        if unknown:
            raise RosterInputError(f"shifts[{s.id}].cannot_follow: unknown shift {sorted(unknown)[0]!r}")
    return known


def _validate_requests(problem: RosterProblem, people: set[str], known: set[str]) -> None:
    for i, r in enumerate(problem.requests):
        where = f"requests[{i}]"
        if r.employee not in people:
            raise RosterInputError(f"{where}.employee: unknown employee {r.employee!r}")
        if not 0 <= r.day < problem.horizon:
            raise RosterInputError(f"{where}.day: {r.day} outside the horizon")
        if r.shift is not None and r.shift not in known:
            raise RosterInputError(f"{where}.shift: unknown shift {r.shift!r}")
        if not 0 <= r.weight <= MAX_WEIGHT:
            raise RosterInputError(f"{where}.weight: must be between 0 and {MAX_WEIGHT:,}")


def _validate_cover(problem: RosterProblem, known: set[str]) -> None:
    for i, c in enumerate(problem.cover):
        if not 0 <= c.day < problem.horizon:
            raise RosterInputError(f"cover[{i}].day: {c.day} outside the horizon")
        if c.shift not in known:
            raise RosterInputError(f"cover[{i}].shift: unknown shift {c.shift!r}")
        if not (
            0 <= c.requirement <= MAX_REQUIREMENT
            and 0 <= c.under_weight <= MAX_WEIGHT
            and 0 <= c.over_weight <= MAX_WEIGHT
        ):
            raise RosterInputError(
                f"cover[{i}]: requirement must be 0 to {MAX_REQUIREMENT:,} and weights 0 to {MAX_WEIGHT:,}"
            )


def _validate_interval_cover(problem: RosterProblem) -> None:
    for i, need in enumerate(problem.interval_cover):
        if not 0 <= need.day < problem.horizon:
            raise RosterInputError(f"interval_cover[{i}].day: {need.day} outside the horizon")
        if not 0 <= need.start_minute < 1440 or need.minutes <= 0:
            raise RosterInputError(
                f"interval_cover[{i}]: start_minute must be in [0, 1440) and minutes positive"
            )
        if need.requirement < 0 or need.under_weight < 0 or need.over_weight < 0:
            raise RosterInputError(f"interval_cover[{i}]: requirement and weights must not be negative")
    if problem.interval_cover and any(s.start_minute is None for s in problem.shifts):
        missing = next(s.id for s in problem.shifts if s.start_minute is None)
        raise RosterInputError(f"shifts[{missing}].start_minute: needed for interval cover")


def _validate_staff(p: Staff, known: set[str], horizon: int) -> None:
    where = f"staff[{p.id}]"
    if set(p.max_shifts) - known:
        raise RosterInputError(f"{where}.max_shifts: unknown shift {sorted(set(p.max_shifts) - known)[0]!r}")
    if p.max_minutes is not None and p.max_minutes < p.min_minutes:
        raise RosterInputError(f"{where}.max_minutes: below min_minutes")
    if p.max_consecutive is not None and p.max_consecutive < 1:
        raise RosterInputError(f"{where}.max_consecutive: must be at least 1")
    if p.min_consecutive < 1 or p.min_days_off < 1:
        raise RosterInputError(f"{where}.min_consecutive/min_days_off: must be at least 1")
    if p.max_consecutive is not None and p.min_consecutive > p.max_consecutive:
        raise RosterInputError(
            f"{where}.min_consecutive: {p.min_consecutive} is above max_consecutive {p.max_consecutive}"
        )
    if p.max_weekends is not None and p.max_weekends < 0:
        raise RosterInputError(f"{where}.max_weekends: must not be negative")
    if any(not 0 <= d < horizon for d in p.days_off):
        raise RosterInputError(f"{where}.days_off: day outside the horizon")
    if any(s not in known or not 0 <= d < horizon for d, s in p.unavailable):
        raise RosterInputError(f"{where}.unavailable: unknown shift or day outside the horizon")
