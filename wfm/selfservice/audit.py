"""The audit of decisions: every approval, rejection, cancellation and policy change, append-only."""

from __future__ import annotations

from wfm.extensions import db
from wfm.models import AuditEntry


def record(
    action: str,
    subject: str,
    subject_id: int | None,
    user_id: int | None,
    agent_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    """Add one entry (flush only). `user_id` None means the system decided (auto-approval)."""
    entry = AuditEntry(
        action=action,
        subject=subject,
        subject_id=subject_id,
        user_id=user_id,
        agent_id=agent_id,
        before=_plain(before or {}),
        after=_plain(after or {}),
        note=note[:300],
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _plain(values: dict) -> dict:
    """JSON-safe copies (dates and times as ISO text)."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}
