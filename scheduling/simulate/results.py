"""A finished simulation as the result object of `wfm simulate --json`, with 95% confidence intervals.

A rate (service level, abandonment, the share who waited, ASA, occupancy) is a ratio of sums over the
replications, R = ΣX / ΣY, never a mean of per-replication ratios, so a replication with few contacts
weighs little. Its interval comes from the delta method: the replications' residuals X - R·Y have a sample
variance s², and R ± t(0.975, n-1)·s / (√n · mean Y). With one replication there is no interval (None).
Counts are means per replication. A rate whose denominator is zero in every replication is None: nothing
was there to measure, which is not the same as a service level of 0.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from scheduling.simulate.engine import COUNTS, RATES, Moments, Outcome

COUNT_KEYS = ("offered", "served", "abandoned", "served_within_target", "abandoned_after_target")


def result_dict(outcome: Outcome, seconds: float) -> dict:
    scenario = outcome.scenario
    n_types, n_periods = len(scenario.types), scenario.periods
    cells = _cells(outcome.contacts)
    types, by_period = {}, {}
    for t, kind in enumerate(scenario.types):
        types[kind.name] = cells[n_types * n_periods + t]
        by_period[kind.name] = [{"period": p, **cells[t * n_periods + p]} for p in range(n_periods)]
    groups = {}
    busy = _ratio(outcome.groups, 0, bounded=True)
    for g, group in enumerate(scenario.groups):
        groups[group.name] = {"occupancy": busy[0][g], "occupancy_ci": [busy[1][g], busy[2][g]]}
    return {
        "replications": outcome.contacts.replications,
        "seed": outcome.seed,
        "seconds": round(seconds, 3),
        "total": cells[-1],
        "types": types,
        "groups": groups,
        "by_period": by_period,
    }


def _cells(moments: Moments) -> list[dict]:
    n = moments.replications
    means = moments.first / n
    out: list[dict] = [{} for _ in range(moments.first.shape[1])]
    for key in COUNT_KEYS:
        column = means[COUNTS.index(key)]
        for cell, value in zip(out, column.tolist(), strict=True):
            cell[key] = value
    for r, (key, _, _, bounded) in enumerate(RATES):
        value, low, high = _ratio(moments, r, bounded)
        for c, cell in enumerate(out):
            cell[key] = value[c]
            cell[f"{key}_ci"] = [low[c], high[c]]
    return out


def _ratio(moments: Moments, rate: int, bounded: bool) -> tuple[list, list, list]:
    """R = ΣX / ΣY per cell with its interval; None where undefined."""
    n = moments.replications
    sx, sy, sxx, syy, sxy = moments.rates[rate]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = sx / sy
        if n > 1:
            residual = np.maximum(sxx - 2.0 * ratio * sxy + ratio**2 * syy, 0.0) / (n - 1)
            half = stats.t.ppf(0.975, n - 1) * np.sqrt(residual / n) / (sy / n)
        else:
            half = np.full_like(ratio, np.nan)
    if bounded:
        ratio = np.minimum(ratio, 1.0)
    low, high = ratio - half, ratio + half
    if bounded:
        low, high = np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)
    defined = sy > 0
    return (
        _values(ratio, defined),
        _values(low, defined & (n > 1)),
        _values(high, defined & (n > 1)),
    )


def _values(array: np.ndarray, defined: np.ndarray) -> list:
    return [float(v) if ok and math.isfinite(v) else None for v, ok in zip(array, defined, strict=True)]
