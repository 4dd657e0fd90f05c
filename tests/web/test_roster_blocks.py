"""Work blocks on a roster, checked from what is stored: skills (against the agent_skill table, by its
effective dates), block lengths, breaks, meetings and training left alone, the cover per queue on the page
against a count by hand, and each agent seeing their own blocks only once published.

The roster is the hand-made week of `tests.hand_roster`: on day 0, A001 and A003 work 08:00-16:00 and A002
14:00-22:00, each with a lunch half-way through. The demo today lets every template serve every queue, so
the skills here are our own: A001 works Retail voice or Back office, A002 Retail voice only, A003 Web chat
or Back office, and Retail voice too from day 1 (a skill with an effective date). Each of those queues has
its own requirement; a meeting sits in A001's day 0 and a training session in A003's day 0.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re

import pytest
from icalendar import Calendar
from sqlalchemy import select, text

from tests.hand_roster import START, hand_requirement, make_published
from tests.web import test_rosters
from tests.web.api_support import api, tokens  # noqa: F401 (fixtures)
from wfm.models import (
    Agent,
    AgentSkill,
    CareerCourse,
    Enrolment,
    Queue,
    Roster,
    RosterAssignment,
    Skill,
    TrainingSession,
)
from wfm.rosters import blocks, operations
from wfm.rosters.problem import rules_for
from wfm.selfservice import calendar
from wfm.selfservice import pdf as schedule_pdf
from wfm.selfservice.changes import apply_and_publish
from wfm.selfservice.published import shifts_of

MEETING = [120, 150, "meeting", "Huddle"]  # A001 day 0: 10:00-10:30
TRAINING = (9 * 60, 10 * 60)  # A003 day 0: 09:00-10:00


def _skills(db_session, agent: Agent, held: list[tuple[str, int, int]]) -> None:
    """Replace the agent's skills with (skill, proficiency, first day index it holds from)."""
    for row in list(agent.skills):
        db_session.delete(row)
    db_session.flush()
    for name, level, since in held:
        skill = db_session.scalar(select(Skill).where(Skill.name == name))
        db_session.add(
            AgentSkill(
                agent_id=agent.id,
                skill_id=skill.id,
                proficiency=level,
                effective_from=START + dt.timedelta(days=since) if since else dt.date(2000, 1, 1),
            )
        )


@pytest.fixture
def skilled(demo, tokens, db_session):  # noqa: F811 (the tokens are restored first: `built` wipes later rows)
    made = make_published(db_session)
    roster = db_session.get(Roster, made["roster_id"])
    _skills(db_session, made["A001"], [("Retail service", 2, 0), ("Back-office processing", 1, 0)])
    _skills(db_session, made["A002"], [("Retail service", 1, 0)])
    _skills(
        db_session,
        made["A003"],
        [("Chat", 1, 0), ("Back-office processing", 1, 0), ("Retail service", 1, 1)],
    )
    queues = {q.name: q for q in db_session.scalars(select(Queue))}
    wanted = {"Retail voice": (8, 22, 1), "Back office": (8, 16, 1), "Web chat": (10, 14, 1)}
    ids = {}
    for name, (low, high, agents) in wanted.items():
        rows = {
            dt.datetime.combine(START + dt.timedelta(days=d), dt.time(h, m)): (10.0, 180.0, agents)
            for d in range(7)
            for h in range(low, high)
            for m in (0, 30)
        }
        ids[name] = hand_requirement(db_session, queues[name], START, 7, 30, rows).id
    roster.plan.settings = {"requirements": ids, "column": "scheduled_agents"}
    rules_for(roster.site).min_block_minutes = 30  # the form sets 60
    a001 = next(a for a in roster.assignments if a.agent_id == made["A001"].id and a.day == START)
    a001.activities = [MEETING]
    if db_session.scalar(select(CareerCourse).where(CareerCourse.code == "BLK")) is None:
        db_session.add(CareerCourse(code="BLK", name="Blocks course", hours=1.0))
    session = TrainingSession(
        course="BLK", day=START, start_minute=TRAINING[0], end_minute=TRAINING[1], capacity=5
    )
    session.enrolments.append(Enrolment(agent_id=made["A003"].id))
    db_session.add(session)
    db_session.commit()
    return made


