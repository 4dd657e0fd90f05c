"""Background jobs: long forecasts and solves run outside the request, reporting progress here."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.accounts import User


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(db.Model):
    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=JobStatus.QUEUED,
    )
    progress: Mapped[float] = mapped_column(default=0.0)
    message: Mapped[str] = mapped_column(String(300), default="")
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    result: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. {"url": ..., "forecast_ids": [...]}
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(default=0)  # runs started (a retry runs it again)
    queue_job_id: Mapped[str | None] = mapped_column(String(64))  # the RQ job's id when on Redis
    worker: Mapped[str | None] = mapped_column(String(120))  # who runs it: host:pid or the RQ worker
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # a running job's last sign of life

    created_by: Mapped[User | None] = relationship()
