"""Forecasting methods. Each turns a queue's history into ordinary-day volumes per target day and slot.

Signature of every method: ``method(series, steps, act_weekday) -> ndarray (targets x slots)``, where
``series`` is the history known at the origin (its ``usable`` rows are the ordinary days to learn from,
already outlier-clipped), ``steps[i]`` is how many days after the last history row target ``i`` falls
(0 = the next day) and ``act_weekday[i]`` the weekday whose pattern it follows (its own, or another one
for a holiday). Methods know nothing of holidays, closed intervals or prediction intervals: the engine
does that, so every method gets them alike.

- ``seasonal_naive``: the last ordinary day of the same weekday, interval by interval.
- ``slot_average``: the plain mean of every ordinary same-weekday day, interval by interval.
- ``weighted_average``: the same mean with weights halving every ``HALF_LIFE_WEEKS`` weeks back.
- ``top_down``: a daily total (long-run weekday shape x recent level) split by the weekday's intraday
  profile. Pooling a whole day's volume for the level and many weeks for the shape keeps the Poisson
  noise of single intervals out of the forecast, which is what brings it near the noise floor.
- ``holt_winters``: the same split, with daily totals from statsmodels' Holt-Winters (level and
  additive weekly season; a trend term did not pay for its fitting time week-ahead), fitted on
  the last ``HW_WEEKS`` weeks.
- ``combined`` (in ``backtest.COMBINATIONS``, so its parts are fitted once): the mean of ``top_down``
  and ``holt_winters`` (averaging two sound forecasts reduces their error more often than not).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from scheduling.forecast.series import QueueSeries

Method = Callable[[QueueSeries, np.ndarray, np.ndarray], np.ndarray]

HALF_LIFE_WEEKS = 4.0  # recency weighting of same-slot averages
SHAPE_HALF_LIFE_WEEKS = 8.0  # weekday shape and intraday profile change slowly: long memory
LEVEL_HALF_LIFE_DAYS = 7.0  # the overall level moves week to week: short memory
HW_WEEKS = 26
MIN_HW_WEEKS = 4


def _rows(series: QueueSeries, weekday: int) -> np.ndarray:
    rows = np.flatnonzero(series.usable & (series.weekday == weekday))
    return rows if len(rows) else np.flatnonzero(series.usable)


def _age_weights(series: QueueSeries, rows: np.ndarray, half_life_days: float) -> np.ndarray:
    age = (len(series.dates) - rows).astype(float)
    return 0.5 ** (age / half_life_days)


def _per_weekday(act_weekday: np.ndarray, pattern: Callable[[int], np.ndarray]) -> np.ndarray:
    cache = {w: pattern(int(w)) for w in np.unique(act_weekday)}
    return np.stack([cache[int(w)] for w in act_weekday]) if len(act_weekday) else np.zeros((0, 0))


def seasonal_naive(series: QueueSeries, steps: np.ndarray, act_weekday: np.ndarray) -> np.ndarray:
    return _per_weekday(act_weekday, lambda w: series.values[_rows(series, w)[-1]])


def slot_average(series: QueueSeries, steps: np.ndarray, act_weekday: np.ndarray) -> np.ndarray:
    return _per_weekday(act_weekday, lambda w: series.values[_rows(series, w)].mean(axis=0))


def weighted_average(series: QueueSeries, steps: np.ndarray, act_weekday: np.ndarray) -> np.ndarray:
    def pattern(w: int) -> np.ndarray:
        rows = _rows(series, w)
        weights = _age_weights(series, rows, 7 * HALF_LIFE_WEEKS)
        return weights @ series.values[rows] / weights.sum()

    return _per_weekday(act_weekday, pattern)


def intraday_profiles(series: QueueSeries) -> np.ndarray:
    """Share of the day's volume per slot, per weekday (7 x slots), recency-weighted over many weeks."""
    profiles = np.zeros((7, series.slots))
    for w in range(7):
        rows = _rows(series, w)
        weights = _age_weights(series, rows, 7 * SHAPE_HALF_LIFE_WEEKS)
        summed = weights @ series.values[rows]
        total = summed.sum()
        profiles[w] = summed / total if total > 0 else 0.0
    return profiles


def weekday_totals(series: QueueSeries) -> np.ndarray:
    """Expected ordinary-day total per weekday now: long-run weekday shape times the recent level.

    The level is the recency-weighted ratio of recent daily totals to the shape, so one quiet week lowers
    every weekday alike, while the shape (Sunday busier than Thursday...) comes from many weeks.
    """
    totals = series.values.sum(axis=1)
    shape = np.zeros(7)
    for w in range(7):
        rows = _rows(series, w)
        weights = _age_weights(series, rows, 7 * SHAPE_HALF_LIFE_WEEKS)
        shape[w] = weights @ totals[rows] / weights.sum()
    rows = np.flatnonzero(series.usable)
    expected = shape[series.weekday[rows]]
    weights = _age_weights(series, rows, LEVEL_HALF_LIFE_DAYS)
    denominator = weights @ expected
    level = (weights @ totals[rows]) / denominator if denominator > 0 else 1.0
    return shape * level


def top_down(series: QueueSeries, steps: np.ndarray, act_weekday: np.ndarray) -> np.ndarray:
    day_totals = weekday_totals(series)
    profiles = intraday_profiles(series)
    return day_totals[act_weekday, None] * profiles[act_weekday]


def holt_winters(series: QueueSeries, steps: np.ndarray, act_weekday: np.ndarray) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    weeks = min(int(HW_WEEKS), len(series.dates) // 7)
    if weeks < MIN_HW_WEEKS:
        return top_down(series, steps, act_weekday)
    start = len(series.dates) - 7 * weeks
    totals = series.values[start:].sum(axis=1)
    usable = series.usable[start:]
    # Unusual days are replaced by what the weekday pattern expected, so the smoother sees ordinary days.
    expected = weekday_totals(series)[series.weekday[start:]]
    totals = np.where(usable, totals, expected)
    horizon = int(steps.max()) + 7 if len(steps) else 7
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(
            totals, trend=None, seasonal="add", seasonal_periods=7, initialization_method="estimated"
        )
        # least squares finds the same optimum as the default L-BFGS-B here, several times faster
        path = np.asarray(model.fit(use_brute=False, method="least_squares").forecast(horizon))
    path = np.clip(path, 0, None)
    next_weekday = (series.weekday[-1] + 1) % 7
    step_weekday = (next_weekday + np.arange(horizon)) % 7
    profiles = intraday_profiles(series)
    out = np.zeros((len(steps), series.slots))
    for i, (step, w) in enumerate(zip(steps, act_weekday, strict=True)):
        # the nearest step that falls on the weekday this target follows
        candidates = np.flatnonzero(step_weekday == w)
        nearest = candidates[np.argmin(np.abs(candidates - step))]
        out[i] = path[nearest] * profiles[w]
    return out


METHODS: dict[str, Method] = {
    "seasonal_naive": seasonal_naive,
    "slot_average": slot_average,
    "weighted_average": weighted_average,
    "top_down": top_down,
    "holt_winters": holt_winters,
}
