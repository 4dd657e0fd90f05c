"""The agents a site employs over a period, with their skills and teams loaded in one query each.

Plans (head counts, skill groups) and rosters (the named problem) both start from this list, so it lives
outside either package.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wfm.extensions import db
from wfm.models import Agent, AgentSkill, AgentStatus, Site


def agents_for(site: Site, first: dt.date, last: dt.date) -> list[Agent]:
    """Agents of the site employed at some point of the period (leavers up to their last day)."""
    agents = db.session.scalars(
        select(Agent)
        .where(Agent.site_id == site.id)
        .order_by(Agent.team_id, Agent.name)
        .options(selectinload(Agent.skills).selectinload(AgentSkill.skill), selectinload(Agent.team))
    )  # one query each, not one per agent
    return [
        a
        for a in agents
        if a.hire_date <= last
        and (a.leaving_date is None or a.leaving_date >= first)
        and (a.status != AgentStatus.LEFT or a.leaving_date is not None)
    ]
