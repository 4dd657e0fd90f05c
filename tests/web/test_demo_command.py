import re

import pytest
from sqlalchemy import func, select

from tests.conftest import Browser
from wfm.cli import main
from wfm.demo import centres
from wfm.demo.history import DERIVED
from wfm.demo.organisation import DEMO_USERS, TEL_AVIV
from wfm.models import (
    Agent,
    AgentStatus,
    Channel,
    Forecast,
    HistoryInterval,
    Queue,
    Requirement,
    Roster,
    ShiftPlan,
    User,
)


@pytest.mark.slow  # the whole demo: a year of history, forecasts, a plan, a roster with work blocks (~70 s)
def test_demo_loads_once_and_prints_logins(app, db_session):
    """`wfm demo`: the Beijing centre with its whole pipeline; the scheduler's pages show it in Chinese."""
    runner = app.test_cli_runner()
    first = runner.invoke(main, ["demo", "--if-empty", "--solve-seconds", "5"])
    assert first.exit_code == 0, first.output
    assert all(username in first.output for username, *_ in DEMO_USERS)
    active = db_session.scalar(select(func.count()).where(Agent.status == AgentStatus.ACTIVE))
    assert 50 <= active <= 70
    assert db_session.scalar(select(func.count()).where(Agent.status == AgentStatus.LEFT)) >= 3
    channels = {q.channel for q in db_session.scalars(select(Queue))}
    assert {Channel.VOICE, Channel.CHAT, Channel.VIDEO, Channel.BACK_OFFICE} <= channels
    users = db_session.scalar(select(func.count()).select_from(User))
    # a year of history for the queues the 1999 data covers, then four weeks forecast and staffed
    with_history = db_session.scalars(
        select(Queue.name).where(Queue.id.in_(select(HistoryInterval.queue_id).distinct()))
    ).all()
    assert set(with_history) == {
        q.name for q in db_session.scalars(select(Queue).where(Queue.import_codes != ""))
    } | {centres.named("beijing").say("queue", name) for name in DERIVED}
    assert len(with_history) == 10  # seven call types of 1999, three channels derived from them
    # queues without history (none here) get typed contacts, so every queue is forecast, staffed and planned
    forecasts = db_session.scalars(select(Forecast)).all()
    queues = db_session.scalars(select(Queue).where(Queue.active)).all()
    assert sorted(f.queue.name for f in forecasts) == sorted(q.name for q in queues)
    assert {f.queue.name for f in forecasts if f.method == "typed"} == {q.name for q in queues} - set(
        with_history
    )
    requirements = db_session.scalars(select(Requirement)).all()
    assert len(requirements) == len(queues)
    assert all(r.intervals for r in requirements)
    assert all(max(i.agents for i in r.intervals) >= 1 for r in requirements)
    # then a four-week shift plan and a published roster staffing it
    plan = db_session.scalar(select(ShiftPlan))
    roster = db_session.scalar(select(Roster))
    assert plan.shifts
    assert plan.days == 28
    assert roster.plan_id == plan.id
    # planned as the form plans by default (shrinkage included), and the plan says whether 60 agents do
    from wfm.shiftplans.forms import PlanForm
    from wfm.shiftplans.headcount import balance

    assert plan.settings["column"] == PlanForm.column.kwargs["default"] == "scheduled_agents"
    assert set(plan.settings["requirements"]) == {q.name for q in queues}
    staffing = balance(plan)
    assert staffing["agents"] == active
    assert staffing["with_shrinkage"]
    assert f"The plan (shrinkage included) is {staffing['headline']}" in first.output
    assert roster.published_version == 1
    assert len({a.agent_id for a in roster.assignments}) >= 50

    # the scheduler's pipeline pages show the centre's Chinese queue and agent names
    scheduler = Browser(app.test_client())
    assert scheduler.login("scheduler").status_code == 302
    han = re.compile(r"[\u4e00-\u9fff]")
    assert all(han.search(q.name) for q in queues)
    forecast = forecasts[0]
    for path, names in (
        ("/planning/forecasts", [f.queue.name for f in forecasts]),
        (f"/planning/forecasts/{forecast.id}", [forecast.queue.name]),
        (f"/planning/requirements/{requirements[0].id}", [requirements[0].queue.name]),
        (f"/planning/plans/{plan.id}", [q.name for q in queues]),
        (f"/rosters/{roster.id}", sorted({a.agent.name for a in roster.assignments})),
    ):
        answer = scheduler.get(path)
        assert answer.status_code == 200, path
        page = answer.get_data(as_text=True)
        assert all(name in page for name in names), path

    again = runner.invoke(main, ["demo", "--if-empty"])
    assert again.exit_code == 0
    assert "not loaded" in again.output
    assert db_session.scalar(select(func.count()).select_from(User)) == users

    refused = runner.invoke(main, ["demo"])
    assert refused.exit_code != 0
    assert "not empty" in refused.output


@pytest.mark.slow  # the Tel Aviv centre's organisation and careers (~20 s)
def test_the_tel_aviv_centre_is_loaded_when_asked(app, db_session):
    from wfm.models import Site, Team

    answer = app.test_cli_runner().invoke(main, ["demo", "--centre", "tel-aviv", "--no-history"])
    assert answer.exit_code == 0, answer.output
    site = db_session.scalars(select(Site)).one()
    assert (site.name, site.time_zone, site.country) == (
        TEL_AVIV.site["name"],
        "Asia/Jerusalem",
        "IL",
    )
    assert "Retail A" in {t.name for t in db_session.scalars(select(Team))}
    assert all(re.fullmatch(r"[A-Za-z]+ [A-Za-z-]+", a.name) for a in db_session.scalars(select(Agent)))
