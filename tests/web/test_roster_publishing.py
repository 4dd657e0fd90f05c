"""Published rosters are promises: a re-optimise changes only its scope, never the freeze window, and only
where a change repairs something; what it would change is shown before anyone publishes; one roster speaks
for each day of a site (publishing over another asks, then replaces it); every agent whose published days
change is told, day by day, before and after; a training session or meeting reaches every view the agent has.

The roster is the hand-made published week (`tests/hand_roster.py`): A001 works T-Day on days 0, 1, 2 and
4, A002 T-Late on days 0-3, A003 T-Day on days 0 and 1; the plan starts two T-Day and one T-Late each day, so
days 2-6 are short of planned shifts that agents off those days could work."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tests.hand_roster import DAY, LATE, PATTERN, START, _day, make_published
from wfm.careers.store import seed_catalogue
from wfm.models import (
    Agent,
    Enrolment,
    Notification,
    PlanCoverage,
    PlanShift,
    Roster,
    ShiftPlan,
    TrainingSession,
    User,
)
from wfm.models.careers import CareerCourse
from wfm.rosters.operations import edit_cell, input_for, publish, schedule_activity


@pytest.fixture
def hand(demo, db_session):
    return make_published(db_session)


def _roster(db_session, roster_id: int) -> Roster:
    roster = db_session.get(Roster, roster_id)
    db_session.refresh(roster)
    return roster


def _published(roster: Roster) -> dict[tuple[int, str], str]:
    return {(r["agent_id"], r["day"]): r["shift"] for r in roster.versions[-1].assignments}


def _working(roster: Roster) -> dict[tuple[int, str], str]:
    return {(a.agent_id, a.day.isoformat()): a.shift for a in roster.assignments}


def _hard_rule_problems(roster: Roster) -> list[str]:
    """Every hard rule recomputed from the stored cells by the engine's evaluator."""
    from scheduling.roster.evaluate import staff_violations

    data = input_for(roster)
    cells = {(a.agent_id, a.day): a.shift for a in roster.assignments}
    out = []
    for person in data.problem.staff:
        row = tuple(cells.get((int(person.id), day)) for day in data.dates)
        out += [f"{person.id}: {v.rule} {v.detail}" for v in staff_violations(data.problem, person, row)]
    return out


def _planned_shifts_short(roster: Roster) -> int:
    """Planned shifts (plan's starts per day and shift) nobody works, counted from the plan's rows."""
    plan = roster.plan
    wanted: dict[tuple[dt.date, str], int] = {}
    for row in plan.shifts:
        key = (row.start.date(), f"{row.template} {row.start:%H:%M} 8h")
        wanted[key] = wanted.get(key, 0) + row.agents
    worked: dict[tuple[dt.date, str], int] = {}
    for a in roster.assignments:
        worked[(a.day, a.shift)] = worked.get((a.day, a.shift), 0) + 1
    return sum(max(0, n - worked.get(key, 0)) for key, n in wanted.items())


