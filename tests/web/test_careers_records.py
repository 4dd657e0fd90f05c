"""Careers in the database: the stored catalogue is the engine's, approvals and courses move queue skills
from their effective date, enrolment is capped, sessions block rostering, reminders go once."""

import datetime as dt

import pytest
from sqlalchemy import select

from training.defaults import default_catalogue
from wfm.admin.operations import FieldError
from wfm.careers import operations as ops
from wfm.careers.reminders import send_reminders
from wfm.careers.roster_link import training_blocks
from wfm.careers.store import load_catalogue, record_of, seed_catalogue
from wfm.models import Agent, AgentSkill, Notification, Skill, TrainingSession, User
from wfm.models.careers import CertificationRow, LevelHeldRow, ReminderSent
from wfm.rosters.problem import skills_by_day

DAY = dt.date(2026, 6, 1)


def _agent(db_session, number="A001") -> Agent:
    return db_session.scalar(select(Agent).where(Agent.employee_number == number))


def _user(db_session, name) -> User:
    return db_session.scalar(select(User).where(User.username == name))


def test_stored_catalogue_is_the_seeded_one_and_edits_survive(demo, db_session):
    assert seed_catalogue() is True
    assert seed_catalogue() is False
    cat = load_catalogue()
    seeded = default_catalogue()
    assert list(cat.fields) == list(seeded.fields)
    assert len(cat.fields) == 9
    assert cat.level("wealth_manager", 2) == seeded.level("wealth_manager", 2)
    assert cat.courses["INV-301"] == seeded.courses["INV-301"]
    from wfm.models import CareerField

    field = db_session.scalar(select(CareerField).where(CareerField.code == "basic_service"))
    field.levels[1].tenure_months = 6
    db_session.flush()
    assert load_catalogue().level("basic_service", 2).tenure_months == 6


def _give_priority_basics(db_session, agent, day):
    """Validated competencies for Priority service, but not the high-end level the rule also needs."""
    hr = _user(db_session, "hr")
    for comp, prof in (("investment_advice", 2), ("customer_communication", 3), ("product_knowledge", 3)):
        row = ops.submit_evidence(agent, hr, comp, prof, day, "reviewed calls")
        ops.decide_evidence(row, _user(db_session, "admin"), "validated", today=day)  # not the submitter
    db_session.add(LevelHeldRow(agent_id=agent.id, field_code="basic_service", level=2, since=day))
    db_session.flush()


@pytest.mark.postgres
def test_approval_moves_level_and_opens_skill_from_its_date(demo, db_session):
    agent = _agent(db_session, "A001")
    priority = db_session.scalar(select(Skill).where(Skill.name == "Priority service"))
    for row in [r for r in agent.skills if r.skill_id == priority.id]:
        db_session.delete(row)
    db_session.flush()
    db_session.refresh(agent)
    old = AgentSkill(
        agent_id=agent.id, skill_id=priority.id, proficiency=2, effective_from=DAY - dt.timedelta(days=400)
    )
    db_session.add(old)
    db_session.flush()
    db_session.refresh(agent)
    _give_priority_basics(db_session, agent, DAY - dt.timedelta(days=60))
    hr = _user(db_session, "hr")
    promotion = ops.propose(
        agent, hr, "high_end_service", 1, DAY, "ready", override="covers the priority desk; AML exam booked"
    )  # not eligible: no AML
    assert promotion.status == "proposed"
    admin = _user(db_session, "admin")  # not the proposer
    ops.approve(promotion, admin)
    db_session.flush()
    assert record_of(agent).level_on("high_end_service", DAY) == 1
    assert record_of(agent).level_on("high_end_service", DAY - dt.timedelta(days=1)) == 0
    db_session.refresh(agent)
    before, on = skills_by_day(agent, [DAY - dt.timedelta(days=1), DAY])
    # the queue asks for 3
    assert before["Priority service"] == 2
    assert on["Priority service"] == 3
    rows = sorted((r for r in agent.skills if r.skill_id == priority.id), key=lambda r: r.effective_from)
    assert [(r.proficiency, r.effective_from, r.effective_to) for r in rows] == [
        (2, DAY - dt.timedelta(days=400), DAY - dt.timedelta(days=1)),
        (3, DAY, None),
    ]
    with pytest.raises(ops.WorkflowError, match="is approved and cannot become approved"):
        ops.approve(promotion, admin)


def test_agent_may_not_validate_even_their_own_evidence(demo, db_session):
    agent_user = _user(db_session, "agent")
    row = ops.submit_evidence(agent_user.agent, agent_user, "english", 3, DAY, "IELTS 7.5")
    with pytest.raises(ops.NotAllowed):
        ops.decide_evidence(row, agent_user, "validated")
    with pytest.raises(ops.WorkflowError, match="needs a note"):
        ops.decide_evidence(row, _user(db_session, "hr"), "rejected", "")
    assert row.status == "submitted"
    assert [e.to_state for e in row.log] == ["submitted"]


def _session(db_session, course="AML-101", capacity=2, day=DAY, start=9 * 60, end=13 * 60) -> TrainingSession:
    session = TrainingSession(
        course=course,
        day=day,
        start_minute=start,
        end_minute=end,
        capacity=capacity,
        trainer="Dana",
        location="Room 3",
    )
    db_session.add(session)
    db_session.flush()
    return session


