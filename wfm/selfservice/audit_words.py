"""The audit of decisions in words: who did what to whose request, when, and what changed (before → after).

Entries keep their state as plain JSON (field keys, ISO dates, minutes after midnight, ids); a person reads
them here as sentences and labelled changes, never as keys, in the reader's language."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wfm.extensions import db
from wfm.i18n.dates import written
from wfm.models import Agent, AuditEntry
from wfm.selfservice.labels import SWAP_KINDS, status_label
from wfm.selfservice.timeoff import KINDS

SUBJECTS = {
    "time_off": _l("time off"),
    "swap": _l("shift swap"),
    "offer": _l("shift offer"),
    "policy": _l("time-off policy"),
    "allowance": _l("leave allowance"),
    "feed": _l("calendar feed"),
}
# Past-tense verbs; "requested" reads "asked for".
ACTIONS = {
    "requested": _l("asked for"),
    "proposed": _l("proposed"),
    "offered": _l("offered"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
    "cancelled": _l("cancelled"),
    "taken": _l("took"),
    "accepted": _l("accepted"),
    "declined": _l("declined"),
    "changed": _l("changed"),
    "created": _l("created"),
    "renewed": _l("renewed"),
    "revoked": _l("revoked"),
}
FIELDS = {
    "first_day": _l("First day"),
    "last_day": _l("Last day"),
    "kind": _l("Kind"),
    "status": _l("Status"),
    "from_minute": _l("From"),
    "to_minute": _l("Until"),
    "note": _l("Note"),
    "agent_id": _l("Agent"),
    "partner_id": _l("Colleague"),
    "day": _l("Day"),
    "shift": _l("Shift"),
    "partner_day": _l("Colleague's day"),
    "partner_shift": _l("Colleague's shift"),
    "allowance_days": _l("Days of leave a year"),
    "auto_approve": _l("Approve automatically"),
    "daily_allotment": _l("Agents away a day at most"),
    "days": _l("Days"),
    "year": _l("Year"),
    "rosters_republished": _l("Rosters published again"),
    "published_version": _l("Published version"),
}
MINUTE_FIELDS = {"from_minute", "to_minute"}
AGENT_FIELDS = {"agent_id", "partner_id"}


def _value(key: str, value, names: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in MINUTE_FIELDS:
        return f"{value // 60:02d}:{value % 60:02d}"
    if key in AGENT_FIELDS:
        return names.get(value, _("an agent no longer listed"))
    if isinstance(value, list):
        return _(", ").join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return written(dt.date.fromisoformat(value), "day_year")
        except ValueError:
            return value
    if key == "status":
        return status_label(value)
    if key == "kind":
        return str(KINDS.get(value, (None,))[0] or SWAP_KINDS.get(value) or value)
    return str(value).replace("_", " ")


def _label(key: str) -> str:
    return str(FIELDS.get(key, key.replace("_", " ").capitalize()))


def _changes(entry: AuditEntry, names: dict[int, str]) -> list[str]:
    """Fields that changed as "Label: before → after"; with nothing before, what the entry holds."""
    before, after = entry.before or {}, entry.after or {}
    lines = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if key in before and key in after:
            if old != new:
                lines.append(
                    _(
                        "%(label)s: %(before)s → %(after)s",
                        label=_label(key),
                        before=_value(key, old, names),
                        after=_value(key, new, names),
                    )
                )
        elif key in after and new not in (None, "", []):
            lines.append(_("%(label)s: %(value)s", label=_label(key), value=_value(key, new, names)))
        elif key in before and old not in (None, "", []):
            lines.append(_("%(label)s: %(value)s → —", label=_label(key), value=_value(key, old, names)))
    return lines


def _sentence(entry: AuditEntry, who: str) -> str:
    kind = (entry.after or {}).get("kind") or (entry.before or {}).get("kind")
    subject = SUBJECTS.get("offer" if entry.subject == "swap" and kind == "offer" else entry.subject)
    subject = str(subject or entry.subject.replace("_", " "))
    verb = str(ACTIONS.get(entry.action, entry.action.replace("_", " ")))
    agent = entry.agent.name if entry.agent else None
    acting_for_self = entry.user is not None and agent is not None and entry.user.agent_id == entry.agent_id
    if agent is None:
        return _("%(who)s %(verb)s the %(subject)s", who=who, verb=verb, subject=subject)
    if acting_for_self:
        if entry.action == "requested":
            return _("%(agent)s %(verb)s %(subject)s", agent=agent, verb=verb, subject=subject)
        return _("%(agent)s %(verb)s their %(subject)s", agent=agent, verb=verb, subject=subject)
    return _("%(who)s %(verb)s %(agent)s's %(subject)s", who=who, verb=verb, agent=agent, subject=subject)


def described(entries: list[AuditEntry]) -> list[dict]:
    """Rows for the history table: when, who, what (a sentence), the changes, and the note."""
    ids = {
        value
        for entry in entries
        for state in (entry.before or {}, entry.after or {})
        for key, value in state.items()
        if key in AGENT_FIELDS and isinstance(value, int)
    }
    names = (
        dict(db.session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(ids))).all()) if ids else {}
    )
    rows = []
    for entry in entries:
        who = entry.user.display_name if entry.user else _("Automatic approval")
        rows.append(
            {
                "at": entry.at,
                "who": who,
                "what": _sentence(entry, who),
                "changes": _changes(entry, names),
                "note": entry.note,
            }
        )
    return rows
