"""Capacity demand backtest on real data: plan from the first half of 1999, compare with the second half.

The Anonymous Bank's calls per 6-minute interval for 1999 (shipped in wfm/demo/data, see its ATTRIBUTION):
the long-range forecast (`scheduling.capacity.demand`) is fitted on January-June and forecasts July-December;
each month's forecast volume is set against the calls that came, and both are turned into required FTE
through Erlang C (80% in 20 s, the February handle time, 30% shrinkage) with the hour-of-week profile of
the first half, so the error is shown in calls and in FTE.

    python bench/capacity_backtest.py [--csv PATH]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from scheduling.capacity.demand import complete_months, forecast_months
from scheduling.capacity.fte import hour_of_week_profile, required_fte
from scheduling.staffing import ServiceTarget

DATA = Path(__file__).resolve().parents[1] / "wfm" / "demo" / "data" / "calls_6min_1999.csv.gz"
AHT_SECONDS = 190.0  # about the February 1999 mean handle time of answered calls
TARGET = ServiceTarget(service_level=0.8, answer_seconds=20, shrinkage=0.3)


def load(path: Path) -> pd.Series:
    frame = pd.read_csv(path)
    stamps = pd.to_datetime(frame["date"] + " " + frame["start_time"])
    return pd.Series(frame["calls"].to_numpy(dtype=float), index=stamps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DATA)
    args = parser.parse_args()
    calls = load(args.csv)
    daily = calls.resample("D").sum()
    first_half = daily[daily.index < "1999-07-01"]
    started = time.perf_counter()
    forecast = forecast_months(first_half, 6)
    seconds = time.perf_counter() - started
    actual = complete_months(daily)
    profile = hour_of_week_profile(calls[calls.index < "1999-07-01"])
    assumed_fte = required_fte(forecast.volume, forecast.months, profile, AHT_SECONDS, TARGET)
    came = np.array([actual[pd.Period(m, freq="M")] for m in forecast.months])
    came_fte = required_fte(came, forecast.months, profile, AHT_SECONDS, TARGET)
    print(f"data: {args.csv.name}; history 1999-01..1999-06, forecast 1999-07..1999-12")
    print(
        f"method {forecast.method}; one-month-ahead backtest MAPE on the history: "
        + ", ".join(f"{name} {_pct(error)}" for name, error in forecast.candidate_errors.items())
        + f"; fitted in {seconds:.2f} s (shared machine)"
    )
    print(
        f"{'month':8} {'forecast':>9} {'came':>9} {'error':>8} {'FTE plan':>9} {'FTE came':>9} {'FTE err':>8}"
    )
    errors = []
    for label, f, c, ff, cf in zip(
        forecast.months, forecast.volume, came, assumed_fte, came_fte, strict=True
    ):
        errors.append((f - c) / c)
        print(f"{label:8} {f:9.0f} {c:9.0f} {100 * (f - c) / c:7.1f}% {ff:9.1f} {cf:9.1f} {ff - cf:+8.1f}")
    print(
        f"MAPE over the six months: {100 * np.mean(np.abs(errors)):.1f}%; bias {100 * np.mean(errors):+.1f}%"
    )


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


if __name__ == "__main__":
    main()