@pytest.mark.postgres
def test_enrolment_stops_at_capacity_with_a_clear_error(demo, db_session):
    seed_catalogue()
    session = _session(db_session, capacity=2)
    ops.enrol(session, _agent(db_session, "A001"))
    ops.enrol(session, _agent(db_session, "A002"))
    with pytest.raises(FieldError, match="full: 2 of 2"):
        ops.enrol(session, _agent(db_session, "A003"))
    session.capacity = 5
    with pytest.raises(FieldError, match="enrolled already"):
        ops.enrol(session, _agent(db_session, "A001"))
    advanced = _session(db_session, course="CHAT-201", capacity=5)
    with pytest.raises(
        FieldError,
        match="has not passed Written service for chat and e-mail, "
        "which Concurrent chat handling needs first",
    ):
        ops.enrol(advanced, _agent(db_session, "A001"))


def test_passing_a_course_raises_competencies_and_awards_its_certificate(demo, db_session):
    seed_catalogue()
    agent = _agent(db_session, "A004")
    session = _session(db_session, course="AML-101")
    enrolment = ops.enrol(session, agent)
    ops.record_result(enrolment, True, 92)
    record = record_of(agent)
    assert record.proficiency_on("compliance_aml", DAY) == 2
    assert record.proficiency_on("compliance_aml", DAY - dt.timedelta(days=1)) == 0
    held = record.latest_certification("AML", DAY)
    assert held is not None
    assert held.expires_on == dt.date(2027, 5, 31)
    failed = ops.enrol(_session(db_session, course="ENG-201", day=DAY + dt.timedelta(days=1)), agent)
    ops.record_result(failed, True, 40)
    assert record_of(agent).proficiency_on("english", DAY + dt.timedelta(days=5)) == 0


def test_sessions_block_overlapping_shifts_of_enrolled_agents(demo, db_session):
    seed_catalogue()
    enrolled, other = _agent(db_session, "A001"), _agent(db_session, "A002")
    ops.enrol(_session(db_session, day=DAY, start=9 * 60, end=11 * 60), enrolled)
    types = [
        {"id": "early", "start_minute": 7 * 60, "minutes": 8 * 60},
        {"id": "late", "start_minute": 14 * 60, "minutes": 8 * 60},
        {"id": "night", "start_minute": 22 * 60, "minutes": 12 * 60},
    ]  # ends 10:00 the next day
    dates = [DAY - dt.timedelta(days=1), DAY, DAY + dt.timedelta(days=1)]
    blocks = training_blocks([enrolled.id, other.id], dates, types)
    assert blocks[enrolled.id] == {(1, "early"), (0, "night")}
    assert other.id not in blocks


@pytest.mark.postgres
def test_reminders_go_at_90_and_30_days_and_never_twice(demo, db_session):
    seed_catalogue()
    agent = _agent(db_session, "A001")  # the demo user "agent"
    expires = DAY + dt.timedelta(days=80)
    db_session.add(
        CertificationRow(
            agent_id=agent.id,
            certification="AML",
            issued_on=expires - dt.timedelta(days=364),
            expires_on=expires,
        )
    )
    db_session.flush()
    first = send_reminders(DAY)
    mine = [r for r in first if r.agent_id == str(agent.id)]
    assert {(r.stage, r.recipient) for r in mine} == {(90, "agent"), (90, "hr")}
    assert [r for r in send_reminders(DAY + dt.timedelta(days=1)) if r.agent_id == str(agent.id)] == []
    later = [r for r in send_reminders(expires - dt.timedelta(days=30)) if r.agent_id == str(agent.id)]
    assert {(r.stage, r.recipient) for r in later} == {(30, "agent"), (30, "hr")}
    user = _user(db_session, "agent")
    notes = db_session.scalars(select(Notification).where(Notification.user_id == user.id)).all()
    assert len(notes) == 2
    assert "Your Anti-money-laundering certificate" in notes[0].message
    assert db_session.scalar(
        select(ReminderSent.id).where(ReminderSent.stage == 90, ReminderSent.agent_id == agent.id)
    )


def test_reminders_command_and_button_send_once(demo, app, db_session, browser):
    from wfm.commands.careers import command

    seed_catalogue()
    agent = _agent(db_session, "A002")
    soon = dt.date.today() + dt.timedelta(days=20)
    db_session.add(
        CertificationRow(
            agent_id=agent.id,
            certification="INV-ADV",
            issued_on=soon - dt.timedelta(days=700),
            expires_on=soon,
        )
    )
    db_session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(command, ["reminders"])
    assert first.exit_code == 0
    assert "2 reminders sent" in first.output
    browser.login("hr")
    assert browser.post("/careers/reminders").status_code == 302
    assert db_session.scalar(
        select(ReminderSent.id).where(ReminderSent.agent_id == agent.id, ReminderSent.stage == 30)
    )
    again = runner.invoke(command, ["reminders"])
    assert "0 reminders sent" in again.output
    hr = _user(db_session, "hr")
    notes = db_session.scalars(select(Notification).where(Notification.user_id == hr.id)).all()
    assert len(notes) == 1
    assert agent.name in notes[0].message
    assert "30 days" in notes[0].message
