"""Back-office carry-over and steps: an opening backlog, the backlog carried from day to day, and work done
in steps by different people (entry, then review), all checked by an item-by-item FIFO run."""

from __future__ import annotations

import numpy as np
import pytest

from scheduling.staffing import WorkStep, daily_backlog, evaluate_backoffice, plan_backoffice, plan_steps

INTERVAL = 900.0


def _open_day_starts(days=2):
    """15-minute intervals from 08:00 to 18:00 each day: nights are closed (gaps in the timestamps)."""
    return np.concatenate([d * 86400 + 8 * 3600 + np.arange(40) * INTERVAL for d in range(days)])


def _fifo(work, agents, opening=0.0, per_agent=INTERVAL):
    """Plain loop: seconds done in each interval and the backlog after it (first come, first served)."""
    backlog, done, waiting = float(opening), [], []
    for w, n in zip(work, agents, strict=True):
        backlog += w
        take = min(backlog, n * per_agent)
        backlog -= take
        done.append(take)
        waiting.append(backlog)
    return np.array(done), np.array(waiting)


def _finish_intervals(work, capacity, opening=0.0):
    """For divisible work in FIFO order: the interval in which each arrival's last second is done
    (arrival -1 is the opening backlog); None when it is never done."""
    lots = ([[-1, float(opening)]] if opening else []) + [[t, float(w)] for t, w in enumerate(work) if w > 0]
    finished, queue = {}, []
    pending = list(lots)
    for t, cap in enumerate(capacity):
        while pending and pending[0][0] <= t:
            queue.append(pending.pop(0))
        while queue and cap > 1e-9:
            take = min(cap, queue[0][1])
            queue[0][1] -= take
            cap -= take
            if queue[0][1] <= 1e-6:
                finished[queue.pop(0)[0]] = t
    return finished


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_opening_backlog_is_done_first_and_by_the_first_deadline(seed):
    rng = np.random.default_rng(seed)
    starts = _open_day_starts(1)
    work = rng.poisson(4, starts.size) * 300.0
    opening = float(rng.integers(5, 40)) * 600.0
    plan = plan_backoffice(
        starts, work, interval_seconds=INTERVAL, deadline_hours=2.0, opening_backlog_seconds=opening
    )
    finished = _finish_intervals(work, plan.agents * INTERVAL, opening)
    assert starts[finished[-1]] < starts[0] + 2 * 3600  # the opening backlog by the first deadline
    for t in np.flatnonzero(work > 0):
        assert starts[finished[t]] < starts[t] + 2 * 3600
    without = plan_backoffice(starts, work, interval_seconds=INTERVAL, deadline_hours=2.0)
    assert plan.peak >= without.peak
    assert plan.agents.sum() * INTERVAL >= work.sum() + opening - 1e-6


def test_a_day_closes_with_the_backlog_the_next_day_opens_with():
    rng = np.random.default_rng(7)
    starts = _open_day_starts(2)
    work = rng.poisson(6, starts.size) * 300.0
    agents = np.full(starts.size, 1)  # too few: work is left over at each day's close
    both = evaluate_backoffice(starts, work, agents, interval_seconds=INTERVAL, deadline_hours=24.0)
    done, waiting = _fifo(work, agents)
    assert np.allclose(both.done_seconds, done)
    assert np.allclose(both.backlog_seconds, waiting)
    days = daily_backlog(starts, both)
    assert [d for d, _, _ in days] == [0, 1]
    assert days[0][1] == 0.0
    assert days[0][2] == pytest.approx(waiting[39])
    assert days[0][2] > 0
    assert days[1][1] == pytest.approx(days[0][2])  # yesterday's closing backlog opens today
    # The second day alone, opened with the first day's closing backlog, works exactly the same
    second = evaluate_backoffice(
        starts[40:],
        work[40:],
        agents[40:],
        interval_seconds=INTERVAL,
        deadline_hours=24.0,
        opening_backlog_seconds=days[0][2],
    )
    assert np.allclose(second.done_seconds, both.done_seconds[40:])
    assert np.allclose(second.backlog_seconds, both.backlog_seconds[40:])


def test_negative_opening_backlog_is_refused_by_name():
    with pytest.raises(ValueError, match="opening_backlog_seconds"):
        plan_backoffice(
            _open_day_starts(1),
            np.ones(40),
            interval_seconds=INTERVAL,
            deadline_hours=1,
            opening_backlog_seconds=-1,
        )


STEPS = [
    WorkStep("entry", 420.0, "Back-office processing"),
    WorkStep("review", 180.0, "Back-office review", min_proficiency=3, other_agent=True),
]


@pytest.mark.parametrize("seed", [1, 2])
def test_every_item_passes_entry_then_review_within_its_deadline(seed):
    rng = np.random.default_rng(seed)
    starts = _open_day_starts(2)
    items = rng.poisson(3, starts.size).astype(float)
    deadline = 4.0
    plans = plan_steps(
        starts,
        items,
        STEPS,
        interval_seconds=INTERVAL,
        deadline_hours=deadline,
        opening_backlog_items={"entry": 10},
    )
    assert [p.step.name for p in plans] == ["entry", "review"]
    assert sum(p.deadline_hours for p in plans) + INTERVAL / 3600 == pytest.approx(deadline)
    # Entry: item by item with entry's agents
    entry_cap = plans[0].plan.agents * INTERVAL
    entry_done, _ = _fifo(items * 420.0, plans[0].plan.agents, opening=10 * 420.0)
    assert np.allclose(plans[0].plan.done_seconds, entry_done)
    entered = entry_done / 420.0
    reaching_review = np.concatenate([[0.0], entered[:-1]])
    reaching_review[-1] += entered[-1]
    assert np.allclose(plans[1].items, reaching_review)
    assert plans[1].items.sum() == pytest.approx(items.sum() + 10)  # nothing lost between the steps
    finished_entry = _finish_intervals(items * 420.0, entry_cap, 10 * 420.0)
    review_cap = plans[1].plan.agents * INTERVAL
    finished_review = _finish_intervals(reaching_review * 180.0, review_cap)
    # An arrival's last item is entered in interval e and reviewed in interval r > e, with r starting
    # before arrival + deadline (arrivals late on the last day excepted: they reach review at its end)
    checked = 0
    for t in [*(np.flatnonzero(items > 0).tolist()), -1]:
        e = finished_entry[t]
        arrival = starts[0] if t == -1 else starts[t]
        if e + 1 >= starts.size - 1 or starts[e + 1] - starts[e] > INTERVAL:
            continue  # entered as the day closes: reviewed next morning (see scheduling.staffing.steps)
        r = finished_review[e + 1]
        assert r > e
        assert starts[r] < arrival + deadline * 3600
        checked += 1
    assert checked > 10


def test_step_deadlines_must_leave_time_for_the_hand_overs():
    with pytest.raises(ValueError, match="deadline_hours"):
        plan_steps(_open_day_starts(1), np.ones(40), STEPS, interval_seconds=INTERVAL, deadline_hours=0.25)
    with pytest.raises(ValueError, match="opening_backlog_items"):
        plan_steps(
            _open_day_starts(1),
            np.ones(40),
            STEPS,
            interval_seconds=INTERVAL,
            deadline_hours=4,
            opening_backlog_items={"check": 3},
        )
