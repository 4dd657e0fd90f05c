"""What agents see: the latest PUBLISHED version of each roster of their site (never the working draft),
on the days it speaks for (`wfm.rosters.truth`: one published truth per site and day),
turned into plain shift rows with breaks and activities; and which of them changed since the user last
looked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.first_use import insert_unless_present
from wfm.i18n import localized
from wfm.models import Roster, RosterVersion, ScheduleSeen, TimeOff
from wfm.rosters import offphone
from wfm.rosters.blocks import blocks_of
from wfm.rosters.offphone import activity_key
from wfm.rosters.problem import breaks_of
from wfm.rosters.truth import claimed, latest_version, owners, published_rosters


@dataclass
class Shift:
    """One published shift of one agent, local times of the site."""

    roster_id: int
    version: int
    agent_id: int
    day: dt.date
    shift: str
    template: str
    start: dt.datetime
    end: dt.datetime
    breaks: list[tuple[str, dt.datetime, dt.datetime]] = field(default_factory=list)
    changed: bool = False
    # Off-phone activities in the shift (a team meeting, coaching): (what, start, end); paid work, unlike
    # breaks.
    activities: list[tuple[str, dt.datetime, dt.datetime]] = field(default_factory=list)
    # Work blocks: which queue the agent works when on the phones (queue name, start, end).
    work: list[tuple[str, dt.datetime, dt.datetime]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def plain(self) -> dict:
        return {
            "day": self.day,
            "shift": self.shift,
            "template": self.template,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "changed": self.changed,
            "roster_id": self.roster_id,
            "breaks": [{"name": n, "label": f"{s:%H:%M}–{e:%H:%M}"} for n, s, e in self.breaks],
            "activities": [{"name": n, "label": f"{s:%H:%M}–{e:%H:%M}"} for n, s, e in self.activities],
            "work": [{"name": n, "label": f"{s:%H:%M}–{e:%H:%M}"} for n, s, e in self.work],
        }


def version_number(roster: Roster, number: int) -> RosterVersion | None:
    return db.session.scalar(
        select(RosterVersion).where(RosterVersion.roster_id == roster.id, RosterVersion.number == number)
    )


def _shift(roster: Roster, version: RosterVersion, row: dict) -> Shift:
    types = {t["id"]: t for t in roster.shift_types}
    kind = types.get(row["shift"], {})
    start, end = dt.datetime.fromisoformat(row["start"]), dt.datetime.fromisoformat(row["end"])
    breaks = [(b.name, *b.at(start)) for b in offphone.breaks(breaks_of(row, types))]
    activities = [(a.name, *a.at(start)) for a in offphone.activities_of(row)]
    work = [(b.queue, *b.at(start)) for b in blocks_of(row)]
    return Shift(
        roster.id,
        version.number,
        row["agent_id"],
        dt.date.fromisoformat(row["day"]),
        row["shift"],
        kind.get("template", row["shift"]),
        start,
        end,
        breaks,
        activities=activities,
        work=work,
    )


def shifts_of(agent_id: int, site_id: int, first: dt.date, last: dt.date) -> list[Shift]:
    """The agent's published shifts between two days (inclusive), in order."""
    out = []
    pairs = published_rosters(site_id, first, last)
    owner = owners(pairs)
    for roster, version in pairs:
        for row in version.assignments:
            if (
                row["agent_id"] == agent_id
                and first.isoformat() <= row["day"] <= last.isoformat()
                and owner.get(dt.date.fromisoformat(row["day"])) == roster.id
            ):
                out.append(_shift(roster, version, row))
    return sorted(out, key=lambda s: s.start)


def published_cell(roster: Roster, agent_id: int, day: dt.date) -> dict | None:
    """The agent's row on that day in the roster's latest published version (None: off)."""
    version = latest_version(roster)
    if version is None:
        return None
    return next(
        (r for r in version.assignments if r["agent_id"] == agent_id and r["day"] == day.isoformat()), None
    )


def _seen_key(row: dict) -> tuple:
    """What of a published row the agent notices changing: the shift, its activities and work blocks."""
    return (row["shift"], activity_key(row), tuple(tuple(b) for b in row.get("blocks") or []))


