"""Certification expiry: reminders at 90 and 30 days before a certificate lapses, and a notice when it has.

Each reminder goes to the agent and to HR. The engine keeps no state: the caller passes the reminders it
has already sent (its log) and gets back only those still due, so running the job twice on a day, or
missing a day, neither repeats nor loses a reminder. A reminder missed on its day is sent late rather
than never, but only the most urgent stage is sent (an agent 20 days from expiry gets the 30-day
reminder, not the 90-day one as well). A renewal supersedes the old certificate: only the holding that
runs longest is watched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from training.records import AgentRecord

STAGES = (90, 30)  # days before expiry
EXPIRED = 0  # the stage of the notice sent once a certificate has lapsed
RECIPIENTS = ("agent", "hr")


@dataclass(frozen=True)
class Reminder:
    """One message to send. Equal reminders are the same message: store them to make the job idempotent."""

    agent_id: str
    certification: str
    expires_on: dt.date  # last valid day of the certificate
    stage: int  # 90, 30, or 0 (EXPIRED)
    recipient: str  # "agent" or "hr"

    @property
    def due_on(self) -> dt.date:
        """The day the reminder becomes due (for EXPIRED: the first day without the certificate)."""
        if self.stage == EXPIRED:
            return self.expires_on + dt.timedelta(days=1)
        return self.expires_on - dt.timedelta(days=self.stage)

    @property
    def message(self) -> str:
        if self.stage == EXPIRED:
            return (
                f"Certification {self.certification} of {self.agent_id} "
                f"expired on {self.expires_on.isoformat()}"
            )
        return (
            f"Certification {self.certification} of {self.agent_id} expires on {self.expires_on.isoformat()} "
            f"({self.stage}-day reminder)"
        )


@dataclass(frozen=True)
class ExpiringCertification:
    agent_id: str
    certification: str
    expires_on: dt.date
    days_left: int  # negative once expired


@dataclass(frozen=True)
class ExpiryReport:
    reminders: tuple[Reminder, ...]  # due and not yet sent
    expired: tuple[ExpiringCertification, ...]  # lapsed and not renewed, employed agents only


def watched_certifications(record: AgentRecord, on: dt.date) -> list[tuple[str, dt.date]]:
    """(certification, last valid day) of each certificate the agent holds or held, latest holding only."""
    out = []
    for code in sorted({c.certification for c in record.certifications}):
        held = record.latest_certification(code, on)
        if held is not None and held.expires_on is not None:
            out.append((code, held.expires_on))
    return out


def stage_on(expires_on: dt.date, on: dt.date) -> int | None:
    """The most urgent stage reached on `on` (90, 30, EXPIRED), None when more than 90 days are left."""
    days_left = (expires_on - on).days
    if days_left < 0:
        return EXPIRED
    reached = [s for s in STAGES if days_left <= s]
    return min(reached) if reached else None


def expiry_reminders(
    records: Iterable[AgentRecord], on: dt.date, sent: Collection[Reminder] = ()
) -> ExpiryReport:
    """Reminders due on `on` that are not in `sent`, and every lapsed certificate, for employed agents."""
    already = set(sent)
    due: list[Reminder] = []
    expired: list[ExpiringCertification] = []
    for record in records:
        if not record.employed_on(on):
            continue
        for code, expires_on in watched_certifications(record, on):
            stage = stage_on(expires_on, on)
            if stage is None:
                continue
            if stage == EXPIRED:
                expired.append(
                    ExpiringCertification(record.agent_id, code, expires_on, (expires_on - on).days)
                )
            for recipient in RECIPIENTS:
                reminder = Reminder(record.agent_id, code, expires_on, stage, recipient)
                if reminder not in already:
                    due.append(reminder)
    return ExpiryReport(tuple(due), tuple(expired))


def expiring_within(records: Iterable[AgentRecord], on: dt.date, days: int) -> list[ExpiringCertification]:
    """Certificates of employed agents lapsing in the next `days` days (still valid on `on`), soonest
    first."""
    if days < 0:
        raise ValueError("days: negative")
    found = []
    for record in records:
        if not record.employed_on(on):
            continue
        for code, expires_on in watched_certifications(record, on):
            days_left = (expires_on - on).days
            if 0 <= days_left <= days:
                found.append(ExpiringCertification(record.agent_id, code, expires_on, days_left))
    return sorted(found, key=lambda e: (e.expires_on, e.agent_id, e.certification))
