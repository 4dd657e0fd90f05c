"""What the Today page shows, gathered from the database: per queue the day's forecast, actuals so far and
the re-forecast of the rest; the service level so far; the projected service level and the gap in agents
per remaining interval with the agents of the published roster; the suggested actions, ranked.

"Now" is the site's local time from `wfm.clock` unless the caller gives a moment (a planner looking at the
day as of an hour, the replayed demo day, tests). Agents answer the queue of their strongest skill among
the queues with work today (the roster does not say who answers which); the projection uses the
requirement's model (Erlang), never a simulation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
from sqlalchemy import func, select

from scheduling.forecast.calendar import build_calendar
from scheduling.forecast.reforecast import reforecast
from scheduling.history import HistoryError, history_from_frame
from scheduling.intraday import Activity, Mover, QueueDay, suggest
from scheduling.text import Sentence
from wfm import clock
from wfm.extensions import db
from wfm.forecasting.forecasts import special_days_for
from wfm.forecasting.requirements import target_for
from wfm.forecasting.service_level import skills_of
from wfm.formatting import counted
from wfm.intraday import simulated as simulation
from wfm.models import Agent, Forecast, ForecastInterval, HistoryInterval, Queue, QueueActual, Site
from wfm.rosters import offphone, truth

LEARNING_DAYS = 70
SIMULATED_NOTE = Sentence(
    "Projected service levels come from the simulator: the re-forecast contacts against the agents of the "
    "published roster, each answering every queue they are skilled for (their strongest first), breaks and "
    "activities included. Agents needed and the suggested actions use the requirement's model (Erlang)."
)
MODEL_NOTE = Sentence(
    "Projected service levels use the requirement's model (Erlang, with each queue's targets), not a "
    "simulation: agents answer the queue of their strongest skill."
)


def local_now(site: Site) -> dt.datetime:
    try:
        zone = ZoneInfo(site.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return (
        clock.utcnow().replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    )


def latest_actual_end(site: Site, day: dt.date) -> dt.datetime | None:
    """The end of the latest interval with actuals on `day` (the moment a replayed day has reached)."""
    start = dt.datetime.combine(day, dt.time())
    row = db.session.execute(
        select(func.max(QueueActual.interval_start), QueueActual.interval_minutes)
        .join(Queue)
        .where(
            Queue.site_id == site.id,
            QueueActual.interval_start >= start,
            QueueActual.interval_start < start + dt.timedelta(days=1),
        )
        .group_by(QueueActual.interval_minutes)
    ).first()
    return None if row is None or row[0] is None else row[0] + dt.timedelta(minutes=row[1])


@dataclass
class Interval:
    start: dt.datetime
    forecast: float
    reforecast: float | None
    actual: int | None
    aht_forecast: float | None
    aht_actual: float | None
    aht_reforecast: float | None
    agents: int | None = None
    required: int | None = None
    service_level: float | None = None

    @property
    def gap(self) -> int | None:
        return None if self.required is None or self.agents is None else self.required - self.agents


@dataclass
class QueueToday:
    queue: Queue
    intervals: list[Interval]
    interval_minutes: int
    level_ratio: float | None  # today against the forecast, as the re-forecast took it
    update: str | None
    note: str | None = None
    answered_in_time: int = 0
    answered: int = 0
    abandoned: int = 0
    offered: int = 0
    forecast_so_far: float = 0.0
    aht_so_far: float | None = None  # mean handle time of the contacts answered so far
    aht_forecast_so_far: float | None = None  # the forecast's for the same intervals, weighted alike

    @property
    def service_level_so_far(self) -> float | None:
        """Answered within the target over answered and abandoned (None before any contact ended)."""
        handled = self.answered + self.abandoned
        return self.answered_in_time / handled if handled else None

    @property
    def remaining(self) -> list[Interval]:
        return [i for i in self.intervals if i.reforecast is not None]


@dataclass
class Today:
    site: Site
    now: dt.datetime
    queues: list[QueueToday]
    actions: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    model_note: str = MODEL_NOTE


def _forecast_of(queue: Queue, day: dt.date) -> Forecast | None:
    """The latest forecast of the queue covering `day`."""
    candidates = db.session.scalars(
        select(Forecast)
        .where(Forecast.queue_id == queue.id, Forecast.start_date <= day)
        .order_by(Forecast.created_at.desc(), Forecast.id.desc())
    )
    return next((f for f in candidates if f.end_date >= day), None)


def _day_frame(forecast: Forecast, day: dt.date) -> pd.DataFrame:
    start = dt.datetime.combine(day, dt.time())
    rows = db.session.scalars(
        select(ForecastInterval).where(
            ForecastInterval.forecast_id == forecast.id,
            ForecastInterval.interval_start >= start,
            ForecastInterval.interval_start < start + dt.timedelta(days=1),
        )
    ).all()
    return pd.DataFrame(
        {
            "interval_start": pd.to_datetime([r.interval_start for r in rows]),
            "queue": forecast.queue.name,
            "forecast": [r.adjusted for r in rows],
            "lower": [r.lower for r in rows],
            "upper": [r.upper for r in rows],
            "aht_seconds": [np.nan if r.aht_seconds is None else r.aht_seconds for r in rows],
        }
    )


def _calendar(site: Site, day: dt.date):
    """The site's holidays, eves and special days: a holiday's morning does not carry into its afternoon."""
    years = range(day.year - 3, day.year + 2)
    try:
        return build_calendar(site.country, years, special_days_for(site.id))
    except ValueError:  # a country the holidays package does not know: ordinary days only
        return build_calendar(None, years, special_days_for(site.id))


def _history(queue: Queue, day: dt.date, actuals: list[QueueActual], minutes: int) -> pd.DataFrame:
    first = dt.datetime.combine(day - dt.timedelta(days=LEARNING_DAYS), dt.time())
    past = db.session.execute(
        select(
            HistoryInterval.interval_start,
            HistoryInterval.offered,
            HistoryInterval.handled,
            HistoryInterval.abandoned,
            HistoryInterval.aht_seconds,
        ).where(
            HistoryInterval.queue_id == queue.id,
            HistoryInterval.interval_start >= first,
            HistoryInterval.interval_start < dt.datetime.combine(day, dt.time()),
            HistoryInterval.interval_minutes == minutes,
        )
    ).all()
    rows = [tuple(r) for r in past] + [
        (a.interval_start, a.offered, a.answered, a.abandoned, a.aht_seconds) for a in actuals
    ]
    frame = pd.DataFrame(rows, columns=["interval_start", "offered", "handled", "abandoned", "aht_seconds"])
    frame["queue"] = queue.name
    return frame


def queue_today(queue: Queue, now: dt.datetime) -> QueueToday | None:
    """One queue's day, or None when no forecast covers it."""
    day = now.date()
    forecast = _forecast_of(queue, day)
    if forecast is None:
        return None
    minutes = forecast.interval_minutes
    planned = _day_frame(forecast, day)
    start = dt.datetime.combine(day, dt.time())
    actuals = db.session.scalars(
        select(QueueActual)
        .where(
            QueueActual.queue_id == queue.id,
            QueueActual.interval_start >= start,
            QueueActual.interval_start < now,
        )
        .order_by(QueueActual.interval_start)
    ).all()
    ended = [a for a in actuals if a.interval_start + dt.timedelta(minutes=a.interval_minutes) <= now]
    note, result = None, None
    if any(a.interval_minutes != minutes for a in ended):
        note = Sentence(
            "The actuals come in intervals other than the forecast's (%(minutes)s); the forecast is kept.",
            minutes=counted(minutes, "minute"),
        )
    elif not planned.empty and (past := _history(queue, day, ended, minutes)).shape[0]:
        try:
            history = history_from_frame(past, interval_minutes=minutes, latest=day)
            result = (
                reforecast(history, planned, now, calendar=_calendar(queue.site, day))
                if len(history.frame)
                else None
            )
        except HistoryError:
            note = Sentence("The stored history of this queue could not be read; the forecast is kept.")
    by_start = {a.interval_start: a for a in ended}
    planned_aht = {
        r.interval_start.to_pydatetime(): float(r.aht_seconds)
        for r in planned.itertuples()
        if not pd.isna(r.aht_seconds)
    }
    again = {} if result is None else result.frame.set_index("interval_start")
    first_left = now - dt.timedelta(minutes=(now.hour * 60 + now.minute) % minutes)
    intervals = []
    for row in planned.sort_values("interval_start").itertuples():
        moment = row.interval_start.to_pydatetime()
        actual = by_start.get(moment)
        later = moment >= first_left
        if later and result is not None and row.interval_start in again.index:
            refc, aht_refc = (
                float(again.loc[row.interval_start, "forecast"]),
                again.loc[row.interval_start, "aht_seconds"],
            )
        elif later:
            refc, aht_refc = float(row.forecast), row.aht_seconds
        else:
            refc = aht_refc = None
        intervals.append(
            Interval(
                start=moment,
                forecast=float(row.forecast),
                reforecast=refc,
                actual=actual.offered if actual else None,
                aht_forecast=None if pd.isna(row.aht_seconds) else float(row.aht_seconds),
                aht_actual=actual.aht_seconds if actual else None,
                aht_reforecast=None if aht_refc is None or pd.isna(aht_refc) else float(aht_refc),
            )
        )
    out = QueueToday(
        queue=queue,
        intervals=intervals,
        interval_minutes=minutes,
        level_ratio=None if result is None else result.ratios.get(queue.name),
        update=None
        if result is None or queue.name not in result.carries
        else result.carries[queue.name].label,
        note=note,
    )
    for a in ended:
        out.answered_in_time += a.answered_within_target
        out.answered += a.answered
        out.abandoned += a.abandoned
        out.offered += a.offered
    out.forecast_so_far = sum(i.forecast for i in intervals if i.actual is not None)
    if out.forecast_so_far <= 0:  # nothing has come due yet: no day to measure against the forecast
        out.level_ratio = None
    weighed = [(a.answered, a.aht_seconds, planned_aht.get(a.interval_start)) for a in ended if a.aht_seconds]
    weight = sum(w for w, _a, _f in weighed)
    if weight:
        out.aht_so_far = sum(w * a for w, a, _f in weighed) / weight
        known = [(w, f) for w, _a, f in weighed if f is not None]
        if known and sum(w for w, _f in known):
            out.aht_forecast_so_far = sum(w * f for w, f in known) / sum(w for w, _f in known)
    return out


