"""Prediction intervals: Poisson arrivals around an uncertain rate.

Two things make an interval's count miss its forecast: the rate itself is off (the backtests show by how
much) and, even at the right rate, arrivals are Poisson. A rate that is off by a random factor with
relative variance s^2 (a gamma mixture) gives a negative binomial count with mean f and variance
f + s^2 f^2. s^2 is estimated from backtest residuals by the method of moments:
s^2 = (sum (y - f)^2 - sum f) / sum f^2, the excess over Poisson noise.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

DEFAULT_DISPERSION = 0.04  # a 20% rate uncertainty when no backtest could be run


def rate_dispersion(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Relative variance of the rate beyond Poisson noise (0 when the residuals are all Poisson)."""
    y = np.asarray(actual, dtype=float).ravel()
    f = np.asarray(forecast, dtype=float).ravel()
    keep = np.isfinite(y) & np.isfinite(f)
    y, f = y[keep], f[keep]
    denominator = float((f**2).sum())
    if denominator <= 0:
        return DEFAULT_DISPERSION
    return max(0.0, float((((y - f) ** 2).sum() - f.sum()) / denominator))


def prediction_bounds(
    forecast: np.ndarray, dispersion: float, coverage: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper count bounds holding ``coverage`` of outcomes (central interval)."""
    if not 0 < coverage < 1:
        raise ValueError(f"coverage: {coverage} must be between 0 and 1")
    f = np.clip(np.asarray(forecast, dtype=float), 0, None)
    low_q, high_q = (1 - coverage) / 2, 1 - (1 - coverage) / 2
    if dispersion <= 1e-9:
        return stats.poisson.ppf(low_q, f), stats.poisson.ppf(high_q, f)
    n = 1.0 / dispersion
    with np.errstate(divide="ignore", invalid="ignore"):
        p = n / (n + f)
    lower = np.where(f > 0, stats.nbinom.ppf(low_q, n, p), 0.0)
    upper = np.where(f > 0, stats.nbinom.ppf(high_q, n, p), 0.0)
    return lower, upper
