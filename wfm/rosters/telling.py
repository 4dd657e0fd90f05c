"""Telling agents what a publish changes: every day of theirs whose published shift, activities or work
blocks differ from what they saw before (from whichever roster spoke for the day), before and after, in
words; days published for the first time are listed as such. In-app always, by e-mail where configured
(`wfm.selfservice.notify`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduling.text import Sentence
from wfm.selfservice import notify
from wfm.selfservice.messages import Count, Day, Listed

MESSAGE_LIMIT = 400  # Notification.message; the whole list goes in its detail


@dataclass
class DayChange:
    day: dt.date
    before: dict | None  # the published row the agent saw (None: a day off)
    after: dict | None  # the new row (None: a day off)
    first_time: bool  # nothing was published for the day before


def comparable(row: dict | None) -> tuple | None:
    if row is None:
        return None
    return (
        row["shift"],
        tuple(tuple(a) for a in row.get("activities") or []),
        tuple(tuple(b) for b in row.get("blocks") or []),
    )


def changes(
    before: dict[tuple[int, str], dict], snapshot: list[dict], days: set[dt.date], known: set[dt.date]
) -> dict[int, list[DayChange]]:
    """Agent id -> the days of `days` whose row in `snapshot` differs from `before` (what agents saw; `known`:
    the days something was published for). A first publish lists the agent's shifts only."""
    wanted = {d.isoformat(): d for d in days}
    after = {(r["agent_id"], r["day"]): r for r in snapshot if r["day"] in wanted}
    out: dict[int, list[DayChange]] = {}
    for agent_id, iso in sorted(set(before) | set(after), key=lambda k: (k[0], k[1])):
        old, new = before.get((agent_id, iso)), after.get((agent_id, iso))
        day = wanted[iso]
        if day not in known:
            if new is not None:
                out.setdefault(agent_id, []).append(DayChange(day, None, new, True))
        elif comparable(old) != comparable(new):
            out.setdefault(agent_id, []).append(DayChange(day, old, new, False))
    return out


def describe(row: dict | None, types: dict) -> Sentence:
    """A published row in words: "08:00–16:00 (Day) with meeting Huddle 10:00–10:30", or "day off" (a
    Sentence, written in the reader's language when read)."""
    if row is None:
        return Sentence("day off")
    start, end = dt.datetime.fromisoformat(row["start"]), dt.datetime.fromisoformat(row["end"])
    template = types.get(row["shift"], {}).get("template", "")
    text = f"{start:%H:%M}–{end:%H:%M}" + (f" ({template})" if template else "")
    activities = [
        Sentence(
            "%(kind)s %(what)s",
            kind=Sentence(kind),
            what=" ".join(
                filter(
                    None,
                    (
                        title,
                        f"{start + dt.timedelta(minutes=a):%H:%M}–{start + dt.timedelta(minutes=b):%H:%M}",
                    ),
                )
            ),
        )
        for a, b, kind, title in row.get("activities") or []
    ]
    work = [
        f"{name} {start + dt.timedelta(minutes=a):%H:%M}–{start + dt.timedelta(minutes=b):%H:%M}"
        for a, b, _queue_id, name in row.get("blocks") or []
    ]
    if activities and work:
        return Sentence(
            "%(shift)s with %(activities)s; working %(work)s",
            shift=text,
            activities=Listed(activities),
            work=Listed(work),
        )
    if activities:
        return Sentence("%(shift)s with %(activities)s", shift=text, activities=Listed(activities))
    if work:
        return Sentence("%(shift)s; working %(work)s", shift=text, work=Listed(work))
    return Sentence("%(shift)s", shift=text)


def line(change: DayChange, types: dict) -> Sentence:
    if change.first_time:
        return Sentence("%(day)s: %(after)s", day=Day(change.day), after=describe(change.after, types))
    return Sentence(
        "%(day)s: %(before)s → %(after)s",
        day=Day(change.day),
        before=describe(change.before, types),
        after=describe(change.after, types),
    )


def message_for(days: list[DayChange], types: dict) -> tuple[Sentence, list[Sentence]]:
    """(the notification's message, its detail: one line per day), as Sentences for the reader's language."""
    moved = [c for c in days if not c.first_time]
    new = [c for c in days if c.first_time]
    lines = [line(c, types) for c in moved]
    if new:
        lines.append(Sentence("Published for the first time (%(shifts)s):", shifts=Count(len(new), "shift")))
        lines += [line(c, types) for c in new]
    if not moved:
        first, last = new[0].day, new[-1].day
        if last != first:
            return Sentence(
                "Your schedule for %(first)s to %(last)s is published: %(shifts)s.",
                first=Day(first),
                last=Day(last),
                shifts=Count(len(new), "shift"),
            ), lines
        return Sentence(
            "Your schedule for %(first)s is published: %(shifts)s.",
            first=Day(first),
            shifts=Count(len(new), "shift"),
        ), lines
    parts = [line(c, types) for c in moved]
    shown: list[Sentence] = []
    for part in parts:
        rest = len(parts) - len(shown) - 1
        trial = _changed(moved, [*shown, part], rest)
        if shown and len(trial) > MESSAGE_LIMIT:
            break
        shown.append(part)
    return _changed(moved, shown, len(parts) - len(shown)), lines


def _changed(moved: list[DayChange], shown: list[Sentence], rest: int) -> Sentence:
    if rest:
        return Sentence(
            "Your published schedule changed on %(days)s: %(changes)s; and %(more)s (open the notification "
            "for all).",
            days=Count(len(moved), "day"),
            changes=Listed(shown, "; "),
            more=Count(rest, "more day", "more days"),
        )
    return Sentence(
        "Your published schedule changed on %(days)s: %(changes)s.",
        days=Count(len(moved), "day"),
        changes=Listed(shown, "; "),
    )


def tell(changes_by_agent: dict[int, list[DayChange]], types: dict) -> int:
    """Notify each agent whose published days changed, a first publish of their days included (the
    schedule they will work is news to them); returns how many agents were told."""
    told = 0
    for agent_id, days in changes_by_agent.items():
        told += 1
        message, detail = message_for(days, types)
        notify.notify_agent(agent_id, message, "/my/schedule", detail=detail)
    return told


def tell_booked(agent, session, course_name: str) -> None:
    """A training session the agent was booked on is a change to their day too: say when and where, and
    which published shift it falls in, if any."""
    from wfm.selfservice.published import shifts_of

    start = f"{session.start_minute // 60:02d}:{session.start_minute % 60:02d}"
    end = f"{session.end_minute // 60:02d}:{session.end_minute % 60:02d}"
    values = {"course": course_name, "day": Day(session.day), "hours": f"{start}–{end}"}
    shifts = shifts_of(agent.id, agent.site_id, session.day, session.day)
    if shifts:
        values["shift"] = shifts[0].label
    if session.location:
        values["place"] = session.location
    if shifts and session.location:
        sentence = Sentence(
            "You are booked on training: %(course)s, %(day)s %(hours)s (%(place)s). It falls in your "
            "published shift %(shift)s.",
            **values,
        )
    elif shifts:
        sentence = Sentence(
            "You are booked on training: %(course)s, %(day)s %(hours)s. It falls in your published shift "
            "%(shift)s.",
            **values,
        )
    elif session.location:
        sentence = Sentence(
            "You are booked on training: %(course)s, %(day)s %(hours)s (%(place)s).", **values
        )
    else:
        sentence = Sentence("You are booked on training: %(course)s, %(day)s %(hours)s.", **values)
    notify.notify_agent(agent.id, sentence, "/my/schedule")
