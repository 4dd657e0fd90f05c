"""Attrition risk from what the product holds, as it stood on a day (so the same code backtests): the
inputs of `training.risk` per employed agent, and the HR-only list with each score's reasons.

Read as of `on`: level history, eligibility for the next rung now and 3 and 6 months before, the published
rosters' shifts over the 12 weeks before (a night shift starts at 20:00 or later or before 06:00, a weekend
one on Saturday or Sunday), time-off requests refused over 6 months, and each team's leavers lost to the
bank over 12 months; the quality trend from the evaluations (last 3 months against the 3 before; nothing
when an agent has too few).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.attrition import Employment, turnover
from training.catalogue import Catalogue
from training.eligibility import eligibility
from training.kpis import REQUIREMENT_DAYS, kpi_average
from training.quality import rolling_average
from training.records import AgentRecord, add_months, months_between
from training.risk import KPI_TREND_DAYS, KPI_WORSE_BY, KpiTrend, Risk, RiskInputs, score
from wfm.careers.store import load_catalogue, records_of
from wfm.careers.talent import moved_ids
from wfm.extensions import db
from wfm.models import Agent, Roster, RosterAssignment, TimeOff


def _unsocial(start: dt.datetime) -> bool:
    return start.weekday() >= 5 or start.hour >= 20 or start.hour < 6


@dataclass(frozen=True)
class Held:
    """What the product holds about every agent, loaded once; every reading of it filters by its day, so a
    backtest scores many past days from one load."""

    agents: list[Agent]
    catalogue: Catalogue
    records: dict[str, AgentRecord]
    moved: frozenset[str]


def held() -> Held:
    agents = list(db.session.scalars(select(Agent).options(selectinload(Agent.team)).order_by(Agent.id)))
    records = {r.agent_id: r for r in records_of(agents)}
    return Held(agents, load_catalogue(), records, moved_ids())


def inputs_on(on: dt.date, agents: list[Agent] | None = None, loaded: Held | None = None) -> list[RiskInputs]:
    """Risk inputs of every agent employed on `on` (of `loaded`, when given: read once for many days)."""
    if loaded is None:
        if agents is None:
            agents = db.session.scalars(
                select(Agent).options(selectinload(Agent.team)).order_by(Agent.id)
            ).all()
        employed = [
            a for a in agents if a.hire_date <= on and (a.leaving_date is None or a.leaving_date > on)
        ]
        loaded = Held(
            list(agents), load_catalogue(), {r.agent_id: r for r in records_of(employed)}, moved_ids()
        )
    agents = loaded.agents
    employed = [a for a in agents if a.hire_date <= on and (a.leaving_date is None or a.leaving_date > on)]
    cat, records, moved = loaded.catalogue, loaded.records, loaded.moved
    shifts: dict[int, list[bool]] = defaultdict(list)
    rows = db.session.execute(
        select(RosterAssignment.agent_id, RosterAssignment.start)
        .join(Roster)
        .where(
            Roster.published_version > 0,
            RosterAssignment.day > on - dt.timedelta(days=84),
            RosterAssignment.day <= on,
        )
    ).all()
    for agent_id, start in rows:
        shifts[agent_id].append(_unsocial(start))
    shares = {a: sum(v) / len(v) for a, v in shifts.items() if v}
    peer = sum(shares.values()) / len(shares) if shares else None
    half_year = add_months(on, -6)
    refused: dict[int, int] = defaultdict(int)
    for row in db.session.scalars(select(TimeOff).where(TimeOff.status == "rejected")):
        if row.decided_at is not None and half_year <= row.decided_at.date() <= on:
            refused[row.agent_id] += 1
    year_ago = on - dt.timedelta(days=365)
    teams: dict[str, list[Employment]] = defaultdict(list)
    for a in agents:
        lost_to_the_bank = str(a.id) not in moved
        teams[a.team.name if a.team else ""].append(
            Employment(a.hire_date, a.leaving_date, moved=not lost_to_the_bank)
        )
    centre = turnover([p for ps in teams.values() for p in ps], year_ago, on).lost_rate
    team_rates = {t: turnover(ps, year_ago, on).lost_rate for t, ps in teams.items()}
    out = []
    for a in employed:
        record = records[str(a.id)]
        changes = [lv.since for lv in record.levels if lv.since <= on]
        last_change = max(changes, default=a.hire_date)
        out.append(
            RiskInputs(
                agent_id=str(a.id),
                on=on,
                hire_date=a.hire_date,
                months_since_level_change=months_between(last_change, on),
                stalled_months=_stalled(record, on, cat),
                unsocial_share=shares.get(a.id),
                peer_unsocial_share=peer,
                time_off_refused=refused.get(a.id, 0),
                quality_change=_quality_change(record, on),
                kpi_trends=_kpi_trends(record, on),
                team_turnover=team_rates.get(a.team.name if a.team else ""),
                centre_turnover=centre,
            )
        )
    return out


def _quality_change(record: AgentRecord, on: dt.date) -> float | None:
    """The average of the last 3 months' evaluations minus that of the 3 months before (None: too few)."""
    recent, _n = rolling_average(record.evaluations, add_months(on, -3), on)
    before, _m = rolling_average(record.evaluations, add_months(on, -6), add_months(on, -3))
    return None if recent is None or before is None else recent - before


def _kpi_trends(record: AgentRecord, on: dt.date) -> tuple[KpiTrend, ...]:
    """Each KPI's average over the last 30 days and the 30 before, where both have enough days of figures."""
    out = []
    for kpi in KPI_WORSE_BY:
        now, days_now = kpi_average(record.kpis, kpi, on)
        before, days_before = kpi_average(record.kpis, kpi, on - dt.timedelta(days=REQUIREMENT_DAYS))
        if now is not None and before is not None and min(days_now, days_before) >= KPI_TREND_DAYS:
            out.append(KpiTrend(kpi, before, now))
    return tuple(out)


def _stalled(record: AgentRecord, on: dt.date, cat) -> int | None:
    """Months (0, 3 or 6) the agent has been eligible for the next rung of their primary field without it."""
    field = record.primary_field
    held = record.level_on(field, on)
    nxt = cat.fields[field].ladder.next_after(held)
    if nxt is None or not eligibility(record, nxt, on, cat).eligible:
        return None
    for months in (6, 3):
        then = add_months(on, -months)
        same_level = then >= record.hire_date and record.level_on(field, then) == held
        if same_level and eligibility(record, nxt, then, cat).eligible:
            return months
    return 0


def risk_list(on: dt.date) -> list[dict]:
    """Every employed agent's score with its reasons, highest first (for HR only)."""
    agents = db.session.scalars(select(Agent).options(selectinload(Agent.team)).order_by(Agent.id)).all()
    by_id = {str(a.id): a for a in agents}
    risks: list[Risk] = [score(x) for x in inputs_on(on, list(agents))]
    risks.sort(key=lambda r: (-r.score, by_id[r.agent_id].name))
    return [
        {
            "agent": by_id[r.agent_id],
            "score": r.score,
            "band": r.band,
            "reasons": [(reason.points, reason.words) for reason in r.reasons],
        }
        for r in risks
    ]
