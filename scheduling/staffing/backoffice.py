"""Back-office work with a completion deadline: the smallest peak headcount that finishes all work on time.

Work items are not answered live. The work arriving in an interval (items × handle time) may be done from
that interval on and must be finished before `deadline_hours` have passed since the interval started, by
agents working in the open intervals (the rows given; a gap in the timestamps is closed time, when nobody
works). Every interval's work has the same relative deadline, so first-in-first-out is also
earliest-deadline-first, which is optimal for divisible work on one pool of agents: a capacity profile is
feasible exactly when FIFO with it meets every deadline.

The smallest integer peak P is found by bisection, each probe a vectorised FIFO run: the backlog after
interval t is R_t - min(0, min_{s<=t} R_s) with R the running sum of (work - capacity), so no Python loop
runs per interval. With P agents available in every open interval the work is then done as early as
possible, and each interval gets the agents its share of the work needs, ceil(work done / one agent's
capacity), never more than P. One agent's capacity in an interval is its length × the occupancy cap.
Work arriving near the end of the rows given must be finished within them (nothing is known of later
opening hours), so plan a horizon that runs at least one deadline past the days that matter.

Carry-over: over several days, work not finished when a day closes waits in the backlog and is
tomorrow's opening backlog (the nights are gaps in the timestamps, so FIFO simply resumes next morning);
`backlog_seconds` holds the work waiting after each interval and `daily_backlog` reads each day's opening
and closing backlog off it. An `opening_backlog_seconds` is work already waiting when the first interval
opens (yesterday's closing backlog): it is first in line and due by the first interval's deadline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BackOfficePlan:
    """Agents per open interval, the work each interval completes, and whether deadlines hold.

    `on_time` is the share of each interval's arriving work finished by its deadline (1 for intervals
    without work); `done_seconds` the seconds of work completed in each interval.
    """

    agents: np.ndarray
    done_seconds: np.ndarray
    on_time: np.ndarray
    peak: int
    backlog_seconds: np.ndarray | None = None  # work waiting after each interval (arrived, not yet done)


def deadline_positions(starts: np.ndarray, interval_seconds: float, deadline_hours: float) -> np.ndarray:
    """Index of the last open interval that may work on each interval's arrivals (starts sorted, seconds).

    Interval j may work on interval i's work when j >= i and j starts before start_i + deadline; at least
    the arrival interval itself always may (a deadline shorter than an interval leaves just that one).
    """
    starts = np.asarray(starts, dtype=float)
    if np.any(np.diff(starts) < interval_seconds - 1e-6):
        raise ValueError("interval starts must be increasing by at least one interval")
    last = np.searchsorted(starts, starts + deadline_hours * 3600.0, side="left") - 1
    return np.maximum(last, np.arange(starts.size))


def completed(work_seconds: np.ndarray, capacity_seconds: np.ndarray) -> np.ndarray:
    """Cumulative seconds of work done by the end of each interval under FIFO with the given capacity."""
    running = np.cumsum(work_seconds - capacity_seconds)
    backlog = running - np.minimum(np.minimum.accumulate(running), 0.0)
    return np.cumsum(work_seconds) - backlog


def on_time_share(work_seconds: np.ndarray, done_cumulative: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Share of each interval's work finished by the end of its last allowed interval (FIFO order)."""
    arrived_before = np.cumsum(work_seconds) - work_seconds
    finished = np.clip(done_cumulative[last] - arrived_before, 0.0, work_seconds)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(work_seconds > 0, finished / work_seconds, 1.0)


