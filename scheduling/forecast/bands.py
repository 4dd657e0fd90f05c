"""Prediction intervals: Poisson arrivals around an uncertain rate.

Two things make an interval's count miss its forecast: the rate itself is off (the backtests show by how
much) and, even at the right rate, arrivals are Poisson. A rate that is off by a random factor with
relative variance s^2 (a gamma mixture) gives a negative binomial count with mean f and variance
f + s^2 f^2. s^2 is estimated from backtest residuals by the method of moments:
s^2 = (sum (y - f)^2 - sum f) / sum f^2, the excess over Poisson noise.

The quantiles are computed from `scipy.special` (the distributions' inverse and cumulative functions), not
`scipy.stats`, whose import alone costs a command-line forecast most of a second.
"""

from __future__ import annotations

import numpy as np
from scipy import special

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
        return poisson_quantile(low_q, f), poisson_quantile(high_q, f)
    n = 1.0 / dispersion
    with np.errstate(divide="ignore", invalid="ignore"):
        p = n / (n + f)
    lower = np.where(f > 0, negative_binomial_quantile(low_q, n, p), 0.0)
    upper = np.where(f > 0, negative_binomial_quantile(high_q, n, p), 0.0)
    return lower, upper


def _smallest_reaching(q: float, guess: np.ndarray, cdf) -> np.ndarray:
    """The smallest whole k >= 0 with cdf(k) >= q, starting from an estimate `guess` (off by one at most
    where the inverse functions round)."""
    k = np.maximum(np.ceil(guess), 0.0)
    for _ in range(2):
        below = np.maximum(k - 1, 0.0)
        k = np.where((k > 0) & (cdf(below) >= q), below, k)
        k = np.where(cdf(k) < q, k + 1, k)
    return k


def poisson_quantile(q: float, mean: np.ndarray) -> np.ndarray:
    """`scipy.stats.poisson.ppf(q, mean)` for 0 < q < 1."""
    mean = np.asarray(mean, dtype=float)
    with np.errstate(invalid="ignore"):
        guess = np.where(mean > 0, special.pdtrik(q, np.where(mean > 0, mean, 1.0)), 0.0)
    out = _smallest_reaching(q, guess, lambda k: special.pdtr(k, mean))
    return np.where(mean >= 0, out, np.nan)


def negative_binomial_quantile(q: float, n: float, p: np.ndarray) -> np.ndarray:
    """`scipy.stats.nbinom.ppf(q, n, p)` for 0 < q < 1: failures before the n-th success (n need not be
    whole), the cumulative function being the regularised incomplete beta I_p(n, k + 1)."""
    p = np.asarray(p, dtype=float)
    valid = (n > 0) & (p > 0) & (p <= 1)
    safe = np.where(valid, p, 0.5)
    with np.errstate(invalid="ignore", over="ignore"):
        guess = np.where(safe < 1, special.nbdtrik(q, n, np.minimum(safe, 1 - 1e-16)), 0.0)
    guess = np.where(np.isfinite(guess), guess, 0.0)
    out = _smallest_reaching(q, guess, lambda k: special.betainc(n, k + 1, safe))
    return np.where(valid, out, np.nan)
