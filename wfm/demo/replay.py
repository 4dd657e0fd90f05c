"""Replay one day of real 1999 calls, and agent states made up from the published roster, into a day of the
demo centre, through the operations the API and the file drop use, at a chosen speed.

The calls: the demo history's own derivation of the Anonymous Bank 1999 data (`wfm.demo.history`: the
real six-minute totals shared among the queues, moved by whole weeks), taken on the replayed day itself,
so the day the forecast and the roster were made for receives a real day of calls it has not seen.
Answered, abandoned and answered-within-target figures are drawn (seeded) from the offered calls.

The agents: every agent of the published roster that day signs in around their shift's start (most on
time, a few late), takes their breaks and activities (some return late), alternates between contacts and
waiting on the phones, and signs out at the end: enough for adherence to have something to say.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from wfm.demo import centres
from wfm.demo.history import INTERVAL_MINUTES, queue_history
from wfm.extensions import db
from wfm.forecasting.history import queue_lookup
from wfm.forecasting.service_level import skills_of
from wfm.formatting import counted
from wfm.intraday.actuals import record_events, record_intervals
from wfm.models import Agent, Queue, Site
from wfm.rosters import offphone, truth

SEED = 1999
ABANDON_SHARE = 0.05
IN_TIME_SHARE = 0.8


@dataclass(frozen=True)
class Item:
    """Something the replay sends once its moment has passed: an interval row or a state event."""

    due: dt.datetime
    kind: str  # intervals | events
    row: dict


def interval_rows(site: Site, day: dt.date) -> list[Item]:
    """The day's calls per queue and 15-minute interval, due when each interval ends."""
    # the data's last week covers `day`, moved as the centre's history is
    history, _stats = queue_history(day + dt.timedelta(days=8), centres.of_site(site).days_later)
    frame = history.frame
    frame = frame[frame["interval_start"].dt.date == day]
    lookup = queue_lookup(site)
    frame = frame[frame["queue"].str.lower().isin(lookup)].copy()
    frame["name"] = frame["queue"].str.lower().map({k: q.name for k, q in lookup.items()})
    frame["weighted"] = frame["aht_seconds"].fillna(0) * frame["offered"]
    per_queue = frame.groupby(["name", "interval_start"], as_index=False).agg(
        offered=("offered", "sum"), weighted=("weighted", "sum")
    )
    rng = np.random.default_rng(SEED)
    items = []
    for row in per_queue.itertuples():
        offered = round(row.offered)
        abandoned = int(rng.binomial(offered, ABANDON_SHARE))
        answered = offered - abandoned
        start = row.interval_start.to_pydatetime()
        items.append(
            Item(
                start + dt.timedelta(minutes=INTERVAL_MINUTES),
                "intervals",
                {
                    "interval_start": start.isoformat(timespec="minutes"),
                    "queue": row.name,
                    "interval_minutes": INTERVAL_MINUTES,
                    "offered": offered,
                    "answered": answered,
                    "abandoned": abandoned,
                    "answered_within_target": int(rng.binomial(answered, IN_TIME_SHARE)),
                    "aht_seconds": round(row.weighted / row.offered, 1)
                    if answered and row.weighted > 0
                    else None,
                },
            )
        )
    return items


def _queue_of(site: Site, agent_ids: list[int], day: dt.date) -> dict[int, str]:
    queues = db.session.scalars(select(Queue).where(Queue.site_id == site.id, Queue.active.is_(True))).all()
    skills = skills_of(agent_ids, day)
    out = {}
    for agent in agent_ids:
        held = skills.get(agent, {})
        able = [q for q in queues if held.get(q.skill_id, 0) >= q.min_proficiency]
        if able:
            out[agent] = max(able, key=lambda q: (held[q.skill_id], -q.id)).name
    return out


