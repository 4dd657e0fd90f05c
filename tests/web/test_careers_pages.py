"""The careers pages: eligibility shown, both workflows through the forms (with refusals and who may act),
the ladder editor, matrix, training sessions, sessions blocking the roster, and the agent's own ladder."""

import datetime as dt

import pytest
from sqlalchemy import select

from wfm.careers import operations as ops
from wfm.careers.store import seed_catalogue
from wfm.models import (
    Agent,
    Assessment,
    PlanCoverage,
    PlanShift,
    Promotion,
    ShiftPlan,
    Site,
    Skill,
    TrainingSession,
    User,
)
from wfm.models.careers import CareerField, CourseCompletionRow
from wfm.rosters.problem import build_input, skills_by_day

TODAY = dt.date.today()


def _agent(db_session, number) -> Agent:
    return db_session.scalar(select(Agent).where(Agent.employee_number == number))


def _user(db_session, name) -> User:
    return db_session.scalar(select(User).where(User.username == name))


def test_profile_names_the_missing_certification(demo, browser, db_session):
    agent = _agent(db_session, "A005")
    browser.login("hr")
    html = (
        browser.get(f"/careers/agents/{agent.id}")
        .get_data(as_text=True)
        .replace("&#39;", "'")
        .replace("&#34;", '"')
    )
    assert "Basic customer service" in html
    assert "not yet" in html
    assert "certification Anti-money-laundering certificate (AML) not held" in html
    assert "course Induction: products and systems (INDUCT) not completed" in html
    plan = (
        browser.get(f"/careers/agents/{agent.id}?field=basic_service&level=1")
        .get_data(as_text=True)
        .replace("&#39;", "'")
        .replace("&#34;", '"')
    )
    assert "INDUCT" in plan
    assert "AML-101" in plan


def test_evidence_goes_submitted_then_validated_by_hr_only(demo, browser, db_session):
    me = _user(db_session, "agent")
    browser.login("agent")
    response = browser.post(
        "/careers/me/evidence",
        {"competency": "english", "proficiency": "2", "evidence": "Cambridge B2 certificate"},
    )
    assert response.status_code == 302
    row = db_session.scalar(select(Assessment).where(Assessment.agent_id == me.agent_id))
    assert row.status == "submitted"
    assert browser.post(f"/careers/evidence/{row.id}", {"to": "validated"}).status_code == 403
    browser.client.post("/logout")
    browser.login("hr")
    refused = browser.post(f"/careers/evidence/{row.id}", {"to": "rejected", "note": ""})
    assert refused.status_code == 400
    assert "needs a note" in refused.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert browser.post(f"/careers/evidence/{row.id}", {"to": "validated"}).status_code == 302
    again = browser.post(f"/careers/evidence/{row.id}", {"to": "rejected", "note": "late"})
    assert again.status_code == 400
    assert "the decision is final" in again.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    db_session.expire_all()
    row = db_session.get(Assessment, row.id)
    assert row.status == "validated"
    assert [(e.by, e.to_state) for e in row.log] == [
        ("agent", "submitted"),
        ("hr", "validated"),
    ]
    # a validated English competency opens the English queue skill from today
    english = db_session.scalar(select(Skill).where(Skill.name == "English"))
    agent = db_session.get(Agent, me.agent_id)
    assert any(s.skill_id == english.id for s in agent.skills_on(TODAY))


