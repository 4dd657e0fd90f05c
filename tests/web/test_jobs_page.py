"""A job's page in words: waiting or running since when, its phase and progress (a solve's progress moves
with its time limit), and the machine and process that run it only for administrators."""

from __future__ import annotations

import datetime as dt
import re

from wfm import jobs
from wfm.clock import utcnow
from wfm.extensions import db
from wfm.jobs.liveness import Heartbeat
from wfm.jobs.phases import TimedPhase
from wfm.models import Job, JobStatus


@jobs.job_function("test-page-job")
def _page_job(ctx):
    return {"message": "done"}


def _running(worker: str, started_minutes_ago: float, progress: float, message: str) -> Job:
    job = jobs.submit("test-page-job", "Roster for the week", {}, None)
    started = utcnow() - dt.timedelta(minutes=started_minutes_ago)
    job.status, job.attempts, job.worker, job.started_at, job.heartbeat_at = (
        JobStatus.RUNNING,
        1,
        worker,
        started,
        utcnow(),
    )
    job.progress, job.message = progress, message
    db.session.commit()
    return job


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_running_job_says_since_when_and_how_far_and_hides_its_process(demo, browser, db_session):
    job = _running(
        "machine-7:4242", started_minutes_ago=3, progress=0.4, message="Solving the roster: 48 of 120 s"
    )
    browser.login("scheduler")
    page = _text(browser.get(f"/jobs/{job.id}").get_data(as_text=True))
    assert f"Running since {job.started_at:%H:%M} UTC" in page
    assert "40%" in page
    assert "Solving the roster: 48 of 120 s" in page
    assert "machine-7" not in page
    assert "4242" not in page
    assert "worker" not in browser.get(f"/jobs/{job.id}.json").get_json()
    browser.client.post("/logout")
    browser.login("admin")
    assert "machine-7:4242" in browser.get(f"/jobs/{job.id}").get_data(as_text=True)


def test_a_queued_job_says_it_waits(demo, browser, db_session):
    job = jobs.submit("test-page-job", "Forecast", {}, None)
    db_session.commit()
    browser.login("scheduler")
    page = _text(browser.get(f"/jobs/{job.id}").get_data(as_text=True))
    assert f"Waiting to start since {job.created_at:%H:%M} UTC" in page
    assert "queued" not in page


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_timed_phase_moves_with_its_time_limit():
    clock = Clock()
    phase = TimedPhase(0.1, 0.9, seconds=200, what="Solving the roster", clock=clock)
    assert phase.values() == {"progress": 0.1, "message": "Solving the roster: 0 of 200 s"}
    clock.now = 50
    assert phase.values() == {"progress": 0.3, "message": "Solving the roster: 50 of 200 s"}
    clock.now = 500  # past the limit (proving the answer takes a little longer): it stays below the end
    assert phase.values()["progress"] == 0.9
    assert phase.values()["message"] == "Solving the roster: the time limit is reached, finishing"


def test_the_heartbeat_writes_the_running_phase(demo, db_session):
    job = _running("machine-7:1", started_minutes_ago=1, progress=0.1, message="Starting")
    clock = Clock()
    heartbeat = Heartbeat(db.engine, job.id, 1, interval=5)
    heartbeat.phase = TimedPhase(0.1, 0.9, seconds=100, what="Solving", clock=clock)
    clock.now = 25
    heartbeat._visit(beat=True)
    db_session.expire_all()
    row = db_session.get(Job, job.id)
    assert row.progress == 0.3
    assert row.message == "Solving: 25 of 100 s"