def _assign(browser, db_session, roster_id: int) -> Roster:
    browser.login("scheduler")
    roster = db_session.get(Roster, roster_id)
    page = browser.post(
        f"/rosters/{roster_id}/queues", {"lock_version": roster.lock_version, "min_block_minutes": 60}
    )
    assert page.status_code == 302
    db_session.expire_all()
    return db_session.get(Roster, roster_id)


def _stored(db_session, roster_id: int) -> list[dict]:
    """Every stored block with absolute times, read from the table's JSON as it is."""
    out = []
    for agent_id, day, start, stored in db_session.execute(
        text("SELECT agent_id, day, start, blocks FROM roster_assignment WHERE roster_id = :r"),
        {"r": roster_id},
    ):
        start = start if isinstance(start, dt.datetime) else dt.datetime.fromisoformat(str(start))
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        rows = stored if isinstance(stored, list) else json.loads(stored or "null")
        for a, b, queue_id, name in rows or []:
            out.append(
                {
                    "agent_id": agent_id,
                    "day": day,
                    "start": start + dt.timedelta(minutes=a),
                    "end": start + dt.timedelta(minutes=b),
                    "queue_id": queue_id,
                    "queue": name,
                }
            )
    return out


def test_stored_blocks_only_put_agents_on_queues_their_skills_allow(browser, db_session, skilled):
    roster = _assign(browser, db_session, skilled["roster_id"])
    found = _stored(db_session, roster.id)
    assert found
    for b in found:
        held = db_session.execute(
            text(
                "SELECT 1 FROM agent_skill s JOIN queue q ON q.skill_id = s.skill_id "
                "WHERE q.id = :q AND s.agent_id = :a AND s.proficiency >= q.min_proficiency "
                "AND s.effective_from <= :d AND (s.effective_to IS NULL OR s.effective_to >= :d)"
            ),
            {"q": b["queue_id"], "a": b["agent_id"], "d": b["day"]},
        ).first()
        assert held is not None, b
    a003 = skilled["A003"].id
    assert not [
        b for b in found if b["agent_id"] == a003 and b["day"] == START and b["queue"] == "Retail voice"
    ]


def _on_phone(cell, types: dict, training: list) -> list[tuple[dt.datetime, dt.datetime]]:
    """The cell's shift less its breaks, activities and training, computed here from the stored rows."""
    away = [
        (cell.start + dt.timedelta(minutes=a), cell.start + dt.timedelta(minutes=b))
        for a, b, *_ in (cell.breaks or types[cell.shift]["breaks"]) + (cell.activities or [])
    ] + training
    free, at = [], cell.start
    for s, e in sorted(away):
        if s > at:
            free.append((at, min(s, cell.end)))
        at = max(at, e)
    if at < cell.end:
        free.append((at, cell.end))
    return free


def _check_fill(roster: Roster, found: list[dict], training: dict) -> None:
    types = {t["id"]: t for t in roster.shift_types}
    for cell in roster.assignments:
        mine = sorted(
            (b["start"], b["end"]) for b in found if b["agent_id"] == cell.agent_id and b["day"] == cell.day
        )
        stretches = _on_phone(cell, types, training.get((cell.agent_id, cell.day), []))
        # Every on-phone minute is in exactly one block, and no block reaches into a break, meeting or
        # training: the blocks of each stretch join up end to end and span it exactly.
        for s, e in stretches:
            inside = [(a, b) for a, b in mine if s <= a and b <= e]
            assert inside, (cell.agent_id, cell.day, s, e)
            assert inside[0][0] == s
            assert inside[-1][1] == e
            assert all(x[1] == y[0] for x, y in itertools.pairwise(inside))
            for a, b in inside:  # at least 60 minutes, unless the stretch itself is shorter
                assert b - a >= dt.timedelta(minutes=60) or (a, b) == (s, e)
        assert sum(len([1 for a, b in mine if s <= a and b <= e]) for s, e in stretches) == len(mine)


