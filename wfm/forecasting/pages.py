"""Plain values and charts for the planning pages (views stay thin; templates get no ORM objects)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from wfm import charts
from wfm.extensions import db
from wfm.forecasting.forecasts import accuracy_of, actuals_for
from wfm.models import Forecast, HistoryInterval, Requirement

HISTORY_DAYS_SHOWN = 7


def _axis(first: dt.datetime, last: dt.datetime, minutes: int) -> list[dt.datetime]:
    step = dt.timedelta(minutes=minutes)
    times, t = [], first
    while t <= last:
        times.append(t)
        t += step
    return times


def forecast_page(record: Forecast) -> dict:
    start = dt.datetime.combine(record.start_date, dt.time())
    end = start + dt.timedelta(days=record.days)
    shown_from = start - dt.timedelta(days=HISTORY_DAYS_SHOWN)
    history = dict(
        db.session.execute(
            select(HistoryInterval.interval_start, HistoryInterval.offered).where(
                HistoryInterval.queue_id == record.queue_id,
                HistoryInterval.interval_start >= shown_from,
                HistoryInterval.interval_start < start,
            )
        ).all()
    )
    actual = actuals_for(record)
    times = _axis(shown_from, end - dt.timedelta(minutes=record.interval_minutes), record.interval_minutes)
    by_time = {i.interval_start: i for i in record.intervals}
    adjusted = any(abs(i.adjusted - i.forecast) > 1e-9 for i in record.intervals)

    def column(getter):
        return [getter(by_time[t]) if t in by_time else None for t in times]

    lines = [
        charts.Line(_("history"), [history.get(t) for t in times], "history"),
        charts.Line(_("forecast"), column(lambda i: i.forecast), "forecast"),
    ]
    if adjusted:
        lines.append(charts.Line(_("adjusted"), column(lambda i: i.adjusted), "adjusted"))
    if actual:
        lines.append(
            charts.Line(_("actual"), [actual.get(t) if t >= start else None for t in times], "actual")
        )
    chart = charts.render(
        charts.TimeChart(
            times=times,
            lines=lines,
            band=charts.Band(_("prediction interval"), column(lambda i: i.lower), column(lambda i: i.upper)),
            title=_(
                "%(queue)s: contacts per %(minutes)s minutes",
                queue=record.queue.name,
                minutes=record.interval_minutes,
            ),
            y_label=_("contacts"),
        )
    )
    days = {}
    for interval in record.intervals:
        day = days.setdefault(
            interval.interval_start.date(), {"forecast": 0.0, "adjusted": 0.0, "actual": None}
        )
        day["forecast"] += interval.forecast
        day["adjusted"] += interval.adjusted
    for time, value in actual.items():
        if time.date() in days:
            days[time.date()]["actual"] = (days[time.date()]["actual"] or 0.0) + value
    backtest = [row for row in record.backtest if row.get("queue") in (None, record.queue.name)]
    return {
        "id": record.id,
        "queue": record.queue.name,
        "queue_id": record.queue_id,
        "site": record.queue.site.name,
        "start": record.start_date,
        "end": record.end_date,
        "days": record.days,
        "interval_minutes": record.interval_minutes,
        "method": record.method,
        "requested": record.requested_method,
        "created_at": record.created_at,
        "created_by": record.created_by.display_name if record.created_by else "",
        "history_from": record.history_from,
        "history_to": record.history_to,
        "chart": chart,
        "daily": sorted(days.items()),
        "backtest": sorted(backtest, key=lambda r: r.get("wmape") or 9),
        "notes": record.notes,
        "adjustments": [
            {
                "start": a.start,
                "end": a.end,
                "percent": a.percent,
                "reason": a.reason,
                "intervals": a.intervals,
                "before": a.volume_before,
                "after": a.volume_after,
                "by": a.created_by.display_name if a.created_by else "",
                "at": a.created_at,
            }
            for a in record.adjustments
        ],
        "accuracy": accuracy_of(record),
        "total": sum(i.adjusted for i in record.intervals),
    }


def requirement_page(requirement: Requirement, day: dt.date | None) -> dict:
    intervals = requirement.intervals
    days = sorted({i.interval_start.date() for i in intervals})
    day = day if day in days else (days[0] if days else None)
    times = [i.interval_start for i in intervals]
    chart = charts.render(
        charts.TimeChart(
            times=times,
            lines=[
                charts.Line(_("on the phones"), [i.agents for i in intervals], "required", step=True),
                charts.Line(_("to schedule"), [i.scheduled_agents for i in intervals], "planned", step=True),
            ],
            title=_("%(queue)s: agents needed", queue=requirement.queue.name),
            y_label=_("agents"),
        )
    )
    chosen = [i for i in intervals if i.interval_start.date() == day]
    per_day = []
    for d in days:
        rows = [i for i in intervals if i.interval_start.date() == d]
        hours = sum(i.scheduled_agents for i in rows) * requirement.forecast.interval_minutes / 60
        per_day.append(
            {
                "day": d,
                "contacts": sum(i.forecast for i in rows),
                "peak": max(i.agents for i in rows),
                "peak_scheduled": max(i.scheduled_agents for i in rows),
                "hours": hours,
            }
        )
    return {
        "id": requirement.id,
        "queue": requirement.queue.name,
        "queue_id": requirement.queue_id,
        "forecast_id": requirement.forecast_id,
        "targets": requirement.targets,
        "created_at": requirement.created_at,
        "chart": chart,
        "days": per_day,
        "day": day,
        "rows": [
            {
                "time": i.interval_start,
                "forecast": i.forecast,
                "aht": i.aht_seconds,
                "agents": i.agents,
                "scheduled": i.scheduled_agents,
                "service_level": i.service_level,
                "occupancy": i.occupancy,
                "asa": i.asa_seconds,
                "abandon": i.abandon_rate,
            }
            for i in chosen
        ],
        "total_hours": sum(d["hours"] for d in per_day),
    }
