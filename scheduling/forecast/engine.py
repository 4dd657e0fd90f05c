"""The forecast: per queue, choose a method (or use the one asked for), plan the days, forecast.

Order of work per queue: build the day x slot matrix; keep holidays, eves, special and anomalous days
out of learning; clip single-interval spikes; backtest the candidate methods at weekly origins; pick the
best by wMAPE (``auto``); forecast the horizon with it; drop closed days and intervals; add prediction
bounds (from the backtest residuals) and handle time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from scheduling.forecast.backtest import COMBINATIONS, backtest, run_methods
from scheduling.forecast.bands import DEFAULT_DISPERSION, prediction_bounds, rate_dispersion
from scheduling.forecast.calendar import Calendar, SpecialDay, build_calendar, plan_days
from scheduling.forecast.handle_time import forecast_handle_time
from scheduling.forecast.methods import METHODS, MIN_HW_WEEKS
from scheduling.forecast.series import QueueSeries, build_series, clip_outliers, mark_anomalous_days
from scheduling.history import IntervalHistory
from scheduling.text import Sentence

METHOD_NAMES = (*METHODS, *COMBINATIONS)
FORECAST_COLUMNS = ("interval_start", "queue", "forecast", "lower", "upper", "aht_seconds")
BACKTEST_COLUMNS = ("queue", "method", "wmape", "rmse", "bias", "floor", "ratio", "origins", "chosen")
OPEN_WEEKS = 12  # an interval is open if it had volume on this weekday within the last 12 weeks
FALLBACK = "weighted_average"


@dataclass(frozen=True)
class ForecastOptions:
    """``method``: "auto" or one of METHOD_NAMES. ``country``: holidays package code (e.g. "IL", "US").
    ``origins``: weekly backtest origins for auto selection and bounds; ``coverage`` of the bounds."""

    method: str = "auto"
    country: str | None = None
    subdivision: str | None = None
    special_days: tuple[SpecialDay, ...] = ()
    coverage: float = 0.9
    origins: int = 4
    backtest_days: int = 7
    candidates: tuple[str, ...] = METHOD_NAMES
    clip: bool = True


@dataclass(frozen=True)
class ForecastResult:
    """``frame``: FORECAST_COLUMNS, one row per open (queue, interval) of the horizon (aht_seconds NaN
    when the history has none). ``methods``: chosen method per queue. ``backtest``: BACKTEST_COLUMNS, one
    row per queue and method tried. ``notes``: fallbacks, holidays and warnings, for the user to read."""

    frame: pd.DataFrame
    methods: dict[str, str]
    backtest: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    interval_minutes: int = 15


def forecast(
    history: IntervalHistory, start: date, days: int, options: ForecastOptions | None = None
) -> ForecastResult:
    """Forecast every queue of ``history`` for ``days`` days from ``start`` (local dates).

    Only history before ``start`` is used, so a start inside the history gives an honest forecast that
    can be compared with what then happened.
    """
    options = options or ForecastOptions()
    _check(options, days)
    series_by_queue = build_series(history)
    first = next(iter(series_by_queue.values())).dates[0].date()
    if start <= first:
        raise ValueError(f"start: {start} must be after the first history day {first}")
    end = start + timedelta(days=days - 1)
    calendar = build_calendar(
        options.country, range(first.year, end.year + 1), options.special_days, options.subdivision
    )
    targets = pd.date_range(start, end, freq="D")
    frames: list[pd.DataFrame] = []
    methods: dict[str, str] = {}
    tables: list[pd.DataFrame] = []
    notes: list[str] = []
    for queue, series in series_by_queue.items():
        frame, method, table, queue_notes = _forecast_queue(series, calendar, targets, options)
        frames.append(frame)
        methods[queue] = method
        tables.append(table)
        notes.extend(Sentence("%(queue)s: %(note)s", queue=queue, note=n) for n in queue_notes)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FORECAST_COLUMNS)
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=BACKTEST_COLUMNS)
    return ForecastResult(
        frame=frame, methods=methods, backtest=table, notes=notes, interval_minutes=history.interval_minutes
    )


def _check(options: ForecastOptions, days: int) -> None:
    if options.method != "auto" and options.method not in METHOD_NAMES:
        raise ValueError(f"method: {options.method!r} is not auto or one of {', '.join(METHOD_NAMES)}")
    unknown = [c for c in options.candidates if c not in METHOD_NAMES]
    if unknown:
        raise ValueError(f"candidates: unknown method(s) {unknown}")
    if days < 1:
        raise ValueError(f"days: {days} must be at least 1")
    if options.origins < 0:
        raise ValueError(f"origins: {options.origins} must be >= 0")
    if not 0 < options.coverage < 1:
        raise ValueError(f"coverage: {options.coverage} must be between 0 and 1")


def prepare(series: QueueSeries, calendar: Calendar, clip: bool = True) -> QueueSeries:
    """Mark the days to learn from and clip spikes (public so benches and pages can inspect it)."""
    prepared = replace(series, usable=series.usable & ~calendar.unusual(series.dates))
    prepared = mark_anomalous_days(prepared)
    return clip_outliers(prepared) if clip else prepared


def forecast_days(
    fit: QueueSeries, raw: np.ndarray, calendar: Calendar, targets: pd.DatetimeIndex, names: list[str]
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], list[str]]:
    """Forecast ``targets`` (dates after ``fit``) with each of ``names``: {name: (forecast, open mask)}.

    ``raw`` holds the unclipped history values (at least ``fit``'s rows) for "like another date" days.
    """
    plan = plan_days(targets, calendar, fit.dates, raw[: len(fit.dates)], fit.usable)
    steps = (targets - fit.dates[-1]).days.to_numpy() - 1
    forecasts = run_methods(fit, steps, plan.act_weekday, names)
    open_mask = _open_slots(fit)[plan.act_weekday]
    like = plan.like_row >= 0
    if like.any():
        open_mask[like] |= raw[plan.like_row[like]] > 0
    open_mask[plan.closed] = False
    out = {}
    for name, values in forecasts.items():
        values = values * plan.factor[:, None]
        if like.any():
            values[like] = raw[plan.like_row[like]] * plan.factor[like, None]
        out[name] = (np.where(open_mask, values, 0.0), open_mask)
    return out, plan.notes


def _open_slots(fit: QueueSeries) -> np.ndarray:
    """7 x slots: intervals with any volume on that weekday in the recent weeks (else: closed)."""
    mask = np.zeros((7, fit.slots), dtype=bool)
    for w in range(7):
        rows = np.flatnonzero(fit.usable & (fit.weekday == w))[-OPEN_WEEKS:]
        if len(rows):
            mask[w] = (fit.values[rows] > 0).any(axis=0)
    # A weekday the history never reached (under a week of history) follows the average day; one it
    # reached without a single ordinary day of volume (absent from the file, or all zero) is closed.
    unseen = [w for w in range(7) if not (fit.weekday == w).any()]
    mask[unseen] = mask.any(axis=0)
    return mask


def _forecast_queue(
    series: QueueSeries, calendar: Calendar, targets: pd.DatetimeIndex, options: ForecastOptions
) -> tuple[pd.DataFrame, str, pd.DataFrame, list[str]]:
    notes: list[str] = []
    origin = int(min((targets[0] - series.dates[0]).days, len(series.dates)))
    raw = series.values
    fit = prepare(series, calendar, options.clip).upto(origin)
    if not fit.usable.any():
        raise ValueError(f"history: queue {series.queue} has no ordinary day before {targets[0].date()}")
    usable_weekdays = set(fit.weekday[fit.usable].tolist())
    if len(usable_weekdays) < 7 or fit.usable.sum() < 14:
        notes.append(
            Sentence(
                "short history (%(days)s ordinary days): weekdays without history follow the average day",
                days=int(fit.usable.sum()),
            )
        )

    names = list(options.candidates) if options.method == "auto" else [options.method]
    if options.method == "auto" and len(fit.dates) < 7 * MIN_HW_WEEKS:
        names = [n for n in names if n not in ("holt_winters", "combined")] or [FALLBACK]
        notes.append(
            Sentence(
                "under %(weeks)s weeks of history: holt_winters and combined not tried", weeks=MIN_HW_WEEKS
            )
        )

    def day_forecaster(before: QueueSeries, dates: pd.DatetimeIndex, which: list[str]):
        return forecast_days(before, raw, calendar, dates, which)[0]

    test = backtest(fit, raw[:origin], names, options.origins, options.backtest_days, day_forecaster)
    if options.method != "auto":
        method = options.method
    elif test.scores:
        method = min(test.scores, key=lambda n: (np.nan_to_num(test.scores[n].wmape, nan=np.inf), n))
    else:
        method = FALLBACK
        notes.append(Sentence("history too short to backtest: used %(method)s", method=FALLBACK))
    if method in ("holt_winters", "combined") and len(fit.dates) < 7 * MIN_HW_WEEKS:
        notes.append(
            Sentence(
                "%(method)s needs %(weeks)s weeks of history: daily totals from top_down instead",
                method=method,
                weeks=MIN_HW_WEEKS,
            )
        )

    results, plan_notes = forecast_days(fit, raw, calendar, targets, [method])
    notes.extend(plan_notes)
    values, open_mask = results[method]
    dispersion = rate_dispersion(*test.pairs[method]) if method in test.pairs else DEFAULT_DISPERSION
    lower, upper = prediction_bounds(values, dispersion, options.coverage)
    plan = plan_days(targets, calendar, fit.dates, raw[:origin], fit.usable)
    aht = forecast_handle_time(fit, plan.act_weekday)
    frame = _rows(series, targets, values, lower, upper, aht, open_mask)
    table = pd.DataFrame(
        [
            {
                "queue": series.queue,
                "method": name,
                **{k: getattr(s, k) for k in ("wmape", "rmse", "bias", "floor", "ratio")},
                "origins": test.origins,
                "chosen": name == method,
            }
            for name, s in test.scores.items()
        ],
        columns=list(BACKTEST_COLUMNS),
    )
    return frame, method, table, notes


def _rows(
    series: QueueSeries,
    targets: pd.DatetimeIndex,
    values: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    aht: np.ndarray | None,
    open_mask: np.ndarray,
) -> pd.DataFrame:
    day, slot = np.nonzero(open_mask)
    starts = targets[day] + pd.to_timedelta(slot * series.interval_minutes, unit="min")
    return pd.DataFrame(
        {
            "interval_start": starts,
            "queue": series.queue,
            "forecast": values[day, slot],
            "lower": lower[day, slot],
            "upper": upper[day, slot],
            "aht_seconds": aht[day, slot] if aht is not None else np.nan,
        }
    )
