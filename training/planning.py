"""Gap analysis against a target level, and a development plan of courses that closes the gaps.

A target may sit several rungs up, or need a level in another field first (a wealth manager starts as a
senior basic-service associate): `target_requirements` merges every rung not yet held on the way, so the
plan covers the whole path. Promotions, tenure, quality scores and KPIs cannot be taught; the plan says so.

Choosing courses is a set-cover problem (each course closes some gaps at a cost in hours). The plan uses
the classic greedy rule, picking the course that closes the most gaps per hour (counting the hours of the
prerequisites it drags in), then drops any course the others made redundant. Greedy is within a log factor
of the optimum and easy to explain to an agent, which matters more here than the last hour saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduling.text import Sentence
from training.catalogue import Catalogue, Course, Level
from training.eligibility import Eligibility, RequirementCheck, eligibility
from training.kpis import strictest
from training.records import AgentRecord


@dataclass(frozen=True)
class CompetencyGap:
    competency: str
    current: int
    required: int


@dataclass(frozen=True)
class GapAnalysis:
    """What stands between an agent and a target level, sorted by what can close it."""

    target: Level  # the target as asked for
    eligibility: Eligibility  # against the merged requirements of every rung on the way
    competency_gaps: tuple[CompetencyGap, ...]
    course_gaps: tuple[str, ...]  # required courses not passed (or lapsed)
    certification_gaps: tuple[str, ...]  # certifications missing or expired
    other_gaps: tuple[RequirementCheck, ...]  # levels (promotions), tenure, quality, KPIs: no course closes


@dataclass(frozen=True)
class PlanStep:
    course: str
    name: str
    hours: float
    closes: tuple[
        str, ...
    ]  # gaps it closes, e.g. "competency investment_advice 2->3", "certification INV-ADV"
    reason: str  # "required by the level", "prerequisite of INV-301", "closes 2 gaps, 0.033 per hour"


@dataclass(frozen=True)
class DevelopmentPlan:
    agent_id: str
    target: Level
    on: dt.date
    steps: tuple[PlanStep, ...]  # in the order to take them (prerequisites first)
    unclosable: tuple[str, ...]  # competency or certification gaps that no course in the catalogue closes
    remaining: tuple[RequirementCheck, ...]  # promotions, tenure, quality: time and work, not courses
    explanation: str

    @property
    def total_hours(self) -> float:
        return sum(s.hours for s in self.steps)


def target_requirements(record: AgentRecord, target: Level, on: dt.date, cat: Catalogue) -> Level:
    """One level whose requirements are those of every rung not yet held on the way to `target`,
    including rungs of other fields it requires. Its level checks are the promotions still needed."""
    rungs: list[Level] = []
    _collect_rungs(record, target.field, target.number, on, cat, rungs, set())
    competencies: dict[str, int] = {}
    courses: list[str] = []
    certifications: list[str] = []
    requires_levels: dict[str, int] = {}
    for lv in rungs:
        for code, need in lv.competencies.items():
            competencies[code] = max(need, competencies.get(code, 0))
        courses += [c for c in lv.courses if c not in courses]
        certifications += [c for c in lv.certifications if c not in certifications]
        for other, number in lv.requires_levels.items():
            if other != target.field:
                requires_levels[other] = max(number, requires_levels.get(other, 0))
    qualities = [lv.min_quality for lv in rungs if lv.min_quality is not None]
    kpis: dict[str, float] = {}
    for lv in rungs:  # the strictest threshold of the rungs on the way
        for kpi, threshold in lv.kpis.items():
            kpis[kpi] = threshold if kpi not in kpis else strictest(kpi, kpis[kpi], threshold)
    return Level(
        field=target.field,
        number=target.number,
        title=target.title,
        competencies=competencies,
        courses=tuple(courses),
        certifications=tuple(certifications),
        tenure_months=max((lv.tenure_months for lv in rungs), default=0),
        min_quality=max(qualities) if qualities else None,
        requires_levels=requires_levels,
        description=f"every rung not yet held on the way to {target.field} level {target.number}",
        kpis=kpis,
    )


def _collect_rungs(
    record: AgentRecord,
    field_code: str,
    number: int,
    on: dt.date,
    cat: Catalogue,
    rungs: list[Level],
    seen: set[tuple[str, int]],
) -> None:
    held = record.level_on(field_code, on)
    for n in range(held + 1, number + 1):
        lv = cat.level(field_code, n)
        if lv.key in seen:
            continue
        seen.add(lv.key)
        for other, other_number in lv.requires_levels.items():
            _collect_rungs(record, other, other_number, on, cat, rungs, seen)
        rungs.append(lv)


def gap_analysis(record: AgentRecord, target: Level, on: dt.date, cat: Catalogue) -> GapAnalysis:
    merged = target_requirements(record, target, on, cat)
    result = eligibility(record, merged, on, cat)
    missing = result.missing
    return GapAnalysis(
        target=target,
        eligibility=result,
        competency_gaps=tuple(
            CompetencyGap(c.subject, int(c.actual or 0), int(c.required or 0))
            for c in missing
            if c.kind == "competency"
        ),
        course_gaps=tuple(c.subject for c in missing if c.kind == "course"),
        certification_gaps=tuple(c.subject for c in missing if c.kind == "certification"),
        other_gaps=tuple(c for c in missing if c.kind in ("level", "tenure", "quality", "kpi")),
    )


def _closes(course: Course, gaps: dict[str, tuple[str, str, int]]) -> set[str]:
    """Labels of the open gaps that passing `course` closes."""
    closed = set()
    for label, (kind, subject, need) in gaps.items():
        if (
            (kind == "competency" and course.raises.get(subject, 0) >= need)
            or (kind == "certification" and course.awards == subject)
            or (kind == "course" and course.code == subject)
        ):
            closed.add(label)
    return closed


def development_plan(record: AgentRecord, target: Level, on: dt.date, cat: Catalogue) -> DevelopmentPlan:
    """Courses that close every gap a course can close, prerequisites first, and what remains."""
    gaps_found = gap_analysis(record, target, on, cat)
    gaps = _gap_labels(gaps_found)
    selection = _Selection(cat, _passed_courses(record, on, cat))
    for code in gaps_found.course_gaps:  # required outright
        if code not in selection.chosen:
            selection.take(code, Sentence("required by the level"))
    open_gaps = set(gaps) - _closed_by(selection.chosen, gaps, cat)
    while open_gaps:
        best = _best_next(selection, gaps, open_gaps, cat)
        if best is None:
            break
        ratio, count, _, code = best
        per_hour = format(ratio, ".3f")
        if count == 1:
            reason = Sentence(
                "closes %(count)s gap, %(ratio)s per hour with prerequisites", count=1, ratio=per_hour
            )
        else:
            reason = Sentence(
                "closes %(count)s gaps, %(ratio)s per hour with prerequisites", count=count, ratio=per_hour
            )
        selection.take(code, reason)
        open_gaps -= _closed_by(selection.chosen, gaps, cat)

    chosen, reasons = selection.chosen, selection.reasons
    chosen = _drop_redundant(chosen, reasons, gaps, cat)
    steps = []
    for code in _prerequisites_first(chosen, cat):
        course = cat.courses[code]
        closes = tuple(sorted(_closes(course, gaps)))
        steps.append(PlanStep(code, course.name, course.hours, closes, reasons[code]))
    explanation = Sentence(
        "Required courses first; then, while a gap a course can close is open, the course closing the most "
        "gaps per hour (its missing prerequisites' hours included); courses made redundant by later choices "
        "are dropped. Steps are ordered so every prerequisite comes before the course that needs it."
    )
    return DevelopmentPlan(
        record.agent_id,
        target,
        on,
        tuple(steps),
        tuple(sorted(open_gaps)),
        gaps_found.other_gaps,
        explanation,
    )


def _gap_labels(gaps_found: GapAnalysis) -> dict[str, tuple[str, str, int]]:
    """The gaps a course can close, by label: (kind, subject, proficiency needed or 0)."""
    gaps: dict[str, tuple[str, str, int]] = {}
    for g in gaps_found.competency_gaps:
        gaps[f"competency {g.competency} {g.current}->{g.required}"] = (
            "competency",
            g.competency,
            g.required,
        )
    for code in gaps_found.certification_gaps:
        gaps[f"certification {code}"] = ("certification", code, 0)
    for code in gaps_found.course_gaps:
        gaps[f"course {code}"] = ("course", code, 0)
    return gaps


def _passed_courses(record: AgentRecord, on: dt.date, cat: Catalogue) -> set[str]:
    return {
        c.course
        for c in record.completions
        if c.completed_on <= on and c.course in cat.courses and c.score >= cat.courses[c.course].pass_score
    }


class _Selection:
    """The courses chosen so far, in selection order, each with the reason it was chosen."""

    def __init__(self, cat: Catalogue, passed: set[str]) -> None:
        self.cat, self.passed = cat, passed
        self.chosen: list[str] = []
        self.reasons: dict[str, str] = {}

    def missing_prerequisites(self, code: str) -> list[str]:
        out: list[str] = []
        for pre in self.cat.courses[code].prerequisites:
            if pre not in self.passed and pre not in self.chosen:
                out += [p for p in [*self.missing_prerequisites(pre), pre] if p not in out]
        return out

    def take(self, code: str, reason: str) -> None:
        for pre in self.missing_prerequisites(code):
            self.chosen.append(pre)
            self.reasons[pre] = Sentence("prerequisite of %(code)s", code=code)
        self.chosen.append(code)
        self.reasons[code] = reason


def _closed_by(codes: list[str], gaps: dict[str, tuple[str, str, int]], cat: Catalogue) -> set[str]:
    return set().union(*(_closes(cat.courses[c], gaps) for c in codes))


def _best_next(
    selection: _Selection, gaps: dict[str, tuple[str, str, int]], open_gaps: set[str], cat: Catalogue
) -> tuple[float, int, float, str] | None:
    """(open gaps closed per hour, gaps closed, -hours, course) of the course that, with its missing
    prerequisites, closes the most open gaps per hour; None when no course closes one."""
    best: tuple[float, int, float, str] | None = None
    for code in sorted(cat.courses):
        if code in selection.chosen:
            continue
        bundle = [*selection.missing_prerequisites(code), code]
        closed = _closed_by(bundle, gaps, cat) & open_gaps
        if not closed:
            continue
        hours = sum(cat.courses[c].hours for c in bundle)
        key = (len(closed) / hours, len(closed), -hours, code)
        if best is None or key[:3] > best[:3]:
            best = key
    return best


def _drop_redundant(
    chosen: list[str], reasons: dict[str, str], gaps: dict[str, tuple[str, str, int]], cat: Catalogue
) -> list[str]:
    kept = list(chosen)
    for code in reversed(chosen):
        if reasons[code] == "required by the level":
            continue
        others = [c for c in kept if c != code]
        if any(code in cat.courses[c].prerequisites for c in others):
            continue
        covered_by_others = set().union(*(_closes(cat.courses[c], gaps) for c in others))
        if _closes(cat.courses[code], gaps) <= covered_by_others:
            kept = others
    return kept


def _prerequisites_first(chosen: list[str], cat: Catalogue) -> list[str]:
    """A topological order of the chosen courses that otherwise keeps their selection order."""
    ordered: list[str] = []
    remaining = list(chosen)
    while remaining:
        for code in remaining:
            if all(pre not in remaining for pre in cat.courses[code].prerequisites):
                ordered.append(code)
                remaining.remove(code)
                break
    return ordered
