"""What careers are made of: tracks, fields, ladders of levels, competencies, courses and certifications.

The three tracks and nine fields come from the seed article (阶梯型人才培养, a ladder-style talent model);
each field is a ladder whose levels state what an agent must show to hold them. Everything here is plain,
frozen data so that the web layer can store it, edit copies of it (`dataclasses.replace`) and hand it back;
`Catalogue` checks every cross-reference eagerly and names the bad field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from training.kpis import REQUIRABLE

PROFICIENCY_SCALE: dict[int, str] = {
    1: "Awareness",
    2: "Foundation",
    3: "Practitioner",
    4: "Advanced",
    5: "Expert",
}


class CatalogueError(ValueError):
    """A catalogue that does not hang together; the message names the bad field."""


class Track(StrEnum):
    SERVICE = "service"
    OPERATIONS = "operations"
    ANALYTICS = "analytics"


@dataclass(frozen=True)
class Competency:
    """Something an agent can do, assessed on the 1–5 `PROFICIENCY_SCALE`."""

    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Certification:
    """An external or internal certificate; `validity_months` None means it never expires."""

    code: str
    name: str
    validity_months: int | None = None
    issuer: str = ""


@dataclass(frozen=True)
class Course:
    """A course raises competencies to a proficiency when passed (score >= `pass_score`, out of 100).

    `validity_months`: how long a completion counts towards a level requirement (None: for good);
    `prerequisites`: course codes to pass first; `awards`: a certification code issued on passing.
    """

    code: str
    name: str
    hours: float
    raises: Mapping[str, int] = field(default_factory=dict)  # competency code -> proficiency on passing
    pass_score: float = 0.0
    validity_months: int | None = None
    prerequisites: tuple[str, ...] = ()
    awards: str | None = None


@dataclass(frozen=True)
class Level:
    """One rung of a field's ladder and what holding it requires.

    Besides its own requirements, level n > 1 requires level n-1 of the same field;
    `requires_levels` adds levels in other fields (say basic service level 2 before wealth management).
    """

    field: str  # code of the field whose ladder this is
    number: int  # 1 = the first rung
    title: str
    competencies: Mapping[str, int] = dataclasses.field(default_factory=dict)  # competency code -> minimum
    courses: tuple[str, ...] = ()  # course codes passed (and still within the course's validity)
    certifications: tuple[str, ...] = ()  # certification codes valid on the date
    tenure_months: int = 0  # months since hire
    min_quality: float | None = None  # latest quality score (0–100) at least this
    requires_levels: Mapping[str, int] = dataclasses.field(default_factory=dict)  # other field -> minimum
    description: str = ""
    # KPI code (training.kpis.REQUIRABLE) -> threshold over the last 30 days (at most for handle time)
    kpis: Mapping[str, float] = dataclasses.field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int]:
        return (self.field, self.number)


@dataclass(frozen=True)
class Ladder:
    """The levels of one field, numbered 1..n from the bottom."""

    levels: tuple[Level, ...]

    def level(self, number: int) -> Level:
        for level in self.levels:
            if level.number == number:
                return level
        raise KeyError(f"no level {number} (levels 1..{len(self.levels)})")

    def next_after(self, number: int) -> Level | None:
        """The next rung above `number` (0: not on the ladder yet), None at the top."""
        return next((lv for lv in self.levels if lv.number == number + 1), None)

    @property
    def top(self) -> int:
        return len(self.levels)


@dataclass(frozen=True)
class Field:
    """One of the nine fields: a career direction within a track, with its ladder."""

    code: str
    name: str
    track: Track
    ladder: Ladder
    description: str = ""


@dataclass(frozen=True)
class Catalogue:
    """Everything the engine needs to judge careers, keyed by code. Validated on construction."""

    fields: Mapping[str, Field]
    competencies: Mapping[str, Competency]
    courses: Mapping[str, Course]
    certifications: Mapping[str, Certification]

    def __post_init__(self) -> None:
        validate_catalogue(self)

    def level(self, field_code: str, number: int) -> Level:
        if field_code not in self.fields:
            raise KeyError(f"field: unknown field {field_code!r}")
        return self.fields[field_code].ladder.level(number)

    def fields_in(self, track: Track | str) -> list[Field]:
        return [f for f in self.fields.values() if f.track == Track(track)]

    def track_of(self, field_code: str) -> Track:
        return self.fields[field_code].track


def catalogue_from(
    fields: list[Field],
    competencies: list[Competency],
    courses: list[Course],
    certifications: list[Certification],
) -> Catalogue:
    """Build a catalogue from lists, refusing duplicate codes (a dict would silently keep the last one)."""
    for name, items in (
        ("fields", fields),
        ("competencies", competencies),
        ("courses", courses),
        ("certifications", certifications),
    ):
        seen: set[str] = set()
        for item in items:
            if item.code in seen:
                raise CatalogueError(f"{name}: code {item.code!r} appears twice")
            seen.add(item.code)
    return Catalogue(
        fields={f.code: f for f in fields},
        competencies={c.code: c for c in competencies},
        courses={c.code: c for c in courses},
        certifications={c.code: c for c in certifications},
    )


def _check_proficiency(where: str, value: int) -> None:
    if value not in PROFICIENCY_SCALE:
        raise CatalogueError(f"{where}: proficiency {value} outside 1..5")


def validate_catalogue(cat: Catalogue) -> None:
    """Every code refers to something that exists, ladders are numbered 1..n, prerequisites have no cycle."""
    _check_codes_match_keys(cat)
    for code, cert in cat.certifications.items():
        if cert.validity_months is not None and cert.validity_months <= 0:
            raise CatalogueError(f"certifications[{code}].validity_months: must be positive")
    for code, course in cat.courses.items():
        _validate_course(cat, f"courses[{code}]", course)
    _check_prerequisite_cycles(cat)
    for code, fld in cat.fields.items():
        _validate_field(cat, code, fld)


def _check_codes_match_keys(cat: Catalogue) -> None:
    for kind, items in (
        ("fields", cat.fields),
        ("competencies", cat.competencies),
        ("courses", cat.courses),
        ("certifications", cat.certifications),
    ):
        for code, item in items.items():
            if not code or code != item.code:
                raise CatalogueError(f"{kind}[{code!r}].code: does not match its key ({item.code!r})")


def _validate_course(cat: Catalogue, where: str, course: Course) -> None:
    if course.hours <= 0:
        raise CatalogueError(f"{where}.hours: must be positive")
    if not 0 <= course.pass_score <= 100:
        raise CatalogueError(f"{where}.pass_score: outside 0..100")
    if course.validity_months is not None and course.validity_months <= 0:
        raise CatalogueError(f"{where}.validity_months: must be positive")
    for comp, prof in course.raises.items():
        if comp not in cat.competencies:
            raise CatalogueError(f"{where}.raises: unknown competency {comp!r}")
        _check_proficiency(f"{where}.raises[{comp}]", prof)
    for pre in course.prerequisites:
        if pre not in cat.courses:
            raise CatalogueError(f"{where}.prerequisites: unknown course {pre!r}")
    if course.awards is not None and course.awards not in cat.certifications:
        raise CatalogueError(f"{where}.awards: unknown certification {course.awards!r}")


def _validate_field(cat: Catalogue, code: str, fld: Field) -> None:
    if not isinstance(fld.track, Track):
        raise CatalogueError(f"fields[{code}].track: {fld.track!r} is not one of {[t.value for t in Track]}")
    numbers = [lv.number for lv in fld.ladder.levels]
    if numbers != list(range(1, len(numbers) + 1)):
        raise CatalogueError(f"fields[{code}].ladder: levels numbered {numbers}, expected 1..{len(numbers)}")
    for lv in fld.ladder.levels:
        _validate_level(cat, f"fields[{code}].ladder.levels[{lv.number}]", code, lv)


def _validate_kpis(where: str, lv: Level) -> None:
    for kpi, need in lv.kpis.items():
        if kpi not in REQUIRABLE:
            raise CatalogueError(f"{where}.kpis: no KPI is called {kpi}")
        low, high = REQUIRABLE[kpi][2]
        if not low <= need <= high:
            raise CatalogueError(f"{where}.kpis: {REQUIRABLE[kpi][0]} must be between {low:g} and {high:g}")


def _validate_level(cat: Catalogue, where: str, field_code: str, lv: Level) -> None:
    if lv.field != field_code:
        raise CatalogueError(f"{where}.field: {lv.field!r}, but the level sits in field {field_code!r}")
    for comp, prof in lv.competencies.items():
        if comp not in cat.competencies:
            raise CatalogueError(f"{where}.competencies: unknown competency {comp!r}")
        _check_proficiency(f"{where}.competencies[{comp}]", prof)
    for course in lv.courses:
        if course not in cat.courses:
            raise CatalogueError(f"{where}.courses: unknown course {course!r}")
    for cert in lv.certifications:
        if cert not in cat.certifications:
            raise CatalogueError(f"{where}.certifications: unknown certification {cert!r}")
    if lv.tenure_months < 0:
        raise CatalogueError(f"{where}.tenure_months: negative")
    if lv.min_quality is not None and not 0 <= lv.min_quality <= 100:
        raise CatalogueError(f"{where}.min_quality: outside 0..100")
    _validate_kpis(where, lv)
    for other, number in lv.requires_levels.items():
        if other not in cat.fields or other == field_code:
            raise CatalogueError(f"{where}.requires_levels: {other!r} is not another field")
        if not 1 <= number <= cat.fields[other].ladder.top:
            raise CatalogueError(f"{where}.requires_levels[{other}]: no level {number} in that field")


def _check_prerequisite_cycles(cat: Catalogue) -> None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(code: str, path: list[str]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            cycle = " -> ".join([*path[path.index(code) :], code])
            raise CatalogueError(f"courses[{code}].prerequisites: cycle {cycle}")
        state[code] = 1
        for pre in cat.courses[code].prerequisites:
            visit(pre, [*path, code])
        state[code] = 2

    for code in cat.courses:
        visit(code, [])
