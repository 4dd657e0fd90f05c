"""Two people acting on the same thing at the same moment: exactly one wins, the other gets a clear refusal
(never a 500, never a second audit row or a contradictory notice).

A race is reproduced deterministically: the loser reads the request in the test's session (as its request
did), then the winner acts through a second session (its own app context and database connection, as a
second request would) and commits, then the loser acts on what it read."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.web.test_careers_records import _give_priority_basics
from tests.web.test_selfservice import _day, make_published
from wfm.careers import operations as careers
from wfm.extensions import db
from wfm.models import Agent, AuditEntry, Notification, Roster, ShiftSwap, TimeOff, User
from wfm.models.careers import Assessment, LevelHeldRow, Promotion, WorkflowLog
from wfm.selfservice import swaps, timeoff

pytestmark = pytest.mark.postgres  # races behave differently per database: run on both


@pytest.fixture
def published(demo, db_session):
    return make_published(db_session)


def as_another_request(app, action):
    """Run `action` in a second app context (its own session and connection) and commit, as a second
    request running at the same moment would."""
    with app.app_context():
        result = action()
        db.session.commit()
        return result


def _user(db_session, username: str) -> User:
    return db_session.scalar(select(User).where(User.username == username))


def _count(db_session, model, *where) -> int:
    return db_session.scalar(select(func.count()).select_from(model).where(*where))


# ---- time off ------------------------------------------------------------------------------------------


def _requested(db_session, published) -> TimeOff:
    t = timeoff.request(published["A001"], _day(1), _day(1), "vacation", today=_day(-2))
    db_session.commit()
    return t


def test_second_decision_on_a_time_off_request_is_refused(app, published, db_session):
    t = _requested(db_session, published)
    scheduler = _user(db_session, "scheduler")
    notices_before = _count(db_session, Notification, Notification.message.like("Your time off%"))
    loser_view = db_session.get(TimeOff, t.id)
    assert loser_view.status == "requested"  # what the loser's page read

    as_another_request(
        app, lambda: timeoff.decide(db.session.get(TimeOff, t.id), False, scheduler.id, "short")
    )

    with pytest.raises(
        timeoff.TimeOffRefused, match="someone decided this request first: it is rejected now"
    ):
        timeoff.decide(loser_view, True, scheduler.id)
    db_session.rollback()
    assert db_session.get(TimeOff, t.id).status == "rejected"
    decisions = db_session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.subject == "time_off", AuditEntry.subject_id == t.id, AuditEntry.action != "requested"
        )
    ).all()
    assert decisions == ["rejected"]
    assert _count(db_session, Notification, Notification.message.like("Your time off%")) == notices_before + 1
    assert (
        db_session.get(Roster, published["roster_id"]).published_version == 1
    )  # the approval published nothing


def test_an_agent_cannot_withdraw_a_request_a_scheduler_has_just_approved(app, published, db_session):
    t = _requested(db_session, published)
    agent_user, scheduler = _user(db_session, "agent"), _user(db_session, "scheduler")
    loser_view = db_session.get(TimeOff, t.id)
    as_another_request(app, lambda: timeoff.decide(db.session.get(TimeOff, t.id), True, scheduler.id))
    with pytest.raises(timeoff.TimeOffRefused, match="already approved"):
        timeoff.cancel(loser_view, db_session.get(Agent, published["A001"].id), agent_user.id)
    db_session.rollback()
    assert db_session.get(TimeOff, t.id).status == "approved"
    assert (
        _count(db_session, AuditEntry, AuditEntry.subject_id == t.id, AuditEntry.action == "cancelled") == 0
    )


# ---- swaps and offers ----------------------------------------------------------------------------------


def _offer(db_session, published, taker="A003") -> ShiftSwap:
    owner = _user(db_session, "agent")
    swap = swaps.offer(published["A001"], _day(4), "", owner.id, today=_day(-2))
    db_session.commit()
    if taker:
        swaps.take(swap, published[taker], _user(db_session, "agent3").id)
        db_session.commit()
    return swap


def test_second_decision_on_a_swap_is_refused(app, published, db_session):
    swap = _offer(db_session, published)
    scheduler = _user(db_session, "scheduler")
    loser_view = db_session.get(ShiftSwap, swap.id)
    assert loser_view.status == "pending"
    as_another_request(
        app, lambda: swaps.decide(db.session.get(ShiftSwap, swap.id), False, scheduler.id, "no")
    )
    with pytest.raises(swaps.SwapRefused, match="someone decided this request first: it is rejected now"):
        swaps.decide(loser_view, True, scheduler.id)
    db_session.rollback()
    assert db_session.get(ShiftSwap, swap.id).status == "rejected"
    assert db_session.get(Roster, published["roster_id"]).published_version == 1
    decided = db_session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.subject == "swap", AuditEntry.action.in_(("approved", "rejected"))
        )
    ).all()
    assert decided == ["rejected"]
    assert _count(db_session, Notification, Notification.message.like("The offer of%")) == 2  # one per agent


def test_two_colleagues_taking_one_offer_only_one_gets_it(app, published, db_session):
    swap = _offer(db_session, published, taker=None)
    a3 = published["A003"]
    # Another colleague of the site, off on day 4 like A003.
    other = db_session.scalar(
        select(Agent)
        .where(Agent.site_id == a3.site_id, Agent.employee_number.notin_(("A001", "A002", "A003")))
        .order_by(Agent.id)
    )
    loser_view = db_session.get(ShiftSwap, swap.id)
    as_another_request(
        app,
        lambda: swaps.take(
            db.session.get(ShiftSwap, swap.id), db.session.get(Agent, a3.id), _user(db.session, "agent3").id
        ),
    )
    with pytest.raises(swaps.SwapRefused, match="no longer open"):
        swaps.take(loser_view, db_session.get(Agent, other.id), None)
    db_session.rollback()
    taken = db_session.get(ShiftSwap, swap.id)
    assert (taken.status, taken.partner_id) == ("pending", a3.id)
    assert _count(db_session, AuditEntry, AuditEntry.subject == "swap", AuditEntry.action == "taken") == 1


def test_a_swap_withdrawn_while_the_scheduler_approves_it(app, published, db_session):
    swap = _offer(db_session, published)
    owner, scheduler = _user(db_session, "agent"), _user(db_session, "scheduler")
    loser_view = db_session.get(ShiftSwap, swap.id)
    as_another_request(
        app,
        lambda: swaps.cancel(
            db.session.get(ShiftSwap, swap.id), db.session.get(Agent, published["A001"].id), owner.id
        ),
    )
    with pytest.raises(swaps.SwapRefused, match="it is cancelled now"):
        swaps.decide(loser_view, True, scheduler.id)
    db_session.rollback()
    assert db_session.get(Roster, published["roster_id"]).published_version == 1


# ---- careers: evidence and promotions ------------------------------------------------------------------

DAY = dt.date(2026, 6, 1)


def test_second_decision_on_evidence_is_refused(app, demo, db_session):
    hr = _user(db_session, "hr")
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A001"))
    row = careers.submit_evidence(agent, hr, "english", 3, DAY, "IELTS 7.5")
    db_session.commit()
    loser_view = db_session.get(Assessment, row.id)
    as_another_request(
        app,
        lambda: careers.decide_evidence(
            db.session.get(Assessment, row.id),
            _user(db.session, "hr"),
            "rejected",
            "no certificate attached",
            today=DAY,
        ),
    )
    with pytest.raises(careers.WorkflowError, match="someone decided this first; it is rejected now"):
        careers.decide_evidence(
            loser_view, _user(db_session, "admin"), "validated", today=DAY
        )  # not the submitter
    db_session.rollback()
    assert db_session.get(Assessment, row.id).status == "rejected"
    steps = db_session.scalars(
        select(WorkflowLog.to_state).where(WorkflowLog.item_id == row.id).order_by(WorkflowLog.id)
    ).all()
    assert steps == ["submitted", "rejected"]
    assert _count(db_session, Notification, Notification.message.like("Your evidence for English%")) == 1


def test_second_decision_on_a_promotion_is_refused(app, demo, db_session):
    hr = _user(db_session, "hr")
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A001"))
    _give_priority_basics(db_session, agent, DAY - dt.timedelta(days=60))
    promotion = careers.propose(
        agent, hr, "high_end_service", 1, DAY, "ready", override="covers the priority desk"
    )
    db_session.commit()
    loser_view = db_session.get(Promotion, promotion.id)
    as_another_request(
        app,
        lambda: careers.reject(db.session.get(Promotion, promotion.id), _user(db.session, "hr"), "not yet"),
    )
    with pytest.raises(careers.WorkflowError, match="it is rejected now"):
        careers.approve(loser_view, _user(db_session, "admin"))  # not the proposer
    db_session.rollback()
    assert db_session.get(Promotion, promotion.id).status == "rejected"
    assert _count(db_session, LevelHeldRow, LevelHeldRow.promotion_id == promotion.id) == 0
    assert _count(db_session, Notification, Notification.message.like("Congratulations%")) == 0


# ---- roster cells --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("day_index", "winner_shift"), [(0, None), (4, "late")])
def test_two_saves_of_one_cell_the_loser_gets_the_conflict_page(
    app, published, db_session, browser, day_index, winner_shift
):
    """The loser read the roster and the cell, then the winner removed or replaced the cell and committed
    before the loser wrote: the loser sees the conflict page (409), not a server error."""
    from sqlalchemy import event

    from tests.web.test_selfservice import DAY, LATE
    from wfm.rosters.operations import edit_cell

    winner_shift = LATE if winner_shift else None
    roster_id, agent_id, day = published["roster_id"], published["A001"].id, _day(day_index)
    version = db_session.get(Roster, roster_id).lock_version
    browser.login("scheduler")
    loser = db.session()  # the session the loser's request uses (the test's app context)
    fired = []

    def winner_saves_first(session, _context, _instances):
        if session is loser and not fired:
            fired.append(True)
            as_another_request(
                app,
                lambda: edit_cell(
                    db.session.get(Roster, roster_id), agent_id, day, winner_shift, version, None
                ),
            )

    event.listen(loser, "before_flush", winner_saves_first)
    try:
        response = browser.post(
            f"/rosters/{roster_id}/cell?agent={agent_id}&day={day}", {"shift": DAY, "lock_version": version}
        )
    finally:
        event.remove(loser, "before_flush", winner_saves_first)
    assert fired
    assert response.status_code == 409, response.get_data(as_text=True)[-2000:]
    assert "changed" in response.get_data(as_text=True).lower()
    db_session.expire_all()
    roster = db_session.get(Roster, roster_id)
    assert [a.shift for a in roster.assignments if a.agent_id == agent_id and a.day == day] == (
        [winner_shift] if winner_shift else []
    )  # the winner's save stands


# ---- my schedule, first look from two devices ----------------------------------------------------------


def test_first_look_at_my_schedule_from_two_devices_at_once(app, published, db_session, browser):
    """Both requests found no 'seen' row; the other device stored its row just before this one writes
    its own: this page still shows, and one row is kept."""
    from sqlalchemy import event

    from wfm.models import ScheduleSeen
    from wfm.selfservice.published import mark_changes

    browser.login("agent")
    user_id, agent = _user(db_session, "agent").id, published["A001"]
    fired = []

    def other_device_first(_conn, _cursor, statement, *_args):
        if not fired and statement.lstrip().upper().startswith("INSERT INTO SCHEDULE_SEEN"):
            fired.append(True)  # (the other device's own insert comes through here too)
            as_another_request(
                app, lambda: mark_changes(user_id, [], agent.id, agent.site_id, _day(0), _day(6))
            )

    event.listen(db.engine, "before_cursor_execute", other_device_first)
    try:
        response = browser.get(f"/my/schedule?date={_day(0)}")
    finally:
        event.remove(db.engine, "before_cursor_execute", other_device_first)
    assert fired
    assert response.status_code == 200
    assert _count(db_session, ScheduleSeen, ScheduleSeen.user_id == user_id) == 1


def _made_first_elsewhere(app, table: str, make):
    """Call `make()`; just before it inserts into `table`, the same `make()` runs in another request and
    commits (both found no row). Returns what the first call returned."""
    from sqlalchemy import event

    fired = []

    def other_request_first(_conn, _cursor, statement, *_args):
        if not fired and statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}"):
            fired.append(True)
            as_another_request(app, make)

    event.listen(db.engine, "before_cursor_execute", other_request_first)
    try:
        made = make()
    finally:
        event.remove(db.engine, "before_cursor_execute", other_request_first)
    assert fired
    return made


@pytest.mark.parametrize("what", ["time_off_policy", "roster_rules", "career_profile"])
def test_rows_made_on_first_use_by_two_requests_at_once(app, published, db_session, what):
    from wfm.careers.store import profile_of, seed_catalogue
    from wfm.models import CareerProfile, RosterRules, Site, TimeOffPolicy
    from wfm.rosters.problem import rules_for

    site_id, agent_id = published["site"].id, published["A001"].id
    db_session.execute(db.delete(RosterRules))  # made_published made the site's rules; start without them
    seed_catalogue()
    db_session.commit()
    model, make = {
        "time_off_policy": (TimeOffPolicy, lambda: timeoff.policy_for(site_id)),
        "roster_rules": (RosterRules, lambda: rules_for(db.session.get(Site, site_id))),
        "career_profile": (CareerProfile, lambda: profile_of(db.session.get(Agent, agent_id))),
    }[what]
    made = _made_first_elsewhere(app, what, make)
    assert made is not None
    assert made.id is not None
    db_session.commit()
    assert _count(db_session, model) == 1


def test_one_agent_enrolled_by_two_people_at_once(app, demo, db_session):
    from tests.web.test_careers_records import _session
    from wfm.admin.operations import FieldError
    from wfm.careers.store import seed_catalogue
    from wfm.models import TrainingSession

    seed_catalogue()
    session_id = _session(db_session, capacity=5).id
    agent_id = db_session.scalar(select(Agent.id).where(Agent.employee_number == "A001"))
    db_session.commit()

    def enrol():
        return careers.enrol(db.session.get(TrainingSession, session_id), db.session.get(Agent, agent_id))

    with pytest.raises(FieldError, match="enrolled already"):
        _made_first_elsewhere(app, "career_enrolment", enrol)


def test_calendar_feed_made_from_two_devices_at_once(app, published, db_session):
    from wfm.models import CalendarFeed
    from wfm.selfservice import calendar

    agent_id, user_id = published["A001"].id, _user(db_session, "agent").id
    token = _made_first_elsewhere(
        app, "calendar_feed", lambda: calendar.renew(db.session.get(Agent, agent_id), user_id)
    )
    db_session.commit()
    assert _count(db_session, CalendarFeed) == 1
    assert calendar.agent_for_token(token).id == agent_id  # the URL shown last is the one that works


def test_an_allowance_set_by_two_schedulers_at_once(app, published, db_session, browser):
    from wfm.models import LeaveAllowance

    site_id = published["site"].id
    timeoff.policy_for(site_id)  # made already (on first use it would be this request's first write)
    db_session.commit()
    browser.login("scheduler")
    body = {
        "allowance-employee_number": "A001",
        "allowance-year": 2030,
        "allowance-days": 20,
        "allowance-submit": "1",
    }
    fired = []

    def other_scheduler_first(_conn, _cursor, statement, *_args):
        if not fired and statement.lstrip().upper().startswith("INSERT INTO LEAVE_ALLOWANCE"):
            fired.append(True)
            as_another_request(
                app, lambda: db.session.add(LeaveAllowance(agent_id=published["A001"].id, year=2030, days=30))
            )

    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute", other_scheduler_first)
    try:
        response = browser.post(f"/inbox/policy?site={site_id}", body)
    finally:
        event.remove(db.engine, "before_cursor_execute", other_scheduler_first)
    assert fired
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.scalars(select(LeaveAllowance.days).where(LeaveAllowance.year == 2030)).all() == [20]


# ---- the error page ------------------------------------------------------------------------------------


def test_a_server_error_after_a_failed_database_statement_still_carries_the_security_headers(
    app, published, db_session, browser, monkeypatch
):
    """A real IntegrityError inside a page (a duplicate 'seen' row) leaves the session needing a rollback;
    the 500 page must still render (it reads the user and the notifications) and carry every header."""
    from tests.web.test_security_headers import _assert_secured
    from wfm.models import ScheduleSeen
    from wfm.selfservice import pages

    browser.login("agent")
    user_id = _user(db_session, "agent").id

    def failing_schedule(*_args, **_kwargs):
        for _ in range(2):
            db.session.add(ScheduleSeen(user_id=user_id, roster_id=published["roster_id"], version=1))
        db.session.flush()

    monkeypatch.setattr(pages, "schedule", failing_schedule)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = browser.get("/my/schedule")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    _assert_secured(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert browser.get("/me").status_code == 200  # the next request is served normally


def test_an_error_page_that_itself_fails_still_answers_plainly_with_the_headers(
    app, demo, browser, monkeypatch
):
    """The top bar's notification count fails: the page fails, then so would its error page; a plain error
    page goes out, with the security headers."""
    from tests.web.test_security_headers import _assert_secured
    from wfm.selfservice import notify

    browser.login("agent")

    def broken(_user_id):
        raise RuntimeError("the notifications cannot be counted")

    monkeypatch.setattr(notify, "unread_count", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = browser.get("/me")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    _assert_secured(response)
    assert response.headers["Cache-Control"] == "no-store"
