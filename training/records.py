"""An agent's career record as plain data: levels held, assessed competencies, courses, certificates.

Histories are dated so that every question can be asked "on a date": what the agent held then, not what
they hold now. Only validated evidence counts; a submitted or rejected assessment is kept for the log
but never raises a proficiency.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from training.catalogue import Catalogue, Course
from training.kpis import KpiValue
from training.quality import QualityScore


class EvidenceStatus(StrEnum):
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    REJECTED = "rejected"


@dataclass(frozen=True)
class LevelHeld:
    """The agent holds `level` in `field` from `since` (until a later entry for the same field)."""

    field: str
    level: int
    since: dt.date


@dataclass(frozen=True)
class CompetencyAssessment:
    """A proficiency in a competency from `on`, backed by evidence (self-assessment, manager, course).

    It counts from the later of `on` and `decided_on` (the day it was validated), and only if validated.
    """

    competency: str
    proficiency: int
    on: dt.date
    evidence: EvidenceStatus = EvidenceStatus.VALIDATED
    decided_on: dt.date | None = None
    source: str = ""  # "self-assessment", "manager", "course:INV-301"...

    def __post_init__(self) -> None:
        if not 1 <= self.proficiency <= 5:
            raise ValueError(f"proficiency: {self.proficiency} outside 1..5 ({self.competency})")

    @property
    def effective_from(self) -> dt.date:
        return max(self.on, self.decided_on) if self.decided_on else self.on


@dataclass(frozen=True)
class CourseCompletion:
    course: str
    completed_on: dt.date
    score: float  # out of 100


@dataclass(frozen=True)
class CertificationHeld:
    """A certificate issued on `issued_on`, valid through `expires_on` inclusive (None: never expires)."""

    certification: str
    issued_on: dt.date
    expires_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.expires_on is not None and self.expires_on < self.issued_on:
            raise ValueError(f"expires_on: before issued_on ({self.certification})")

    def valid_on(self, day: dt.date) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)


@dataclass(frozen=True)
class AgentRecord:
    """Everything the engine knows about one agent's career. `primary_field` is where they are counted."""

    agent_id: str
    hire_date: dt.date
    primary_field: str
    levels: tuple[LevelHeld, ...] = ()
    assessments: tuple[CompetencyAssessment, ...] = ()
    completions: tuple[CourseCompletion, ...] = ()
    certifications: tuple[CertificationHeld, ...] = ()
    quality_score: float | None = None  # latest quality-monitoring score, 0–100
    evaluations: tuple[QualityScore, ...] = ()  # dated evaluation scores; when any, the ladders read these
    leaving_date: dt.date | None = None  # last day employed
    name: str = ""
    kpis: tuple[KpiValue, ...] = ()  # daily KPI figures (imported, and adherence from the intraday days)

    def __post_init__(self) -> None:
        if self.leaving_date is not None and self.leaving_date < self.hire_date:
            raise ValueError(f"leaving_date: before hire_date ({self.agent_id})")
        if self.quality_score is not None and not 0 <= self.quality_score <= 100:
            raise ValueError(f"quality_score: {self.quality_score} outside 0..100 ({self.agent_id})")

    def employed_on(self, day: dt.date) -> bool:
        return self.hire_date <= day and (self.leaving_date is None or day <= self.leaving_date)

    def level_on(self, field_code: str, day: dt.date) -> int:
        """The level held in a field on a day (0: not on that ladder)."""
        held = [lv for lv in self.levels if lv.field == field_code and lv.since <= day]
        return max(held, key=lambda lv: lv.since).level if held else 0

    def levels_on(self, day: dt.date) -> dict[str, int]:
        return {f: n for f in sorted({lv.field for lv in self.levels}) if (n := self.level_on(f, day))}

    def proficiency_on(self, competency: str, day: dt.date) -> int:
        """The latest validated proficiency in force on `day` (0: none). Latest, not highest: a
        reassessment may lower it."""
        counted = [
            a
            for a in self.assessments
            if a.competency == competency
            and a.evidence == EvidenceStatus.VALIDATED
            and a.effective_from <= day
        ]
        if not counted:
            return 0
        return max(counted, key=lambda a: (a.effective_from, a.on)).proficiency

    def proficiencies_on(self, day: dt.date) -> dict[str, int]:
        codes = sorted({a.competency for a in self.assessments})
        return {c: p for c in codes if (p := self.proficiency_on(c, day))}

    def latest_certification(self, code: str, day: dt.date) -> CertificationHeld | None:
        """The holding of a certificate issued by `day` that runs longest (a renewal supersedes the old)."""
        issued = [c for c in self.certifications if c.certification == code and c.issued_on <= day]
        if not issued:
            return None
        return max(issued, key=lambda c: (c.expires_on is None, c.expires_on or dt.date.min, c.issued_on))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (0 if end is before start)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if add_months(start, months) <= end else months - 1


