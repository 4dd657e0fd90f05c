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
    needed = format(need, "g")
    if any(e.on <= on for e in record.evaluations):
        average, count = rolling_average(record.evaluations, add_months(on, -ROLLING_MONTHS), on)
        if average is None:
            detail = Sentence(
                "no quality evaluation in %(months)s months (needs %(need)s)",
                months=ROLLING_MONTHS,
                need=needed,
            )
            return RequirementCheck("quality", "", False, detail, need)
        values = {"average": format(average, "g"), "count": count, "months": ROLLING_MONTHS, "need": needed}
        if count == 1:
            detail = (
                Sentence(
                    "quality %(average)s over %(count)s evaluation in %(months)s months, at least %(need)s",
                    **values,
                )
                if average >= need
                else Sentence(
                    "quality %(average)s over %(count)s evaluation in %(months)s months, below %(need)s",
                    **values,
                )
            )
        else:
            detail = (
                Sentence(
                    "quality %(average)s over %(count)s evaluations in %(months)s months, at least %(need)s",
                    **values,
                )
                if average >= need
                else Sentence(
                    "quality %(average)s over %(count)s evaluations in %(months)s months, below %(need)s",
                    **values,
                )
            )
        return RequirementCheck("quality", "", average >= need, detail, need, average)
    score = record.quality_score
    if score is None:
        detail = Sentence("no quality score (needs %(need)s)", need=needed)
        return RequirementCheck("quality", "", False, detail, need, None)
    detail = (
        Sentence("quality score %(score)s at least %(need)s", score=format(score, "g"), need=needed)
        if score >= need
        else Sentence("quality score %(score)s below %(need)s", score=format(score, "g"), need=needed)
    )
    return RequirementCheck("quality", "", score >= need, detail, need, score)


# The requirable KPIs' names as a person reads them (`training.kpis.REQUIRABLE` has them in English).
KPI_WORDS = {
    "handle_seconds": Sentence("average handle time"),
    "fcr": Sentence("first-contact resolution"),
    "csat": Sentence("customer satisfaction"),
    "adherence": Sentence("adherence"),
}


def _kpi_check(record: AgentRecord, kpi: str, need: float, on: dt.date) -> RequirementCheck:
    """The KPI's average over the `REQUIREMENT_DAYS` days ending on `on`; without a figure in them the
    requirement is missing (and says so): no data never makes an agent eligible."""
    english, unit, _range, higher = REQUIRABLE[kpi]
    name = KPI_WORDS.get(kpi, english)
    needed = format(need, "g") + unit
    average, days = kpi_average(record.kpis, kpi, on)
    if average is None:
        values = {"kpi": name, "days": REQUIREMENT_DAYS, "need": needed}
        detail = (
            Sentence("no %(kpi)s figures in the last %(days)s days (needs at least %(need)s)", **values)
            if higher
            else Sentence("no %(kpi)s figures in the last %(days)s days (needs at most %(need)s)", **values)
        )
        return RequirementCheck("kpi", kpi, False, detail, need)
    met = requirement_met(kpi, average, need)
    span = (
        Sentence("%(days)s days", days=REQUIREMENT_DAYS)
        if days >= REQUIREMENT_DAYS
        else Sentence("%(days)s of the last %(total)s days", days=days, total=REQUIREMENT_DAYS)
    )
    values = {"kpi": name, "average": format(average, "g") + unit, "span": span, "need": needed}
    if met:
        detail = (
            Sentence("%(kpi)s %(average)s over %(span)s, at least %(need)s", **values)
            if higher
            else Sentence("%(kpi)s %(average)s over %(span)s, at most %(need)s", **values)
        )
    else:
        detail = (
            Sentence("%(kpi)s %(average)s over %(span)s, below %(need)s", **values)
            if higher
            else Sentence("%(kpi)s %(average)s over %(span)s, above %(need)s", **values)
        )
    return RequirementCheck("kpi", kpi, met, detail, need, average)
