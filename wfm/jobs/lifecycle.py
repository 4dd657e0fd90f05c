"""A job's lifecycle: recording, running, cancelling and retrying it (who carries it: `wfm.jobs.dispatch`).

The `job` row is the one source of truth for a job's status, progress, message and result, whichever
runner carries it (the web process's own threads, or RQ workers on Redis, where RQ only carries the row's
id). Every change of status is a conditional UPDATE on what the status was, so a cancel racing a start,
or a worker declared dead racing its own late finish, has one winner and the loser changes nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from scheduling.stopping import SolveStopped
from scheduling.text import Sentence
from wfm.clock import utcnow
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.i18n import translate
from wfm.i18n.languages import DEFAULT_LANGUAGE, language_of
from wfm.jobs.liveness import Heartbeat, touch_values
from wfm.jobs.phases import TimedPhase
from wfm.logging_setup import current_job_id
from wfm.models import Job, JobStatus, User
from wfm.security.changelog import acting, declare_user

log = logging.getLogger(__name__)

JobFunction = Callable[..., dict]
SQLITE_BUSY_MS = 15000
_FUNCTIONS: dict[str, JobFunction] = {}

# Stored in English (written where no reader is known); pages show them through `translate`.
CANCELLED_BEFORE_START = Sentence("Cancelled before it started.")
RETRYABLE = (JobStatus.FAILED, JobStatus.CANCELLED)


class JobCancelled(Exception):
    pass


def job_function(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register `fn(ctx, **params) -> result dict` as the code that runs jobs of `kind`."""

    def register(fn: JobFunction) -> JobFunction:
        _FUNCTIONS[kind] = fn
        return fn

    return register


def registered_kinds() -> list[str]:
    return sorted(_FUNCTIONS)


def submit(kind: str, title: str, params: dict, user_id: int | None) -> Job:
    """Record a job; the caller commits, then calls `start(job)`."""
    if kind not in _FUNCTIONS:
        raise ValueError(f"kind: no job function is registered for {kind!r}")
    job = Job(kind=kind, title=title, params=params, created_by_id=user_id)
    db.session.add(job)
    db.session.flush()
    return job


class JobContext:
    """Given to a job function: report progress, and stop when the user cancels.

    Progress reports raise `JobCancelled` once the user has asked; a long computation that reports nothing
    (a solve) gets `should_stop` instead, answered from memory (the job's heartbeat thread reads the row
    every second), cheap enough to be asked from inside the solver."""

    def __init__(
        self,
        job_id: int,
        user_id: int | None,
        attempt: int = 1,
        cancel_requested: threading.Event | None = None,
    ):
        self.job_id = job_id
        self.user_id = user_id
        self.attempt = attempt
        self.cancel_requested = cancel_requested if cancel_requested is not None else threading.Event()
        self.heartbeat: Heartbeat | None = None  # set while the job runs under one

    def _write(self, **values) -> None:
        """Progress goes through its own connection, so the job's pending writes stay uncommitted.

        SQLite has one writer at a time: once the job itself has written, a progress report would wait
        on the job's own lock. Progress is advisory, so it then gives up at once instead of waiting.
        Job functions therefore compute first and write last.
        """
        write_own_row(self.job_id, self.attempt, values)

    def cancelled(self) -> bool:
        with db.engine.connect() as connection:
            asked = bool(connection.scalar(select(Job.cancel_requested).where(Job.id == self.job_id)))
        if asked:
            self.cancel_requested.set()
        return asked

    def should_stop(self) -> bool:
        """Whether the user has asked the job to stop, as last seen (at most a second or so ago); for the
        engine's `should_stop` (see `scheduling.stopping`), which then raises `SolveStopped`: the job ends
        as cancelled, like `JobCancelled`."""
        return self.cancel_requested.is_set()

    @contextmanager
    def timed(self, start: float, end: float, seconds: float, what: str) -> Iterator[None]:
        """A phase that cannot report (a solve of at most `seconds`): while it runs, the heartbeat moves the
        job's progress from `start` towards `end` with the time passed, and says so in the message."""
        phase = TimedPhase(start, end, seconds, what)
        self.progress(start, phase.values()["message"])
        if self.heartbeat is not None:
            self.heartbeat.phase = phase
        try:
            yield
        finally:
            if self.heartbeat is not None:
                self.heartbeat.phase = None

    def progress(self, fraction: float, message: str = "") -> None:
        """Record progress (0..1) and a sign of life; raise JobCancelled when the user asked to stop."""
        if self.cancelled():
            raise JobCancelled()
        self._write(
            progress=max(0.0, min(1.0, float(fraction))), message=translate(message)[:300], **touch_values()
        )


