"""Agent KPIs in the database: a file import (all or nothing; a day imported again is replaced) and the
scorecards per agent and per team over the last 30 days against targets, with adherence from the intraday
records where they exist (`wfm.intraday.adherence.kpi`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from training.kpis import NAMES, KpiDay, KpiError, read_csv, scorecard
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.models import Agent
from wfm.models.talent import AgentKpi


def import_csv(text: str) -> int:
    """Store the file's rows (flush only; the caller commits, so a refusal writes nothing)."""
    try:
        rows = read_csv(text)
    except KpiError as error:
        raise FieldError("file", error.message) from None
    agents = {a.employee_number: a for a in db.session.scalars(select(Agent))}
    for n, row in enumerate(rows, start=2):
        agent = agents.get(row.employee_number)
        if agent is None:
            raise FieldError("file", f"Line {n}: no agent has the employee number {row.employee_number}.")
        stored = db.session.scalar(
            select(AgentKpi).where(AgentKpi.agent_id == agent.id, AgentKpi.day == row.day)
        )
        stored = stored or AgentKpi(agent_id=agent.id, day=row.day)
        stored.handle_seconds, stored.fcr, stored.csat = row.handle_seconds, row.fcr, row.csat
        db.session.add(stored)
    db.session.flush()
    return len(rows)


def _adherence(agent_id: int, first: dt.date, last: dt.date) -> float | None:
    try:
        from wfm.intraday.adherence import kpi
    except ImportError:  # the intraday records are not part of this installation
        return None
    return kpi(agent_id, first, last)["adherence"]


def card(agent: Agent, today: dt.date, days: int = 30) -> dict:
    first = today - dt.timedelta(days=days - 1)
    rows = db.session.scalars(
        select(AgentKpi).where(AgentKpi.agent_id == agent.id, AgentKpi.day >= first, AgentKpi.day <= today)
    ).all()
    kpis = [KpiDay(agent.employee_number, r.day, r.handle_seconds, r.fcr, r.csat) for r in rows]
    return {
        "agent": agent,
        "days": len(rows),
        "figures": [(NAMES[f.kpi], f) for f in scorecard(kpis)],
        "adherence": _adherence(agent.id, first, today),
    }


def team_cards(today: dt.date) -> list[dict]:
    agents = db.session.scalars(select(Agent).order_by(Agent.name)).all()
    return [card(a, today) for a in agents if a.leaving_date is None or a.leaving_date >= today]
