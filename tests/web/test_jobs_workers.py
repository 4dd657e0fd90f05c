"""Real `wfm worker` processes on a real redis-server: a worker killed with SIGKILL mid-solve leaves no
roster, its job ends failed, and a retry on a new worker makes the roster."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.web.conftest import FIRST, HISTORY_DAYS, plan_via_pages
from wfm.extensions import db
from wfm.models import Job, JobStatus, Roster, RosterAssignment, RosterRules, ShiftPlan

pytestmark = [pytest.mark.postgres, pytest.mark.slow]  # real worker processes; the dialect matters

ROOT = Path(__file__).resolve().parents[2]
START = FIRST + dt.timedelta(days=HISTORY_DAYS)
DAYS = 7


def _worker(app, redis_url: str, log_path: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "WFM_QUEUE": app.config.get("JOBS_QUEUE", "wfm"),
        "SECRET_KEY": app.config["SECRET_KEY"],
        "LOG_FORMAT": "json",
        "WFM_JOB_HEARTBEAT": "0.5",
    }
    handle = log_path.open("ab")
    return subprocess.Popen(
        [sys.executable, "-c", "from wfm.cli import main; main()", "worker", *args],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def _wait_for(predicate, seconds: float, what: str, log_path: Path, process: subprocess.Popen):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        db.session.expire_all()
        value = predicate()
        if value:
            return value
        db.session.rollback()
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}; worker log:\n{log_path.read_text()[-4000:]}")


def _plan(browser, db_session, queue) -> ShiftPlan:
    return plan_via_pages(browser, queue, START, DAYS, method="slot_average")


def test_a_worker_killed_mid_solve_leaves_no_roster_and_the_job_retries_on_a_new_worker(
    history, browser, db_session, app_context, jobs_on_redis, tmp_path
):
    plan = _plan(browser, db_session, history)  # forecast and plan through the in-test RQ worker
    assert plan is not None
    assert plan.solver_status in ("optimal", "feasible")
    app_context.config["JOBS_INLINE"] = False  # from here on only real worker processes run jobs
    log_path = tmp_path / "worker.log"
    worker = None
    try:
        response = browser.post(
            "/rosters/",
            {
                "plan_id": plan.id,
                "name": "Killed week",
                "start": START.isoformat(),
                "days": DAYS,
                "time_limit": 30,
            },
        )
        assert response.status_code == 302
        assert "/jobs/" in response.headers["Location"]
        job_id = int(response.headers["Location"].rsplit("/", 1)[-1])
        worker = _worker(app_context, jobs_on_redis, log_path)
        _wait_for(
            lambda: (job := db.session.get(Job, job_id)).status == JobStatus.RUNNING and job.progress >= 0.05,
            90,
            "the roster job to start",
            log_path,
            worker,
        )
        # It has read the plan and made the site's roster rules (flushed, uncommitted). Frozen at once, the
        # worker cannot finish the job between this look and the kill, however quick the solve or busy the
        # machine (a wait of a few seconds here raced the solve).
        worker.send_signal(signal.SIGSTOP)
        db.session.expire_all()
        assert db.session.get(Job, job_id).status == JobStatus.RUNNING, "the job ended before the kill"
        db.session.rollback()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        assert db.session.scalar(select(func.count()).select_from(Roster)) == 0
        assert db.session.scalar(select(func.count()).select_from(RosterRules)) == 0
        assert db.session.scalar(select(func.count()).select_from(RosterAssignment)) == 0

        state = browser.get(f"/jobs/{job_id}.json").get_json()  # looking at it finds the worker gone
        assert state["status"] == "failed", state
        assert state["retryable"], state
        assert state["message"] == "The worker stopped; nothing was saved."
        assert db.session.scalar(select(func.count()).select_from(Roster)) == 0

        assert browser.post(f"/jobs/{job_id}/retry").status_code == 302
        worker = _worker(app_context, jobs_on_redis, log_path, "--burst")
        assert worker.wait(timeout=180) == 0, log_path.read_text()[-4000:]
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        assert job.status == JobStatus.DONE, (job.error, log_path.read_text()[-4000:])
        assert job.attempts == 2
        roster = db.session.scalar(select(Roster))
        assert roster is not None
        assert roster.name == "Killed week"
        assert roster.assignments
        assert job.result["roster_id"] == roster.id
        assert f'"job_id": {job_id}' in log_path.read_text()  # the worker's JSON log lines name the job
    finally:
        app_context.config["JOBS_INLINE"] = True
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait()
