"""The pooled shift plan against the plan by skill group, on the demo centre, checked by simulation.

Both plans cover the same requirement (agents on the phones per queue and interval, the demo's first days)
with the same templates and the same site limits:
- pooled: as the demo plans today, every queue summed into one requirement and every agent counted as able
  to serve every queue; when simulated, each planned shift is worked by an agent drawn at random from the
  site's agents (with a fixed seed, one shift a day each), who answers only the queues their skills allow;
- by skill group: starts per template and group within each group's head count, each queue met through
  a flow from the groups that may serve it; when simulated, each shift answers the queues of its row.
Simulated with skills-based routing (`scheduling.simulate.simulate_json`, through the same translation
as the check by simulation, `wfm.simcheck.scenario.build`): the live queues (voice, chat, video); back
office is planned but not simulated. Printed: shifts, cost, the plan's own agent-intervals short, and per
queue the service level the simulation gives (ratio of sums over the days) against the target.

    python bench/skills_plan.py [--days 1] [--time-limit 60] [--replications 20] [--database sqlite:///x]

Without --database the demo (organisation, a year of history, forecasts and requirements) is built into a
temporary SQLite file first (a minute or two). Timings are on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _app(database: str | None, days: int):
    from flask_migrate import upgrade
    from sqlalchemy import select

    from wfm import create_app
    from wfm.demo import history, organisation, planning
    from wfm.extensions import db
    from wfm.models import Site

    folder = tempfile.mkdtemp() if database is None else None
    url = database or f"sqlite:///{folder}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "JOBS_INLINE": True})
    if database is None:
        with app.app_context():
            upgrade()
            organisation.load(organisation.TEL_AVIV)
            db.session.commit()
            site = db.session.scalar(select(Site))
            history.load(site)
            db.session.commit()
            planning.forecast_and_staff(site, dt.date.today() + dt.timedelta(days=1), days=max(days, 7))
    return app


def _shifts_by_skill(plan) -> list:
    from wfm.simcheck.scenario import Shift

    return [
        Shift(
            f"{row.skill_group} {row.start:%d %H:%M} #{k}",
            row.start,
            row.end,
            tuple((b.start, b.end) for b in row.breaks),
            tuple(sorted(row.queues)),
        )
        for row in plan.rows
        for k in range(row.agents)
    ]


def _shifts_skill_blind(plan, groups, seed: int = 0) -> list:
    """Each pooled shift worked by an agent drawn at random (one shift a day each), answering the queues
    their skills allow on that day."""
    from wfm.simcheck.scenario import Shift

    rng = random.Random(seed)
    shifts = []
    for day in sorted({row.date for row in plan.rows}):
        index = (day - plan.rows[0].date).days
        people = [
            (f"{g.name} {k}", tuple(sorted(g.queues))) for g in groups for k in range(g.agents_on(index))
        ]
        rng.shuffle(people)
        k = 0
        for row in (r for r in plan.rows if r.date == day):
            for _ in range(row.agents):
                who, serves = people[k % len(people)]
                k += 1
                shifts.append(
                    Shift(who, row.start, row.end, tuple((b.start, b.end) for b in row.breaks), serves)
                )
    return shifts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--database")
    args = parser.parse_args()

    from sqlalchemy import select

    from scheduling.shifts import plan_shifts
    from scheduling.simulate import simulate_json
    from wfm.extensions import db
    from wfm.models import ShiftTemplate, Site
    from wfm.shiftplans.chosen import latest_requirements
    from wfm.shiftplans.plans import requirement_grid
    from wfm.shiftplans.skill_groups import site_skill_groups
    from wfm.shiftplans.templates import to_engine
    from wfm.simcheck.inputs import demand_of
    from wfm.simcheck.scenario import Grid, build

    app = _app(args.database, args.days)
    with app.app_context():
        site = db.session.scalar(select(Site))
        first = dt.date.today() + dt.timedelta(days=1)
        requirements = latest_requirements(site, first, first + dt.timedelta(days=args.days - 1))
        grid = requirement_grid(requirements, first, args.days, "agents")
        records = list(db.session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == site.id)))
        templates, limits = to_engine(records, site)
        pooled_templates, _ = to_engine([t for t in records if not t.queue_ids], site)
        groups = site_skill_groups(site, first, args.days, grid.queues)
        sim_grid = Grid(dt.datetime.combine(first, dt.time()), grid.interval_minutes, grid.n_intervals)
        live = [
            demand_of(r, sim_grid, "forecast") for q, r in requirements.items() if not q.channel.is_deferred
        ]
        print(
            f"Demo centre, {args.days} day(s) from {first}: {len(grid.queues)} queues, "
            f"{len(groups)} skill groups, {sum(g.agents for g in groups)} agents; "
            f"plans of at most {args.time_limit:g} s, {args.replications} replications."
        )
        rows = []
        for name, plan_it, shifts_of in (
            ("pooled", lambda: plan_shifts(grid, pooled_templates, limits, time_limit=args.time_limit), None),
            (
                "by skill group",
                lambda: plan_shifts(grid, templates, limits, skill_groups=groups, time_limit=args.time_limit),
                _shifts_by_skill,
            ),
        ):
            began = time.perf_counter()
            plan = plan_it()
            seconds = time.perf_counter() - began
            shifts = _shifts_skill_blind(plan, groups) if shifts_of is None else shifts_of(plan)
            result = simulate_json(build(sim_grid, live, shifts), replications=args.replications, seed=0)
            rows.append((name, plan, seconds, result))
        print(f"{'':<30}" + "".join(f"{name:>18}" for name, *_ in rows))
        print(f"{'status':<30}" + "".join(f"{p.report.status:>18}" for _, p, _, _ in rows))
        print(f"{'solve seconds':<30}" + "".join(f"{s:>18.1f}" for _, _, s, _ in rows))
        print(f"{'shifts':<30}" + "".join(f"{p.total_agents:>18}" for _, p, _, _ in rows))
        print(f"{'cost':<30}" + "".join(f"{(p.cost or 0):>18.1f}" for _, p, _, _ in rows))
        print(
            f"{'planned short (a-i)':<30}" + "".join(f"{p.unmet_agent_intervals:>18}" for _, p, _, _ in rows)
        )
        for q in live:
            cells = []
            for _, _, _, result in rows:
                level = result["types"].get(q.name, {}).get("service_level")
                cells.append("—" if level is None else f"{100 * level:.1f}%")
            label = f"{q.name} ({100 * (q.target or 0):.0f}%)"
            print(f"{label[:30]:<30}" + "".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    main()