def event_rows(site: Site, day: dt.date) -> list[Item]:
    """Made-up but plausible states of every agent rostered on `day`, each due at its own moment."""
    rows = [r for (agent, d), r in truth.seen_rows(site.id, {day}).items() if d == day.isoformat()]
    numbers = dict(
        db.session.execute(
            select(Agent.id, Agent.employee_number).where(Agent.id.in_([r["agent_id"] for r in rows]))
        ).all()
    )
    queue_of = _queue_of(site, list(numbers), day)
    rng = np.random.default_rng(SEED + 1)
    items: list[Item] = []
    for row in sorted(rows, key=lambda r: (r["start"], r["agent_id"])):
        agent = numbers.get(row["agent_id"])
        if agent is None:
            continue
        start, end = dt.datetime.fromisoformat(row["start"]), dt.datetime.fromisoformat(row["end"])
        away = sorted(
            [(*span, "break") for span in offphone.spans(row.get("breaks"))]
            + [
                (a.start, a.end, "meeting" if "meeting" in a.kind.lower() else "training")
                for a in offphone.activities(row.get("activities"))
            ]
        )
        late = int(rng.choice([0, 0, 0, 1, 2, 3, 12]))
        moments: list[tuple[dt.datetime, str]] = [(start + dt.timedelta(minutes=late), "signed_in")]
        cursor = start + dt.timedelta(minutes=late + 1)
        for a, b, state in [*away, (None, None, None)]:
            stop = end if a is None else start + dt.timedelta(minutes=a)
            while cursor < stop:
                moments.append((cursor, "on_contact" if rng.random() < 0.7 else "available"))
                cursor += dt.timedelta(minutes=int(rng.integers(2, 8)))
            if a is not None:
                moments.append((start + dt.timedelta(minutes=a), state))
                cursor = start + dt.timedelta(minutes=b + int(rng.choice([0, 0, 1, 4])))
                moments.append((cursor, "available"))
        moments.append((end, "signed_out"))
        for n, (moment, state) in enumerate(moments):
            event = {
                "event_id": f"replay-{day}-{agent}-{n}",
                "agent": agent,
                "at": moment.isoformat(),
                "state": state,
            }
            if state == "on_contact":
                if row["agent_id"] not in queue_of:
                    event["state"] = "available"
                else:
                    event["queue"] = queue_of[row["agent_id"]]
            items.append(Item(moment, "events", event))
    return items


def replay(
    site: Site,
    day: dt.date,
    speed: float,
    begin: dt.time,
    until: dt.time,
    say: Callable[[str], None],
    instant: bool = False,
) -> dict[str, int]:
    """Send the day's items in order of their moments from `begin` to `until` of `day`: at `speed` times
    real time (one real second is `speed` seconds of the day), or all at once when `instant`."""
    first, last = dt.datetime.combine(day, begin), dt.datetime.combine(day, until)
    items = sorted(interval_rows(site, day) + event_rows(site, day), key=lambda i: (i.due, i.kind))
    items = [i for i in items if i.due <= last]
    sent = {"intervals": 0, "events": 0}
    started = time.monotonic()
    position, tick = 0, dt.timedelta(minutes=INTERVAL_MINUTES)
    clock = first
    while position < len(items):
        if instant:
            clock = items[position].due + tick  # an interval's worth at a time
        else:
            clock = first + dt.timedelta(seconds=(time.monotonic() - started) * speed)
        batch = []
        while position < len(items) and items[position].due <= clock:
            batch.append(items[position])
            position += 1
        if batch:
            for kind, record in (("intervals", record_intervals), ("events", record_events)):
                rows = [i.row for i in batch if i.kind == kind]
                if rows:
                    record(rows, site.id)
                    sent[kind] += len(rows)
            db.session.commit()
            reached = min(clock, last)
            say(
                f"{reached:%H:%M}: {counted(sent['intervals'], 'interval')} and "
                f"{counted(sent['events'], 'agent state')} sent"
            )
        if not instant:
            time.sleep(1.0)
    return sent
