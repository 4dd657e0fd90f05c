"""Dispatch: who runs a committed job, the web process's own threads or RQ workers through Redis.

`REDIS_URL` set: the job's id goes on the RQ queue (`JOBS_QUEUE`) and any `wfm worker`, on any machine
sharing the database and Redis, takes it. Unset: a thread pool in the web process (`JOBS_THREADS`), or,
with `JOBS_INLINE` (tests), the request itself. Both call the same `lifecycle.run`, so status, progress,
cancel, retry and "nothing half-written" behave the same either way.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from flask import Flask, current_app

from wfm.extensions import db
from wfm.jobs.lifecycle import run
from wfm.models import Job

log = logging.getLogger(__name__)


class JobRunner(Protocol):
    name: str

    def enqueue(self, app: Flask, job_id: int, attempt: int) -> None:
        """Arrange for `lifecycle.run(app, job_id)` to happen (the job row is committed, status queued)."""

    def forget(self, app: Flask, job_id: int, queue_job_id: str | None) -> None:
        """Drop a queued job that was cancelled before it started (it would do nothing if run anyway)."""


class ThreadRunner:
    """In the web process: a small thread pool, or at once in the caller with JOBS_INLINE."""

    name = "in-process"

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None

    def enqueue(self, app: Flask, job_id: int, attempt: int) -> None:
        if app.config.get("JOBS_INLINE"):
            run(app, job_id)
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=app.config.get("JOBS_THREADS", 1), thread_name_prefix="wfm-job"
            )
        self._executor.submit(run, app, job_id)

    def forget(self, app: Flask, job_id: int, queue_job_id: str | None) -> None:
        pass  # the thread finds the row cancelled and returns


_threads = ThreadRunner()


def start(job: Job) -> None:
    """Hand a committed job to the runner the configuration chooses ."""
    app = current_app._get_current_object()
    runner_for(app).enqueue(app, job.id, job.attempts + 1)
    if app.config.get("JOBS_INLINE"):
        db.session.expire_all()  # the job wrote through its own session: read its results afresh


def runner_for(app: Flask) -> JobRunner:
    if app.config.get("REDIS_URL"):
        from wfm.jobs.rq_queue import RQRunner

        return RQRunner()
    return _threads


def forget(app: Flask, job) -> None:
    """After the cancel of a queued job is committed: drop it from the runner (best effort)."""
    try:
        runner_for(app).forget(app, job.id, job.queue_job_id)
    except Exception:  # the row already says cancelled, and a worker taking it anyway does nothing
        log.warning("job %s: could not drop it from the queue", job.id, exc_info=True)
