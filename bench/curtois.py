"""Benchmark the roster engine on the Employee Shift Scheduling Benchmark (Curtois & Qu), instances 1-10.

    .venv/bin/python bench/curtois.py [--time-limit 60] [--instances 1-10] [--seeds 0] [--workers 2]
        [--no-columns]

`--seeds 0,1` runs every instance once per seed (one row each). The machine's load average is printed
before and after, since the figures depend on it (the engine searches in two processes, see
scheduling/roster/parallel.py).

Each solution is written as SOLUTION.csv, read back, and re-scored by the independent evaluator: every
hard rule must hold and the evaluator's objective must equal the one the solver reports. Prints a
Markdown table: instance, best known, ours, gap to best known, bound, seconds, status, check.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scheduling.roster import evaluate, read_curtois, read_solution, solve_roster, write_solution  # noqa: E402

# ../shared beside the checkout (/work/main), or two levels up from a worktree (/work/wt/NAME).
DATA = next(
    (
        base / "shared" / "data" / "rostering-benchmark"
        for base in (REPO.parent, REPO.parents[1])
        if (base / "shared" / "data" / "rostering-benchmark").is_dir()
    ),
    REPO.parent / "shared" / "data" / "rostering-benchmark",
)
BEST_KNOWN = {1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300, 9: 439, 10: 4631}
PROVEN_OPTIMAL = {1, 2, 3, 4, 8, 9}


def parse_instances(text: str) -> list[int]:
    numbers: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        numbers.extend(range(int(low), int(high or low) + 1))
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding Instance1.txt ...")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--instances", default="1-10")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds or ranges, e.g. 0,1 or 0-2")
    parser.add_argument("--seed", type=int, default=None, help="one seed (same as --seeds N)")
    parser.add_argument("--workers", type=int, default=2, help="searches in parallel (2: a helper process)")
    parser.add_argument("--no-columns", action="store_true", help="leave column generation out (to compare)")
    args = parser.parse_args()
    seeds = [args.seed] if args.seed is not None else parse_instances(args.seeds)
    print(
        f"time limit {args.time_limit:g} s per instance, seeds {seeds}, workers {args.workers}, "
        f"column generation {'off' if args.no_columns else 'on'}, "
        f"load average {_load()}\n"
    )
    print("| instance | seed | best known | ours | gap % | bound | seconds | status | evaluator |")
    print("|---|---|---|---|---|---|---|---|---|")
    gaps = []
    for number, seed in ((n, s) for n in parse_instances(args.instances) for s in seeds):
        problem = read_curtois(args.data / f"Instance{number}.txt")
        result = solve_roster(
            problem, time_limit=args.time_limit, seed=seed, workers=args.workers, columns=not args.no_columns
        )
        best = BEST_KNOWN[number]
        if result.roster is None:
            print(
                f"| {number} | {seed} | {best} | - | - | {result.bound} | {result.seconds:.1f} "
                f"| {result.status} | - |"
            )
            continue
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "SOLUTION.csv"
            write_solution(result.roster, path)
            checked = evaluate(problem, read_solution(path, problem))
        ok = checked.feasible and checked.objective == result.objective
        verdict = "ok" if ok else f"MISMATCH ({len(checked.violations)} violations, {checked.objective})"
        gap = 100.0 * (result.objective - best) / best
        gaps.append(gap)
        bound = "-" if result.bound is None else f"{result.bound:g}"
        mark = "*" if number in PROVEN_OPTIMAL else ""
        print(
            f"| {number} | {seed} | {best}{mark} | {result.objective:g} | {gap:.2f} | {bound} "
            f"| {result.seconds:.1f} | {result.status} | {verdict} |",
            flush=True,
        )
    if gaps:
        print(
            f"\n* proven optimal in the literature. Mean gap {sum(gaps) / len(gaps):.2f}%, "
            f"within 2%: {sum(g <= 2.0 for g in gaps)}/{len(gaps)}. Load average at the end {_load()}."
        )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "-"


if __name__ == "__main__":
    main()