def write_own_row(job_id: int, attempt: int, values: dict) -> None:
    """Update a running job's row through a connection of its own; give up at once if the database is busy."""
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        try:
            if sqlite:
                connection.exec_driver_sql("PRAGMA busy_timeout=100")
            connection.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.attempts == attempt)
                .values(**values)
            )
            connection.commit()
        except OperationalError:
            connection.rollback()
            log.debug("job %s: progress not recorded (database busy)", job_id)
        finally:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def run(app: Flask, job_id: int, worker: str | None = None) -> None:
    """Run one job in its own app context and session; commit its writes only if it succeeds.

    The job's own writes and its "done" are one transaction: a job that raises, is cancelled, or whose
    process dies (a killed worker) commits nothing, and a heartbeat thread keeps `heartbeat_at` fresh so a
    dead one is noticed (`wfm.jobs.liveness.fail_stale`).
    """
    with app.app_context(), acting(None, "job", f"job-{job_id}"):
        attempt = _claim(job_id, worker or worker_name())
        if attempt is None:
            return
        job = db.session.get(Job, job_id)
        kind, params, user_id = job.kind, dict(job.params), job.created_by_id
        with force_locale(_language_of_user(user_id)):
            _run_claimed(app, job_id, attempt, kind, params, user_id)


def _language_of_user(user_id: int | None) -> str:
    """The language of the person who asked for the job: what the job writes (progress, its result's
    message, a refusal) is in their words, as a request of theirs would be."""
    user = db.session.get(User, user_id) if user_id is not None else None
    return language_of(user.language if user else None) or DEFAULT_LANGUAGE


def _run_claimed(app: Flask, job_id: int, attempt: int, kind: str, params: dict, user_id: int | None) -> None:
    declare_user(user_id)  # the change log names who asked for the job
    db.session.commit()  # end the read: the job's own transaction starts with its first write
    token = current_job_id.set(job_id)
    log.info("job %s (%s) started, attempt %s", job_id, kind, attempt)
    context = JobContext(job_id, user_id, attempt)
    try:
        with Heartbeat(
            db.engine,
            job_id,
            attempt,
            app.config.get("JOBS_HEARTBEAT_SECONDS", 5.0),
            cancel_requested=context.cancel_requested,
        ) as heartbeat:
            context.heartbeat = heartbeat
            result = _FUNCTIONS[kind](context, **params) or {}
            finished = db.session.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.attempts == attempt)
                .values(
                    status=JobStatus.DONE,
                    progress=1.0,
                    finished_at=utcnow(),
                    result=result,
                    message=translate(result.get("message", Sentence("Done")))[:300],
                    error=None,
                )
            ).rowcount
            if finished:
                db.session.commit()
                log.info("job %s (%s) done: %s", job_id, kind, result.get("message", ""))
            else:  # given up as dead, cancelled or retried meanwhile: its work is not kept
                db.session.rollback()
                log.warning(
                    "job %s (%s) finished after it was given up; its work was discarded", job_id, kind
                )
    except (JobCancelled, SolveStopped):  # the user's cancel, seen by a progress report or by the engine
        db.session.rollback()
        _finish(job_id, attempt, JobStatus.CANCELLED, message=Sentence("Cancelled; nothing was saved."))
        log.info("job %s (%s) cancelled", job_id, kind)
    except Exception as exc:  # a job must never take the worker down
        db.session.rollback()
        refusal = refusal_of(exc)
        if refusal is not None:  # bad input, said in words: running it again would fail the same way
            log.info("job %s (%s) refused: %s", job_id, kind, refusal)
            _finish(
                job_id,
                attempt,
                JobStatus.FAILED,
                message=Sentence("Not done; nothing was saved."),
                error=refusal,
                result={"retryable": False},
            )
            return
        log.exception("job %s (%s) failed", job_id, kind)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        _finish(
            job_id,
            attempt,
            JobStatus.FAILED,
            message=Sentence("Failed; nothing was saved."),
            error=detail,
            result={"unexpected": True},  # the page says so in words; the detail is for the log and the API
        )
    finally:
        current_job_id.reset(token)
        db.session.remove()


