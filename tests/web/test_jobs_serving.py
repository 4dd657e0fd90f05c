"""Production serving: /healthz checks its dependencies, every request has an id and one JSON log line,
PostgreSQL gets a pool from the environment, and bad settings are refused naming the variable."""

import io
import json
import logging
import socket

import pytest

from wfm import jobs
from wfm.config import Config, engine_options
from wfm.logging_setup import ContextFilter, json_formatter

pytestmark = pytest.mark.postgres  # the dialect matters here: run on PostgreSQL as well


def test_health_reports_the_database_and_is_public(client, app_context):
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert ("redis" in body["checks"]) == bool(app_context.config.get("REDIS_URL"))


def test_health_is_503_when_redis_is_unreachable(client, app_context):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app_context.config["REDIS_URL"], before = (
        f"redis://127.0.0.1:{closed}/0",
        app_context.config.get("REDIS_URL"),
    )
    try:
        response = client.get("/healthz")
    finally:
        app_context.config["REDIS_URL"] = before
    body = response.get_json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_health_counts_the_queue_and_its_workers_on_redis(client, jobs_on_redis):
    body = client.get("/healthz").get_json()
    assert body["jobs"] == "rq"
    assert body["checks"]["redis"] == {
        **body["checks"]["redis"],
        "ok": True,
        "queued": 0,
        "workers": 0,
        "queue": "wfm",
    }


def test_every_response_carries_a_request_id(client):
    given = client.get("/healthz", headers={"X-Request-ID": "proxy-abc.123"})
    assert given.headers["X-Request-ID"] == "proxy-abc.123"
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    assert made != client.get("/healthz").headers["X-Request-ID"]
    odd = client.get("/healthz", headers={"X-Request-ID": "bad id; <script>"}).headers["X-Request-ID"]
    # a malformed id is replaced, never echoed
    assert len(odd) == 32
    assert " " not in odd


def _capture(logger_name: str):
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(json_formatter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    level, disabled = logger.level, logger.disabled
    logger.setLevel(logging.INFO)
    logger.disabled = (
        False  # the test run's migrations (Alembic's fileConfig) disable loggers made before them
    )
    return buffer, lambda: (
        logger.removeHandler(handler),
        logger.setLevel(level),
        setattr(logger, "disabled", disabled),
    )


def test_a_request_logs_one_json_line_with_its_id_user_status_and_duration(demo, browser):
    browser.login("scheduler")
    buffer, undo = _capture("wfm.request")
    try:
        browser.get("/planning", headers={"X-Request-ID": "req-42"})
    finally:
        undo()
    line = json.loads(buffer.getvalue().splitlines()[-1])
    assert line["request_id"] == "req-42"
    assert line["method"] == "GET"
    assert line["path"] == "/planning"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert isinstance(line["user_id"], int)
    assert line["level"] == "INFO"
    assert line["logger"] == "wfm.request"
    assert line["time"]


@jobs.job_function("test-log-something")
def log_something(ctx):
    logging.getLogger("wfm.jobs.lifecycle").info("working on it")
    return {"message": "logged"}


def test_job_log_lines_carry_the_job_id(app_context):
    from wfm.extensions import db

    buffer, undo = _capture("wfm.jobs.lifecycle")
    try:
        job = jobs.submit("test-log-something", "logged", {}, None)
        db.session.commit()
        jobs.start(job)
    finally:
        undo()
    lines = [json.loads(text) for text in buffer.getvalue().splitlines()]
    assert lines
    assert all(line["job_id"] == job.id for line in lines)
    assert {"working on it", f"job {job.id} (test-log-something) started, attempt 1"} <= {
        ln["message"] for ln in lines
    }


def test_postgresql_gets_a_pool_from_the_environment_and_sqlite_none():
    options = engine_options(
        "postgresql+psycopg://h/db", {"DB_POOL_SIZE": "12", "DB_MAX_OVERFLOW": "3", "DB_POOL_RECYCLE": "600"}
    )
    assert options == {
        "pool_pre_ping": True,
        "pool_size": 12,
        "max_overflow": 3,
        "pool_recycle": 600,
        "pool_timeout": 30,
    }
    assert engine_options("sqlite:///x.db", {"DB_POOL_SIZE": "12"}) == {}
    with pytest.raises(ValueError, match="DB_POOL_SIZE"):
        engine_options("postgresql+psycopg://h/db", {"DB_POOL_SIZE": "lots"})


def test_job_settings_come_from_the_environment_and_bad_ones_are_named(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://example.invalid:6379/2")
    monkeypatch.setenv("WFM_QUEUE", "nightly")
    monkeypatch.setenv("WFM_JOB_STALE_AFTER", "90")
    values = Config.from_environment()
    assert values["REDIS_URL"] == "redis://example.invalid:6379/2"
    assert values["JOBS_QUEUE"] == "nightly"
    assert values["JOBS_STALE_SECONDS"] == 90.0
    monkeypatch.setenv("WFM_JOB_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="WFM_JOB_TIMEOUT"):
        Config.from_environment()


def test_the_gunicorn_config_and_wsgi_entry_point_load(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(root),
        "DATABASE_URL": f"sqlite:///{tmp_path}/check.sqlite",
        "SECRET_KEY": "check",
        "WEB_CONCURRENCY": "2",
    }
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
