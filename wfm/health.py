"""What `/healthz` reports: can this process reach what it needs (the database; Redis when jobs use it)?

A load balancer takes a web process out of rotation on a 503, so a check failing here must mean this
process cannot serve, never that one job went wrong. Nothing private is shown: names of the checks, ok or
the kind of error, and counts of queued jobs and live workers, which an operator watching a queue wants.
"""

from __future__ import annotations

import logging
import time

from flask import current_app
from sqlalchemy import text

from wfm.extensions import db

log = logging.getLogger(__name__)


def _check(name: str, probe) -> tuple[bool, dict]:
    started = time.perf_counter()
    try:
        detail = probe() or {}
        ok = True
    except Exception as problem:  # any failure of a dependency is a 503, with its kind for the operator
        db.session.rollback()
        log.warning("health: %s unavailable: %s", name, problem)
        detail, ok = {"error": type(problem).__name__}, False
    return ok, {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1), **detail}


def _database() -> dict:
    db.session.execute(text("SELECT 1"))
    db.session.rollback()
    return {"dialect": db.engine.dialect.name}


def _redis() -> dict:
    from rq import Worker

    from wfm.jobs.rq_queue import queue_for

    queue = queue_for(current_app)
    queue.connection.ping()
    return {"queue": queue.name, "queued": queue.count, "workers": Worker.count(queue=queue)}


def report() -> tuple[dict, int]:
    checks: dict[str, dict] = {}
    healthy = True
    probes = [("database", _database)]
    if current_app.config.get("REDIS_URL"):
        probes.append(("redis", _redis))
    for name, probe in probes:
        ok, checks[name] = _check(name, probe)
        healthy &= ok
    jobs = "rq" if current_app.config.get("REDIS_URL") else "in-process"
    return {
        "status": "ok" if healthy else "unavailable",
        "jobs": jobs,
        "checks": checks,
    }, 200 if healthy else 503
