"""A plan by skill group through the pages: head counts per group, coverage per queue re-checked from the
stored shifts with an independent maximum-flow figure, and the per-queue figures the page, CSV and API show.

The maximum flow is the max-flow min-cut formula over every set of queues (three queues here): the most of
the queues' needs that agents able to serve given sets of queues can meet."""

import csv
import datetime as dt
import html as html_text
import io
import itertools
from collections import defaultdict

from sqlalchemy import select

from tests.hand_roster import hand_requirement
from wfm.formatting import num
from wfm.models import (
    Agent,
    AgentSkill,
    AgentStatus,
    PlanShift,
    Queue,
    ShiftPlan,
    ShiftTemplate,
    Site,
    Skill,
)

QUEUES = {"Retail voice": 3, "Web chat": 1, "Back office": 2}  # agents wanted 08:00-18:00
MINUTES = 15


def _first_sunday() -> dt.date:
    day = dt.date.today() + dt.timedelta(days=2)
    return day + dt.timedelta(days=(6 - day.weekday()) % 7)


def _requirements(db_session, first: dt.date, days: int) -> dict[tuple[dt.datetime, str], int]:
    need = {}
    for name, agents in QUEUES.items():
        queue = db_session.scalar(select(Queue).where(Queue.name == name))
        rows = {}
        for d in range(days):
            day = dt.datetime.combine(first + dt.timedelta(days=d), dt.time())
            for k in range(8 * 4, 18 * 4):
                moment = day + dt.timedelta(minutes=MINUTES * k)
                rows[moment] = (10.0, 300.0, agents)
                need[(moment, name)] = agents
        hand_requirement(db_session, queue, first, days, MINUTES, rows)
    db_session.commit()
    return need


def _served_by(db_session, day: dt.date) -> dict[int, frozenset]:
    """Each employed agent's queues (of QUEUES) on `day`, from the skill rows in force: read here, not
    through the engine's grouping."""
    queues = [q for q in db_session.scalars(select(Queue)) if q.name in QUEUES]
    out = {}
    for agent in db_session.scalars(select(Agent)):
        if agent.hire_date > day or (agent.leaving_date is not None and agent.leaving_date < day):
            continue
        if agent.status == AgentStatus.LEFT and agent.leaving_date is None:
            continue
        held = {}
        for s in agent.skills:
            if s.effective_from <= day and (s.effective_to is None or day <= s.effective_to):
                held[s.skill_id] = max(held.get(s.skill_id, 0), s.proficiency)
        served = frozenset(q.name for q in queues if held.get(q.skill_id, 0) >= q.min_proficiency)
        if served:
            out[agent.id] = served
    return out


def _max_flow(on: dict[frozenset, int], need: dict[str, int]) -> int:
    names = sorted(need)
    return min(
        sum(need[q] for q in names if q not in chosen) + sum(n for g, n in on.items() if g & set(chosen))
        for size in range(len(names) + 1)
        for chosen in itertools.combinations(names, size)
    )


def _on_phones(shift: PlanShift, moment: dt.datetime) -> bool:
    length = dt.timedelta(minutes=MINUTES)
    if not (shift.start <= moment and moment + length <= shift.end):
        return False
    return not any(
        dt.datetime.fromisoformat(b["start"]) < moment + length
        and moment < dt.datetime.fromisoformat(b["end"])
        for b in shift.breaks
    )


