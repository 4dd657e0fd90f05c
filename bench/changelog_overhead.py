"""What the change log costs: the demo's loading phases timed with the change log off and on.

Each run loads into a fresh SQLite database (migrations, then the demo centre, careers, a year of
history, and the forecasts and requirements of four weeks: every kind of write the demo makes except the
time-limited plan and roster solves, whose duration is the solver's limit). Prints a table:
seconds per phase, off / on / overhead, and the change-log rows written.

    python bench/changelog_overhead.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def run_once(enabled: bool) -> tuple[dict[str, float], int]:
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from wfm import create_app
    from wfm.demo import careers, history, organisation, planning
    from wfm.extensions import db
    from wfm.models import Site
    from wfm.models.security import ChangeLog

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                "SECRET_KEY": "bench",
                "CHANGELOG_ENABLED": enabled,
                "JOBS_INLINE": True,
            }
        )
        timings = {}
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            organisation.load(organisation.TEL_AVIV)
            db.session.commit()
            careers.load()
            db.session.commit()
            timings["organisation and careers"] = time.perf_counter() - started
            site = db.session.scalar(select(Site))
            started = time.perf_counter()
            history.load(site)
            db.session.commit()
            timings["a year of history"] = time.perf_counter() - started
            started = time.perf_counter()
            planning.forecast_and_staff(site, dt.date.today() + dt.timedelta(days=1))
            timings["forecasts and requirements"] = time.perf_counter() - started
            rows = db.session.scalar(select(func.count()).select_from(ChangeLog))
            db.session.remove()
            db.engine.dispose()
        return timings, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per setting; the fastest counts")
    repeat = parser.parse_args().repeat
    best: dict[bool, dict[str, float]] = {}
    rows: dict[bool, int] = {}
    for _ in range(repeat):
        for enabled in (False, True):
            timings, count = run_once(enabled)
            rows[enabled] = count
            best[enabled] = {k: min(v, best.get(enabled, {}).get(k, v)) for k, v in timings.items()}
    print(f"{'phase':<28} {'off (s)':>8} {'on (s)':>8} {'overhead':>9}")
    for phase in best[False]:
        off, on = best[False][phase], best[True][phase]
        print(f"{phase:<28} {off:8.2f} {on:8.2f} {100 * (on - off) / off:8.1f}%")
    off, on = sum(best[False].values()), sum(best[True].values())
    print(f"{'total':<28} {off:8.2f} {on:8.2f} {100 * (on - off) / off:8.1f}%")
    print(f"change-log rows written: {rows[False]} (off), {rows[True]} (on)")


if __name__ == "__main__":
    main()