def _training_of(skilled) -> dict:
    midnight = dt.datetime.combine(START, dt.time())
    return {(skilled["A003"].id, START): [tuple(midnight + dt.timedelta(minutes=m) for m in TRAINING)]}


def test_blocks_fill_the_time_on_the_phones_in_long_enough_blocks(browser, db_session, skilled):
    roster = _assign(browser, db_session, skilled["roster_id"])
    _check_fill(roster, _stored(db_session, roster.id), _training_of(skilled))


def test_odd_start_times_and_a_night_shift_are_filled_too(browser, db_session, skilled):
    """A shift starting at 14:10 with a 20-minute break at 18:20 (off the quarter-hour grid), and one from
    22:00 to 06:00 the next morning."""
    roster = db_session.get(Roster, skilled["roster_id"])
    a002, a003 = skilled["A002"].id, skilled["A003"].id
    day = START + dt.timedelta(days=1)
    late = next(c for c in roster.assignments if c.agent_id == a002 and c.day == day)
    late.start, late.end = late.start + dt.timedelta(minutes=10), late.end + dt.timedelta(minutes=10)
    late.breaks = [[250, 270, "break"]]  # 18:20-18:40
    night = START + dt.timedelta(days=3)
    begins = dt.datetime.combine(night, dt.time(22))
    roster.assignments.append(
        RosterAssignment(
            agent_id=a003,
            day=night,
            shift=late.shift,
            start=begins,
            end=begins + dt.timedelta(hours=8),
            breaks=[[240, 270, "lunch"]],
        )
    )
    db_session.commit()
    roster = _assign(browser, db_session, roster.id)
    found = _stored(db_session, roster.id)
    _check_fill(roster, found, _training_of(skilled))
    odd = [b for b in found if b["agent_id"] == a002 and b["day"] == day]
    assert odd[0]["start"].minute == 10
    assert any(b["end"].time() == dt.time(18, 20) for b in odd)
    assert any(b["start"].time() == dt.time(18, 40) for b in odd)
    assert any(b["start"].date() > night for b in found if b["agent_id"] == a003 and b["day"] == night)


def _page_cover(html: str) -> dict[tuple[str, int], tuple[int, int]]:
    """(HH:MM, queue id) -> (working, required), as the page shows them."""
    out = {}
    for time, row in re.findall(r'<tr data-time="(\d\d:\d\d)">(.*?)</tr>', html, re.S):
        for queue, working, need in re.findall(r'<td data-queue="(\d+)"[^>]*>(\d+) / (\d+)</td>', row):
            out[time, int(queue)] = (int(working), int(need))
    return out


def test_cover_per_queue_on_the_page_is_a_count_of_the_stored_blocks(browser, db_session, skilled):
    roster = _assign(browser, db_session, skilled["roster_id"])
    found = _stored(db_session, roster.id)
    page = browser.get(f"/rosters/{roster.id}/queues?day={START.isoformat()}")
    assert page.status_code == 200
    shown = _page_cover(page.get_data(as_text=True))
    assert shown
    queues = {q.name: q.id for q in db_session.scalars(select(Queue))}
    half = dt.timedelta(minutes=30)
    for (hhmm, queue_id), (working, need) in shown.items():
        moment = dt.datetime.combine(START, dt.time.fromisoformat(hhmm))
        by_hand = sum(
            1
            for b in found
            if b["queue_id"] == queue_id and b["start"] <= moment and moment + half <= b["end"]
        )
        assert working == by_hand, (hhmm, queue_id)
        hour = moment.hour
        wanted = {"Retail voice": 8 <= hour < 22, "Back office": 8 <= hour < 16, "Web chat": 10 <= hour < 14}
        names = {v: k for k, v in queues.items()}
        assert need == int(wanted.get(names[queue_id], False)), (hhmm, names[queue_id])