def _published(site: Site, day: dt.date) -> list[dict]:
    rows = truth.seen_rows(site.id, {day - dt.timedelta(days=1), day})
    return [
        r for r in rows.values() if dt.datetime.fromisoformat(r["end"]) > dt.datetime.combine(day, dt.time())
    ]


def _primary_queues(
    agent_ids: list[int], queues: list[Queue], day: dt.date
) -> dict[int, tuple[Queue, list[Queue]]]:
    """agent -> (the queue they answer, every queue of today they are skilled for)."""
    skills = skills_of(agent_ids, day)
    out = {}
    for agent in agent_ids:
        held = skills.get(agent, {})
        able = [q for q in queues if held.get(q.skill_id, 0) >= q.min_proficiency]
        if able:
            primary = max(able, key=lambda q: (held[q.skill_id], -q.id))
            out[agent] = (primary, able)
    return out


def build(site: Site, now: dt.datetime | None = None) -> Today:
    now = now or local_now(site)
    day = now.date()
    queues = db.session.scalars(
        select(Queue).where(Queue.site_id == site.id, Queue.active.is_(True)).order_by(Queue.name)
    ).all()
    days = [q for q in (queue_today(queue, now) for queue in queues) if q is not None]
    today = Today(site=site, now=now, queues=days)
    if not days:
        today.notes.append(Sentence("No forecast covers this day for any queue of the site."))
        return today
    live = [q for q in days if not q.queue.channel.is_deferred and q.queue.answer_seconds]
    _project(today, live, day)
    return today


