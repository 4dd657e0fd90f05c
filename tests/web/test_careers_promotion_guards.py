"""Promotions refuse the impossible and say so in words: no date before the hire, no skipped rung, no
promotion of an agent who is not eligible unless the exception's reason is recorded, never approved by
the person who proposed it; the agent's notice names the field and level, never their codes."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from sqlalchemy import func, select

from wfm.models import Notification, Promotion, User
from wfm.models.careers import LevelHeldRow

TODAY = dt.date.today()


def _text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def _count(db_session, agent_id) -> int:
    return db_session.scalar(select(func.count(Promotion.id)).where(Promotion.agent_id == agent_id))


def test_impossible_and_unearned_promotions_are_refused_on_the_form(demo, browser, db_session):
    agent = db_session.scalar(select(User).where(User.username == "agent")).agent
    browser.login("hr")
    url = f"/careers/agents/{agent.id}/promotions"
    skip = browser.post(
        url, {"field": "wealth_manager", "to_level": "2", "effective_from": TODAY.isoformat()}
    )
    assert skip.status_code == 400
    assert "One level at a time" in _text(skip)
    assert "Associate wealth manager" in _text(skip)
    before_hire = (agent.hire_date - dt.timedelta(days=1)).isoformat()
    early = browser.post(url, {"field": "high_end_service", "to_level": "1", "effective_from": before_hire})
    assert early.status_code == 400
    assert "before the hire date" in _text(early)
    unearned = browser.post(
        url, {"field": "high_end_service", "to_level": "1", "effective_from": TODAY.isoformat()}
    )
    assert unearned.status_code == 400
    assert "Not eligible" in _text(unearned)
    assert "reason" in _text(unearned)
    assert _count(db_session, agent.id) == 0


def test_an_exception_is_recorded_and_needs_a_second_person(demo, browser, db_session):
    agent = db_session.scalar(select(User).where(User.username == "agent")).agent
    browser.login("hr")
    response = browser.post(
        f"/careers/agents/{agent.id}/promotions",
        {
            "field": "high_end_service",
            "to_level": "1",
            "effective_from": TODAY.isoformat(),
            "override": "Covers the priority desk this quarter; AML exam booked",
        },
    )
    assert response.status_code == 302, _text(response)
    promotion = db_session.scalar(select(Promotion).where(Promotion.agent_id == agent.id))
    assert promotion.override_reason == "Covers the priority desk this quarter; AML exam booked"
    profile = _text(browser.get(f"/careers/agents/{agent.id}"))
    assert "exception" in profile
    assert "You proposed it: another member of HR or an admin approves." in profile
    twice = browser.post(
        f"/careers/agents/{agent.id}/promotions",
        {
            "field": "high_end_service",
            "to_level": "1",
            "effective_from": TODAY.isoformat(),
            "override": "again",
        },
    )
    assert twice.status_code == 400
    assert "is waiting for a decision already" in _text(twice)
    assert _count(db_session, agent.id) == 1
    own = browser.post(f"/careers/promotions/{promotion.id}", {"to": "approved"})
    assert own.status_code == 403
    assert "proposed a promotion may not approve it" in _text(own)
    db_session.expire_all()
    assert db_session.get(Promotion, promotion.id).status == "proposed"
    browser.client.post("/logout")
    browser.login("admin")
    assert browser.post(f"/careers/promotions/{promotion.id}", {"to": "approved"}).status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(LevelHeldRow.level).where(LevelHeldRow.promotion_id == promotion.id)) == 1
    notices = db_session.scalars(
        select(Notification.message).join(User).where(User.agent_id == agent.id)
    ).all()
    congratulations = [n for n in notices if n.startswith("Congratulations")]
    assert congratulations
    assert "High-end client service" in congratulations[0]
    assert "Client adviser" in congratulations[0]
    assert not any("high_end_service" in n for n in notices)


def test_evidence_is_dated_while_employed_and_not_validated_by_its_submitter(demo, db_session):
    from wfm.careers import operations as ops
    from wfm.careers.operations import FieldError, NotAllowed

    hr = db_session.scalar(select(User).where(User.username == "hr"))
    admin = db_session.scalar(select(User).where(User.username == "admin"))
    agent = db_session.scalar(select(User).where(User.username == "agent")).agent
    for day, said in (
        (TODAY + dt.timedelta(days=21), "or earlier"),
        (agent.hire_date - dt.timedelta(days=1), "before"),
    ):
        with pytest.raises(FieldError) as refused:
            ops.submit_evidence(agent, hr, "english", 3, day, "IELTS 7.5", source="manager")
        assert refused.value.field == "on"
        assert said in refused.value.message
    row = ops.submit_evidence(agent, hr, "english", 3, TODAY, "IELTS 7.5", source="manager")
    with pytest.raises(NotAllowed, match="Whoever submitted"):
        ops.decide_evidence(row, hr, "validated", today=TODAY)
    db_session.rollback()
    row = ops.submit_evidence(agent, hr, "english", 3, TODAY, "IELTS 7.5", source="manager")
    assert ops.decide_evidence(row, admin, "validated", today=TODAY).status == "validated"
    notices = db_session.scalars(
        select(Notification.message).join(User).where(User.agent_id == agent.id)
    ).all()
    assert any(n.startswith("Your evidence for English at 3 was validated") for n in notices)


def test_an_agent_is_not_enrolled_before_being_hired(demo, db_session):
    from wfm.careers import operations as ops
    from wfm.careers.operations import FieldError
    from wfm.careers.store import seed_catalogue
    from wfm.models import TrainingSession

    seed_catalogue()
    agent = db_session.scalar(select(User).where(User.username == "agent")).agent
    session = TrainingSession(
        course="AML-101",
        day=agent.hire_date - dt.timedelta(days=3),
        start_minute=600,
        end_minute=720,
        capacity=5,
        location="Room 1",
    )
    db_session.add(session)
    db_session.flush()
    with pytest.raises(FieldError) as refused:
        ops.enrol(session, agent)
    assert refused.value.field == "agent_id"
    assert "after the session" in refused.value.message


def test_the_development_plan_names_competencies_not_codes(demo, browser, db_session):
    agent = db_session.scalar(select(User).where(User.username == "agent")).agent
    browser.login("hr")
    page = _text(browser.get(f"/careers/agents/{agent.id}?field=wealth_manager&level=1"))
    plan = re.sub(
        r"<[^>]+>", " ", page.split("Development plan")[1].split("</section>")[0]
    )  # the words shown
    assert "closes" in plan
    assert "Investment advice" in plan
    for code in ("investment_advice", "financial_planning", "wealth_manager", "->"):
        assert code not in plan, code
