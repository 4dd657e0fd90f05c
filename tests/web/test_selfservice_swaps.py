"""Swaps and offers through the pages: both agents' hard rules checked before the scheduler sees them, the
colleague answers, approval publishes a new roster version with the cells exchanged, both are notified,
every step is audited, and agents see only what concerns them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.hand_roster import DAY, LATE, _day, _latest_rows, make_published
from wfm.models import AuditEntry, Notification, Roster, ShiftSwap, User


@pytest.fixture
def published(demo, db_session):
    return make_published(db_session)


def _propose(browser, day, partner_id, partner_day):
    return browser.post(
        "/my/swaps",
        {
            "swap-day": day.isoformat(),
            "swap-partner_id": partner_id,
            "swap-partner_day": partner_day.isoformat(),
            "swap-note": "",
            "swap-submit": "1",
        },
    )


def _switch(browser, username):
    browser.client.post("/logout")
    browser.login(username)


def test_swap_that_breaks_a_hard_rule_is_refused(published, browser, db_session):
    browser.login("agent")
    # A001's day shift of day 1 for A002's late the same day: A001 would then start at 08:00 on day 2,
    # ten hours after the late ends (rest is 11 hours).
    response = _propose(browser, _day(1), published["A002"].id, _day(1))
    assert response.status_code == 400
    assert "cannot follow" in response.get_data(as_text=True)
    assert db_session.scalar(select(ShiftSwap)) is None


@pytest.mark.postgres
def test_swap_between_two_agents_from_proposal_to_new_version(published, browser, db_session):
    a1, a2 = published["A001"], published["A002"]
    browser.login("agent")
    # A001 gives day 4 (day shift) and gets A002's late on day 3 (A001 is off on day 3, A002 on day 4).
    assert _propose(browser, _day(4), a2.id, _day(3)).status_code == 302
    swap = db_session.scalar(select(ShiftSwap))
    assert (swap.status, swap.shift, swap.partner_shift) == ("proposed", DAY, LATE)
    _switch(browser, "agent3")  # not part of it: cannot answer
    assert browser.post(f"/my/swaps/{swap.id}/accept").status_code == 404
    assert LATE not in browser.get("/my/swaps").get_data(as_text=True)  # others' swap is not shown to A003
    _switch(browser, "agent")
    assert LATE in browser.get("/my/swaps").get_data(as_text=True)  # ...while its requester sees it
    _switch(browser, "agent2")
    assert "Waiting for you" in browser.get("/my/swaps").get_data(as_text=True)
    assert browser.post(f"/my/swaps/{swap.id}/accept").status_code == 302
    db_session.expire_all()
    assert db_session.get(ShiftSwap, swap.id).status == "pending"
    _switch(browser, "scheduler")
    assert f"/inbox/swaps/{swap.id}" in browser.get("/inbox").get_data(as_text=True)
    page = browser.get(f"/inbox/swaps/{swap.id}").get_data(as_text=True)
    assert "hard rules and skills hold" in page
    assert browser.post(f"/inbox/swaps/{swap.id}", {"decision": "approve", "note": ""}).status_code == 302
    db_session.expire_all()
    roster = db_session.get(Roster, published["roster_id"])
    assert roster.published_version == 2
    first, second = _latest_rows(db_session, roster.id, a1.id), _latest_rows(db_session, roster.id, a2.id)
    assert first.get(_day(3).isoformat()) == LATE
    assert _day(4).isoformat() not in first
    assert second.get(_day(4).isoformat()) == DAY
    assert _day(3).isoformat() not in second
    actions = [
        a.action
        for a in db_session.scalars(
            select(AuditEntry).where(AuditEntry.subject == "swap").order_by(AuditEntry.id)
        )
    ]
    assert actions == ["proposed", "accepted", "approved"]
    approved = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "approved"))
    assert approved.before["status"] == "pending"
    assert approved.after["published_version"] == 2
    for username in ("agent", "agent2"):
        user = db_session.scalar(select(User).where(User.username == username))
        assert db_session.scalar(
            select(Notification).where(
                Notification.user_id == user.id, Notification.message.like("%approved%")
            )
        )
    _switch(browser, "agent")
    html = browser.get(f"/my/schedule?date={_day(3)}&view=month").get_data(as_text=True)
    assert "14:00–22:00" in html  # the late now published as A001's


def test_offer_taken_by_a_colleague_and_rejected_by_the_scheduler(published, browser, db_session):
    browser.login("agent")
    assert (
        browser.post(
            "/my/swaps", {"offer-day": _day(4).isoformat(), "offer-note": "wedding", "offer-submit": "1"}
        ).status_code
        == 302
    )
    swap = db_session.scalar(select(ShiftSwap))
    assert swap.status == "open"
    _switch(browser, "agent3")
    assert "wedding" in browser.get("/my/swaps").get_data(as_text=True)
    assert browser.post(f"/my/swaps/{swap.id}/take").status_code == 302
    db_session.expire_all()
    swap = db_session.get(ShiftSwap, swap.id)
    assert swap.status == "pending"
    assert swap.partner_id == published["A003"].id
    _switch(browser, "scheduler")
    assert (
        browser.post(f"/inbox/swaps/{swap.id}", {"decision": "reject", "note": "short that day"}).status_code
        == 302
    )
    db_session.expire_all()
    assert db_session.get(ShiftSwap, swap.id).status == "rejected"
    assert db_session.get(Roster, published["roster_id"]).published_version == 1
    audit = browser.get("/inbox/audit?subject=swap").get_data(as_text=True)
    assert "rejected" in audit
    assert "short that day" in audit


def test_a_colleague_on_shift_that_day_cannot_take_an_offer(published, browser, db_session):
    browser.login("agent")
    assert (
        browser.post(
            "/my/swaps", {"offer-day": _day(1).isoformat(), "offer-note": "", "offer-submit": "1"}
        ).status_code
        == 302
    )
    swap = db_session.scalar(select(ShiftSwap))
    _switch(browser, "agent2")  # A002 works a late on day 1: two shifts in a day are not possible
    response = browser.post(f"/my/swaps/{swap.id}/take", follow_redirects=True)
    assert "you already work on" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(ShiftSwap, swap.id).status == "open"
