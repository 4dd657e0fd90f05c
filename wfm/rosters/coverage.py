"""Agents on the phones per interval of a roster (their shifts less breaks and activities), and what the
shift plan requires then: for the coverage chart and for placing meetings where the phones spare them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from wfm.models import Roster
from wfm.rosters.problem import breaks_of


def off_phone(cell, types: dict[str, dict]) -> list[list]:
    """A cell's breaks and activities as [from, to, name, ...] minutes from its start."""
    return list(breaks_of(cell, types)) + list((cell.get("activities") if isinstance(cell, dict)
                                                else cell.activities) or [])


def on_phones(roster: Roster, types: dict[str, dict], first: dt.datetime, last: dt.datetime,
              step: dt.timedelta, cells=None) -> dict[dt.datetime, int]:
    """Interval start -> agents at work through the whole interval and not on a break or an activity.
    `cells`: the roster's cells when the caller has them already (default its assignments)."""
    counts: dict[dt.datetime, int] = defaultdict(int)
    for a in roster.assignments if cells is None else cells:
        if a.end <= first or a.start >= last:
            continue
        away = [(a.start + dt.timedelta(minutes=b[0]), a.start + dt.timedelta(minutes=b[1]))
                for b in off_phone(a, types)]
        # Intervals on the grid that starts at `first`, inside the shift.
        moment = first + max(0, -(-(a.start - first) // step)) * step
        while moment + step <= a.end and moment < last:
            if not any(start < moment + step and moment < end for start, end in away):
                counts[moment] += 1
            moment += step
    return counts


def required(roster: Roster, first: dt.datetime, last: dt.datetime, step: dt.timedelta) -> dict[dt.datetime, int]:
    """Interval start (on the grid from `first`) -> agents the plan requires then, all queues: each interval
    of the grid takes the requirement of the plan interval it falls in."""
    plan = roster.plan
    out: dict[dt.datetime, int] = defaultdict(int)
    if plan is None:
        return out
    width = dt.timedelta(minutes=plan.interval_minutes)
    for c in plan.coverage:
        if c.interval_start + width <= first or c.interval_start >= last:
            continue
        moment = first + max(0, -(-(c.interval_start - first) // step)) * step
        while moment < c.interval_start + width and moment < last:
            out[moment] += c.required
            moment += step
    return out
