"""Jobs on RQ: the web process enqueues a job's id; `wfm worker` processes, anywhere, run it.

RQ carries only the id. The worker runs `perform(job_id)`, which is `lifecycle.run` inside the worker's own
Flask app (made once per worker process), so the job row stays the record of status, progress and
result, and RQ's own job record is only a delivery receipt. Workers are `SimpleWorker`s: a job runs in the
worker process itself, not in a forked child, so the app, its connection pool and HiGHS's thread count
are set up once per process, and killing the worker kills its job with it (the job's uncommitted
transaction goes too; `liveness` then marks the row failed).
"""

from __future__ import annotations

import contextlib
import logging
import uuid

from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue, SimpleWorker
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job as RQJob
from rq.timeouts import TimerDeathPenalty
from sqlalchemy import update

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models import Job, JobStatus

log = logging.getLogger(__name__)

PERFORM = "wfm.jobs.rq_queue.perform"
_worker_app: Flask | None = None


def redis_for(app: Flask) -> Redis:
    """One Redis client (a connection pool) per app and URL."""
    url = app.config["REDIS_URL"]
    clients = app.extensions.setdefault("wfm_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(
            url, socket_connect_timeout=5, socket_timeout=30, health_check_interval=30
        )
    return clients[url]


def queue_for(app: Flask) -> Queue:
    return Queue(app.config.get("JOBS_QUEUE", "wfm"), connection=redis_for(app))


class RQRunner:
    name = "rq"

    def enqueue(self, app: Flask, job_id: int, attempt: int) -> None:
        queue = queue_for(app)
        rq_id = f"wfm-{job_id}-{attempt}-{uuid.uuid4().hex[:8]}"
        try:
            with db.engine.begin() as connection:  # recorded first: a cancel can then find it on the queue
                connection.execute(update(Job).where(Job.id == job_id).values(queue_job_id=rq_id))
            queue.enqueue_call(
                PERFORM,
                args=(job_id,),
                job_id=rq_id,
                timeout=app.config.get("JOBS_TIMEOUT", 3600),
                result_ttl=3600,
                failure_ttl=7 * 86400,
                description=f"wfm job {job_id}",
            )
        except Exception as exc:  # Redis down: say so on the job rather than leave it queued forever
            log.exception("job %s: could not be put on the queue", job_id)
            with db.engine.begin() as connection:
                connection.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
                    .values(
                        status=JobStatus.FAILED,
                        finished_at=utcnow(),
                        message="Could not reach the job queue.",
                        error=f"{type(exc).__name__}: {exc}. Nothing ran; retry the job when Redis is back.",
                    )
                )
            return
        log.info("job %s queued on RQ as %s (queue %s)", job_id, rq_id, queue.name)
        if app.config.get("JOBS_INLINE"):  # tests: a worker in this process takes it now
            InlineWorker([queue], connection=queue.connection).work(burst=True)

    def forget(self, app: Flask, job_id: int, queue_job_id: str | None) -> None:
        if not queue_job_id:
            return
        with contextlib.suppress(NoSuchJobError, InvalidJobOperation):
            RQJob.fetch(queue_job_id, connection=redis_for(app)).cancel()


def perform(job_id: int) -> None:
    """What an RQ worker runs: the job, in this worker's app."""
    from wfm.jobs.lifecycle import run, worker_name

    run(_app(), job_id, worker=worker_name())


def _app() -> Flask:
    global _worker_app
    if _worker_app is not None:
        return _worker_app
    if has_app_context():  # a worker inside a test or the web process
        return current_app._get_current_object()
    from wfm import create_app

    _worker_app = create_app()
    return _worker_app


def use_app(app: Flask) -> None:
    """The app this process's jobs run in (`wfm worker` calls it once)."""
    global _worker_app
    _worker_app = app


class WfmWorker(SimpleWorker):
    """An RQ worker that also looks for jobs whose worker died, at start and every maintenance round."""

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        from wfm.jobs.liveness import check_running

        app = _app()
        with app.app_context():
            try:
                check_running()
            except Exception:
                log.warning("could not check for jobs of dead workers", exc_info=True)


class InlineWorker(SimpleWorker):
    """A burst worker inside the caller's thread (tests): no signal handlers, a timer for the time limit, and
    no subscription to RQ's command channel (nobody sends commands to a worker that lives for one burst, and
    leaving the channel waited on its listener thread at the end of every burst)."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        pass

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass
