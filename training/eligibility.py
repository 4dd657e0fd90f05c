"""Whether an agent meets a level's requirements on a date, requirement by requirement, and why not.

HR and the agent both need the reason, not only the verdict: "tenure 14 of 24 months" tells an agent
when to ask again, "certification AML expired 2026-03-01" tells them what to renew.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduling.text import Sentence
from training.catalogue import Catalogue, Level
from training.kpis import REQUIRABLE, REQUIREMENT_DAYS, kpi_average, requirement_met
from training.quality import ROLLING_MONTHS, rolling_average
from training.records import (
    AgentRecord,
    EvidenceStatus,
    add_months,
    completion_counts,
    months_between,
    validate_record,
)

KINDS = ("level", "competency", "course", "certification", "tenure", "quality", "kpi")


@dataclass(frozen=True)
class RequirementCheck:
    """One requirement and its verdict. `required`/`actual` are numbers where the kind has one
    (level, proficiency, months, score), for progress bars; `detail` says it in words."""

    kind: str  # one of KINDS
    subject: str  # field, competency, course, certification or KPI code; "" for tenure and quality
    met: bool
    detail: str
    required: float | None = None
    actual: float | None = None


@dataclass(frozen=True)
class Eligibility:
    agent_id: str
    field: str
    level: int
    on: dt.date
    checks: tuple[RequirementCheck, ...]

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def met(self) -> list[RequirementCheck]:
        return [c for c in self.checks if c.met]

    @property
    def missing(self) -> list[RequirementCheck]:
        return [c for c in self.checks if not c.met]


def eligibility(record: AgentRecord, level: Level, on: dt.date, cat: Catalogue) -> Eligibility:
    """Check every requirement of `level` for `record` on `on`, in the order of `KINDS`."""
    validate_record(record, cat)
    checks: list[RequirementCheck] = []
    checks += _level_checks(record, level, on, cat)
    checks += [_competency_check(record, code, need, on, cat) for code, need in level.competencies.items()]
    checks += [_course_check(record, code, on, cat) for code in level.courses]
    checks += [_certification_check(record, code, on, cat) for code in level.certifications]
    if level.tenure_months:
        months = months_between(record.hire_date, on)
        met = months >= level.tenure_months
        detail = Sentence("tenure %(months)s of %(need)s months", months=months, need=level.tenure_months)
        if not met:
            detail = Sentence(
                "tenure %(months)s of %(need)s months (reached %(day)s)",
                months=months,
                need=level.tenure_months,
                day=add_months(record.hire_date, level.tenure_months).isoformat(),
            )
        checks.append(RequirementCheck("tenure", "", met, detail, level.tenure_months, months))
    if level.min_quality is not None:
        checks.append(_quality_check(record, level.min_quality, on))
    checks += [_kpi_check(record, kpi, need, on) for kpi, need in level.kpis.items()]
    return Eligibility(record.agent_id, level.field, level.number, on, tuple(checks))


def _level_checks(record: AgentRecord, level: Level, on: dt.date, cat: Catalogue) -> list[RequirementCheck]:
    needed = dict(level.requires_levels)
    if level.number > 1:
        needed = {level.field: level.number - 1, **needed}
    checks = []
    for field_code, number in needed.items():
        held = record.level_on(field_code, on)
        name = cat.fields[field_code].name
        met = held >= number
        detail = Sentence(
            "%(field)s: level %(held)s held, level %(number)s needed", field=name, held=held, number=number
        )
        checks.append(RequirementCheck("level", field_code, met, detail, number, held))
    return checks


def _competency_check(
    record: AgentRecord, code: str, need: int, on: dt.date, cat: Catalogue
) -> RequirementCheck:
    name = cat.competencies[code].name
    have = record.proficiency_on(code, on)
    if have >= need:
        detail = Sentence("%(name)s at %(have)s (needs %(need)s)", name=name, have=have, need=need)
        return RequirementCheck("competency", code, True, detail, need, have)
    detail = Sentence("%(name)s at %(have)s of %(need)s", name=name, have=have, need=need)
    pending = [
        a
        for a in record.assessments
        if a.competency == code
        and a.proficiency >= need
        and a.evidence == EvidenceStatus.SUBMITTED
        and a.on <= on
    ]
    if pending:
        detail = Sentence(
            "%(name)s at %(have)s of %(need)s (evidence for %(level)s submitted %(day)s, not validated)",
            name=name,
            have=have,
            need=need,
            level=pending[-1].proficiency,
            day=pending[-1].on.isoformat(),
        )
    return RequirementCheck("competency", code, False, detail, need, have)


def _course_check(record: AgentRecord, code: str, on: dt.date, cat: Catalogue) -> RequirementCheck:
    course = cat.courses[code]
    named = Sentence("course %(name)s (%(code)s)", name=course.name, code=code)
    done = sorted(
        (c for c in record.completions if c.course == code and c.completed_on <= on),
        key=lambda c: c.completed_on,
    )
    if any(completion_counts(course, c, on) for c in done):
        last = [c for c in done if completion_counts(course, c, on)][-1]
        detail = Sentence("%(course)s passed %(day)s", course=named, day=last.completed_on.isoformat())
        return RequirementCheck("course", code, True, detail)
    if not done:
        return RequirementCheck("course", code, False, Sentence("%(course)s not completed", course=named))
    last = done[-1]
    if last.score < course.pass_score:
        detail = Sentence(
            "%(course)s score %(score)s below pass mark %(pass_mark)s",
            course=named,
            score=format(last.score, "g"),
            pass_mark=format(course.pass_score, "g"),
        )
    else:
        lapsed = add_months(last.completed_on, course.validity_months or 0)
        detail = Sentence(
            "%(course)s passed %(day)s, lapsed %(lapsed)s",
            course=named,
            day=last.completed_on.isoformat(),
            lapsed=lapsed.isoformat(),
        )
    return RequirementCheck("course", code, False, detail)


def _certification_check(record: AgentRecord, code: str, on: dt.date, cat: Catalogue) -> RequirementCheck:
    held = record.latest_certification(code, on)
    named = Sentence("certification %(name)s (%(code)s)", name=cat.certifications[code].name, code=code)
    if held is None:
        return RequirementCheck(
            "certification", code, False, Sentence("%(certification)s not held", certification=named)
        )
    if held.valid_on(on):
        if held.expires_on:
            detail = Sentence(
                "%(certification)s valid until %(day)s", certification=named, day=held.expires_on.isoformat()
            )
        else:
            detail = Sentence("%(certification)s does not expire", certification=named)
        return RequirementCheck("certification", code, True, detail)
    assert held.expires_on is not None  # an issued certificate that is not valid has expired
    detail = Sentence(
        "%(certification)s expired %(day)s", certification=named, day=held.expires_on.isoformat()
    )
    return RequirementCheck("certification", code, False, detail)


def _quality_check(record: AgentRecord, need: float, on: dt.date) -> RequirementCheck:
    """From the evaluations of the last `ROLLING_MONTHS` months once the agent has been evaluated (on or
    before `on`); before that, from the score HR typed (the centre had not started evaluating them)."""
    if any(e.on <= on for e in record.evaluations):
        average, count = rolling_average(record.evaluations, add_months(on, -ROLLING_MONTHS), on)
        if average is None:
            return RequirementCheck(
                "quality",
                "",
                False,
                f"no quality evaluation in {ROLLING_MONTHS} months (needs {need:g})",
                need,
            )
        word = "at least" if average >= need else "below"
        detail = (
            f"quality {average:g} over {count} evaluation{'s' if count != 1 else ''} in {ROLLING_MONTHS} "
            f"months, {word} {need:g}"
        )
        return RequirementCheck("quality", "", average >= need, detail, need, average)
    score = record.quality_score
    if score is None:
        return RequirementCheck("quality", "", False, f"no quality score (needs {need:g})", need, None)
    word = "at least" if score >= need else "below"
    return RequirementCheck(
        "quality", "", score >= need, f"quality score {score:g} {word} {need:g}", need, score
    )


def _kpi_check(record: AgentRecord, kpi: str, need: float, on: dt.date) -> RequirementCheck:
    """The KPI's average over the `REQUIREMENT_DAYS` days ending on `on`; without a figure in them the
    requirement is missing (and says so): no data never makes an agent eligible."""
    name, unit, _range, higher = REQUIRABLE[kpi]
    bound = "at least" if higher else "at most"
    average, days = kpi_average(record.kpis, kpi, on)
    if average is None:
        detail = f"no {name} figures in the last {REQUIREMENT_DAYS} days (needs {bound} {need:g}{unit})"
        return RequirementCheck("kpi", kpi, False, detail, need)
    met = requirement_met(kpi, average, need)
    word = bound if met else ("below" if higher else "above")
    span = (
        f"{REQUIREMENT_DAYS} days"
        if days >= REQUIREMENT_DAYS
        else f"{days} of the last {REQUIREMENT_DAYS} days"
    )
    detail = f"{name} {average:g}{unit} over {span}, {word} {need:g}{unit}"
    return RequirementCheck("kpi", kpi, met, detail, need, average)
