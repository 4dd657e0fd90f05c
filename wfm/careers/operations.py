"""State changes of careers and training (flush only; the request commits once).

Each workflow step is checked by the engine (`training.workflow`), which also says who may take it; the
step's log entry is stored as it comes back. Whatever raises a competency or a level also updates the
agent's queue skills (`AgentSkill` rows) from its effective date through `training.skills`, so the roster
follows: the old row closes the day before, a new row opens, history is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from scheduling.text import Sentence
from training.catalogue import Catalogue
from training.records import AgentRecord, with_course_passed
from training.skills import SkillChange, default_skill_rules, skill_changes
from training.workflow import (
    EVIDENCE,
    ROLES,
    Actor,
    LogEntry,
    NotAllowed,
    PromotionProposal,
    WorkflowError,
    approve_promotion,
    propose_promotion,
)
from wfm.careers.store import catalogue_for_change, load_catalogue, profile_of, record_of
from wfm.clock import utcnow
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.i18n.languages import DEFAULT_LANGUAGE
from wfm.models import Agent, AgentSkill, AgentStatus, Notification, Site, Skill, User
from wfm.models.careers import (
    Assessment,
    CertificationRow,
    CourseCompletionRow,
    Enrolment,
    LevelHeldRow,
    Promotion,
    TrainingSession,
    WorkflowLog,
)
from wfm.names import flush_or_raise
from wfm.selfservice import notify
from wfm.transitions import claim

__all__ = ["FieldError", "NotAllowed", "WorkflowError"]


def actor_of(user: User) -> Actor:
    return Actor(
        user.username,
        frozenset(r.value for r in user.roles) & frozenset(ROLES),
        str(user.agent_id) if user.agent_id else None,
    )


def _store_log(item_id: int, entry: LogEntry) -> WorkflowLog:
    row = WorkflowLog(
        workflow=entry.workflow,
        item_id=item_id,
        by=entry.by,
        role=entry.role,
        at=entry.at,
        from_state=entry.from_state,
        to_state=entry.to_state,
        note=entry.note,
    )
    db.session.add(row)
    return row


def _tell_agent(agent_id: int, message: str | Sentence | Callable[[], str], url: str = "/careers/me") -> None:
    """An in-app notice to the agent's user(s): they have to read decisions about them. `message` may be a
    function writing it: it is then written in each user's own language (catalogue names included), not
    in the language of whoever took the decision."""
    for user in db.session.scalars(select(User).where(User.agent_id == agent_id, User.active)):
        if isinstance(
            message, Sentence
        ):  # kept as a sentence: read in whatever language the person reads then
            notify.notify_user(user, message, url)
            continue
        if callable(message):
            with force_locale(user.language or DEFAULT_LANGUAGE):
                text = message()
        else:
            text = message
        db.session.add(Notification(user_id=user.id, message=text[:400], url=url))


# --- queue skills follow careers ---------------------------------------------------------------------------


def apply_skill_changes(agent: Agent, changes: list[SkillChange]) -> list[AgentSkill]:
    """Store the skills a change gains or raises, from its effective date: the row in force then closes the
    day before and a new row opens (to where the old one ended). Skills the centre does not have, and
    changes that would lower what is stored, are left alone: careers add skills, managers remove them. A
    rule names a skill as its code says (`Skill.code`), else by the skill's name."""
    stored = db.session.scalars(select(Skill)).all()
    skills = {s.name: s for s in stored} | {s.code: s for s in stored if s.code}
    opened = []
    for change in changes:
        skill = skills.get(change.skill)
        if skill is None or change.to_proficiency <= change.from_proficiency:
            continue
        day = change.effective_from
        rows = [r for r in agent.skills if r.skill_id == skill.id]
        current = next((r for r in rows if r.in_force(day)), None)
        if current is not None and current.proficiency >= change.to_proficiency:
            continue
        later = sorted(r.effective_from for r in rows if r.effective_from > day)
        end = later[0] - dt.timedelta(days=1) if later else None
        if current is not None:
            end = current.effective_to
            if current.effective_from == day:
                current.proficiency = change.to_proficiency
                continue
            current.effective_to = day - dt.timedelta(days=1)
        row = AgentSkill(skill=skill, proficiency=change.to_proficiency, effective_from=day, effective_to=end)
        agent.skills.append(row)
        opened.append(row)
    db.session.flush()
    return opened


def _sync_skills(agent: Agent, before: AgentRecord, after: AgentRecord, day: dt.date) -> None:
    apply_skill_changes(agent, skill_changes(before, after, day, default_skill_rules()))


