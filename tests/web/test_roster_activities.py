"""Meetings and coaching on the roster: placed inside the shifts where the phones spare the attendees,
pinned, shown on the grid, the cell page and the agent's schedule once published; bad input, stale
versions and agents are refused without writing anything.

The roster is the hand-made published week of test_selfservice, so the phones are known: on day 0 A001 and
A003 work 08:00-16:00 (lunch 12:00-12:30), A002 14:00-22:00 (lunch 18:00-18:30), and the plan wants two
agents every half hour from 08:00 to 22:00: the one spare agent is there from 14:00 to 16:00 only.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from tests.hand_roster import START, make_published
from tests.web.api_support import api, tokens  # noqa: F401 (fixtures)
from wfm.models import Roster, RosterChange
from wfm.rosters import coverage


@pytest.fixture
def hand(demo, tokens, db_session):  # noqa: F811 (the tokens are restored first: `built` wipes later rows)
    return make_published(db_session)


def _roster(db_session, made) -> Roster:
    roster = db_session.get(Roster, made["roster_id"])
    db_session.refresh(roster)
    return roster


def _cell(roster: Roster, agent_id: int, day: dt.date):
    return next(a for a in roster.assignments if a.agent_id == agent_id and a.day == day)


def _post(browser, roster: Roster, **fields):
    data = {
        "kind": "meeting",
        "title": "Huddle",
        "day": START.isoformat(),
        "team": "",
        "minutes": 30,
        "window_from": "08:00",
        "window_to": "17:00",
        "together": "y",
        "lock_version": roster.lock_version,
    }
    data.update(fields)
    return browser.post(f"/rosters/{roster.id}/activity", {k: v for k, v in data.items() if v is not None})


def _as(browser, user: str) -> None:
    browser.post("/logout")
    browser.login(user)


def _clock(cell, offset: int) -> dt.time:
    return (cell.start + dt.timedelta(minutes=offset)).time()


def test_a_meeting_takes_the_time_the_phones_spare_both_and_is_published_to_the_agent(
    hand,
    browser,
    db_session,
    api,  # noqa: F811
):
    browser.login("scheduler")
    roster = _roster(db_session, hand)
    a001, a002, a003 = hand["A001"].id, hand["A002"].id, hand["A003"].id
    midnight = dt.datetime.combine(START, dt.time())
    step = dt.timedelta(minutes=30)
    before = coverage.on_phones(
        roster, {t["id"]: t for t in roster.shift_types}, midnight, midnight + dt.timedelta(days=1), step
    )
    assert browser.get(f"/rosters/{roster.id}/activity").status_code == 200
    response = _post(browser, roster, agents=[a001, a003, a002], window_to="16:00")
    assert response.status_code == 302, response.get_data(as_text=True)
    roster = _roster(db_session, hand)
    # 14:00 is the earliest start where taking two agents off leaves the fewest short: one spare agent there,
    # none in the morning. A002 starts at 14:00 too but must be free for the same half hour: yes.
    for agent_id in (a001, a003, a002):
        cell = _cell(roster, agent_id, START)
        assert len(cell.activities) == 1
        assert cell.pinned
        begin, end, kind, title = cell.activities[0]
        assert (_clock(cell, begin), _clock(cell, end), kind, title) == (
            dt.time(14),
            dt.time(14, 30),
            "meeting",
            "Huddle",
        )
    after = coverage.on_phones(
        roster, {t["id"]: t for t in roster.shift_types}, midnight, midnight + dt.timedelta(days=1), step
    )
    at_two = midnight + dt.timedelta(hours=14)
    assert before[at_two] - after.get(at_two, 0) == 3
    assert {t: n for t, n in after.items() if t != at_two} == {t: n for t, n in before.items() if t != at_two}
    assert db_session.scalar(select(RosterChange).where(RosterChange.kind == "activity")).note.startswith(
        "meeting Huddle 14:00–14:30: 3 agents"
    )
    page = browser.get(f"/rosters/{roster.id}").get_data(as_text=True)
    assert page.count(">meeting 14:00</small>") == 3  # in the three cells (the full label in their titles)
    assert page.count("meeting Huddle 14:00–14:30") == 4  # three titles and the change log
    assert "meeting Huddle 14:00–14:30" in browser.get(
        f"/rosters/{roster.id}/cell?agent={a001}&day={START}"
    ).get_data(as_text=True)
    pdf = browser.get(f"/rosters/{roster.id}.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    cells = api("scheduler").get(f"/api/v1/rosters/{roster.id}").json["cells"]
    assert [c["activities"] for c in cells if c["agent_id"] == a001 and c["day"] == START.isoformat()] == [
        [[360, 390, "meeting", "Huddle"]]
    ]  # 14:00 is six hours into A001's 08:00 shift
    # The agent sees it only once it is published, and the publish lists the three as changed.
    _as(browser, "agent")  # A001
    assert 'data-testid="activity"' not in browser.get(f"/my/schedule?date={START}").get_data(as_text=True)
    _as(browser, "scheduler")
    assert (
        browser.post(f"/rosters/{roster.id}/publish", {"lock_version": roster.lock_version}).status_code
        == 302
    )
    roster = _roster(db_session, hand)
    assert sorted(roster.versions[-1].agents_changed) == sorted([a001, a002, a003])
    _as(browser, "agent")
    html = browser.get(f"/my/schedule?date={START}").get_data(as_text=True)
    assert html.count('data-testid="activity"') == 1
    assert "meeting Huddle 14:00–14:30" in html


def test_coaching_one_by_one_spreads_over_the_spare_agent_and_edits_keep_what_fits(hand, browser, db_session):
    browser.login("scheduler")
    roster = _roster(db_session, hand)
    a001, a002, a003 = hand["A001"].id, hand["A002"].id, hand["A003"].id
    response = _post(
        browser,
        roster,
        kind="coaching",
        title="Call review",
        together=None,
        agents=[a001, a002, a003],
        window_to="22:00",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    roster = _roster(db_session, hand)
    times = []
    for agent_id in (a001, a002, a003):
        cell = _cell(roster, agent_id, START)
        [(begin, end, kind, _title)] = cell.activities
        times.append((cell.start + dt.timedelta(minutes=begin), cell.start + dt.timedelta(minutes=end)))
        assert kind == "coaching"
        assert end - begin == 30
    # Each session takes the one spare agent of 14:00-16:00 in turn: no two at once, none short.
    times.sort()
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(times))
    two, four = dt.datetime.combine(START, dt.time(14)), dt.datetime.combine(START, dt.time(16))
    assert all(two <= b and e <= four for b, e in times)
    # A002 moves to the day shift: its session in 14:00-16:00 still fits, and keeps its clock time.
    cell = _cell(roster, a002, START)
    kept = cell.start + dt.timedelta(minutes=cell.activities[0][0])
    day_shift = next(t["id"] for t in roster.shift_types if t["start_minute"] == 8 * 60)
    response = browser.post(
        f"/rosters/{roster.id}/cell?agent={a002}&day={START}",
        {"shift": day_shift, "lock_version": roster.lock_version},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    roster = _roster(db_session, hand)
    cell = _cell(roster, a002, START)
    assert cell.shift == day_shift
    assert cell.start + dt.timedelta(minutes=cell.activities[0][0]) == kept
    # A003 gets the day off: the session goes with the shift, and the log says so.
    response = browser.post(
        f"/rosters/{roster.id}/cell?agent={a003}&day={START}",
        {"shift": "", "lock_version": roster.lock_version},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    last = db_session.scalars(select(RosterChange).order_by(RosterChange.id.desc())).first()
    assert last.kind == "edit"
    assert "dropped: coaching Call review" in last.note
    assert "Dropped: coaching Call review" in browser.get(response.headers["Location"]).get_data(as_text=True)
    # Removing it from the cell page.
    response = browser.post(
        f"/rosters/{roster.id}/activity/remove",
        {"agent": a001, "day": START.isoformat(), "index": 0, "lock_version": roster.lock_version},
    )
    assert response.status_code == 302
    roster = _roster(db_session, hand)
    assert not _cell(roster, a001, START).activities
    assert _cell(roster, a002, START).activities


def test_bad_activities_stale_versions_and_agents_are_refused_and_nothing_is_written(
    hand, browser, db_session
):
    browser.login("scheduler")
    roster = _roster(db_session, hand)
    a001 = hand["A001"].id
    version = roster.lock_version
    too_short = _post(browser, roster, agents=[a001], minutes=90, window_from="09:00", window_to="10:00")
    assert too_short.status_code == 400
    assert "does not fit a 60-minute window" in too_short.get_data(as_text=True)
    nobody = _post(browser, roster, agents=[])
    assert nobody.status_code == 400
    assert "at least one agent" in nobody.get_data(as_text=True)
    off_day = _post(
        browser, roster, agents=[a001], day=(START + dt.timedelta(days=3)).isoformat()
    )  # A001 is off
    assert off_day.status_code == 400
    assert "not working that day" in off_day.get_data(as_text=True)
    outside = _post(browser, roster, agents=[a001], window_from="18:00", window_to="20:00")
    assert outside.status_code == 400
    assert "no free time" in outside.get_data(as_text=True)
    assert _post(browser, roster, agents=[a001], kind="party").status_code == 400
    roster = _roster(db_session, hand)
    assert roster.lock_version == version
    assert not any(a.activities for a in roster.assignments)
    # Someone saves first: the second scheduler is told what beat them.
    assert _post(browser, roster, agents=[a001]).status_code == 302
    stale = _post(browser, roster, agents=[hand["A003"].id], lock_version=version)
    assert stale.status_code == 409
    assert "someone changed the roster first" in stale.get_data(as_text=True)
    roster = _roster(db_session, hand)
    assert not _cell(roster, hand["A003"].id, START).activities
    _as(browser, "agent")
    assert browser.get(f"/rosters/{roster.id}/activity").status_code == 403
    assert _post(browser, roster, agents=[a001]).status_code == 403
    _as(browser, "hr")
    assert browser.get(f"/rosters/{roster.id}/activity").status_code == 403
