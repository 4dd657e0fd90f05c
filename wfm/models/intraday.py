"""The day itself: what queues and agents actually did, interval by interval and minute by minute.

Interval actuals and agent-state events arrive through the API and the file drop (`wfm.intraday.actuals`);
adherence is computed from them against the published roster (`wfm.intraday.adherence`) and kept per agent
and day, with the exceptions a team leader approved. Times are naive local times of the site, as planning's.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.accounts import User
from wfm.models.organisation import Agent, Queue, Site

# The states an agent-state event may report; "on_contact" names its queue.
AGENT_STATES = (
    "signed_in",
    "available",
    "on_contact",
    "after_contact_work",
    "break",
    "training",
    "meeting",
    "signed_out",
)


class QueueActual(db.Model):
    """What one queue saw in one interval. Sending an interval again replaces it (late data welcome)."""

    __tablename__ = "queue_actual"
    __table_args__ = (UniqueConstraint("queue_id", "interval_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id"))
    interval_start: Mapped[dt.datetime] = mapped_column(DateTime)
    interval_minutes: Mapped[int]
    offered: Mapped[int]
    answered: Mapped[int]
    abandoned: Mapped[int]
    answered_within_target: Mapped[int]
    aht_seconds: Mapped[float | None]  # mean handle time of the answered contacts
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    times_sent: Mapped[int] = mapped_column(default=1)

    queue: Mapped[Queue] = relationship()


class AgentStateEvent(db.Model):
    """One change of an agent's state, identified by the sender's event id (a repeat is ignored)."""

    __tablename__ = "agent_state_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(80), unique=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    state: Mapped[str] = mapped_column(String(30))
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queue.id"))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    agent: Mapped[Agent] = relationship()
    queue: Mapped[Queue | None] = relationship()


class AdherenceSetting(db.Model):
    """A site's grace period: minutes an agent may be out of adherence before being listed."""

    __tablename__ = "adherence_setting"

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    grace_minutes: Mapped[int] = mapped_column(default=5)

    site: Mapped[Site] = relationship()


class AdherenceException(db.Model):
    """Minutes a team leader approved as in adherence whatever the agent's state (with the reason)."""

    __tablename__ = "adherence_exception"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id"), index=True)
    start: Mapped[dt.datetime] = mapped_column(DateTime)
    end: Mapped[dt.datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(200))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    agent: Mapped[Agent] = relationship()
    approved_by: Mapped[User | None] = relationship()


class AdherenceDay(db.Model):
    """An agent's day: adherence (scheduled minutes spent in the scheduled state) and conformance
    (minutes worked against minutes scheduled), as last computed."""

    __tablename__ = "adherence_day"
    __table_args__ = (UniqueConstraint("agent_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    scheduled_minutes: Mapped[int]
    adherent_minutes: Mapped[int]
    worked_minutes: Mapped[int]
    adherence: Mapped[float | None]
    conformance: Mapped[float | None]
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    agent: Mapped[Agent] = relationship()


Index("ix_queue_actual_start", QueueActual.interval_start)
Index("ix_agent_state_event_agent_at", AgentStateEvent.agent_id, AgentStateEvent.at)
