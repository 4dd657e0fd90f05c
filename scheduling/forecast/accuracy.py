"""Forecast accuracy measures, usable on any actual/forecast pair (backtests, forecast versus actual).

The Poisson noise floor answers "how good could this possibly be?": even a forecast that knew the true
arrival rate f exactly would miss Poisson counts by E|Y - f| ~ sqrt(2f/pi) per interval, so its wMAPE
would be sum(sqrt(2f/pi)) / sum(y). A wMAPE near the floor means the remaining error is chance, not the
method.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Accuracy:
    """wMAPE = sum|f-y|/sum y; RMSE per interval; bias = sum(f-y)/sum y (positive: over-forecast);
    floor = Poisson noise floor of the wMAPE; ratio = wMAPE / floor; n = intervals compared."""

    wmape: float
    rmse: float
    bias: float
    floor: float
    ratio: float
    n: int

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def poisson_floor(forecast: np.ndarray, actual: np.ndarray) -> float:
    """sum sqrt(2 f / pi) / sum y: the wMAPE a perfect rate forecast would still show."""
    f, y = _pair(forecast, actual)
    total = y.sum()
    return float(np.sqrt(2.0 * np.clip(f, 0, None) / math.pi).sum() / total) if total > 0 else math.nan


def accuracy(actual: np.ndarray, forecast: np.ndarray) -> Accuracy:
    """All measures at once; NaN pairs are ignored (a missing actual is not an error of the forecast)."""
    f, y = _pair(forecast, actual)
    total = y.sum()
    if len(y) == 0:
        return Accuracy(math.nan, math.nan, math.nan, math.nan, math.nan, 0)
    err = f - y
    wmape = float(np.abs(err).sum() / total) if total > 0 else math.nan
    floor = poisson_floor(f, y)
    return Accuracy(
        wmape=wmape,
        rmse=float(np.sqrt(np.mean(err**2))),
        bias=float(err.sum() / total) if total > 0 else math.nan,
        floor=floor,
        ratio=wmape / floor if floor and floor > 0 else math.nan,
        n=len(y),
    )


def _pair(forecast: np.ndarray, actual: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    f = np.asarray(forecast, dtype=float).ravel()
    y = np.asarray(actual, dtype=float).ravel()
    if f.shape != y.shape:
        raise ValueError(f"forecast: shape {f.shape} does not match actual {y.shape}")
    keep = np.isfinite(f) & np.isfinite(y)
    return f[keep], y[keep]
