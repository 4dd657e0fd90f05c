"""The integer capacity plan against the planners' spreadsheet rule (hire the gap training_months ahead,
in classes), on the demo scenario and two stress scenarios: cost, FTE-months short, seconds.

Both plans are evaluated by the same dynamics (`scheduling.capacity.evaluate`), so the figures compare
like for like. The stress scenarios: "high attrition" (the demo at 2.5 times its attrition, demand rising
2% a month), and "wide" (eight groups over 24 months, three entry pipelines with two classes a month and
long training, seasonal demand).

    python bench/capacity_vs_rule.py [--time-limit 60]
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import time
from pathlib import Path

from scheduling.capacity import parse_scenario, solve, spreadsheet_rule

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "capacity_demo.json"


def high_attrition(document: dict) -> dict:
    doc = copy.deepcopy(document)
    for group in doc["groups"]:
        group["monthly_attrition"] = round(group["monthly_attrition"] * 2.5, 4)
        group["required_fte"] = [round(v * 1.02**i, 2) for i, v in enumerate(group["required_fte"])]
    return doc


def wide() -> dict:
    months = 24
    groups, flows, hiring = [], [], []
    for track, entry_size in (("Service", 70), ("Operations", 40), ("Analytics", 16)):
        for level in (1, 2, 3):
            if track == "Analytics" and level == 3:
                continue
            base = entry_size / level**1.5
            groups.append(
                {
                    "name": f"{track} L{level}",
                    "headcount": round(base),
                    "required_fte": [
                        round(base * (1 + 0.12 * math.sin(2 * math.pi * (m + level) / 12)) * 1.01**m, 2)
                        for m in range(months)
                    ],
                    "monthly_attrition": 0.035 / level,
                    "salary_per_month": 2800 + 900 * level,
                }
            )
            if level > 1:
                flows.append(
                    {"from": f"{track} L{level - 1}", "to": f"{track} L{level}", "monthly_rate": 0.015}
                )
        hiring.append(
            {
                "into": f"{track} L1",
                "class_min": 4,
                "class_max": 10,
                "training_months": 3 if track == "Analytics" else 2,
                "ramp": [0.4, 0.7, 0.9],
                "cost_per_hire": 5000,
                "max_classes_per_month": 2,
            }
        )
    flows.append({"from": "Service L2", "to": "Operations L2", "monthly_rate": 0.005})
    return {
        "start": "2027-01",
        "months": months,
        "groups": groups,
        "flows": flows,
        "hiring": hiring,
        "shortfall_cost_per_fte_month": 9000,
        "overtime": {"max_share": 0.06, "cost_factor": 1.5},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    demo = json.loads(EXAMPLE.read_text())
    print("machine shared with other engineers: seconds are under load")
    print(
        f"{'scenario':16} {'method':40} {'cost':>12} {'short FTE-m':>11} {'hires':>6} "
        f"{'seconds':>8} {'status':>9}"
    )
    for name, document in (("demo", demo), ("high attrition", high_attrition(demo)), ("wide", wide())):
        scenario = parse_scenario(document)
        started = time.perf_counter()
        rule = spreadsheet_rule(scenario)
        rule_seconds = time.perf_counter() - started
        started = time.perf_counter()
        best = solve(scenario, time_limit=args.time_limit)
        best_seconds = time.perf_counter() - started
        started = time.perf_counter()
        ahead = solve(scenario, time_limit=args.time_limit, lookahead=6)
        ahead_seconds = time.perf_counter() - started
        for plan, seconds in ((rule, rule_seconds), (best, best_seconds), (ahead, ahead_seconds)):
            status = plan.report.status if plan.report else "-"
            print(
                f"{name:16} {plan.method:40} {plan.total_cost:12,.0f} {plan.short_fte_months:11.2f} "
                f"{sum(i.hires for i in plan.intakes):6d} {seconds:8.2f} {status:>9}"
            )
        tail = [scenario.month_label(m) for m in range(scenario.months - 4, scenario.months)]
        print(
            f"{'':16} {'short in the last 4 months':40} rule {_short_in(rule, tail):.2f}, "
            f"IP {_short_in(best, tail):.2f}, IP with lookahead {_short_in(ahead, tail):.2f}"
        )
        print(
            f"{'':16} {'saving (no lookahead)':40} {rule.total_cost - best.total_cost:12,.0f} "
            f"({100 * (rule.total_cost - best.total_cost) / rule.total_cost:.1f}%)"
        )


def _short_in(plan, months: list[str]) -> float:
    return sum(f.short_fte for f in plan.figures if f.month in months)


if __name__ == "__main__":
    main()
