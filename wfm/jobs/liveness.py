"""A running job's sign of life, and what happens to a job whose worker died.

A worker killed mid-solve (SIGKILL, a lost machine) cannot say so. Its uncommitted transaction vanishes
with it, so nothing it computed lands; but its row would say "running" forever. So while a job runs, a
thread writes `heartbeat_at` every few seconds (progress reports write it too), and any running job
whose heartbeat is older than `JOBS_STALE_SECONDS` is marked failed: the worker stopped and nothing was
saved, and the scheduler can retry it. The check runs when someone looks at a job, when a worker starts,
and between a worker's jobs; it is one UPDATE, so any number of processes may run it. The same thread reads
the row's `cancel_requested` every second, so a long solve that reports no progress still hears a cancel.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.engine import Engine

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models import Job, JobStatus

log = logging.getLogger(__name__)

WORKER_STOPPED = "The worker stopped; nothing was saved."
CANCEL_POLL_SECONDS = 1.0  # how often a running job's row is read for a cancel (at most its heartbeat period)


def touch_values() -> dict:
    return {"heartbeat_at": utcnow()}


class Heartbeat:
    """While the `with` block runs, write the job's `heartbeat_at` every `interval` seconds from a thread, and
    look every `cancel_poll` seconds whether the user asked the job to stop: `cancel_requested` (an Event)
    is set then, for the job's long computations to ask cheaply (`JobContext.should_stop`)."""

    def __init__(
        self,
        engine: Engine,
        job_id: int,
        attempt: int,
        interval: float,
        cancel_poll: float = CANCEL_POLL_SECONDS,
        cancel_requested: threading.Event | None = None,
    ) -> None:
        self.engine, self.job_id, self.attempt, self.interval = engine, job_id, attempt, interval
        self.cancel_poll = max(0.01, min(cancel_poll, interval))
        self.cancel_requested = cancel_requested if cancel_requested is not None else threading.Event()
        self.phase = None  # a running TimedPhase (see JobContext.timed): its progress goes with each beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"wfm-heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=max(5.0, self.interval))

    def _beat(self) -> None:
        next_beat = time.monotonic() + self.interval
        while not self._stop.wait(self.cancel_poll):
            beat = time.monotonic() >= next_beat
            if beat:
                next_beat = time.monotonic() + self.interval
            if beat or not self.cancel_requested.is_set():
                self._visit(beat)

    def _visit(self, beat: bool) -> None:
        """One look at the job's row: write the heartbeat when `beat`, read whether a cancel was asked."""
        try:
            with self.engine.connect() as connection:
                if connection.dialect.name == "sqlite":  # the job may hold the write lock while saving
                    connection.exec_driver_sql("PRAGMA busy_timeout=100")
                if not self.cancel_requested.is_set() and connection.scalar(
                    select(Job.cancel_requested).where(Job.id == self.job_id)
                ):
                    self.cancel_requested.set()
                if beat:
                    connection.execute(
                        update(Job)
                        .where(
                            Job.id == self.job_id,
                            Job.status == JobStatus.RUNNING,
                            Job.attempts == self.attempt,
                        )
                        .values(**touch_values(), **(self.phase.values() if self.phase else {}))
                    )
                connection.commit()
        except Exception:  # a missed beat or look is harmless; the next one tries again
            log.debug("job %s: heartbeat not recorded", self.job_id, exc_info=True)


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    seconds = float(current_app.config.get("JOBS_STALE_SECONDS", 60.0))
    return (now or utcnow()) - dt.timedelta(seconds=seconds)


def fail_stale(job_id: int | None = None, reason: str = "") -> int:
    """Mark running jobs without a recent heartbeat failed (all of them, or the one given); commit; return how
    many. Safe to call from any process at any time.

    Not on SQLite: there a job that has begun writing holds the database's one write lock until it commits,
    so its heartbeat cannot be recorded and a long solve would look dead. SQLite also means one machine,
    where `fail_orphans` tells a dead process from a live one directly.
    """
    if db.engine.dialect.name == "sqlite":
        return 0
    now = utcnow()
    cutoff = stale_before(now)
    condition = [
        Job.status == JobStatus.RUNNING,
        or_(Job.heartbeat_at < cutoff, Job.heartbeat_at.is_(None) & (Job.started_at < cutoff)),
    ]
    if job_id is not None:
        condition.append(Job.id == job_id)
    with db.engine.begin() as connection:
        count = connection.execute(
            update(Job)
            .where(*condition)
            .values(
                status=JobStatus.FAILED,
                message=WORKER_STOPPED,
                finished_at=now,
                error=reason
                or f"No sign of life from its worker for {current_app.config.get('JOBS_STALE_SECONDS', 60)} "
                "seconds: the process stopped (killed, out of memory or the machine lost). "
                "Its work was not committed; retry the job.",
            )
        ).rowcount
    if count:
        log.warning("%s running job(s) without a heartbeat marked failed", count)
    return count


def fail_orphans() -> int:
    """Fail at once the running jobs of processes on this machine that no longer exist.

    The heartbeat catches every dead worker eventually; this catches the ones on this host now, without
    waiting out the stale period (a worker restarted after a crash, a web process after a deploy). A pid
    taken over by another process counts as alive, and the heartbeat decides.
    """
    prefix = f"{socket.gethostname()}:"
    rows = db.session.execute(
        select(Job.id, Job.worker).where(Job.status == JobStatus.RUNNING, Job.worker.startswith(prefix))
    ).all()
    db.session.rollback()
    dead = [job_id for job_id, worker in rows if not _alive(worker[len(prefix) :])]
    if not dead:
        return 0
    with db.engine.begin() as connection:
        count = connection.execute(
            update(Job)
            .where(Job.id.in_(dead), Job.status == JobStatus.RUNNING)
            .values(
                status=JobStatus.FAILED,
                message=WORKER_STOPPED,
                finished_at=utcnow(),
                error=(
                    "Its worker process is gone (killed or crashed). "
                    "Its work was not committed; retry the job."
                ),
            )
        ).rowcount
    log.warning("%s job(s) of dead processes on this machine marked failed", count)
    return count


def _alive(pid_text: str) -> bool:
    try:
        pid = int(pid_text)
    except ValueError:
        return True  # not one of ours: leave it to the heartbeat
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_running(job_id: int | None = None) -> int:
    """Both checks: dead local processes, then missing heartbeats."""
    return fail_orphans() + fail_stale(job_id)
