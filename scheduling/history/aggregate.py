"""Coarsen interval history: finer intervals summed into coarser ones (6 -> 12, 15 -> 60 minutes ...)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduling.history.intervals import IntervalHistory


def coarsen(history: IntervalHistory, interval_minutes: int, split: bool = False) -> IntervalHistory:
    """Sum counts into ``interval_minutes`` buckets; handle time is averaged weighted by handled calls.

    The new length must divide a day and, unless ``split``, be a multiple of the old one so no count is
    divided. With ``split`` (6 -> 15 minutes, say) a fine interval straddling a boundary is shared in
    proportion to its minutes on each side, which assumes arrivals even within it and gives fractional
    counts: fine for planning, slightly less noisy than real counts for accuracy studies.
    """
    old = history.interval_minutes
    if 1440 % interval_minutes or interval_minutes < old or (interval_minutes % old and not split):
        raise ValueError(f"interval_minutes: {interval_minutes} is not a multiple of {old} dividing a day")
    frame = history.frame
    weight = frame["handled"].where(frame["handled"].notna(), frame["offered"]).fillna(0.0)
    has_aht = frame["aht_seconds"].notna()
    work = pd.DataFrame(
        {
            "interval_start": frame["interval_start"].dt.floor(f"{interval_minutes}min"),
            "queue": frame["queue"],
            "offered": frame["offered"],
            "handled": frame["handled"],
            "abandoned": frame["abandoned"],
            "_aht_weight": weight.where(has_aht, 0.0),
            "_aht_seconds": (frame["aht_seconds"] * weight).where(has_aht, 0.0),
        }
    )
    if interval_minutes % old:
        work = _split_straddling(work, frame["interval_start"], old, interval_minutes)
    grouped = work.groupby(["queue", "interval_start"], sort=True)
    out = grouped[["offered", "_aht_weight", "_aht_seconds"]].sum()
    for column in ("handled", "abandoned"):
        out[column] = grouped[column].sum(min_count=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["aht_seconds"] = np.where(
            out["_aht_weight"] > 0, out["_aht_seconds"] / out["_aht_weight"], np.nan
        )
    out = out.reset_index()[["interval_start", "queue", "offered", "handled", "abandoned", "aht_seconds"]]
    return IntervalHistory(frame=out, interval_minutes=interval_minutes)


def _split_straddling(work: pd.DataFrame, starts: pd.Series, old: int, new: int) -> pd.DataFrame:
    """Rows crossing a coarse boundary become two rows, each with its share of every count."""
    boundary = work["interval_start"] + pd.Timedelta(minutes=new)
    inside = ((boundary - starts).dt.total_seconds() / 60).clip(upper=old)
    share = (inside / old).to_numpy()
    numeric = ["offered", "handled", "abandoned", "_aht_weight", "_aht_seconds"]
    first = work.copy()
    first[numeric] = first[numeric].mul(share, axis=0)
    second = work[share < 1].copy()
    second["interval_start"] = boundary[share < 1]
    second[numeric] = second[numeric].mul(1 - share[share < 1], axis=0)
    return pd.concat([first, second], ignore_index=True)