def test_promotion_through_the_pages_moves_skills_from_its_date(demo, browser, db_session):
    agent = _agent(db_session, "A010")
    priority = db_session.scalar(select(Skill).where(Skill.name == "Priority service"))
    for row in [r for r in agent.skills if r.skill_id == priority.id]:
        db_session.delete(row)
    hr = _user(db_session, "hr")
    seed_catalogue()
    for comp, prof in (("investment_advice", 2), ("customer_communication", 3)):
        item = ops.submit_evidence(agent, hr, comp, prof, TODAY - dt.timedelta(days=90), "call reviews")
        ops.decide_evidence(
            item, _user(db_session, "admin"), "validated", today=TODAY - dt.timedelta(days=90)
        )
    db_session.commit()
    effective = TODAY + dt.timedelta(days=10)
    browser.login("hr")
    response = browser.post(
        f"/careers/agents/{agent.id}/promotions",
        {
            "field": "high_end_service",
            "to_level": "1",
            "effective_from": effective.isoformat(),
            "note": "ready",
            "override": "Covers the priority desk; AML exam booked",
        },
    )  # not eligible (no AML): an exception
    assert response.status_code == 302
    promotion = db_session.scalar(select(Promotion).where(Promotion.agent_id == agent.id))
    assert promotion.status == "proposed"
    too_high = browser.post(
        f"/careers/agents/{agent.id}/promotions",
        {"field": "high_end_service", "to_level": "9", "effective_from": effective.isoformat()},
    )
    assert too_high.status_code == 400
    assert "has levels 1 to 3" in too_high.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    browser.client.post("/logout")
    browser.login("agent")
    assert browser.post(f"/careers/promotions/{promotion.id}", {"to": "approved"}).status_code == 403
    browser.client.post("/logout")
    browser.login("admin")  # not the proposer
    assert browser.post(f"/careers/promotions/{promotion.id}", {"to": "approved"}).status_code == 302
    assert (
        browser.post(f"/careers/promotions/{promotion.id}", {"to": "rejected", "note": "x"}).status_code
        == 400
    )
    db_session.expire_all()
    agent = db_session.get(Agent, agent.id)
    day_before, on_day = skills_by_day(agent, [effective - dt.timedelta(days=1), effective])
    assert "Priority service" not in day_before
    assert on_day["Priority service"] == 3
    page = (
        browser.get(f"/careers/agents/{agent.id}")
        .get_data(as_text=True)
        .replace("&#39;", "'")
        .replace("&#34;", '"')
    )
    assert "approved" in page
    assert "admin (admin): proposed → approved" in page


def test_agent_sees_only_their_own_ladder_and_certificates(demo, browser, db_session):
    seed_catalogue()
    mine, other = _user(db_session, "agent").agent, _agent(db_session, "A020")
    cat_rows = []
    for agent in (mine, other):
        cat_rows.append(CourseCompletionRow(agent_id=agent.id, course="INDUCT", completed_on=TODAY, score=88))
    db_session.add_all(cat_rows)
    db_session.commit()
    browser.login("agent")
    ladder = browser.get("/careers/me")
    assert ladder.status_code == 200
    assert "Basic customer service" in ladder.get_data(as_text=True).replace("&#39;", "'").replace(
        "&#34;", '"'
    )
    assert browser.get(f"/careers/agents/{other.id}").status_code == 403
    assert browser.get(f"/careers/me/certificates/{cat_rows[1].id}.pdf").status_code == 404
    pdf = browser.get(f"/careers/me/certificates/{cat_rows[0].id}.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")


def test_ladder_editor_validates_through_the_engine(demo, browser, db_session):
    seed_catalogue()
    db_session.commit()
    browser.login("hr")
    field = db_session.scalar(select(CareerField).where(CareerField.code == "data_analyst"))
    form = {}
    for lv in field.levels:
        p = f"l{lv.number}_"
        form.update(
            {
                p + "title": lv.title,
                p + "competencies": ", ".join(f"{k}={v}" for k, v in lv.competencies.items()),
                p + "courses": ", ".join(lv.courses),
                p + "certifications": ", ".join(lv.certifications),
                p + "tenure_months": str(lv.tenure_months),
                p + "min_quality": "",
                p + "requires_levels": "",
            }
        )
    bad = browser.post("/careers/ladders/data_analyst", {**form, "l2_competencies": "telepathy=3"})
    said = bad.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert bad.status_code == 400
    assert "Level 2: competencies: Unknown competency 'telepathy'" in said
    # the form again, with what was typed
    assert 'value="telepathy=3"' in said
    assert "Not done" not in said
    ok = browser.post(
        "/careers/ladders/data_analyst",
        {
            **form,
            "l2_tenure_months": "18",
            "new_title": "Principal",
            "new_competencies": "data_analysis=5",
            "new_tenure_months": "72",
        },
    )
    assert ok.status_code == 302
    db_session.expire_all()
    field = db_session.scalar(select(CareerField).where(CareerField.code == "data_analyst"))
    assert [lv.tenure_months for lv in field.levels] == [12, 18, 48, 72]
    assert field.levels[3].title == "Principal"


