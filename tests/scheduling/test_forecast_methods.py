"""Each forecasting method on synthetic series whose right answer is known."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from scheduling.forecast import ForecastOptions, forecast
from tests.scheduling.fixtures.forecast.synthetic import make_history, pattern

EXACT = ["seasonal_naive", "slot_average", "weighted_average", "top_down"]


def expected_frame(start: str, days: int) -> pd.Series:
    starts = pd.date_range(start, periods=24 * days, freq="60min")
    values = pd.Series([pattern(t.day_of_week, t.hour) for t in starts], index=starts)
    return values[values > 0]


@pytest.mark.parametrize("method", EXACT)
def test_pure_weekly_pattern_is_reproduced_exactly_with_closed_hours_and_days_left_out(method):
    history = make_history("2024-01-01", "2024-02-25")
    result = forecast(history, date(2024, 2, 26), 7, ForecastOptions(method=method, origins=0))
    got = result.frame.set_index("interval_start")["forecast"]
    expected = expected_frame("2024-02-26", 7)
    assert list(got.index) == list(expected.index)  # no Sunday rows, no rows outside 08-18
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-9)
    assert result.methods == {"q": method}


def test_holt_winters_follows_a_pure_weekly_pattern():
    history = make_history("2024-01-01", "2024-03-31")
    result = forecast(history, date(2024, 4, 1), 7, ForecastOptions(method="holt_winters", origins=0))
    got = result.frame.set_index("interval_start")["forecast"]
    expected = expected_frame("2024-04-01", 7)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=0.02, atol=0.05)


def test_averages_converge_on_a_constant_poisson_rate():
    def rate(weekday: int, hour: int) -> float:
        return 20.0 if weekday < 5 and 9 <= hour < 17 else 0.0

    history = make_history("2023-07-03", "2024-01-28", rate=rate, poisson=True, seed=3)  # 30 weeks
    # per-slot sd of a 30-week mean of Poisson(20) is 4%; recency weighting keeps fewer weeks
    # (the level of recency-weighted methods rests on the last two weeks or so: sd near 2.5%)
    for method, tolerance, level in (
        ("slot_average", 0.18, 0.3),
        ("top_down", 0.25, 1.2),
        ("weighted_average", 0.35, 1.2),
    ):
        frame = forecast(history, date(2024, 1, 29), 7, ForecastOptions(method=method, origins=0)).frame
        assert len(frame) == 5 * 8
        assert abs(frame["forecast"].mean() - 20) < level, method
        assert np.abs(frame["forecast"] / 20 - 1).max() < tolerance, method


def test_seasonal_naive_repeats_last_week_not_the_average():
    history = make_history("2024-01-01", "2024-02-25", poisson=True, seed=5)
    result = forecast(history, date(2024, 2, 26), 7, ForecastOptions(method="seasonal_naive", origins=0))
    last_week = history.frame.set_index("interval_start")["offered"]["2024-02-19":"2024-02-24"]
    got = result.frame.set_index("interval_start")["forecast"]
    for start, value in got.items():
        assert value == last_week[start - pd.Timedelta(days=7)]


def test_spike_in_history_is_clipped_before_fitting():
    history = make_history("2024-01-01", "2024-02-25")
    frame = history.frame.copy()
    spike = frame["interval_start"] == pd.Timestamp("2024-02-20 10:00")  # a Tuesday
    frame.loc[spike, "offered"] *= 50
    from scheduling.history import history_from_frame

    spiked = history_from_frame(frame, interval_minutes=60)
    result = forecast(spiked, date(2024, 2, 26), 7, ForecastOptions(method="weighted_average", origins=0))
    tuesday = result.frame.set_index("interval_start")["forecast"][pd.Timestamp("2024-02-27 10:00")]
    assert tuesday == pytest.approx(pattern(1, 10), rel=0.35)  # unclipped, it would be ~13x
