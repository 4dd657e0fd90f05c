"""Agents steering their own careers: all nine ladders with what each rung misses, their own plan (HR sees
it), asking for a training place that only the scheduler decides, with the service-level cost shown."""

import datetime as dt

from sqlalchemy import select

from tests.web.test_talent_mobility import centre  # noqa: F401  (the careers demo fixture)
from training.eligibility import eligibility
from wfm.careers import steering
from wfm.careers.store import load_catalogue, records_of
from wfm.models import Enrolment, User
from wfm.models.talent import EnrolmentRequest

TODAY = dt.date.today()


def _user(db_session, name) -> User:
    return db_session.scalar(select(User).where(User.username == name))


def _html(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')


def test_agent_sees_every_ladder_and_what_each_rung_misses(centre, browser, db_session):  # noqa: F811
    me = _user(db_session, "agent").agent
    cat = load_catalogue()
    record = records_of([me])[0]
    browser.login("agent")
    page = _html(browser.get("/careers/me/ladders"))
    for field in cat.fields.values():
        assert field.name in page
        for lv in field.ladder.levels:
            if record.level_on(field.code, TODAY) < lv.number:
                for check in eligibility(record, lv, TODAY, cat).missing:
                    assert check.detail in page


def test_plan_seen_by_hr_and_training_request_decided_by_the_scheduler_only(centre, browser, db_session):  # noqa: F811
    me = _user(db_session, "agent")
    browser.login("agent")
    plan = {"target_field": "wealth_manager", "target_level": "1", "note": "INV-301 this spring"}
    assert browser.post("/careers/me/plan", plan).status_code == 302
    asked = set(
        db_session.scalars(
            select(EnrolmentRequest.session_id).where(EnrolmentRequest.agent_id == me.agent_id)
        )
    )
    session = next(
        s
        for s in steering.open_sessions(TODAY)
        if s.id not in asked
        and all(e.agent_id != me.agent_id for e in s.enrolments)
        and len(s.enrolments) < s.capacity
        and not load_catalogue().courses[s.course].prerequisites
    )
    assert browser.post(f"/careers/me/sessions/{session.id}/ask").status_code == 302
    row = db_session.scalar(
        select(EnrolmentRequest).where(
            EnrolmentRequest.agent_id == me.agent_id, EnrolmentRequest.session_id == session.id
        )
    )
    assert row.status == "requested"
    assert browser.post(f"/careers/enrolment-requests/{row.id}", {"to": "approved"}).status_code == 403
    browser.client.post("/logout")
    browser.login("hr")
    profile = _html(browser.get(f"/careers/agents/{me.agent_id}"))
    assert (
        "Wealth manager, level 1 (INV-301 this spring)" in profile
        or "level 1 (INV-301 this spring)" in profile
    )
    demand = _html(browser.get("/careers/enrolment-requests"))
    assert "waiting for the scheduler" in demand
    assert browser.post(f"/careers/enrolment-requests/{row.id}", {"to": "approved"}).status_code == 403
    browser.client.post("/logout")
    browser.login("scheduler")
    page = _html(browser.get("/careers/enrolment-requests"))
    assert "agent-hours" in page
    refused = browser.post(f"/careers/enrolment-requests/{row.id}", {"to": "refused", "note": ""})
    assert refused.status_code == 303
    db_session.expire_all()
    assert db_session.get(EnrolmentRequest, row.id).status == "requested"
    assert browser.post(f"/careers/enrolment-requests/{row.id}", {"to": "approved"}).status_code == 302
    db_session.expire_all()
    assert db_session.get(EnrolmentRequest, row.id).status == "approved"
    assert db_session.scalar(
        select(Enrolment.id).where(Enrolment.session_id == session.id, Enrolment.agent_id == me.agent_id)
    )
