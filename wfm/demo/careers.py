"""The demo centre's careers: every agent's ladder history, courses, certificates and a few open items.

Histories are made with the engine (`training.records.with_course_passed`, the catalogue's levels and
tenure rules) so that they hang together: an agent holds a level only after the courses, certificates,
competencies and tenure it asks for. Competencies also follow the queue skills the organisation demo gave
(English at 3 as a skill means English at 3 as a competency). Deterministic (fixed seed) and fast: records
are built in memory and written once.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.catalogue import Catalogue, Level
from training.dashboard import ready_for_next_level
from training.records import (
    AgentRecord,
    CertificationHeld,
    CompetencyAssessment,
    EvidenceStatus,
    LevelHeld,
    add_months,
    certification_expiry,
    with_course_passed,
)
from wfm.careers.store import load_catalogue, seed_catalogue
from wfm.demo import centres
from wfm.demo import talent as talent_demo
from wfm.demo.centre import Centre
from wfm.extensions import db
from wfm.models import Agent, Site, User
from wfm.models.careers import (
    Assessment,
    CareerProfile,
    CertificationRow,
    CourseCompletionRow,
    Enrolment,
    LevelHeldRow,
    Promotion,
    TrainingSession,
    WorkflowLog,
)

# Primary fields per team, taken in turn so that every one of the nine fields has people.
TEAM_FIELDS = {
    "Retail A": ["basic_service", "basic_service", "crm_expert", "basic_service", "centre_roles"],
    "Retail B": ["basic_service", "centre_roles", "basic_service", "crm_expert"],
    "Priority & wealth": ["high_end_service", "wealth_manager", "high_end_service", "crm_expert"],
    "Markets desk": ["wealth_manager", "high_end_service"],
    "Digital": ["data_analyst", "systems_developer", "model_builder", "basic_service"],
    "Back office": ["back_office", "back_office", "centre_roles"],
}

# Queue skill -> competencies it shows (the reverse of `training.skills.default_skill_rules`).
SKILL_COMPETENCIES = {
    "Retail service": ["customer_communication", "product_knowledge"],
    "Priority service": ["investment_advice"],
    "Stock exchange": ["securities_trading"],
    "Internet support": ["digital_banking"],
    "English": ["english"],
    "Sales": ["sales"],
    "Chat": ["written_service"],
    "Video advisory": ["video_consultation"],
    "Back-office processing": ["back_office_processing"],
}

HR_USER = "hr"


def load(today: dt.date | None = None, seed: int = 2024) -> dict:
    """Give every demo agent a career record; the caller commits. Returns counts, for printing."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    seed_catalogue()
    cat = load_catalogue()
    agents = db.session.scalars(
        select(Agent)
        .options(selectinload(Agent.team), selectinload(Agent.skills))
        .order_by(Agent.employee_number)
    ).all()
    centre = centres.of_site(db.session.get(Site, agents[0].site_id) if agents else None)
    team_fields = {centre.say("team", team): fields for team, fields in TEAM_FIELDS.items()}
    skill_competencies = {centre.say("skill", skill): comps for skill, comps in SKILL_COMPETENCIES.items()}
    turn: dict[str, int] = {}
    records: dict[int, AgentRecord] = {}
    promoted: dict[int, list[LevelHeld]] = {}
    for agent in agents:
        team = agent.team.name if agent.team else centre.say("team", "Retail A")
        choices = team_fields.get(team, ["basic_service"])
        field = choices[turn.get(team, 0) % len(choices)]
        turn[team] = turn.get(team, 0) + 1
        last_day = min(today, agent.leaving_date or today)
        record = AgentRecord(
            str(agent.id), agent.hire_date, field, name=agent.name, leaving_date=agent.leaving_date
        )
        record, levels = _climb(rng, record, cat, field, last_day)
        record = _from_skills(record, agent, last_day, skill_competencies)
        record = _renew(rng, record, cat, last_day)
        quality = max([cat.level(lv.field, lv.level).min_quality or 0 for lv in levels] + [78.0])
        records[agent.id] = replace(record, quality_score=min(99.0, round(quality + rng.uniform(0.5, 7), 1)))
        promoted[agent.id] = levels
    sessions = _sessions(rng, cat, records, agents, today, centre)
    _store(records, promoted, today, centre)
    _link_past_session(sessions[0])
    open_items = _open_items(cat, records, agents, today, centre)
    db.session.flush()
    pool = talent_demo.load(today, rng, centre)
    return {
        "records": len(records),
        "levels": sum(len(v) for v in promoted.values()),
        "fields": len({r.primary_field for r in records.values()}),
        "sessions": len(sessions),
        **open_items,
        **pool,
    }


