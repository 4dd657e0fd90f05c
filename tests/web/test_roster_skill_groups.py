"""A roster of a plan made by skill group: a shift planned for a group goes only to an agent who may answer
all of the group's queues that day (checked here by a raw query of the agents' skill rows, not through the
engine), and a group with too few such agents leaves its shift open, named on the roster page. A pooled
plan lets anyone take any shift, as before."""

import datetime as dt
import html

import pytest
from sqlalchemy import select, text

from scheduling.roster.evaluate import staff_violations
from wfm.models import Agent, AgentSkill, PlanShift, Queue, Roster, ShiftPlan, Site, Skill, Team
from wfm.models.organisation import Channel
from wfm.rosters.problem import build_input

START = dt.date(2031, 3, 4)  # a Tuesday: the week (Monday to Sunday) is never whole, so no weekly minimum
DAYS = 7  # the plan starts shifts on the first three days only
VOICE, BACK = "Skill test voice", "Skill test back office"
# Shifts each group's plan starts per day (all "Day 09:00 8h"): back office asks one more than its
# specialists can give on day 0 (the agent gaining back office counts from day 1 only).
PLANNED = {
    0: {"Voice": 2, "Back office": 3},
    1: {"Voice": 2, "Back office": 3},
    2: {"Voice": 2, "Back office": 2},
}
GROUPS = {"Voice": [VOICE], "Back office": [BACK]}


def _site(db_session, by_skill: bool) -> tuple[Site, ShiftPlan]:
    site = Site(name="Skill test site", time_zone="Europe/London", country="GB")
    voice_skill, back_skill = Skill(name="Skill test voice skill"), Skill(name="Skill test processing")
    db_session.add_all([site, voice_skill, back_skill])
    db_session.flush()
    db_session.add_all(
        [
            Queue(
                site_id=site.id, name=VOICE, channel=Channel.VOICE, skill_id=voice_skill.id, min_proficiency=2
            ),
            Queue(site_id=site.id, name=BACK, channel=Channel.BACK_OFFICE, skill_id=back_skill.id),
        ]
    )
    team = Team(site_id=site.id, name="Skill test team")
    db_session.add(team)
    db_session.flush()
    hired = dt.date(2030, 1, 1)
    # number -> [(skill, proficiency, from)]: voice-only, one below the voice minimum, a back-office
    # specialist, one with both, and one who learns back office on day 1.
    people = {
        "ST-V1": [(voice_skill, 3, hired)],
        "ST-V2": [(voice_skill, 3, hired)],
        "ST-V3": [(voice_skill, 1, hired)],
        "ST-B1": [(back_skill, 2, hired)],
        "ST-X1": [(voice_skill, 3, hired), (back_skill, 1, hired)],
        "ST-P1": [(voice_skill, 2, hired), (back_skill, 1, START + dt.timedelta(days=1))],
    }
    for number, held in people.items():
        agent = Agent(
            employee_number=number,
            name=number,
            site_id=site.id,
            team_id=team.id,
            hire_date=hired,
            contracted_hours=37.5,
        )
        agent.skills = [AgentSkill(skill=s, proficiency=p, effective_from=f) for s, p, f in held]
        db_session.add(agent)
    plan = ShiftPlan(
        site_id=site.id,
        name="Skill test plan",
        start_date=START,
        days=DAYS,
        interval_minutes=30,
        solver_status="optimal",
        seconds=0.0,
        settings={
            "by_skill": by_skill,
            "skill_groups": [{"name": n, "queues": q} for n, q in GROUPS.items()] if by_skill else [],
        },
    )
    db_session.add(plan)
    for d, groups in PLANNED.items():
        start = dt.datetime.combine(START + dt.timedelta(days=d), dt.time(9))
        for group, agents in groups.items():
            plan.shifts.append(
                PlanShift(
                    template="Day",
                    start=start,
                    end=start + dt.timedelta(hours=8),
                    agents=agents,
                    breaks=[],
                    queues=GROUPS[group],
                    skill_group=group if by_skill else "",
                )
            )
    db_session.commit()
    return site, plan


