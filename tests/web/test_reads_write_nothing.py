"""Reading a page writes nothing: the career catalogue, an agent's career profile, a site's roster rules and
time-off policy are shown with their defaults until the first change stores them (`wfm careers seed` and
`wfm demo` store the catalogue up front). Every INSERT, UPDATE or DELETE sent during the GET is counted."""

import datetime as dt

import pytest
from sqlalchemy import event, func, select

from tests.hand_roster import make_published
from training.defaults import default_catalogue
from wfm.careers.store import load_catalogue
from wfm.extensions import db
from wfm.models import Agent, CareerProfile, RosterRules, TimeOffPolicy, User
from wfm.models.careers import CareerField


@pytest.fixture
def writes(db_session):
    """The data-changing statements sent while the test runs (appended as they go)."""
    sent: list[str] = []

    def note(_conn, _cursor, statement, _params, _context, _many):
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            sent.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    yield sent
    event.remove(engine, "before_cursor_execute", note)


def _rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_catalogue_is_read_without_being_stored(db_session, writes):
    assert _rows(CareerField) == 0
    shown = load_catalogue()
    assert sorted(shown.fields) == sorted(default_catalogue().fields)
    assert writes == []
    assert _rows(CareerField) == 0


def test_career_pages_and_the_roster_grid_write_nothing(demo, browser, db_session, writes):
    roster_id = make_published(db_session)["roster_id"]
    db_session.execute(db.delete(CareerProfile))  # as before the first change to anyone's career
    db_session.execute(db.delete(RosterRules))  # as before the first solve
    db_session.execute(db.delete(TimeOffPolicy))  # as before the first request or policy saved
    db_session.commit()
    agent_user = db_session.scalar(select(User).where(User.username == "agent"))
    agent = db_session.get(Agent, agent_user.agent_id)
    writes.clear()
    browser.login("hr")
    writes.clear()  # signing in records the sign-in
    for path in (
        "/careers/",
        f"/careers/agents/{agent.id}",
        f"/careers/agents/{agent.id}?field=basic_service&level=1",
        "/careers/ladders/basic_service",
        "/careers/sessions",
        "/careers/matrix",
    ):
        assert browser.get(path).status_code == 200, path
    browser.post("/logout")
    browser.login("scheduler")
    writes.clear()
    assert browser.get(f"/rosters/{roster_id}").status_code == 200
    assert browser.get(f"/rosters/{roster_id}?week=all").status_code == 200
    assert browser.get("/inbox/policy").status_code == 200
    assert writes == []
    assert _rows(CareerProfile) == 0
    assert _rows(RosterRules) == 0
    browser.post("/logout")
    browser.login("agent")
    writes.clear()
    assert browser.get("/careers/me").status_code == 200
    assert browser.get("/my/time-off").status_code == 200
    assert writes == []
    assert _rows(CareerProfile) == 0


def test_the_first_change_stores_the_profile(demo, browser, db_session):
    db_session.execute(db.delete(CareerProfile))
    db_session.commit()
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A005"))
    browser.login("hr")
    response = browser.post(
        f"/careers/agents/{agent.id}/quality", {"quality_score": "88", "primary_field": ""}
    )
    assert response.status_code == 302
    stored = db_session.scalar(select(CareerProfile).where(CareerProfile.agent_id == agent.id))
    assert stored is not None
    assert stored.quality_score == 88
    assert stored.quality_on == dt.date.today()
