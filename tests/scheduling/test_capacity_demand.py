"""Long-range demand: the monthly forecast finds a known trend and yearly season; channel shifts keep the
total; monthly volume becomes FTE as the staffing models and the workload say."""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd
import pytest

from scheduling.capacity.demand import ChannelShift, effective_days, forecast_months, shift_channels
from scheduling.capacity.fte import hour_of_week_profile, required_fte
from scheduling.staffing import ServiceTarget

SEASON = 1 + 0.2 * np.sin(2 * np.pi * np.arange(12) / 12)
WEEKDAY = np.array([1.2, 1.1, 1.0, 1.0, 1.1, 0.8, 0.8])


def synthetic_daily(start: str, end: str) -> pd.Series:
    days = pd.date_range(start, end, freq="D")
    months_in = (days.year - days[0].year) * 12 + days.month - 1
    level = 1000 * (1 + 0.01 * months_in) * SEASON[days.month - 1] * WEEKDAY[days.day_of_week]
    return pd.Series(np.asarray(level, dtype=float), index=days)


def test_trend_and_yearly_season_are_forecast_from_three_years():
    history = synthetic_daily("2021-01-01", "2023-12-31")
    truth = synthetic_daily("2021-01-01", "2024-12-31")
    result = forecast_months(history, 12)
    assert result.method == "holt_winters"
    assert result.months[0] == "2024-01"
    came = truth[truth.index >= "2024-01-01"].groupby(truth[truth.index >= "2024-01-01"].index.month).sum()
    errors = np.abs(result.volume - came.to_numpy()) / came.to_numpy()
    assert errors.max() < 0.05
    # a flat forecast would miss the season by far more
    assert (np.abs(came.mean() - came.to_numpy()) / came.to_numpy()).max() > 0.15


def test_effective_days_count_the_weekdays_a_month_holds():
    weights = np.array([2.0, 1, 1, 1, 1, 1, 0])  # Mondays count double, Sundays not at all
    mondays = sum(1 for d in range(1, 32) if calendar.weekday(2027, 3, d) == 0)
    sundays = sum(1 for d in range(1, 32) if calendar.weekday(2027, 3, d) == 6)
    assert effective_days("2027-03", weights) == pytest.approx(31 + mondays - sundays)


def test_a_start_inside_the_history_is_refused():
    with pytest.raises(ValueError, match="start"):
        forecast_months(synthetic_daily("2021-01-01", "2021-12-31"), 3, start="2021-06")


def test_a_channel_shift_moves_the_share_a_year_and_keeps_the_total():
    voice = np.full(24, 1000.0)
    result = shift_channels(
        {"voice": voice, "chat": np.full(24, 100.0)},
        [ChannelShift("voice", {"chat": 0.75, "video": 0.25}, 0.10)],
    )
    assert result["voice"][11] == pytest.approx(900.0)
    assert result["voice"][23] == pytest.approx(810.0)
    total = result["voice"] + result["chat"] + result["video"]
    assert np.allclose(total, 1100.0)
    assert result["video"][11] == pytest.approx(25.0)


def test_back_office_fte_is_the_workload_and_erlang_needs_more():
    flat = np.full(168, 1 / 168)
    months = ("2027-02",)
    volume = np.array([28 * 3000.0])
    work = ServiceTarget(model="back-office", deadline_hours=8, shrinkage=0.25)
    fte = required_fte(volume, months, flat, 360.0, work)
    weekly_hours = 3000 * 7 * 360 / 3600
    assert fte[0] == pytest.approx(weekly_hours / 0.75 / 40)
    phones = required_fte(volume, months, flat, 360.0, ServiceTarget(shrinkage=0.25))
    assert phones[0] > fte[0]


def test_the_hour_of_week_profile_adds_up_to_one_and_follows_the_calls():
    stamps = pd.date_range("2027-03-01", periods=14 * 24, freq="h")  # two weeks, from a Monday
    calls = pd.Series(np.where(stamps.hour == 10, 5.0, 1.0), index=stamps)
    profile = hour_of_week_profile(calls)
    assert profile.sum() == pytest.approx(1.0)
    assert profile[10] == pytest.approx(5 * profile[11])
