"""Service-level estimates on the hand-made published week: right, checked against Erlang C computed here
from its formula on the known shifts, or saying why they cannot be made (never a silent 0% or 100%)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from sqlalchemy import select

from tests.hand_roster import DAYS, START, _day, hand_requirement, make_published
from wfm.models import (
    AgentSkill,
    PlanCoverage,
    Queue,
    Requirement,
    Roster,
    ShiftPlan,
    Site,
    TimeOff,
)


@pytest.fixture
def published(demo, db_session):
    return make_published(db_session)


def erlang_c_service_level(agents: int, traffic: float, aht: float, answer: float) -> float:
    """Share answered within `answer` seconds, Erlang C, from its textbook formula."""
    if agents <= traffic:
        return 0.0
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    waits = top / bottom
    return 1.0 - waits * math.exp(-(agents - traffic) * answer / aht)


def _requirement(
    db_session,
    queue: Queue,
    calls: dict[int, float],
    aht: float = 180.0,
    day: int = 1,
    minutes: int = 30,
    agents: int = 2,
) -> Requirement:
    """A requirement of `queue` with `calls[k]` calls in interval k of day `day` of the hand week."""
    midnight = dt.datetime.combine(_day(day), dt.time())
    return hand_requirement(
        db_session,
        queue,
        START,
        DAYS,
        minutes,
        {midnight + dt.timedelta(minutes=minutes * k): (n, aht, agents) for k, n in calls.items()},
    )


def _queue(db_session, name: str) -> Queue:
    return db_session.scalar(select(Queue).where(Queue.name == name))


def _pooled(db_session, roster_id: int, requirements: dict[str, int]) -> Roster:
    """The hand plan as a pooled shift plan makes it: one coverage row per interval named "*"."""
    roster = db_session.get(Roster, roster_id)
    roster.plan.settings = {"requirements": requirements}
    for c in roster.plan.coverage:
        c.queue = "*"
    return roster


def _ask(db_session, agent_id: int, day: int = 1) -> TimeOff:
    t = TimeOff(
        agent_id=agent_id, first_day=_day(day), last_day=_day(day), kind="vacation", status="requested"
    )
    db_session.add(t)
    db_session.commit()
    return t


# On day 1 A001 and A003 work 08:00-16:00 and A002 14:00-22:00, each with a half-hour lunch four hours in.
def _on_phones(without: str | None = None) -> dict[int, int]:
    """Half hour k -> agents on the phones on day 1 of the hand week, counted from the shifts by hand."""
    shifts = {"A001": (16, 32), "A003": (16, 32), "A002": (28, 44)}
    out = {}
    for k in range(48):
        out[k] = sum(1 for who, (a, b) in shifts.items() if who != without and a <= k < b and k != a + 8)
    return out


@pytest.mark.postgres
def test_time_off_estimate_on_a_pooled_plan_is_erlang_c_on_the_agents_at_work(published, db_session, browser):
    """A pooled plan names its coverage "*"; the estimate used to count no live agents there (0% -> 0%)."""
    queue = _queue(db_session, "Retail voice")
    calls = {k: (10.0 if k < 32 else 4.0) for k in range(16, 44)}
    requirement = _requirement(db_session, queue, calls)
    _pooled(db_session, published["roster_id"], {queue.name: requirement.id})
    t = _ask(db_session, published["A001"].id)
    from wfm.selfservice.impact import impact_of

    (row,) = impact_of(t, published["site"].id)
    before, after = _on_phones(), _on_phones(without="A001")

    def level(agents: dict[int, int], ks) -> float:
        ks = list(ks)
        return sum(
            calls[k] * erlang_c_service_level(agents[k], calls[k] * 180 / 1800, 180, queue.answer_seconds)
            for k in ks
        ) / sum(calls[k] for k in ks)

    assert row["sl_before"] == pytest.approx(level(before, calls))
    assert row["sl_after"] == pytest.approx(level(after, calls))
    theirs = [k for k in calls if before[k] != after[k]]
    assert len(theirs) == 15  # 08:00-16:00 less the lunch
    assert row["sl_hours_before"] == pytest.approx(level(before, theirs))
    assert row["sl_hours_after"] == pytest.approx(level(after, theirs))
    assert 0 < row["sl_after"] < row["sl_before"] < 1
    browser.login("scheduler")
    page = browser.get(f"/inbox/time-off/{t.id}").get_data(as_text=True)
    assert f"{100 * row['sl_before']:.0f}% → <strong>{100 * row['sl_after']:.0f}%</strong>" in page


def test_time_off_estimate_says_why_it_cannot_be_made(published, db_session, browser):
    t = _ask(db_session, published["A001"].id)
    from wfm.selfservice.impact import impact_of

    (row,) = impact_of(t, published["site"].id)  # the hand plan was not built from a forecast
    assert row["sl_before"] is None
    assert "not built from a forecast" in row["sl_reason"]
    browser.login("scheduler")
    page = browser.get(f"/inbox/time-off/{t.id}").get_data(as_text=True)
    assert "cannot be estimated: the shift plan was not built from a forecast" in page


def test_time_off_estimate_refuses_several_queues_served_by_the_same_agents(published, db_session):
    retail, english = _queue(db_session, "Retail voice"), _queue(db_session, "English line")
    calls = {k: 6.0 for k in range(16, 44)}
    one, two = _requirement(db_session, retail, calls), _requirement(db_session, english, calls)
    _pooled(db_session, published["roster_id"], {retail.name: one.id, english.name: two.id})
    db_session.add(
        AgentSkill(
            agent_id=published["A001"].id,
            skill_id=english.skill_id,
            proficiency=5,
            effective_from=START - dt.timedelta(days=400),
        )
    )
    t = _ask(db_session, published["A003"].id)
    from wfm.selfservice.impact import impact_of

    (row,) = impact_of(t, published["site"].id)
    assert row["sl_before"] is None
    assert row["sl_after"] is None
    assert "several queues have work" in row["sl_reason"]
    assert "English line" in row["sl_reason"]


def test_time_off_estimate_without_calls_that_day_says_so(published, db_session):
    queue = _queue(db_session, "Retail voice")
    requirement = _requirement(db_session, queue, {k: 0.0 for k in range(16, 44)}, agents=0)
    _pooled(db_session, published["roster_id"], {queue.name: requirement.id})
    t = _ask(db_session, published["A001"].id)
    from wfm.selfservice.impact import impact_of

    (row,) = impact_of(t, published["site"].id)
    assert row["sl_before"] is None
    assert row["sl_reason"] == "no calls are forecast for these hours"


def _priced_plan(
    db_session, site: Site, week: dt.date, queue_rows: dict[str, int], requirements: dict[str, int]
):
    plan = ShiftPlan(
        site_id=site.id,
        name="Priced",
        start_date=week,
        days=1,
        interval_minutes=60,
        solver_status="optimal",
        seconds=0.0,
        settings={"requirements": requirements},
    )
    for hour in range(8, 18):
        moment = dt.datetime.combine(week, dt.time(hour))
        for name, on_phones in queue_rows.items():
            plan.coverage.append(
                PlanCoverage(
                    interval_start=moment, queue=name, required=7, on_phones=on_phones, short=0, over=0
                )
            )
    db_session.add(plan)
    db_session.commit()


def _hourly(db_session, queue: Queue, week: dt.date, calls: float, agents: int) -> Requirement:
    return hand_requirement(
        db_session,
        queue,
        week,
        1,
        60,
        {dt.datetime.combine(week, dt.time(hour)): (calls, 300.0, agents) for hour in range(8, 18)},
        method="test",
    )


def test_place_training_on_a_pooled_plan_prices_only_what_it_can(demo, db_session, browser):
    """A pooled plan ("*") with back-office work beside the calls: the old estimate put every agent on the
    calls and showed 100% -> 100%; the plan does not say how many answer calls, so it cannot be estimated."""
    from wfm.careers.placement import placement_options
    from wfm.careers.store import load_catalogue

    site = db_session.scalar(select(Site))
    week = START + dt.timedelta(days=21)
    voice, back = _queue(db_session, "Retail voice"), _queue(db_session, "Back office")
    one = _hourly(db_session, voice, week, 60.0, 7)
    two = _hourly(db_session, back, week, 40.0, 12)
    _priced_plan(db_session, site, week, {"*": 20}, {voice.name: one.id, back.name: two.id})
    option = placement_options("AML-101", week, 2, load_catalogue(), site_id=site.id)["options"][0]
    assert option["sl_before"] is None
    assert option["sl_after"] is None
    assert "pools the queues" in option["sl_reason"]
    browser.login("hr")
    page = browser.get(f"/careers/place?course=AML-101&week={week.isoformat()}&attendees=2&site={site.id}")
    assert "cannot be estimated: the shift plan pools the queues" in page.get_data(as_text=True)


def test_place_training_on_a_pooled_plan_with_one_queue_is_erlang_c(demo, db_session):
    from wfm.careers.placement import placement_options
    from wfm.careers.store import load_catalogue

    site = db_session.scalar(select(Site))
    week = START + dt.timedelta(days=21)
    voice = _queue(db_session, "Retail voice")
    one = _hourly(db_session, voice, week, 60.0, 7)
    _priced_plan(db_session, site, week, {"*": 9}, {voice.name: one.id})
    option = placement_options("AML-101", week, 2, load_catalogue(), site_id=site.id)["options"][0]
    # 60 calls of 300 s an hour: 5 erlangs; 9 agents, then 7 while two are in training
    assert option["sl_before"] == pytest.approx(erlang_c_service_level(9, 5.0, 300, voice.answer_seconds))
    assert option["sl_after"] == pytest.approx(erlang_c_service_level(7, 5.0, 300, voice.answer_seconds))


def test_a_day_the_agent_does_not_work_changes_nothing_and_says_so(published, db_session, browser):
    t = _ask(db_session, published["A001"].id, day=3)  # A001's rostered day off
    from wfm.selfservice.impact import impact_of

    (row,) = impact_of(t, published["site"].id)
    assert row["no_change"]
    assert row["sl_reason"] is None
    assert row["missing_before"] == row["missing_after"]
    browser.login("scheduler")
    page = browser.get(f"/inbox/time-off/{t.id}").get_data(as_text=True)
    assert "no change: not on the phones that day" in page
    assert "cannot be estimated" not in page
