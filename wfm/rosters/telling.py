"""Telling agents what a publish changes: every day of theirs whose published shift, activities or work
blocks differ from what they saw before (from whichever roster spoke for the day), before and after, in
words; days published for the first time are listed as such. In-app always, by e-mail where configured
(`wfm.selfservice.notify`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from wfm.extensions import db
from wfm.formatting import counted
from wfm.i18n.dates import written
from wfm.i18n.languages import DEFAULT_LANGUAGE, language_of
from wfm.rosters import labels
from wfm.selfservice import notify

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


def describe(row: dict | None, types: dict) -> str:
    """A published row in words: "08:00–16:00 (Day) with meeting Huddle 10:00–10:30", or "day off"."""
    if row is None:
        return _("day off")
    start, end = dt.datetime.fromisoformat(row["start"]), dt.datetime.fromisoformat(row["end"])
    template = types.get(row["shift"], {}).get("template", "")
    text = f"{start:%H:%M}–{end:%H:%M}" + (f" ({template})" if template else "")
    activities = [
        " ".join(
            filter(
                None,
                (
                    labels.activity_kind(kind),
                    title,
                    f"{start + dt.timedelta(minutes=a):%H:%M}–{start + dt.timedelta(minutes=b):%H:%M}",
                ),
            )
        )
        for a, b, kind, title in row.get("activities") or []
    ]
    if activities:
        text = _("%(shift)s with %(activities)s", shift=text, activities=", ".join(activities))
    work = [
        f"{name} {start + dt.timedelta(minutes=a):%H:%M}–{start + dt.timedelta(minutes=b):%H:%M}"
        for a, b, _queue_id, name in row.get("blocks") or []
    ]
    return text + (_("; working %(blocks)s", blocks=", ".join(work)) if work else "")


def line(change: DayChange, types: dict) -> str:
    day = written(change.day, "day")
    if change.first_time:
        return f"{day}: {describe(change.after, types)}"
    return f"{day}: {describe(change.before, types)} → {describe(change.after, types)}"


def message_for(days: list[DayChange], types: dict) -> tuple[str, str]:
    """(the notification's message, its detail: one line per day)."""
    moved = [c for c in days if not c.first_time]
    new = [c for c in days if c.first_time]
    lines = [line(c, types) for c in moved]
    if new:
        lines.append(_("Published for the first time (%(shifts)s):", shifts=counted(len(new), "shift")))
        lines += [line(c, types) for c in new]
    detail = "\n".join(lines)
    if moved:
        head = _("Your published schedule changed on %(days)s: ", days=counted(len(moved), "day"))
        parts = [line(c, types) for c in moved]
    else:
        first, last = new[0].day, new[-1].day
        span = (
            _("%(first)s to %(last)s", first=written(first, "day"), last=written(last, "day"))
            if last != first
            else written(first, "day")
        )
        head = _(
            "Your schedule for %(span)s is published: %(shifts)s. ",
            span=span,
            shifts=counted(len(new), "shift"),
        )
        parts = []
    shown: list[str] = []
    for part in parts:
        rest = len(parts) - len(shown) - 1
        if shown and len(head + "; ".join([*shown, part]) + _more(rest)) > MESSAGE_LIMIT:
            break
        shown.append(part)
    text = head + "; ".join(shown) + (_more(len(parts) - len(shown)) if parts else "")
    return text.strip(), detail


def _more(rest: int) -> str:
    if not rest:
        return _(".")
    return _("; and %(days)s (open the notification for all).", days=counted(rest, "more day", "more days"))


def tell(changes_by_agent: dict[int, list[DayChange]], types: dict) -> int:
    """Notify each agent whose published days changed, a first publish of their days included (the
    schedule they will work is news to them); returns how many agents were told."""
    told = 0
    for agent_id, days in changes_by_agent.items():
        told += 1
        with force_locale(reader_language(agent_id)):
            message, detail = message_for(days, types)
        notify.notify_agent(agent_id, message, "/my/schedule", detail=detail)
    return told


def reader_language(agent_id: int) -> str:
    """The language the agent reads the product in (their account's choice), English without one."""
    from wfm.models import User

    chosen = db.session.scalar(select(User.language).where(User.agent_id == agent_id).limit(1))
    return language_of(chosen) or DEFAULT_LANGUAGE


def tell_booked(agent, session, course_name: str) -> None:
    """A training session the agent was booked on is a change to their day too: say when and where, and
    which published shift it falls in, if any."""
    from wfm.selfservice.published import shifts_of

    start = f"{session.start_minute // 60:02d}:{session.start_minute % 60:02d}"
    end = f"{session.end_minute // 60:02d}:{session.end_minute % 60:02d}"
    shifts = shifts_of(agent.id, agent.site_id, session.day, session.day)
    with force_locale(reader_language(agent.id)):
        values = {"course": course_name, "day": written(session.day, "day"), "start": start, "end": end}
        if session.location:
            text = _(
                "You are booked on training: %(course)s, %(day)s %(start)s–%(end)s (%(place)s).",
                place=session.location,
                **values,
            )
        else:
            text = _("You are booked on training: %(course)s, %(day)s %(start)s–%(end)s.", **values)
        if shifts:
            text += " " + _("It falls in your published shift %(shift)s.", shift=shifts[0].label)
    notify.notify_agent(agent.id, text, "/my/schedule")
