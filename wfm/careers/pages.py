"""Plain values for the careers pages, read from the database and judged by the `training` engine."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from training.catalogue import Catalogue, Level
from training.eligibility import Eligibility, RequirementCheck, eligibility
from training.planning import development_plan
from training.records import AgentRecord, completion_counts
from wfm.careers.operations import enrolled_count
from wfm.careers.store import load_catalogue, profile_shown, record_of
from wfm.extensions import db
from wfm.formatting import counted
from wfm.i18n import translate
from wfm.models import Agent
from wfm.models.careers import (
    Assessment,
    CertificationRow,
    CourseCompletionRow,
    Enrolment,
    LevelHeldRow,
    Promotion,
    TrainingSession,
)
from wfm.models.talent import DevelopmentPlan

# The engine's proficiency scale (`training.catalogue.PROFICIENCY_SCALE`) as a person reads it.
PROFICIENCY_WORDS = {
    1: _l("Awareness"),
    2: _l("Foundation"),
    3: _l("Practitioner"),
    4: _l("Advanced"),
    5: _l("Expert"),
}


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def check_row(check: RequirementCheck) -> dict:
    percent = None
    if check.required:
        percent = max(0, min(100, round(100 * (check.actual or 0) / check.required)))
    elif check.kind in ("course", "certification"):
        percent = 100 if check.met else 0
    return {
        "kind": check.kind,
        "subject": check.subject,
        "met": check.met,
        "detail": translate(check.detail),
        "required": check.required,
        "actual": check.actual,
        "percent": percent,
    }


def eligibility_row(result: Eligibility) -> dict:
    return {
        "eligible": result.eligible,
        "checks": [check_row(c) for c in result.checks],
        "missing": [translate(c.detail) for c in result.missing],
    }


def ladder_rows(record: AgentRecord, cat: Catalogue, on: dt.date, all_fields: bool = True) -> list[dict]:
    """Per field: the level held, and the next rung's checks for fields the agent is on (or counted in)."""
    rows = []
    for f in cat.fields.values():
        held = record.level_on(f.code, on)
        on_it = held > 0 or f.code == record.primary_field
        if not all_fields and not on_it:
            continue
        nxt = f.ladder.next_after(held)
        rows.append(
            {
                "code": f.code,
                "name": f.name,
                "track": f.track.value,
                "held": held,
                "top": f.ladder.top,
                "title": f.ladder.level(held).title if held else _("not on this ladder"),
                "next": {"number": nxt.number, "title": nxt.title} if nxt else None,
                "eligibility": eligibility_row(eligibility(record, nxt, on, cat)) if nxt and on_it else None,
                "primary": f.code == record.primary_field,
            }
        )
    return rows


def _log_rows(log) -> list[dict]:
    return [
        {"at": e.at, "by": e.by, "role": e.role, "from": e.from_state, "to": e.to_state, "note": e.note}
        for e in log
    ]


def evidence_rows(agent_id: int, cat: Catalogue) -> list[dict]:
    rows = db.session.scalars(
        select(Assessment)
        .where(Assessment.agent_id == agent_id)
        .order_by(Assessment.competency, Assessment.on.desc(), Assessment.id.desc())
    ).all()
    return [
        {
            "id": r.id,
            "competency": r.competency,
            "name": cat.competencies[r.competency].name,
            "proficiency": r.proficiency,
            "on": r.on,
            "status": r.status,
            "decided_on": r.decided_on,
            "source": r.source,
            "evidence": r.evidence,
            "log": _log_rows(r.log),
        }
        for r in rows
    ]


