"""`wfm worker`: run forecasts and solves from the Redis queue (needs REDIS_URL and the shared database).

Start as many as the machines allow, on any machine that reaches the database and Redis; each takes one
job at a time. Each is one process with one app, so HiGHS's thread count is fixed once per process (the
engine asks for 2 threads: one worker per two cores is the sensible ratio for solves). Stop one with
SIGTERM (it finishes the job in hand) or SIGINT twice; a worker killed outright loses only its current
job, whose row is then marked failed and can be retried.
"""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option(
    "--queue",
    "-q",
    "queues",
    multiple=True,
    help="Queue to take jobs from (repeatable). Default: WFM_QUEUE, else 'wfm'.",
)
@click.option("--burst", is_flag=True, help="Stop once the queue is empty instead of waiting for more.")
@click.option("--max-jobs", type=click.IntRange(min=1), help="Stop after this many jobs.")
@click.option("--name", help="The worker's name in RQ (default: a random id).")
@with_appcontext
def command(queues: tuple[str, ...], burst: bool, max_jobs: int | None, name: str | None) -> None:
    """Run jobs from Redis (RQ) until stopped."""
    from redis.exceptions import RedisError

    from wfm.jobs.lifecycle import registered_kinds
    from wfm.jobs.liveness import check_running
    from wfm.jobs.rq_queue import WfmWorker, redis_for, use_app
    from wfm.logging_setup import configure_logging

    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL is not set. Without it jobs run inside the web process and no "
            "worker is needed; with it, set the same REDIS_URL for the web processes too."
        )
    configure_logging(os.environ.get("LOG_FORMAT") or "json", app.config.get("LOG_LEVEL", "INFO"))
    connection = redis_for(app)
    try:
        connection.ping()
    except RedisError as problem:
        raise click.ClickException(f"REDIS_URL: cannot reach Redis ({problem})") from problem
    use_app(app)
    _import_job_functions()
    check_running()
    stale = float(app.config.get("JOBS_STALE_SECONDS", 60))
    worker = WfmWorker(
        list(queues) or [app.config.get("JOBS_QUEUE", "wfm")],
        connection=connection,
        name=name,
        maintenance_interval=max(10, int(stale / 2)),
    )
    app.logger.info(
        "worker %s: queues %s, job kinds %s",
        worker.name,
        ", ".join(worker.queue_names()),
        ", ".join(registered_kinds()),
    )
    worker.work(burst=burst, max_jobs=max_jobs, logging_level=app.config.get("LOG_LEVEL", "INFO"))


def _import_job_functions() -> None:
    """Job functions register themselves on import; the blueprints import them, but be explicit."""
    import wfm.forecasting.forecasts
    import wfm.rosters.operations
    import wfm.shiftplans.plans  # noqa: F401
