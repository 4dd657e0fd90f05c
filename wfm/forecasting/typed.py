"""Forecasts a scheduler types for a queue with no history (a new channel, a new service): expected contacts
per weekday and a handle time, spread over each day like a similar queue's history or evenly over the
site's opening hours. Stored as an ordinary forecast (method "typed"), so requirements, plans and rosters
treat the queue like any other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wfm import sources
from wfm.extensions import db
from wfm.forecasting.forecasts import ForecastProblem
from wfm.formatting import counted
from wfm.i18n.dates import written
from wfm.models import Forecast, ForecastInterval, HistoryInterval, Queue, SpecialDay

DEFAULT_INTERVAL_MINUTES = 15
PROFILE_WEEKS = 8  # the borrowed pattern is the similar queue's last eight weeks before the first day


def queues_with_history(queue_ids: list[int], before: dt.date) -> set[int]:
    until = dt.datetime.combine(before, dt.time())
    return set(
        db.session.scalars(
            select(HistoryInterval.queue_id)
            .where(HistoryInterval.queue_id.in_(queue_ids), HistoryInterval.interval_start < until)
            .distinct()
        )
    )


def _opening(queue: Queue) -> dict[int, tuple[int, int]]:
    """Weekday -> (opens, closes) minutes; a site without opening hours is always open."""
    if not queue.site.opening_hours:
        return {d: (0, 1440) for d in range(7)}
    return {h.weekday: (h.opens_minute, h.closes_minute) for h in queue.site.opening_hours}


def _borrowed_shape(profile: Queue, before: dt.date, minutes: int) -> dict[int, dict[int, float]]:
    """Weekday -> {minute of the day: contacts} of the profile queue's recent history."""
    until = dt.datetime.combine(before, dt.time())
    rows = db.session.execute(
        select(HistoryInterval.interval_start, HistoryInterval.offered).where(
            HistoryInterval.queue_id == profile.id,
            HistoryInterval.interval_start < until,
            HistoryInterval.interval_start >= until - dt.timedelta(weeks=PROFILE_WEEKS),
        )
    ).all()
    shape: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for start, offered in rows:
        minute = (start.hour * 60 + start.minute) // minutes * minutes
        shape[start.weekday()][minute] += offered or 0.0
    return shape


def _profile_interval(profile: Queue, before: dt.date) -> int:
    minutes = db.session.scalar(
        select(HistoryInterval.interval_minutes)
        .where(
            HistoryInterval.queue_id == profile.id,
            HistoryInterval.interval_start < dt.datetime.combine(before, dt.time()),
        )
        .order_by(HistoryInterval.interval_start.desc())
        .limit(1)
    )
    return int(minutes or DEFAULT_INTERVAL_MINUTES)


# Whole sentences per weekday (a language may not put a day's name where English does).
NEGATIVE = (
    _l("Contacts on Mondays cannot be negative."),
    _l("Contacts on Tuesdays cannot be negative."),
    _l("Contacts on Wednesdays cannot be negative."),
    _l("Contacts on Thursdays cannot be negative."),
    _l("Contacts on Fridays cannot be negative."),
    _l("Contacts on Saturdays cannot be negative."),
    _l("Contacts on Sundays cannot be negative."),
)
CLOSED = (
    _l("The site is closed on Mondays: leave that day at 0 or change its opening hours."),
    _l("The site is closed on Tuesdays: leave that day at 0 or change its opening hours."),
    _l("The site is closed on Wednesdays: leave that day at 0 or change its opening hours."),
    _l("The site is closed on Thursdays: leave that day at 0 or change its opening hours."),
    _l("The site is closed on Fridays: leave that day at 0 or change its opening hours."),
    _l("The site is closed on Saturdays: leave that day at 0 or change its opening hours."),
    _l("The site is closed on Sundays: leave that day at 0 or change its opening hours."),
)


def _check(queue: Queue, per_weekday: dict[int, float], aht_seconds: float) -> None:
    """Refuse, naming the field, volumes that cannot be placed."""
    if aht_seconds is None or aht_seconds <= 0:
        raise ForecastProblem("aht_seconds", _("Give the handle time in seconds, more than zero."))
    for weekday, volume in per_weekday.items():
        if volume < 0:
            raise ForecastProblem(f"weekday_{weekday}", str(NEGATIVE[weekday]))
    if sum(per_weekday.values()) <= 0:
        raise ForecastProblem("weekday_0", _("Type the contacts expected on at least one weekday."))
    opening = _opening(queue)
    for weekday, volume in sorted(per_weekday.items()):
        opens, closes = opening.get(weekday, (0, 0))
        if volume > 0 and closes <= opens:
            raise ForecastProblem(f"weekday_{weekday}", str(CLOSED[weekday]))


def _profile_queue(queue: Queue, profile_queue_id: int | None, start: dt.date) -> Queue | None:
    if profile_queue_id is None:
        return None
    profile = db.session.get(Queue, profile_queue_id)
    if profile is None or profile.site_id != queue.site_id or profile.id == queue.id:
        raise ForecastProblem("profile", _("Choose a queue of the same site to borrow the pattern from."))
    if not queues_with_history([profile.id], start):
        raise ForecastProblem(
            "profile",
            _(
                "%(queue)s has no history before %(day)s to borrow a pattern from.",
                queue=profile.name,
                day=written(start, "day_month_year"),
            ),
        )
    return profile


