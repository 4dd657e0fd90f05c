"""Real-time adherence from the database: the published roster (shifts, breaks, activities) against the
agents' state events, with the exceptions team leaders approved and the site's grace period.

`live` judges a site's day as far as it has come, for the pages; `store` keeps each agent's day
(adherence and conformance) in `adherence_day`, refreshed whenever events or exceptions arrive; `kpi` is
what careers and anyone else call for an agent's figure over a period. The arithmetic is
`scheduling.adherence`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from scheduling.adherence import DayAdherence, adherence, schedule_spans
from wfm.extensions import db
from wfm.models import AdherenceDay, AdherenceException, AdherenceSetting, Agent, AgentStateEvent, Site
from wfm.rosters import offphone, truth

DEFAULT_GRACE_MINUTES = 5


@dataclass(frozen=True)
class AgentDay:
    agent: Agent
    figures: DayAdherence

    def out_of_adherence(self, grace: int) -> bool:
        return self.figures.out_now_minutes >= max(1, grace)


def grace_minutes(site: Site) -> int:
    setting = db.session.get(AdherenceSetting, site.id)
    return setting.grace_minutes if setting else DEFAULT_GRACE_MINUTES


def _rows(site: Site, day: dt.date) -> dict[int, list[dict]]:
    """agent id -> published rows touching `day` (a night shift of the day before included)."""
    out: dict[int, list[dict]] = {}
    for (agent_id, _day), row in truth.seen_rows(site.id, {day - dt.timedelta(days=1), day}).items():
        out.setdefault(agent_id, []).append(row)
    return out


def _spans(rows: list[dict]):
    spans = []
    for row in rows:
        start, end = dt.datetime.fromisoformat(row["start"]), dt.datetime.fromisoformat(row["end"])
        spans += schedule_spans(
            start, end, offphone.spans(row.get("breaks")), offphone.spans(row.get("activities"))
        )
    return spans


def _events(agent_ids: list[int], day: dt.date) -> dict[int, list[tuple[dt.datetime, str]]]:
    first = dt.datetime.combine(day, dt.time())
    out: dict[int, list[tuple[dt.datetime, str]]] = {a: [] for a in agent_ids}
    # the state in force at midnight: each agent's last event before it
    before = (
        select(AgentStateEvent.agent_id, func.max(AgentStateEvent.at))
        .where(AgentStateEvent.agent_id.in_(agent_ids), AgentStateEvent.at < first)
        .group_by(AgentStateEvent.agent_id)
    )
    last_before = dict(db.session.execute(before).all()) if agent_ids else {}
    rows = db.session.execute(
        select(AgentStateEvent.agent_id, AgentStateEvent.at, AgentStateEvent.state).where(
            AgentStateEvent.agent_id.in_(agent_ids),
            AgentStateEvent.at >= min([first, *last_before.values()]),
            AgentStateEvent.at < first + dt.timedelta(days=1),
        )
    ).all()
    for agent_id, at, state in rows:
        if at >= first or at == last_before.get(agent_id):
            out[agent_id].append((at, state))
    return out


def _exceptions(agent_ids: list[int], day: dt.date) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    first = dt.datetime.combine(day, dt.time())
    out: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {a: [] for a in agent_ids}
    for e in db.session.scalars(
        select(AdherenceException).where(
            AdherenceException.agent_id.in_(agent_ids),
            AdherenceException.end > first,
            AdherenceException.start < first + dt.timedelta(days=1),
        )
    ):
        out[e.agent_id].append((e.start, e.end))
    return out


def live(site: Site, day: dt.date, until: dt.datetime, agent_ids: list[int] | None = None) -> list[AgentDay]:
    """Every agent scheduled on `day` (or who sent a state), judged up to `until`."""
    rows = _rows(site, day)
    first = dt.datetime.combine(day, dt.time())
    with_events = db.session.scalars(
        select(AgentStateEvent.agent_id)
        .join(Agent)
        .where(
            Agent.site_id == site.id,
            AgentStateEvent.at >= first,
            AgentStateEvent.at < first + dt.timedelta(days=1),
        )
        .distinct()
    ).all()
    ids = sorted(set(rows) | set(with_events))
    if agent_ids is not None:
        ids = [a for a in ids if a in set(agent_ids)]
    if not ids:
        return []
    agents = {a.id: a for a in db.session.scalars(select(Agent).where(Agent.id.in_(ids)))}
    events, excused = _events(ids, day), _exceptions(ids, day)
    out = [
        AgentDay(agents[a], adherence(_spans(rows.get(a, [])), events[a], excused[a], day, until))
        for a in ids
        if a in agents
    ]
    return sorted(out, key=lambda d: (-d.figures.out_now_minutes, d.agent.name))


def reached(site: Site, day: dt.date, now: dt.datetime) -> dt.datetime:
    """How far `day` is judged: to its end once it is over, else to the latest of now and its last event
    (a replayed or late-arriving day runs ahead of the wall clock)."""
    first = dt.datetime.combine(day, dt.time())
    end = first + dt.timedelta(days=1)
    if now >= end:
        return end
    latest = db.session.scalar(
        select(func.max(AgentStateEvent.at))
        .join(Agent)
        .where(Agent.site_id == site.id, AgentStateEvent.at >= first, AgentStateEvent.at < end)
    )
    moment = max(now, latest + dt.timedelta(minutes=1)) if latest else now
    return min(end, moment)


def store(site: Site, day: dt.date, until: dt.datetime, agent_ids: list[int] | None = None) -> int:
    """Keep each agent's figures of `day` up to `until` (replacing earlier ones); how many were kept."""
    days = live(site, day, until, agent_ids)
    stored = {
        r.agent_id: r
        for r in db.session.scalars(
            select(AdherenceDay).where(
                AdherenceDay.day == day, AdherenceDay.agent_id.in_([d.agent.id for d in days])
            )
        )
    }
    for d in days:
        row = stored.get(d.agent.id) or AdherenceDay(agent_id=d.agent.id, day=day)
        row.scheduled_minutes = d.figures.scheduled_minutes
        row.adherent_minutes = d.figures.adherent_minutes
        row.worked_minutes = d.figures.worked_minutes
        row.adherence = d.figures.adherence
        row.conformance = d.figures.conformance
        if row.id is None:
            db.session.add(row)
    return len(days)


def kpi(agent_id: int, first: dt.date, last: dt.date) -> dict:
    """An agent's adherence and conformance over [first, last] from the stored days, weighted by scheduled
    minutes: {"adherence", "conformance" (None without a scheduled minute), "days", "scheduled_minutes"}.
    For careers (a KPI of the agent's ladder) and reports."""
    rows = db.session.execute(
        select(
            func.count(AdherenceDay.id),
            func.coalesce(func.sum(AdherenceDay.scheduled_minutes), 0),
            func.coalesce(func.sum(AdherenceDay.adherent_minutes), 0),
            func.coalesce(func.sum(AdherenceDay.worked_minutes), 0),
        ).where(
            AdherenceDay.agent_id == agent_id,
            AdherenceDay.day >= first,
            AdherenceDay.day <= last,
            AdherenceDay.scheduled_minutes > 0,
        )
    ).one()
    days, scheduled, adherent, worked = (int(v) for v in rows)
    return {
        "adherence": adherent / scheduled if scheduled else None,
        "conformance": worked / scheduled if scheduled else None,
        "days": days,
        "scheduled_minutes": scheduled,
    }
