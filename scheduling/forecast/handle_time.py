"""Handle time forecast: a recency-weighted same-slot, same-weekday average, pulled toward the queue's
weekday mean where few calls were handled (so a slot with two calls does not get a wild value)."""

from __future__ import annotations

import numpy as np

from scheduling.forecast.series import QueueSeries

AHT_HALF_LIFE_WEEKS = 4.0
PRIOR_CALLS = 20.0  # the weekday mean counts as this many handled calls in every slot


def forecast_handle_time(series: QueueSeries, act_weekday: np.ndarray) -> np.ndarray | None:
    """Handle time seconds per target day and slot, or None when the history has no handle time."""
    if series.aht_sum is None or series.aht_weight is None:
        return None
    age = (len(series.dates) - np.arange(len(series.dates))).astype(float)
    weights = np.where(series.usable, 0.5 ** (age / (7 * AHT_HALF_LIFE_WEEKS)), 0.0)
    total_weight = weights @ series.aht_weight
    overall = (weights @ series.aht_sum).sum() / total_weight.sum() if total_weight.sum() > 0 else np.nan
    if not np.isfinite(overall):
        return None
    patterns = {}
    for w in np.unique(act_weekday):
        mine = np.where(series.weekday == w, weights, 0.0)
        num, den = mine @ series.aht_sum, mine @ series.aht_weight
        mean = num.sum() / den.sum() if den.sum() > 0 else overall
        patterns[int(w)] = (num + PRIOR_CALLS * mean) / (den + PRIOR_CALLS)
    return np.stack([patterns[int(w)] for w in act_weekday])