def certification_expiry(cat: Catalogue, code: str, issued_on: dt.date) -> dt.date | None:
    """The last valid day of a certificate issued on `issued_on`, from its validity in the catalogue."""
    months = cat.certifications[code].validity_months
    return None if months is None else add_months(issued_on, months) - dt.timedelta(days=1)


def completion_counts(course: Course, completion: CourseCompletion, day: dt.date) -> bool:
    """Passed, done by `day`, and still within the course's validity."""
    if (
        completion.course != course.code
        or completion.completed_on > day
        or completion.score < course.pass_score
    ):
        return False
    return course.validity_months is None or day < add_months(completion.completed_on, course.validity_months)


def results_of_course(
    cat: Catalogue, course_code: str, completed_on: dt.date, score: float
) -> tuple[list[CompetencyAssessment], CertificationHeld | None]:
    """What passing a course adds to a record: validated assessments for the competencies it raises and
    the certificate it awards. A failed course adds nothing. Callers keep the higher of an existing
    proficiency and the course's (a course never lowers what an agent has shown)."""
    course = cat.courses[course_code]
    if score < course.pass_score:
        return [], None
    assessments = [
        CompetencyAssessment(
            comp, prof, completed_on, EvidenceStatus.VALIDATED, completed_on, f"course:{course.code}"
        )
        for comp, prof in sorted(course.raises.items())
    ]
    cert = None
    if course.awards:
        cert = CertificationHeld(
            course.awards, completed_on, certification_expiry(cat, course.awards, completed_on)
        )
    return assessments, cert


def with_course_passed(
    record: AgentRecord, cat: Catalogue, course_code: str, completed_on: dt.date, score: float
) -> AgentRecord:
    """The record after a course: the completion, plus (if passed) the competencies it raises, where that
    is higher than what the agent already has, and the certificate it awards."""
    assessments, cert = results_of_course(cat, course_code, completed_on, score)
    raised = tuple(
        a for a in assessments if a.proficiency > record.proficiency_on(a.competency, completed_on)
    )
    return replace(
        record,
        completions=(*record.completions, CourseCompletion(course_code, completed_on, score)),
        assessments=record.assessments + raised,
        certifications=record.certifications + ((cert,) if cert else ()),
    )


def validate_record(record: AgentRecord, cat: Catalogue) -> None:
    """Every code in the record exists in the catalogue; errors name the agent and the field."""
    where = f"agent {record.agent_id}"
    if record.primary_field not in cat.fields:
        raise ValueError(f"{where}.primary_field: unknown field {record.primary_field!r}")
    for i, lv in enumerate(record.levels):
        if lv.field not in cat.fields:
            raise ValueError(f"{where}.levels[{i}].field: unknown field {lv.field!r}")
        if not 1 <= lv.level <= cat.fields[lv.field].ladder.top:
            raise ValueError(
                f"{where}.levels[{i}].level: {lv.field} has levels 1..{cat.fields[lv.field].ladder.top}"
            )
    for i, a in enumerate(record.assessments):
        if a.competency not in cat.competencies:
            raise ValueError(f"{where}.assessments[{i}].competency: unknown competency {a.competency!r}")
    for i, c in enumerate(record.completions):
        if c.course not in cat.courses:
            raise ValueError(f"{where}.completions[{i}].course: unknown course {c.course!r}")
        if not 0 <= c.score <= 100:
            raise ValueError(f"{where}.completions[{i}].score: {c.score} outside 0..100")
    for i, h in enumerate(record.certifications):
        if h.certification not in cat.certifications:
            raise ValueError(
                f"{where}.certifications[{i}].certification: unknown certification {h.certification!r}"
            )
