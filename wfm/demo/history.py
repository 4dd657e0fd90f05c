"""The demo centre's history, from the real Anonymous Bank data shipped in `data/` (see ATTRIBUTION.md).

Each interval's real 1999 calls are shared among the queues by chance (multinomial draws with a fixed
seed) with each queue's share of calls in that weekday and hour, as measured in the February 1999 per-call
records: whole counts that add up to the real totals and are as noisy as real queues' counts, so a backtest
cannot beat the Poisson floor the way fractional shares of one total did. Handle time per queue and hour
and callers' patience per queue are measured in the February records too. The year is moved forward by
whole weeks to end just before the demo's day, so weekdays stay aligned; for a centre whose week is the
1999 week moved (`Centre.days_later`: Beijing works Monday to Friday where the 1999 centre worked Sunday to
Thursday) by whole weeks and those days, so the data's working week falls on the centre's.

The channels the 1999 centre did not have (web chat, video advice, back-office work items) are derived
from its real calls by binomial thinning, each with a stated source and share (`DERIVED`): every real
call of the source queue in an interval becomes, independently with that probability, one contact of the
new channel in the same interval (a copy: the voice queue keeps its calls). The new channel thus has the
real intraday, weekly and yearly pattern and real Poisson-like noise of its source, at its own volume.
Their handle times are not in the data: the demo's typed handle times are used (`DERIVED`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from scheduling.history import (
    IntervalHistory,
    aggregate_calls,
    queue_by_type_and_priority,
    read_call_records,
)
from wfm.demo import centres
from wfm.demo.centre import Centre
from wfm.forecasting.history import adopt_call_statistics, queue_lookup, store_intervals
from wfm.models import Site

DATA = Path(__file__).resolve().parent / "data"
INTERVAL_MINUTES = 15
SOURCE_MINUTES = 6
SEED = 1999  # the draws below are fixed: every demo load has the same history

# channel queue -> (source import code, share of its calls kept, handle seconds). Chats follow retail
# callers (the customers who now write rather than call), video meetings the priority clients (wealth
# advice), back-office work items the prospective customers' calls (applications to enter and check).
DERIVED = {
    "Web chat": ("PS", 0.45, 420.0),
    "Video advice": ("PS-priority", 0.08, 1200.0),
    "Back office": ("NW", 0.6, 600.0),
}


def _split_among_queues(calls: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Each interval's real calls shared among the queues by multinomial draws with the queues' shares:
    whole counts that add up to the real total, as noisy as counts of real queues.

    The source holds a few half calls (one day of 1999); each is rounded up or down by a fair coin.
    """
    rng = np.random.default_rng(SEED)
    whole = np.floor(calls).astype(np.int64)
    whole += rng.binomial(1, calls - whole)
    return rng.multinomial(whole, shares)


def _into_quarters(starts: pd.Series, counts: np.ndarray, codes: list[str]) -> pd.DataFrame:
    """Six-minute counts summed into 15-minute intervals; a six-minute interval that straddles a boundary
    sends each of its calls to one side by chance, in proportion to its minutes on that side.

    Every queue gets a row in every interval where the centre had calls (zero when it had none of them).
    """
    rng = np.random.default_rng(SEED + 1)
    quarter = starts.dt.floor(f"{INTERVAL_MINUTES}min")
    boundary = quarter + pd.Timedelta(minutes=INTERVAL_MINUTES)
    before = ((boundary - starts).dt.total_seconds() / 60).clip(upper=SOURCE_MINUTES).to_numpy()
    first = rng.binomial(counts, (before / SOURCE_MINUTES)[:, None])
    parts = []
    for stamps, values in ((quarter, first), (boundary, counts - first)):
        part = pd.DataFrame(values, columns=codes)
        part["interval_start"] = stamps.to_numpy()
        parts.append(part)
    wide = pd.concat(parts).groupby("interval_start").sum()
    wide = wide[wide.sum(axis=1) > 0]
    frame = wide.reset_index().melt(id_vars="interval_start", var_name="queue", value_name="offered")
    frame["offered"] = frame["offered"].astype(float)
    for column in ("handled", "abandoned", "aht_seconds"):
        frame[column] = np.nan
    return frame.sort_values(["queue", "interval_start"]).reset_index(drop=True)