def _answers(db_session, agent_id: int, day: dt.date) -> set[str]:
    """The queues of the test site the agent may answer on `day`, by a raw query of the skill rows."""
    rows = db_session.execute(
        text(
            "SELECT q.name FROM queue q JOIN agent_skill s ON s.skill_id = q.skill_id "
            "WHERE s.agent_id = :agent AND q.site_id = (SELECT site_id FROM agent WHERE id = :agent) "
            "AND s.proficiency >= q.min_proficiency AND s.effective_from <= :day "
            "AND (s.effective_to IS NULL OR s.effective_to >= :day)"
        ),
        {"agent": agent_id, "day": day},
    )
    return {name for (name,) in rows}


@pytest.fixture
def skill_plan(demo, db_session):
    return _site(db_session, by_skill=True)


def test_grouped_shifts_go_only_to_agents_of_the_group_and_gaps_are_named(skill_plan, browser, db_session):
    site, plan = skill_plan
    browser.login("scheduler")
    response = browser.post(
        "/rosters/",
        {"plan_id": plan.id, "name": "Skill week", "start": START.isoformat(), "days": DAYS, "time_limit": 5},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert browser.get(response.headers["Location"]).status_code == 302
    roster = db_session.scalar(select(Roster).where(Roster.plan_id == plan.id))
    assert roster.assignments

    worked: dict[tuple[int, str], int] = {}
    for cell in roster.assignments:
        group = cell.shift.rsplit(" · ", 1)[1]
        d = (cell.day - START).days
        assert set(GROUPS[group]) <= _answers(db_session, cell.agent_id, cell.day), (cell.shift, cell.day)
        worked[(d, group)] = worked.get((d, group), 0) + 1

    page = html.unescape(browser.get(f"/rosters/{roster.id}").get_data(as_text=True))
    agents = db_session.scalars(select(Agent).where(Agent.site_id == site.id)).all()
    for d, groups in PLANNED.items():
        day = START + dt.timedelta(days=d)
        for group, planned in groups.items():
            able = sum(1 for a in agents if set(GROUPS[group]) <= _answers(db_session, a.id, day))
            missing = planned - worked.get((d, group), 0)
            assert worked.get((d, group), 0) <= planned
            row = f'<td>{day:%a %d %b}</td><td>Day 09:00 8h · {group}</td><td class="num">{missing}</td>'
            assert (row in page) == (missing > 0), row
            if able < planned:  # too few of the group: the shift cannot be filled
                assert missing >= planned - able
    # Day 0: back office has two of its group (the learner counts from day 1 only), three planned.
    assert PLANNED[0]["Back office"] - worked.get((0, "Back office"), 0) == 1
    assert "goes only to an agent who may answer all of that group's queues" in page


def test_a_pooled_plan_lets_anyone_work_any_shift(demo, db_session):
    site, plan = _site(db_session, by_skill=False)
    data = build_input(site, plan, START, DAYS)
    assert {t["id"] for t in data.shift_types} == {"Day 09:00 8h"}
    for person in data.problem.staff:
        for d in PLANNED:
            assert data.problem.allowed(person, d, "Day 09:00 8h")


def test_a_plan_by_skill_group_keeps_each_group_its_own_shift(skill_plan, db_session):
    site, plan = skill_plan
    data = build_input(site, plan, START, DAYS)
    ids = {a.employee_number: str(a.id) for a in data.agents}
    staff = {p.id: p for p in data.problem.staff}
    back = "Day 09:00 8h · Back office"
    allowed = {n for n, i in ids.items() if data.problem.allowed(staff[i], 0, back)}
    assert allowed == {"ST-B1", "ST-X1"}
    assert data.problem.allowed(staff[ids["ST-P1"]], 1, back)  # back office from its effective date
    assert not data.problem.allowed(staff[ids["ST-V3"]], 0, "Day 09:00 8h · Voice")  # below the minimum
    # The independent evaluator refuses a voice-only agent on a back-office shift (as an edit of a cell is).
    voice_only = staff[ids["ST-V1"]]
    rules = {v.rule for v in staff_violations(data.problem, voice_only, (back,) + (None,) * (DAYS - 1))}
    assert "not_allowed" in rules