def _project(today: Today, live: list[QueueToday], day: dt.date) -> None:
    rows = _published(today.site, day)
    if not rows:
        today.notes.append(
            Sentence("No published roster speaks for this day: there are no agents to project with.")
        )
        return
    agent_ids = sorted({r["agent_id"] for r in rows})
    names = dict(db.session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(agent_ids))).all())
    primary = _primary_queues(agent_ids, [q.queue for q in live], day)
    queue_days = []
    for q in live:
        remaining = q.remaining
        if not remaining:
            continue
        step = dt.timedelta(minutes=q.interval_minutes)
        on = defaultdict(int)
        for r in rows:
            if r["agent_id"] in primary and primary[r["agent_id"]][0].id == q.queue.id:
                for k, interval in enumerate(remaining):
                    if _on_phones(r, interval.start, step):
                        on[k] += 1
        agents = np.array([on[k] for k in range(len(remaining))])
        aht = np.array([i.aht_reforecast or i.aht_forecast or q.queue.aht_seconds for i in remaining])
        calls = np.array([i.reforecast or 0.0 for i in remaining])
        minutes = np.array([i.start.hour * 60 + i.start.minute for i in remaining])
        projected = QueueDay(
            q.queue.name, target_for(q.queue), q.interval_minutes, calls, aht, agents, minutes
        )
        for k, interval in enumerate(remaining):
            interval.agents = int(agents[k])
            interval.required = int(projected.required[k])
            level = projected.service_level[k]
            interval.service_level = None if np.isnan(level) else float(level)
        queue_days.append((q, projected))
    simulated = simulation.project([q for q, _p in queue_days], rows, primary, names)
    if simulated is not None:
        today.model_note = SIMULATED_NOTE
        for q, _p in queue_days:
            for interval, level in zip(q.remaining, simulated[q.queue.name], strict=True):
                interval.service_level = level
    activities, movers = _activities_and_movers(rows, primary, names, queue_days)
    if queue_days:
        label = _labeller([q for q, _p in queue_days])
        actions = suggest([p for _q, p in queue_days], activities, movers, label)
        if simulated is not None:  # what the simulator says meets the target needs no help
            actions = [a for a in actions if a.kind == "time_off" or _short_by_simulation(a, queue_days)]
        today.actions = actions[:12]