def _claim(row: Assessment | Promotion, to: str, what: str) -> None:
    """Move the item from the state the workflow checked to `to`, unless someone moved it meanwhile (two
    people deciding the same item at the same moment: the second is refused, nothing of it is written)."""
    now = claim(row, row.status, to)
    if now is not None:
        raise WorkflowError(
            _("%(what)s: someone decided this first; it is %(state)s now", what=what, state=now)
        )


# --- evidence -----------------------------------------------------------------------------------------------


def submit_evidence(
    agent: Agent,
    user: User,
    competency: str,
    proficiency: int,
    on: dt.date,
    evidence: str,
    source: str = "self-assessment",
    today: dt.date | None = None,
) -> Assessment:
    """Submit evidence for HR to validate: dated between the hire and today."""
    cat = catalogue_for_change()
    if competency not in cat.competencies:
        raise FieldError("competency", _("Choose one of the competencies."))
    if not 1 <= proficiency <= 5:
        raise FieldError("proficiency", _("Proficiency runs from 1 to 5."))
    if not evidence.strip():
        raise FieldError("evidence", _("Say what shows it (a call reviewed, a case, a certificate)."))
    today = today or dt.date.today()
    if on > today:
        raise FieldError(
            "on", _("Evidence is of what has happened: date it %(day)s or earlier.", day=today.isoformat())
        )
    if on < agent.hire_date:
        raise FieldError(
            "on",
            _(
                "That is before %(name)s was hired (%(day)s).",
                name=agent.name,
                day=agent.hire_date.isoformat(),
            ),
        )
    row = Assessment(
        agent_id=agent.id,
        competency=competency,
        proficiency=proficiency,
        on=on,
        status="submitted",
        source=source,
        evidence=evidence.strip(),
    )
    db.session.add(row)
    db.session.flush()
    try:
        entry = EVIDENCE.transition(
            f"evidence {row.id}", None, "submitted", actor_of(user), utcnow(), owner=str(agent.id)
        )
    except WorkflowError:
        db.session.delete(row)
        db.session.flush()
        raise
    _store_log(row.id, entry)
    db.session.flush()
    return row


def _submitted_by(row: Assessment) -> str | None:
    """Who last submitted the evidence (its latest step into 'submitted' in the append-only log)."""
    return db.session.scalar(
        select(WorkflowLog.by)
        .where(
            WorkflowLog.workflow == "evidence",
            WorkflowLog.item_id == row.id,
            WorkflowLog.to_state == "submitted",
        )
        .order_by(WorkflowLog.id.desc())
        .limit(1)
    )


def decide_evidence(
    row: Assessment, user: User, to: str, note: str = "", today: dt.date | None = None
) -> Assessment:
    """Validate or reject (or resubmit a rejected item); a validation may raise queue skills."""
    today = today or dt.date.today()
    entry = EVIDENCE.transition(
        f"evidence {row.id}", row.status, to, actor_of(user), utcnow(), owner=str(row.agent_id), note=note
    )
    if to == "validated" and _submitted_by(row) == user.username:
        raise NotAllowed(
            _(
                "Whoever submitted a piece of evidence may not validate it: another member of HR or an "
                "admin must."
            )
        )
    agent = db.session.get(Agent, row.agent_id)
    before = record_of(agent)
    _claim(row, to, "evidence")
    row.decided_on = today if to in ("validated", "rejected") else None
    _store_log(row.id, entry)
    if to in ("validated", "rejected"):

        def told() -> str:
            values = {
                "competency": load_catalogue().competencies[row.competency].name,
                "level": row.proficiency,
                "note": note.strip(),
            }
            if to == "validated":
                if note.strip():
                    return _(
                        "Your evidence for %(competency)s at %(level)s was validated: %(note)s", **values
                    )
                return _("Your evidence for %(competency)s at %(level)s was validated.", **values)
            if note.strip():
                return _("Your evidence for %(competency)s at %(level)s was rejected: %(note)s", **values)
            return _("Your evidence for %(competency)s at %(level)s was rejected.", **values)

        _tell_agent(row.agent_id, told)
    db.session.flush()
    if to == "validated":
        _sync_skills(agent, before, record_of(agent), max(row.on, today))
    return row


# --- promotions ---------------------------------------------------------------------------------------------


