"""The roster grid's figures are kept while nothing changed, and never served after a change: each kind of
input (a cell, a skill, a time-off decision, the requirement, a rule) changes the data revision, and the
page's figures are then those a computation without the cache gives."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select, text, update

from tests.web.test_rosters import _generate
from wfm import revision
from wfm.extensions import db
from wfm.models import (
    AgentSkill,
    DataRevision,
    Notification,
    Queue,
    RequirementInterval,
    Roster,
    RosterRules,
    TimeOff,
    User,
)
from wfm.rosters import drafts, grid_cache, pages
from wfm.rosters.operations import edit_cell, publish

pytestmark = pytest.mark.postgres  # the token is written inside other transactions: both dialects


@pytest.fixture
def roster(history, built, browser, db_session):
    built("roster", lambda: _generate(browser, db_session, history, hours_below_contract=40))
    if db_session.scalar(select(DataRevision)) is None:  # tests empty every table, this one too
        db_session.add(DataRevision(id=1, token=revision.new_token()))
        db_session.commit()
    grid_cache.clear()
    browser.login("scheduler")
    return db_session.scalar(select(Roster))


def _cached(roster_id: int) -> dict:
    db.session.rollback()  # a new request: a new transaction
    return grid_cache.grid(db.session.get(Roster, roster_id), team=None, week=1)


def _uncached(roster_id: int) -> dict:
    db.session.rollback()
    db.session.expire_all()
    return pages.grid(db.session.get(Roster, roster_id), team=None, week=1)


def _changed(db_session, roster: Roster, change) -> tuple[dict, dict]:
    """The cached figures before `change` (committed), and after it."""
    roster_id = roster.id
    before = _cached(roster_id)
    assert _cached(roster_id) is before  # nothing changed: the same figures, not computed again
    change(db_session.get(Roster, roster_id))
    db_session.commit()
    after = _cached(roster_id)
    assert after is not before
    assert after == _uncached(roster_id)
    return before, after


def test_a_cell_edit(roster, db_session):
    cell = next(iter(sorted(roster.assignments, key=lambda a: (a.day, a.agent_id))))
    before, after = _changed(
        db_session,
        roster,
        lambda r: edit_cell(r, cell.agent_id, cell.day, None, r.lock_version, None),
    )
    assert after["shifts_total"] == before["shifts_total"] - 1
    assert after["lock_version"] == before["lock_version"] + 1


def test_an_agents_skill(roster, db_session):
    retail = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))

    def unskill(_roster):
        for held in db_session.scalars(
            select(AgentSkill).where(AgentSkill.skill_id == retail.skill_id)
        ).all()[:3]:
            db_session.delete(held)

    before, after = _changed(db_session, roster, unskill)
    holders = {q["queue"]: q["holders"] for q in before["queues"]}
    assert holders.get("Retail voice")
    assert {q["queue"]: q["holders"] for q in after["queues"]}["Retail voice"] < holders["Retail voice"]


def test_a_time_off_approval(roster, db_session):
    day = roster.start_date
    off = next(a for a in roster.assignments if a.day == day)  # an agent working the first day
    leave = TimeOff(agent_id=off.agent_id, first_day=day, last_day=day, status="requested")
    db_session.add(leave)
    db_session.commit()

    def approve(_roster):
        leave.status = "approved"
        leave.decided_at = dt.datetime(2026, 1, 1)

    before, after = _changed(db_session, roster, approve)
    assert before["violations"] != after["violations"]
    assert [v for v in after["violations"] if v["rule"] == "day off"], after["violations"]


def test_the_requirement(roster, db_session):
    def double(_roster):
        db_session.execute(
            update(RequirementInterval).values(
                scheduled_agents=RequirementInterval.scheduled_agents * 2 + 1,
                agents=RequirementInterval.agents * 2 + 1,
            )
        )

    before, after = _changed(db_session, roster, double)
    short = {q["queue"]: q["short"] for q in before["queues"]}
    assert {q["queue"]: q["short"] for q in after["queues"]}["Retail voice"] > short["Retail voice"]


def test_a_rule(roster, db_session):
    def one_day_in_a_row(r):
        db_session.scalar(
            select(RosterRules).where(RosterRules.site_id == r.site_id)
        ).max_consecutive_days = 1

    before, after = _changed(db_session, roster, one_day_in_a_row)
    assert len(after["violations"]) > len(before["violations"])


def test_raw_sql_and_core_writes_change_the_revision_and_logs_do_not(roster, db_session):
    token = revision.current()
    assert token
    db_session.execute(text("UPDATE roster SET name = name || '.'"))
    db_session.commit()
    assert revision.current() not in (None, token)
    token = revision.current()
    db_session.execute(
        insert(Notification),
        [{"user_id": db_session.scalar(select(User.id)), "message": "A notice."}],
    )
    db_session.commit()
    assert revision.current() == token
    db_session.execute(update(Roster).values(name=Roster.name + "!"))
    db_session.rollback()
    assert revision.current() == token  # rolled back with the change it came with


def test_the_page_after_an_edit_shows_the_new_figures(roster, browser, db_session):
    page = browser.get(f"/rosters/{roster.id}").get_data(as_text=True)
    cell = sorted(roster.assignments, key=lambda a: (a.day, a.agent_id))[0]
    assert f"Now: {len(roster.assignments)} shifts" in page
    response = browser.post(
        f"/rosters/{roster.id}/cell?agent={cell.agent_id}&day={cell.day}",
        {"shift": "", "lock_version": roster.lock_version},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db_session.expire_all()
    page = browser.get(f"/rosters/{roster.id}").get_data(as_text=True)
    assert f"Now: {len(db_session.get(Roster, roster.id).assignments)} shifts" in page
    assert f"Now: {len(roster.assignments) + 1} shifts" not in page


def test_a_sign_in_leaves_the_figures_and_a_new_name_renews_them(roster, browser, db_session):
    token = revision.current()
    browser.login("hr")  # a sign-in writes only bookkeeping columns of the account
    db_session.rollback()
    assert revision.current() == token
    db_session.scalar(select(User).where(User.username == "hr")).display_name = "Someone else"
    db_session.commit()
    assert revision.current() not in (None, token)


def test_the_draft_state_after_an_edit_of_a_published_roster(roster, db_session):
    publish(roster, roster.lock_version, None)
    db_session.commit()
    roster_id = roster.id
    db.session.rollback()
    before = grid_cache.draft_state(db.session.get(Roster, roster_id))
    assert grid_cache.draft_state(db.session.get(Roster, roster_id)) is before
    assert not before["draft_cells"]
    current = db_session.get(Roster, roster_id)
    cell = sorted(current.assignments, key=lambda a: (a.day, a.agent_id))[0]
    edit_cell(current, cell.agent_id, cell.day, None, current.lock_version, None)
    db_session.commit()
    db.session.rollback()
    after = grid_cache.draft_state(db.session.get(Roster, roster_id))
    db.session.expire_all()
    assert after == drafts.state(db.session.get(Roster, roster_id))
    assert after["draft_cells"] == 1