def test_an_agent_sees_only_their_own_blocks_once_published(browser, db_session, skilled, monkeypatch):
    roster = _assign(browser, db_session, skilled["roster_id"])
    a001 = skilled["A001"]
    mine = [b for b in _stored(db_session, roster.id) if b["agent_id"] == a001.id]
    assert not shifts_of(a001.id, a001.site_id, START, START)[0].work  # a draft: not seen yet
    operations.publish(roster, roster.lock_version, None)
    db_session.commit()
    shown = shifts_of(a001.id, a001.site_id, START, START + dt.timedelta(days=6))
    assert sorted((q, s, e) for sh in shown for q, s, e in sh.work) == sorted(
        (b["queue"], b["start"], b["end"]) for b in mine
    )
    browser.post("/logout")
    browser.login("agent")
    me = db_session.scalar(select(Agent).where(Agent.employee_number == "A001"))
    html = browser.get("/my/schedule").get_data(as_text=True)
    listed = re.findall(r'data-testid="work-block">([^<]+)</li>', html)
    own = {
        f"{b['queue']} {b['start']:%H:%M}–{b['end']:%H:%M}"
        for b in mine
        if b["day"] <= START + dt.timedelta(days=4)
    }
    assert me.id == a001.id
    assert set(listed) == own
    feed = Calendar.from_ical(calendar.ics(a001))
    lines = {
        line
        for event in feed.walk("VEVENT")
        for line in str(event.get("description", "")).splitlines()
        if line.startswith("Working ")
    }
    assert lines == {f"Working {b['queue']}: {b['start']:%H:%M}–{b['end']:%H:%M}" for b in mine}
    printed = []
    monkeypatch.setattr(schedule_pdf, "write_pdf", lambda html: printed.append(html) or b"%PDF-1.7 (test)")
    assert browser.get("/my/schedule.pdf").status_code == 200
    names = {b["queue"] for b in _stored(db_session, roster.id)}
    on_paper = set(re.findall(r"([^<>\s][^<>]*? \d\d:\d\d–\d\d:\d\d)<br>", printed[0]))
    assert {label for label in on_paper if label.rsplit(" ", 1)[0] in names} == own
    assert browser.get(f"/rosters/{roster.id}/queues").status_code in (302, 403)


def test_publishing_new_blocks_tells_the_agents_whose_blocks_changed(browser, db_session, skilled):
    roster = _assign(browser, db_session, skilled["roster_id"])
    with_blocks = {b["agent_id"] for b in _stored(db_session, roster.id)}
    version = operations.publish(roster, roster.lock_version, None)
    assert set(version.agents_changed) == with_blocks
    db_session.commit()
    again = operations.publish(roster, roster.lock_version, None)
    assert again.agents_changed == []


def test_a_meeting_placed_later_moves_only_the_blocks_of_its_attendees(browser, db_session, skilled):
    roster = _assign(browser, db_session, skilled["roster_id"])
    day = START + dt.timedelta(days=1)
    before = {(c.agent_id, c.day): c.blocks for c in roster.assignments}
    a001 = skilled["A001"].id
    outcome = operations.schedule_activity(
        roster, [a001], day, "coaching", "Calls", 60, (9 * 60, 11 * 60), False, roster.lock_version, None
    )
    db_session.commit()
    (_agent_id, begin, end) = outcome.placed[0]
    cell = next(c for c in roster.assignments if c.agent_id == a001 and c.day == day)
    for b in blocks.blocks_of(cell):
        start, stop = b.at(cell.start)
        assert stop <= begin or end <= start
    free = _on_phone(cell, {t["id"]: t for t in roster.shift_types}, [])
    assert sum(b.end - b.start for b in blocks.blocks_of(cell)) == sum(
        (e - s).total_seconds() // 60 for s, e in free
    )
    for c in roster.assignments:
        if (c.agent_id, c.day) != (a001, day):
            assert c.blocks == before[c.agent_id, c.day]