def _short_by_simulation(action, queue_days: list) -> bool:
    """Whether the simulated service level of the action's queue over its intervals misses the target."""
    for q, _p in queue_days:
        if q.queue.name == action.queue:
            low, high = action.minutes
            span = [i for i in q.remaining if low <= i.start.hour * 60 + i.start.minute <= high]
            judged = [(i.reforecast or 0.0, i.service_level) for i in span if i.service_level is not None]
            calls = sum(c for c, _l in judged)
            if not calls:
                return False
            return sum(c * lvl for c, lvl in judged) / calls < (q.queue.service_level or 0)
    return True


def _activities_and_movers(
    rows: list[dict], primary: dict, names: dict, queue_days: list
) -> tuple[list, list]:
    """Trainings and meetings ahead, and agents who could answer another queue, per remaining interval."""
    activities, movers = [], []
    starts = {q.queue.name: [i.start for i in q.remaining] for q, _p in queue_days}
    for r in rows:
        if r["agent_id"] not in primary:
            continue
        queue, able = primary[r["agent_id"]]
        if queue.name not in starts:
            continue
        step = dt.timedelta(
            minutes=next(q.interval_minutes for q, _p in queue_days if q.queue.id == queue.id)
        )
        shift_start = dt.datetime.fromisoformat(r["start"])
        for item in offphone.activities(r.get("activities")):
            begin, end = item.at(shift_start)
            covered = tuple(k for k, s in enumerate(starts[queue.name]) if s < end and begin < s + step)
            if covered:
                activities.append(Activity(names.get(r["agent_id"], "?"), queue.name, item.name, covered))
        on = tuple(k for k, s in enumerate(starts[queue.name]) if _on_phones(r, s, step))
        others = tuple(q.name for q in able if q.id != queue.id)
        if on and others:
            movers.append(Mover(names.get(r["agent_id"], "?"), queue.name, others, on))
    return activities, movers


def _on_phones(row: dict, moment: dt.datetime, step: dt.timedelta) -> bool:
    start, end = dt.datetime.fromisoformat(row["start"]), dt.datetime.fromisoformat(row["end"])
    if not (start <= moment and moment + step <= end):
        return False
    away = offphone.spans(row.get("breaks")) + offphone.spans(row.get("activities"))
    return not any(
        start + dt.timedelta(minutes=a) < moment + step and moment < start + dt.timedelta(minutes=b)
        for a, b in away
    )


def _labeller(queues: list[QueueToday]):
    starts = {q.queue.name: [i.start for i in q.remaining] for q in queues}
    steps = {q.queue.name: dt.timedelta(minutes=q.interval_minutes) for q in queues}

    def label(queue: str, first: int, last: int) -> str:
        times = starts[queue]
        return f"{times[first]:%H:%M}–{times[min(last, len(times) - 1)] + steps[queue]:%H:%M}"

    return label
