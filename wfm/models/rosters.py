"""Named rosters: who works which shift on which day, their rules, time off, and published versions."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.accounts import User
from wfm.models.organisation import Agent, Site
from wfm.models.shifts import ShiftPlan


class RosterRules(db.Model):
    """A site's hard rostering rules (contracts come from each agent's contracted hours)."""

    __tablename__ = "roster_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), unique=True)
    min_rest_hours: Mapped[float] = mapped_column(default=11.0)
    max_consecutive_days: Mapped[int] = mapped_column(default=6)
    min_consecutive_days: Mapped[int] = mapped_column(default=1)
    min_consecutive_days_off: Mapped[int] = mapped_column(default=1)
    max_weekends_per_4_weeks: Mapped[int] = mapped_column(default=3)
    hours_below_contract: Mapped[float] = mapped_column(default=8.0)  # a week may fall this far short
    hours_above_contract: Mapped[float] = mapped_column(default=0.0)
    weekend_days: Mapped[list] = mapped_column(JSON, default=lambda: [5, 6])  # two consecutive weekdays
    # The shortest stretch an agent works one queue before moving to another (wfm.rosters.blocks).
    min_block_minutes: Mapped[int] = mapped_column(default=60, server_default="60")

    site: Mapped[Site] = relationship()


class TimeOff(db.Model):
    """Days an agent does not work; approved ones block rostering."""

    __tablename__ = "time_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id"), index=True)
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30), default="vacation")
    status: Mapped[str] = mapped_column(String(20), default="approved")  # requested / approved / rejected
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Self-service: a part day (minutes after local midnight; None: whole days) and who decided, when.
    from_minute: Mapped[int | None]
    to_minute: Mapped[int | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The working days the request is charged for (ISO dates): the days the agent was rostered to work, or
    # the site's working days where no roster was published. Fixed when requested and again when approved
    # (approving takes the shifts off the roster, so they could not be counted afterwards). None: count now.
    charged_on: Mapped[list | None] = mapped_column(JSON)

    agent: Mapped[Agent] = relationship()


class Roster(db.Model):
    """A roster for a site and period, staffing a shift plan. `lock_version` refuses lost updates."""

    __tablename__ = "roster"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("shift_plan.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int]
    published_version: Mapped[int] = mapped_column(default=0)
    solver_status: Mapped[str] = mapped_column(String(20), default="")
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    seconds: Mapped[float] = mapped_column(default=0.0)
    broken: Mapped[list] = mapped_column(JSON, default=list)  # hard rules that could not hold
    soft: Mapped[dict] = mapped_column(JSON, default=dict)  # soft objective by rule family
    shift_types: Mapped[list] = mapped_column(JSON, default=list)  # {id, template, start, minutes, breaks}
    lock_version: Mapped[int] = mapped_column(default=1)
    sources: Mapped[dict | None] = mapped_column(JSON)  # fingerprints of its plan, agents and rules
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __mapper_args__: ClassVar[dict] = {"version_id_col": lock_version}

    site: Mapped[Site] = relationship()
    plan: Mapped[ShiftPlan | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    assignments: Mapped[list[RosterAssignment]] = relationship(
        cascade="all, delete-orphan", back_populates="roster", order_by="RosterAssignment.day"
    )
    versions: Mapped[list[RosterVersion]] = relationship(
        cascade="all, delete-orphan", order_by="RosterVersion.number"
    )

    @property
    def end_date(self) -> dt.date:
        return self.start_date + dt.timedelta(days=self.days - 1)

    @property
    def dates(self) -> list[dt.date]:
        return [self.start_date + dt.timedelta(days=d) for d in range(self.days)]


class RosterAssignment(db.Model):
    """One agent's shift on one day (rows exist only for worked days)."""

    __tablename__ = "roster_assignment"
    __table_args__ = (UniqueConstraint("roster_id", "agent_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("roster.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    shift: Mapped[str] = mapped_column(String(80))  # shift type id
    start: Mapped[dt.datetime] = mapped_column(DateTime)
    end: Mapped[dt.datetime] = mapped_column(DateTime)
    pinned: Mapped[bool] = mapped_column(default=False)
    # This agent's breaks as [minutes from the shift start, minutes to its end, name]: the plan staggers
    # breaks, so agents on the same shift take them at different times. None: the shift type's first
    # placement.
    breaks: Mapped[list | None] = mapped_column(JSON)
    # Off-phone activities inside the shift (team meetings, coaching, offline work) as [minutes from the
    # shift start, minutes to their end, kind, title]; a cell holding one is pinned, so re-optimising
    # keeps it.
    activities: Mapped[list | None] = mapped_column(JSON)
    # Work blocks: which queue the agent works when on the phones, as [minutes from the shift start, minutes
    # to their end, queue id, queue name] (wfm.rosters.blocks); None: not assigned yet.
    blocks: Mapped[list | None] = mapped_column(JSON)

    roster: Mapped[Roster] = relationship(back_populates="assignments")
    agent: Mapped[Agent] = relationship()


class RosterVersion(db.Model):
    """A published roster, frozen: what agents saw, and whom the change touched."""

    __tablename__ = "roster_version"
    __table_args__ = (UniqueConstraint("roster_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("roster.id", ondelete="CASCADE"))
    number: Mapped[int]
    assignments: Mapped[list] = mapped_column(JSON)  # {agent_id, day, shift, start, end}
    agents_changed: Mapped[list] = mapped_column(JSON, default=list)
    # The days (ISO dates) this version speaks for: all of the roster's days unless another roster was
    # published over some of them and this version did not take them back. None (older versions): all days.
    days: Mapped[list | None] = mapped_column(JSON)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    published_by: Mapped[User | None] = relationship()


class RosterChange(db.Model):
    """Append-only log of edits: who changed which cell, from what to what, when."""

    __tablename__ = "roster_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("roster.id", ondelete="CASCADE"), index=True)
    lock_version: Mapped[int]  # the roster version this change produced
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"))
    day: Mapped[dt.date | None] = mapped_column(Date)
    before: Mapped[str | None] = mapped_column(String(80))
    after: Mapped[str | None] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))  # edit / reoptimise / publish / generate
    note: Mapped[str] = mapped_column(String(300), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    agent: Mapped[Agent | None] = relationship()
    user: Mapped[User | None] = relationship()


class Availability(db.Model):
    """When an agent can work on a weekday: shifts must lie inside the window; no row: any time."""

    __tablename__ = "availability"
    __table_args__ = (UniqueConstraint("agent_id", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]  # 0 = Monday
    from_minute: Mapped[int]  # from == to means not available that weekday
    to_minute: Mapped[int]  # may be 1440

    agent: Mapped[Agent] = relationship()


class Wish(db.Model):
    """A soft preference: to work or be off on a weekday, a date or a period; to avoid or to prefer a shift
    template then; or not to work then at all or in some hours (kind "unavailable", entered by agents)."""

    __tablename__ = "wish"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # work / off / avoid / prefer / unavailable
    weekday: Mapped[int | None]
    day: Mapped[dt.date | None] = mapped_column(Date)
    last_day: Mapped[dt.date | None] = mapped_column(Date)  # with `day`: the period's last day
    from_minute: Mapped[int | None]  # with kind "unavailable": only these hours (None: the whole day)
    to_minute: Mapped[int | None]
    template: Mapped[str | None] = mapped_column(String(80))  # with kinds "avoid" and "prefer"
    weight: Mapped[int] = mapped_column(default=5)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    agent: Mapped[Agent] = relationship()

    def applies_to(self, day: dt.date) -> bool:
        if self.day is not None:
            return self.day <= day <= (self.last_day or self.day)
        return self.weekday == day.weekday()
