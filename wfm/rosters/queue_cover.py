"""Cover per queue and interval, counted from the work blocks stored on the roster's cells (never taken
from the solver): an agent counts for a queue in an interval when one of their blocks on that queue spans
the whole interval, as an agent counts on the phones only through a whole interval (`coverage.on_phones`).
The requirement is the queue's own, as the plan was built from it (`blocks.queue_needs`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _

from wfm.models import Roster
from wfm.rosters import blocks


def step_of(roster: Roster) -> dt.timedelta:
    """The plan's interval (a quarter hour without a plan)."""
    return dt.timedelta(minutes=roster.plan.interval_minutes if roster.plan else blocks.SLOT_MINUTES)


def working(cells, first: dt.datetime, last: dt.datetime, step: dt.timedelta) -> dict[int, dict]:
    """Queue id -> interval start (on the grid from `first`, before `last`) -> agents working it then."""
    out: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for cell in cells:
        if cell.end <= first or cell.start >= last:
            continue
        for b in blocks.blocks_of(cell):
            start, end = b.at(cell.start)
            moment = first + max(0, -(-(start - first) // step)) * step
            while moment + step <= end and moment < last:
                out[b.queue_id][moment] += 1
                moment += step
    return out


def day_cover(roster: Roster, day: dt.date, cells=None) -> dict:
    """{times, queues: [{id, name, need, working, short, short_intervals}], without_blocks}: one day on the
    plan's grid, for every queue with a requirement or a block that day."""
    step = step_of(roster)
    first = dt.datetime.combine(day, dt.time())
    last = first + dt.timedelta(days=1)
    times = [first + k * step for k in range(int(dt.timedelta(days=1) / step))]
    cells = list(roster.assignments if cells is None else cells)
    counts = working(cells, first, last, step)
    needs = blocks.queue_needs(roster)
    names = {q.id: q.name for q in roster.site.queues}
    shown = sorted(
        {q for q, row in needs.items() if any(row.get(t, 0) > 0 for t in times)} | set(counts),
        key=lambda q: (names.get(q, ""), q),
    )
    queues = []
    for q in shown:
        need = [round(needs.get(q, {}).get(t, 0)) for t in times]
        work = [counts.get(q, {}).get(t, 0) for t in times]
        short = [max(0, n - w) for n, w in zip(need, work, strict=True)]
        queues.append(
            {
                "id": q,
                "name": names.get(q) or _("a queue no longer listed"),
                "need": need,
                "working": work,
                "short": short,
                "short_intervals": sum(1 for s in short if s),
            }
        )
    without = sum(1 for c in cells if c.day == day and c.blocks is None)
    return {"day": day, "step": step, "times": times, "queues": queues, "without_blocks": without}


def summary(roster: Roster, dates: list[dt.date], cells=None) -> list[dict]:
    """Per queue over `dates` (the week a page shows), from `day_cover`: intervals it needs agents, those
    short, and the agent-hours needed and worked on it."""
    cells = list(roster.assignments if cells is None else cells)
    out: dict[int, dict] = {}
    hours = step_of(roster).total_seconds() / 3600
    for day in dates:
        for q in day_cover(roster, day, cells)["queues"]:
            row = out.setdefault(
                q["id"], {"id": q["id"], "name": q["name"], "open": 0, "short": 0, "need": 0.0, "worked": 0.0}
            )
            row["open"] += sum(1 for n in q["need"] if n > 0)
            row["short"] += q["short_intervals"]
            row["need"] += sum(q["need"]) * hours
            row["worked"] += sum(q["working"]) * hours
    return sorted(out.values(), key=lambda r: r["name"])
