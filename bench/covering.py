"""Covering benchmark: the shift-planning engine against pyworkforce's MinRequiredResources (CP-SAT).

Instances
  bank-30min-withinday  4 weeks (Feb 1999) of the real bank's calls, Erlang C 80/20 with 180 s handle time,
                        30-minute intervals, starts every 30 min, lengths 4/6/8/9 h ending by midnight
                        (pyworkforce plans each day on its own), cost = paid hours. Both solvers, 60 s.
  bank-30min-192        the same with all 48 starts x 4 lengths (shifts cross midnight): engine only.
  aim-15min-2-breaks    the same 4 weeks at 15 minutes, a start every 15 minutes, lengths 4/6/8/9 h, a
                        15-min paid break in hours 1-2.5 and a 30-min unpaid lunch in hours 3-5 (>= 6 h
                        shifts), 4 cost units per paid hour. Engine only.
  aim-15min-3-breaks    the same plus a 15-min paid break in hours 5.5-7 (>= 8 h shifts); also with
                        strategy "direct" (the whole integer model handed to HiGHS).
  ref-55 / ref-days-off the two covering references of shared/data/README.md (known optima 55 and 23).

Run: .venv/bin/python bench/covering.py [--time-limit 60] [--skip-pyworkforce]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scheduling.shifts import (  # noqa: E402
    BreakRule,
    CostRule,
    ShiftTemplate,
    plan_shifts,
    requirement_from_series,
)
from tests.reference_data import CALLS_6MIN  # noqa: E402

FIRST_DAY = date(1999, 2, 1)
DAYS = 28
HANDLE_SECONDS = 180.0
LENGTHS = (240, 360, 480, 540)


def erlang_c_agents(
    calls: float,
    interval_minutes: int,
    handle_seconds: float = HANDLE_SECONDS,
    target: float = 0.8,
    answer_seconds: float = 20.0,
) -> int:
    """Fewest agents meeting `target` service level (Erlang C), found with a plain loop."""
    load = calls * handle_seconds / (interval_minutes * 60)
    if load <= 0:
        return 0
    agents = max(1, math.floor(load) + 1)
    while True:
        # Erlang B by recursion, then Erlang C from it
        blocking = 1.0
        for k in range(1, agents + 1):
            blocking = load * blocking / (k + load * blocking)
        wait = agents * blocking / (agents - load * (1 - blocking))
        service = 1 - wait * math.exp(-(agents - load) * answer_seconds / handle_seconds)
        if service >= target:
            return agents
        agents += 1


def bank_requirement(interval_minutes: int) -> list[int]:
    calls = pd.read_csv(CALLS_6MIN, usecols=["date", "start_time", "calls"])
    calls["date"] = pd.to_datetime(calls["date"]).dt.date
    last = date.fromordinal(FIRST_DAY.toordinal() + DAYS - 1)
    calls = calls[(calls["date"] >= FIRST_DAY) & (calls["date"] <= last)]
    minutes = calls["start_time"].str.slice(0, 2).astype(int) * 60 + calls["start_time"].str.slice(3).astype(
        int
    )
    day = calls["date"].map(lambda d: (d - FIRST_DAY).days)
    slot = day * (1440 // interval_minutes) + minutes // interval_minutes
    per_interval = (
        calls.groupby(slot)["calls"].sum().reindex(range(DAYS * 1440 // interval_minutes), fill_value=0)
    )
    return [erlang_c_agents(v, interval_minutes) for v in per_interval.to_numpy()]


def within_day_templates(step: int) -> list[ShiftTemplate]:
    return [
        ShiftTemplate(
            f"L{length // 60}h",
            starts=tuple(range(0, 1440 - length + 1, step)),
            lengths=(length,),
            cost=CostRule(fixed=length / 60),
        )
        for length in LENGTHS
    ]


def all_start_templates(step: int) -> list[ShiftTemplate]:
    return [ShiftTemplate("any", starts=tuple(range(0, 1440, step)), lengths=LENGTHS)]


def aim_templates(second_break: bool = False) -> list[ShiftTemplate]:
    breaks = (
        BreakRule("break1", 15, 60, 150, paid=True),
        BreakRule("lunch", 30, 180, 300, paid=False, min_shift_minutes=360),
    )
    if second_break:
        breaks += (BreakRule("break2", 15, 330, 420, paid=True, min_shift_minutes=480),)
    return [
        ShiftTemplate(
            "flex",
            starts=tuple(range(0, 1440, 15)),
            lengths=LENGTHS,
            breaks=breaks,
            cost=CostRule(per_hour=4.0),
        )
    ]


def run_engine(name, requirement, templates, time_limit, cyclic=False, solver="highs", strategy="lp_first"):
    started = time.perf_counter()
    plan = plan_shifts(
        requirement, templates, cyclic=cyclic, time_limit=time_limit, solver=solver, strategy=strategy
    )
    total = time.perf_counter() - started
    r = plan.report
    phases = plan.stats["phases"]
    size = f"{phases[0]['variables']}v/{phases[0]['constraints']}c; " + ", ".join(
        f"{p['phase']} {p['seconds']:.1f}s" for p in phases
    )
    return {
        "instance": name,
        "method": f"engine ({solver}, {strategy})",
        "status": r.status,
        "cost": plan.objective,
        "bound": r.bound,
        "gap": r.gap,
        "solve_s": r.seconds,
        "total_s": total,
        "agents": plan.total_agents,
        "short": plan.unmet_agent_intervals,
        "size": size,
    }


def run_pyworkforce(name, needs: list[int], step: int, time_limit: float):
    from pyworkforce.scheduling import MinRequiredResources

    periods = 1440 // step
    coverage, costs = {}, {}
    for template in within_day_templates(step):
        length = template.lengths[0] // step
        for start in template.starts:
            row = [0] * periods
            for p in range(start // step, start // step + length):
                row[p] = 1
            key = f"{template.name}@{start // 60:02d}{start % 60:02d}"
            coverage[key] = row
            costs[key] = int(template.lengths[0] // 60)
    required = np.asarray(needs).reshape(DAYS, periods).tolist()
    started = time.perf_counter()
    scheduler = MinRequiredResources(
        num_days=DAYS,
        periods=periods,
        shifts_coverage=coverage,
        required_resources=required,
        max_period_concurrency=10_000,
        max_shift_concurrency=500,
        cost_dict=costs,
        max_search_time=time_limit,
        num_search_workers=2,
    )
    solution = scheduler.solve()
    total = time.perf_counter() - started
    bound = scheduler.solver.BestObjectiveBound()
    cost = solution["cost"] if solution["cost"] >= 0 else None
    agents = sum(r["resources"] for r in solution["resources_shifts"]) if cost is not None else None
    gap = abs(cost - bound) / max(abs(cost), 1e-9) if cost is not None else None
    return {
        "instance": name,
        "method": "pyworkforce CP-SAT",
        "status": solution["status"].lower(),
        "cost": cost,
        "bound": bound,
        "gap": gap,
        "solve_s": scheduler.solver.WallTime(),
        "total_s": total,
        "agents": agents,
        "short": 0,
        "size": f"{len(coverage) * DAYS} int vars",
    }


def _fmt(value, digits=2):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def print_table(rows: list[dict]) -> None:
    header = [
        "instance",
        "method",
        "status",
        "cost",
        "bound",
        "gap %",
        "solve s",
        "total s",
        "agents",
        "short",
        "model; phases",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        gap = None if r["gap"] is None else 100 * r["gap"]
        print(
            "| "
            + " | ".join(
                [
                    r["instance"],
                    r["method"],
                    r["status"],
                    _fmt(r["cost"]),
                    _fmt(r["bound"]),
                    _fmt(gap, 3),
                    _fmt(r["solve_s"]),
                    _fmt(r["total_s"]),
                    _fmt(r["agents"]),
                    _fmt(r["short"]),
                    r["size"],
                ]
            )
            + " |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--skip-pyworkforce", action="store_true")
    parser.add_argument("--only", choices=["refs", "aim", "bank"], default=None)
    args = parser.parse_args()
    rows = []
    if args.only in (None, "refs"):
        hourly = [6, 6, 6, 6, 6, 8, 9, 12, 18, 22, 25, 21, 21, 20, 18, 21, 21, 24, 24, 18, 18, 18, 12, 8]
        req = requirement_from_series(date(2024, 1, 1), 60, hourly)
        eight = [
            ShiftTemplate("8h", starts=tuple(range(0, 1440, 60)), lengths=(480,), cost=CostRule(fixed=1))
        ]
        rows.append(run_engine("ref-55 (known 55)", req, eight, args.time_limit, cyclic=True))
        week = requirement_from_series(date(2024, 1, 1), 1440, [17, 13, 15, 19, 14, 16, 11])
        five = [ShiftTemplate("5 days on", starts=(0,), lengths=(5 * 1440,), cost=CostRule(fixed=1))]
        rows.append(run_engine("ref-days-off (known 23)", week, five, args.time_limit, cyclic=True))
    if args.only in (None, "aim"):
        req15 = requirement_from_series(FIRST_DAY, 15, bank_requirement(15))
        rows.append(run_engine("aim-15min-2-breaks", req15, aim_templates(), args.time_limit))
        rows.append(
            run_engine("aim-15min-3-breaks", req15, aim_templates(second_break=True), args.time_limit)
        )
        rows.append(
            run_engine(
                "aim-15min-3-breaks",
                req15,
                aim_templates(second_break=True),
                args.time_limit,
                strategy="direct",
            )
        )
    if args.only in (None, "bank"):
        needs30 = bank_requirement(30)
        req30 = requirement_from_series(FIRST_DAY, 30, needs30)
        rows.append(run_engine("bank-30min-withinday", req30, within_day_templates(30), args.time_limit))
        rows.append(
            run_engine("bank-30min-withinday", req30, within_day_templates(30), args.time_limit, solver="cbc")
        )
        if not args.skip_pyworkforce:
            rows.append(run_pyworkforce("bank-30min-withinday", needs30, 30, args.time_limit))
        rows.append(
            run_engine(
                "bank-30min-192",
                req30,
                [
                    ShiftTemplate(
                        "any", starts=tuple(range(0, 1440, 30)), lengths=LENGTHS, cost=CostRule(per_hour=1.0)
                    )
                ],
                args.time_limit,
            )
        )
    print_table(rows)


if __name__ == "__main__":
    main()
