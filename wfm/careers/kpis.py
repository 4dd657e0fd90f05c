"""Agent KPIs in the database: a file import (all or nothing; a day imported again is replaced) and the
scorecards per agent and per team over the last 30 days against targets, with adherence from the intraday
records where they exist (`wfm.intraday.adherence.kpi`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scheduling.text import Sentence
from training.kpis import NAMES, KpiDay, KpiError, read_csv, scorecard, trends, weekly, where_in, window
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.i18n import translate
from wfm.models import Agent
from wfm.models.talent import AgentKpi


def import_csv(text: str) -> int:
    """Store the file's rows (flush only; the caller commits, so a refusal writes nothing)."""
    try:
        rows = read_csv(text)
    except KpiError as error:
        raise FieldError("file", translate(error.message)) from None
    try:
        store_days(rows, "Line", first=2)
    except KpiError as error:
        raise FieldError("file", translate(error.message)) from None
    return len(rows)


@dataclass
class Stored:
    new: int = 0
    replaced: int = 0


def store_days(rows: list[KpiDay], label: str = "Row", first: int = 1) -> Stored:
    """Store read rows, one per agent and day (a day sent again replaces the stored one); a row naming no
    agent is refused (`KpiError` naming it) before anything is flushed. The caller commits."""
    agents = {a.employee_number: a for a in db.session.scalars(select(Agent))}
    for row, day in enumerate(rows, start=1):
        if day.employee_number not in agents:
            message = Sentence(
                "%(where)s: no agent has the employee number %(number)s.",
                where=where_in(label, row + first - 1),
                number=day.employee_number,
            )
            raise KpiError("employee_number", message, row)
    stored = Stored()
    for day in rows:
        agent = agents[day.employee_number]
        row = db.session.scalar(
            select(AgentKpi).where(AgentKpi.agent_id == agent.id, AgentKpi.day == day.day)
        )
        if row is None:
            row = AgentKpi(agent_id=agent.id, day=day.day)
            stored.new += 1
        else:
            stored.replaced += 1
        row.handle_seconds, row.fcr, row.csat = day.handle_seconds, day.fcr, day.csat
        db.session.add(row)
    db.session.flush()
    return stored


def _adherence(agent_id: int, first: dt.date, last: dt.date) -> float | None:
    try:
        from wfm.intraday.adherence import kpi
    except ImportError:  # the intraday records are not part of this installation
        return None
    return kpi(agent_id, first, last)["adherence"]


def _days_of(agent_ids: list[int], first: dt.date, last: dt.date) -> dict[int, list[KpiDay]]:
    out: dict[int, list[KpiDay]] = {i: [] for i in agent_ids}
    rows = db.session.scalars(
        select(AgentKpi).where(AgentKpi.agent_id.in_(agent_ids), AgentKpi.day >= first, AgentKpi.day <= last)
    )
    for r in rows:
        out[r.agent_id].append(KpiDay("", r.day, r.handle_seconds, r.fcr, r.csat))
    return out


def card(agent: Agent, today: dt.date, days: int = 30, kpis: list[KpiDay] | None = None) -> dict:
    """The agent's last `days` days against the targets, with the `days` before for the trend."""
    if kpis is None:
        kpis = _days_of([agent.id], today - dt.timedelta(days=2 * days - 1), today)[agent.id]
    first = today - dt.timedelta(days=days - 1)
    recent = window(kpis, today, days)
    return {
        "agent": agent,
        "days": len(recent),
        "figures": [(NAMES[f.kpi], f) for f in scorecard(recent)],
        "trends": trends(kpis, today, days),
        "adherence": _adherence(agent.id, first, today),
    }


def agent_weeks(agent: Agent, today: dt.date, weeks: int = 8) -> list[tuple[dt.date, int, list]]:
    """The agent's weekly averages against the targets over the last `weeks` weeks, oldest first."""
    kpis = _days_of([agent.id], today - dt.timedelta(days=7 * weeks - 1), today)[agent.id]
    return weekly(kpis, today, weeks)


def team_cards(today: dt.date) -> list[dict]:
    agents = [
        a
        for a in db.session.scalars(select(Agent).order_by(Agent.name))
        if a.leaving_date is None or a.leaving_date >= today
    ]
    days = _days_of([a.id for a in agents], today - dt.timedelta(days=59), today)
    return [card(a, today, kpis=days[a.id]) for a in agents]


def teams(today: dt.date, days: int = 30) -> list[dict]:
    """Per team of employed agents: every agent-day of its members over the last `days` days against the
    targets (each agent-day counts once), and the same over the `days` before for the trend."""
    agents = [
        a
        for a in db.session.scalars(select(Agent).options(selectinload(Agent.team)).order_by(Agent.name))
        if a.leaving_date is None or a.leaving_date >= today
    ]
    kpis = _days_of([a.id for a in agents], today - dt.timedelta(days=2 * days - 1), today)
    members: dict[str, list[Agent]] = {}
    for a in agents:
        members.setdefault(a.team.name if a.team else "", []).append(a)
    out = []
    for name in sorted(members):
        pooled = [d for a in members[name] for d in kpis[a.id]]
        recent = window(pooled, today, days)
        out.append(
            {
                "team": name,
                "agents": len(members[name]),
                "days": len(recent),
                "figures": [(NAMES[f.kpi], f) for f in scorecard(recent)],
                "trends": trends(pooled, today, days),
            }
        )
    return out