def level_name(cat: Catalogue, field_code: str, number: int) -> str:
    """'Wealth manager level 2 (Senior wealth manager)': what a person reads, never the field's code."""
    field = cat.fields[field_code]
    try:
        title = field.ladder.level(number).title
    except KeyError:
        return _("%(field)s level %(number)s", field=field.name, number=number)
    return _("%(field)s level %(number)s (%(title)s)", field=field.name, number=number, title=title)


def proposer_of(row: Promotion) -> str | None:
    """Who proposed the promotion (the first step of its append-only log)."""
    first = db.session.scalar(
        select(WorkflowLog)
        .where(
            WorkflowLog.workflow == "promotion",
            WorkflowLog.item_id == row.id,
            WorkflowLog.from_state.is_(None),
        )
        .order_by(WorkflowLog.id)
    )
    return first.by if first is not None else None


def propose(
    agent: Agent,
    user: User,
    field_code: str,
    to_level: int,
    effective_from: dt.date,
    note: str = "",
    override: str = "",
) -> Promotion:
    """Propose the next rung. Refused: a date before the hire (or after leaving), a skipped rung, and an agent
    who is not eligible on the date unless `override` says why the exception (another person approves)."""
    cat = catalogue_for_change()
    record = record_of(agent)
    proposal = PromotionProposal(str(agent.id), field_code, to_level, effective_from)
    entry, verdict = propose_promotion(
        proposal, actor_of(user), utcnow(), record, cat, note, override=override
    )
    waiting = db.session.scalar(
        select(Promotion).where(
            Promotion.agent_id == agent.id, Promotion.field_code == field_code, Promotion.status == "proposed"
        )
    )
    if waiting is not None:
        raise FieldError(
            "field",
            _(
                "A promotion to %(level)s from %(day)s is waiting for a decision already: approve or reject "
                "it first.",
                level=level_name(cat, field_code, waiting.to_level),
                day=waiting.effective_from.isoformat(),
            ),
        )
    reason = override.strip()[:1000] if not verdict.eligible else None
    row = Promotion(
        agent_id=agent.id,
        field_code=field_code,
        to_level=to_level,
        effective_from=effective_from,
        status="proposed",
        override_reason=reason,
    )
    db.session.add(row)
    db.session.flush()
    if reason:
        entry = replace(
            entry,
            note=(f"{entry.note.strip()} · " if entry.note.strip() else "")
            + f"not eligible, promoted as an exception: {reason}",
        )
    _store_log(row.id, entry)
    db.session.flush()
    return row


def approve(row: Promotion, user: User, note: str = "") -> Promotion:
    """The level from the effective date, and the queue skills it unlocks from the same date. Whoever
    proposed it may not approve it; rung, dates and eligibility (or the recorded exception) are checked
    again."""
    cat = catalogue_for_change()
    agent = db.session.get(Agent, row.agent_id)
    record = record_of(agent)
    proposal = PromotionProposal(str(agent.id), row.field_code, row.to_level, row.effective_from)
    outcome = approve_promotion(
        proposal,
        row.status,
        actor_of(user),
        utcnow(),
        record,
        default_skill_rules(),
        note,
        proposed_by=proposer_of(row),
        cat=cat,
        override=row.override_reason or "",
    )
    _claim(row, "approved", "promotion")
    _store_log(row.id, outcome.log)
    _tell_agent(
        agent.id,
        lambda: _(
            "Congratulations: %(level)s from %(day)s.",
            level=level_name(load_catalogue(), row.field_code, row.to_level),
            day=row.effective_from.isoformat(),
        ),
    )
    db.session.add(
        LevelHeldRow(
            agent_id=agent.id,
            field_code=row.field_code,
            level=row.to_level,
            since=row.effective_from,
            promotion_id=row.id,
        )
    )
    db.session.flush()
    apply_skill_changes(agent, list(outcome.skill_changes))
    return row


def reject(row: Promotion, user: User, note: str) -> Promotion:
    from training.workflow import PROMOTION

    entry = PROMOTION.transition(
        f"promotion of {row.agent_id}",
        row.status,
        "rejected",
        actor_of(user),
        utcnow(),
        owner=str(row.agent_id),
        note=note,
    )
    _claim(row, "rejected", "promotion")
    _store_log(row.id, entry)
    catalogue_for_change()
    _tell_agent(
        row.agent_id,
        lambda: _(
            "Your promotion to %(level)s was not approved: %(note)s",
            level=level_name(load_catalogue(), row.field_code, row.to_level),
            note=note.strip(),
        ),
    )
    db.session.flush()
    return row