def test_plan_by_skill_group_is_checked_from_its_stored_shifts(demo, browser, db_session):
    browser.login("scheduler")
    first, days = _first_sunday(), 2
    need = _requirements(db_session, first, days)
    site = db_session.scalar(select(Site))
    ids = [t.id for t in db_session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == site.id))]
    response = browser.post(
        "/planning/plans",
        {
            "site_id": site.id,
            "name": "By skill",
            "start": first.isoformat(),
            "days": days,
            "template_ids": ids,
            "column": "agents",
            "time_limit": 5,
            "by_skill": "y",
        },
    )
    assert response.status_code == 302
    assert browser.get(response.headers["Location"]).status_code == 302
    plan = db_session.scalar(select(ShiftPlan).order_by(ShiftPlan.id.desc()))
    assert plan.settings["by_skill"] is True
    assert plan.shifts

    # Each group starts no more shifts a day than it has agents with exactly its queues that day
    for d in range(days):
        day = first + dt.timedelta(days=d)
        heads = defaultdict(int)
        for served in _served_by(db_session, day).values():
            heads[served] += 1
        started = defaultdict(int)
        for shift in plan.shifts:
            if shift.start.date() == day:
                group = next(g for g in plan.settings["skill_groups"] if g["name"] == shift.skill_group)
                assert set(shift.queues) <= set(group["queues"])
                started[frozenset(group["queues"])] += shift.agents
        assert started
        for queues, count in started.items():
            assert count <= heads[queues]

    # Coverage: recomputed from the stored shifts, shared out by an independent maximum flow
    stored = defaultdict(dict)
    for c in plan.coverage:
        stored[c.interval_start][c.queue] = c
    moments = sorted({m for m, _ in need})
    total_short = 0
    for moment in moments:
        on = defaultdict(int)
        for shift in plan.shifts:
            if _on_phones(shift, moment):
                on[frozenset(shift.queues)] += shift.agents
        wanted = {q: need[(moment, q)] for q in QUEUES}
        cells = stored[moment]
        assert {q: cells[q].required for q in QUEUES} == wanted
        served = sum(cells[q].required - cells[q].short for q in QUEUES)
        assert served == _max_flow(on, wanted)
        assert sum(cells[q].on_phones for q in QUEUES) == sum(on.values())  # each agent once
        total_short += sum(wanted.values()) - served
    assert total_short == plan.unmet_agent_intervals

    # The page: pooling said, and per queue the required hours (from the hand-made requirement) and the
    # hours short in all (from the maximum flow above)
    page = html_text.unescape(browser.get(f"/planning/plans/{plan.id}").get_data(as_text=True))
    assert "Planned by skill group" in page
    section = page[page.index('id="by-queue"') :]
    section = section[: section.index("</section>")]
    hours = MINUTES / 60
    for name, agents in QUEUES.items():
        required = agents * 40 * days * hours
        assert f'<td>{name}</td><td class="num">{num(required)}</td>' in section
    shorts = sum(c.short for c in plan.coverage) * hours
    assert shorts == total_short * hours

    # The CSV and the API give the same per-queue figures
    text = browser.get(f"/planning/plans/{plan.id}/queues.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 96 * days * len(QUEUES)  # every interval of the days, each queue
    assert sum(int(r["short"]) for r in rows) == total_short
    for name, agents in QUEUES.items():
        assert sum(int(r["required"]) for r in rows if r["queue"] == name) == agents * 40 * days
    for queues in plan.settings["pooled_queues"]:  # where pooling is allowed, the page says so
        names = sorted(queues)
        assert f"Pooling is allowed across {', '.join(names[:-1])} and {names[-1]}" in page


def test_plan_by_skill_group_via_the_api(demo, db_session, app):
    from tests.web.api_support import Api, make_token

    first, days = _first_sunday(), 1
    _requirements(db_session, first, days)
    site = db_session.scalar(select(Site))
    ids = [t.id for t in db_session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == site.id))]
    api = Api(app, make_token(db_session, "scheduler"))
    job = api.post(
        "/api/v1/plans",
        json={
            "site_id": site.id,
            "name": "API by skill",
            "start": first.isoformat(),
            "days": days,
            "template_ids": ids,
            "column": "agents",
            "time_limit": 5,
            "by_skill": True,
        },
    )
    assert job.status_code == 202, job.json
    plan = db_session.scalar(select(ShiftPlan).order_by(ShiftPlan.id.desc()))
    body = api.get(f"/api/v1/plans/{plan.id}").json
    assert all(s["skill_group"] for s in body["shifts"])
    figures = {row["queue"]: row for row in body["by_queue"]}
    assert set(figures) == set(QUEUES)
    for name, agents in QUEUES.items():
        assert figures[name]["required"] == agents * 40 * days * MINUTES / 60
        planned = sum(c["on_phones"] for c in body["coverage"] if c["queue"] == name) * MINUTES / 60
        assert figures[name]["planned"] == planned

    # Its groups come from the agents' skills: a new skill puts the plan out of date
    from wfm import sources

    assert sources.changed_parts(plan) == []
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A001"))
    skill = db_session.scalar(select(Skill).where(Skill.name == "Back-office processing"))
    agent.skills.append(AgentSkill(skill=skill, proficiency=2, effective_from=first))
    db_session.commit()
    assert sources.changed_parts(plan) == ["agents"]
