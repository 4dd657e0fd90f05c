"""Re-forecast the rest of the day from the day's forecast and the actuals so far.

A busy morning says something about the afternoon, but not everything: part of a morning's surprise is
the day's level (it carries on), part is noise or a passing burst (it does not). The update is the
posterior mean of the day's level under a gamma prior centred on the forecast, as in Bayesian intraday
updating (Weinberg, Brown & Stroud 2007), with a carry factor on top::

    ratio = 1 + carry * (A - F) / (F + prior)

where A and F are the actual and forecast contacts of the elapsed intervals (weighted by recency with a
half-life, so a burst an hour ago counts more than one at opening), ``prior`` is the prior's weight in
contacts (a gamma prior Gamma(prior, prior) on the level: the larger, the less a quiet morning moves it)
and ``carry`` the share of the surprise that persists. The remaining intervals' forecast (and its bounds)
are multiplied by the ratio. ``carry = 0`` keeps the forecast; ``carry = 1, prior = 0`` is the plain
morning ratio.

Which values: chosen per queue by backtest on the queue's own history. For each of the last ordinary days
before today, the forecast planning would have had is made from the history before that day's week
(the ``top_down`` method: the engine's usual choice on daily-patterned queues), cut at the same time of day
as now, and every (carry, prior, half-life) on a small grid is scored by the wMAPE of the rest of that day;
the best wins (the grid holds "keep the forecast" and "the morning ratio", so neither is forced).
A holiday, eve or special day (when the calendar is given) does not go on like an ordinary day: its
update is learned the same way from the past such days alone, and with too few of them in the history
the forecast is kept (no update), since an ordinary morning's carry says nothing of how a special day goes
on. Tomorrow, when asked, moves by ``carry_next`` times today's surprise, learned the same way on the
following days.

Handle time is updated by the morning's ratio of actual to forecast handle time, weighted by contacts
handled and shrunk towards the forecast by ``AHT_PRIOR_CONTACTS``; it is not backtested (the reference
history has no handle times per interval).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import product

import numpy as np
import pandas as pd

from scheduling.forecast.calendar import Calendar
from scheduling.forecast.engine import FORECAST_COLUMNS, forecast_days, prepare
from scheduling.forecast.methods import top_down
from scheduling.forecast.series import QueueSeries, build_series, clip_outliers, mark_anomalous_days
from scheduling.history import IntervalHistory
from scheduling.text import Sentence

CARRIES = (0.0, 0.25, 0.5, 0.75, 1.0)
PRIORS = (0.0, 25.0, 50.0, 100.0, 200.0, 400.0, 800.0)  # contacts
HALF_LIVES_HOURS = (None, 1.0, 2.0, 4.0)  # None: every elapsed interval weighs the same
CARRIES_NEXT = (0.0, 0.25, 0.5, 0.75, 1.0)
BACKTEST_DAYS = 56
MIN_BACKTEST_DAYS = 7
MIN_SPECIAL_DAYS = 4  # past open holidays, eves or special days needed to learn a special day's update
AHT_PRIOR_CONTACTS = 100.0
WEEK_AHEAD = 7  # the backtest's forecasts are made from the history a week before the day
BACKTEST_COLUMNS = ("queue", "carry", "prior", "half_life_hours", "wmape", "floor", "ratio", "days", "chosen")


@dataclass(frozen=True)
class Carry:
    """How much of the day's surprise so far moves the rest of it (see the module's docstring)."""

    carry: float = 0.0
    prior: float = 0.0
    half_life_hours: float | None = None
    carry_next: float = 0.0
    bounds: tuple[float, float] = (0.0, math.inf)  # the rest-of-day ratios the backtest days saw

    @property
    def label(self) -> str:
        if self.carry == 0:
            return Sentence("forecast kept")
        if self.carry == 1 and self.prior == 0 and self.half_life_hours is None:
            return Sentence("morning ratio")
        carry, prior, hours = f"{self.carry:.0%}", f"{self.prior:g}", f"{self.half_life_hours or 0:g}"
        if self.half_life_hours is None:
            return Sentence(
                "carry %(carry)s of the surprise, prior %(prior)s contacts", carry=carry, prior=prior
            )
        return Sentence(
            "carry %(carry)s of the surprise, prior %(prior)s contacts, half-life %(hours)s h",
            carry=carry,
            prior=prior,
            hours=hours,
        )

    def ratio(self, actual: np.ndarray, forecast: np.ndarray, interval_minutes: int) -> float:
        """The level of the rest of the day relative to the forecast, from the elapsed intervals."""
        if self.carry == 0 or not len(actual):
            return 1.0
        weights = _recency(len(actual), interval_minutes, self.half_life_hours)
        a, f = float(weights @ actual), float(weights @ forecast)
        if f + self.prior <= 0:
            return 1.0
        return float(np.clip(1.0 + self.carry * (a - f) / (f + self.prior), *self.bounds))


@dataclass(frozen=True)
class ReforecastResult:
    """``frame``: FORECAST_COLUMNS for every forecast interval from the one holding ``now`` to the end of
    the day (and tomorrow when asked); ``carries``: per queue the update chosen; ``ratios``: per queue
    today's level against the forecast; ``backtest``: BACKTEST_COLUMNS per queue and candidate scored;
    ``notes``: what the user should know (no history, too few days to learn from...)."""

    frame: pd.DataFrame
    carries: dict[str, Carry]
    ratios: dict[str, float]
    backtest: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def reforecast(
    history: IntervalHistory,
    forecast_frame: pd.DataFrame,
    now: datetime,
    tomorrow: bool = False,
    backtest_days: int = BACKTEST_DAYS,
    calendar: Calendar | None = None,
) -> ReforecastResult:
    """Re-forecast the rest of ``now``'s day (and the next day when ``tomorrow``) for every queue of
    ``forecast_frame`` (FORECAST_COLUMNS, naive local times). ``history`` holds actuals up to ``now``
    (later rows are ignored); it also holds the past days the update is learned from. With a
    ``calendar``, a holiday, eve or special day learns its update from past such days only (see
    :func:`learn_special_carry`), and ordinary days learn from ordinary days only."""
    frame = _checked_forecast(forecast_frame)
    minutes = history.interval_minutes
    day = pd.Timestamp(now).normalize()
    cut = (now.hour * 60 + now.minute) // minutes  # intervals before it have ended
    known = history.frame[
        history.frame["interval_start"] < pd.Timestamp(day) + pd.Timedelta(minutes=cut * minutes)
    ]
    series_by_queue = build_series(IntervalHistory(known, minutes)) if len(known) else {}
    out, carries, ratios, tables, notes = [], {}, {}, [], []
    for queue, planned in frame.groupby("queue", sort=True):
        today = _day_rows(planned, day, minutes)
        if today is None:
            notes.append(f"{queue}: the forecast does not cover {day:%Y-%m-%d}; nothing re-forecast")
            continue
        series = series_by_queue.get(str(queue))
        if series is None:
            notes.append(f"{queue}: no history; the forecast is kept")
            carry, table = Carry(), None
            actual = np.zeros(cut)
        else:
            if calendar is not None and bool(calendar.unusual(pd.DatetimeIndex([day]))[0]):
                carry, table, note = learn_special_carry(series, day, cut, calendar)
            else:
                carry, table, note = learn_carry(series, day, cut, backtest_days, calendar)
            if note:
                notes.append(f"{queue}: {note}")
            actual = _today_actual(series, day, cut)
        ratio = carry.ratio(actual, today["forecast_slots"][:cut], minutes)
        carries[str(queue)], ratios[str(queue)] = carry, ratio
        if table is not None:
            tables.append(table.assign(queue=str(queue)))
        rest = today["rows"][today["rows"]["interval_start"] >= day + pd.Timedelta(minutes=cut * minutes)]
        aht_ratio = _aht_ratio(history.frame, str(queue), day, cut, minutes, today["rows"])
        out.append(_scaled(rest, ratio, aht_ratio))
        if tomorrow:
            next_rows = _day_rows(planned, day + pd.Timedelta(days=1), minutes)
            if next_rows is None:
                notes.append(f"{queue}: the forecast does not cover {day + pd.Timedelta(days=1):%Y-%m-%d}")
            else:
                out.append(_scaled(next_rows["rows"], 1 + carry.carry_next * (ratio - 1), aht_ratio))
    result = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=list(FORECAST_COLUMNS))
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=list(BACKTEST_COLUMNS))
    return ReforecastResult(
        frame=result.loc[:, list(FORECAST_COLUMNS)],
        carries=carries,
        ratios=ratios,
        backtest=table.loc[:, list(BACKTEST_COLUMNS)],
        notes=notes,
    )


def _checked_forecast(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in FORECAST_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"forecast: missing column(s) {', '.join(missing)}")
    out = frame.loc[:, list(FORECAST_COLUMNS)].copy()
    out["interval_start"] = pd.to_datetime(out["interval_start"])
    for name in ("forecast", "lower", "upper", "aht_seconds"):
        out[name] = pd.to_numeric(out[name], errors="coerce")
    if out["forecast"].isna().any() or (out["forecast"] < 0).any():
        raise ValueError("forecast: every row needs a forecast of at least 0")
    return out


def _day_rows(planned: pd.DataFrame, day: pd.Timestamp, minutes: int) -> dict | None:
    rows = planned[
        (planned["interval_start"] >= day) & (planned["interval_start"] < day + pd.Timedelta(days=1))
    ]
    if rows.empty:
        return None
    slots = np.zeros(1440 // minutes)
    index = ((rows["interval_start"] - day).dt.total_seconds() // 60 // minutes).astype(int).to_numpy()
    np.add.at(slots, index, rows["forecast"].to_numpy(dtype=float))
    return {"rows": rows.sort_values("interval_start"), "forecast_slots": slots}


def _today_actual(series: QueueSeries, day: pd.Timestamp, cut: int) -> np.ndarray:
    if len(series.dates) and series.dates[-1] == day:
        return np.nan_to_num(series.values[-1, :cut])
    return np.zeros(cut)


def _scaled(rows: pd.DataFrame, ratio: float, aht_ratio: float) -> pd.DataFrame:
    out = rows.copy()
    for name in ("forecast", "lower", "upper"):
        out[name] = out[name] * ratio
    out["aht_seconds"] = out["aht_seconds"] * aht_ratio
    return out


def _aht_ratio(
    frame: pd.DataFrame, queue: str, day: pd.Timestamp, cut: int, minutes: int, planned: pd.DataFrame
) -> float:
    """Today's handle time so far against the forecast's, weighted by contacts handled, shrunk to 1."""
    end = day + pd.Timedelta(minutes=cut * minutes)
    mine = frame[
        (frame["queue"] == queue) & (frame["interval_start"] >= day) & (frame["interval_start"] < end)
    ]
    mine = mine[mine["aht_seconds"].notna()]
    if mine.empty:
        return 1.0
    weight = mine["handled"].where(mine["handled"].notna(), mine["offered"]).to_numpy(dtype=float)
    fc = (
        planned.set_index("interval_start")["aht_seconds"]
        .reindex(mine["interval_start"])
        .to_numpy(dtype=float)
    )
    ok = np.isfinite(fc) & (weight > 0)
    if not ok.any():
        return 1.0
    mean_fc = float(np.average(fc[ok], weights=weight[ok]))
    actual = float(weight[ok] @ mine["aht_seconds"].to_numpy(dtype=float)[ok])
    expected = float(weight[ok] @ fc[ok])
    return (actual + AHT_PRIOR_CONTACTS * mean_fc) / (expected + AHT_PRIOR_CONTACTS * mean_fc)


def week_ahead(series: QueueSeries, rows: list[int]) -> dict[int, np.ndarray]:
    """The backtest's stand-in for the forecasts planning had of days ``rows``: top_down made at the start
    of each day's week (every seventh row from the first), from the history before it, as the weekly
    forecast is."""
    out: dict[int, np.ndarray] = {}
    for origin in sorted({r - (r % WEEK_AHEAD) for r in rows}):
        if origin < WEEK_AHEAD:
            continue
        days = np.arange(origin, min(origin + WEEK_AHEAD, len(series.dates)))
        values = top_down(series.upto(origin), days - origin, series.weekday[days])
        for day, row in zip(days, np.clip(values, 0, None), strict=True):
            out[int(day)] = row
    return {r: out[r] for r in rows if r in out}


def learn_carry(
    series: QueueSeries,
    day: pd.Timestamp,
    cut: int,
    backtest_days: int = BACKTEST_DAYS,
    calendar: Calendar | None = None,
) -> tuple[Carry, pd.DataFrame | None, str | None]:
    """The update that would have re-forecast the rest of the recent ordinary days best, cut at ``cut``.
    With a ``calendar``, its holidays, eves and special days are not learned from."""
    if cut == 0:
        return Carry(), None, None  # nothing of today has happened yet
    learn = prepare(series, calendar) if calendar is not None else clip_outliers(mark_anomalous_days(series))
    end = int(series.dates.searchsorted(day))  # rows before today
    rows = [r for r in range(max(4 * WEEK_AHEAD, end - backtest_days), end) if learn.usable[r]]
    forecasts = {r: f for r, f in week_ahead(learn, rows).items() if f.sum() > 0}
    rows = sorted(forecasts)
    if len(rows) < MIN_BACKTEST_DAYS:
        return Carry(), None, "too few past days to learn from; the forecast is kept"
    planned = np.stack([forecasts[r] for r in rows])
    actual = np.nan_to_num(series.values[rows])
    best, table = _best_update(planned, actual, cut, series.interval_minutes, HALF_LIVES_HOURS)
    return (
        _with_next_day(best, forecasts, np.nan_to_num(series.values), rows, cut, series.interval_minutes),
        table,
        None,
    )


def learn_special_carry(
    series: QueueSeries, day: pd.Timestamp, cut: int, calendar: Calendar
) -> tuple[Carry, pd.DataFrame | None, str | None]:
    """The update for a holiday, eve or special day: learned only from the past open days of the
    calendar that are not ordinary, each against the forecast the engine would have made of it a week
    ahead (top_down on the weekday the calendar plans it like). With fewer than ``MIN_SPECIAL_DAYS`` of
    them the forecast is kept: an ordinary morning's carry does not say how a special day's goes on."""
    if cut == 0:
        return Carry(), None, None
    end = int(series.dates.searchsorted(day))
    raw = np.nan_to_num(series.values)
    unusual = calendar.unusual(series.dates[:end])
    candidates = [int(r) for r in np.flatnonzero(unusual) if r >= 4 * WEEK_AHEAD and raw[r, cut:].sum() > 0]
    forecasts = {}
    if candidates:
        prepared = prepare(series, calendar)
        for r in candidates:
            fit = prepared.upto(r - r % WEEK_AHEAD)
            if not fit.usable.any():
                continue
            planned = forecast_days(fit, series.values, calendar, series.dates[[r]], ["top_down"])[0]
            row = np.clip(planned["top_down"][0][0], 0, None)
            if row[:cut].sum() > 0 and row[cut:].sum() > 0:
                forecasts[r] = row
    rows = sorted(forecasts)
    if len(rows) < MIN_SPECIAL_DAYS:
        return (
            Carry(),
            None,
            f"{day:%Y-%m-%d} is a holiday, eve or special day and the history holds "
            f"{len(rows)} such open day(s) to learn from (at least {MIN_SPECIAL_DAYS} needed); "
            "the forecast is kept",
        )
    past_forecasts = np.stack([forecasts[r] for r in rows])
    best, table = _best_update(past_forecasts, raw[rows], cut, series.interval_minutes, (None,))
    return best, table, None


def _best_update(
    planned: np.ndarray,
    actual: np.ndarray,
    cut: int,
    interval_minutes: int,
    half_lives: tuple[float | None, ...],
) -> tuple[Carry, pd.DataFrame]:
    """Score every (carry, prior, half-life) on the days' rest after ``cut``; the lowest wMAPE wins
    (ties: the smaller carry). "Keep the forecast" is among them, so no update is forced."""
    rest_planned, rest_actual = planned[:, cut:], actual[:, cut:]
    ratios = rest_actual.sum(axis=1) / np.where(
        rest_planned.sum(axis=1) > 0, rest_planned.sum(axis=1), np.nan
    )
    ratios = ratios[np.isfinite(ratios)]
    bounds = (float(ratios.min()), float(ratios.max())) if len(ratios) else (0.0, math.inf)
    total = rest_actual.sum()
    records = []
    for half in half_lives:
        weights = _recency(cut, interval_minutes, half)
        a, f = actual[:, :cut] @ weights, planned[:, :cut] @ weights
        for carry, prior in product(CARRIES, PRIORS):
            if carry == 0 and (prior, half) != (0.0, None):
                continue  # every "keep the forecast" is the same
            with np.errstate(invalid="ignore", divide="ignore"):
                level = np.where(f + prior > 0, 1 + carry * (a - f) / (f + prior), 1.0)
            level = np.clip(level, *bounds) if carry else level
            predicted = rest_planned * level[:, None]
            wmape = float(np.abs(predicted - rest_actual).sum() / total) if total > 0 else math.nan
            floor = float(np.sqrt(2 * predicted / math.pi).sum() / total) if total > 0 else math.nan
            records.append((Carry(carry, prior, half, bounds=bounds), wmape, floor))
    best = min(records, key=lambda r: (np.nan_to_num(r[1], nan=np.inf), r[0].carry))[0]
    table = pd.DataFrame(
        [
            {
                "carry": c.carry,
                "prior": c.prior,
                "half_life_hours": c.half_life_hours,
                "wmape": w,
                "floor": fl,
                "ratio": w / fl if fl and fl > 0 else math.nan,
                "days": len(planned),
                "chosen": c is best,
            }
            for c, w, fl in records
        ]
    )
    return best, table


def _recency(cut: int, interval_minutes: int, half_life_hours: float | None) -> np.ndarray:
    if half_life_hours is None:
        return np.ones(cut)
    age_hours = (cut - 1 - np.arange(cut)) * interval_minutes / 60
    return 0.5 ** (age_hours / half_life_hours)


def _with_next_day(
    best: Carry, forecasts: dict, actual: np.ndarray, rows: list, cut: int, minutes: int
) -> Carry:
    """``carry_next``: how much of a day's surprise (as ``best`` measures it at the cut) carries into the
    next day, scored on the following days the backtest also forecast."""
    pairs = [(r, r + 1) for r in rows if r + 1 in forecasts]
    if len(pairs) < MIN_BACKTEST_DAYS:
        return best
    errors = []
    for carry_next in CARRIES_NEXT:
        error = total = 0.0
        for r, nxt in pairs:
            ratio = best.ratio(actual[r, :cut], forecasts[r][:cut], minutes)
            predicted = forecasts[nxt] * (1 + carry_next * (ratio - 1))
            error += float(np.abs(predicted - actual[nxt]).sum())
            total += float(actual[nxt].sum())
        errors.append(error / total if total > 0 else math.inf)
    return replace(best, carry_next=CARRIES_NEXT[int(np.argmin(errors))])


def remaining_start(now: datetime, interval_minutes: int) -> datetime:
    """The start of the interval holding ``now``: the first one re-forecast."""
    minute = (now.hour * 60 + now.minute) // interval_minutes * interval_minutes
    return datetime.combine(now.date(), datetime.min.time()) + timedelta(minutes=minute)


def read_forecast_csv(source, name: str) -> pd.DataFrame:
    """A `wfm forecast` output as a frame (FORECAST_COLUMNS); ValueError naming the line and field of the
    first problems (a file another tool wrote may hold anything)."""
    from scheduling.history.intervals import read_table

    raw = read_table(source, name)
    missing = [c for c in FORECAST_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)} (a `wfm forecast` output has them)")
    out = raw.loc[:, list(FORECAST_COLUMNS)].copy()
    problems = []
    out["interval_start"] = pd.to_datetime(out["interval_start"], errors="coerce", format="ISO8601")
    for line in np.flatnonzero(out["interval_start"].isna().to_numpy())[:5]:
        problems.append(f"line {line + 2}, interval_start: not a date and time")
    for column in ("forecast", "lower", "upper", "aht_seconds"):
        text = out[column].str.strip()
        values = pd.to_numeric(text.where(text != "", None), errors="coerce")
        bad = values.isna() & (text != "") | (values < 0)
        if column == "forecast":
            bad |= text == ""
        for line in np.flatnonzero(bad.to_numpy())[:5]:
            problems.append(f"line {line + 2}, {column}: must be a number of at least 0")
        out[column] = values
    if problems:
        raise ValueError(f"{name}: " + "; ".join(problems[:10]))
    return out
