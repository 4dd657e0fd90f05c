"""Shift templates and plans through the pages; plans are checked from their own rows, not the solver's
word."""

import datetime as dt
import html as html_text
from collections import Counter

import pytest
from sqlalchemy import select

from tests.web.conftest import FIRST, HISTORY_DAYS
from tests.web.conftest import forecast_via_page as _forecast
from wfm.models import PlanCoverage, Requirement, RequirementInterval, ShiftPlan, ShiftTemplate, Site

START = FIRST + dt.timedelta(days=HISTORY_DAYS)


def _template(browser, db_session, **fields):
    site = db_session.scalar(select(Site))
    data = {
        "site_id": site.id,
        "name": "Morning",
        "earliest_start": "07:00",
        "latest_start": "10:00",
        "step_minutes": 30,
        "lengths": "6h, 8h",
        "days": [6, 0, 1, 2, 3],
        "breaks": "break, 15, 01:30-03:00, paid\nlunch, 30, 03:00-05:00, unpaid, from 480 min",
        "per_hour": "1",
        "night_multiplier": "1",
        "weekend_multiplier": "1",
        **fields,
    }
    return browser.post("/planning/templates/new", data)


def test_template_is_saved_in_the_engines_terms(demo, browser, db_session):
    browser.login("scheduler")
    assert _template(browser, db_session, name="Early").status_code == 302
    saved = db_session.scalar(select(ShiftTemplate).where(ShiftTemplate.name == "Early"))
    assert (saved.earliest_start, saved.latest_start, saved.lengths) == (420, 600, [360, 480])
    assert saved.breaks[1] == {
        "name": "lunch",
        "minutes": 30,
        "window": ["03:00", "05:00"],
        "paid": False,
        "min_shift_minutes": 480,
    }
    from wfm.shiftplans.templates import to_engine

    (engine,), _ = to_engine([saved], saved.site)
    assert len(engine.variants()) == 7 * 2
    assert engine.paid_minutes(480) == 450
    assert engine.paid_minutes(360) == 360


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"breaks": "lunch thirty minutes"}, "line 1: write"),
        ({"breaks": "lunch, 30, 05:00-07:00, unpaid"}, "window ends after the end of the 360-minute shift"),
        ({"lengths": "forever"}, "write lengths as minutes"),
        ({"latest_start": "06:00"}, "latest start comes before the earliest"),
        ({"name": "Day"}, "has a template called"),
        ({"step_minutes": "9" * 400}, "Number must be between 5 and 240"),  # too large for a float: not a 500
    ],
)
def test_bad_templates_are_refused_on_the_field(demo, browser, db_session, fields, message):
    browser.login("scheduler")
    before = db_session.query(ShiftTemplate).count()
    response = _template(browser, db_session, **fields)
    assert response.status_code == 400
    assert message in html_text.unescape(response.get_data(as_text=True))
    assert db_session.query(ShiftTemplate).count() == before


def test_plan_without_requirement_is_refused(demo, browser, db_session):
    browser.login("scheduler")
    site = db_session.scalar(select(Site))
    ids = [t.id for t in db_session.scalars(select(ShiftTemplate))]
    response = browser.post(
        "/planning/plans",
        {
            "site_id": site.id,
            "name": "x",
            "start": "2030-01-01",
            "days": 7,
            "template_ids": ids,
            "column": "agents",
            "time_limit": 5,
        },
    )
    assert response.status_code == 400
    assert "No requirement" in response.get_data(as_text=True)


def _minutes_on_phones(shift, moment: dt.datetime, length: dt.timedelta) -> bool:
    """Is an agent of this shift on the phones for the whole interval starting at `moment`?"""
    if not (shift.start <= moment and moment + length <= shift.end):
        return False
    for b in shift.breaks:
        start, end = dt.datetime.fromisoformat(b["start"]), dt.datetime.fromisoformat(b["end"])
        if start < moment + length and moment < end:
            return False
    return True


def test_plan_covers_the_requirement_checked_from_its_rows(history, browser, db_session):
    record = _forecast(browser, history, START, days=3)
    assert browser.post(f"/planning/forecasts/{record.id}/requirement").status_code == 302
    assert _template(browser, db_session, name="Morning").status_code == 302
    assert (
        _template(
            browser,
            db_session,
            name="Late",
            earliest_start="10:00",
            latest_start="12:00",
            lengths="6h",
            breaks="break, 15, 02:00-04:00, paid",
        ).status_code
        == 302
    )
    site = db_session.scalar(select(Site))
    ids = [
        t.id
        for t in db_session.scalars(select(ShiftTemplate).where(ShiftTemplate.name.in_(["Morning", "Late"])))
    ]
    response = browser.post(
        "/planning/plans",
        {
            "site_id": site.id,
            "name": "Test plan",
            "start": START.isoformat(),
            "days": 3,
            "template_ids": ids,
            "column": "agents",
            "time_limit": 20,
        },
    )
    assert response.status_code == 302
    assert browser.get(response.headers["Location"]).status_code == 302  # the job page sends on to the plan
    plan = db_session.scalar(select(ShiftPlan))
    assert plan.solver_status in ("optimal", "feasible")
    assert plan.shifts
    requirement = db_session.scalar(select(Requirement))
    required = {
        r.interval_start: r.agents
        for r in db_session.scalars(
            select(RequirementInterval).where(RequirementInterval.requirement_id == requirement.id)
        )
    }
    length = dt.timedelta(minutes=plan.interval_minutes)
    templates = {t.name: t for t in db_session.scalars(select(ShiftTemplate))}
    on_phones = Counter()
    for shift in plan.shifts:
        template = templates[shift.template]
        offset = shift.start.hour * 60 + shift.start.minute
        assert template.earliest_start <= offset <= template.latest_start
        assert (shift.end - shift.start).total_seconds() / 60 in template.lengths
        for b in shift.breaks:  # every break lies inside its window
            rule = next(r for r in template.breaks if r["name"] == b["name"])
            begin = (dt.datetime.fromisoformat(b["start"]) - shift.start).total_seconds() / 60
            finish = (dt.datetime.fromisoformat(b["end"]) - shift.start).total_seconds() / 60
            low, high = (int(x[:2]) * 60 + int(x[3:]) for x in rule["window"])
            assert low <= begin
            assert finish <= high
            assert finish - begin == rule["minutes"]
        moment = shift.start
        while moment < shift.end:
            if _minutes_on_phones(shift, moment, length):
                on_phones[moment] += shift.agents
            moment += length
    short = sum(max(0, need - on_phones[t]) for t, need in required.items())
    assert short == plan.unmet_agent_intervals
    stored = {c.interval_start: c for c in db_session.scalars(select(PlanCoverage))}
    for moment, need in required.items():
        assert stored[moment].required == need
        assert stored[moment].on_phones == on_phones[moment]
    page = browser.get(f"/planning/plans/{plan.id}")
    assert page.status_code == 200
    assert "<svg" in page.get_data(as_text=True)
    compare = browser.get(f"/planning/plans/compare?a={plan.id}&b={plan.id}")
    assert compare.status_code == 200
