"""Long-range demand: monthly volume per queue, with trend and yearly seasonality, backtested; channel shifts.

A month's volume depends on which days it holds (a month with five Mondays takes more calls than one with
five Sundays), so the series forecast is the volume per *effective day*: each day counts as its weekday's
share of an average day, measured from the history. The rate is forecast by statsmodels' exponential
smoothing: with two years or more, a damped additive trend and a multiplicative yearly season
(Holt-Winters); with four months or more, the damped trend alone (a yearly season cannot be estimated
from less than two cycles); else the recent level. A rolling-origin backtest over the last months of the
history (one month ahead at each origin) measures each candidate against the recent level, and the one
with the smaller error is used. The monthly volume is the rate times the month's effective days.
"""

from __future__ import annotations

import calendar
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

LEVEL_MONTHS = 3
MIN_TREND_MONTHS = 4
MIN_SEASON_MONTHS = 24
BACKTEST_MONTHS = 6


@dataclass(frozen=True)
class MonthlyForecast:
    """Forecast volume per month (labels 'YYYY-MM'), the method chosen and its backtest error (MAPE)."""

    months: tuple[str, ...]
    volume: np.ndarray
    method: str
    backtest_error: float | None
    level_error: float | None
    history_months: tuple[str, ...]
    history_volume: np.ndarray
    candidate_errors: dict[str, float | None]


@dataclass(frozen=True)
class ChannelShift:
    """Each year `yearly_share` of the source queue's volume moves to the target queues (shares of it)."""

    source: str
    targets: dict[str, float]
    yearly_share: float


def weekday_weights(daily: pd.Series) -> np.ndarray:
    """Each weekday's mean volume as a share of the mean day (Monday first); 1.0 for unseen weekdays."""
    index = pd.DatetimeIndex(daily.index)
    means = daily.groupby(index.day_of_week).mean()
    overall = float(daily.mean()) if len(daily) else 0.0
    weights = np.ones(7)
    if overall > 0:
        for weekday, value in means.items():
            weights[int(str(weekday))] = float(value) / overall
    return weights


def effective_days(label: str, weights: np.ndarray) -> float:
    year, month = (int(x) for x in label.split("-"))
    days = calendar.monthrange(year, month)[1]
    first = calendar.weekday(year, month, 1)
    return float(sum(weights[(first + d) % 7] for d in range(days)))


def complete_months(daily: pd.Series) -> pd.Series:
    """Volume per calendar month, for the months the history covers from the first to the last day."""
    daily = daily.sort_index()
    by_month = daily.groupby(pd.DatetimeIndex(daily.index).to_period("M"))
    counts = by_month.size()
    totals = by_month.sum()
    full = [p for p in totals.index if counts[p] == p.days_in_month]
    return totals.loc[full].astype(float)


def _fit_forecast(rates: np.ndarray, steps: int, method: str) -> np.ndarray:
    if method == "level" or len(rates) < MIN_TREND_MONTHS:
        return np.full(steps, float(np.mean(rates[-LEVEL_MONTHS:])))
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "holt_winters":
            model = ExponentialSmoothing(
                rates,
                trend="add",
                damped_trend=True,
                seasonal="mul",
                seasonal_periods=12,
                initialization_method="estimated",
            )
        else:
            model = ExponentialSmoothing(
                rates, trend="add", damped_trend=True, initialization_method="estimated"
            )
        path = np.asarray(model.fit(use_brute=False, method="least_squares").forecast(steps), dtype=float)
    return np.clip(path, 0.0, None)


def _candidates(count: int) -> list[str]:
    if count >= MIN_SEASON_MONTHS:
        return ["holt_winters", "level"]
    if count >= MIN_TREND_MONTHS:
        return ["holt", "level"]
    return ["level"]


def _least_history(method: str) -> int:
    return MIN_SEASON_MONTHS if method == "holt_winters" else MIN_TREND_MONTHS if method == "holt" else 1


def _backtest(rates: np.ndarray, method: str, least: int) -> float | None:
    """Mean absolute percentage error of one-month-ahead forecasts from the last origins (each with at
    least `least` months before it: the same origins for every candidate, so their errors compare)."""
    origins = [o for o in range(len(rates) - BACKTEST_MONTHS, len(rates)) if o >= least]
    errors = [
        abs(_fit_forecast(rates[:o], 1, method)[0] - rates[o]) / rates[o] for o in origins if rates[o] > 0
    ]
    return float(np.mean(errors)) if errors else None


def forecast_months(daily: pd.Series, months: int, start: str | None = None) -> MonthlyForecast:
    """Monthly volume for `months` months from `start` ('YYYY-MM'; default the month after the history)."""
    history = complete_months(daily)
    if history.empty:
        raise ValueError("history: not one complete month of daily volumes")
    weights = weekday_weights(daily)
    labels = [str(p) for p in history.index]
    rates = history.to_numpy() / np.array([effective_days(label, weights) for label in labels])
    last = history.index[-1]
    first = pd.Period(start, freq="M") if start else last + 1
    if first <= last:
        raise ValueError(f"start: must come after the history's last complete month ({last})")
    lead = int((first - last).n) - 1
    candidates = _candidates(len(rates))
    least = max(_least_history(method) for method in candidates)
    errors = {method: _backtest(rates, method, least) for method in candidates}
    scored = [m for m in errors if errors[m] is not None]
    method = min(scored, key=lambda m: errors[m] or 0.0) if scored else "level"
    path = _fit_forecast(rates, lead + months, method)[lead:]
    future = [str(first + i) for i in range(months)]
    volume = path * np.array([effective_days(label, weights) for label in future])
    return MonthlyForecast(
        months=tuple(future),
        volume=volume,
        method=method,
        backtest_error=errors.get(method),
        level_error=errors.get("level"),
        history_months=tuple(labels),
        history_volume=history.to_numpy(),
        candidate_errors=errors,
    )


def shift_channels(volumes: dict[str, np.ndarray], shifts: list[ChannelShift]) -> dict[str, np.ndarray]:
    """Volumes after the shifts: by month k (0 first) the source has lost 1 - (1 - yearly_share)^((k+1)/12)
    of its volume, which the targets take in their shares."""
    result = {queue: np.asarray(v, dtype=float).copy() for queue, v in volumes.items()}
    for shift in shifts:
        if shift.source not in result:
            raise ValueError(f"source: {shift.source!r} is not a queue of the forecast")
        if not 0.0 <= shift.yearly_share <= 1.0:
            raise ValueError(f"yearly_share: must be between 0 and 1, got {shift.yearly_share}")
        if abs(sum(shift.targets.values()) - 1.0) > 1e-9:
            raise ValueError("targets: the shares of the moved volume must add up to 1")
        months = len(result[shift.source])
        moved_share = 1.0 - (1.0 - shift.yearly_share) ** ((np.arange(months) + 1) / 12.0)
        moved = volumes[shift.source] * moved_share
        result[shift.source] = result[shift.source] - moved
        for target, share in shift.targets.items():
            result.setdefault(target, np.zeros(months))
            result[target] = result[target] + moved * share
    return result
