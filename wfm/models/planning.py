"""The planning pipeline's data: history, special days, forecasts (with adjustments) and requirements.

Times are naive local times of the queue's site (interval starts), the way contact centres read them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.accounts import User
from wfm.models.organisation import Queue, Site


class HistoryImport(db.Model):
    """One uploaded file; what it held, who sent it."""

    __tablename__ = "history_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))  # intervals | calls
    interval_minutes: Mapped[int]
    rows: Mapped[int]
    replaced: Mapped[int] = mapped_column(default=0)  # intervals that replaced earlier ones
    first_interval: Mapped[dt.datetime] = mapped_column(DateTime)
    last_interval: Mapped[dt.datetime] = mapped_column(DateTime)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)  # per queue: rows, offered, aht, patience
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    site: Mapped[Site] = relationship()
    created_by: Mapped[User | None] = relationship()


class HistoryInterval(db.Model):
    """Observed volume of one queue in one interval. Re-importing an interval replaces it."""

    __tablename__ = "history_interval"
    __table_args__ = (UniqueConstraint("queue_id", "interval_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id"))
    interval_start: Mapped[dt.datetime] = mapped_column(DateTime)
    interval_minutes: Mapped[int]
    offered: Mapped[float]
    handled: Mapped[float | None]
    abandoned: Mapped[float | None]
    aht_seconds: Mapped[float | None]
    import_id: Mapped[int | None] = mapped_column(ForeignKey("history_import.id", ondelete="SET NULL"))


class SpecialDay(db.Model):
    """A day the forecast must treat differently: an uplift, 'like another day', or closed."""

    __tablename__ = "special_day"
    __table_args__ = (UniqueConstraint("site_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))
    uplift: Mapped[float] = mapped_column(default=1.0)
    like_day: Mapped[dt.date | None] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(default=False)

    site: Mapped[Site] = relationship()


class Forecast(db.Model):
    """A forecast of one queue over a horizon, with how it was chosen and how it backtested."""

    __tablename__ = "forecast"

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id"), index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int]
    interval_minutes: Mapped[int]
    method: Mapped[str] = mapped_column(String(40))
    requested_method: Mapped[str] = mapped_column(String(40), default="auto")
    history_from: Mapped[dt.datetime | None] = mapped_column(DateTime)
    history_to: Mapped[dt.datetime | None] = mapped_column(DateTime)
    backtest: Mapped[list] = mapped_column(JSON, default=list)  # rows: method, wmape, rmse, bias, floor
    notes: Mapped[list] = mapped_column(JSON, default=list)
    # Fingerprints of what it was built from, part by part (wfm.sources); None: built before they were kept.
    sources: Mapped[dict | None] = mapped_column(JSON)
    # Volumes a scheduler typed for a queue without history: per weekday contacts, handle time, the profile.
    typed: Mapped[dict | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    queue: Mapped[Queue] = relationship()
    created_by: Mapped[User | None] = relationship()
    intervals: Mapped[list[ForecastInterval]] = relationship(
        cascade="all, delete-orphan",
        order_by="ForecastInterval.interval_start",
        back_populates="forecast_run",
    )
    adjustments: Mapped[list[ForecastAdjustment]] = relationship(
        cascade="all, delete-orphan", order_by="ForecastAdjustment.created_at", back_populates="forecast"
    )

    @property
    def end_date(self) -> dt.date:
        return self.start_date + dt.timedelta(days=self.days - 1)


class ForecastInterval(db.Model):
    """`forecast` is the engine's value; `adjusted` is what planning uses after schedulers' adjustments."""

    __tablename__ = "forecast_interval"
    __table_args__ = (UniqueConstraint("forecast_id", "interval_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forecast_id: Mapped[int] = mapped_column(ForeignKey("forecast.id", ondelete="CASCADE"))
    interval_start: Mapped[dt.datetime] = mapped_column(DateTime)
    forecast: Mapped[float]
    lower: Mapped[float]
    upper: Mapped[float]
    adjusted: Mapped[float]
    aht_seconds: Mapped[float | None]

    forecast_run: Mapped[Forecast] = relationship(back_populates="intervals")


class ForecastAdjustment(db.Model):
    """A scheduler's change to a forecast: a range scaled by a percentage; the log is append-only."""

    __tablename__ = "forecast_adjustment"

    id: Mapped[int] = mapped_column(primary_key=True)
    forecast_id: Mapped[int] = mapped_column(ForeignKey("forecast.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.datetime] = mapped_column(DateTime)
    end: Mapped[dt.datetime] = mapped_column(DateTime)  # exclusive
    percent: Mapped[float]
    reason: Mapped[str] = mapped_column(String(200))
    intervals: Mapped[int]
    volume_before: Mapped[float]
    volume_after: Mapped[float]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    forecast: Mapped[Forecast] = relationship(back_populates="adjustments")
    created_by: Mapped[User | None] = relationship()


class Requirement(db.Model):
    """Agents needed per interval for one forecast, under the targets in force when it was made."""

    __tablename__ = "requirement"

    id: Mapped[int] = mapped_column(primary_key=True)
    forecast_id: Mapped[int] = mapped_column(ForeignKey("forecast.id", ondelete="CASCADE"), index=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id"), index=True)
    targets: Mapped[dict] = mapped_column(JSON)
    sources: Mapped[dict | None] = mapped_column(
        JSON
    )  # fingerprints of its forecast and targets (wfm.sources)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    forecast: Mapped[Forecast] = relationship()
    queue: Mapped[Queue] = relationship()
    created_by: Mapped[User | None] = relationship()
    intervals: Mapped[list[RequirementInterval]] = relationship(
        cascade="all, delete-orphan", order_by="RequirementInterval.interval_start"
    )


class RequirementInterval(db.Model):
    __tablename__ = "requirement_interval"
    __table_args__ = (UniqueConstraint("requirement_id", "interval_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirement.id", ondelete="CASCADE"))
    interval_start: Mapped[dt.datetime] = mapped_column(DateTime)
    forecast: Mapped[float]
    aht_seconds: Mapped[float | None]
    agents: Mapped[int]
    scheduled_agents: Mapped[int]
    service_level: Mapped[float | None]
    occupancy: Mapped[float | None]
    asa_seconds: Mapped[float | None]
    abandon_rate: Mapped[float | None]


Index("ix_history_interval_start", HistoryInterval.interval_start)