def _spread(
    queue: Queue,
    start: dt.date,
    days: int,
    per_weekday: dict[int, float],
    shape: dict[int, dict[int, float]],
    minutes: int,
) -> tuple[list[tuple[dt.datetime, float]], set[int]]:
    """(interval start, contacts) for every open interval of the horizon, and the weekdays spread evenly
    because the borrowed pattern had nothing inside the opening hours. Special days count: closed days get
    nothing, an uplift scales the day, 'like another day' takes that day's weekday."""
    opening = _opening(queue)
    special = {
        s.day: s for s in db.session.scalars(select(SpecialDay).where(SpecialDay.site_id == queue.site_id))
    }
    rows, even = [], set()
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        like = special.get(day)
        if like is not None and like.closed:
            continue
        weekday = (like.like_day if like is not None and like.like_day else day).weekday()
        volume = per_weekday.get(weekday, 0.0) * (like.uplift if like is not None else 1.0)
        opens, closes = opening.get(day.weekday(), (0, 0))
        open_slots = [m for m in range(0, 1440, minutes) if opens <= m < closes]
        if not open_slots or volume <= 0:
            continue
        weights = {m: shape.get(weekday, {}).get(m, 0.0) for m in open_slots}
        if sum(weights.values()) <= 0:  # nothing borrowed inside the opening hours: spread evenly
            if shape:
                even.add(weekday)
            weights = dict.fromkeys(open_slots, 1.0)
        total = sum(weights.values())
        midnight = dt.datetime.combine(day, dt.time())
        rows += [(midnight + dt.timedelta(minutes=m), volume * w / total) for m, w in weights.items()]
    return rows, even


def _notes(per_weekday: dict[int, float], aht_seconds: float, profile: Queue | None, even: set[int]) -> list:
    """What the forecast was made from, in the words of the scheduler who typed it (kept with it)."""
    notes = [
        _(
            "Volumes typed by a scheduler: %(volumes)s contacts; handle time %(aht)s s.",
            volumes=", ".join(f"{_weekday(d)} {per_weekday.get(d, 0):g}" for d in range(7)),
            aht=f"{aht_seconds:g}",
        )
    ]
    if profile is None:
        return [*notes, _("Spread evenly over the site's opening hours.")]
    notes.append(
        _(
            "Spread over each day like the last %(weeks)s of %(queue)s on the same weekday.",
            weeks=counted(PROFILE_WEEKS, "week"),
            queue=profile.name,
        )
    )
    if even:
        notes.append(
            _(
                "%(queue)s had no contacts inside the opening hours on %(days)s: those days are spread "
                "evenly over the opening hours.",
                queue=profile.name,
                days=", ".join(_weekday(d, "long_weekday") for d in sorted(even)),
            )
        )
    return notes


def _weekday(weekday: int, form: str = "long_weekday") -> str:
    """A weekday's name in the reader's language, 0 being Monday."""
    return written(dt.date(2024, 1, 1) + dt.timedelta(days=weekday), form)


def make_typed_forecast(
    queue: Queue,
    start: dt.date,
    days: int,
    per_weekday: dict[int, float],
    aht_seconds: float,
    profile_queue_id: int | None,
    user_id: int | None,
) -> Forecast:
    """Store a forecast of `queue` from typed volumes (flush only). Raises ForecastProblem naming the field
    (weekday_N, aht_seconds, profile) when the volumes cannot be placed."""
    _check(queue, per_weekday, aht_seconds)
    profile = _profile_queue(queue, profile_queue_id, start)
    minutes = _profile_interval(profile, start) if profile else DEFAULT_INTERVAL_MINUTES
    shape = _borrowed_shape(profile, start, minutes) if profile else {}
    rows, even = _spread(queue, start, days, per_weekday, shape, minutes)
    record = Forecast(
        queue_id=queue.id,
        start_date=start,
        days=days,
        interval_minutes=minutes,
        method="typed",
        requested_method="typed",
        backtest=[],
        notes=_notes(per_weekday, aht_seconds, profile, even),
        typed={
            "per_weekday": {str(d): float(per_weekday.get(d, 0.0)) for d in range(7)},
            "aht_seconds": float(aht_seconds),
            "profile_queue_id": profile.id if profile else None,
            "interval_minutes": minutes,
        },
        created_by_id=user_id,
    )
    db.session.add(record)
    db.session.flush()
    for moment, value in rows:
        record.intervals.append(
            ForecastInterval(
                interval_start=moment,
                forecast=value,
                lower=value,
                upper=value,
                adjusted=value,
                aht_seconds=float(aht_seconds),
            )
        )
    db.session.flush()
    sources.stamp(record)
    db.session.flush()
    return record


def typed_again(record: Forecast, user_id: int | None) -> Forecast:
    """The same typed volumes made again (its "out of date: rebuild" when the borrowed pattern changed)."""
    typed = record.typed or {}
    return make_typed_forecast(
        record.queue,
        record.start_date,
        record.days,
        {int(d): v for d, v in typed.get("per_weekday", {}).items()},
        typed.get("aht_seconds"),
        typed.get("profile_queue_id"),
        user_id,
    )
