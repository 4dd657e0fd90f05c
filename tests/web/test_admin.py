"""The organisation pages: create, edit, refuse bad input on the form, deactivate without losing history."""

import datetime as dt
import html as html_text

import pytest
from sqlalchemy import select

from wfm.models import Agent, AgentStatus, Queue, Site, Skill, Team, User
from wfm.models.talent import Departure

pytestmark = pytest.mark.postgres  # the dialect matters here: run on PostgreSQL as well


def _site(db_session) -> Site:
    return db_session.scalar(select(Site))


def test_create_site_with_opening_hours(demo, browser, db_session):
    browser.login("admin")
    data = {
        "name": "Haifa",
        "time_zone": "Asia/Jerusalem",
        "country": "IL",
        "hours_0": "08:00-17:30",
        "hours_4": "08:00 - 13:00",
        "hours_6": "",
    }
    response = browser.post("/admin/sites/new", data)
    assert response.status_code == 302
    site = db_session.scalar(select(Site).where(Site.name == "Haifa"))
    assert [(h.weekday, h.opens_minute, h.closes_minute) for h in site.opening_hours] == [
        (0, 480, 1050),
        (4, 480, 780),
    ]


def test_bad_opening_hours_are_shown_on_the_field(demo, browser, db_session):
    browser.login("admin")
    response = browser.post(
        "/admin/sites/new",
        {
            "name": "Eilat",
            "time_zone": "Asia/Jerusalem",
            "country": "IL",
            "hours_1": "17:00-09:00",
            "hours_2": "nine to five",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "closing time must come after opening time" in html
    assert "HH:MM-HH:MM" in html
    assert db_session.scalar(select(Site).where(Site.name == "Eilat")) is None


def test_unknown_time_zone_is_refused(demo, browser):
    browser.login("admin")
    response = browser.post(
        "/admin/sites/new", {"name": "Nowhere", "time_zone": "Mars/Olympus", "country": "IL"}
    )
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_duplicate_site_name_is_refused_with_a_message(demo, browser):
    browser.login("admin")
    response = browser.post(
        "/admin/sites/new",
        {"name": "tel aviv contact centre", "time_zone": "Asia/Jerusalem", "country": "IL"},
    )
    assert response.status_code == 400
    assert "exists already" in response.get_data(as_text=True)


def test_live_queue_needs_a_service_target_and_deferred_one_a_deadline(demo, browser, db_session):
    browser.login("admin")
    site, skill = _site(db_session), db_session.scalar(select(Skill))
    base = {"site_id": site.id, "skill_id": skill.id, "concurrency": 1, "min_proficiency": 1}
    live = browser.post("/admin/queues/new", {**base, "name": "Mortgages", "channel": "voice"})
    assert live.status_code == 400
    assert "need a service level target" in live.get_data(as_text=True)
    deferred = browser.post("/admin/queues/new", {**base, "name": "Letters", "channel": "back_office"})
    assert deferred.status_code == 400
    assert "need a completion deadline" in deferred.get_data(as_text=True)
    ok = browser.post(
        "/admin/queues/new",
        {
            **base,
            "name": "Mortgages",
            "channel": "voice",
            "service_level_percent": "85",
            "answer_seconds": "25",
        },
    )
    assert ok.status_code == 302
    queue = db_session.scalar(select(Queue).where(Queue.name == "Mortgages"))
    assert queue.service_level == 0.85
    assert queue.answer_seconds == 25
    assert queue.deadline_hours is None


def test_duplicate_employee_number_is_refused(demo, browser, db_session):
    browser.login("hr")
    count = db_session.query(Agent).count()
    response = browser.post(
        "/admin/agents/new",
        {
            "employee_number": "A001",
            "name": "Copy Cat",
            "site_id": _site(db_session).id,
            "team_id": 0,
            "hire_date": "2025-01-01",
            "contracted_hours": "40",
            "status": "active",
        },
    )
    assert response.status_code == 400
    assert "belongs to another agent" in response.get_data(as_text=True)
    assert db_session.query(Agent).count() == count


def test_agent_team_must_belong_to_the_agents_site(demo, browser, db_session):
    browser.login("admin")
    browser.post("/admin/sites/new", {"name": "Haifa", "time_zone": "Asia/Jerusalem", "country": "IL"})
    haifa = db_session.scalar(select(Site).where(Site.name == "Haifa"))
    team = db_session.scalar(select(Team))
    response = browser.post(
        "/admin/agents/new",
        {
            "employee_number": "H001",
            "name": "New Person",
            "site_id": haifa.id,
            "team_id": team.id,
            "hire_date": "2025-01-01",
            "contracted_hours": "40",
            "status": "active",
        },
    )
    assert response.status_code == 400
    assert "team of the agent's site" in html_text.unescape(response.get_data(as_text=True))


def test_duplicate_username_is_refused(demo, browser):
    browser.login("admin")
    response = browser.post(
        "/admin/users/new",
        {"username": "HR", "display_name": "Second HR", "password": "secret", "roles": ["hr"]},
    )
    assert response.status_code == 400
    assert "is taken" in response.get_data(as_text=True)


def test_agent_user_must_link_an_agent_that_is_free(demo, browser, db_session):
    browser.login("admin")
    unlinked = browser.post(
        "/admin/users/new",
        {
            "username": "newagent",
            "display_name": "N",
            "password": "otter quarry velvet 51",
            "roles": ["agent"],
            "agent_id": 0,
        },
    )
    assert unlinked.status_code == 400
    assert "must be linked" in unlinked.get_data(as_text=True)
    taken_id = db_session.scalar(select(User).where(User.username == "agent")).agent_id
    taken = browser.post(
        "/admin/users/new",
        {
            "username": "newagent",
            "display_name": "N",
            "password": "otter quarry velvet 51",
            "roles": ["agent"],
            "agent_id": taken_id,
        },
    )
    assert taken.status_code == 400
    assert "linked to the user 'agent'" in html_text.unescape(taken.get_data(as_text=True))


def test_new_user_can_sign_in_with_its_roles(demo, browser, db_session):
    browser.login("admin")
    response = browser.post(
        "/admin/users/new",
        {
            "username": "planner2",
            "display_name": "Second Planner",
            "email": "p2@example.org",
            "password": "otter quarry velvet 51",
            "roles": ["scheduler", "hr"],
        },
    )
    assert response.status_code == 302
    browser.post("/logout")
    assert browser.login("planner2", "otter quarry velvet 51").status_code == 302
    assert browser.get("/planning").status_code == 200
    assert browser.get("/people").status_code == 200
    assert browser.get("/admin/").status_code == 403


def test_editing_a_user_without_a_password_keeps_it(demo, browser, db_session):
    browser.login("admin")
    user = db_session.scalar(select(User).where(User.username == "hr"))
    response = browser.post(
        f"/admin/users/{user.id}/edit",
        {"username": "hr", "display_name": "Hana H.", "roles": ["hr"], "agent_id": 0},
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert user.display_name == "Hana H."
    assert user.check_password("demo")


def test_deactivating_a_user_keeps_the_record(demo, browser, db_session):
    browser.login("admin")
    user = db_session.scalar(select(User).where(User.username == "agent2"))
    assert browser.post(f"/admin/users/{user.id}/active", {}).status_code == 302
    db_session.expire_all()
    assert user.active is False
    assert user.agent is not None
    assert "agent2" not in browser.get("/admin/users/").get_data(as_text=True)
    assert "agent2" in browser.get("/admin/users/?show=all").get_data(as_text=True)
    browser.post(f"/admin/users/{user.id}/active", {"active": "y"})
    db_session.expire_all()
    assert user.active is True


def test_leaving_keeps_history_and_stops_the_agents_sign_in(demo, browser, db_session):
    """The admin agent page records leaving as a departure (the same form and operation as HR's page): a
    coded reason, voluntary or not, regretted or not."""
    user = db_session.scalar(select(User).where(User.username == "agent3"))
    agent = user.agent
    skills_before = len(agent.skills)
    browser.login("hr")
    day = dt.date.today()
    page = browser.get(f"/admin/agents/{agent.id}").get_data(as_text=True)
    assert f'action="/careers/agents/{agent.id}/departure"' in page
    assert 'name="reason"' in page
    left = {
        "kind": "left",
        "on": day.isoformat(),
        "reason": "relocation",
        "voluntary": "yes",
        "regretted": "no",
    }
    without_reason = browser.post(f"/careers/agents/{agent.id}/departure", {**left, "reason": ""})
    assert without_reason.status_code == 400
    db_session.expire_all()
    assert agent.status == AgentStatus.ACTIVE
    response = browser.post(f"/careers/agents/{agent.id}/departure", left)
    assert response.status_code == 302
    db_session.expire_all()
    assert agent.status == AgentStatus.LEFT
    assert agent.leaving_date == day
    assert agent.leaving_reason == "Relocation"
    assert len(agent.skills) == skills_before
    assert all(s.effective_to is not None for s in agent.skills)
    assert user.active is False
    departure = db_session.scalar(select(Departure).where(Departure.agent_id == agent.id))
    assert (departure.kind, departure.reason, departure.voluntary, departure.regretted) == (
        "left",
        "relocation",
        True,
        False,
    )
    people = browser.get("/people").get_data(as_text=True)
    assert agent.name in people
    assert "Relocation" in people


def test_leaving_before_hire_is_refused(demo, browser, db_session):
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A005"))
    browser.login("hr")
    response = browser.post(
        f"/careers/agents/{agent.id}/departure",
        {"kind": "left", "on": (agent.hire_date - dt.timedelta(days=1)).isoformat(), "reason": "pay"},
    )
    assert response.status_code == 400
    assert "before" in response.get_data(as_text=True)
    db_session.expire_all()
    assert agent.status == AgentStatus.ACTIVE


def test_skill_change_keeps_the_earlier_proficiency(demo, browser, db_session):
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A010"))
    skill = db_session.scalar(select(Skill).where(Skill.name == "Video advisory"))
    browser.login("hr")
    first = dt.date.today() - dt.timedelta(days=30)
    browser.post(
        f"/admin/agents/{agent.id}/skills",
        {"skill_id": skill.id, "proficiency": 2, "effective_from": first.isoformat()},
    )
    browser.post(
        f"/admin/agents/{agent.id}/skills",
        {"skill_id": skill.id, "proficiency": 4, "effective_from": dt.date.today().isoformat()},
    )
    db_session.expire_all()
    rows = sorted((s for s in agent.skills if s.skill_id == skill.id), key=lambda s: s.effective_from)
    assert [(r.proficiency, r.effective_from, r.effective_to) for r in rows[-2:]] == [
        (2, first, dt.date.today() - dt.timedelta(days=1)),
        (4, dt.date.today(), None),
    ]
    assert [s.proficiency for s in agent.skills_on(dt.date.today()) if s.skill_id == skill.id] == [4]
    assert [s.proficiency for s in agent.skills_on(first) if s.skill_id == skill.id] == [2]


def test_hr_sees_real_turnover_figures(demo, browser, db_session):
    browser.login("hr")
    html = browser.get("/people").get_data(as_text=True)
    leavers = (
        db_session.query(Agent).filter(Agent.leaving_date >= dt.date.today() - dt.timedelta(days=365)).count()
    )
    assert f'<div class="figure">{leavers}</div><div>left in the last 12 months' in html


def test_planning_counts_skilled_agents(demo, browser, db_session):
    browser.login("scheduler")
    html = browser.get("/planning").get_data(as_text=True)
    assert "Retail voice" in html
    assert "80% in 20 s" in html
    assert "done within 2 h" in html


def test_site_limits_reach_the_covering_engine(demo, browser, db_session):
    browser.login("admin")
    site = _site(db_session)
    response = browser.post(
        f"/admin/sites/{site.id}/edit",
        {
            "name": site.name,
            "time_zone": site.time_zone,
            "country": site.country,
            "hours_0": "07:00-24:00",
            "max_agents_at_once": "45",
            "max_starts_per_interval": "6",
        },
    )
    assert response.status_code == 302
    db_session.expire_all()
    from wfm.shiftplans.templates import active_templates, to_engine

    _, (limit,) = to_engine(active_templates(site.id), site)
    assert (limit.site, limit.max_agents, limit.max_starts_per_interval) == (site.name, 45, 6)


def test_editing_opening_hours_changes_removes_and_adds_days(demo, browser, db_session):
    browser.login("admin")
    site = _site(db_session)
    response = browser.post(
        f"/admin/sites/{site.id}/edit",
        {
            "name": site.name,
            "time_zone": site.time_zone,
            "country": site.country,
            "hours_0": "08:00-20:00",
            "hours_5": "",
            "hours_6": "09:00-17:00",
        },
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert [(h.weekday, h.label) for h in site.opening_hours] == [(0, "08:00–20:00"), (6, "09:00–17:00")]