def promotion_rows(agent_id: int | None, cat: Catalogue, status: str | None = None) -> list[dict]:
    query = select(Promotion).order_by(Promotion.id.desc())
    if agent_id is not None:
        query = query.where(Promotion.agent_id == agent_id)
    if status:
        query = query.where(Promotion.status == status)
    return [
        {
            "id": p.id,
            "agent_id": p.agent_id,
            "agent": p.agent.name,
            "field": cat.fields[p.field_code].name,
            "field_code": p.field_code,
            "to_level": p.to_level,
            "title": cat.level(p.field_code, p.to_level).title,
            "effective_from": p.effective_from,
            "status": p.status,
            "override_reason": p.override_reason,
            "log": _log_rows(p.log),
            "proposed_by": next((e.by for e in p.log if e.from_state is None), None),
        }
        for p in db.session.scalars(query)
    ]


def course_rows(agent_id: int, cat: Catalogue, on: dt.date) -> list[dict]:
    rows = db.session.scalars(
        select(CourseCompletionRow)
        .where(CourseCompletionRow.agent_id == agent_id)
        .order_by(CourseCompletionRow.completed_on.desc())
    ).all()
    from training.records import CourseCompletion

    out = []
    for r in rows:
        course = cat.courses[r.course]
        passed = r.score >= course.pass_score
        out.append(
            {
                "id": r.id,
                "code": r.course,
                "name": course.name,
                "completed_on": r.completed_on,
                "score": r.score,
                "passed": passed,
                "hours": course.hours,
                "counts": completion_counts(course, CourseCompletion(r.course, r.completed_on, r.score), on),
            }
        )
    return out


def certification_rows(agent_id: int, cat: Catalogue, on: dt.date) -> list[dict]:
    rows = db.session.scalars(
        select(CertificationRow)
        .where(CertificationRow.agent_id == agent_id)
        .order_by(CertificationRow.issued_on.desc())
    ).all()
    out = []
    for r in rows:
        left = (r.expires_on - on).days if r.expires_on else None
        state = (
            "valid"
            if left is None or left > 90
            else ("expired" if left < 0 else f"expires in {counted(left, 'day')}")
        )
        words = (
            _("valid")
            if left is None or left > 90
            else (
                _("expired")
                if left < 0
                else ngettext("expires in %(num)s day", "expires in %(num)s days", left)
            )
        )
        out.append(
            {
                "code": r.certification,
                "name": cat.certifications[r.certification].name,
                "issued_on": r.issued_on,
                "expires_on": r.expires_on,
                "state": state,
                "state_words": words,
            }
        )
    return out


def level_history(agent_id: int, cat: Catalogue) -> list[dict]:
    rows = db.session.scalars(
        select(LevelHeldRow)
        .where(LevelHeldRow.agent_id == agent_id)
        .order_by(LevelHeldRow.since.desc(), LevelHeldRow.id.desc())
    ).all()
    return [
        {
            "field": cat.fields[r.field_code].name,
            "level": r.level,
            "title": cat.level(r.field_code, r.level).title,
            "since": r.since,
            "by_promotion": r.promotion_id is not None,
        }
        for r in rows
    ]


def gap_words(label: str, cat: Catalogue) -> str:
    """The engine's gap labels ('competency investment_advice 2->3', 'certification AML', 'course INV-301')
    in words: the competency's, certification's or course's name."""
    kind, _sep, rest = label.partition(" ")
    if kind == "competency":
        code, _sep, levels = rest.partition(" ")
        name = cat.competencies[code].name if code in cat.competencies else code
        return f"{name} {levels.replace('->', ' → ')}".strip()
    if kind == "certification" and rest in cat.certifications:
        return f"{cat.certifications[rest].name} ({rest})"
    if kind == "course" and rest in cat.courses:
        return _("course %(name)s (%(code)s)", name=cat.courses[rest].name, code=rest)
    return translate(label)


def plan_row(record: AgentRecord, target: Level, on: dt.date, cat: Catalogue) -> dict:
    plan = development_plan(record, target, on, cat)
    return {
        "target": _(
            "%(field)s level %(number)s (%(title)s)",
            field=cat.fields[target.field].name,
            number=target.number,
            title=target.title,
        ),
        "steps": [
            {
                "course": s.course,
                "name": s.name,
                "hours": s.hours,
                "closes": [gap_words(g, cat) for g in s.closes],
                "reason": translate(s.reason),
            }
            for s in plan.steps
        ],
        "total_hours": plan.total_hours,
        "unclosable": [gap_words(g, cat) for g in plan.unclosable],
        "remaining": [translate(c.detail) for c in plan.remaining],
        "explanation": translate(plan.explanation),
    }


