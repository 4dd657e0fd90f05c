"""One published truth per site and day.

Each published version records the days it speaks for (`RosterVersion.days`; None: all of its roster's).
On a day several rosters' latest versions claim, the one published last speaks; the others' claims on it
are replaced. Publishing a roster over days another one speaks for is asked first (`overlaps` says what
would be replaced); a republish that was not asked to replace (a time-off approval, a swap) claims only
the days its roster still speaks for, so nothing is taken back silently. Agents' pages, feeds and PDFs and
the scheduler's header all read ownership from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from wfm.extensions import db
from wfm.models import Roster, RosterVersion


@dataclass
class Replaced:
    """Days of another published roster a publish would take over (or has taken over)."""

    roster_id: int
    name: str
    version: int
    days: list[dt.date]
    agents: int  # agents with a published shift on those days in that roster

    @property
    def span(self) -> str:
        first, last = self.days[0], self.days[-1]
        from wfm.i18n.dates import written

        return written(first, "day") + (f" – {written(last, 'day')}" if last != first else "")


def latest_version(roster: Roster) -> RosterVersion | None:
    return db.session.scalar(
        select(RosterVersion)
        .where(RosterVersion.roster_id == roster.id)
        .order_by(RosterVersion.number.desc())
        .limit(1)
    )


def claimed(roster: Roster, version: RosterVersion) -> set[dt.date]:
    """The days `version` claims (all of the roster's when it predates claims)."""
    if version.days is None:
        return set(roster.dates)
    return {dt.date.fromisoformat(d) for d in version.days}


def published_rosters(site_id: int, first: dt.date, last: dt.date) -> list[tuple[Roster, RosterVersion]]:
    """Rosters of the site overlapping [first, last] that have a published version, with their latest one."""
    rosters = db.session.scalars(
        select(Roster)
        .where(Roster.site_id == site_id, Roster.published_version > 0, Roster.start_date <= last)
        .order_by(Roster.start_date, Roster.id)
    ).all()
    out = []
    for roster in rosters:
        if roster.end_date < first:
            continue
        version = latest_version(roster)
        if version is not None:
            out.append((roster, version))
    return out


def owners(pairs: list[tuple[Roster, RosterVersion]]) -> dict[dt.date, int]:
    """Which roster speaks for each day: of the versions claiming it, the one published last."""
    out: dict[dt.date, tuple[dt.datetime, int, int]] = {}
    for roster, version in pairs:
        key = (version.published_at, version.id, roster.id)
        for day in claimed(roster, version):
            if day not in out or out[day] < key:
                out[day] = key
    return {day: key[2] for day, key in out.items()}


def owner_map(site_id: int, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    return {
        day: roster_id
        for day, roster_id in owners(published_rosters(site_id, first, last)).items()
        if first <= day <= last
    }


def seen_rows(site_id: int, days: set[dt.date]) -> dict[tuple[int, str], dict]:
    """What agents see today on `days`: (agent id, ISO day) -> the published row of the roster speaking
    for that day; days nobody publishes are missing from the owners (see `seen_days`)."""
    if not days:
        return {}
    pairs = published_rosters(site_id, min(days), max(days))
    owner = owners(pairs)
    wanted = {d.isoformat() for d in days}
    out = {}
    for roster, version in pairs:
        for row in version.assignments:
            day = row["day"]
            if day in wanted and owner.get(dt.date.fromisoformat(day)) == roster.id:
                out[row["agent_id"], day] = row
    return out


def seen_days(site_id: int, days: set[dt.date]) -> set[dt.date]:
    """The days among `days` some published roster speaks for."""
    if not days:
        return set()
    return set(owner_map(site_id, min(days), max(days))) & days


def overlaps(roster: Roster) -> list[Replaced]:
    """Days of `roster` another published roster speaks for now, per roster (what publishing replaces)."""
    pairs = published_rosters(roster.site_id, roster.start_date, roster.end_date)
    owner = owners(pairs)
    out = []
    for other, version in pairs:
        if other.id == roster.id:
            continue
        days = sorted(d for d in roster.dates if owner.get(d) == other.id)
        if days:
            wanted = {d.isoformat() for d in days}
            agents = len({r["agent_id"] for r in version.assignments if r["day"] in wanted})
            out.append(Replaced(other.id, other.name, version.number, days, agents))
    return out


def replaced_by(roster: Roster) -> list[Replaced]:
    """For a published roster: the days other rosters published later speak for, per roster."""
    if not roster.published_version:
        return []
    return overlaps(roster)
