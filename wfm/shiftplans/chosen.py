"""Which requirement a shift plan of a site and period is built from: per queue, the newest one whose
forecast overlaps the period. One place, read by the plan solve and by the check that tells a plan it is
out of date (`wfm.sources`) when a newer one is calculated.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from wfm.extensions import db
from wfm.models import Queue, Requirement, Site


def latest_requirements(site: Site, start: dt.date, end: dt.date) -> dict[Queue, Requirement]:
    """Per queue of the site, the newest requirement whose forecast overlaps [start, end]."""
    chosen: dict[Queue, Requirement] = {}
    rows = db.session.scalars(
        select(Requirement)
        .join(Queue)
        .where(Queue.site_id == site.id, Queue.active)
        .order_by(Requirement.created_at, Requirement.id)
    ).all()
    for requirement in rows:
        forecast = requirement.forecast
        if forecast.start_date <= end and forecast.end_date >= start:
            chosen[requirement.queue] = requirement
    return chosen