def _from_skills(
    record: AgentRecord, agent: Agent, last_day: dt.date, skill_competencies: dict[str, list[str]]
) -> AgentRecord:
    """Validated competencies behind the queue skills the agent holds (dated like the skill rows), where
    they are higher than what the career history shows then: an assessment counts latest-first, so a lower
    one would take back what a level needed."""
    for row in sorted(agent.skills, key=lambda r: r.effective_from):
        if row.effective_from > last_day:
            continue
        for comp in skill_competencies.get(row.skill.name, []):
            if row.proficiency > record.proficiency_on(comp, row.effective_from):
                record = replace(
                    record,
                    assessments=(
                        *record.assessments,
                        CompetencyAssessment(
                            comp,
                            row.proficiency,
                            row.effective_from,
                            EvidenceStatus.VALIDATED,
                            row.effective_from,
                            "manager",
                        ),
                    ),
                )
    return record


def _rungs(cat: Catalogue, field: str, upto: int, out: list[Level]) -> None:
    """Every rung on the way to `field` level `upto`, other fields' prerequisites first."""
    for number in range(1, upto + 1):
        level = cat.level(field, number)
        for other, need in level.requires_levels.items():
            _rungs(cat, other, need, out)
        if level not in out:
            out.append(level)


def _take(rng, record: AgentRecord, cat: Catalogue, course: str, on: dt.date) -> AgentRecord:
    """Pass a course (and its prerequisites first) unless the agent has passed it already."""
    if any(c.course == course and c.score >= cat.courses[course].pass_score for c in record.completions):
        return record
    for pre in cat.courses[course].prerequisites:
        record = _take(rng, record, cat, pre, on - dt.timedelta(days=21))
    score = min(100.0, round(cat.courses[course].pass_score + rng.uniform(2, 22)))
    return with_course_passed(record, cat, course, on, score)


def _climb(
    rng, record: AgentRecord, cat: Catalogue, field: str, last_day: dt.date
) -> tuple[AgentRecord, list]:
    top = cat.fields[field].ladder.top
    goal = rng.choice([1, 2, 2, 3, top])
    path: list[Level] = []
    _rungs(cat, field, min(goal, top), path)
    cursor = record.hire_date + dt.timedelta(days=rng.randint(14, 40))
    levels: list[LevelHeld] = []
    for level in path:
        when = max(
            cursor, add_months(record.hire_date, level.tenure_months) + dt.timedelta(days=rng.randint(0, 60))
        )
        if when > last_day - dt.timedelta(days=7):
            break
        prep = max(record.hire_date + dt.timedelta(days=3), when - dt.timedelta(days=40))
        for course in level.courses:
            record = _take(rng, record, cat, course, prep)
        for cert in level.certifications:
            held = record.latest_certification(cert, when)
            if held is None or not held.valid_on(when):
                course = next((c.code for c in cat.courses.values() if c.awards == cert), None)
                if course is not None:
                    record = _take(rng, record, cat, course, prep)
                if (held := record.latest_certification(cert, when)) is None or not held.valid_on(when):
                    record = replace(
                        record,
                        certifications=(
                            *record.certifications,
                            CertificationHeld(cert, prep, certification_expiry(cat, cert, prep)),
                        ),
                    )
        new = tuple(
            CompetencyAssessment(code, need, prep, EvidenceStatus.VALIDATED, prep, "manager")
            for code, need in level.competencies.items()
            if record.proficiency_on(code, when) < need
        )
        held_level = LevelHeld(level.field, level.number, when)
        record = replace(record, assessments=record.assessments + new, levels=(*record.levels, held_level))
        levels.append(held_level)
        cursor = when + dt.timedelta(days=rng.randint(150, 400))
    return record, levels


def _renew(rng, record: AgentRecord, cat: Catalogue, last_day: dt.date) -> AgentRecord:
    """Certificates renewed shortly before they lapse (AML by retaking its course); one in twelve was not
    renewed lately and has lapsed within the last ten months."""
    for code in sorted({c.certification for c in record.certifications}):
        lapses = rng.random() < 1 / 12
        while True:
            held = record.latest_certification(code, last_day)
            if held is None or held.expires_on is None or held.expires_on >= last_day:
                break
            if lapses and held.expires_on >= last_day - dt.timedelta(days=300):
                break
            on = held.expires_on - dt.timedelta(days=rng.randint(0, 25))
            if code == "AML":
                score = min(100.0, round(cat.courses["AML-101"].pass_score + rng.uniform(2, 18)))
                record = with_course_passed(record, cat, "AML-101", on, score)
            else:
                record = replace(
                    record,
                    certifications=(
                        *record.certifications,
                        CertificationHeld(code, on, certification_expiry(cat, code, on)),
                    ),
                )
    return record


