"""Staffing benchmark: the engine's Erlang C against pyworkforce's ErlangC on the real bank year, and scale.

Part 1, real data: Anonymous Bank 1999 calls per 6 minutes, summed to 15- and 30-minute intervals (a whole
year), AHT 180 s, 80% answered within 20 s. Both compute the agents needed per interval (intervals with no
calls need none; pyworkforce refuses zero volume, so it is not asked). Where the two disagree, the table
shows the interval and the service level each headcount achieves, so the reason can be read off.
Part 2, scale: a year of 15-minute intervals for 20 queues (700,800 intervals: the real year tiled, each
queue scaled by 0.5 to 10, so traffic reaches hundreds of Erlangs), Erlang C, A and B requirement,
the reverse calculation and the whole pandas path; pyworkforce runs on a random sample of 20,000 of the
busy intervals there (answers compared) and its time for all of them is extrapolated from the sample.

Timings are the best of --repeat runs (the machine is shared); run with nothing else heavy going on.
Run: .venv/bin/python bench/staffing_speed.py [--repeat 3] [--skip-pyworkforce]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scheduling.staffing import (  # noqa: E402
    ServiceTarget,
    erlang_c_metrics,
    evaluate_agents,
    required_agents,
    requirement_frame,
)
from tests.reference_data import CALLS_6MIN  # noqa: E402

AHT = 180.0
TARGET = ServiceTarget(service_level=0.8, answer_seconds=20)
QUEUES = 20
SAMPLE = 20_000


def load_calls(minutes: int) -> pd.Series:
    raw = pd.read_csv(CALLS_6MIN)
    starts = pd.to_datetime(raw["date"] + " " + raw["start_time"])
    return raw.set_index(starts)["calls"].resample(f"{minutes}min").sum()


def timed(function, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def pyworkforce_agents(calls: np.ndarray, minutes: int) -> np.ndarray:
    from pyworkforce.queuing import ErlangC

    out = np.zeros(calls.size, dtype=np.int64)
    for i, volume in enumerate(calls):
        if volume > 0:
            model = ErlangC(
                transactions=float(volume), aht=AHT / 60, asa=TARGET.answer_seconds / 60, interval=minutes
            )
            out[i] = model.required_positions(service_level=TARGET.service_level)["raw_positions"]
    return out


def real_data(minutes: int, repeat: int, skip_pyworkforce: bool) -> dict:
    series = load_calls(minutes)
    calls = series.to_numpy(dtype=float)
    traffic = calls * AHT / (minutes * 60)
    best, median, ours = timed(lambda: required_agents(traffic, AHT, TARGET), repeat)
    row = {
        "intervals": calls.size,
        "busy": int((calls > 0).sum()),
        "peak_erlangs": traffic.max(),
        "engine_s": best,
        "engine_median_s": median,
        "agent_hours": ours.sum() * minutes / 60,
    }
    if skip_pyworkforce:
        return row
    theirs_best, _, theirs = timed(lambda: pyworkforce_agents(calls, minutes), 1)
    differ = np.flatnonzero(ours != theirs)
    row.update(pyworkforce_s=theirs_best, agree=calls.size - differ.size, differ=differ.size)
    row["examples"] = [
        (
            series.index[i],
            calls[i],
            traffic[i],
            ours[i],
            theirs[i],
            float(erlang_c_metrics(ours[i], traffic[i], AHT, 20.0).service_level),
            float(erlang_c_metrics(theirs[i], traffic[i], AHT, 20.0).service_level),
        )
        for i in differ[:8]
    ]
    return row


def scale(repeat: int, skip_pyworkforce: bool) -> list[tuple[str, float, float]]:
    calls = load_calls(15).to_numpy(dtype=float)
    factors = np.linspace(0.5, 10.0, QUEUES)
    volume = np.concatenate([calls * f for f in factors])
    traffic = volume * AHT / 900
    rows = []
    best, median, agents = timed(lambda: required_agents(traffic, AHT, TARGET), repeat)
    rows.append(
        (f"Erlang C requirement, {traffic.size:,} intervals (peak {traffic.max():.0f} Erlangs)", best, median)
    )
    best, median, _ = timed(lambda: evaluate_agents(agents, traffic, AHT, TARGET), repeat)
    rows.append(("Erlang C reverse calculation (SL, ASA, occupancy)", best, median))
    erlang_a = ServiceTarget(model="erlang-a", patience_seconds=300, service_level=0.8, answer_seconds=20)
    best, median, _ = timed(lambda: required_agents(traffic, AHT, erlang_a), 1)
    rows.append(("Erlang A requirement (patience 300 s, 80/20), 1 run", best, median))
    erlang_b = ServiceTarget(model="erlang-b", service_level=0.99)
    best, median, _ = timed(lambda: required_agents(traffic, AHT, erlang_b), 1)
    rows.append(("Erlang B requirement (1% blocking), 1 run", best, median))
    starts = pd.date_range("1999-01-01", periods=calls.size, freq="15min")
    frame = pd.DataFrame(
        {
            "interval_start": np.tile(starts, QUEUES),
            "queue": np.repeat([f"q{i:02d}" for i in range(QUEUES)], calls.size),
            "forecast": volume,
        }
    )
    best, median, _ = timed(
        lambda: requirement_frame(frame, TARGET, interval_minutes=15, aht_seconds=AHT), repeat
    )
    rows.append(("requirement_frame (pandas in/out, validation, figures)", best, median))
    if not skip_pyworkforce:
        sample = np.random.default_rng(0).choice(np.flatnonzero(volume > 0), SAMPLE, replace=False)
        start = time.perf_counter()
        theirs = pyworkforce_agents(volume[sample], 15)
        seconds = time.perf_counter() - start
        busy = int((volume > 0).sum())
        differ = int((theirs != agents[sample]).sum())
        rows.append(
            (
                f"pyworkforce ErlangC on {SAMPLE:,} sampled intervals ({differ} differ from the engine)",
                seconds,
                seconds,
            )
        )
        rows.append(
            (
                f"pyworkforce ErlangC, all {busy:,} busy intervals (extrapolated from the sample)",
                seconds * busy / SAMPLE,
                seconds * busy / SAMPLE,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pyworkforce", action="store_true")
    args = parser.parse_args()

    print("Real data: Anonymous Bank 1999, AHT 180 s, 80/20, Erlang C, agents per interval for the year")
    print(
        f"{'interval':>8} {'rows':>7} {'busy':>6} {'peak E':>7} {'engine s':>9} {'pyworkforce s':>14} "
        f"{'speed-up':>9} {'agree':>7} {'differ':>6} {'agent-hours':>12}"
    )
    for minutes in (15, 30):
        row = real_data(minutes, args.repeat, args.skip_pyworkforce)
        pwf = row.get("pyworkforce_s")
        speedup = f"{pwf / row['engine_s']:.0f}x" if pwf else "-"
        print(
            f"{minutes:>6}m {row['intervals']:>7} {row['busy']:>6} {row['peak_erlangs']:>7.1f} "
            f"{row['engine_s']:>9.4f} {pwf if pwf else float('nan'):>14.2f} {speedup:>9} "
            f"{row.get('agree', '-'):>7} {row.get('differ', '-'):>6} {row['agent_hours']:>12.0f}"
        )
        for start, volume, erl, ours, theirs, sl_ours, sl_theirs in row.get("examples", []):
            print(
                f"    differ {start:%Y-%m-%d %H:%M} calls {volume:g} ({erl:.3f} E): "
                f"engine {ours} (SL {sl_ours:.4f}), pyworkforce {theirs} (SL {sl_theirs:.4f})"
            )
    print()
    print("Scale: 20 queues x a year of 15-minute intervals")
    print(f"{'what':<78} {'best s':>8} {'median s':>9}")
    for label, best, median in scale(args.repeat, args.skip_pyworkforce):
        print(f"{label:<78} {best:>8.3f} {median:>9.3f}")


if __name__ == "__main__":
    main()
