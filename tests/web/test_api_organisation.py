"""Organisation through the API: admins make sites, skills and queues; admins and HR make agents and
change skills (history kept); planners read; refusals name the field; nothing half-written."""

import pytest
from sqlalchemy import func, select

from tests.web import api_support
from wfm.models import Agent, AgentSkill, Queue, Site, Skill

pytestmark = pytest.mark.postgres  # the dialect matters here: run on PostgreSQL as well

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use


def test_admin_makes_a_site_skill_and_queue(api, db_session):
    admin = api("admin")
    site = admin.post(
        "/api/v1/sites",
        json={
            "name": "Haifa",
            "time_zone": "Asia/Jerusalem",
            "country": "IL",
            "opening_hours": {"monday": "08:00-18:00", "friday": "08:00-13:00"},
        },
    )
    assert site.status_code == 201, site.json
    assert [(h["weekday"], h["opens_minute"], h["closes_minute"]) for h in site.json["opening_hours"]] == [
        (0, 480, 1080),
        (4, 480, 780),
    ]
    skill = admin.post("/api/v1/skills", json={"name": "Mortgages", "description": "home loans"})
    assert skill.status_code == 201
    queue = admin.post(
        "/api/v1/queues",
        json={
            "site_id": site.json["id"],
            "name": "Mortgage line",
            "channel": "voice",
            "service_level": 0.8,
            "answer_seconds": 20,
            "skill_id": skill.json["id"],
        },
    )
    assert queue.status_code == 201, queue.json
    assert queue.json["channel"] == "voice"
    assert queue.json["target"] == "80% in 20 s"
    read = api("scheduler").get(f"/api/v1/queues/{queue.json['id']}")
    assert read.status_code == 200
    assert read.json["name"] == "Mortgage line"
    listed = api("scheduler").get("/api/v1/queues", query_string={"site_id": site.json["id"]}).json
    assert [q["name"] for q in listed["items"]] == ["Mortgage line"]


def test_refusals_name_the_field_and_keep_nothing(api, db_session):
    admin = api("admin")
    sites = db_session.scalar(select(func.count(Site.id)))
    cases = [
        ("/api/v1/sites", {"name": "X", "time_zone": "Mars/Olympus", "country": "IL"}, "time_zone"),
        (
            "/api/v1/sites",
            {
                "name": "X",
                "time_zone": "Asia/Jerusalem",
                "country": "IL",
                "opening_hours": {"monday": "18:00-08:00"},
            },
            "opening_hours",
        ),
        (
            "/api/v1/sites",
            {"name": db_session.scalar(select(Site.name)), "time_zone": "Asia/Jerusalem", "country": "IL"},
            "name",
        ),
        ("/api/v1/skills", {"name": "a\x00b"}, "name"),
        (
            "/api/v1/queues",
            {"site_id": 1, "name": "Q", "channel": "voice", "skill_id": 1, "answer_seconds": 20},
            "service_level",
        ),
        (
            "/api/v1/queues",
            {"site_id": 1, "name": "Q", "channel": "back_office", "skill_id": 999999},
            "deadline_hours",
        ),
        (
            "/api/v1/queues",
            {"site_id": 1, "name": "Q", "channel": "email", "deadline_hours": 4, "skill_id": 999999},
            "skill_id",
        ),
        (
            "/api/v1/agents",
            {
                "employee_number": db_session.scalar(select(Agent.employee_number)),
                "name": "N",
                "site_id": 1,
                "hire_date": "2024-01-01",
                "contracted_hours": 38,
            },
            "employee_number",
        ),
        (
            "/api/v1/agents",
            {
                "employee_number": "Z1",
                "name": "N",
                "site_id": 1,
                "hire_date": "2024-01-01",
                "contracted_hours": 99,
            },
            "contracted_hours",
        ),
    ]
    for path, body, field in cases:
        response = admin.post(path, json=body)
        assert response.status_code == 422, (path, body, response.json)
        assert field in response.json["errors"]["json"], (field, response.json)
    assert db_session.scalar(select(func.count(Site.id))) == sites
    assert db_session.scalar(select(Queue.id).where(Queue.name == "Q")) is None


def test_hr_makes_agents_and_changes_skills_keeping_history(api, db_session):
    hr = api("hr")
    site_id = db_session.scalar(select(Site.id))
    made = hr.post(
        "/api/v1/agents",
        json={
            "employee_number": "N900",
            "name": "New Person",
            "site_id": site_id,
            "hire_date": "2024-01-01",
            "contracted_hours": 38,
        },
    )
    assert made.status_code == 201, made.json
    agent_id = made.json["id"]
    skill_id = db_session.scalar(select(Skill.id))
    path = f"/api/v1/agents/{agent_id}/skills"
    assert (
        hr.post(
            path, json={"skill_id": skill_id, "proficiency": 2, "effective_from": "2024-02-01"}
        ).status_code
        == 201
    )
    changed = hr.post(path, json={"skill_id": skill_id, "proficiency": 4, "effective_from": "2024-06-01"})
    rows = [(r["proficiency"], r["effective_from"], r["effective_to"]) for r in changed.json["skills"]]
    assert rows == [(2, "2024-02-01", "2024-05-31"), (4, "2024-06-01", None)]
    early = hr.post(path, json={"skill_id": skill_id, "proficiency": 3, "effective_from": "2020-01-01"})
    assert early.status_code == 422
    assert "effective_from" in early.json["errors"]["json"]
    assert db_session.scalar(select(func.count(AgentSkill.id)).where(AgentSkill.agent_id == agent_id)) == 2
    assert api("scheduler").get(path).json["skills"] == changed.json["skills"]


def test_only_the_pages_roles_may_write(api):
    body = {"name": "Forbidden skill"}
    for role in ("scheduler", "hr", "agent"):
        assert api(role).post("/api/v1/skills", json=body).status_code == 403, role
    for role in ("scheduler", "agent"):
        assert api(role).post("/api/v1/agents", json={}).status_code == 403, role
        assert api(role).post("/api/v1/agents/1/skills", json={}).status_code == 403, role
    assert api("agent").get("/api/v1/queues").status_code == 403
    assert api("agent").get("/api/v1/sites").status_code == 403
