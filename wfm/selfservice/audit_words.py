"""The audit of decisions in words: who did what to whose request, when, and what changed (before → after).

Entries keep their state as plain JSON (field keys, ISO dates, minutes after midnight, ids); a person reads
them here as sentences and labelled changes, never as keys. The words live in this module only, so the
translation layer that comes later has one place to replace."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from wfm.extensions import db
from wfm.models import Agent, AuditEntry

SUBJECTS = {
    "time_off": "time off",
    "swap": "shift swap",
    "offer": "shift offer",
    "policy": "time-off policy",
    "allowance": "leave allowance",
    "feed": "calendar feed",
}
# Past-tense verbs; "requested" reads "asked for".
ACTIONS = {"requested": "asked for", "proposed": "proposed", "offered": "offered"}
FIELDS = {
    "first_day": "First day",
    "last_day": "Last day",
    "kind": "Kind",
    "status": "Status",
    "from_minute": "From",
    "to_minute": "Until",
    "note": "Note",
    "agent_id": "Agent",
    "partner_id": "Colleague",
    "day": "Day",
    "shift": "Shift",
    "partner_day": "Colleague's day",
    "partner_shift": "Colleague's shift",
    "allowance_days": "Days of leave a year",
    "auto_approve": "Approve automatically",
    "daily_allotment": "Agents away a day at most",
    "days": "Days",
    "year": "Year",
    "rosters_republished": "Rosters published again",
    "published_version": "Published version",
}
MINUTE_FIELDS = {"from_minute", "to_minute"}
AGENT_FIELDS = {"agent_id", "partner_id"}


def _value(key: str, value, names: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in MINUTE_FIELDS:
        return f"{value // 60:02d}:{value % 60:02d}"
    if key in AGENT_FIELDS:
        return names.get(value, "an agent no longer listed")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%a %d %b %Y")
        except ValueError:
            return value
    return str(value).replace("_", " ")


def _label(key: str) -> str:
    return FIELDS.get(key, key.replace("_", " ").capitalize())


def _changes(entry: AuditEntry, names: dict[int, str]) -> list[str]:
    """Fields that changed as "Label: before → after"; with nothing before, what the entry holds."""
    before, after = entry.before or {}, entry.after or {}
    lines = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if key in before and key in after:
            if old != new:
                lines.append(f"{_label(key)}: {_value(key, old, names)} → {_value(key, new, names)}")
        elif key in after and new not in (None, "", []):
            lines.append(f"{_label(key)}: {_value(key, new, names)}")
        elif key in before and old not in (None, "", []):
            lines.append(f"{_label(key)}: {_value(key, old, names)} → —")
    return lines


def _sentence(entry: AuditEntry, who: str) -> str:
    kind = (entry.after or {}).get("kind") or (entry.before or {}).get("kind")
    subject = SUBJECTS.get("offer" if entry.subject == "swap" and kind == "offer" else entry.subject)
    subject = subject or entry.subject.replace("_", " ")
    verb = ACTIONS.get(entry.action, entry.action.replace("_", " "))
    agent = entry.agent.name if entry.agent else None
    acting_for_self = entry.user is not None and agent is not None and entry.user.agent_id == entry.agent_id
    if agent is None:
        return f"{who} {verb} the {subject}"
    if acting_for_self:
        return (
            f"{agent} {verb} {subject}" if entry.action == "requested" else f"{agent} {verb} their {subject}"
        )
    return f"{who} {verb} {agent}'s {subject}"


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
        who = entry.user.display_name if entry.user else "Automatic approval"
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
