"""The demo's history is whole counts with the noise real counts have (the real 1999 totals, each interval's
calls shared among the queues by chance), so its forecasts cannot backtest below the Poisson floor."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from scheduling.forecast import ForecastOptions, forecast
from scheduling.history import IntervalHistory
from wfm.demo import history as demo_history

TODAY = dt.date(2026, 3, 4)  # any day: the history is moved by whole weeks to end before it


@pytest.fixture(scope="module")
def demo_frame() -> pd.DataFrame:
    return demo_history.queue_history(TODAY)[0].frame


def test_demo_history_is_whole_counts(demo_frame):
    offered = demo_frame["offered"].to_numpy()
    assert len(offered)
    assert np.array_equal(offered, np.round(offered))
    assert (offered >= 0).all()


def test_demo_history_keeps_the_real_daily_totals(demo_frame):
    real = pd.read_csv(demo_history.DATA / "calls_6min_1999.csv.gz", usecols=["date", "calls"])
    real_days = real.groupby("date")["calls"].sum()
    shift = demo_frame["interval_start"].max().normalize() - pd.Timestamp(real["date"].max())
    ours = demo_frame.groupby((demo_frame["interval_start"] - shift).dt.strftime("%Y-%m-%d"))["offered"].sum()
    halves = real.assign(half=real["calls"] % 1 != 0).groupby("date")["half"].sum()
    compared = real_days.index.intersection(ours.index)
    assert len(compared) >= 360
    for day in compared:
        # the source holds a few half calls on one day: each is rounded up or down
        assert abs(ours[day] - real_days[day]) <= halves[day] / 2 + 1e-9, day


def test_each_queue_is_noisy_like_real_counts(demo_frame):
    """Counts drawn by chance: in one weekday and hour, a queue's share of the calls varies from interval
    to interval as binomial draws do (a fixed share times the total would not vary at all)."""
    biggest = demo_frame.groupby("queue")["offered"].sum().idxmax()
    total = demo_frame.groupby("interval_start")["offered"].sum()
    busy = total[total >= 20].index
    one = demo_frame[demo_frame["queue"] == biggest].set_index("interval_start")["offered"].reindex(busy)
    share = (one.fillna(0) / total[busy]).rename("share").reset_index()
    slot = [share["interval_start"].dt.day_of_week, share["interval_start"].dt.hour]
    spread = share.groupby(slot)["share"].std().dropna()
    mean = share.groupby(slot)["share"].mean()[spread.index]
    n = total[busy].groupby([busy.day_of_week, busy.hour]).mean()[spread.index]
    binomial = np.sqrt(mean * (1 - mean) / n)
    assert len(spread) > 50
    assert (spread / binomial).median() == pytest.approx(1.0, abs=0.35)


def test_a_demo_queue_backtests_at_or_above_the_poisson_floor(demo_frame):
    code = demo_frame.groupby("queue")["offered"].sum().idxmin()  # the smallest: noise matters most
    one = demo_frame[demo_frame["queue"] == code].reset_index(drop=True)
    start = (one["interval_start"].max() - pd.Timedelta(days=13)).date()
    result = forecast(IntervalHistory(one, demo_history.INTERVAL_MINUTES), start, 7, ForecastOptions())
    ratios = result.backtest["ratio"].dropna()
    assert len(ratios)
    assert ratios.min() >= 0.9