def plan_backoffice(
    starts: np.ndarray,
    work_seconds: np.ndarray,
    *,
    interval_seconds: float,
    deadline_hours: float,
    max_occupancy: float | None = None,
    opening_backlog_seconds: float = 0.0,
) -> BackOfficePlan:
    """Agents per open interval with the smallest peak such that every interval's work meets its deadline.

    `opening_backlog_seconds`: work already waiting at the first interval, due with the first interval's
    arrivals (its share on time is counted in `on_time[0]`).
    """
    work = _with_backlog(work_seconds, opening_backlog_seconds)
    last = deadline_positions(starts, interval_seconds, deadline_hours)
    per_agent = interval_seconds * (max_occupancy or 1.0)
    if work.size == 0 or work.sum() <= 0:
        zeros = np.zeros(work.size)
        return BackOfficePlan(np.zeros(work.size, dtype=np.int64), zeros, np.ones(work.size), 0, zeros)

    def feasible(peak: int) -> bool:
        done = completed(work, np.full(work.size, peak * per_agent))
        return bool(np.all(on_time_share(work, done, last) >= 1.0 - 1e-9))

    high = int(np.ceil(work.max() / per_agent - 1e-9))  # enough to finish each interval's work at once
    low = 0
    while high - low > 1:
        middle = (low + high) // 2
        if feasible(middle):
            high = middle
        else:
            low = middle
    done = completed(work, np.full(work.size, high * per_agent))
    done_seconds = np.diff(done, prepend=0.0)
    agents = np.minimum(np.ceil(done_seconds / per_agent - 1e-9), high).astype(np.int64)
    return BackOfficePlan(agents, done_seconds, on_time_share(work, done, last), high, _backlog(work, done))


def evaluate_backoffice(
    starts: np.ndarray,
    work_seconds: np.ndarray,
    agents: np.ndarray,
    *,
    interval_seconds: float,
    deadline_hours: float,
    max_occupancy: float | None = None,
    opening_backlog_seconds: float = 0.0,
) -> BackOfficePlan:
    """The reverse calculation: with this headcount per interval, how much work finishes on time (and how
    much waits after each interval: the backlog a day closes with is the next day's opening backlog)."""
    work = _with_backlog(work_seconds, opening_backlog_seconds)
    agents = np.asarray(agents)
    last = deadline_positions(starts, interval_seconds, deadline_hours)
    done = completed(work, agents * interval_seconds * (max_occupancy or 1.0))
    peak = int(agents.max()) if agents.size else 0
    return BackOfficePlan(
        agents.astype(np.int64),
        np.diff(done, prepend=0.0),
        on_time_share(work, done, last),
        peak,
        _backlog(work, done),
    )


def _with_backlog(work_seconds: np.ndarray, opening_backlog_seconds: float) -> np.ndarray:
    work = np.array(work_seconds, dtype=float)
    if np.any(~np.isfinite(work)) or np.any(work < 0):
        raise ValueError("work_seconds must be finite and >= 0")
    if not np.isfinite(opening_backlog_seconds) or opening_backlog_seconds < 0:
        raise ValueError("opening_backlog_seconds must be finite and >= 0")
    if opening_backlog_seconds and work.size == 0:
        raise ValueError("opening_backlog_seconds needs at least one open interval to be worked in")
    if work.size:
        work[0] += opening_backlog_seconds
    return work


def _backlog(work: np.ndarray, done_cumulative: np.ndarray) -> np.ndarray:
    return np.maximum(np.cumsum(work) - done_cumulative, 0.0)


def daily_backlog(starts: np.ndarray, plan: BackOfficePlan, opening_backlog_seconds: float = 0.0) -> list:
    """Per day (whole days of seconds from the first start's midnight): (day index, opening backlog,
    closing backlog) in seconds of work. A day's opening backlog is the previous day's closing one."""
    starts = np.asarray(starts, dtype=float)
    if plan.backlog_seconds is None or starts.size == 0:
        return []
    days = np.floor(starts / 86400.0).astype(np.int64)
    result = []
    opening = float(opening_backlog_seconds)
    for day in np.unique(days):
        closing = float(plan.backlog_seconds[np.flatnonzero(days == day)[-1]])
        result.append((int(day - days[0]), opening, closing))
        opening = closing
    return result
