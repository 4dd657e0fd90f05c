"""A shift plan says whether the site's agents can staff it: "N FTE short" or "covered with N FTE to spare",
from the hours its requirement asks against the hours the agents are contracted for, counted here anew
from the requirement's rows and the agents' contracts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.web.conftest import FIRST, HISTORY_DAYS, plan_via_pages
from wfm.models import Agent, AgentStatus, RequirementInterval, ShiftPlan
from wfm.shiftplans.headcount import FTE_HOURS

START = FIRST + dt.timedelta(days=HISTORY_DAYS)
DAYS = 7


@pytest.fixture
def plan(history, built, browser, db_session):
    built("fte-plan", lambda: plan_via_pages(browser, history, START, DAYS) and None)
    browser.login("scheduler")
    return db_session.scalar(select(ShiftPlan))


def _expected_fte(db_session, plan: ShiftPlan) -> float:
    """(Requirement hours - contracted hours of the agents employed each day) per week, in FTE."""
    column = getattr(RequirementInterval, plan.settings["column"])
    first = dt.datetime.combine(plan.start_date, dt.time())
    required = 0.0
    for requirement_id in plan.settings["requirements"].values():
        rows = db_session.scalars(
            select(column).where(
                RequirementInterval.requirement_id == requirement_id,
                RequirementInterval.interval_start >= first,
                RequirementInterval.interval_start < first + dt.timedelta(days=plan.days),
            )
        ).all()
        required += sum(rows) * plan.interval_minutes / 60
    contracted = 0.0
    for agent in db_session.scalars(select(Agent).where(Agent.site_id == plan.site_id)):
        for d in range(plan.days):
            day = plan.start_date + dt.timedelta(days=d)
            employed = agent.hire_date <= day and (agent.leaving_date is None or agent.leaving_date >= day)
            if employed and (agent.status != AgentStatus.LEFT or agent.leaving_date is not None):
                contracted += agent.contracted_hours / 7
    return (required - contracted) * 7 / plan.days / FTE_HOURS


def _headline(browser, plan: ShiftPlan) -> str:
    page = browser.get(f"/planning/plans/{plan.id}").get_data(as_text=True)
    match = re.search(r"(\d+(?:\.\d)?) FTE short|covered with (\d+(?:\.\d)?) FTE to spare", page, re.I)
    assert match, page
    return match.group(0).lower().replace("fte", "FTE")


def test_a_plan_the_agents_can_staff_says_how_many_fte_are_to_spare(plan, browser, db_session):
    expected = _expected_fte(db_session, plan)
    assert expected < 0
    assert _headline(browser, plan) == f"covered with {-expected:.1f} FTE to spare"


def test_a_plan_too_big_for_the_agents_says_how_many_fte_short(plan, browser, db_session):
    # all but two agents leave before the plan starts
    agents = db_session.scalars(
        select(Agent).where(Agent.status == AgentStatus.ACTIVE).order_by(Agent.id)
    ).all()
    for agent in agents[2:]:
        agent.leaving_date = max(agent.hire_date, plan.start_date - dt.timedelta(days=1))
        agent.status = AgentStatus.LEFT
    db_session.commit()
    expected = _expected_fte(db_session, plan)
    assert expected > 0
    assert _headline(browser, plan) == f"{expected:.1f} FTE short"


def test_a_plan_without_shrinkage_says_so(plan, browser):
    page = browser.get(f"/planning/plans/{plan.id}").get_data(as_text=True)
    assert plan.settings["column"] == "agents"
    assert "without shrinkage" in page