def test_session_capacity_and_results_through_the_pages(demo, browser, db_session):
    browser.login("hr")
    day = TODAY + dt.timedelta(
        days=7 + (7 - TODAY.weekday()) % 7
    )  # a Monday ahead: the site is open 07:00-24:00
    created = browser.post(
        "/careers/sessions",
        {
            "course": "CHAT-101",
            "day": day.isoformat(),
            "start": "09:00",
            "end": "12:00",
            "capacity": "1",
            "trainer": "Dana",
            "location": "online",
        },
    )
    assert created.status_code == 302
    session = db_session.scalar(select(TrainingSession))
    session.day = TODAY - dt.timedelta(days=7)  # time passes: results are recorded after the session
    db_session.commit()
    first, second = _agent(db_session, "A030"), _agent(db_session, "A031")
    assert (
        browser.post(f"/careers/sessions/{session.id}", {"action": "enrol", "agent_id": first.id}).status_code
        == 302
    )
    full = browser.post(f"/careers/sessions/{session.id}", {"action": "enrol", "agent_id": second.id})
    assert full.status_code == 400
    assert "full: 1 of 1 place taken" in full.get_data(as_text=True).replace("&#39;", "'").replace(
        "&#34;", '"'
    )
    enrolment = db_session.scalar(select(TrainingSession).where(TrainingSession.id == session.id)).enrolments[
        0
    ]
    done = browser.post(
        f"/careers/sessions/{session.id}",
        {"action": "results", f"attended_{enrolment.id}": "on", f"score_{enrolment.id}": "81"},
    )
    assert done.status_code == 302
    html = (
        browser.get(f"/careers/agents/{first.id}")
        .get_data(as_text=True)
        .replace("&#39;", "'")
        .replace("&#34;", '"')
    )
    assert "Written service: 2 Foundation" in html
    assert "course:CHAT-101" in html


def test_an_enrolled_agent_is_not_rostered_over_the_session(demo, db_session):
    seed_catalogue()
    site = db_session.scalar(select(Site))
    start = TODAY + dt.timedelta(days=2)
    plan = ShiftPlan(
        site_id=site.id,
        name="Two shifts",
        start_date=start,
        days=2,
        interval_minutes=30,
        solver_status="optimal",
        seconds=0.0,
    )
    for d in range(2):
        for name, hour in (("T-Day", 8), ("T-Late", 14)):
            begin = dt.datetime.combine(start + dt.timedelta(days=d), dt.time(hour))
            plan.shifts.append(
                PlanShift(
                    template=name,
                    start=begin,
                    end=begin + dt.timedelta(hours=8),
                    agents=1,
                    breaks=[],
                    queues=[],
                )
            )
    db_session.add(plan)
    session = TrainingSession(
        course="AML-101",
        day=start + dt.timedelta(days=1),
        start_minute=10 * 60,
        end_minute=12 * 60,
        capacity=5,
        location="Room 1",
    )
    db_session.add(session)
    db_session.flush()
    enrolled, free = _agent(db_session, "A001"), _agent(db_session, "A002")
    ops.enrol(session, enrolled)
    data = build_input(site, plan, start, 2)
    staff = {s.id: s for s in data.problem.staff}
    assert {(1, "T-Day 08:00 8h")} <= staff[str(enrolled.id)].unavailable
    assert (1, "T-Late 14:00 8h") not in staff[str(enrolled.id)].unavailable
    assert (0, "T-Day 08:00 8h") not in staff[str(enrolled.id)].unavailable
    assert (1, "T-Day 08:00 8h") not in staff[str(free.id)].unavailable


def test_place_training_prefers_the_quiet_window_and_prices_the_others(demo, browser, db_session):
    site = db_session.scalar(select(Site))
    week = TODAY + dt.timedelta(
        days=7 + (7 - TODAY.weekday()) % 7
    )  # a Monday: the demo site is open 07:00-24:00
    plan = ShiftPlan(
        site_id=site.id,
        name="Quiet afternoons",
        start_date=week,
        days=1,
        interval_minutes=60,
        solver_status="optimal",
        seconds=0.0,
    )
    for hour in range(8, 18):  # 8 on the phones all day; 7 required in the morning, 3 from 13:00
        plan.coverage.append(
            PlanCoverage(
                interval_start=dt.datetime.combine(week, dt.time(hour)),
                queue="Retail voice",
                required=7 if hour < 13 else 3,
                on_phones=8,
                short=0,
                over=0,
            )
        )
    db_session.add(plan)
    db_session.commit()
    browser.login("hr")
    html = (
        browser.get(f"/careers/place?course=AML-101&week={week.isoformat()}&attendees=4")
        .get_data(as_text=True)
        .replace("&#39;", "'")
        .replace("&#34;", '"')
    )
    assert "Quiet afternoons" in html
    from wfm.careers.placement import placement_options
    from wfm.careers.store import load_catalogue

    result = placement_options("AML-101", week, 4, load_catalogue())
    best = result["options"][0]
    assert best["start"].hour >= 13
    assert best["added_short"] == 0
    assert result["hours"] == 4
    assert (best["end"] - best["start"]) == dt.timedelta(hours=4)
    crowded = placement_options("AML-101", week, 6, load_catalogue())["options"][0]
    # 8 - 6 = 2 left for 3 wanted, 4 hours
    assert crowded["start"].hour >= 13
    assert crowded["added_short"] == 4


