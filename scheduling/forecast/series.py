"""One queue's history as a dense day x slot matrix, the shape every method works on.

Rows are consecutive calendar days, columns the intervals of the day (slot = minutes since midnight //
interval). A day the file says nothing about (no queue has any row that day) is NaN: missing, not zero.
Within a day the file covers, an absent interval had no contacts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from scheduling.history import IntervalHistory


@dataclass(frozen=True)
class QueueSeries:
    """``values`` (days x slots, NaN on missing days), ``dates`` (one per row, midnight), ``usable``
    (rows that are ordinary days to learn from: not missing, holiday, special or anomalous), and handle
    time as a weighted sum (``aht_sum`` / ``aht_weight``, weights are handled calls; None without AHT)."""

    queue: str
    dates: pd.DatetimeIndex
    values: np.ndarray
    usable: np.ndarray
    interval_minutes: int
    aht_sum: np.ndarray | None = None
    aht_weight: np.ndarray | None = None

    @property
    def slots(self) -> int:
        return self.values.shape[1]

    @property
    def weekday(self) -> np.ndarray:
        return self.dates.day_of_week.to_numpy()

    def upto(self, origin: int) -> QueueSeries:
        """The series as known before row ``origin`` (for backtests)."""
        cut = slice(0, origin)
        return replace(
            self,
            dates=self.dates[cut],
            values=self.values[cut],
            usable=self.usable[cut],
            aht_sum=None if self.aht_sum is None else self.aht_sum[cut],
            aht_weight=None if self.aht_weight is None else self.aht_weight[cut],
        )


def build_series(history: IntervalHistory) -> dict[str, QueueSeries]:
    """Pivot the history into one :class:`QueueSeries` per queue, sharing one calendar of days."""
    frame = history.frame
    minutes = history.interval_minutes
    slots = 1440 // minutes
    day = frame["interval_start"].dt.normalize()
    first, last = day.min(), day.max()
    dates = pd.date_range(first, last, freq="D")
    row = ((day - first).dt.days).to_numpy()
    col = ((frame["interval_start"] - day).dt.total_seconds() // 60 // minutes).astype(int).to_numpy()
    present = np.zeros(len(dates), dtype=bool)
    present[row] = True
    out: dict[str, QueueSeries] = {}
    queue_codes, queue_names = pd.factorize(frame["queue"], sort=True)
    offered = frame["offered"].to_numpy(dtype=float)
    aht = frame["aht_seconds"].to_numpy(dtype=float)
    weight = frame["handled"].where(frame["handled"].notna(), frame["offered"]).to_numpy(dtype=float)
    has_aht = np.isfinite(aht) & (weight > 0)
    for code, name in enumerate(queue_names):
        mine = queue_codes == code
        values = np.zeros((len(dates), slots))
        np.add.at(values, (row[mine], col[mine]), offered[mine])
        values[~present] = np.nan
        aht_sum = aht_weight = None
        if has_aht[mine].any():
            use = mine & has_aht
            aht_sum, aht_weight = np.zeros_like(values), np.zeros_like(values)
            np.add.at(aht_sum, (row[use], col[use]), aht[use] * weight[use])
            np.add.at(aht_weight, (row[use], col[use]), weight[use])
        out[str(name)] = QueueSeries(
            queue=str(name),
            dates=dates,
            values=values,
            usable=present.copy(),
            interval_minutes=minutes,
            aht_sum=aht_sum,
            aht_weight=aht_weight,
        )
    return out


def mark_anomalous_days(series: QueueSeries, window_weeks: int = 4, factor: float = 2.5) -> QueueSeries:
    """Drop from learning the days whose total is far from the median of the same weekday nearby.

    Such days are usually unlisted holidays, outages or data gaps; averaging them in would pull every
    forecast of that weekday. The test is a ratio (``factor`` either way) to the median of up to
    ``window_weeks`` same-weekday usable days on each side, so a lasting change of level is only doubted
    for a couple of weeks.
    """
    totals = np.where(series.usable, np.nansum(series.values, axis=1), np.nan)
    weekday = series.weekday
    keep = series.usable.copy()
    for w in range(7):
        idx = np.flatnonzero(weekday == w)
        t = pd.Series(totals[idx])
        med = t.rolling(2 * window_weeks + 1, center=True, min_periods=3).median().to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = t.to_numpy() / med
        far = np.abs(t.to_numpy() - med) > 4 * np.sqrt(np.maximum(med, 1.0))  # beyond Poisson noise
        bad = np.isfinite(ratio) & (med > 0) & ((ratio > factor) | (ratio < 1 / factor)) & far
        keep[idx[bad]] = False
    return replace(series, usable=keep)


def clip_outliers(series: QueueSeries, z: float = 5.0) -> QueueSeries:
    """Clip single-interval spikes to what the day's total and the weekday's intraday shape allow.

    The expected count of an interval is its day's total times the weekday's median share of that
    interval; counts above expected + z*sqrt(expected) + z are cut back to that bound (Poisson-scaled, so
    quiet intervals are not clipped for an ordinary 3 instead of 1).
    """
    values = series.values.copy()
    weekday = series.weekday
    totals = np.nansum(values, axis=1)
    for w in range(7):
        rows = np.flatnonzero((weekday == w) & series.usable & (totals > 0))
        if len(rows) < 3:
            continue
        share = values[rows] / totals[rows, None]
        expected = totals[rows, None] * np.median(share, axis=0)[None, :]
        bound = expected + z * np.sqrt(expected) + z
        values[rows] = np.minimum(values[rows], bound)
    return replace(series, values=values)
