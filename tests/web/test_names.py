"""Names are unique regardless of case in every language, and two people saving the same new name at the
same moment get the same "exists already" answer (the loser's insert breaks the unique constraint), never a
500. Through the API (422 naming the field), the pages (400 with the message) and the operations."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from tests.web import api_support
from wfm.admin import operations as ops
from wfm.extensions import db
from wfm.models import Agent, Site, Skill, Team, User

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use

pytestmark = pytest.mark.postgres  # races behave differently per database: run on both


def test_a_second_skill_with_non_ascii_capitals_is_refused(api, db_session):
    admin = api("admin")
    first = admin.post("/api/v1/skills", json={"name": "Ünïcode skill"})
    assert first.status_code == 201, first.json
    for again in ("Ünïcode skill", "üNÏCODE SKILL", "U\u0308nïcode skill"):  # same, other case, decomposed Ü
        response = admin.post("/api/v1/skills", json={"name": again})
        assert response.status_code == 422, (again, response.status_code)
        assert "exists already" in response.json["errors"]["json"]["name"][0]
    assert db_session.scalar(select(func.count(Skill.id)).where(Skill.name.like("%code skill"))) == 1


def test_the_pages_refuse_a_site_and_a_username_that_differ_only_in_case(demo, browser):
    browser.login("admin")
    assert (
        browser.post(
            "/admin/sites/new", {"name": "Zürich", "time_zone": "Europe/Zurich", "country": "CH"}
        ).status_code
        == 302
    )
    again = browser.post(
        "/admin/sites/new", {"name": "ZÜRICH", "time_zone": "Europe/Zurich", "country": "CH"}
    )
    assert again.status_code == 400
    assert "exists already" in again.get_data(as_text=True)
    assert (
        browser.post(
            "/admin/users/new",
            {
                "username": "Émile",
                "display_name": "Émile",
                "password": "otter quarry velvet 51",
                "roles": ["hr"],
            },
        ).status_code
        == 302
    )
    taken = browser.post(
        "/admin/users/new",
        {"username": "éMILE", "display_name": "Other", "password": "otter quarry velvet 51", "roles": ["hr"]},
    )
    assert taken.status_code == 400
    assert "is taken" in taken.get_data(as_text=True)


def test_a_user_signs_in_with_a_non_ascii_name_in_another_case(demo, browser, db_session):
    ops.save_user(
        None,
        username="Émile",
        display_name="Émile",
        email=None,
        password="otter quarry velvet 51",
        roles=["hr"],
        agent_id=None,
    )
    db_session.commit()
    response = browser.login("éMILE", "otter quarry velvet 51")
    assert response.status_code == 302
    assert "/login" not in response.headers["Location"]


def _saved_elsewhere_first(app, table: str, save):
    """Run `save()`; just before its INSERT into `table`, the same save runs in another request and
    commits (both passed the name check)."""
    fired = []

    def other_request_first(_conn, _cursor, statement, *_args):
        if not fired and statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()} "):
            fired.append(True)
            with app.app_context():
                save()
                db.session.commit()

    event.listen(db.engine, "before_cursor_execute", other_request_first)
    try:
        return save()
    finally:
        event.remove(db.engine, "before_cursor_execute", other_request_first)
        assert fired


@pytest.mark.parametrize("what", ["site", "skill", "team", "queue", "agent", "user", "shift_template"])
def test_two_creations_of_one_name_at_once_the_second_is_told_it_exists(app, demo, db_session, what):
    import datetime as dt

    from wfm.shiftplans.templates import TemplateProblem, save_template

    site_id = db_session.scalar(select(Site.id))
    skill_id = db_session.scalar(select(Skill.id))
    saves = {
        "site": (
            "site",
            lambda: ops.save_site(
                None, name="Haifa", time_zone="Asia/Jerusalem", country="IL", opening_hours={}
            ),
            "name",
            "exists already",
        ),
        "skill": ("skill", lambda: ops.save_skill(None, name="Mortgages"), "name", "exists already"),
        "team": ("team", lambda: ops.save_team(None, site_id=site_id, name="Night owls"), "name", "already"),
        "queue": (
            "queue",
            lambda: ops.save_queue(
                None,
                site_id=site_id,
                name="Mortgage line",
                channel="voice",
                service_level=0.8,
                answer_seconds=20,
                deadline_hours=None,
                concurrency=1,
                skill_id=skill_id,
                min_proficiency=1,
            ),
            "name",
            "already",
        ),
        "agent": (
            "agent",
            lambda: ops.save_agent(
                None,
                employee_number="Z900",
                name="New Agent",
                site_id=site_id,
                team_id=None,
                hire_date=dt.date(2024, 1, 1),
                contracted_hours=38,
                status="active",
            ),
            "employee_number",
            "belongs to another agent",
        ),
        "user": (
            "user_account",
            lambda: ops.save_user(
                None,
                username="newcomer",
                display_name="New",
                email=None,
                password="otter quarry velvet 51",
                roles=["hr"],
                agent_id=None,
            ),
            "username",
            "is taken",
        ),
        "shift_template": (
            "shift_template",
            lambda: save_template(
                None,
                site_id=site_id,
                name="Split 09:00",
                earliest_start=540,
                latest_start=540,
                step_minutes=30,
                lengths=[480],
                days=[0, 1, 2, 3, 4],
                breaks=[],
                per_hour=20.0,
                night_multiplier=1.0,
                weekend_multiplier=1.0,
                queue_ids=[],
            ),
            "name",
            "already",
        ),
    }
    table, save, field, words = saves[what]
    with pytest.raises((ops.FieldError, TemplateProblem)) as refused:
        _saved_elsewhere_first(app, table, save)
    assert refused.value.field == field
    assert words in refused.value.message
    db_session.rollback()
    model, column, value = {
        "site": (Site, Site.name, "Haifa"),
        "skill": (Skill, Skill.name, "Mortgages"),
        "team": (Team, Team.name, "Night owls"),
        "agent": (Agent, Agent.employee_number, "Z900"),
        "user_account": (User, User.username, "newcomer"),
    }.get(table, (None, None, None))
    if model is not None:  # the winner's row, once
        assert db_session.scalar(select(func.count(model.id)).where(column == value)) == 1


def test_the_api_answers_the_loser_of_two_creations_with_422(app, api, db_session):
    admin = api("admin")
    body = {"name": "Mortgages"}
    fired = []

    def other_request_first(_conn, _cursor, statement, *_args):
        if not fired and statement.lstrip().upper().startswith("INSERT INTO SKILL "):
            fired.append(True)
            with app.app_context():
                ops.save_skill(None, name="Mortgages")
                db.session.commit()

    event.listen(db.engine, "before_cursor_execute", other_request_first)
    try:
        response = admin.post("/api/v1/skills", json=body)
    finally:
        event.remove(db.engine, "before_cursor_execute", other_request_first)
    assert fired
    assert response.status_code == 422
    assert "exists already" in response.json["errors"]["json"]["name"][0]
    assert db_session.scalar(select(func.count(Skill.id)).where(Skill.name == "Mortgages")) == 1