def shift_to(last_day: dt.date, before: dt.date, days_later: int = 0) -> dt.timedelta:
    """Whole weeks and `days_later` days that move `last_day` to the latest day before `before` with the
    weekday `days_later` after its own."""
    moved = last_day + dt.timedelta(days=days_later)
    weeks = ((before - dt.timedelta(days=1)) - moved).days // 7
    return dt.timedelta(weeks=weeks, days=days_later)


def queue_history(today: dt.date, days_later: int = 0) -> tuple[IntervalHistory, pd.DataFrame]:
    """Per-queue 15-minute history (labelled by import code) and the February call statistics, the data's
    weekdays moved `days_later` days (see `shift_to`)."""
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
    counts = _split_among_queues(totals["calls"].to_numpy(), weights / weights.sum(axis=1, keepdims=True))
    frame = _into_quarters(totals["interval_start"], counts, list(share.columns))
    aggregate = aggregate_calls(calls, interval_minutes=60, queue_of=queue_by_type_and_priority)
    hourly_aht = (
        aggregate.history.frame.assign(hour=lambda f: f["interval_start"].dt.hour)
        .groupby(["queue", "hour"])["aht_seconds"]
        .mean()
    )
    hours = frame["interval_start"].dt.hour
    frame["aht_seconds"] = [
        hourly_aht.get((q, h), np.nan) for q, h in zip(frame["queue"], hours, strict=True)
    ]
    shift = shift_to(frame["interval_start"].max().date(), today, days_later)
    frame["interval_start"] = frame["interval_start"] + pd.Timedelta(shift)
    return IntervalHistory(frame.reset_index(drop=True), INTERVAL_MINUTES), aggregate.queues


def derived_history(frame: pd.DataFrame, centre: Centre | None = None) -> pd.DataFrame:
    """The new channels' history from the per-code frame by binomial thinning (see the module docstring),
    labelled with the centre's queue names (the structure's, `DERIVED`, by default)."""
    rng = np.random.default_rng(SEED + 2)
    parts = []
    for queue, (code, share, handle) in DERIVED.items():
        source = frame[frame["queue"] == code]
        part = source[["interval_start"]].copy()
        part["queue"] = centre.say("queue", queue) if centre is not None else queue
        part["offered"] = rng.binomial(source["offered"].to_numpy(dtype=np.int64), share).astype(float)
        part["handled"] = np.nan
        part["abandoned"] = np.nan
        part["aht_seconds"] = handle
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def load(site: Site, today: dt.date | None = None) -> int:
    """Store the demo history for the site's coded queues and the derived channels; return the number of
    intervals stored."""
    centre = centres.of_site(site)
    history, call_stats = queue_history(today or dt.date.today(), centre.days_later)
    lookup = queue_lookup(site)
    both = pd.concat([history.frame, derived_history(history.frame, centre)], ignore_index=True)
    frame = both[both["queue"].str.lower().isin(lookup)].copy()
    frame["queue_id"] = frame["queue"].str.lower().map({k: q.id for k, q in lookup.items()}).astype(int)
    # Codes of one queue (NE and NE-priority) are summed into that queue's intervals.
    handled = frame["offered"]
    frame = (
        frame.assign(weighted_aht=frame["aht_seconds"] * handled)
        .groupby(["queue_id", "interval_start"], as_index=False)
        .agg(offered=("offered", "sum"), weighted_aht=("weighted_aht", "sum"))
    )
    frame["aht_seconds"] = (frame["weighted_aht"] / frame["offered"].where(frame["offered"] > 0)).where(
        frame["offered"] > 0
    )
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
        centre.history_source,
        "intervals",
        None,
        {},
    )
    return len(frame)
