"""The demo's first planning run: forecasts of the queues with history and their requirements, made by
the same job and operations a scheduler uses, so the planning pages have something real to show."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from wfm.extensions import db
from wfm.forecasting.requirements import make_requirement
from wfm.jobs import runner
from wfm.models import Forecast, HistoryInterval, Queue, Site

DAYS = 28


def forecast_and_staff(site: Site, start: dt.date, user_id: int | None = None) -> list[int]:
    """Forecast every queue of the site that has history, from `start` for four weeks; then requirements."""
    queue_ids = db.session.scalars(select(Queue.id).where(
        Queue.site_id == site.id, Queue.id.in_(select(HistoryInterval.queue_id).distinct()))).all()
    if not queue_ids:
        return []
    job = runner.submit("forecast", f"Demo forecast from {start}", {
        "queue_ids": list(queue_ids), "start": start.isoformat(), "days": DAYS, "method": "auto"}, user_id)
    db.session.commit()
    runner.run(current_app._get_current_object(), job.id)
    db.session.expire_all()
    ids = []
    for forecast_id in (db.session.get(type(job), job.id).result or {}).get("forecast_ids", []):
        requirement = make_requirement(db.session.get(Forecast, forecast_id), user_id)
        ids.append(requirement.id)
    db.session.commit()
    return ids
