"""`wfm serve`: the production web server (gunicorn with the project's gunicorn.conf.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.option("--bind", "-b", help="Address to listen on (default WEB_BIND, else 127.0.0.1:8000).")
@click.option("--workers", "-w", type=click.IntRange(min=1), help="Web processes (default WEB_CONCURRENCY).")
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def command(bind: str | None, workers: int | None, gunicorn_args: tuple[str, ...]) -> None:
    """Serve the app with gunicorn (settings from the environment; see gunicorn.conf.py). Run `wfm db
    upgrade` first, once per deployment."""
    if bind:
        os.environ["WEB_BIND"] = bind
    if workers:
        os.environ["WEB_CONCURRENCY"] = str(workers)
    arguments = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(CONFIG),
        "--chdir",
        str(CONFIG.parent),
        *gunicorn_args,
        "wsgi:app",
    ]
    os.execv(sys.executable, arguments)