def _reoptimise(browser, roster: Roster, **fields):
    data = {"lock_version": roster.lock_version, "time_limit": 5, **fields}
    response = browser.post(f"/rosters/{roster.id}/reoptimise", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    job = browser.get(response.headers["Location"])
    assert job.status_code == 302, job.get_data(as_text=True)  # done: sent on to the changes page
    return job.headers["Location"]


# ---- re-optimise -------------------------------------------------------------------------------------------


def test_reoptimise_changes_only_its_scope_outside_the_freeze_and_keeps_every_hard_rule(
    hand, browser, db_session
):
    roster = _roster(db_session, hand["roster_id"])
    published = _published(roster)
    short_before = _planned_shifts_short(roster)
    numbers = ["A001", "A002", "A003", "A004", "A005", "A006"]
    chosen = {a.id for a in db_session.scalars(select(Agent).where(Agent.employee_number.in_(numbers)))}
    first, last = _day(0), _day(5)
    freeze_days = 3  # today and the next three days stay as published: days 0 and 1 of the roster
    browser.login("scheduler")
    assert browser.get(f"/rosters/{roster.id}/reoptimise").status_code == 200
    where = _reoptimise(
        browser,
        roster,
        first=first.isoformat(),
        last=last.isoformat(),
        agents=sorted(chosen),
        freeze_days=freeze_days,
    )
    assert where.endswith(f"/rosters/{roster.id}/changes")
    roster = _roster(db_session, hand["roster_id"])
    working = _working(roster)
    frozen_until = dt.date.today() + dt.timedelta(days=freeze_days)
    moved = {key for key in set(published) | set(working) if published.get(key) != working.get(key)}
    for agent_id, day in moved:
        day = dt.date.fromisoformat(day)
        assert agent_id in chosen, "an agent outside the scope was changed"
        assert first <= day <= last, "a day outside the scope was changed"
        assert day > frozen_until, "a frozen day was changed"
    assert _hard_rule_problems(roster) == []
    # The scope had agents off on short days: the shortage it could repair is repaired, so something moved.
    assert moved
    assert _planned_shifts_short(roster) < short_before
    # Nothing reached the agents: the published version is as it was, and the page says so.
    assert roster.published_version == 1
    assert _published(roster) == published
    page = browser.get(f"/rosters/{roster.id}").get_data(as_text=True)
    assert "draft changes not yet published" in page
    # The changes page counts what differs from the published version, agent by agent, day by day.
    changes = browser.get(where).get_data(as_text=True)
    agents = len({agent_id for agent_id, _day in moved})
    assert f"{len(moved)} cell{'s' if len(moved) != 1 else ''} for {agents} agent" in changes
    table = changes.split('data-testid="draft-changes"')[1]
    assert table.count("<tr>") - 1 == len(moved)  # one row per changed cell, under the header row


def test_reoptimise_of_a_feasible_roster_that_covers_its_plan_changes_nothing(hand, browser, db_session):
    """The plan asks for exactly what is rostered: no shortage to repair, so no cell may move, however much
    a soft rule (fairness of hours among the 60 agents) would gain from moving them."""
    roster = _roster(db_session, hand["roster_id"])
    plan = db_session.get(ShiftPlan, roster.plan_id)
    for row in list(plan.shifts) + list(plan.coverage):
        db_session.delete(row)
    db_session.flush()
    for d in range(7):
        midnight = dt.datetime.combine(_day(d), dt.time())
        for template, hour, shift in (("T-Day", 8, DAY), ("T-Late", 14, LATE)):
            agents = sum(1 for days in PATTERN.values() if days.get(d) == shift)
            if agents:
                start = midnight + dt.timedelta(hours=hour)
                plan.shifts.append(
                    PlanShift(
                        template=template,
                        start=start,
                        end=start + dt.timedelta(hours=8),
                        agents=agents,
                        breaks=[],
                        queues=[],
                    )
                )
        for k in range(48):
            moment = midnight + dt.timedelta(minutes=30 * k)
            at_work = sum(
                1
                for days in PATTERN.values()
                if days.get(d) and 0 <= moment.hour - (8 if days[d] == DAY else 14) < 8
            )
            plan.coverage.append(
                PlanCoverage(
                    interval_start=moment,
                    queue="Retail voice",
                    required=at_work,
                    on_phones=0,
                    short=0,
                    over=0,
                )
            )
    db_session.commit()
    roster = _roster(db_session, hand["roster_id"])
    assert _hard_rule_problems(roster) == []  # feasible as published
    published, cells_before = _published(roster), _working(roster)
    browser.login("scheduler")
    _reoptimise(browser, roster, freeze_days=0, unfreeze="y")
    roster = _roster(db_session, hand["roster_id"])
    assert _working(roster) == cells_before == published
    page = browser.get(f"/rosters/{roster.id}/changes").get_data(as_text=True)
    assert "nothing to publish" in page
    assert "published v1</span>" in browser.get(f"/rosters/{roster.id}").get_data(as_text=True)


# ---- one published truth -----------------------------------------------------------------------------------


def test_publishing_over_another_roster_asks_says_what_it_replaces_then_replaces_it(
    hand, browser, db_session
):
    first = _roster(db_session, hand["roster_id"])
    # A second roster from day 3, published over the first's days 3-6 (the same pattern, three days later).
    second = make_published(db_session, start=_day(3), replace=True)
    later = _roster(db_session, second["roster_id"])
    a001 = hand["A001"].id
    browser.login("agent")  # A001 looks at the schedule as both rosters publish it now
    assert browser.get(f"/my/schedule?view=month&date={START}").status_code == 200
    browser.post("/logout")
    browser.login("scheduler")
    page = browser.get(f"/rosters/{first.id}").get_data(as_text=True)
    assert "Replaced on 4 days" in page
    assert f"#{later.id} Hand week" in page
    # Republishing the first asks, and says which roster, which days and how many agents it replaces.
    edit_cell(first, a001, _day(1), None, first.lock_version, None)
    db_session.commit()
    first = _roster(db_session, first.id)
    asked = browser.post(f"/rosters/{first.id}/publish", {"lock_version": first.lock_version})
    assert asked.status_code == 409
    text = asked.get_data(as_text=True)
    agents_on_replaced = len(
        {r["agent_id"] for r in later.versions[-1].assignments if _day(3) <= dt.date.fromisoformat(r["day"])}
    )
    assert f"#{later.id} Hand week (published v1) on 4 days, {_day(3):%a %d %b} – {_day(6):%a %d %b}" in text
    assert f"where {agents_on_replaced} agents have published shifts" in text
    assert _roster(db_session, first.id).published_version == 1  # nothing published while asking
    confirmed = browser.post(
        f"/rosters/{first.id}/publish", {"lock_version": first.lock_version, "replace": "y"}
    )
    assert confirmed.status_code == 302
    first, later = _roster(db_session, first.id), _roster(db_session, later.id)
    assert first.published_version == 2
    page = browser.get(f"/rosters/{later.id}").get_data(as_text=True)
    # The second roster (days 3-9) now speaks for its days 7-9 only, and says so; the first for all of its
    # own.
    assert f"Replaced on 4 days ({_day(3):%a %d %b} – {_day(6):%a %d %b}) by" in page
    assert "Replaced on" not in browser.get(f"/rosters/{first.id}").get_data(as_text=True)
    assert "replaced on 4 of 7 days" in browser.get("/rosters/").get_data(as_text=True)
    # The agent sees one shift a day, the first roster's: A001 works days 0 and 4 of it in week one
    # (day 1 was taken off above, day 2 works, day 3 is off).
    browser.post("/logout")
    browser.login("agent")
    html = browser.get(f"/my/schedule?view=month&date={START}").get_data(as_text=True)
    # What A001 saw: the first roster on days 0-2, the second (A001's pattern from day 3) on days 3-6; now the
    # first on all of them, with day 1 taken off. Days whose shift differs are marked changed, and only those.
    works_first = set(PATTERN["A001"]) - {1}
    works_second = {d + 3 for d in PATTERN["A001"]}
    saw = {d: (d in PATTERN["A001"]) if d < 3 else (d in works_second) for d in range(7)}
    changed = sorted(d for d in range(7) if saw[d] != (d in works_first))
    notice = html.split('data-testid="changes"')[1].split("</div>")[0]
    for d in range(7):
        assert (_day(d).strftime("%a %d %b") in notice) == (d in changed), d
    from wfm.selfservice.published import shifts_of

    shown = shifts_of(a001, first.site_id, _day(0), _day(6))
    assert [(s.roster_id, s.day) for s in shown] == [(first.id, _day(d)) for d in (0, 2, 4)]
    assert html.count('data-testid="shift"') >= len(shown)


# ---- agents are told ---------------------------------------------------------------------------------------


def test_republishing_tells_each_agent_every_changed_day_before_and_after(
    hand, browser, db_session, app, monkeypatch
):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append((message["To"], message.get_content()))

    from wfm.selfservice import notify

    monkeypatch.setattr(notify.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    user = db_session.scalar(select(User).where(User.username == "agent"))  # A001's login
    user.email = "agent@example.org"
    db_session.commit()
    roster = _roster(db_session, hand["roster_id"])
    a001, a002 = hand["A001"].id, hand["A002"].id
    edit_cell(roster, a001, _day(2), None, roster.lock_version, None)
    edit_cell(roster, a001, _day(4), LATE, roster.lock_version, None)
    schedule_activity(
        roster, [a002], _day(0), "meeting", "Huddle", 30, (15 * 60, 16 * 60), True, roster.lock_version, None
    )
    db_session.commit()
    before = {n.id for n in db_session.scalars(select(Notification))}
    browser.login("scheduler")
    roster = _roster(db_session, hand["roster_id"])
    assert (
        browser.post(f"/rosters/{roster.id}/publish", {"lock_version": roster.lock_version}).status_code
        == 302
    )
    new = [
        n for n in db_session.scalars(select(Notification).order_by(Notification.id)) if n.id not in before
    ]
    owners = {n.user_id: n for n in new}
    agent_user = {u.agent_id: u.id for u in db_session.scalars(select(User).where(User.agent_id.isnot(None)))}
    assert set(owners) == {agent_user[a] for a in (a001, a002) if a in agent_user}  # A003 has no change
    mine = owners[agent_user[a001]]
    expected = [
        f"{_day(2):%a %d %b}: 08:00–16:00 (T-Day) → day off",
        f"{_day(4):%a %d %b}: 08:00–16:00 (T-Day) → 14:00–22:00 (T-Late)",
    ]
    assert mine.detail.splitlines() == expected
    assert mine.message.startswith("Your published schedule changed on 2 days: ")
    assert all(line in mine.message for line in expected)
    if a002 in agent_user:
        theirs = owners[agent_user[a002]].detail
        assert re.fullmatch(
            f"{_day(0):%a %d %b}: 14:00–22:00 \\(T-Late\\) → 14:00–22:00 \\(T-Late\\) with meeting Huddle "
            "1[56]:[0-5][05]–1[56]:[0-5][05]",
            theirs,
        ), theirs
    assert [to for to, _body in sent] == ["agent@example.org"]
    assert all(line in sent[0][1] for line in expected)
    browser.post("/logout")
    browser.login("agent")
    page = browser.get("/notifications").get_data(as_text=True)
    assert all(line in page for line in expected)


def test_time_off_approval_publishes_only_that_change_never_the_draft(hand, browser, db_session):
    """A draft change waiting in the working roster stays unpublished when a time-off approval publishes."""
    roster = _roster(db_session, hand["roster_id"])
    a001, a003 = hand["A001"].id, hand["A003"].id
    edit_cell(roster, a003, _day(5), DAY, roster.lock_version, None)  # a draft, not published
    db_session.commit()
    browser.login("agent")
    response = browser.post(
        "/my/time-off",
        {"first_day": _day(2).isoformat(), "last_day": _day(2).isoformat(), "kind": "vacation", "note": ""},
    )
    assert response.status_code == 302
    browser.post("/logout")
    browser.login("scheduler")
    from wfm.models import TimeOff

    t = db_session.scalar(select(TimeOff).where(TimeOff.agent_id == a001))
    assert browser.post(f"/inbox/time-off/{t.id}", {"decision": "approve", "note": ""}).status_code == 302
    roster = _roster(db_session, hand["roster_id"])
    published = _published(roster)
    assert (a001, _day(2).isoformat()) not in published  # the approved day is off
    assert (a003, _day(5).isoformat()) not in published  # the draft is not
    assert (a003, _day(5).isoformat()) in _working(roster)


# ---- every activity reaches every view ---------------------------------------------------------------------


def test_training_and_meetings_reach_the_agents_page_pdf_and_calendar_feed(
    hand, browser, db_session, monkeypatch
):
    seed_catalogue()  # the courses
    course = db_session.scalar(select(CareerCourse).where(CareerCourse.code == "CHAT-101"))
    a001 = hand["A001"].id
    session = TrainingSession(
        course=course.code,
        site_id=hand["site"].id,
        day=_day(3),
        start_minute=9 * 60,
        end_minute=13 * 60,
        capacity=5,
        location="Room 2",
    )
    db_session.add(session)
    db_session.flush()
    db_session.add(Enrolment(session_id=session.id, agent_id=a001))
    roster = _roster(db_session, hand["roster_id"])
    schedule_activity(
        roster,
        [a001],
        _day(0),
        "coaching",
        "Call review",
        30,
        (9 * 60, 11 * 60),
        True,
        roster.lock_version,
        None,
    )
    db_session.flush()
    publish(roster, roster.lock_version, None)
    db_session.commit()
    meeting = next(a for a in roster.assignments if a.agent_id == a001 and a.day == _day(0)).activities[0]
    begins = dt.datetime.combine(_day(0), dt.time(8)) + dt.timedelta(minutes=meeting[0])
    coaching = f"coaching Call review {begins:%H:%M}–{begins + dt.timedelta(minutes=30):%H:%M}"
    training = f"Training: {course.name} 09:00–13:00"
    browser.login("agent")
    # each event looked for in the views that hold its day (whatever today is, they may fall in two weeks
    # or two months)
    assert training in browser.get(f"/my/schedule?view=month&date={_day(3)}").get_data(as_text=True)
    assert coaching in browser.get(f"/my/schedule?view=month&date={_day(0)}").get_data(as_text=True)
    rendered = []
    from wfm.selfservice import pdf as pdf_module

    real = pdf_module.write_pdf
    monkeypatch.setattr(pdf_module, "write_pdf", lambda html: rendered.append(html) or real(html))
    for view in ("week", "month"):
        texts = {}
        for day in (_day(0), _day(3)):
            response = browser.get(f"/my/schedule.pdf?view={view}&date={day}")
            assert response.status_code == 200
            assert response.data.startswith(b"%PDF")
            texts[day] = re.sub(r"<[^>]+>", " ", rendered[-1])
        assert f"Training: {course.name}" in texts[_day(3)]
        assert "09:00–13:00" in texts[_day(3)]
        assert "coaching Call review" in texts[_day(0)]
    answer = browser.post("/my/calendar", {"action": "renew"}).get_data(as_text=True)
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", answer)
    feed = Calendar.from_ical(browser.get(f"/calendar/{token.group(1)}.ics").data)
    events = {str(e["summary"]): e for e in feed.walk("VEVENT")}
    assert f"Training: {course.name}" in events
    assert events[f"Training: {course.name}"].decoded("dtstart").strftime("%Y-%m-%d %H:%M") == (
        f"{_day(3)} 09:00"
    )
    assert "Coaching Call review" in events


def test_booking_an_agent_on_training_tells_them_when_and_which_published_shift_it_falls_in(
    hand, browser, db_session
):
    seed_catalogue()
    course = db_session.scalar(select(CareerCourse).where(CareerCourse.code == "CHAT-101"))
    session = TrainingSession(
        course=course.code,
        day=_day(0),
        start_minute=9 * 60,
        end_minute=12 * 60,
        capacity=3,
        location="online",
    )
    db_session.add(session)
    db_session.commit()
    browser.login("hr")
    enrolled = browser.post(
        f"/careers/sessions/{session.id}", {"action": "enrol", "agent_id": hand["A001"].id}
    )
    assert enrolled.status_code == 302, enrolled.get_data(as_text=True)
    user = db_session.scalar(select(User).where(User.agent_id == hand["A001"].id))
    # the latest notice: the first publish of the hand-made week told the agent of their schedule before
    note = db_session.scalar(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc()).limit(1)
    )
    assert note.message == (
        f"You are booked on training: {course.name}, {_day(0):%a %d %b} 09:00–12:00 (online). "
        "It falls in your published shift 08:00–16:00."
    )


def test_approved_leave_lowers_the_weekly_minimum_so_no_shift_is_forced_around_it(hand, db_session):
    """Leave is worked time for the contract: three days of it in a week lower that agent's weekly minimum
    by three contracted days (the weekly hours over five), and nobody else's."""
    from wfm.models import TimeOff
    from wfm.rosters.problem import rules_for

    roster = _roster(db_session, hand["roster_id"])
    rules_for(roster.site).hours_below_contract = 8
    a001, a002 = hand["A001"], hand["A002"]
    db_session.add(TimeOff(agent_id=a001.id, first_day=_day(2), last_day=_day(4), status="approved"))
    db_session.commit()
    staff = {s.id: s for s in input_for(roster).problem.staff}
    contract = round(a001.contracted_hours * 60)
    data = input_for(roster)
    week_start = data.problem.week_start
    weeks = {(d - week_start) // 7 for d in (2, 3, 4)}
    most = max(sum(1 for d in (2, 3, 4) if (d - week_start) // 7 == w) for w in weeks)
    assert staff[str(a001.id)].min_week_minutes == max(0, contract - 480 - round(most * contract / 5))
    assert staff[str(a002.id)].min_week_minutes == max(0, round(a002.contracted_hours * 60) - 480)


def test_an_offer_on_a_day_another_roster_now_speaks_for_is_refused(hand, db_session):
    """Approving it would change a roster agents no longer see on that day: it says so instead."""
    from wfm.selfservice import swaps

    offer = swaps.offer(hand["A001"], _day(4), "", None)
    db_session.commit()
    assert swaps.check(offer) == [] or all("another roster" not in p for p in swaps.check(offer))
    make_published(db_session, start=_day(3), replace=True)
    assert f"{_day(4):%a %d %b} is now published in another roster; ask again from that one" in swaps.check(
        offer
    )


def test_a_first_publish_tells_each_agent_their_shifts(hand, db_session):
    """The first publish of days is news to the agents who work them: each is told which days and how many
    shifts, counted here from the hand-made pattern."""
    told = 0
    for number, days in PATTERN.items():
        agent = db_session.scalar(select(Agent).where(Agent.employee_number == number))
        users = db_session.scalars(select(User).where(User.agent_id == agent.id)).all()
        for user in users:
            note = db_session.scalar(
                select(Notification)
                .where(Notification.user_id == user.id)
                .order_by(Notification.id.desc())
                .limit(1)
            )
            first, last = _day(min(days)), _day(max(days))
            shifts = f"{len(days)} shift" + ("s" if len(days) != 1 else "")
            assert (
                note.message
                == f"Your schedule for {first:%a %d %b} to {last:%a %d %b} is published: {shifts}."
            )
            for d, shift in days.items():
                name, begins, hours = shift.split()  # "T-Day 08:00 8h"
                start = dt.datetime.combine(_day(d), dt.time.fromisoformat(begins))
                ends = start + dt.timedelta(hours=int(hours.rstrip("h")))
                assert f"{_day(d):%a %d %b}: {start:%H:%M}–{ends:%H:%M} ({name})" in note.detail.splitlines()
            told += 1
    assert told >= 1  # the demo links at least the agent user to A001
