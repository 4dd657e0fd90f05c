"""Changing a published roster on behalf of a request: check the hard rules and skills of every agent the
change touches, then edit the working roster's cells and publish a new version.

Only violations the change *introduces* refuse it: a roster that already breaks a rule for an agent (the
solver could not hold it) must not block every later swap of that agent."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from scheduling.roster.evaluate import staff_violations
from wfm.clock import utcnow
from wfm.extensions import db
from wfm.i18n import translate
from wfm.i18n.dates import written
from wfm.models import Roster, RosterChange, RosterVersion
from wfm.rosters import blocks
from wfm.rosters.operations import _cells, dropped_note, input_for, publish, set_cell, snapshot_row

Changes = dict[int, dict[dt.date, str | None]]  # agent id -> day -> shift id (None: off)


def check_changes(roster: Roster, changes: Changes) -> list[str]:
    """Problems (agent named) the changes would bring: new hard-rule violations, missing skills, days off."""
    data = input_for(roster)
    known = {t["id"] for t in data.shift_types}
    names = {a.id: a.name for a in data.agents}
    cells = _cells(roster)
    problems = []
    for agent_id, days in changes.items():
        person = next((s for s in data.problem.staff if s.id == str(agent_id)), None)
        if person is None:
            problems.append(_("agent %(id)s is not employed at the site in this period", id=agent_id))
            continue
        local = [
            _("%(name)s: %(day)s is outside the roster", name=names[agent_id], day=written(day, "day"))
            for day in days
            if not roster.start_date <= day <= roster.end_date
        ]
        local += [
            _("%(shift)s is not a shift of this roster", shift=repr(shift))
            for shift in days.values()
            if shift is not None and shift not in known
        ]
        if local:
            problems += local
            continue
        before = tuple(cells.get((agent_id, d)) for d in range(roster.days))
        after = tuple(
            days.get(roster.start_date + dt.timedelta(days=d), before[d]) for d in range(roster.days)
        )
        old = {(v.rule, v.days): v.amount for v in staff_violations(data.problem, person, before)}
        for v in staff_violations(data.problem, person, after):
            if old.get((v.rule, v.days), 0) >= v.amount:
                continue
            on = _(", ").join(written(data.dates[d], "day") for d in v.days if 0 <= d < roster.days)
            rule, detail = translate(v.rule.replace("_", " ")), translate(v.detail)
            problems.append(
                _(
                    "%(name)s: %(rule)s: %(detail)s (%(days)s)",
                    name=names[agent_id],
                    rule=rule,
                    detail=detail,
                    days=on,
                )
                if on
                else _("%(name)s: %(rule)s: %(detail)s", name=names[agent_id], rule=rule, detail=detail)
            )
    return problems


def differs_from_published(roster: Roster) -> int:
    """Cells where the working roster differs from its latest published version (unpublished edits)."""
    if not roster.versions:
        return len(roster.assignments)
    published = {(r["agent_id"], r["day"]): r["shift"] for r in roster.versions[-1].assignments}
    working = {(a.agent_id, a.day.isoformat()): a.shift for a in roster.assignments}
    return sum(1 for key in set(published) | set(working) if published.get(key) != working.get(key))


def apply_and_publish(roster: Roster, changes: Changes, user_id: int | None, note: str) -> RosterVersion:
    """Set the cells (pinned, so re-optimising keeps them), log each edit, and publish the next version:
    the published one with these cells changed and nothing else (draft changes waiting in the working
    roster stay unpublished), on the days the roster still speaks for (never taking days back from a
    roster published over it)."""
    data = input_for(roster)
    types = {t["id"]: t for t in roster.shift_types}
    published = {
        (r["agent_id"], r["day"]): r for r in (roster.versions[-1].assignments if roster.versions else [])
    }
    had_blocks = blocks.uses_blocks(roster)
    for agent_id, days in changes.items():
        for day, shift in days.items():
            current = next((a for a in roster.assignments if a.agent_id == agent_id and a.day == day), None)
            if (current.shift if current else None) == shift:
                continue
            before, dropped = set_cell(roster, agent_id, day, shift, data)
            roster.updated_at = utcnow()
            db.session.flush()
            db.session.add(
                RosterChange(
                    roster_id=roster.id,
                    lock_version=roster.lock_version,
                    agent_id=agent_id,
                    day=day,
                    before=before,
                    after=shift,
                    kind="edit",
                    note="; ".join(filter(None, (note, dropped_note(dropped))))[:300],
                    user_id=user_id,
                )
            )
    db.session.flush()
    blocks.fill_missing(roster, {day for days in changes.values() for day in days}, had_blocks)
    for agent_id, days in changes.items():
        for day in days:
            published.pop((agent_id, day.isoformat()), None)
            cell = next((a for a in roster.assignments if a.agent_id == agent_id and a.day == day), None)
            if cell is not None:
                published[agent_id, day.isoformat()] = snapshot_row(cell, types)
    return publish(roster, roster.lock_version, user_id, replace=False, rows=list(published.values()))
