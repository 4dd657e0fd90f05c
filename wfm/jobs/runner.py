"""Recording, running and reporting jobs."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from wfm.extensions import db
from wfm.models import Job, JobStatus
from wfm.models.planning import utcnow
from wfm.security.changelog import acting, declare_user

log = logging.getLogger(__name__)

JobFunction = Callable[..., dict]
SQLITE_BUSY_MS = 15000
_FUNCTIONS: dict[str, JobFunction] = {}
_executor: ThreadPoolExecutor | None = None


class JobCancelled(Exception):
    pass


def job_function(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register `fn(ctx, **params) -> result dict` as the code that runs jobs of `kind`."""

    def register(fn: JobFunction) -> JobFunction:
        _FUNCTIONS[kind] = fn
        return fn

    return register


def submit(kind: str, title: str, params: dict, user_id: int | None) -> Job:
    """Record a job; the caller commits, then calls `start(job)`."""
    if kind not in _FUNCTIONS:
        raise ValueError(f"kind: no job function is registered for {kind!r}")
    job = Job(kind=kind, title=title, params=params, created_by_id=user_id)
    db.session.add(job)
    db.session.flush()
    return job


def start(job: Job) -> None:
    """Hand a committed job to the runner (in a thread, or at once when JOBS_INLINE is set)."""
    app = current_app._get_current_object()
    if app.config.get("JOBS_INLINE"):
        run(app, job.id)
        db.session.expire_all()  # the job wrote through its own session: read its results afresh
        return
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=app.config.get("JOBS_THREADS", 1), thread_name_prefix="wfm-job")
    _executor.submit(run, app, job.id)


class JobContext:
    """Given to a job function: report progress, and stop when the user cancels."""

    def __init__(self, job_id: int, user_id: int | None):
        self.job_id = job_id
        self.user_id = user_id

    def _write(self, **values) -> None:
        """Progress goes through its own connection, so the job's pending writes stay uncommitted.

        SQLite has one writer at a time: once the job itself has written, a progress report would wait
        on the job's own lock. Progress is advisory, so it then gives up at once instead of waiting.
        Job functions therefore compute first and write last.
        """
        with db.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            try:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA busy_timeout=100")
                connection.execute(update(Job).where(Job.id == self.job_id).values(**values))
                connection.commit()
            except OperationalError:
                connection.rollback()
                log.debug("job %s: progress not recorded (database busy)", self.job_id)
            finally:
                if sqlite:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")

    def cancelled(self) -> bool:
        with db.engine.connect() as connection:
            return bool(connection.scalar(select(Job.cancel_requested).where(Job.id == self.job_id)))

    def progress(self, fraction: float, message: str = "") -> None:
        """Record progress (0..1); raise JobCancelled when the user asked to stop."""
        if self.cancelled():
            raise JobCancelled()
        self._write(progress=max(0.0, min(1.0, float(fraction))), message=message[:300])


def run(app: Flask, job_id: int) -> None:
    """Run one job in its own app context and session; commit its writes only if it succeeds."""
    with app.app_context(), acting(None, "job", f"job-{job_id}"):
        job = db.session.get(Job, job_id)
        if job is None or job.status != JobStatus.QUEUED:
            return
        context = JobContext(job_id, job.created_by_id)
        declare_user(job.created_by_id)
        if context.cancelled():
            _finish(job_id, JobStatus.CANCELLED, message="Cancelled before it started.")
            return
        job.status, job.started_at, job.message = JobStatus.RUNNING, utcnow(), "Started"
        db.session.commit()
        kind, params = job.kind, dict(job.params)
        try:
            result = _FUNCTIONS[kind](context, **params)
            job = db.session.get(Job, job_id)
            job.status, job.progress, job.finished_at = JobStatus.DONE, 1.0, utcnow()
            job.result, job.message = result or {}, (result or {}).get("message", "Done")
            db.session.commit()
        except JobCancelled:
            db.session.rollback()
            _finish(job_id, JobStatus.CANCELLED, message="Cancelled; nothing was saved.")
        except Exception as exc:  # a job must never take the worker down
            db.session.rollback()
            log.exception("job %s (%s) failed", job_id, kind)
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            _finish(job_id, JobStatus.FAILED, message="Failed; nothing was saved.", error=detail)
        finally:
            db.session.remove()


def _finish(job_id: int, status: JobStatus, message: str, error: str | None = None) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(
            status=status, message=message, error=error, finished_at=utcnow()))


def request_cancel(job: Job) -> None:
    if not job.status.finished:
        job.cancel_requested = True
        db.session.flush()