def upcoming_sessions(agent_id: int, on: dt.date, cat: Catalogue) -> list[dict]:
    rows = db.session.scalars(
        select(TrainingSession)
        .join(Enrolment)
        .where(Enrolment.agent_id == agent_id, TrainingSession.day >= on)
        .order_by(TrainingSession.day)
    ).all()
    return [session_row(s, cat) for s in rows]


def session_row(s: TrainingSession, cat: Catalogue) -> dict:
    return {
        "id": s.id,
        "course": s.course,
        "name": cat.courses[s.course].name,
        "day": s.day,
        "time": f"{hhmm(s.start_minute)}–{hhmm(s.end_minute)}",
        "capacity": s.capacity,
        "enrolled": enrolled_count(s),
        "trainer": s.trainer,
        "location": s.location,
        "closed": s.closed,
    }


def profile_page(agent: Agent, on: dt.date, target: tuple[str, int] | None = None) -> dict:
    cat = load_catalogue()
    profile = profile_shown(agent)
    record = record_of(agent)
    plan = None
    if target is not None and target[0] in cat.fields and 1 <= target[1] <= cat.fields[target[0]].ladder.top:
        plan = plan_row(record, cat.level(*target), on, cat)
    own = db.session.scalar(select(DevelopmentPlan).where(DevelopmentPlan.agent_id == agent.id))
    return {
        "own_plan": (cat.fields[own.target_field].name, own.target_level, own.note) if own else None,
        "id": agent.id,
        "name": agent.name,
        "employee_number": agent.employee_number,
        "team": agent.team.name if agent.team else None,
        "hire_date": agent.hire_date,
        "leaving_date": agent.leaving_date,
        "primary_field": cat.fields[profile.primary_field].name,
        "quality": profile.quality_score,
        "quality_on": profile.quality_on,
        "fields": ladder_rows(record, cat, on),
        "levels": level_history(agent.id, cat),
        "proficiencies": [
            {
                "code": c,
                "name": cat.competencies[c].name,
                "proficiency": p,
                "label": str(PROFICIENCY_WORDS[p]),
            }
            for c, p in record.proficiencies_on(on).items()
        ],
        "evidence": evidence_rows(agent.id, cat),
        "promotions": promotion_rows(agent.id, cat),
        "courses": course_rows(agent.id, cat, on),
        "certifications": certification_rows(agent.id, cat, on),
        "sessions": upcoming_sessions(agent.id, on, cat),
        "plan": plan,
        "target": target,
        "field_choices": [
            (f.code, f.name, [(lv.number, lv.title) for lv in f.ladder.levels]) for f in cat.fields.values()
        ],
        "competency_choices": [(c.code, c.name) for c in cat.competencies.values()],
        "skills": sorted({s.skill.name: s.proficiency for s in agent.skills_on(on)}.items()),
    }


def ladder_page(agent: Agent, on: dt.date) -> dict:
    """What an agent sees of their own career: their fields, the next rung's checks, training, evidence."""
    cat = load_catalogue()
    record = record_of(agent)
    return {
        "name": agent.name,
        "fields": ladder_rows(record, cat, on, all_fields=False),
        "sessions": upcoming_sessions(agent.id, on, cat),
        "courses": course_rows(agent.id, cat, on),
        "certifications": certification_rows(agent.id, cat, on),
        "evidence": evidence_rows(agent.id, cat),
        "competency_choices": [(c.code, c.name) for c in cat.competencies.values()],
        "proficiencies": [
            {"code": c, "name": cat.competencies[c].name, "proficiency": p}
            for c, p in record.proficiencies_on(on).items()
        ],
    }
