"""Agent self-service: calendar feeds, what each user last saw, notifications, swaps and offers,
time-off allowances and policy, and the audit of every decision on a request."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.accounts import User
from wfm.models.organisation import Agent, Site


class CalendarFeed(db.Model):
    """An agent's secret calendar URL; only the SHA-256 of its token is kept, so a leaked database
    does not leak feeds. Revoking deletes the row; renewing replaces the hash."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    agent: Mapped[Agent] = relationship()


class ScheduleSeen(db.Model):
    """The published version of a roster a user last looked at: later changes are marked for them."""

    __tablename__ = "schedule_seen"
    __table_args__ = (UniqueConstraint("user_id", "roster_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("roster.id", ondelete="CASCADE"))
    version: Mapped[int]
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Notification(db.Model):
    """An in-app message to one user (copied by e-mail when MAIL_SERVER is set)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(400))
    detail: Mapped[str | None] = mapped_column(Text)  # the whole story when the message is a summary
    # {"message": sentence, "detail": [sentence, ...]} (wfm.selfservice.messages): written out in the
    # reader's language; None on rows kept before, which have their English `message` and `detail` only.
    text: Mapped[dict | None] = mapped_column(JSON)
    url: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ShiftSwap(db.Model):
    """An offer (anyone may take the shift) or a swap with a named colleague.

    Status: `open` (an offer nobody took yet), `proposed` (a swap the colleague has not answered),
    `pending` (both sides agreed and the rules held; the scheduler decides), `approved`, `rejected`,
    `declined` (by the colleague), `cancelled` (by the requester)."""

    __tablename__ = "shift_swap"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # offer / swap
    roster_id: Mapped[int] = mapped_column(ForeignKey("roster.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    shift: Mapped[str] = mapped_column(String(80))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"), index=True)
    partner_day: Mapped[dt.date | None] = mapped_column(Date)
    partner_shift: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str] = mapped_column(String(300), default="")
    problems: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision_note: Mapped[str] = mapped_column(String(300), default="")

    agent: Mapped[Agent] = relationship(foreign_keys=[agent_id])
    partner: Mapped[Agent | None] = relationship(foreign_keys=[partner_id])
    decided_by: Mapped[User | None] = relationship()


class LeaveAllowance(db.Model):
    """An agent's time-off allowance for a year, in days, when it differs from the site's default."""

    __tablename__ = "leave_allowance"
    __table_args__ = (UniqueConstraint("agent_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    days: Mapped[float]


class TimeOffPolicy(db.Model):
    """A site's time-off rules: the default yearly allowance, and auto-approval within a daily allotment
    (at most `daily_allotment` agents of the site away on any day)."""

    __tablename__ = "time_off_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), unique=True)
    allowance_days: Mapped[float] = mapped_column(default=25.0)
    auto_approve: Mapped[bool] = mapped_column(default=False)
    daily_allotment: Mapped[int] = mapped_column(default=2)

    site: Mapped[Site] = relationship()


class AuditEntry(db.Model):
    """Append-only record of a decision on a request: who, when, what, and the state before and after."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: automatic
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(20))  # time_off / swap / policy / allowance / feed
    subject_id: Mapped[int | None]
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"))
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User | None] = relationship()
    agent: Mapped[Agent | None] = relationship()