def _sessions(
    rng, cat: Catalogue, records: dict[int, AgentRecord], agents: list[Agent], today: dt.date, centre: Centre
) -> list[TrainingSession]:
    """A finished chat course ten days ago, and upcoming sessions with some places taken."""
    employed = [a for a in agents if a.leaving_date is None]
    site = db.session.get(Site, employed[0].site_id)
    past_day = _open_day(site, today - dt.timedelta(days=10), 9 * 60, 13 * 60, step=-1)
    past = TrainingSession(
        course="CHAT-101",
        day=past_day,
        start_minute=9 * 60,
        end_minute=13 * 60,
        capacity=8,
        trainer=centre.say("text", "Dana Levi"),
        location=centre.say("text", "Training room 1"),
        closed=True,
        site_id=employed[0].site_id,
    )
    db.session.add(past)
    without_chat = [a for a in employed if records[a.id].proficiency_on("written_service", past_day) == 0][:4]
    for i, agent in enumerate(without_chat):
        score = [84.0, 91.0, 62.0, 77.0][i]
        past.enrolments.append(Enrolment(agent_id=agent.id, attended=True, score=score))
        records[agent.id] = with_course_passed(records[agent.id], cat, "CHAT-101", past_day, score)
    expiring = [
        a
        for a in employed
        if (h := records[a.id].latest_certification("AML", today)) is not None
        and h.expires_on is not None
        and 0 <= (h.expires_on - today).days <= 90
    ]
    upcoming = [
        ("AML-101", 9, 9 * 60, 11 * 60, 20, "Compliance team", "online", expiring[:6]),
        (
            "INV-301",
            14,
            13 * 60,
            17 * 60,
            10,
            "Yael Cohen",
            "Training room 2",
            [
                a
                for a in employed
                if records[a.id].primary_field == "high_end_service"
                and _passed(records[a.id], "PROD-201")
                and not _passed(records[a.id], "INV-301")
            ][:2],
        ),
        (
            "CHAT-201",
            5,
            14 * 60,
            16 * 60,
            8,
            "Dana Levi",
            "Training room 1",
            [a for a in without_chat if records[a.id].proficiency_on("written_service", today) >= 2][:2],
        ),
        ("LEAD-301", 21, 9 * 60, 13 * 60, 12, "Oren Katz", "Training room 2", []),
    ]
    sessions = [past]
    for course, days, start, end, capacity, trainer, location, who in upcoming:
        day = _open_day(site, today + dt.timedelta(days=days), start, end)
        session = TrainingSession(
            course=course,
            day=day,
            start_minute=start,
            end_minute=end,
            capacity=capacity,
            trainer=centre.say("text", trainer),
            location=centre.say("text", location),
            site_id=employed[0].site_id,
        )
        for agent in who:
            session.enrolments.append(Enrolment(agent_id=agent.id))
        db.session.add(session)
        sessions.append(session)
    db.session.flush()
    return sessions


def _open_day(site: Site | None, day: dt.date, start: int, end: int, step: int = 1) -> dt.date:
    """The first day from `day` (going forward, or back with step -1) when the site is open for the whole
    session: a demo session on a Saturday morning of a site that opens at 18:00 would teach the wrong
    thing."""
    from wfm.careers.operations import opening_problem

    for _ in range(7):
        if opening_problem(site, day, start, end) is None:
            return day
        day += dt.timedelta(days=step)
    return day


def _passed(record: AgentRecord, course: str) -> bool:
    return any(c.course == course for c in record.completions)


