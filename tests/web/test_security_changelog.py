"""The change log: every insert, update and delete, in the same transaction, with who, source and values."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.web.conftest import FIRST, HISTORY_DAYS, forecast_via_page
from wfm.models import HistoryInterval, Role, Site, Team, User
from wfm.models.security import ChangeLog
from wfm.security.changelog import acting, json_safe

pytestmark = pytest.mark.postgres  # the dialect matters here: run on PostgreSQL as well


def _log(db_session, **where) -> list[ChangeLog]:
    db_session.expire_all()
    query = select(ChangeLog).order_by(ChangeLog.id)
    for key, value in where.items():
        query = query.where(getattr(ChangeLog, key) == value)
    return list(db_session.scalars(query))


def _user_id(db_session, username: str) -> int:
    return db_session.scalar(select(User.id).where(User.username == username))


def test_a_user_made_and_edited_on_the_admin_pages(demo, browser, db_session):
    browser.login("admin")
    admin = _user_id(db_session, "admin")
    response = browser.post(
        "/admin/users/new",
        {
            "username": "nina",
            "display_name": "Nina",
            "password": "otter quarry velvet 51",
            "roles": ["hr"],
            "agent_id": 0,
        },
    )
    assert response.status_code == 302
    nina = _user_id(db_session, "nina")
    made = _log(db_session, entity="user_account", entity_id=str(nina))
    assert [r.action for r in made] == ["insert"]
    row = made[0]
    assert row.user_id == admin
    assert row.source == "web"
    assert len(row.request_id) >= 16
    assert row.after["username"] == "nina"
    assert row.after["password_hash"] == "(set)"
    assert row.before == {}
    roles = _log(db_session, entity="user_role")
    assert roles[-1].action == "insert"
    assert roles[-1].after["role"] == "hr"
    assert roles[-1].entity_id == f"{nina}/hr"
    assert roles[-1].request_id == row.request_id  # one request, one id

    response = browser.post(
        f"/admin/users/{nina}/edit",
        {
            "username": "nina",
            "display_name": "Nina Levi",
            "password": "lantern meadow copper 7",
            "roles": ["hr"],
            "agent_id": 0,
        },
    )
    assert response.status_code == 302
    edit = _log(db_session, entity="user_account", entity_id=str(nina), action="update")
    assert len(edit) == 1
    # a new password ends the user's sessions: the session token changes too, never written in clear
    assert edit[0].before == {
        "display_name": "Nina",
        "password_hash": "(changed)",
        "session_token": "(changed)",
    }
    assert edit[0].after == {
        "display_name": "Nina Levi",
        "password_hash": "(changed)",
        "session_token": "(changed)",
    }
    everything = " ".join(str(r.before) + str(r.after) for r in _log(db_session))
    # no hash in clear, anywhere
    assert "pbkdf2" not in everything
    assert "scrypt" not in everything


def test_values_are_json_safe(demo, browser, db_session):
    browser.login("admin")
    site = db_session.scalar(select(Site))
    response = browser.post(
        "/admin/agents/new",
        {
            "employee_number": "Z900",
            "name": "Zoe",
            "site_id": site.id,
            "team_id": 0,
            "hire_date": "2026-03-01",
            "contracted_hours": "36",
            "status": "active",
        },
    )
    assert response.status_code == 302
    row = _log(db_session, entity="agent")[-1]
    assert row.after["hire_date"] == "2026-03-01"
    assert row.after["status"] == "active"
    assert json_safe(Role.HR) == "hr"
    assert json_safe(dt.datetime(2026, 1, 2, 3, 4)) == "2026-01-02T03:04:00"
    assert json_safe(list(range(500))) == "(500 items)"


def test_commands_and_deletes_outside_requests(demo, db_session):
    site = db_session.scalar(select(Site))
    team = Team(site_id=site.id, name="Night shift")
    db_session.add(team)
    db_session.commit()
    team_id = team.id
    db_session.delete(team)
    db_session.commit()
    rows = _log(db_session, entity="team", entity_id=str(team_id))
    assert [r.action for r in rows] == ["insert", "delete"]
    assert rows[1].before["name"] == "Night shift"
    assert rows[1].after == {}
    assert {r.source for r in rows} == {"cli"}
    assert {r.user_id for r in rows} == {None}


def test_a_rolled_back_change_leaves_no_log(demo, db_session):
    count = len(_log(db_session))
    site = db_session.scalar(select(Site))
    db_session.add(Team(site_id=site.id, name="Never"))
    db_session.flush()
    assert len(_log(db_session)) == count + 1  # written with the change, in its transaction...
    db_session.rollback()
    assert len(_log(db_session)) == count  # ...and gone with it


def test_an_actor_declared_by_a_job_or_command(demo, db_session):
    hr = _user_id(db_session, "hr")
    site = db_session.scalar(select(Site))
    with acting(hr, "job", "job-42"):
        db_session.add(Team(site_id=site.id, name="Evening"))
        db_session.commit()
    row = _log(db_session, entity="team")[-1]
    assert (row.user_id, row.source, row.request_id) == (hr, "job", "job-42")
    with pytest.raises(ValueError, match="source"), acting(hr, "somewhere"):
        pass


def test_bulk_tables_get_one_summary_per_statement_not_a_row_per_record(history, browser, db_session):
    """The history upload (a Core insert of every interval) and a forecast job (run by the scheduler)."""
    rows = _log(db_session, entity="history_interval")
    intervals = db_session.query(HistoryInterval).count()
    assert intervals > 1000
    assert 1 <= len(rows) <= 5
    assert sum(r.after["rows"] for r in rows if r.after["statement"] == "insert") == intervals
    assert {r.after["queue_id"] for r in rows if r.after["statement"] == "insert"} == {history.id}
    assert all(r.action == "bulk" and r.source == "web" for r in rows)
    assert rows[0].user_id == _user_id(db_session, "scheduler")

    forecast = forecast_via_page(browser, history, FIRST + dt.timedelta(days=HISTORY_DAYS), days=7)
    summaries = _log(db_session, entity="forecast_interval")
    assert len(summaries) == 1
    assert summaries[0].entity_id == str(forecast.id)
    assert summaries[0].after["rows"] == len(forecast.intervals)
    assert summaries[0].source == "job"
    assert summaries[0].user_id == _user_id(db_session, "scheduler")
    made = _log(db_session, entity="forecast", entity_id=str(forecast.id))
    assert made[0].action == "insert"
    assert made[0].source == "job"


def test_orm_writes_to_a_bulk_table_are_summarised_per_flush(history, db_session):
    before = len(_log(db_session, entity="history_interval"))
    start = dt.datetime(2030, 1, 1, 8)
    db_session.add_all(
        HistoryInterval(
            queue_id=history.id,
            interval_start=start + dt.timedelta(minutes=15 * i),
            interval_minutes=15,
            offered=float(i),
        )
        for i in range(20)
    )
    db_session.commit()
    rows = _log(db_session, entity="history_interval")[before:]
    assert len(rows) == 1
    assert rows[0].after == {"inserted": 20, "queue_id": history.id}
    assert rows[0].entity_id == str(history.id)


def test_the_change_log_page(demo, browser, db_session):
    browser.login("admin")
    browser.post("/admin/skills/new", {"name": "Mortgages", "description": "home loans"})
    html = browser.get("/admin/change-log").get_data(as_text=True)
    assert 'data-testid="change-log"' in html
    assert "Mortgages" in html
    assert "skill #" in html
    only_roles = browser.get("/admin/change-log?entity=user_role").get_data(as_text=True)
    assert "user_role #" in only_roles
    assert "skill #" not in only_roles
    admin = _user_id(db_session, "admin")
    by_admin = browser.get(f"/admin/change-log?user_id={admin}").get_data(as_text=True)
    # the demo's users were made by no one
    assert "Mortgages" in by_admin
    assert "user_role #" not in by_admin
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "No changes match" in browser.get(f"/admin/change-log?since={tomorrow}").get_data(as_text=True)
    backwards = browser.get(f"/admin/change-log?since={tomorrow}&until=2020-01-01")
    assert backwards.status_code == 400
    assert "before the start date" in backwards.get_data(as_text=True)
    assert db_session.query(ChangeLog).count() > 50  # the demo alone: more than one page
    first = browser.get("/admin/change-log").get_data(as_text=True)
    second = browser.get("/admin/change-log?page=2").get_data(as_text=True)
    assert "page 1 of" in first
    assert "page 2 of" in second
    assert 'rel="prev"' in second
    assert "Change log" in browser.get("/admin/").get_data(as_text=True)


def test_only_admins_see_the_change_log(demo, browser):
    for username in ("scheduler", "hr", "agent"):
        browser.post("/logout")
        browser.login(username)
        assert browser.get("/admin/change-log").status_code == 403
        assert "Change log" not in browser.get("/").get_data(as_text=True)


def test_change_log_disabled_for_benchmarks(app, demo, db_session):
    count = len(_log(db_session))
    app.config["CHANGELOG_ENABLED"] = False
    try:
        db_session.add(Team(site_id=db_session.scalar(select(Site)).id, name="Unlogged"))
        db_session.commit()
    finally:
        app.config["CHANGELOG_ENABLED"] = True
    assert len(_log(db_session)) == count
