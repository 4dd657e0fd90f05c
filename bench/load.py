"""Load test of the main pages and the JSON API: 200 agents and 8 weeks of plans, served by gunicorn.

    .venv/bin/python bench/load.py [--database postgresql|sqlite] [--users 24] [--seconds 60]
        [--agents 200] [--weeks 8] [--solve-seconds 20] [--workers 2] [--threads 4]

Steps, each bounded in time: a throw-away PostgreSQL (tests/pg_server.py, Unix socket only) or SQLite file
in a temporary folder; `wfm db upgrade`; `wfm demo --agents 200 --weeks 8` (the demo centre scaled, with a
year of history, eight weeks of forecasts and requirements, and two published four-week rosters); login
users for 40 agents and API tokens (rows of api_token); gunicorn on 127.0.0.1; locust headless for
`--seconds` with schedulers, HR, agents and API clients. Prints one row per endpoint group — requests,
failures, requests/s, median and p95 latency — and the totals. The API users are left out, with a notice,
when /api/v1/me answers 404 (an app without the API). Everything started is stopped at the end, on errors
and on Ctrl-C; all traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

AGENT_LOGINS = 40
WFM = [sys.executable, "-c", "import sys; sys.argv[0] = 'wfm'; from wfm.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(args: list[str], env: dict, timeout: float) -> None:
    started = time.monotonic()
    print(f"$ wfm {' '.join(args[len(WFM) :])}", flush=True)
    subprocess.run(args, env=env, cwd=REPO, check=True, timeout=timeout)
    print(f"  ({time.monotonic() - started:.0f} s)", flush=True)


def _targets(database_url: str, folder: Path) -> dict:
    """Logins and tokens for the users of the test, and the ids their pages need."""
    os.environ["DATABASE_URL"] = database_url
    from sqlalchemy import select

    from wfm import create_app
    from wfm.admin import operations as ops
    from wfm.extensions import db
    from wfm.models import Agent, AgentStatus, ApiToken, Forecast, Roster, User

    app = create_app()
    with app.app_context():
        rosters = db.session.scalars(select(Roster).order_by(Roster.id)).all()
        if not rosters:
            raise SystemExit("the demo made no roster: nothing to load-test (try a larger --solve-seconds)")
        linked = set(db.session.scalars(select(User.agent_id).where(User.agent_id.is_not(None))))
        free = [
            a
            for a in db.session.scalars(
                select(Agent).where(Agent.status == AgentStatus.ACTIVE).order_by(Agent.id)
            )
            if a.id not in linked
        ][:AGENT_LOGINS]
        logins = ["agent", "agent2", "agent3"]
        for agent in free:
            user = ops.save_user(
                None,
                username=f"bench{agent.id}",
                display_name=agent.name,
                email=None,
                password="demo",
                roles=["agent"],
                agent_id=agent.id,
                check_policy=False,
            )
            logins.append(user.username)

        def token_for(username: str) -> str:
            user = db.session.scalar(select(User).where(User.username == username))
            token = "wfm_" + secrets.token_urlsafe(32)
            db.session.add(
                ApiToken(
                    user_id=user.id,
                    name="load test",
                    prefix=token[:12],
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                )
            )
            return token

        targets = {
            "roster_id": rosters[0].id,
            "first_day": rosters[0].start_date.isoformat(),
            "roster_days": [(r.id, r.start_date.isoformat(), r.days) for r in rosters],
            "forecast_ids": db.session.scalars(select(Forecast.id).order_by(Forecast.id)).all(),
            "agent_ids": [
                u
                for u in db.session.scalars(
                    select(User.agent_id).where(User.agent_id.is_not(None)).order_by(User.agent_id)
                )
            ][:10],
            "agent_logins": logins,
            "scheduler_token": token_for("scheduler"),
            "agent_tokens": [token_for(name) for name in logins[:10]],
            "agents": db.session.query(Agent).filter(Agent.status == AgentStatus.ACTIVE).count(),
        }
        db.session.commit()
    (folder / "targets.json").write_text(json.dumps(targets))
    return targets


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url}/healthz within {seconds:.0f} s")


def _api_ready(url: str, token: str) -> bool:
    request = urllib.request.Request(url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        if error.code != 404:
            print(
                f"note: /api/v1/me answered {error.code}; the API users run anyway and count it as failures"
            )
            return True
        return False


def _stop(process: subprocess.Popen | None, name: str) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
    print(f"stopped {name}", flush=True)


def _table(stats_csv: Path, seconds: float) -> str:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    lines = [
        "| endpoint group | requests | failures | requests/s | median ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "**total**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {float(row['Median Response Time']):.0f} | "
            f"{float(row['95%']):.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--users", type=int, default=24, help="simultaneous locust users")
    parser.add_argument("--spawn-rate", type=float, default=6)
    parser.add_argument("--seconds", type=int, default=60, help="length of the measured run")
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--weeks", type=int, choices=[4, 8], default=8)
    parser.add_argument("--solve-seconds", type=float, default=20, help="time limit of each demo solve")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--sqlite-from",
        type=Path,
        default=None,
        metavar="FILE",
        help="start from a copy of this SQLite database (a demo built before with the same "
        "--agents and --weeks) instead of building one: runs of two branches then load the "
        "same data",
    )
    parser.add_argument(
        "--keep-sqlite",
        type=Path,
        default=None,
        metavar="FILE",
        help="copy the SQLite database built (before the run's logins are added) to FILE",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    folder = Path(tempfile.mkdtemp(prefix="wfm-load-"))
    postgres = server = locust = None
    try:
        if args.sqlite_from is not None:
            args.database = "sqlite"
        if args.database == "postgresql":
            from tests.pg_server import PostgresServer

            postgres = PostgresServer()
            if not postgres.available:
                raise SystemExit("PostgreSQL binaries (initdb, pg_ctl) not found; use --database sqlite")
            import sqlalchemy as sa

            engine = sa.create_engine(postgres.start(), isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.execute(sa.text("CREATE DATABASE wfm_bench"))
            engine.dispose()
            database_url = postgres.url_for("wfm_bench")
        else:
            database_url = f"sqlite:///{folder / 'wfm.sqlite'}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_hex(16),
            "PYTHONPATH": str(REPO),
        }
        env.pop("CI", None)
        started = time.monotonic()
        if args.sqlite_from is not None:
            shutil.copyfile(args.sqlite_from, folder / "wfm.sqlite")
            _run([*WFM, "db", "upgrade"], env, timeout=300)
        else:
            _run([*WFM, "db", "upgrade"], env, timeout=300)
            _run(
                [
                    *WFM,
                    "demo",
                    "--centre",
                    "tel-aviv",
                    "--agents",
                    str(args.agents),
                    "--weeks",
                    str(args.weeks),
                    "--solve-seconds",
                    str(args.solve_seconds),
                ],
                env,
                timeout=1200,
            )
            if args.keep_sqlite is not None and args.database == "sqlite":
                shutil.copyfile(folder / "wfm.sqlite", args.keep_sqlite)
        targets = _targets(database_url, folder)
        build_seconds = time.monotonic() - started

        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-w",
                str(args.workers),
                "--threads",
                str(args.threads),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "wfm:create_app()",
            ],
            env=env,
            cwd=REPO,
            start_new_session=True,
        )
        _wait_until_up(url)
        classes = ["Scheduler", "HR", "Agent"]
        if _api_ready(url, targets["agent_tokens"][0]):
            classes.append("Api")
        else:
            print(
                "notice: /api/v1/me answers 404 (the JSON API is not on this branch yet): API users skipped"
            )
        locust = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(REPO / "bench" / "load_locust.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.seconds}s",
                "--host",
                url,
                "--csv",
                str(folder / "run"),
                "--only-summary",
                "--loglevel",
                "WARNING",
                *classes,
            ],
            env={**env, "BENCH_TARGETS": str(folder / "targets.json")},
            cwd=REPO,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        locust.wait(timeout=args.seconds + 120)
        stats = folder / "run_stats.csv"
        if not stats.exists():
            raise SystemExit("locust wrote no statistics")
        load = os.getloadavg()
        print()
        print(
            f"Load test: {args.database}, {targets['agents']} active agents, {len(targets['roster_days'])} "
            f"published rosters {targets['roster_days']}, {len(targets['forecast_ids'])} forecasts; "
            f"gunicorn {args.workers} workers x {args.threads} threads; {args.users} users "
            f"({', '.join(classes)}) for {args.seconds} s; database built in {build_seconds:.0f} s; "
            f"load average after the run {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores"
        )
        print()
        print(_table(stats, args.seconds))
        failures = folder / "run_failures.csv"
        if failures.exists():
            for row in list(csv.DictReader(failures.open(encoding="utf-8")))[:10]:
                print(f"failure: {row['Name']}: {row['Error'][:160]} ({row['Occurrences']}x)")
    except KeyboardInterrupt:
        print("interrupted: stopping everything", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        _stop(locust, "locust")
        _stop(server, "gunicorn")
        if postgres is not None and postgres.folder is not None:
            postgres.stop()
            print("stopped PostgreSQL", flush=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
