"""The figures on the home pages, read from the database into plain values (never invented)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from training.attrition import (
    Employment,
    grouped,
    headcount_on,
    tenure_band,
    tenure_rank,
    turnover,
    turnover_by,
)
from wfm.careers.talent import moved_ids
from wfm.extensions import db
from wfm.i18n.dates import written
from wfm.models import Agent, AgentStatus, Site


def agent_page(agent: Agent | None, today: dt.date) -> dict | None:
    if agent is None:
        return None
    return {
        "name": agent.name,
        "employee_number": agent.employee_number,
        "site": agent.site.name,
        "time_zone": agent.site.time_zone,
        "team": agent.team.name if agent.team else None,
        "hire_date": agent.hire_date,
        "contracted_hours": agent.contracted_hours,
        "status": agent.status.label,
        "skills": sorted(
            (
                {"skill": s.skill.name, "proficiency": s.proficiency, "since": s.effective_from}
                for s in agent.skills_on(today)
            ),
            key=lambda row: row["skill"],
        ),
        "skill_history": [
            {
                "skill": s.skill.name,
                "proficiency": s.proficiency,
                "from": s.effective_from,
                "to": s.effective_to,
            }
            for s in sorted(agent.skills, key=lambda s: (s.effective_from, s.skill.name), reverse=True)
        ],
    }


def planning_overview(today: dt.date) -> list[dict]:
    """Per active site: its queues with targets and how many active agents hold each queue's skill."""
    sites = db.session.scalars(
        select(Site)
        .where(Site.active)
        .options(selectinload(Site.queues), selectinload(Site.opening_hours))
        .order_by(Site.name)
    ).all()
    agents = db.session.scalars(
        select(Agent).where(Agent.status == AgentStatus.ACTIVE).options(selectinload(Agent.skills))
    ).all()
    overview = []
    for site in sites:
        site_agents = [a for a in agents if a.site_id == site.id]
        queues = []
        for queue in sorted((q for q in site.queues if q.active), key=lambda q: q.name):
            skilled = sum(
                1
                for a in site_agents
                if any(
                    s.skill_id == queue.skill_id and s.proficiency >= queue.min_proficiency
                    for s in a.skills_on(today)
                )
            )
            queues.append(
                {
                    "id": queue.id,
                    "name": queue.name,
                    "channel": queue.channel.label,
                    "target": queue.target_label,
                    "skill": queue.skill.name,
                    "skilled_agents": skilled,
                }
            )
        overview.append(
            {
                "name": site.name,
                "time_zone": site.time_zone,
                "hours": [(_weekday(h.weekday), h.label) for h in site.opening_hours],
                "agents": len(site_agents),
                "queues": queues,
            }
        )
    return overview


def _weekday(weekday: int) -> str:
    """A weekday's short name in the reader's language ("Mon", "周一"), 0 being Monday."""
    return written(A_MONDAY + dt.timedelta(days=weekday), "weekday")


A_MONDAY = dt.date(2024, 1, 1)


def _employments(agents: list[Agent], moved: frozenset[str] = frozenset()) -> list[Employment]:
    return [
        Employment(a.hire_date, a.leaving_date, a.team.name if a.team else _("no team"), str(a.id) in moved)
        for a in agents
    ]


def people_overview(today: dt.date) -> dict:
    """Headcount now, by site, team and status; hires, leavers and turnover over the last 12 months."""
    agents = db.session.scalars(
        select(Agent).options(selectinload(Agent.team), selectinload(Agent.site))
    ).all()
    year_ago = today - dt.timedelta(days=365)
    moved = moved_ids()
    people = _employments(agents, moved)
    by_tenure = grouped(
        [Employment(a.hire_date, a.leaving_date, moved=str(a.id) in moved) for a in agents],
        lambda p: tenure_band(p.hire_date, p.leaving_date or today),
    )
    current = [a for a in agents if a.status != AgentStatus.LEFT]
    recent_leavers = sorted(
        (a for a in agents if a.leaving_date and a.leaving_date >= year_ago),
        key=lambda a: a.leaving_date,
        reverse=True,
    )
    return {
        "today": today,
        "headcount": headcount_on(people, today),
        "by_status": Counter(a.status.label for a in current),
        "by_site": Counter(a.site.name for a in current),
        "year": turnover(people, year_ago, today),
        "by_team": turnover_by(people, year_ago, today),
        "by_tenure": turnover_by(by_tenure, year_ago, today, order=tenure_rank),
        "leavers": [
            {
                "name": a.name,
                "employee_number": a.employee_number,
                "team": a.team.name if a.team else "",
                "leaving_date": a.leaving_date,
                "reason": a.leaving_reason or "",
            }
            for a in recent_leavers
        ],
        "careers": _careers_overview(today),
    }


def _careers_overview(today: dt.date) -> dict:
    from wfm.careers.dashboards import careers_overview  # career figures come from the training engine

    return careers_overview(today)


def health() -> dict:
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