def resubmit_evidence(row: Assessment, user: User, evidence: str) -> Assessment:
    """A rejected item goes back to HR, with better evidence when given (the log keeps the first try)."""
    entry = EVIDENCE.transition(
        f"evidence {row.id}",
        row.status,
        "submitted",
        actor_of(user),
        utcnow(),
        owner=str(row.agent_id),
        note=evidence.strip(),
    )
    if evidence.strip():
        row.evidence = evidence.strip()[:1000]
    _claim(row, "submitted", "evidence")
    row.decided_on = None
    _store_log(row.id, entry)
    db.session.flush()
    return row


# --- training -----------------------------------------------------------------------------------------------

WEEKDAYS = (
    _l("Mondays"),
    _l("Tuesdays"),
    _l("Wednesdays"),
    _l("Thursdays"),
    _l("Fridays"),
    _l("Saturdays"),
    _l("Sundays"),
)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def site_now(site: Site | None) -> dt.datetime:
    """The wall-clock time at the site (its time zone), naive like the sessions' days and minutes."""
    if site is None or not site.time_zone:
        return dt.datetime.now()
    try:
        zone = ZoneInfo(site.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.datetime.now()
    return dt.datetime.now(dt.UTC).astimezone(zone).replace(tzinfo=None)


def opening_problem(site: Site | None, day: dt.date, start: int, end: int) -> FieldError | None:
    """Why a session from `start` to `end` (minutes after local midnight) cannot take place at the site on
    `day`: the site closed that weekday, or the session starting before it opens or ending after it closes."""
    if site is None:
        return None
    hours = site.hours_on(day.weekday())
    if hours is None:
        return FieldError(
            "day", _("%(site)s is closed on %(days)s.", site=site.name, days=WEEKDAYS[day.weekday()])
        )
    if start < hours.opens_minute:
        return FieldError(
            "start",
            _(
                "%(site)s opens at %(time)s on %(days)s; start the session then or later.",
                site=site.name,
                time=_hhmm(hours.opens_minute),
                days=WEEKDAYS[day.weekday()],
            ),
        )
    if end > hours.closes_minute:
        return FieldError(
            "end",
            _(
                "%(site)s closes at %(time)s on %(days)s; end the session by then.",
                site=site.name,
                time=_hhmm(hours.closes_minute),
                days=WEEKDAYS[day.weekday()],
            ),
        )
    return None


def create_session(
    *,
    course: str,
    site: Site | None,
    day: dt.date,
    start: int,
    end: int,
    capacity: int,
    trainer: str = "",
    location: str = "",
    cat: Catalogue | None = None,
) -> TrainingSession:
    """A new session: a course the catalogue has, on a day not yet past at the site, while the site is
    open."""
    cat = cat or catalogue_for_change()
    if course not in cat.courses:
        raise FieldError("course", _("Choose one of the courses."))
    if end <= start:
        raise FieldError("end", _("The session must end after it starts."))
    now = site_now(site)
    if day < now.date() or (day == now.date() and start < now.hour * 60 + now.minute):
        raise FieldError(
            "day",
            _(
                "That is in the past (it is %(now)s at the site); a session is planned ahead.",
                now=now.strftime("%Y-%m-%d %H:%M"),
            ),
        )
    problem = opening_problem(site, day, start, end)
    if problem is not None:
        raise problem
    if not 1 <= capacity <= 500:
        raise FieldError("capacity", _("Between 1 and 500 places."))
    row = TrainingSession(
        course=course,
        site_id=site.id if site else None,
        day=day,
        start_minute=start,
        end_minute=end,
        capacity=capacity,
        trainer=trainer,
        location=location or "online",
    )
    db.session.add(row)
    db.session.flush()
    return row


def session_ended(session: TrainingSession) -> bool:
    site = db.session.get(Site, session.site_id) if session.site_id else None
    end = dt.datetime.combine(session.day, dt.time()) + dt.timedelta(minutes=session.end_minute)
    return end <= site_now(site)


def enrolled_count(session: TrainingSession) -> int:
    return db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.session_id == session.id)) or 0