def mark_changes(
    user_id: int,
    shifts: list[Shift],
    agent_id: int,
    site_id: int,
    first: dt.date,
    last: dt.date,
    remember: bool = True,
) -> list[dt.date]:
    """Mark shifts that differ from the version the user last saw; return every changed day of the rosters
    shown, inside the page or not (a removed shift is a change too), so a change outside the page is still
    reported once. Then remember the latest versions as seen, so the marks show once."""
    pairs = published_rosters(site_id, min(first, dt.date.today()), dt.date.max)
    owner = owners(pairs)
    # What the user saw on each day: the row of the latest version they looked at that claims the day, from
    # whichever roster (a roster published over another one changes the day too).
    last_seen: dict[dt.date, tuple[tuple, tuple | None]] = {}
    now: dict[dt.date, tuple | None] = {}
    seen_of = {}
    for roster, version in pairs:
        seen = db.session.scalar(
            select(ScheduleSeen).where(ScheduleSeen.user_id == user_id, ScheduleSeen.roster_id == roster.id)
        )
        seen_of[roster.id] = seen
        for r in version.assignments:
            day = dt.date.fromisoformat(r["day"])
            if r["agent_id"] == agent_id and owner.get(day) == roster.id:
                now[day] = _seen_key(r)
        before = None
        if seen is not None:
            before = version if seen.version == version.number else version_number(roster, seen.version)
        if before is None:
            continue
        rows = {r["day"]: _seen_key(r) for r in before.assignments if r["agent_id"] == agent_id}
        stamp = (before.published_at, before.id)
        for day in claimed(roster, before):
            if day not in last_seen or last_seen[day][0] < stamp:
                last_seen[day] = (stamp, rows.get(day.isoformat()))
    changed_days = {day for day, (_stamp, row) in last_seen.items() if day in owner and row != now.get(day)}
    for roster, version in pairs:
        seen = seen_of[roster.id]
        if remember:
            if seen is None:  # the user's other device may be storing the same row at this moment
                insert_unless_present(
                    ScheduleSeen,
                    {"user_id": user_id, "roster_id": roster.id},
                    {"version": version.number, "seen_at": utcnow()},
                )
            elif seen.version != version.number:
                seen.version, seen.seen_at = version.number, utcnow()
    for s in shifts:
        s.changed = s.day in changed_days
    db.session.flush()
    return sorted(changed_days)


def time_off_of(
    agent_id: int, first: dt.date, last: dt.date, statuses=("approved", "requested")
) -> list[TimeOff]:
    return db.session.scalars(
        select(TimeOff)
        .where(
            TimeOff.agent_id == agent_id,
            TimeOff.status.in_(statuses),
            TimeOff.first_day <= last,
            TimeOff.last_day >= first,
        )
        .order_by(TimeOff.first_day)
    ).all()


@dataclass
class Training:
    """A training session the agent is booked on: rostered, though not a roster cell."""

    session_id: int
    day: dt.date
    name: str
    start: dt.datetime
    end: dt.datetime
    location: str

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def plain(self) -> dict:
        return {"name": self.name, "label": self.label, "location": self.location, "day": self.day}


def training_of(agent_id: int, first: dt.date, last: dt.date) -> list[Training]:
    """The training sessions the agent is enrolled in between two days (inclusive), in order."""
    from wfm.models.careers import CareerCourse, Enrolment, TrainingSession

    rows = db.session.execute(
        select(TrainingSession, CareerCourse.name, CareerCourse.name_zh)
        .join(Enrolment, Enrolment.session_id == TrainingSession.id)
        .outerjoin(CareerCourse, CareerCourse.code == TrainingSession.course)
        .where(Enrolment.agent_id == agent_id, TrainingSession.day.between(first, last))
        .order_by(TrainingSession.day, TrainingSession.start_minute)
    ).all()
    out = []
    for session, english, chinese in rows:
        name = localized(english, chinese) if english else None
        midnight = dt.datetime.combine(session.day, dt.time())
        out.append(
            Training(
                session.id,
                session.day,
                _("Training: %(course)s", course=name) if name else _("Training: course"),
                midnight + dt.timedelta(minutes=session.start_minute),
                midnight + dt.timedelta(minutes=session.end_minute),
                session.location,
            )
        )
    return out
