"""Agent KPIs in the database: a file import (all or nothing; a day imported again is replaced) and the
scorecards per agent and per team over the last 30 days against targets, with adherence from the intraday
records where they exist (`wfm.intraday.adherence.kpi`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    try:
        store_days(rows, "Line", first=2)
    except KpiError as error:
        raise FieldError("file", error.message) from None
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
            where = f"{label} {row + first - 1}"
            message = f"{where}: no agent has the employee number {day.employee_number}."
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
