"""Command line at volume: `wfm staffing`, `wfm forecast` and `wfm shifts` on a year of 15-minute intervals
for 20 queues (700,800 rows), end to end as a scheduler runs them, with the reading and writing timed apart.

    .venv/bin/python bench/cli_volume.py [--queues 20] [--days 365] [--repeat 3] [--folder DIR] [--skip-solve]

Writes (once, into --folder or a temporary folder) a history file (interval_start,queue,offered,handled,
abandoned,aht_seconds), a forecast file (interval_start,queue,forecast,aht_seconds) and, from `wfm staffing`,
a requirement file; the volumes follow a daily and weekly shape with Poisson noise (seeded, so every run
reads the same bytes). Then, best and median of --repeat runs of each, in seconds:

- `wfm staffing FORECAST.csv` end to end (a new process: start-up, read, Erlang C, write);
- `wfm forecast HISTORY.csv --days 7 --method seasonal_naive` end to end (the whole year read and validated,
  a week forecast with the cheapest method so the figure is dominated by the file, not the model);
- `wfm shifts` on the year's requirement: its reading in-process (`read_requirement_csv`), and end to end on
  the first four weeks of it (a year's covering model is a solve, not a file problem; --skip-solve leaves
  it out);
- in-process parts: reading the history (`read_interval_csv`), reading the forecast and writing the
  requirement as the staffing command does.

The machine is shared: compare figures taken one after another under the same load, not across days.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
WFM = [sys.executable, "-c", "import sys; sys.argv[0] = 'wfm'; from wfm.cli import main; main()"]
_LUNCH = [{"name": "lunch", "minutes": 30, "paid": False, "window": ["03:00", "05:00"]}]
TEMPLATES = {
    "templates": [
        {"name": "early", "start": "07:00", "length_minutes": 510, "cost": 8, "breaks": _LUNCH},
        {"name": "day", "start": "09:00", "length_minutes": 510, "cost": 8, "breaks": _LUNCH},
        {"name": "late", "start": "13:00", "length_minutes": 510, "cost": 8, "breaks": _LUNCH},
        {"name": "evening", "start": "15:30", "length_minutes": 390, "cost": 6},
    ]
}


def generate(folder: Path, queues: int, days: int) -> tuple[Path, Path]:
    """The history and forecast files of `queues` queues over `days` days of 15-minute intervals."""
    history, forecast = folder / "history.csv", folder / "forecast.csv"
    if history.exists() and forecast.exists():
        return history, forecast
    rng = np.random.default_rng(1999)
    first = dt.datetime(2025, 1, 1)
    stamps = pd.date_range(first, periods=days * 96, freq="15min")
    hour = stamps.hour.to_numpy() + stamps.minute.to_numpy() / 60
    daily = np.clip(np.sin((hour - 7) / 14 * np.pi), 0, None) ** 1.5
    weekly = np.where(stamps.dayofweek.to_numpy() >= 5, 0.45, 1.0)
    text = stamps.strftime("%Y-%m-%dT%H:%M:%S").to_numpy()
    histories, forecasts = [], []
    for q in range(queues):
        mean = (5 + 7 * q) * daily * weekly
        offered = rng.poisson(mean)
        abandoned = rng.binomial(offered, 0.04)
        aht = np.where(offered > 0, np.round(rng.normal(240 + 5 * q, 20, len(mean)), 1), np.nan)
        name = np.full(len(mean), f"queue-{q + 1:02d}")
        histories.append(
            pd.DataFrame(
                {
                    "interval_start": text,
                    "queue": name,
                    "offered": offered,
                    "handled": offered - abandoned,
                    "abandoned": abandoned,
                    "aht_seconds": aht,
                }
            )
        )
        forecasts.append(
            pd.DataFrame(
                {
                    "interval_start": text,
                    "queue": name,
                    "forecast": np.round(mean, 3),
                    "aht_seconds": np.round(240 + 5 * q + np.zeros(len(mean)), 1),
                }
            )
        )
    pd.concat(histories).to_csv(history, index=False)
    pd.concat(forecasts).to_csv(forecast, index=False)
    return history, forecast


def timed(function, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def run(args: list[str]) -> None:
    done = subprocess.run(
        [*WFM, *args], cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    if done.returncode != 0:
        raise SystemExit(f"wfm {' '.join(args)} failed:\n{done.stderr}{done.stdout}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queues", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=None, help="keep the generated files here")
    parser.add_argument("--skip-solve", action="store_true", help="leave out `wfm shifts` end to end")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="wfm-cli-volume-"))
    folder.mkdir(parents=True, exist_ok=True)
    history, forecast = generate(folder, args.queues, args.days)
    requirement, plan = folder / "requirement.csv", folder / "plan.csv"
    templates = folder / "templates.json"
    templates.write_text(json.dumps(TEMPLATES))
    rows = args.queues * args.days * 96
    print(
        f"{rows:,} rows per file ({args.queues} queues x {args.days} days x 96 intervals); "
        f"history {history.stat().st_size / 1e6:.0f} MB, forecast {forecast.stat().st_size / 1e6:.0f} MB; "
        f"best / median of {args.repeat}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    results = []

    def measure(label: str, function) -> None:
        best, median = timed(function, args.repeat)
        results.append((label, best, median))
        print(f"  {label:<62} {best:6.2f} s  {median:6.2f} s", flush=True)

    measure(
        "wfm staffing (end to end)",
        lambda: run(
            [
                "staffing",
                str(forecast),
                "-o",
                str(requirement),
                "--service-level",
                "0.8",
                "--answer-seconds",
                "20",
            ]
        ),
    )
    start = (pd.Timestamp("2025-01-01") + pd.Timedelta(days=args.days)).strftime("%Y-%m-%d")
    measure(
        "wfm forecast --days 7 --method seasonal_naive (end to end)",
        lambda: run(
            [
                "forecast",
                str(history),
                "--start",
                start,
                "--days",
                "7",
                "--method",
                "seasonal_naive",
                "-o",
                str(folder / "forecast-out.csv"),
            ]
        ),
    )
    four_weeks = folder / "requirement-4w.csv"
    if not args.skip_solve:
        frame = pd.read_csv(requirement, dtype=str, keep_default_na=False)
        frame[frame["interval_start"] < "2025-01-29"].to_csv(four_weeks, index=False)
        measure(
            "wfm shifts, first 4 weeks (end to end, solve included)",
            lambda: run(
                [
                    "shifts",
                    str(four_weeks),
                    "--templates",
                    str(templates),
                    "-o",
                    str(plan),
                    "--time-limit",
                    "20",
                ]
            ),
        )

    from scheduling.history import read_interval_csv
    from scheduling.shifts import read_requirement_csv
    from wfm.commands import staffing as staffing_command

    measure("read_interval_csv(history), in-process", lambda: read_interval_csv(history))
    measure(
        "read_requirement_csv(requirement, a year), in-process", lambda: read_requirement_csv(requirement)
    )
    measure("staffing: read the forecast, in-process", lambda: staffing_command._read_forecast(forecast))
    result = pd.read_csv(requirement)
    try:  # the branch's writer when it has one, else what the command used before
        from scheduling.csv_out import write_csv
    except ImportError:

        def write_csv(frame, path, float_format):
            frame.to_csv(path, index=False, float_format=float_format)

    measure(
        "staffing: write the requirement, in-process",
        lambda: write_csv(result, folder / "requirement-again.csv", float_format="%.6f"),
    )
    print(f"files in {folder}")


if __name__ == "__main__":
    main()