def _store(
    records: dict[int, AgentRecord], promoted: dict[int, list[LevelHeld]], today: dt.date, centre: Centre
) -> None:
    for agent_id, r in records.items():
        db.session.add(
            CareerProfile(
                agent_id=agent_id,
                primary_field=r.primary_field,
                quality_score=r.quality_score,
                quality_on=min(today, r.leaving_date or today),
            )
        )
        for a in r.assessments:
            db.session.add(
                Assessment(
                    agent_id=agent_id,
                    competency=a.competency,
                    proficiency=a.proficiency,
                    on=a.on,
                    status=a.evidence.value,
                    decided_on=a.decided_on,
                    source=a.source,
                    evidence=centre.say("text", "course result")
                    if a.source.startswith("course:")
                    else centre.say("text", "manager's assessment from call reviews"),
                )
            )
        for c in r.completions:
            db.session.add(
                CourseCompletionRow(
                    agent_id=agent_id, course=c.course, completed_on=c.completed_on, score=c.score
                )
            )
        for h in r.certifications:
            db.session.add(
                CertificationRow(
                    agent_id=agent_id,
                    certification=h.certification,
                    issued_on=h.issued_on,
                    expires_on=h.expires_on,
                )
            )
    db.session.flush()
    for agent_id, levels in promoted.items():
        for lv in levels:
            promotion = Promotion(
                agent_id=agent_id,
                field_code=lv.field,
                to_level=lv.level,
                effective_from=lv.since,
                status="approved",
            )
            db.session.add(promotion)
            db.session.flush()
            at = dt.datetime.combine(lv.since - dt.timedelta(days=14), dt.time(10))
            db.session.add_all(
                [
                    WorkflowLog(
                        workflow="promotion",
                        item_id=promotion.id,
                        by=HR_USER,
                        role="hr",
                        at=at,
                        from_state=None,
                        to_state="proposed",
                    ),
                    WorkflowLog(
                        workflow="promotion",
                        item_id=promotion.id,
                        by=HR_USER,
                        role="hr",
                        at=at + dt.timedelta(days=3),
                        from_state="proposed",
                        to_state="approved",
                    ),
                ]
            )
            db.session.add(
                LevelHeldRow(
                    agent_id=agent_id,
                    field_code=lv.field,
                    level=lv.level,
                    since=lv.since,
                    promotion_id=promotion.id,
                )
            )


def _link_past_session(session: TrainingSession) -> None:
    for enrolment in session.enrolments:
        row = db.session.scalar(
            select(CourseCompletionRow).where(
                CourseCompletionRow.agent_id == enrolment.agent_id,
                CourseCompletionRow.course == session.course,
                CourseCompletionRow.completed_on == session.day,
            )
        )
        if row is not None:
            row.session_id = session.id


def _open_items(
    cat: Catalogue, records: dict[int, AgentRecord], agents: list[Agent], today: dt.date, centre: Centre
) -> dict:
    """Two pieces of evidence waiting for HR, one rejected with its reason, and a proposed promotion."""
    users = {u.username: u for u in db.session.scalars(select(User))}
    first = users.get("agent")
    second = users.get("agent2")
    at = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(9, 30))
    items = []
    if first is not None and first.agent_id:
        items.append(
            (first.agent_id, "english", 3, "IELTS 7.0 (certificate uploaded to HR)", "agent", "agent", None)
        )
    if second is not None and second.agent_id:
        items.append(
            (
                second.agent_id,
                "sales",
                2,
                "Closed 14 card upgrades in October, see CRM report",
                "agent",
                "agent",
                "Please attach the CRM report; the figure alone is not evidence",
            )
        )
    manager_pick = next(
        a for a in agents if a.leaving_date is None and records[a.id].primary_field == "back_office"
    )
    items.append(
        (
            manager_pick.id,
            "risk_control",
            3,
            "Four-eyes checks without error for three months (team lead)",
            HR_USER,
            "hr",
            None,
        )
    )
    for agent_id, comp, prof, text, by, role, rejection in items:
        row = Assessment(
            agent_id=agent_id,
            competency=comp,
            proficiency=prof,
            on=today - dt.timedelta(days=2),
            status="rejected" if rejection else "submitted",
            source="self-assessment" if role == "agent" else "manager",
            evidence=centre.say("text", text),
            decided_on=today - dt.timedelta(days=1) if rejection else None,
        )
        db.session.add(row)
        db.session.flush()
        db.session.add(
            WorkflowLog(
                workflow="evidence",
                item_id=row.id,
                by=by,
                role=role,
                at=at,
                from_state=None,
                to_state="submitted",
            )
        )
        if rejection:
            db.session.add(
                WorkflowLog(
                    workflow="evidence",
                    item_id=row.id,
                    by=HR_USER,
                    role="hr",
                    at=at + dt.timedelta(days=1),
                    from_state="submitted",
                    to_state="rejected",
                    note=centre.say("text", rejection),
                )
            )
    ready = ready_for_next_level(list(records.values()), cat, today)
    proposed = 0
    for candidate in ready[:2]:
        promotion = Promotion(
            agent_id=int(candidate.agent_id),
            field_code=candidate.field,
            to_level=candidate.next_level,
            effective_from=today + dt.timedelta(days=7),
            status="proposed",
        )
        db.session.add(promotion)
        db.session.flush()
        db.session.add(
            WorkflowLog(
                workflow="promotion",
                item_id=promotion.id,
                by=HR_USER,
                role="hr",
                at=at,
                from_state=None,
                to_state="proposed",
                note=centre.say("text", "meets every requirement"),
            )
        )
        proposed += 1
    return {"pending_evidence": sum(1 for i in items if i[6] is None), "proposed_promotions": proposed}
