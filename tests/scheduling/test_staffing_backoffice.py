"""Back-office work with deadlines: every interval's work done on time, with the smallest possible peak."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scheduling.staffing import ServiceTarget, evaluate_backoffice, plan_backoffice, requirement_frame

INTERVAL = 900.0  # 15 minutes


def _simulate_fifo(starts, work, agents, deadline_hours, per_agent=INTERVAL):
    """Item by item, interval by interval: returns for each arrival interval whether it finished in time."""
    queue = []  # [arrival index, remaining seconds]
    finished_at = {}
    for t, (w, n) in enumerate(zip(work, agents, strict=True)):
        if w > 0:
            queue.append([t, float(w)])
        capacity = n * per_agent
        while queue and capacity > 1e-9:
            take = min(capacity, queue[0][1])
            queue[0][1] -= take
            capacity -= take
            if queue[0][1] <= 1e-6:
                finished_at[queue.pop(0)[0]] = t
    on_time = []
    for i, w in enumerate(work):
        if w <= 0:
            continue
        done = finished_at.get(i)
        # interval `done` starts before arrival start + deadline: allowed
        on_time.append(done is not None and starts[done] < starts[i] + deadline_hours * 3600)
    return np.array(on_time)


def _lower_bound_peak(starts, work, deadline_hours, per_agent=INTERVAL):
    """max over windows of work arriving in [i, k] over the intervals open from i to k's deadline."""
    best = 0.0
    n = len(work)
    for i in range(n):
        for k in range(i, n):
            last = max(k, int(np.searchsorted(starts, starts[k] + deadline_hours * 3600, side="left")) - 1)
            best = max(best, work[i : k + 1].sum() / ((last - i + 1) * per_agent))
    return int(np.ceil(best - 1e-9))


def _open_day_starts(days=2):
    """15-minute intervals from 08:00 to 18:00 each day: nights are closed (gaps in the timestamps)."""
    return np.concatenate([d * 86400 + 8 * 3600 + np.arange(40) * INTERVAL for d in range(days)])


@pytest.mark.parametrize("deadline_hours", [0.1, 1.0, 4.0, 24.0])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plan_meets_every_deadline_with_the_smallest_peak(deadline_hours, seed):
    rng = np.random.default_rng(seed)
    starts = _open_day_starts()
    work = rng.poisson(6, starts.size) * 300.0 * (rng.random(starts.size) < 0.7)
    plan = plan_backoffice(starts, work, interval_seconds=INTERVAL, deadline_hours=deadline_hours)
    assert _simulate_fifo(starts, work, plan.agents, deadline_hours).all()
    assert plan.agents.max() == plan.peak
    assert plan.peak == _lower_bound_peak(starts, work, deadline_hours)
    if plan.peak > 0:
        fewer = np.minimum(plan.agents, plan.peak - 1)
        assert not _simulate_fifo(starts, work, np.full(starts.size, plan.peak - 1), deadline_hours).all()
        assert not _simulate_fifo(starts, work, fewer, deadline_hours).all()
    np.testing.assert_allclose(plan.done_seconds.sum(), work.sum())
    assert np.all(plan.on_time == 1.0)


def test_longer_deadline_never_needs_a_higher_peak_and_spreads_a_burst():
    starts = np.arange(32) * INTERVAL
    work = np.zeros(32)
    work[0] = 16 * INTERVAL  # sixteen agent-intervals arriving at once
    peaks = [
        plan_backoffice(starts, work, interval_seconds=INTERVAL, deadline_hours=h).peak for h in (1, 2, 4, 8)
    ]
    assert peaks == [4, 2, 1, 1]


def test_evening_work_carries_over_the_closed_night_only_with_a_long_deadline():
    starts = _open_day_starts()
    work = np.zeros(starts.size)
    work[39] = 8 * INTERVAL  # arrives in the last open interval of day one
    short = plan_backoffice(starts, work, interval_seconds=INTERVAL, deadline_hours=2)
    assert short.peak == 8  # nobody works at night: it must all be done in that interval
    overnight = plan_backoffice(starts, work, interval_seconds=INTERVAL, deadline_hours=16)
    assert overnight.peak == 1
    assert overnight.agents[40:47].sum() == 7


def test_reverse_calculation_reports_late_work():
    starts = np.arange(8) * INTERVAL
    work = np.array([4, 0, 0, 0, 0, 0, 0, 0]) * INTERVAL
    result = evaluate_backoffice(
        starts, work, np.ones(8, dtype=int), interval_seconds=INTERVAL, deadline_hours=0.5
    )
    assert result.on_time[0] == pytest.approx(0.5)  # two of four agent-intervals done within two intervals


def test_backoffice_in_the_requirement_frame_with_occupancy_cap():
    starts = pd.date_range("2024-03-04 08:00", periods=16, freq="15min")
    forecast = pd.DataFrame({"interval_start": starts, "queue": "loans", "forecast": [30] + [0] * 15})
    target = ServiceTarget(model="back-office", deadline_hours=2, max_occupancy=0.75, service_level=None)
    result = requirement_frame(forecast, target, aht_seconds=180)  # 30 × 180 s = 6 agent-intervals of work
    # 6 / 0.75 = 8 intervals of one agent
    assert result["agents"].max() == 1
    assert result["agents"].sum() == 8
    assert (result["service_level"] == 1.0).all()
    assert result["asa_seconds"].isna().all()
    assert result["occupancy"].max() == pytest.approx(0.75)
