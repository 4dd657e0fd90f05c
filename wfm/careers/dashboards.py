"""HR's career figures (People page) and the skills matrix, all computed by `training.dashboard`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.attrition import grouped, tenure_band, tenure_rank, turnover_by
from training.dashboard import (
    certifications_expiring,
    employments,
    headcount_by_track_and_level,
    ready_for_next_level,
    turnover_by_track,
)
from wfm.careers.store import load_catalogue, records_of
from wfm.careers.talent import moved_ids, placements_by_year
from wfm.extensions import db
from wfm.models import Agent, Team


def careers_overview(today: dt.date) -> dict:
    """Headcount by track and level, who is ready for the next rung, certificates lapsing within 90 days,
    turnover over the last 12 months by track and by track and tenure band (each split into those lost to
    the bank and those placed in it), and placements in the bank per year."""
    cat = load_catalogue()
    agents = db.session.scalars(select(Agent).options(selectinload(Agent.team))).all()
    names = {str(a.id): a.name for a in agents}
    records = records_of(list(agents))
    year_ago = today - dt.timedelta(days=365)
    by_level = headcount_by_track_and_level(records, cat, today)
    top = max((f.ladder.top for f in cat.fields.values()), default=0)
    moved = moved_ids()
    people = employments(records, cat, moved)
    track_tenure = grouped(
        people,
        lambda p: f"{p.group}{TRACK_TENURE} {tenure_band(p.hire_date, min(p.leaving_date or today, today))}",
    )
    return {
        "levels": list(range(0, top + 1)),
        "by_track_level": by_level,
        "ready": [
            {
                "agent_id": int(r.agent_id),
                "name": names[r.agent_id],
                "field": cat.fields[r.field].name,
                "from": r.current_level,
                "to": r.next_level,
                "title": cat.level(r.field, r.next_level).title,
            }
            for r in ready_for_next_level(records, cat, today)
        ],
        "expiring": [
            {
                "agent_id": int(e.agent_id),
                "name": names[e.agent_id],
                "code": e.certification,
                "expires_on": e.expires_on,
                "days_left": e.days_left,
            }
            for e in certifications_expiring(records, today, 90)
        ],
        "turnover_by_track": turnover_by_track(records, cat, year_ago, today, moved),
        "placements_by_year": placements_by_year(today),
        "turnover_by_track_tenure": turnover_by(track_tenure, year_ago, today, order=_track_then_tenure),
    }


def skills_matrix(today: dt.date, team_id: int | None = None, track: str | None = None) -> dict:
    """Employed agents × competencies (of one track's ladders when `track` is given), validated
    proficiency on `today`; 0 where the agent has none."""
    cat = load_catalogue()
    query = select(Agent).options(selectinload(Agent.team)).order_by(Agent.name)
    if team_id:
        query = query.where(Agent.team_id == team_id)
    agents = [
        a
        for a in db.session.scalars(query)
        if a.hire_date <= today and (a.leaving_date is None or a.leaving_date >= today)
    ]
    if track:
        codes = sorted({c for f in cat.fields_in(track) for lv in f.ladder.levels for c in lv.competencies})
    else:
        codes = list(cat.competencies)
    records = records_of(agents)
    rows = [
        {
            "id": a.id,
            "name": a.name,
            "team": a.team.name if a.team else "",
            "cells": [r.proficiency_on(c, today) for c in codes],
        }
        for a, r in zip(agents, records, strict=True)
    ]
    return {
        "competencies": [(c, cat.competencies[c].name) for c in codes],
        "rows": rows,
        "teams": [(t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))],
        "tracks": sorted({f.track.value for f in cat.fields.values()}),
        "team_id": team_id,
        "track": track,
    }


TRACK_TENURE = " ·"  # between the track and the tenure band in a group's name


def _track_then_tenure(group: str) -> tuple[str, int]:
    track, band = group.split(TRACK_TENURE + " ", 1)
    return track, tenure_rank(band)
