"""Checks by simulation: what a shift plan or a roster is simulated to deliver, interval by interval.

A check is made by a job from the plan's or roster's staffing against the forecast it was built from (or
the actual history of its days) and kept here, so the roster page and the publish confirmation can show
the latest one, and say when it is out of date (its `sources` fingerprints, as `wfm.sources` keeps them).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.accounts import User


class SimulationCheck(db.Model):
    """One check of a plan or a roster: the figures per queue and interval, and the summary."""

    __tablename__ = "simulation_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("shift_plan.id", ondelete="CASCADE"), index=True)
    roster_id: Mapped[int | None] = mapped_column(ForeignKey("roster.id", ondelete="CASCADE"), index=True)
    # the roster's published version checked; None: its working cells (the draft, as the grid shows them)
    version: Mapped[int | None]
    demand: Mapped[str] = mapped_column(String(20))  # forecast | actual (the history of its days, replayed)
    start: Mapped[dt.datetime] = mapped_column(DateTime)
    days: Mapped[int]
    interval_minutes: Mapped[int]
    replications: Mapped[int]
    seed: Mapped[int]
    seconds: Mapped[float] = mapped_column(default=0.0)
    # {queue, interval_start, offered, served, abandoned, served_within_target, abandoned_after_target,
    #  service_level, service_level_ci, promised, target, agents_on}, one per queue and interval
    intervals: Mapped[list] = mapped_column(JSON, default=list, deferred=True)  # read only by its page
    # per queue: {queue, target, service_level, service_level_ci, promised, short, offered, ...}; "total" too
    totals: Mapped[dict] = mapped_column(JSON, default=dict)
    notes: Mapped[list] = mapped_column(JSON, default=list)  # what the check left out or assumed, in words
    sources: Mapped[dict] = mapped_column(JSON, default=dict)  # fingerprints of what it was made from
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()
