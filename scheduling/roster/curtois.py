"""Read and write the Employee Shift Scheduling Benchmark text format (Curtois & Qu), and write solutions.

The format: `#` comments, `SECTION_*` headers, comma-separated rows, CRLF line endings. All staff rules
are hard; requests and cover are the weighted objective. Errors name the file, the line and the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from scheduling.csvcells import restore_cell, safe_cell
from scheduling.roster.model import (
    MAX_HORIZON_DAYS,
    MAX_REQUIREMENT,
    MAX_STAFF,
    MAX_WEIGHT,
    Cover,
    Roster,
    RosterInputError,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
)
from scheduling.textfile import NotText, read_text

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


class _Line:
    """One data row, remembering where it came from so errors can point at it."""

    def __init__(self, source: str, number: int, text: str) -> None:
        self.source, self.number, self.fields = source, number, [f.strip() for f in text.split(",")]

    def error(self, field: str, message: str) -> RosterInputError:
        return RosterInputError(f"{self.source}, line {self.number}, field {field}: {message}")

    def need(self, count: int, names: str) -> None:
        if len(self.fields) < count:
            raise self.error(names, f"expected {count} comma-separated fields, found {len(self.fields)}")

    def integer(self, index: int, field: str, minimum: int | None = 0) -> int:
        try:
            value = int(self.fields[index])
        except (ValueError, IndexError):
            raise self.error(field, f"not an integer: {self._raw(index)!r}") from None
        if minimum is not None and value < minimum:
            raise self.error(field, f"must be at least {minimum}, got {value}")
        return value

    def _raw(self, index: int) -> str:
        return self.fields[index] if index < len(self.fields) else ""


def read_curtois(path: str | Path) -> RosterProblem:
    """Parse an instance file into a `RosterProblem`."""
    path = Path(path)
    try:
        text = read_text(path)
    except NotText as exc:
        raise RosterInputError(f"{path}, line {exc.line}, field file: {exc.message}") from None
    except OSError as exc:
        raise RosterInputError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_curtois(text, source=str(path), name=path.stem)


def parse_curtois(text: str, source: str = "<text>", name: str = "") -> RosterProblem:
    sections = _split_sections(text, source)
    for required in ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF"):
        if not sections.get(required):
            raise RosterInputError(f"{source}: section {required} is missing or empty")
    horizon_line = sections["SECTION_HORIZON"][0]
    horizon = horizon_line.integer(0, "horizon", minimum=1)
    if horizon > MAX_HORIZON_DAYS:
        raise horizon_line.error(
            "horizon", f"{horizon} days; at most {MAX_HORIZON_DAYS} can be rostered at once"
        )
    if len(sections["SECTION_STAFF"]) > MAX_STAFF:
        raise sections["SECTION_STAFF"][MAX_STAFF].error(
            "ID", f"more than {MAX_STAFF} employees; at most {MAX_STAFF} in one roster"
        )
    shifts = [_shift(line) for line in sections["SECTION_SHIFTS"]]
    _refuse_repeats(sections["SECTION_SHIFTS"], "ShiftID", "shift")
    shift_ids = {s.id for s in shifts}
    for line, s in zip(sections["SECTION_SHIFTS"], shifts, strict=True):
        for other in s.cannot_follow:
            if other not in shift_ids:
                raise line.error("cannot_follow", f"unknown shift {other!r}")
    staff_lines = sections["SECTION_STAFF"]
    _refuse_repeats(staff_lines, "ID", "employee")
    staff = {line.fields[0]: _staff(line, shift_ids) for line in staff_lines}
    _add_days_off(sections.get("SECTION_DAYS_OFF", []), staff, horizon)
    requests = [
        _request(line, staff, shift_ids, horizon, on)
        for section, on in (("SECTION_SHIFT_ON_REQUESTS", True), ("SECTION_SHIFT_OFF_REQUESTS", False))
        for line in sections.get(section, [])
    ]
    cover = [_cover(line, shift_ids, horizon) for line in sections.get("SECTION_COVER", [])]
    try:
        return RosterProblem(
            horizon=horizon,
            shifts=tuple(shifts),
            staff=tuple(staff.values()),
            requests=tuple(requests),
            cover=tuple(cover),
            name=name,
        )
    except RosterInputError as exc:  # the model's own checks name the field; say which file
        raise RosterInputError(f"{source}: {exc}") from None


def _add_days_off(lines: list[_Line], staff: dict[str, Staff], horizon: int) -> None:
    for line in lines:
        emp = _employee(line, staff)
        days = frozenset(
            line.integer(i, f"day index {i}") for i in range(1, len(line.fields)) if line.fields[i]
        )
        for day in days:
            if day >= horizon:
                raise line.error("day index", f"day {day} outside the horizon of {horizon} days")
        staff[emp] = _replace_days_off(staff[emp], staff[emp].days_off | days)


def _request(
    line: _Line, staff: dict[str, Staff], shift_ids: set[str], horizon: int, on: bool
) -> ShiftRequest:
    line.need(4, "EmployeeID, Day, ShiftID, Weight")
    emp = _employee(line, staff)
    day = _day(line, 1, horizon)
    if line.fields[2] not in shift_ids:
        raise line.error("ShiftID", f"unknown shift {line.fields[2]!r}")
    return ShiftRequest(emp, day, line.fields[2], _bounded(line, 3, "Weight", MAX_WEIGHT), on)


def _cover(line: _Line, shift_ids: set[str], horizon: int) -> Cover:
    line.need(5, "Day, ShiftID, Requirement, Weight for under, Weight for over")
    day = _day(line, 0, horizon)
    if line.fields[1] not in shift_ids:
        raise line.error("ShiftID", f"unknown shift {line.fields[1]!r}")
    return Cover(
        day,
        line.fields[1],
        _bounded(line, 2, "Requirement", MAX_REQUIREMENT),
        _bounded(line, 3, "Weight for under", MAX_WEIGHT),
        _bounded(line, 4, "Weight for over", MAX_WEIGHT),
    )


def _bounded(line: _Line, index: int, field: str, most: int) -> int:
    value = line.integer(index, field)
    if value > most:
        raise line.error(field, f"{value} is more than {most:,}")
    return value


def _split_sections(text: str, source: str) -> dict[str, list[_Line]]:
    sections: dict[str, list[_Line]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("SECTION_"):
            if stripped not in SECTIONS:
                raise RosterInputError(
                    f"{source}, line {number}, field section: unknown section {stripped!r}"
                )
            current = stripped
            sections.setdefault(current, [])
            continue
        if current is None:
            raise RosterInputError(f"{source}, line {number}, field section: data before any SECTION_ header")
        sections[current].append(_Line(source, number, stripped))
    return sections


def _refuse_repeats(lines: list[_Line], field: str, what: str) -> None:
    """A second row for the same id would silently replace the first: refuse it on its line."""
    first: dict[str, int] = {}
    for line in lines:
        key = line.fields[0]
        if not key:
            raise line.error(field, f"empty {what} id")
        if key in first:
            raise line.error(field, f"{what} {key!r} is defined twice (first on line {first[key]})")
        first[key] = line.number


def _shift(line: _Line) -> ShiftType:
    line.need(2, "ShiftID, Length in mins")
    if not line.fields[0]:
        raise line.error("ShiftID", "empty shift id")
    follow = line.fields[2] if len(line.fields) > 2 else ""
    return ShiftType(
        line.fields[0],
        line.integer(1, "Length in mins"),
        frozenset(f.strip() for f in follow.split("|") if f.strip()),
    )


def _staff(line: _Line, shift_ids: set[str]) -> Staff:
    line.need(
        8,
        "ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, "
        "MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends",
    )
    max_shifts: dict[str, int] = {}
    for item in (p for p in line.fields[1].split("|") if p):
        shift, sep, count = item.partition("=")
        if not sep or shift not in shift_ids:
            raise line.error("MaxShifts", f"expected SHIFT=COUNT with a known shift, got {item!r}")
        try:
            max_shifts[shift] = int(count)
        except ValueError:
            raise line.error("MaxShifts", f"not an integer count in {item!r}") from None
    max_minutes = line.integer(2, "MaxTotalMinutes")
    min_minutes = line.integer(3, "MinTotalMinutes")
    if min_minutes > max_minutes:
        raise line.error("MinTotalMinutes", f"{min_minutes} is above MaxTotalMinutes {max_minutes}")
    max_consecutive = line.integer(4, "MaxConsecutiveShifts", minimum=1)
    min_consecutive = max(1, line.integer(5, "MinConsecutiveShifts"))
    if min_consecutive > max_consecutive:
        raise line.error(
            "MinConsecutiveShifts", f"{min_consecutive} is above MaxConsecutiveShifts {max_consecutive}"
        )
    return Staff(
        id=line.fields[0],
        max_shifts=max_shifts,
        max_minutes=max_minutes,
        min_minutes=min_minutes,
        max_consecutive=max_consecutive,
        min_consecutive=min_consecutive,
        min_days_off=max(1, line.integer(6, "MinConsecutiveDaysOff")),
        max_weekends=line.integer(7, "MaxWeekends"),
    )


def _replace_days_off(person: Staff, days: frozenset[int]) -> Staff:
    return replace(person, days_off=days)


def _employee(line: _Line, staff: dict[str, Staff]) -> str:
    if line.fields[0] not in staff:
        raise line.error("EmployeeID", f"unknown employee {line.fields[0]!r}")
    return line.fields[0]


def _day(line: _Line, index: int, horizon: int) -> int:
    day = line.integer(index, "Day")
    if day >= horizon:
        raise line.error("Day", f"day {day} outside the horizon of {horizon} days")
    return day


def roster_rows(roster: Roster) -> Iterable[tuple[str, int, str]]:
    """(employee, day, shift) for every worked day, in employee then day order."""
    for emp, days in roster.items():
        for day, shift in enumerate(days):
            if shift is not None:
                yield emp, day, shift


def write_solution(roster: Roster, path: str | Path) -> None:
    """Write SOLUTION.csv: a header `employee,day,shift` and one row per worked day."""
    lines = ["employee,day,shift"] + [f"{safe_cell(e)},{d},{safe_cell(s)}" for e, d, s in roster_rows(roster)]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_solution(path: str | Path, problem: RosterProblem) -> Roster:
    """Read a SOLUTION.csv back (for checking); unknown employees, days or shifts are errors."""
    roster: dict[str, list[str | None]] = {p.id: [None] * problem.horizon for p in problem.staff}
    known = set(problem.shift_ids)
    try:
        text = read_text(path)
    except NotText as exc:
        raise RosterInputError(f"{path}, line {exc.line}, field file: {exc.message}") from None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or (number == 1 and raw.strip().lower().startswith("employee")):
            continue
        line = _Line(str(path), number, raw)
        line.need(3, "employee, day, shift")
        line.fields = [restore_cell(f) for f in line.fields]
        emp = _employee(line, {e: None for e in roster})  # type: ignore[misc]
        day = _day(line, 1, problem.horizon)
        if line.fields[2] not in known:
            raise line.error("shift", f"unknown shift {line.fields[2]!r}")
        if roster[emp][day] is not None:
            raise line.error("day", f"employee {emp} already works on day {day}")
        roster[emp][day] = line.fields[2]
    return {e: tuple(days) for e, days in roster.items()}


def format_curtois(problem: RosterProblem) -> str:
    """`problem` in the benchmark's text format (CRLF line endings), read back by `parse_curtois` to the
    same problem. Only what the format holds is written: whole-day days off, per-shift requests and
    shift cover (not the contact centre's extra fields)."""
    lines = ["# Employee shift scheduling instance", "", "SECTION_HORIZON", str(problem.horizon), ""]
    lines.append("SECTION_SHIFTS")
    lines += [f"{s.id},{s.minutes},{'|'.join(sorted(s.cannot_follow))}" for s in problem.shifts]
    lines += ["", "SECTION_STAFF"]
    for p in problem.staff:
        caps = "|".join(f"{s}={p.max_shifts[s]}" for s in problem.shift_ids if s in p.max_shifts)
        lines.append(
            f"{p.id},{caps},{p.max_minutes if p.max_minutes is not None else 0},{p.min_minutes},"
            f"{p.max_consecutive if p.max_consecutive is not None else problem.horizon},{p.min_consecutive},"
            f"{p.min_days_off},{p.max_weekends if p.max_weekends is not None else len(problem.weekends())}"
        )
    lines += ["", "SECTION_DAYS_OFF"]
    lines += [f"{p.id},{','.join(str(d) for d in sorted(p.days_off))}" for p in problem.staff if p.days_off]
    for title, on in (("SECTION_SHIFT_ON_REQUESTS", True), ("SECTION_SHIFT_OFF_REQUESTS", False)):
        lines += ["", title]
        lines += [f"{r.employee},{r.day},{r.shift},{r.weight}" for r in problem.requests if r.on is on]
    lines += ["", "SECTION_COVER"]
    lines += [f"{c.day},{c.shift},{c.requirement},{c.under_weight},{c.over_weight}" for c in problem.cover]
    return "\r\n".join(lines) + "\r\n"