def enrol(session: TrainingSession, agent: Agent) -> Enrolment:
    """Enrol an agent; a full session, a closed one, a leaver or a double enrolment is refused by name."""
    if session.closed:
        raise FieldError("agent_id", _("the session's results are recorded; enrol in another session"))
    taken = enrolled_count(session)
    if taken >= session.capacity:
        raise FieldError(
            "agent_id",
            ngettext(
                "the session is full: %(taken)s of %(num)s place taken",
                "the session is full: %(taken)s of %(num)s places taken",
                session.capacity,
                taken=taken,
            ),
        )
    if agent.hire_date > session.day:
        raise FieldError(
            "agent_id",
            _(
                "%(name)s starts on %(day)s, after the session.",
                name=agent.name,
                day=agent.hire_date.isoformat(),
            ),
        )
    if agent.status == AgentStatus.LEFT or (agent.leaving_date and agent.leaving_date < session.day):
        raise FieldError(
            "agent_id", _("%(name)s is not employed on %(day)s", name=agent.name, day=session.day.isoformat())
        )
    if db.session.scalar(
        select(Enrolment.id).where(Enrolment.session_id == session.id, Enrolment.agent_id == agent.id)
    ):
        raise FieldError("agent_id", _("%(name)s is enrolled already", name=agent.name))
    cat = catalogue_for_change()
    record = record_of(agent)
    missing = [
        pre
        for pre in cat.courses[session.course].prerequisites
        if not any(
            c.course == pre and c.completed_on <= session.day and c.score >= cat.courses[pre].pass_score
            for c in record.completions
        )
    ]
    if missing:
        names = _(", ").join(cat.courses[m].name for m in missing)
        raise FieldError(
            "agent_id",
            _(
                "%(name)s has not passed %(courses)s, which %(course)s needs first.",
                name=agent.name,
                courses=names,
                course=cat.courses[session.course].name,
            ),
        )
    row = Enrolment(session_id=session.id, agent_id=agent.id)
    db.session.add(row)
    # Enrolled by someone else at the same moment: the same refusal as above.
    flush_or_raise([("agent_id", FieldError("agent_id", _("%(name)s is enrolled already", name=agent.name)))])
    return row


def record_result(
    enrolment: Enrolment, attended: bool, score: float | None, cat: Catalogue | None = None
) -> CourseCompletionRow | None:
    """Attendance and score; an attended session with a score is a completion, and a pass raises the
    course's competencies (never lowering what the agent has), awards its certificate and updates skills."""
    session = enrolment.session
    field = f"score_{enrolment.id}"
    if not session_ended(session):
        raise FieldError(
            field,
            _(
                "The session has not taken place yet (it ends %(day)s at %(time)s): record attendance and "
                "scores after it.",
                day=session.day.isoformat(),
                time=_hhmm(session.end_minute),
            ),
        )
    if score is not None and not 0 <= score <= 100:
        raise FieldError(field, _("A score runs from 0 to 100."))
    if attended is False and score is not None:
        raise FieldError(field, _("An agent who did not attend has no score."))
    enrolment.attended = attended
    enrolment.score = score
    if not attended or score is None:
        db.session.flush()
        return None
    if db.session.scalar(
        select(CourseCompletionRow.id).where(
            CourseCompletionRow.session_id == session.id, CourseCompletionRow.agent_id == enrolment.agent_id
        )
    ):
        raise FieldError(field, _("This agent's result for the session is recorded already."))
    cat = cat or catalogue_for_change()
    agent = db.session.get(Agent, enrolment.agent_id)
    return complete_course(agent, cat, session.course, session.day, score, session_id=session.id)


def complete_course(
    agent: Agent, cat: Catalogue, course: str, on: dt.date, score: float, session_id: int | None = None
) -> CourseCompletionRow:
    before = record_of(agent)
    after = with_course_passed(before, cat, course, on, score)
    completion = CourseCompletionRow(
        agent_id=agent.id, course=course, completed_on=on, score=score, session_id=session_id
    )
    db.session.add(completion)
    for a in after.assessments[len(before.assessments) :]:
        db.session.add(
            Assessment(
                agent_id=agent.id,
                competency=a.competency,
                proficiency=a.proficiency,
                on=a.on,
                status="validated",
                decided_on=a.decided_on,
                source=a.source,
                evidence=f"passed {course} with {score:g}",
            )
        )
    for c in after.certifications[len(before.certifications) :]:
        db.session.add(
            CertificationRow(
                agent_id=agent.id,
                certification=c.certification,
                issued_on=c.issued_on,
                expires_on=c.expires_on,
            )
        )
    db.session.flush()
    _sync_skills(agent, before, replace(after, name=before.name), on)
    return completion


def set_quality(agent: Agent, score: float, on: dt.date) -> None:
    if not 0 <= score <= 100:
        raise FieldError("quality_score", _("a quality score runs from 0 to 100"))
    profile = profile_of(agent)
    profile.quality_score, profile.quality_on = score, on
    db.session.flush()
