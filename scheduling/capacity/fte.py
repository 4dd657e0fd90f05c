"""Monthly volume to required FTE, through the same staffing models the interval plans use.

A month's volume is spread over a typical week of that month (volume / days in the month × 7) by the
queue's hour-of-week profile (168 shares, Monday 00:00 first, measured from its history); each hour's
agents come from the queue's target (`required_agents`: Erlang C, A or B, chat concurrency; back-office
work is its workload in hours, finished within the week); the week's agent-hours, grossed up for shrinkage,
divided by an FTE's weekly hours, are the month's required FTE. Erlang agents are not additive across
hours, which is why the profile matters: a flat month and a peaky one need different headcounts.
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from scheduling.staffing import ServiceTarget, required_agents

HOURS_PER_WEEK = 168
FTE_HOURS_PER_WEEK = 40.0


def hour_of_week_profile(volume: pd.Series) -> np.ndarray:
    """Shares of a week's volume per hour of the week (Monday 00:00 first), from a timestamped series."""
    if volume.empty or float(volume.sum()) <= 0:
        raise ValueError("history: no volume to take the hour-of-week profile from")
    index = pd.DatetimeIndex(volume.index)
    hour = index.day_of_week * 24 + index.hour
    totals = np.bincount(np.asarray(hour), weights=volume.to_numpy(dtype=float), minlength=HOURS_PER_WEEK)
    return totals / totals.sum()


def required_fte(
    monthly_volume: np.ndarray,
    months: tuple[str, ...] | list[str],
    profile: np.ndarray,
    aht_seconds: float,
    target: ServiceTarget,
    fte_hours_per_week: float = FTE_HOURS_PER_WEEK,
) -> np.ndarray:
    """Required FTE per month (scheduled, after shrinkage) for the queue's target."""
    if len(profile) != HOURS_PER_WEEK or abs(float(np.sum(profile)) - 1.0) > 1e-6:
        raise ValueError("profile: must hold 168 hourly shares adding up to 1")
    if not aht_seconds > 0:
        raise ValueError(f"aht_seconds: must be > 0, got {aht_seconds}")
    result = np.zeros(len(months))
    for i, (label, volume) in enumerate(zip(months, monthly_volume, strict=True)):
        year, month = (int(x) for x in label.split("-"))
        weekly = float(volume) / calendar.monthrange(year, month)[1] * 7.0
        calls = weekly * np.asarray(profile, dtype=float)
        traffic = calls * aht_seconds / 3600.0
        if target.model == "back-office":
            agent_hours = float(traffic.sum())
        else:
            agent_hours = float(np.where(traffic > 0, required_agents(traffic, aht_seconds, target), 0).sum())
        result[i] = agent_hours / (1.0 - target.shrinkage) / fte_hours_per_week
    return result
