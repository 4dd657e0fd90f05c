"""Forecasts in the database: made by a background job from stored history, adjusted by schedulers
(every change logged), and compared with actuals once they arrive."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pandas as pd
from flask_babel import gettext as _
from sqlalchemy import select

from scheduling.forecast import ForecastOptions, SpecialDay, accuracy, forecast
from scheduling.history import IntervalHistory
from wfm import sources
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.forecasting.history import load_history
from wfm.forecasting.window import HISTORY_DAYS
from wfm.formatting import counted
from wfm.i18n import translate
from wfm.jobs import JobContext, job_function
from wfm.models import Forecast, ForecastAdjustment, ForecastInterval, HistoryInterval, Queue
from wfm.models import SpecialDay as SpecialDayRow


class ForecastProblem(FieldError):
    """A forecast that cannot be made from the history or the days asked."""


def special_days_for(site_id: int) -> tuple[SpecialDay, ...]:
    rows = db.session.scalars(select(SpecialDayRow).where(SpecialDayRow.site_id == site_id)).all()
    return tuple(
        SpecialDay(day=r.day, uplift=r.uplift, like=r.like_day, closed=r.closed, name=r.name) for r in rows
    )


@job_function("forecast")
def run_forecast(ctx: JobContext, queue_ids: list[int], start: str, days: int, method: str = "auto") -> dict:
    """Forecast the queues from their history before `start`; store one Forecast per queue."""
    queues = [db.session.get(Queue, qid) for qid in queue_ids]
    queues = [q for q in queues if q is not None]
    if not queues:
        raise ForecastProblem("queue_ids", _("none of the queues exists any more"))
    first_day = dt.date.fromisoformat(start)
    start_at = dt.datetime.combine(first_day, dt.time())
    ctx.progress(0.05, _("Reading history"))
    history = load_history(queues, before=start_at, since=start_at - dt.timedelta(days=HISTORY_DAYS))
    if history is None:
        raise ForecastProblem("queue_ids", _("the queues have no history before the start date"))
    site = queues[0].site
    options = ForecastOptions(method=method, country=site.country, special_days=special_days_for(site.id))
    with_history = [q for q in queues if q.name in set(history.queues)]
    results = []
    for position, queue in enumerate(with_history):
        ctx.progress(0.1 + 0.8 * position / len(with_history), _("Forecasting %(queue)s", queue=queue.name))
        one = IntervalHistory(
            history.frame[history.frame["queue"] == queue.name].reset_index(drop=True),
            history.interval_minutes,
        )
        results.append((queue, forecast(one, first_day, days, options), one))
    ctx.progress(0.95, _("Saving"))
    # All writes come last, in the job's one transaction: progress reports cannot wait on them.
    made = []
    for queue, result, one in results:
        frame, outside = within_opening_hours(result.frame, site)
        notes = [translate(note) for note in result.notes] + (
            [
                _(
                    "%(contacts)s contacts forecast outside the site's opening hours were left out",
                    contacts=f"{outside:,.1f}",
                )
            ]
            if outside > 0.05
            else []
        )
        made.append(
            _store(
                queue, replace(result, frame=frame, notes=notes), first_day, days, method, ctx.user_id, one
            )
        )
    skipped = [q.name for q in queues if q not in with_history]
    message = (
        _(
            "Forecast %(queues)s; no history for %(skipped)s",
            queues=counted(len(made), "queue"),
            skipped=", ".join(skipped),
        )
        if skipped
        else _("Forecast %(queues)s", queues=counted(len(made), "queue"))
    )
    url = f"/planning/forecasts/{made[0].id}" if len(made) == 1 else "/planning/forecasts"
    return {"forecast_ids": [f.id for f in made], "url": url, "message": message}


def within_opening_hours(frame: pd.DataFrame, site) -> tuple[pd.DataFrame, float]:
    """Keep the intervals that start while the site is open; return them and the volume left out.

    A site without opening hours is taken as always open.
    """
    if not site.opening_hours or frame.empty:
        return frame, 0.0
    hours = {h.weekday: (h.opens_minute, h.closes_minute) for h in site.opening_hours}
    starts = pd.to_datetime(frame["interval_start"])
    minute = (starts.dt.hour * 60 + starts.dt.minute).to_numpy()
    weekday = starts.dt.day_of_week.to_numpy()
    opens = np.array([hours.get(d, (0, 0))[0] for d in range(7)])[weekday]
    closes = np.array([hours.get(d, (0, 0))[1] for d in range(7)])[weekday]
    inside = (minute >= opens) & (minute < closes)
    return frame[inside].reset_index(drop=True), float(frame.loc[~inside, "forecast"].sum())


def _clean(value):
    if isinstance(value, float | np.floating) and not math.isfinite(float(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _store(
    queue: Queue, result, first_day: dt.date, days: int, requested: str, user_id: int | None, history
) -> Forecast:
    frame = result.frame
    backtest = [{k: _clean(v) for k, v in row.items()} for row in result.backtest.to_dict("records")]
    record = Forecast(
        queue_id=queue.id,
        start_date=first_day,
        days=days,
        interval_minutes=result.interval_minutes,
        method=result.methods.get(queue.name, requested),
        requested_method=requested,
        history_from=history.frame["interval_start"].min().to_pydatetime(),
        history_to=history.frame["interval_start"].max().to_pydatetime(),
        backtest=backtest,
        notes=list(result.notes),
        created_by_id=user_id,
    )
    db.session.add(record)
    db.session.flush()
    sources.stamp(record)
    rows = [
        {
            "forecast_id": record.id,
            "interval_start": s.to_pydatetime(),
            "forecast": float(f),
            "lower": float(lo),
            "upper": float(up),
            "adjusted": float(f),
            "aht_seconds": _clean(float(a)),
        }
        for s, f, lo, up, a in zip(
            frame["interval_start"],
            frame["forecast"],
            frame["lower"],
            frame["upper"],
            frame["aht_seconds"],
            strict=True,
        )
    ]
    if rows:
        db.session.execute(ForecastInterval.__table__.insert(), rows)
    return record


def adjust(
    record: Forecast, start: dt.datetime, end: dt.datetime, percent: float, reason: str, user_id: int | None
) -> ForecastAdjustment:
    """Scale the adjusted forecast in [start, end) by `percent`; the change is logged with its effect."""
    if end <= start:
        raise ForecastProblem("end", _("the end must come after the start"))
    if percent <= -100:
        raise ForecastProblem("percent", _("a forecast cannot go below zero (use -100 % for nothing)"))
    chosen = [i for i in record.intervals if start <= i.interval_start < end]
    if not chosen:
        raise ForecastProblem("start", _("no forecast intervals fall in that range"))
    before = sum(i.adjusted for i in chosen)
    for interval in chosen:
        interval.adjusted = interval.adjusted * (1 + percent / 100)
    change = ForecastAdjustment(
        forecast_id=record.id,
        start=start,
        end=end,
        percent=percent,
        reason=reason.strip(),
        intervals=len(chosen),
        volume_before=before,
        volume_after=sum(i.adjusted for i in chosen),
        created_by_id=user_id,
    )
    db.session.add(change)
    db.session.flush()
    return change


def actuals_for(record: Forecast) -> dict[dt.datetime, float]:
    """Observed volume in the forecast's horizon, coarsened to the forecast's intervals."""
    start = dt.datetime.combine(record.start_date, dt.time())
    end = start + dt.timedelta(days=record.days)
    rows = db.session.execute(
        select(HistoryInterval.interval_start, HistoryInterval.offered).where(
            HistoryInterval.queue_id == record.queue_id,
            HistoryInterval.interval_start >= start,
            HistoryInterval.interval_start < end,
        )
    ).all()
    if not rows:
        return {}
    frame = pd.DataFrame(rows, columns=["interval_start", "offered"])
    frame["interval_start"] = pd.to_datetime(frame["interval_start"]).dt.floor(
        f"{record.interval_minutes}min"
    )
    summed = frame.groupby("interval_start")["offered"].sum()
    return {t.to_pydatetime(): float(v) for t, v in summed.items()}


def accuracy_of(record: Forecast) -> dict | None:
    """Forecast versus actual over the days that have actuals: wMAPE, RMSE, bias and the Poisson floor,
    for the engine's forecast and for the adjusted one."""
    actual = actuals_for(record)
    if not actual:
        return None
    days_with_actuals = {t.date() for t in actual}
    compared = [i for i in record.intervals if i.interval_start.date() in days_with_actuals]
    # Intervals the forecast called closed but that had contacts count as misses too.
    forecast_times = {i.interval_start for i in compared}
    missed = [v for t, v in actual.items() if t not in forecast_times]
    y = np.array([actual.get(i.interval_start, 0.0) for i in compared] + missed)
    engine = np.array([i.forecast for i in compared] + [0.0] * len(missed))
    adjusted = np.array([i.adjusted for i in compared] + [0.0] * len(missed))
    return {
        "days": len(days_with_actuals),
        "engine": accuracy(y, engine).as_dict(),
        "adjusted": accuracy(y, adjusted).as_dict(),
        "actual_total": float(y.sum()),
    }


def latest_forecasts(queue_ids: list[int]) -> dict[int, Forecast]:
    latest: dict[int, Forecast] = {}
    for record in db.session.scalars(
        select(Forecast).where(Forecast.queue_id.in_(queue_ids)).order_by(Forecast.created_at, Forecast.id)
    ):
        latest[record.queue_id] = record
    return latest
