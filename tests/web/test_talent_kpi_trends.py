"""Scorecards per team and per agent with trends: each team's averages over its members' agent-days of the
last 30 days and the 30 before, counted here from the stored KPI days; an agent's page week by week for HR
and planners (never another agent), and the agent's own on My scorecard."""

import datetime as dt
import html
import re

from sqlalchemy import select

from tests.web.test_talent_mobility import centre  # noqa: F401  (the careers demo fixture)
from wfm.models import Agent, User
from wfm.models.talent import AgentKpi

TODAY = dt.date.today()


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 1)


def test_team_scorecards_pool_their_members_days_with_the_30_days_before(centre, browser, db_session):  # noqa: F811
    agents = [
        a for a in db_session.scalars(select(Agent)) if a.leaving_date is None or a.leaving_date >= TODAY
    ]
    team_of = {a.id: (a.team.name if a.team else "") for a in agents}
    recent: dict[str, list[AgentKpi]] = {}
    before: dict[str, list[AgentKpi]] = {}
    for k in db_session.scalars(select(AgentKpi)):
        if k.agent_id not in team_of:
            continue
        back = (TODAY - k.day).days
        if 0 <= back < 30:
            recent.setdefault(team_of[k.agent_id], []).append(k)
        elif 30 <= back < 60:
            before.setdefault(team_of[k.agent_id], []).append(k)
    assert before, "the demo has KPI days older than 30 days"
    browser.login("scheduler")
    page = browser.get("/careers/kpis").get_data(as_text=True)
    table = page[
        page.index('id="team-scorecards"') : page.index("</table>", page.index('id="team-scorecards"'))
    ]
    rows = [_text(r).strip() for r in table.split("<tr>")[2:]]
    assert len(rows) == len(set(team_of.values()))
    for team, days in recent.items():
        row = next(text for text in rows if text.startswith(team))
        members = sum(1 for t in team_of.values() if t == team)
        assert f"{team} {members} {len(days)} " in row
        for kpi in ("handle_seconds", "fcr", "csat"):
            now = _mean([getattr(k, kpi) for k in days])
            assert f"{now:,.0f}" in row
            if before.get(team):
                was = _mean([getattr(k, kpi) for k in before[team]])
                if was != now:
                    assert f"from {was:,.0f}" in row, (team, kpi, row)


def test_an_agents_weeks_are_for_hr_and_planners_and_the_agent_reads_only_their_own(
    centre,  # noqa: F811
    browser,
    db_session,
):
    me = db_session.scalar(select(User).where(User.username == "agent")).agent
    other = db_session.scalar(select(Agent).where(Agent.id != me.id, Agent.leaving_date.is_(None)))
    kpis = db_session.scalars(select(AgentKpi).where(AgentKpi.agent_id == other.id)).all()
    last_week = [k for k in kpis if 0 <= (TODAY - k.day).days < 7]
    for who in ("hr", "scheduler"):
        browser.login(who)
        page = _text(browser.get(f"/careers/kpis/agents/{other.id}").get_data(as_text=True))
        assert other.name in page
        weeks = page[page.index("Week by week") :]
        if last_week:
            assert f" {len(last_week)} {_mean([k.handle_seconds for k in last_week]):,.0f}" in weeks
        browser.client.post("/logout")
    browser.login("agent")
    assert browser.get(f"/careers/kpis/agents/{other.id}").status_code == 403
    assert browser.get(f"/careers/kpis/agents/{me.id}").status_code == 403
    mine = _text(browser.get("/careers/me/kpis").get_data(as_text=True))
    assert "Week by week" in mine
    assert other.name not in mine
    own_week = [
        k
        for k in db_session.scalars(select(AgentKpi).where(AgentKpi.agent_id == me.id))
        if 0 <= (TODAY - k.day).days < 7
    ]
    if own_week:
        assert f" {len(own_week)} {_mean([k.handle_seconds for k in own_week]):,.0f}" in mine