@pytest.fixture
def generated(history, built, browser, db_session):
    """The roster `tests.web.test_rosters` generates through the pages (its Day template serves Retail voice
    only), built once under the same name."""
    built("roster", lambda: test_rosters._generate(browser, db_session, history, hours_below_contract=40))
    return db_session.scalar(select(Roster))


def test_a_roster_solve_ends_with_blocks_on_the_queues_its_templates_serve(generated, db_session):
    roster = generated
    found = _stored(db_session, roster.id)
    cells = db_session.execute(
        text("SELECT agent_id, day, shift, blocks FROM roster_assignment WHERE roster_id = :r"),
        {"r": roster.id},
    ).all()
    assert cells
    assert all(stored is not None for *_, stored in cells)
    retail = db_session.scalar(select(Queue).where(Queue.name == "Retail voice")).id
    day_cells = {(a, str(d)) for a, d, shift, _ in cells if shift.startswith("Day ")}
    assert day_cells
    on_day = [b for b in found if (b["agent_id"], str(b["day"])) in day_cells]
    assert on_day
    assert {b["queue_id"] for b in on_day} == {retail}


def test_a_changed_published_cell_gets_blocks_by_its_new_agents_skills(browser, db_session, skilled):
    roster = _assign(browser, db_session, skilled["roster_id"])
    operations.publish(roster, roster.lock_version, None)
    db_session.commit()
    before = {(c.agent_id, c.day): c.blocks for c in roster.assignments}
    a002 = skilled["A002"].id
    day_shift = next(c.shift for c in roster.assignments if c.shift.startswith("T-Day"))
    version = apply_and_publish(roster, {a002: {START: day_shift}}, None, "test change")
    db_session.commit()
    cell = next(c for c in roster.assignments if c.agent_id == a002 and c.day == START)
    assert cell.shift == day_shift
    assert {b.queue for b in blocks.blocks_of(cell)} == {"Retail voice"}  # A002 holds Retail service only
    row = next(r for r in version.assignments if r["agent_id"] == a002 and r["day"] == START.isoformat())
    assert row["blocks"] == cell.blocks
    assert a002 in version.agents_changed
    for c in roster.assignments:
        if (c.agent_id, c.day) != (a002, START):
            assert c.blocks == before[c.agent_id, c.day]


@pytest.mark.parametrize("minutes", ["20", "0", "", "600"])
def test_a_bad_shortest_block_is_refused_and_nothing_is_written(browser, db_session, skilled, minutes):
    browser.login("scheduler")
    roster = db_session.get(Roster, skilled["roster_id"])
    page = browser.post(
        f"/rosters/{roster.id}/queues", {"lock_version": roster.lock_version, "min_block_minutes": minutes}
    )
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert re.search(r'<input aria-invalid="true"[^>]*name="min_block_minutes"', html)
    if minutes == "20":
        assert "whole number of quarter hours" in html
    db_session.expire_all()
    assert rules_for(roster.site).min_block_minutes == 30
    assert all(c.blocks is None for c in db_session.get(Roster, roster.id).assignments)


def test_an_edited_cell_gets_blocks_and_the_others_keep_theirs(browser, db_session, skilled):
    roster = _assign(browser, db_session, skilled["roster_id"])
    before = {(c.agent_id, c.day): c.blocks for c in roster.assignments}
    a001, day = skilled["A001"].id, START + dt.timedelta(days=3)
    day_shift = next(c.shift for c in roster.assignments if c.shift.startswith("T-Day"))
    operations.edit_cell(roster, a001, day, day_shift, roster.lock_version, None)
    db_session.commit()
    cell = next(c for c in roster.assignments if c.agent_id == a001 and c.day == day)
    assert cell.blocks
    assert {b.queue for b in blocks.blocks_of(cell)} <= {"Back office", "Retail voice"}  # A001's skills
    for c in roster.assignments:
        if (c.agent_id, c.day) != (a001, day):
            assert c.blocks == before[c.agent_id, c.day]
