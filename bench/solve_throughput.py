"""Solve throughput on RQ: a batch of four-week shift plans of the demo centre, run by one and then by two
`wfm worker` processes (real redis-server, real PostgreSQL, both throw-away), printing solves per minute.

    python bench/solve_throughput.py [--jobs 8] [--time-limit 5] [--workers 1,2]

Each job is the demo's own shift plan (28 days, every template, the demo's requirements) with a time
limit, so one job costs about the same every time. HiGHS uses two threads per worker: on a two-core
machine a second worker competes for the same cores, and the figure says how much that still gains.
The load average before each round is printed, since a shared machine's other work shows in it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pg_server import PostgresServer  # noqa: E402  (throw-away servers, as the tests use them)
from tests.redis_server import RedisServer  # noqa: E402

WFM = [sys.executable, "-c", "from wfm.cli import main; main()"]


def _run(env: dict, *args: str) -> None:
    subprocess.run(
        [*WFM, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _enqueue(env: dict, jobs: int, time_limit: float) -> list[int]:
    os.environ.update(env)
    from sqlalchemy import select

    from wfm import create_app
    from wfm.extensions import db
    from wfm.jobs import dispatch, lifecycle
    from wfm.models import ShiftTemplate, Site

    app = create_app({"JOBS_INLINE": False})
    ids = []
    with app.app_context():
        site = db.session.scalar(select(Site).order_by(Site.id))
        templates = list(db.session.scalars(select(ShiftTemplate.id).where(ShiftTemplate.site_id == site.id)))
        start = dt.date.today() + dt.timedelta(days=1)
        for number in range(jobs):
            job = lifecycle.submit(
                "shift-plan",
                f"Bench plan {number}",
                {
                    "site_id": site.id,
                    "name": f"Bench plan {number}",
                    "start": start.isoformat(),
                    "days": 28,
                    "template_ids": templates,
                    "column": "agents",
                    "time_limit": time_limit,
                },
                None,
            )
            db.session.commit()
            dispatch.start(job)
            ids.append(job.id)
        db.session.remove()
    return ids


def _results(env: dict, ids: list[int]) -> tuple[int, float]:
    from sqlalchemy import select

    from wfm import create_app
    from wfm.extensions import db
    from wfm.models import Job, JobStatus

    app = create_app()
    with app.app_context():
        rows = db.session.scalars(select(Job).where(Job.id.in_(ids))).all()
        done = sum(1 for job in rows if job.status == JobStatus.DONE)
        seconds = [(job.finished_at - job.started_at).total_seconds() for job in rows if job.finished_at]
        db.session.remove()
    return done, sum(seconds) / max(1, len(seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--workers", default="1,2")
    options = parser.parse_args()
    postgres, redis = PostgresServer(), RedisServer()
    if not postgres.available or not redis.available:
        sys.exit("needs PostgreSQL (initdb, pg_ctl) and redis-server")
    postgres.start()
    redis_url = redis.start()
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(postgres.url_for("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text("CREATE DATABASE wfm_bench"))
        engine.dispose()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": postgres.url_for("wfm_bench"),
            "REDIS_URL": redis_url,
            "SECRET_KEY": "bench",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
        }
        print(
            "setting up: migrations and the demo centre (with its own first plan and roster)...", flush=True
        )
        _run(env, "db", "upgrade")
        _run(env, "demo", "--centre", "tel-aviv", "--solve-seconds", "3")
        rows = []
        for count in (int(n) for n in options.workers.split(",")):
            load = os.getloadavg()[0]
            ids = _enqueue(env, options.jobs, options.time_limit)
            started = time.perf_counter()
            workers = [
                subprocess.Popen(
                    [*WFM, "worker", "--burst"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for _ in range(count)
            ]
            for worker in workers:
                worker.wait()
            wall = time.perf_counter() - started
            done, mean = _results(env, ids)
            rows.append((count, options.jobs, done, wall, 60 * done / wall, mean, load))
        print(
            f"\nShift plans of 28 days (demo centre), HiGHS time limit {options.time_limit:g} s, "
            f"{os.cpu_count()} cores"
        )
        print("| workers | jobs | done | wall s | solves/min | mean job s | load before |")
        print("|---|---|---|---|---|---|---|")
        for count, jobs, done, wall, rate, mean, load in rows:
            print(f"| {count} | {jobs} | {done} | {wall:.1f} | {rate:.2f} | {mean:.1f} | {load:.2f} |")
    finally:
        redis.stop()
        postgres.stop()


if __name__ == "__main__":
    main()
