"""Schedule adherence and conformance, minute by minute, for one agent and day.

The schedule says, per minute, one of: on the phones, on a break, in an activity (training, a meeting,
coaching, offline work) or off. The agent's states (events, each holding until the next) say the same in
their terms: signed in, available, on a contact or in after-contact work count as on the phones; a break as
a break; training or a meeting as an activity; signed out (or no event yet) as off.

- A scheduled minute is adherent when the two agree, or when an approved exception covers it.
- Adherence = adherent minutes / scheduled minutes (minutes the schedule says anything but off).
- Conformance = minutes worked (any state but off, scheduled or not) / scheduled minutes: whether the
  hours were given, whenever they were.
- Out of adherence now: the run of non-adherent scheduled minutes ending at the last minute counted; an
  agent is listed once the run reaches the site's grace period.

Only minutes before ``until`` count, so a day in progress is judged as far as it has come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PHONES, BREAK, ACTIVITY, OFF = "on the phones", "on a break", "in an activity", "off"
STATE_KIND = {
    "signed_in": PHONES,
    "available": PHONES,
    "on_contact": PHONES,
    "after_contact_work": PHONES,
    "break": BREAK,
    "training": ACTIVITY,
    "meeting": ACTIVITY,
    "signed_out": OFF,
}


@dataclass(frozen=True)
class Span:
    start: dt.datetime
    end: dt.datetime
    kind: str


@dataclass(frozen=True)
class DayAdherence:
    scheduled_minutes: int
    adherent_minutes: int
    worked_minutes: int
    out_now_minutes: int  # the current run of non-adherent scheduled minutes
    scheduled_now: str  # what the schedule says for the last minute counted
    actual_now: str

    @property
    def adherence(self) -> float | None:
        return self.adherent_minutes / self.scheduled_minutes if self.scheduled_minutes else None

    @property
    def conformance(self) -> float | None:
        return self.worked_minutes / self.scheduled_minutes if self.scheduled_minutes else None


def schedule_spans(
    shift_start: dt.datetime,
    shift_end: dt.datetime,
    breaks: Iterable[tuple[int, int]],
    activities: Iterable[tuple[int, int]],
) -> list[Span]:
    """A published shift as spans: breaks and activities (minutes from the shift start) over the phones."""
    out = [Span(shift_start, shift_end, PHONES)]
    for kind, items in ((BREAK, breaks), (ACTIVITY, activities)):
        for a, b in items:
            out.append(
                Span(shift_start + dt.timedelta(minutes=a), shift_start + dt.timedelta(minutes=b), kind)
            )
    return out


def minute_kinds(spans: list[Span], first: dt.datetime, minutes: int) -> list[str]:
    """The schedule per minute from ``first``: later spans (breaks, activities) over earlier ones."""
    out = [OFF] * minutes
    for span in spans:
        a = max(0, int((span.start - first).total_seconds() // 60))
        b = min(minutes, int(-(-(span.end - first).total_seconds() // 60)))
        for m in range(a, b):
            out[m] = span.kind
    return out


def state_kinds(events: list[tuple[dt.datetime, str]], first: dt.datetime, minutes: int) -> list[str]:
    """The agent's state per minute from ``first``: each minute takes the state in force at its start
    (the last event at or before it; off before any)."""
    ordered = sorted(events)
    out, current, k = [], OFF, 0
    for m in range(minutes):
        moment = first + dt.timedelta(minutes=m)
        while k < len(ordered) and ordered[k][0] <= moment:
            current = STATE_KIND.get(ordered[k][1], OFF)
            k += 1
        out.append(current)
    return out


def adherence(
    scheduled: list[Span],
    events: list[tuple[dt.datetime, str]],
    exceptions: list[tuple[dt.datetime, dt.datetime]],
    day: dt.date,
    until: dt.datetime,
) -> DayAdherence:
    """One agent's day up to ``until`` (exclusive), from midnight."""
    first = dt.datetime.combine(day, dt.time())
    minutes = max(0, min(24 * 60, int((until - first).total_seconds() // 60)))
    plan = minute_kinds(scheduled, first, minutes)
    state = state_kinds(events, first, minutes)
    excused = minute_kinds([Span(a, b, "excused") for a, b in exceptions], first, minutes)
    scheduled_minutes = adherent = worked = run = 0
    for m in range(minutes):
        worked += state[m] != OFF
        if plan[m] == OFF:
            run = 0
            continue
        scheduled_minutes += 1
        if plan[m] == state[m] or excused[m] == "excused":
            adherent += 1
            run = 0
        else:
            run += 1
    return DayAdherence(
        scheduled_minutes=scheduled_minutes,
        adherent_minutes=adherent,
        worked_minutes=worked,
        out_now_minutes=run,
        scheduled_now=plan[-1] if minutes else OFF,
        actual_now=state[-1] if minutes else OFF,
    )
