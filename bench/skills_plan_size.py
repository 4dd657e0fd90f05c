"""Size and solve time of the shift plan by skill group on the demo centre: one week and four weeks.

Prints, per horizon, the covering model's variables and constraints and the seconds of each solve phase
(LP relaxation, neighbourhoods; one set per day when planned day by day), for the plan by skill group,
with --whole also the whole-horizon model (as before day-by-day planning) and with --pooled the pooled plan.

    python bench/skills_plan_size.py [--weeks 1 4] [--time-limit 60] [--whole] [--pooled] [--database sqlite:///x]

Without --database the demo (organisation, a year of history, forecasts and requirements) is built into a
temporary SQLite file first (a minute or two). Timings are on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--database")
    parser.add_argument("--whole", action="store_true", help="also solve the whole model (no day by day)")
    parser.add_argument("--pooled", action="store_true", help="also plan the pooled queues")
    args = parser.parse_args()

    from sqlalchemy import select

    from bench.skills_plan import _app
    from scheduling.shifts import by_day, covering, plan_shifts
    from wfm.extensions import db
    from wfm.models import ShiftTemplate, Site
    from wfm.shiftplans.chosen import latest_requirements
    from wfm.shiftplans.plans import requirement_grid
    from wfm.shiftplans.skill_groups import site_skill_groups
    from wfm.shiftplans.templates import to_engine

    app = _app(args.database, 7 * max(args.weeks))
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI']}")
    with app.app_context():
        site = db.session.scalar(select(Site))
        first = dt.date.today() + dt.timedelta(days=1)
        records = list(db.session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == site.id)))
        templates, limits = to_engine(records, site)
        pooled_templates, _ = to_engine([t for t in records if not t.queue_ids], site)
        for weeks in args.weeks:
            days = 7 * weeks
            requirements = latest_requirements(site, first, first + dt.timedelta(days=days - 1))
            grid = requirement_grid(requirements, first, days, "agents")
            groups = site_skill_groups(site, first, days, grid.queues)
            runs = [("by skill group", dict(skill_groups=groups), templates)]
            if args.whole:
                runs.append(("by skill group, whole model", dict(skill_groups=groups, whole=True), templates))
            if args.pooled:
                runs.append(("pooled", {}, pooled_templates))
            for name, options, chosen in runs:
                whole = options.pop("whole", False)
                covering.DAY_BY_DAY_ABOVE_VARIANTS = 10**9 if whole else by_day.DAY_BY_DAY_ABOVE_VARIANTS
                began = time.perf_counter()
                plan = plan_shifts(grid, chosen, limits, time_limit=args.time_limit, **options)
                seconds = time.perf_counter() - began
                print(
                    f"{weeks} week(s), {name}: {len(grid.queues)} queues, {len(groups)} groups, "
                    f"{grid.interval_minutes}-min intervals; status {plan.report.status}, "
                    f"{seconds:.1f} s in all, cost {plan.cost}, short {plan.unmet_agent_intervals}"
                )
                for phase in plan.stats["phases"]:
                    print(
                        f"    {phase['phase']:<20} {phase['variables']:>7} variables "
                        f"{phase['constraints']:>7} constraints  build {phase['build_seconds']:>5.1f} s  "
                        f"solve {phase['seconds']:>5.1f} s  {phase['status']}"
                    )
                sys.stdout.flush()


if __name__ == "__main__":
    main()
