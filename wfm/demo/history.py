"""The demo centre's history, from the real Anonymous Bank data shipped in `data/` (see ATTRIBUTION.md).

Each queue's volume is the real 1999 total per interval times the queue's share of calls in that weekday
and hour, as measured in the February 1999 per-call records; handle time per queue and hour and callers'
patience per queue are measured there too. The year is moved forward by whole weeks to end just before
the demo's day, so weekdays stay aligned.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from scheduling.history import (
    IntervalHistory,
    aggregate_calls,
    coarsen,
    queue_by_type_and_priority,
    read_call_records,
)
from wfm.forecasting.history import adopt_call_statistics, queue_lookup, store_intervals
from wfm.models import Site

DATA = Path(__file__).resolve().parent / "data"
INTERVAL_MINUTES = 15


def shift_to(last_day: dt.date, before: dt.date) -> dt.timedelta:
    """Whole weeks that move `last_day` to the latest day before `before` with the same weekday."""
    weeks = ((before - dt.timedelta(days=1)) - last_day).days // 7
    return dt.timedelta(weeks=weeks)


def queue_history(today: dt.date) -> tuple[IntervalHistory, pd.DataFrame]:
    """Per-queue 15-minute history (labelled by import code) and the February call statistics."""
    totals = pd.read_csv(DATA / "calls_6min_1999.csv.gz", usecols=["date", "start_time", "calls"])
    totals["interval_start"] = pd.to_datetime(totals["date"] + " " + totals["start_time"])
    calls = read_call_records(DATA / "calls_february_1999.tsv.gz", name="calls_february_1999.tsv")
    codes = [
        queue_by_type_and_priority(t, int(p)) for t, p in zip(calls["type"], calls["priority"], strict=True)
    ]
    mix = pd.DataFrame(
        {"code": codes, "weekday": calls["arrival"].dt.day_of_week, "hour": calls["arrival"].dt.hour}
    )
    per_slot = mix.groupby(["weekday", "hour", "code"]).size().unstack("code", fill_value=0)
    overall = mix["code"].value_counts(normalize=True)
    share = per_slot.div(per_slot.sum(axis=1), axis=0)
    share = share.reindex(pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"]))
    share = share.apply(lambda column: column.fillna(overall[column.name]))
    slot = pd.MultiIndex.from_arrays(
        [totals["interval_start"].dt.day_of_week, totals["interval_start"].dt.hour]
    )
    weights = share.reindex(slot).to_numpy()
    volume = totals["calls"].to_numpy()[:, None] * weights
    frames = []
    aggregate = aggregate_calls(calls, interval_minutes=60, queue_of=queue_by_type_and_priority)
    hourly_aht = (
        aggregate.history.frame.assign(hour=lambda f: f["interval_start"].dt.hour)
        .groupby(["queue", "hour"])["aht_seconds"]
        .mean()
    )
    for position, code in enumerate(share.columns):
        frames.append(
            pd.DataFrame(
                {
                    "interval_start": totals["interval_start"],
                    "queue": code,
                    "offered": volume[:, position],
                    "handled": np.nan,
                    "abandoned": np.nan,
                    "aht_seconds": np.nan,
                }
            )
        )
    fine = IntervalHistory(
        pd.concat(frames, ignore_index=True).sort_values(["queue", "interval_start"]).reset_index(drop=True),
        6,
    )
    history = coarsen(fine, INTERVAL_MINUTES, split=True)
    frame = history.frame
    frame = frame[frame["offered"] > 1e-9].copy()
    hours = frame["interval_start"].dt.hour
    frame["aht_seconds"] = [
        hourly_aht.get((q, h), np.nan) for q, h in zip(frame["queue"], hours, strict=True)
    ]
    shift = shift_to(frame["interval_start"].max().date(), today)
    frame["interval_start"] = frame["interval_start"] + pd.Timedelta(shift)
    return IntervalHistory(frame.reset_index(drop=True), INTERVAL_MINUTES), aggregate.queues


def load(site: Site, today: dt.date | None = None) -> int:
    """Store the demo history for the site's coded queues; return the number of intervals stored."""
    history, call_stats = queue_history(today or dt.date.today())
    lookup = queue_lookup(site)
    frame = history.frame[history.frame["queue"].str.lower().isin(lookup)].copy()
    frame["queue_id"] = frame["queue"].str.lower().map({k: q.id for k, q in lookup.items()}).astype(int)
    # Codes of one queue (NE and NE-priority) are summed into that queue's intervals.
    handled = frame["offered"]
    frame = (
        frame.assign(weighted_aht=frame["aht_seconds"] * handled)
        .groupby(["queue_id", "interval_start"], as_index=False)
        .agg(offered=("offered", "sum"), weighted_aht=("weighted_aht", "sum"))
    )
    frame["aht_seconds"] = frame["weighted_aht"] / frame["offered"]
    names = {q.id: q.name for q in lookup.values()}
    frame["queue"] = frame["queue_id"].map(names)
    frame["handled"] = np.nan
    frame["abandoned"] = np.nan
    adopt_call_statistics(
        call_stats, {name: lookup[name.lower()].id for name in call_stats["queue"] if name.lower() in lookup}
    )
    store_intervals(
        site,
        frame,
        INTERVAL_MINUTES,
        "demo: Anonymous Bank 1999 (moved to recent weeks)",
        "intervals",
        None,
        {},
    )
    return len(frame)
