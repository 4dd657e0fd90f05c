"""The prediction bounds' quantiles (computed from scipy.special, for a quick import) are exactly those of
scipy.stats' Poisson and negative binomial distributions."""

import numpy as np
import pytest
from scipy import stats

from scheduling.forecast.bands import negative_binomial_quantile, poisson_quantile, prediction_bounds

MEANS = np.concatenate(
    [[0.0, 1e-9, 0.5, 1.0, 2.0, 3.5, 10.0, 100.0, 1000.0, 1e5], np.random.default_rng(7).gamma(1.5, 30, 3000)]
)


@pytest.mark.parametrize("q", [0.025, 0.05, 0.1, 0.5, 0.9, 0.95, 0.975])
def test_poisson_quantiles_are_scipys(q):
    assert np.array_equal(poisson_quantile(q, MEANS), stats.poisson.ppf(q, MEANS))


@pytest.mark.parametrize("q", [0.025, 0.05, 0.5, 0.95, 0.975])
@pytest.mark.parametrize("dispersion", [0.001, 0.04, 0.3, 2.0])
def test_negative_binomial_quantiles_are_scipys(q, dispersion):
    n = 1 / dispersion
    p = n / (n + MEANS)
    assert np.array_equal(negative_binomial_quantile(q, n, p), stats.nbinom.ppf(q, n, p))


def test_bounds_hold_the_coverage_asked():
    lower, upper = prediction_bounds(np.array([0.0, 5.0, 50.0]), 0.04, 0.9)
    assert lower[0] == upper[0] == 0
    n = 1 / 0.04
    for f, low, high in zip([5.0, 50.0], lower[1:], upper[1:], strict=True):
        p = n / (n + f)
        assert stats.nbinom.cdf(high, n, p) >= 0.95 > stats.nbinom.cdf(high - 1, n, p)
        assert stats.nbinom.cdf(low, n, p) >= 0.05 > stats.nbinom.cdf(low - 1, n, p)
