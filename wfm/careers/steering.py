"""Agents steering their own careers: every ladder with their eligibility for every rung (what is missing
in words), their own development plan toward a target field (HR sees it), and requests for a place in a
training session, which the scheduler approves seeing what the hours off the phones cost the service level
(`wfm.careers.placement.window_cost`, the placement page's own estimate)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import select

from training.eligibility import eligibility
from wfm.careers import operations
from wfm.careers.blueprint import career_state
from wfm.careers.pages import eligibility_row, session_row
from wfm.careers.store import catalogue_for_change, load_catalogue, record_of
from wfm.clock import utcnow
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.models import Agent, User
from wfm.models.careers import Enrolment, TrainingSession
from wfm.models.talent import DevelopmentPlan, EnrolmentRequest

REQUEST_STATES = ("requested", "approved", "refused")


def all_ladders(agent: Agent, on: dt.date) -> list[dict]:
    """Every field, every rung: the agent's eligibility on `on` (rungs held are marked as held)."""
    cat = load_catalogue()
    record = record_of(agent)
    out = []
    for f in cat.fields.values():
        held = record.level_on(f.code, on)
        out.append(
            {
                "code": f.code,
                "name": f.name,
                "track": f.track.value,
                "held": held,
                "rungs": [
                    {
                        "number": lv.number,
                        "title": lv.title,
                        "held": lv.number <= held,
                        "eligibility": None
                        if lv.number <= held
                        else eligibility_row(eligibility(record, lv, on, cat)),
                    }
                    for lv in f.ladder.levels
                ],
            }
        )
    return out


def plan_of(agent_id: int) -> DevelopmentPlan | None:
    return db.session.scalar(select(DevelopmentPlan).where(DevelopmentPlan.agent_id == agent_id))


def set_plan(agent: Agent, target_field: str, target_level: int, note: str) -> DevelopmentPlan:
    cat = catalogue_for_change()
    if target_field not in cat.fields:
        raise FieldError("target_field", _("Choose the field you are working toward."))
    if not any(lv.number == target_level for lv in cat.fields[target_field].ladder.levels):
        raise FieldError(
            "target_level",
            _(
                "Choose a level of %(field)s: its ladder goes up to level %(top)s.",
                field=cat.fields[target_field].name,
                top=cat.fields[target_field].ladder.top,
            ),
        )
    plan = plan_of(agent.id) or DevelopmentPlan(agent_id=agent.id)
    plan.target_field, plan.target_level, plan.note, plan.updated_at = (
        target_field,
        target_level,
        note,
        utcnow(),
    )
    db.session.add(plan)
    db.session.flush()
    return plan


def open_sessions(on: dt.date) -> list[TrainingSession]:
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.day > on, TrainingSession.closed.is_(False))
            .order_by(TrainingSession.day, TrainingSession.start_minute)
        )
    )


def ask_to_enrol(session: TrainingSession, agent: Agent, note: str, on: dt.date) -> EnrolmentRequest:
    if session.closed or session.day <= on:
        raise FieldError("session", _("This session has taken place or is closed; choose a later one."))
    if db.session.scalar(
        select(Enrolment.id).where(Enrolment.session_id == session.id, Enrolment.agent_id == agent.id)
    ):
        raise FieldError("session", _("You are enrolled in this session already."))
    if db.session.scalar(
        select(EnrolmentRequest.id).where(
            EnrolmentRequest.session_id == session.id, EnrolmentRequest.agent_id == agent.id
        )
    ):
        raise FieldError("session", _("You have asked for a place in this session already."))
    row = EnrolmentRequest(session_id=session.id, agent_id=agent.id, note=note.strip()[:500])
    db.session.add(row)
    db.session.flush()
    return row


def decide_request(row: EnrolmentRequest, user: User, approve: bool, note: str = "") -> EnrolmentRequest:
    """The scheduler approves (the agent is enrolled, with the session's own checks) or refuses (a reason
    is needed: the agent reads it)."""
    if row.status != "requested":
        raise FieldError("to", _("This request is %(state)s already.", state=career_state(row.status)))
    if approve:
        operations.enrol(row.session, row.agent)
    elif not note.strip():
        raise FieldError("note", _("Say why the request is refused: the agent reads it."))
    row.status = "approved" if approve else "refused"
    row.decided_by = user.username
    row.note = (note.strip() or row.note)[:500]

    def told() -> str:
        course, day = load_catalogue().courses[row.session.course].name, row.session.day.isoformat()
        if approve:
            return _(
                "Your request for %(course)s on %(day)s was approved: you are enrolled.",
                course=course,
                day=day,
            )
        return _(
            "Your request for %(course)s on %(day)s was refused (%(note)s).",
            course=course,
            day=day,
            note=note.strip(),
        )

    operations._tell_agent(row.agent_id, told)
    db.session.flush()
    return row


def requests_page(on: dt.date) -> dict:
    """Waiting requests with the service-level cost of one more attendee, and the demand HR reads: requests
    per course and development-plan targets per field."""
    from wfm.careers.placement import window_cost

    cat = load_catalogue()
    rows = db.session.scalars(select(EnrolmentRequest).order_by(EnrolmentRequest.id)).all()
    waiting = []
    for r in rows:
        if r.status != "requested":
            continue
        s = r.session
        start = dt.datetime.combine(s.day, dt.time()) + dt.timedelta(minutes=s.start_minute)
        end = dt.datetime.combine(s.day, dt.time()) + dt.timedelta(minutes=s.end_minute)
        waiting.append(
            {"row": r, "session": session_row(s, cat), "cost": window_cost(s.site_id, start, end, 1)}
        )
    plans = db.session.scalars(select(DevelopmentPlan)).all()
    return {
        "waiting": waiting,
        "decided": [r for r in rows if r.status != "requested"][-20:],
        "by_course": Counter(cat.courses[r.session.course].name for r in rows),
        "targets": Counter(cat.fields[p.target_field].name for p in plans),
        "plans": [(p.agent.name, cat.fields[p.target_field].name, p.target_level, p.note) for p in plans],
    }
