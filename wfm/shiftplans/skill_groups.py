"""The site's skill groups for a plan's days, read from the agents' skill history (the engine groups them).

Each queue asks for its skill at its least proficiency; each agent's skills come with effective dates, so
a promotion or a new skill moves the agent to another group from that day. Agents count on the days they
are employed (hired, not yet gone). A group works at most five shifts a week per agent it has. Beyond
MOST_GROUPS groups, groups are joined two at a time into one serving the queues both serve, losing the
least reach, scarce skills last (see the engine's `fold_small_groups`): a smaller model, at the price of
some agents' reach.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from scheduling.shifts.skill_groups import (
    QueueSkill,
    SkillGroup,
    SkillPeriod,
    fold_small_groups,
    skill_groups_by_day,
)
from wfm.extensions import db
from wfm.models import Queue, Site
from wfm.site_agents import agents_for

SHIFTS_PER_AGENT_WEEK = 5  # a five-day week
MOST_GROUPS = 8  # beyond this, groups are joined into ones serving the queues both serve (a smaller model)


def queue_skills(site: Site, queue_names: tuple[str, ...] | list[str]) -> list[QueueSkill]:
    queues = db.session.scalars(select(Queue).where(Queue.site_id == site.id, Queue.name.in_(queue_names)))
    return [QueueSkill(q.name, q.skill.name, q.min_proficiency) for q in queues]


def site_skill_groups(
    site: Site, first: dt.date, days: int, queue_names: tuple[str, ...]
) -> list[SkillGroup]:
    """The groups of agents by the queues (of `queue_names`) they may serve on each of the days."""
    dates = [first + dt.timedelta(days=d) for d in range(days)]
    agents = agents_for(site, dates[0], dates[-1])
    periods = [
        SkillPeriod(str(a.id), s.skill.name, s.proficiency, s.effective_from, s.effective_to)
        for a in agents
        for s in a.skills
    ]
    employed = {
        day: {
            str(a.id)
            for a in agents
            if a.hire_date <= day and (a.leaving_date is None or a.leaving_date >= day)
        }
        for day in dates
    }
    groups = skill_groups_by_day(periods, queue_skills(site, queue_names), dates, employed)
    weekly = [
        SkillGroup(g.name, g.queues, g.agents, g.members, g.agents_by_day, SHIFTS_PER_AGENT_WEEK * g.agents)
        for g in groups
    ]
    return fold_small_groups(weekly, MOST_GROUPS)


def groups_setting(groups: list[SkillGroup]) -> list[dict]:
    """The groups as a plan keeps them in its settings (plain JSON)."""
    return [
        {
            "name": g.name,
            "queues": sorted(g.queues),
            "agents": g.agents,
            "agents_by_day": list(g.agents_by_day or ()),
        }
        for g in groups
    ]
