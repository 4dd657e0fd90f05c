"""Benchmark the roster engine by size, on generated instances of the benchmark's structure.

    .venv/bin/python bench/roster_scale.py [--instances 50x28x4,200x42x18] [--configs ours,plain,long]
        [--time-limit 60] [--long 600] [--seed 0] [--out runs.jsonl]
    .venv/bin/python bench/roster_scale.py --table runs.jsonl     # the table from runs saved earlier
    .venv/bin/python bench/roster_scale.py --write-instances      # regenerate tests/data/generated/

The instances are the fixed set in tests/data/generated/ (see `scheduling.roster.generate`), named
STAFFxDAYSxTYPES. Configurations: `ours` (the engine at the time limit), `plain` (the plain integer model:
x binaries, window rows for the consecutive rules, HiGHS with 2 threads, at the same limit), `long` (the
engine at `--long` seconds). Every roster is re-scored by the independent evaluator; a roster breaking
a hard rule is reported as such, never counted. Each run is appended to `--out` as one JSON line, so runs
made at different times (the machine is shared) can be put in one table; the load average is printed
with every row, since the figures depend on it.

The table: ours, the plain model and the long run, each with its gap to the best roster any
configuration found, and the best bound any of them proved; the phases of our run (seconds and the
objective after each) say where its time went.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pulp  # noqa: E402

from scheduling.roster import evaluate, read_curtois, solve_roster  # noqa: E402
from scheduling.roster.curtois import format_curtois  # noqa: E402
from scheduling.roster.formulation import build  # noqa: E402
from scheduling.roster.generate import generate  # noqa: E402

INSTANCES = REPO / "tests" / "data" / "generated"
# (staff, days, shift types, seed): the bench's sizes, then the small ones the tests solve.
FIXED = (
    (50, 28, 4, 1),
    (80, 35, 6, 1),
    (120, 42, 10, 1),
    (200, 42, 18, 1),
    (30, 28, 3, 1),
    (12, 14, 3, 1),
    (8, 14, 2, 2),
)
BENCH = ("50x28x4", "80x35x6", "120x42x10", "200x42x18")
PHASE_NAMES = {
    "Construct": "construct",
    "ColumnsPhase": "columns",
    "Search": "search",
    "NoSearch": "search",
    "WholeModel": "whole",
    "BigFinish": "finish",
    "HelperHandover": "helper",
    "RowRestarts": "row restarts",
}


def instance_path(size: str) -> Path:
    return INSTANCES / f"gen_{size}.txt"


def write_instances() -> None:
    INSTANCES.mkdir(parents=True, exist_ok=True)
    for staff, days, types, seed in FIXED:
        made = generate(staff, days, types, seed)
        path = instance_path(f"{staff}x{days}x{types}")
        path.write_bytes(format_curtois(made.problem).encode("utf-8"))
        hidden = evaluate(made.problem, made.hidden)
        print(f"{path.relative_to(REPO)}: hidden roster feasible {hidden.feasible}, costs {hidden.objective}")


def run_ours(problem, limit: float, seed: int) -> dict:
    result = solve_roster(problem, time_limit=limit, seed=seed)
    record = _checked(problem, result.roster)
    record.update(bound=result.bound, seconds=round(result.seconds, 1), status=result.status)
    record["phases"] = [
        (PHASE_NAMES.get(p["phase"], p["phase"]), p["seconds"], p.get("objective"))
        for p in result.log.get("phases", [])
    ]
    record["lp_bound"] = result.log.get("lp_bound")
    columns = result.log.get("columns")
    if isinstance(columns, dict):
        record["columns"] = {
            k: columns.get(k) for k in ("bound", "converged", "rounds", "dive", "seconds", "capped")
        }
    else:
        record["columns"] = columns
    return record


def run_plain(problem, limit: float) -> dict:
    """The plain integer model, as a modeller would write it first, at the same time limit."""
    started = time.perf_counter()
    form = build(problem, stretches=False)
    solver = pulp.HiGHS(msg=False, timeLimit=max(1.0, limit - (time.perf_counter() - started)), threads=2)
    form.lp.solve(solver)
    highs = form.lp.solverModel
    info = highs.getInfo()
    roster = None
    if info.primal_solution_status == 2:  # PuLP's own status says "Optimal" at a time limit
        roster = form.roster_from_values(lambda var: var.varValue or 0.0)
    record = _checked(problem, roster)
    bound = info.mip_dual_bound
    record.update(
        bound=None if abs(bound) >= 1e30 else round(bound + form.offset, 2),
        seconds=round(time.perf_counter() - started, 1),
        status=str(highs.getModelStatus()).split(".")[-1],
    )
    return record


def _checked(problem, roster) -> dict:
    if roster is None:
        return {"objective": None, "feasible": None}
    checked = evaluate(problem, roster)
    return {"objective": checked.objective, "feasible": checked.feasible}


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "-"


def table(records: list[dict]) -> None:
    by_size: dict[str, dict[str, dict]] = {}
    for r in records:
        by_size.setdefault(r["size"], {})[r["config"]] = r  # the last run of each wins
    print("| staff x days x types | ours 60 s | plain 60 s | long run | best bound | ours vs best | load |")
    print("|---|---|---|---|---|---|---|")
    for size in sorted(by_size, key=lambda s: [int(x) for x in s.split("x")]):
        runs = by_size[size]
        found = [r["objective"] for r in runs.values() if r.get("feasible")]
        bounds = [r["bound"] for r in runs.values() if r.get("bound") is not None]
        best, bound = (min(found) if found else None), (max(bounds) if bounds else None)

        cells = [_cell(runs.get(config), best, config) for config in ("ours", "plain", "long")]
        ours = runs.get("ours", {}).get("objective")
        vs = "-"
        if not runs.get("ours", {}).get("feasible"):
            vs = "no roster keeping the rules"
        elif ours is not None and best:
            vs = (
                f"{100 * (ours - best) / best:.2f}% (bound gap {100 * (ours - bound) / ours:.1f}%)"
                if bound
                else "-"
            )
        loads = "/".join(sorted({r["load"].split()[0] for r in runs.values()}))
        print(f"| {size} | {' | '.join(cells)} | {'-' if bound is None else f'{bound:g}'} | {vs} | {loads} |")
    print("\nOur run's phases (seconds, objective after):")
    for size, runs in sorted(by_size.items(), key=lambda kv: [int(x) for x in kv[0].split("x")]):
        for config in ("ours", "long"):
            r = runs.get(config)
            if r and r.get("phases"):
                steps = ", ".join(
                    f"{name} {sec:g} s -> {obj:g}" for name, sec, obj in r["phases"] if obj is not None
                )
                print(f"- {size} {config}: LP bound {r.get('lp_bound')}; {steps}; columns {r.get('columns')}")


def _cell(r: dict | None, best: float | None, config: str) -> str:
    if r is None:
        return "-"
    if r["objective"] is None:
        return f"none ({r['seconds']} s)"
    if not r["feasible"]:
        return f"{r['objective']} BREAKS RULES"
    gap = f" (+{100 * (r['objective'] - best) / best:.1f}%)" if best else ""
    label = f" {r['limit']:g} s" if config == "long" else ""
    return f"{r['objective']}{gap}{label}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--instances", default=",".join(BENCH), help="sizes STAFFxDAYSxTYPES, comma-separated"
    )
    parser.add_argument("--configs", default="ours,plain", help="ours, plain, long (comma-separated)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--long", type=float, default=600.0, help="seconds for the long run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="append each run as a JSON line here")
    parser.add_argument("--table", type=Path, default=None, help="print the table of runs saved in this file")
    parser.add_argument("--write-instances", action="store_true", help="regenerate the fixed instances")
    args = parser.parse_args()
    if args.write_instances:
        write_instances()
        return
    if args.table is not None:
        table([json.loads(line) for line in args.table.read_text().splitlines() if line.strip()])
        return
    records = []
    for size in args.instances.split(","):
        problem = read_curtois(instance_path(size))
        for config in args.configs.split(","):
            limit = args.long if config == "long" else args.time_limit
            before = load()
            record = run_plain(problem, limit) if config == "plain" else run_ours(problem, limit, args.seed)
            record.update(size=size, config=config, limit=limit, load=f"{before} -> {load()}", seed=args.seed)
            print(json.dumps(record), flush=True)
            records.append(record)
            if args.out is not None:
                with args.out.open("a") as out:
                    out.write(json.dumps(record) + "\n")
    table(records)


if __name__ == "__main__":
    main()
