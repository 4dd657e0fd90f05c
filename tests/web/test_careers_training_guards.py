"""Training keeps to the calendar and the site: no results for a session that has not taken place (and so
no certificate), no session in the past or while the site is closed, placement only in the training day
while the site is open, and a course longer than one sitting says that it is split and why."""

from __future__ import annotations

import datetime as dt
import html as html_lib

import pytest
from sqlalchemy import func, select

from wfm.careers import operations as ops
from wfm.careers.placement import placement_options
from wfm.careers.store import load_catalogue, seed_catalogue
from wfm.models import Agent, OpeningHours, PlanCoverage, ShiftPlan, Site, TrainingSession
from wfm.models.careers import CertificationRow, CourseCompletionRow

TODAY = dt.date.today()
TRAINING_DAY = (8 * 60, 18 * 60)  # trainers work days (wfm.careers.placement.TRAINING_DAY)
MONDAY = TODAY + dt.timedelta(days=7 + (7 - TODAY.weekday()) % 7)  # a Monday one to two weeks ahead


def _text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def _agent(db_session, number) -> Agent:
    return db_session.scalar(select(Agent).where(Agent.employee_number == number))


def test_results_for_a_session_three_weeks_ahead_are_refused_and_no_certificate_is_issued(
    demo, browser, db_session
):
    seed_catalogue()
    site = db_session.scalar(select(Site))
    session = TrainingSession(
        course="AML-101",
        site_id=site.id,
        day=TODAY + dt.timedelta(days=21),
        start_minute=10 * 60,
        end_minute=14 * 60,
        capacity=5,
        location="Room 1",
    )
    db_session.add(session)
    db_session.flush()
    agent = _agent(db_session, "A030")
    enrolment = ops.enrol(session, agent)
    db_session.commit()
    browser.login("hr")
    response = browser.post(
        f"/careers/sessions/{session.id}",
        {"action": "results", f"attended_{enrolment.id}": "on", f"score_{enrolment.id}": "95"},
    )
    said = _text(response)
    assert response.status_code == 400
    assert "has not taken place yet" in said
    # the form again, no internal names
    assert 'value="95"' in said
    assert f"score_{enrolment.id}:" not in said
    db_session.expire_all()
    assert db_session.get(TrainingSession, session.id).closed is False
    assert (
        db_session.scalar(
            select(func.count(CourseCompletionRow.id)).where(
                CourseCompletionRow.agent_id == agent.id, CourseCompletionRow.course == "AML-101"
            )
        )
        == 0
    )
    assert (
        db_session.scalar(
            select(func.count(CertificationRow.id)).where(
                CertificationRow.agent_id == agent.id, CertificationRow.issued_on > TODAY
            )
        )
        == 0
    )


@pytest.mark.parametrize(
    ("offset", "start", "end", "said"),
    [
        (-10, "09:00", "13:00", "That is in the past"),
        (4, "12:00", "16:00", "closes at 14:00 on Fridays"),
        (5, "09:00", "13:00", "opens at 18:00 on Saturdays"),
        (6, "09:00", "13:00", "is closed on Sundays"),
    ],
)
def test_sessions_in_the_past_or_while_the_site_is_closed_are_refused(
    demo, browser, db_session, offset, start, end, said
):
    site = db_session.scalar(select(Site))
    db_session.delete(
        db_session.scalar(
            select(OpeningHours).where(OpeningHours.site_id == site.id, OpeningHours.weekday == 6)
        )
    )
    db_session.commit()
    browser.login("hr")
    day = (TODAY if offset < 0 else MONDAY) + dt.timedelta(days=offset)
    response = browser.post(
        "/careers/sessions",
        {
            "site": str(site.id),
            "course": "AML-101",
            "day": day.isoformat(),
            "start": start,
            "end": end,
            "capacity": "8",
            "trainer": "Dana Levi",
            "location": "Room 2",
        },
    )
    page = _text(response)
    assert response.status_code == 400
    assert said in page
    # what was typed is kept
    assert f'value="{end}"' in page
    assert 'value="Dana Levi"' in page
    assert db_session.scalar(select(func.count(TrainingSession.id))) == 0
    fine = browser.post(
        "/careers/sessions",
        {
            "site": str(site.id),
            "course": "AML-101",
            "day": MONDAY.isoformat(),
            "start": "09:00",
            "end": "13:00",
            "capacity": "8",
        },
    )
    assert fine.status_code == 302


def _quiet_nights_week(db_session, site) -> None:
    """Every hour of a week: busy days (8 needed of 8 on the phones from 07:00 to 19:00), nobody needed at
    night, so the cheapest windows are at night and at the weekend when the site is closed or barely open."""
    plan = ShiftPlan(
        site_id=site.id,
        name="Busy days",
        start_date=MONDAY,
        days=7,
        interval_minutes=60,
        solver_status="optimal",
        seconds=0.0,
    )
    for d in range(7):
        for hour in range(24):
            required = 6 if 7 <= hour < 19 else 0
            if hour in (15, 16):
                required = 4  # a quieter afternoon: the best daytime window
            plan.coverage.append(
                PlanCoverage(
                    interval_start=dt.datetime.combine(MONDAY + dt.timedelta(days=d), dt.time(hour)),
                    queue="Retail voice",
                    required=required,
                    on_phones=8,
                    short=0,
                    over=0,
                )
            )
    db_session.add(plan)
    db_session.commit()


def test_placement_keeps_to_the_training_day_and_the_opening_hours(demo, browser, db_session):
    site = db_session.scalar(select(Site))
    _quiet_nights_week(db_session, site)
    result = placement_options("AML-101", MONDAY, 4, load_catalogue(), site_id=site.id)
    assert result["options"]
    for option in result["options"]:
        start, end = option["start"], option["end"]
        hours = site.hours_on(option["day"].weekday())
        first, last = (
            start.hour * 60 + start.minute,
            (end - dt.datetime.combine(option["day"], dt.time())).seconds // 60,
        )
        assert end.date() == option["day"]
        assert TRAINING_DAY[0] <= first
        assert last <= TRAINING_DAY[1]
        assert hours is not None
        assert hours.opens_minute <= first
        assert last <= hours.closes_minute
    assert all(o["day"].weekday() != 5 for o in result["options"])  # Saturday opens at 18:00


def test_a_course_longer_than_one_sitting_says_it_is_split_and_why(demo, browser, db_session):
    site = db_session.scalar(select(Site))
    _quiet_nights_week(db_session, site)
    browser.login("hr")
    page = _text(
        browser.get(f"/careers/place?site={site.id}&course=AML-101&week={MONDAY.isoformat()}&attendees=2")
    )
    assert "The course takes 8 hours" in page
    assert "2 sessions" in page
    assert "no sitting is longer than 4 hours" in page
    assert "00:00" not in page.split("<table")[-1]  # no window runs to midnight


def test_the_demo_sessions_keep_to_the_opening_hours(demo, db_session):
    from wfm.demo import careers as demo_careers

    demo_careers.load()
    db_session.commit()
    sessions = db_session.scalars(select(TrainingSession)).all()
    assert sessions
    for session in sessions:
        site = db_session.get(Site, session.site_id)
        assert ops.opening_problem(site, session.day, session.start_minute, session.end_minute) is None, (
            session.course,
            session.day,
            session.start_minute,
        )
    assert any(s.closed and s.day < TODAY for s in sessions)
    assert any(s.day > TODAY for s in sessions)
