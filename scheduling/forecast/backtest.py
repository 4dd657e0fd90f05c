"""Rolling-origin backtests: forecast each of the last few weeks from the history before it, compare.

The same day planning (holidays, closed intervals) is applied as in the real forecast, so a method is
judged on what the scheduler would actually have received.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduling.forecast.accuracy import Accuracy, accuracy
from scheduling.forecast.methods import METHODS
from scheduling.forecast.series import QueueSeries

COMBINATIONS = {"combined": ("top_down", "holt_winters")}
DayForecaster = Callable[[QueueSeries, pd.DatetimeIndex, list[str]], dict[str, tuple[np.ndarray, np.ndarray]]]
MIN_WEEKS_BEFORE_ORIGIN = 2


@dataclass(frozen=True)
class Backtest:
    """Per method: accuracy over all origins, and the stacked (actual, forecast) pairs it came from."""

    scores: dict[str, Accuracy]
    pairs: dict[str, tuple[np.ndarray, np.ndarray]]
    origins: int


def run_methods(
    series: QueueSeries, steps: np.ndarray, act: np.ndarray, names: list[str]
) -> dict[str, np.ndarray]:
    """Forecasts of several methods at once; a combination reuses its parts instead of refitting them."""
    needed = set(names) | {part for name in names for part in COMBINATIONS.get(name, ())}
    out = {name: METHODS[name](series, steps, act) for name in needed if name in METHODS}
    for name, parts in COMBINATIONS.items():
        if name in needed:
            out[name] = np.mean([out[p] for p in parts], axis=0)
    return {name: np.clip(out[name], 0, None) for name in names}


def backtest(
    fit: QueueSeries,
    actual: np.ndarray,
    names: list[str],
    origins: int,
    horizon_days: int,
    forecast_days: DayForecaster,
) -> Backtest:
    """Backtest ``names`` at up to ``origins`` weekly origins ending at the end of ``fit``.

    ``actual`` holds the unclipped values of ``fit``'s rows; ``forecast_days(fit_before, rows) ->
    dict[name, (forecast, actual)]`` is the engine's day-planning forecaster, passed in so backtest and
    forecast share one code path.
    """
    collected: dict[str, tuple[list, list]] = {name: ([], []) for name in names}
    done = 0
    end = len(fit.dates)
    for k in range(1, origins + 1):
        origin = end - horizon_days * k
        if origin < 7 * MIN_WEEKS_BEFORE_ORIGIN or not fit.usable[:origin].any():
            break
        rows = np.arange(origin, min(origin + horizon_days, end))
        rows = rows[np.isfinite(actual[rows]).all(axis=1)]
        if not len(rows):
            continue
        results = forecast_days(fit.upto(origin), fit.dates[rows], names)
        for name, (forecast, open_mask) in results.items():
            collected[name][0].append(actual[rows][open_mask | (actual[rows] > 0)])
            collected[name][1].append(np.where(open_mask, forecast, 0.0)[open_mask | (actual[rows] > 0)])
        done += 1
    pairs = {name: (np.concatenate(y), np.concatenate(f)) for name, (y, f) in collected.items() if y}
    scores = {name: accuracy(y, f) for name, (y, f) in pairs.items()}
    return Backtest(scores=scores, pairs=pairs, origins=done)
