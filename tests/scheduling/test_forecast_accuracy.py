"""Accuracy measures against hand-computed values."""

import math

import numpy as np
import pytest

from scheduling.forecast import accuracy, poisson_floor, prediction_bounds, rate_dispersion


def test_measures_by_hand():
    actual = np.array([10.0, 20.0, 0.0, 30.0])
    forecast = np.array([12.0, 15.0, 1.0, 30.0])
    score = accuracy(actual, forecast)
    assert score.wmape == pytest.approx((2 + 5 + 1 + 0) / 60)
    assert score.rmse == pytest.approx(math.sqrt((4 + 25 + 1 + 0) / 4))
    assert score.bias == pytest.approx((2 - 5 + 1 + 0) / 60)
    floor = sum(math.sqrt(2 * f / math.pi) for f in forecast) / 60
    assert score.floor == pytest.approx(floor)
    assert score.ratio == pytest.approx(score.wmape / floor)
    assert score.n == 4


def test_missing_actuals_are_ignored_and_shapes_must_match():
    score = accuracy(np.array([4.0, np.nan]), np.array([2.0, 100.0]))
    assert (score.wmape, score.n) == (pytest.approx(0.5), 1)
    with pytest.raises(ValueError, match="forecast"):
        accuracy(np.ones(3), np.ones(2))


def test_floor_is_what_a_perfect_rate_forecast_scores():
    rng = np.random.default_rng(1)
    rate = np.full(200_000, 8.0)
    counts = rng.poisson(rate)
    # E|Y - f| for Poisson(8) is close to sqrt(2*8/pi); the floor must match the perfect forecast's wMAPE.
    assert accuracy(counts, rate).wmape == pytest.approx(poisson_floor(rate, counts), rel=0.03)


def test_bounds_are_poisson_without_dispersion_and_widen_with_it():
    lower, upper = prediction_bounds(np.array([0.0, 10.0]), 0.0, coverage=0.9)
    assert (lower[0], upper[0]) == (0, 0)
    assert (lower[1], upper[1]) == (5, 15)  # Poisson(10) 5% and 95% quantiles
    wide_lower, wide_upper = prediction_bounds(np.array([10.0]), 0.1, coverage=0.9)
    assert wide_lower[0] <= 5
    assert wide_upper[0] > 15
    assert rate_dispersion(np.array([10.0, 10.0]), np.array([10.0, 10.0])) == 0.0
    # residuals of +-5 around 10: (50 - 20) / 200 excess relative variance
    assert rate_dispersion(np.array([15.0, 5.0]), np.array([10.0, 10.0])) == pytest.approx(0.15)
