"""The random draws: each distribution has the mean it was given, per period where the mean varies."""

from __future__ import annotations

import numpy as np
import pytest

from scheduling.simulate.draws import draw_seconds, stream
from scheduling.simulate.scenario import Distribution

N = 200_000


def period_means(dist: Distribution, periods: int) -> np.ndarray:
    period = np.arange(N) % periods
    values = draw_seconds(dist, period, stream(0, 0, 1, 1))
    return np.array([values[period == p].mean() for p in range(periods)])


def test_exponential_mean_per_period():
    means = period_means(Distribution("exponential", np.array([100.0, 300.0])), 2)
    assert means == pytest.approx([100.0, 300.0], rel=0.02)


def test_lognormal_mean_and_spread():
    dist = Distribution("lognormal", np.array([200.0]), cv=0.8)
    values = draw_seconds(dist, np.zeros(N, dtype=np.int64), stream(0, 0, 1, 1))
    assert values.mean() == pytest.approx(200.0, rel=0.02)
    assert values.std() / values.mean() == pytest.approx(0.8, rel=0.05)


def test_empirical_resamples_and_scales_to_the_periods_mean():
    samples = np.array([10.0, 20.0, 60.0])  # mean 30
    plain = Distribution("empirical", np.array([30.0]), samples=samples)
    values = draw_seconds(plain, np.zeros(1000, dtype=np.int64), stream(0, 0, 1, 1))
    assert set(values.tolist()) == {10.0, 20.0, 60.0}
    scaled = Distribution("empirical", np.array([30.0, 60.0]), samples=samples, scale_to_means=True)
    assert period_means(scaled, 2) == pytest.approx([30.0, 60.0], rel=0.02)
