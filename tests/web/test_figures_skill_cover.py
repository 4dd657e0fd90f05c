"""The roster page claims only the cover it checks: the total shortfall the chart draws and the text lists
are one computation, and each queue is counted by skill against its own requirement, with a warning when
its skilled agents cannot staff it. Figures known in advance from the hand-made week."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.hand_roster import DAYS, START, _day, hand_requirement, make_published
from wfm.models import (
    AgentSkill,
    Channel,
    Queue,
    Requirement,
    Roster,
    ShiftTemplate,
    Skill,
)


@pytest.fixture
def published(demo, db_session):
    return make_published(db_session)


def _requirement(db_session, queue: Queue, need: dict[int, int], day: int = 1) -> Requirement:
    midnight = dt.datetime.combine(_day(day), dt.time())
    return hand_requirement(
        db_session,
        queue,
        START,
        DAYS,
        30,
        {midnight + dt.timedelta(minutes=30 * k): (5.0 * n, 180, n) for k, n in need.items()},
    )


def test_times_short_are_the_charts_figures(published, db_session):
    """Day 0: A001 and A003 08:00-16:00, A002 14:00-22:00, half-hour lunches four hours in; two wanted
    each half hour 08:00-22:00. The text used the engine's hourly means (a tenth of an agent here and there)
    while the chart drew whole agents per interval."""
    from wfm.rosters.pages import grid

    g = grid(db_session.get(Roster, published["roster_id"]))
    day0 = [(x["from"], x["to"], x["short"]) for x in g["interval_gaps"] if x["day"] == _day(0)]
    assert day0 == [
        ("12:00", "12:30", 2),
        ("16:00", "18:00", 1),
        ("18:00", "18:30", 2),
        ("18:30", "22:00", 1),
    ]


@pytest.mark.postgres
def test_each_queue_is_counted_by_skill_and_a_queue_its_agents_cannot_staff_is_flagged(
    published, db_session, browser
):
    site = published["site"]
    skill = Skill(name="Sign language", description="")
    db_session.add(skill)
    db_session.flush()
    signs = Queue(
        site_id=site.id,
        name="Sign line",
        channel=Channel.VIDEO,
        service_level=0.8,
        answer_seconds=30,
        skill_id=skill.id,
        min_proficiency=2,
    )
    db_session.add(signs)
    long_ago = START - dt.timedelta(days=400)
    db_session.add_all(
        [
            AgentSkill(
                agent_id=published["A001"].id, skill_id=skill.id, proficiency=2, effective_from=long_ago
            ),
            AgentSkill(
                agent_id=published["A003"].id, skill_id=skill.id, proficiency=1, effective_from=long_ago
            ),
        ]
    )
    retail = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))
    one = _requirement(db_session, retail, {k: 2 for k in range(16, 44)})
    # one wanted 08:00-16:00, two 14:00-16:00; only A001 holds the skill at level 2
    two = _requirement(db_session, signs, {k: (2 if k >= 28 else 1) for k in range(16, 32)})
    roster = db_session.get(Roster, published["roster_id"])
    roster.plan.settings = {"requirements": {retail.name: one.id, signs.name: two.id}}
    # day shifts serve Retail voice (so go to agents with its skill); late shifts go to anyone
    db_session.add(
        ShiftTemplate(
            site_id=site.id,
            name="T-Day",
            earliest_start=480,
            latest_start=480,
            step_minutes=15,
            lengths=[480],
            days=list(range(7)),
            breaks=[],
            per_hour=1.0,
            night_multiplier=1.0,
            weekend_multiplier=1.0,
            queue_ids=[retail.id],
        )
    )
    db_session.commit()
    from wfm.rosters.pages import grid

    g = grid(db_session.get(Roster, roster.id))
    queues = {q["queue"]: q for q in g["queues"]}
    sign = queues["Sign line"]
    assert sign["holders"] == 1
    assert sign["open"] == 16
    assert sign["peak"] == 2
    assert sign["short"] == 5  # A001's lunch (none) and the four half hours that need two
    assert sign["none_hours"] == 0.5
    assert sign["checked"] == "counted as total agents only"
    assert "Only 1 agent holds Sign language at level 2" in sign["warning"]
    rv = queues["Retail voice"]
    # day 1 as day 0: short at 12:00 (none), 16:00-22:00 (one of two; none at 18:00): 13 of 28
    assert rv["open"] == 28
    assert rv["short"] == 13
    assert rv["none_hours"] == 1.0
    assert rv["checked"] == "partly checked by skill: T-Late shifts go to agents without it too"
    browser.login("scheduler")
    page = browser.get(f"/rosters/{roster.id}").get_data(as_text=True)
    assert "Cover by queue, counted by skill" in page
    assert "Sign line: Only 1 agent holds Sign language at level 2, and it needs 2 at once" in page
    assert "counted as total agents only" in page


def test_a_pooled_shift_plan_does_not_claim_each_queue_is_covered(published, db_session, browser):
    roster = db_session.get(Roster, published["roster_id"])
    for c in roster.plan.coverage:
        c.queue, c.on_phones, c.short = "*", c.required, 0
    db_session.commit()
    browser.login("scheduler")
    page = browser.get(f"/planning/plans/{roster.plan_id}").get_data(as_text=True)
    assert "Every interval is covered in total. The plan pooled the queues into one" in page
    assert "Every interval is covered.</p>" not in page