def test_people_page_and_matrix_show_career_figures(demo, browser, db_session):
    browser.login("hr")
    people = browser.get("/people").get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    main = people[people.index("<main>") :]
    assert "Headcount by track and level" in main
    assert "Certifications expiring within 90 days" in main
    assert "Turnover by track, last 12 months" in main
    assert "<title>People · WFM</title>" in people
    team = db_session.scalar(select(Agent).where(Agent.employee_number == "A001")).team_id
    matrix = browser.get(f"/careers/matrix?team={team}&track=service")
    assert matrix.status_code == 200
    assert "Investment advice" in matrix.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert "Machine learning" not in matrix.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    browser.client.post("/logout")
    browser.login("agent")
    assert browser.get("/careers/matrix").status_code == 403


def test_rejected_evidence_tells_the_agent_why_and_can_be_sent_again(demo, browser, db_session):
    from wfm.models import Notification

    me = _user(db_session, "agent")
    browser.login("agent")
    browser.post(
        "/careers/me/evidence", {"competency": "sales", "proficiency": "3", "evidence": "good month"}
    )
    row = db_session.scalar(select(Assessment).where(Assessment.agent_id == me.agent_id))
    early = browser.post(f"/careers/me/evidence/{row.id}/resubmit", {"evidence": "again"})
    assert early.status_code == 400
    assert "is submitted and cannot become submitted" in early.get_data(as_text=True).replace("&#39;", "'")
    browser.client.post("/logout")
    browser.login("hr")
    assert (
        browser.post(
            f"/careers/evidence/{row.id}", {"to": "rejected", "note": "attach the CRM report"}
        ).status_code
        == 302
    )
    browser.client.post("/logout")
    browser.login("agent2")
    assert (
        browser.post(f"/careers/me/evidence/{row.id}/resubmit", {"evidence": "mine now"}).status_code == 404
    )
    browser.client.post("/logout")
    browser.login("agent")
    assert "attach the CRM report" in browser.get("/careers/me").get_data(as_text=True)
    notices = db_session.scalars(select(Notification).where(Notification.user_id == me.id)).all()
    assert any("was rejected: attach the CRM report" in n.message for n in notices)
    assert (
        browser.post(f"/careers/me/evidence/{row.id}/resubmit", {"evidence": "CRM report Q3"}).status_code
        == 302
    )
    db_session.expire_all()
    row = db_session.get(Assessment, row.id)
    assert row.status == "submitted"
    assert row.evidence == "CRM report Q3"
    assert [e.to_state for e in row.log] == ["submitted", "rejected", "submitted"]


def test_place_training_prices_service_level_with_erlang_c(demo, db_session):
    import numpy as np

    from scheduling.staffing import erlang_c_metrics
    from wfm.careers.placement import placement_options
    from wfm.careers.store import load_catalogue
    from wfm.models import Forecast, Queue, Requirement, RequirementInterval

    site = db_session.scalar(select(Site))
    queue = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))  # 80% in 20 s
    week = TODAY + dt.timedelta(days=7)
    forecast = Forecast(queue_id=queue.id, start_date=week, days=1, interval_minutes=60, method="test")
    db_session.add(forecast)
    db_session.flush()
    requirement = Requirement(forecast_id=forecast.id, queue_id=queue.id, targets={})
    db_session.add(requirement)
    db_session.flush()
    plan = ShiftPlan(
        site_id=site.id,
        name="Priced",
        start_date=week,
        days=1,
        interval_minutes=60,
        solver_status="optimal",
        seconds=0.0,
        settings={"requirements": {queue.name: requirement.id}},
    )
    for hour in range(8, 18):
        moment = dt.datetime.combine(week, dt.time(hour))
        db_session.add(
            RequirementInterval(
                requirement_id=requirement.id,
                interval_start=moment,
                forecast=60.0,
                aht_seconds=300.0,
                agents=7,
                scheduled_agents=7,
            )
        )
        plan.coverage.append(
            PlanCoverage(interval_start=moment, queue=queue.name, required=7, on_phones=9, short=0, over=0)
        )
    db_session.add(plan)
    db_session.commit()
    option = placement_options("AML-101", week, 2, load_catalogue(), site_id=site.id)["options"][0]
    expected = [
        float(erlang_c_metrics(np.array([n]), np.array([5.0]), np.array([300.0]), 20).service_level[0])
        for n in (9, 7)
    ]  # 60 calls of 300 s per hour = 5 Erlangs; 9 agents, then 2 go to training
    assert option["sl_before"] == pytest.approx(expected[0])
    assert option["sl_after"] == pytest.approx(expected[1])
    assert option["sl_after"] < option["sl_before"]
