"""Coarsen interval history: finer intervals summed into coarser ones (6 -> 12, 15 -> 60 minutes ...)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduling.history.intervals import IntervalHistory


def coarsen(history: IntervalHistory, interval_minutes: int) -> IntervalHistory:
    """Sum counts into ``interval_minutes`` buckets; handle time is averaged weighted by handled calls.

    The new length must be a multiple of the old one and divide a day, so every fine interval falls in
    exactly one coarse interval and no count is split.
    """
    old = history.interval_minutes
    if interval_minutes % old or 1440 % interval_minutes or interval_minutes > 1440:
        raise ValueError(f"interval_minutes: {interval_minutes} is not a multiple of {old} dividing a day")
    frame = history.frame
    start = frame["interval_start"].dt.floor(f"{interval_minutes}min")
    weight = frame["handled"].where(frame["handled"].notna(), frame["offered"]).fillna(0.0)
    has_aht = frame["aht_seconds"].notna()
    work = pd.DataFrame({
        "interval_start": start,
        "queue": frame["queue"],
        "offered": frame["offered"],
        "handled": frame["handled"],
        "abandoned": frame["abandoned"],
        "_aht_weight": weight.where(has_aht, 0.0),
        "_aht_seconds": (frame["aht_seconds"] * weight).where(has_aht, 0.0),
    })
    grouped = work.groupby(["queue", "interval_start"], sort=True)
    out = grouped[["offered", "_aht_weight", "_aht_seconds"]].sum()
    for column in ("handled", "abandoned"):
        out[column] = grouped[column].sum(min_count=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["aht_seconds"] = np.where(out["_aht_weight"] > 0, out["_aht_seconds"] / out["_aht_weight"], np.nan)
    out = out.reset_index()[["interval_start", "queue", "offered", "handled", "abandoned", "aht_seconds"]]
    return IntervalHistory(frame=out, interval_minutes=interval_minutes)