def _claim(job_id: int, worker: str) -> int | None:
    """Move a queued job to running (the attempt's number), or settle one cancelled before it started."""
    job = db.session.get(Job, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        db.session.rollback()
        return None
    attempt = job.attempts + 1
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED, Job.cancel_requested.isnot(True))
        .values(
            status=JobStatus.RUNNING,
            attempts=attempt,
            started_at=now,
            heartbeat_at=now,
            worker=worker,
            message=Sentence("Started"),
            progress=0.0,
        )
    ).rowcount
    if not claimed:
        db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.CANCELLED, message=CANCELLED_BEFORE_START, finished_at=now)
        )
    db.session.commit()
    return attempt if claimed else None


def refusal_of(exc: BaseException) -> str | None:
    """The words of a refusal that names a field (a domain problem: ForecastProblem, PlanProblem, ...);
    None for any other failure, which may be passing (a lost connection) and is worth a retry."""
    if getattr(exc, "field", None) is None:
        return None
    text = translate(getattr(exc, "message", None) or str(exc)).strip()
    if not text:
        return None
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def is_retryable(job: Job) -> bool:
    """Failed or cancelled, and not refused for its input (that would fail the same way again)."""
    return job.status in RETRYABLE and (job.result or {}).get("retryable", True)


def _finish(
    job_id: int,
    attempt: int,
    status: JobStatus,
    message: str,
    error: str | None = None,
    result: dict | None = None,
) -> None:
    values = {"status": status, "message": message, "error": error, "finished_at": utcnow()}
    if result is not None:
        values["result"] = result
    with db.engine.begin() as connection:
        connection.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.attempts == attempt)
            .values(**values)
        )


def request_cancel(job: Job) -> bool:
    """Ask a job to stop (flush only). A queued job is cancelled at once and never runs: returns True then,
    and the caller, after committing, tells the runner to drop it (`dispatch.forget`)."""
    if job.status.finished:
        return False
    cancelled_now = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status == JobStatus.QUEUED)
        .values(
            status=JobStatus.CANCELLED,
            cancel_requested=True,
            message=CANCELLED_BEFORE_START,
            finished_at=utcnow(),
        )
    ).rowcount
    if not cancelled_now:
        db.session.execute(update(Job).where(Job.id == job.id).values(cancel_requested=True))
    db.session.flush()
    db.session.refresh(job)
    return bool(cancelled_now)


def retry(job: Job) -> None:
    """Queue a failed or cancelled job again (flush only; the caller commits, then calls `start`)."""
    if job.status not in RETRYABLE:
        raise FieldError(
            "status", f"only a failed or cancelled job can be retried; this one is {job.status.value}"
        )
    if not is_retryable(job):
        raise FieldError(
            "status",
            "this job was refused for what it was asked to do and would fail the same way; "
            "change the request and start a new one",
        )
    done = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status.in_(RETRYABLE))
        .values(
            status=JobStatus.QUEUED,
            progress=0.0,
            message=_("Queued again (attempt %(attempt)s)", attempt=job.attempts + 1),
            error=None,
            cancel_requested=False,
            result={},
            started_at=None,
            finished_at=None,
            heartbeat_at=None,
            worker=None,
        )
    ).rowcount
    db.session.flush()
    db.session.refresh(job)
    if not done:
        raise FieldError("status", f"the job moved on meanwhile; it is {job.status.value}")
