"""Shift templates and shift plans (how many agents start each shift), kept as drafts to compare."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.accounts import User
from wfm.models.organisation import Site


class ShiftTemplate(db.Model):
    """A family of shifts: a start window, lengths, weekdays, breaks with placement windows, cost, queues."""

    __tablename__ = "shift_template"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(80))
    earliest_start: Mapped[int]  # minutes after midnight
    latest_start: Mapped[int]
    step_minutes: Mapped[int] = mapped_column(default=15)
    lengths: Mapped[list] = mapped_column(JSON)  # minutes
    days: Mapped[list] = mapped_column(JSON)  # weekdays, 0 = Monday
    breaks: Mapped[list] = mapped_column(
        JSON, default=list
    )  # {name, minutes, window: [from, to], paid, min_shift}
    per_hour: Mapped[float] = mapped_column(default=1.0)
    night_multiplier: Mapped[float] = mapped_column(default=1.0)
    weekend_multiplier: Mapped[float] = mapped_column(default=1.0)
    queue_ids: Mapped[list] = mapped_column(JSON, default=list)  # queues it can serve; empty: all of the site
    active: Mapped[bool] = mapped_column(default=True)

    site: Mapped[Site] = relationship()


class ShiftPlan(db.Model):
    """A solved covering plan for a site and period: a draft schedulers compare before rostering."""

    __tablename__ = "shift_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    start_date: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int]
    interval_minutes: Mapped[int]
    settings: Mapped[dict] = mapped_column(
        JSON, default=dict
    )  # column, cyclic, time limit, templates, requirements
    solver_status: Mapped[str] = mapped_column(String(20))
    cost: Mapped[float | None]
    penalty: Mapped[float | None]
    bound: Mapped[float | None]
    gap: Mapped[float | None]
    seconds: Mapped[float]
    unmet_agent_intervals: Mapped[int] = mapped_column(default=0)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)
    sources: Mapped[dict | None] = mapped_column(JSON)  # fingerprints of its requirements and templates
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    site: Mapped[Site] = relationship()
    created_by: Mapped[User | None] = relationship()
    shifts: Mapped[list[PlanShift]] = relationship(cascade="all, delete-orphan", order_by="PlanShift.start")
    coverage: Mapped[list[PlanCoverage]] = relationship(
        cascade="all, delete-orphan", order_by="PlanCoverage.interval_start"
    )

    @property
    def end_date(self) -> dt.date:
        return self.start_date + dt.timedelta(days=self.days - 1)


class PlanShift(db.Model):
    """So many agents start this shift at this time, with these breaks."""

    __tablename__ = "plan_shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("shift_plan.id", ondelete="CASCADE"), index=True)
    template: Mapped[str] = mapped_column(String(80))
    start: Mapped[dt.datetime] = mapped_column(DateTime)
    end: Mapped[dt.datetime] = mapped_column(DateTime)
    agents: Mapped[int]
    breaks: Mapped[list] = mapped_column(JSON, default=list)  # {name, start, end, paid}
    queues: Mapped[list] = mapped_column(JSON, default=list)
    # the skill group whose agents work it (named by the queues they may serve); "" without skill groups
    skill_group: Mapped[str] = mapped_column(String(500), default="", server_default="")


class PlanCoverage(db.Model):
    """Required against on the phones, per queue and interval, as the plan leaves it."""

    __tablename__ = "plan_coverage"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("shift_plan.id", ondelete="CASCADE"), index=True)
    interval_start: Mapped[dt.datetime] = mapped_column(DateTime)
    queue: Mapped[str] = mapped_column(String(120))
    required: Mapped[int]
    on_phones: Mapped[int]
    short: Mapped[int]
    over: Mapped[int]
