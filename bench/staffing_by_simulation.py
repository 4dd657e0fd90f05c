"""Staffing by simulation on the demo centre: agents needed and simulated service level, Erlang against
simulation-corrected, for the live queues of the demo's first days.

Two ways of staffing the same Erlang answer (each queue's requirement per interval, on the phones):
- separate: each queue answered by its own group, as many agents as its Erlang answer;
- pooled: two thirds of each queue's Erlang agents as its own group, the other third of all queues together
  in one cross-trained group answering every queue (rarest first), the same head count.
Each is simulated as it stands, then corrected by simulation (`scheduling.staffing.by_simulation`,
common random numbers, a round per correction). Printed per queue: agent-hours and simulated service level
(ratio of sums over the days), before and after.

    python bench/staffing_by_simulation.py [--days 1] [--replications 30] [--database sqlite:///demo.db]

Without --database the demo (organisation, a year of history, forecasts and requirements) is built into a
temporary SQLite file first (a minute or two).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def demo_requirements(database: str | None, days: int) -> tuple[list, int]:
    """(queue name, target, scenario contact type, Erlang agents per period) per live queue, and the
    period length."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from wfm import create_app
    from wfm.demo import history, organisation, planning
    from wfm.extensions import db
    from wfm.models import Forecast, Requirement, Site
    from wfm.simcheck.inputs import demand_of
    from wfm.simcheck.scenario import Grid, build

    folder = tempfile.mkdtemp() if database is None else None
    url = database or f"sqlite:///{folder}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "JOBS_INLINE": True})
    with app.app_context():
        if database is None:
            upgrade()
            organisation.load(organisation.TEL_AVIV)
            db.session.commit()
            site = db.session.scalar(select(Site))
            history.load(site)
            db.session.commit()
            planning.forecast_and_staff(site, dt.date.today() + dt.timedelta(days=1), days=days)
        latest: dict[int, Requirement] = {}
        for r in db.session.scalars(select(Requirement).join(Forecast).order_by(Requirement.id)):
            latest[r.queue_id] = r
        out, minutes = [], None
        for requirement in latest.values():
            if requirement.queue.channel.is_deferred or not requirement.targets.get("service_level"):
                continue
            forecast = requirement.forecast
            minutes = forecast.interval_minutes
            grid = Grid(dt.datetime.combine(forecast.start_date, dt.time()), minutes, days * 1440 // minutes)
            demand = demand_of(requirement, grid, "forecast")
            kind = build(grid, [demand], [])["contact_types"][0]
            agents = [0] * grid.periods
            for row in requirement.intervals:
                k = grid.index(row.interval_start)
                if k is not None:
                    agents[k] = int(row.agents)
            out.append((demand.name, float(requirement.targets["service_level"]), kind, agents))
        return out, minutes


def scenarios(queues: list, minutes: int) -> dict[str, dict]:
    periods = len(queues[0][3])
    separate = {
        "period_minutes": minutes,
        "periods": periods,
        "agent_selects": "priority",
        "contact_types": [{**kind, "groups": [name]} for name, _t, kind, _a in queues],
        "agent_groups": [
            {"name": name, "serves": [name], "agents_per_period": agents} for name, _t, _k, agents in queues
        ],
    }
    cross = [sum(agents[p] // 3 for _n, _t, _k, agents in queues) for p in range(periods)]
    rarest = [name for name, _t, kind, _a in sorted(queues, key=lambda q: sum(q[3]))]
    pooled = {
        **separate,
        "contact_types": [{**kind, "groups": [name, "cross-trained"]} for name, _t, kind, _a in queues],
        "agent_groups": [
            {"name": name, "serves": [name], "agents_per_period": [a - a // 3 for a in agents]}
            for name, _t, _k, agents in queues
        ]
        + [{"name": "cross-trained", "serves": rarest, "agents_per_period": cross}],
    }
    return {"separate": separate, "pooled": pooled}


def levels(result: dict, name: str) -> float | None:
    return result["types"][name]["service_level"]


def main() -> None:
    from scheduling.simulate import simulate_json
    from scheduling.staffing.by_simulation import correct

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--database", default=None, help="a database holding the demo's requirements")
    args = parser.parse_args()
    queues, minutes = demo_requirements(args.database, args.days)
    targets = {name: target for name, target, _k, _a in queues}
    hours = minutes / 60
    for label, scenario in scenarios(queues, minutes).items():
        began = time.perf_counter()
        before = simulate_json(scenario, replications=args.replications, seed=1)
        corrected = correct(scenario, targets, replications=args.replications, seed=1)
        seconds = time.perf_counter() - began
        print(f"\n{label}: {corrected.rounds} rounds, converged {corrected.converged}, {seconds:.1f} s")
        print(f"{'queue':<24}{'target':>7}{'Erlang h':>10}{'sim SL':>8}{'corrected h':>13}{'sim SL':>8}")
        for group in scenario["agent_groups"]:
            name = group["name"]
            erlang_h = sum(group["agents_per_period"]) * hours
            fixed_h = sum(corrected.agents[name]) * hours
            if name in targets:
                b, a = levels(before, name), levels(corrected.result, name)
                figures = f"{erlang_h:>10.1f}{(b or 0):>8.1%}{fixed_h:>13.1f}{(a or 0):>8.1%}"
                print(f"{name:<24}{targets[name]:>7.0%}{figures}")
            else:
                print(f"{name:<24}{'':>7}{erlang_h:>10.1f}{'':>8}{fixed_h:>13.1f}")
        total_b = sum(sum(g["agents_per_period"]) for g in scenario["agent_groups"]) * hours
        print(
            f"{'all':<24}{'':>7}{total_b:>10.1f}{before['total']['service_level']:>8.1%}"
            f"{corrected.total() * hours:>13.1f}{corrected.result['total']['service_level']:>8.1%}"
        )


if __name__ == "__main__":
    main()
