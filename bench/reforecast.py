"""The afternoon re-forecast made at noon, on held-out Anonymous Bank 1999 days.

For each week of the held-out months, `forecast` (auto, Israeli holidays) makes the week-ahead forecast
from the history before the week; then for each open day of it, `reforecast` re-forecasts the afternoon
from the actuals up to noon (learning its update from the days before, never from the day itself). Pooled
over the days, the afternoon's wMAPE of the re-forecast is compared with the Poisson floor (the wMAPE a
forecast knowing the true rate would still show) and with the week-ahead forecast on the same intervals;
ordinary days and holidays (or their eves, where the week-ahead forecast is itself a guess) apart.

Two ceilings are printed beside them, made with the answer and so no method: the week-ahead afternoon
scaled to the afternoon's true total ("true level": the best any update of the day's level alone can do)
and scaled to each true hour's total ("true hours": level and hour-by-hour shape known). The gap between
them says how much of what is left lies in the afternoon's shape rather than its level. Both are
optimistic: scaling to a true total also absorbs that total's own Poisson noise (a little for the
afternoon, more for each hour).

Run: .venv/bin/python bench/reforecast.py [--first 1999-09-05] [--weeks 16] [--interval 6] [--now 12:00]
Data: Technion SEE Center "Anonymous Bank" (Mandelbaum, Guedj et al.), via Rfssa (GPL-3) and MTPA.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.forecast_accuracy import load_bank
from scheduling.forecast import ForecastOptions, forecast
from scheduling.forecast.calendar import build_calendar
from scheduling.forecast.reforecast import reforecast
from scheduling.history import IntervalHistory, coarsen, history_from_frame

NAMES = ("reforecast", "week-ahead")
CEILINGS = ("true level", "true hours")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--first", default="1999-09-05", help="first held-out week (a Sunday)")
    parser.add_argument("--weeks", type=int, default=16)
    parser.add_argument("--interval", type=int, default=6, help="6 (as recorded) or a multiple: whole counts")
    parser.add_argument("--now", default="12:00")
    args = parser.parse_args()

    base = history_from_frame(load_bank(), interval_minutes=6, name="calls_6min_1999.csv")
    history = coarsen(base, args.interval) if args.interval != 6 else base
    frame = history.frame
    noon = datetime.strptime(args.now, "%H:%M").time()
    calendar = build_calendar("IL", range(1999, 2001))
    pairs: dict[tuple[str, str], tuple[list, list]] = {
        (kind, name): ([], []) for kind in ("ordinary", "holiday") for name in NAMES + CEILINGS
    }
    chosen: dict[str, int] = {}
    started = time.perf_counter()
    for week in range(args.weeks):
        start = date.fromisoformat(args.first) + timedelta(weeks=week)
        planned = forecast(history, start, 7, ForecastOptions(method="auto", country="IL")).frame
        for offset in range(7):
            day = start + timedelta(days=offset)
            now = pd.Timestamp(datetime.combine(day, noon))
            begin, end = pd.Timestamp(day), pd.Timestamp(day + timedelta(days=1))
            actual_day = frame[(frame["interval_start"] >= begin) & (frame["interval_start"] < end)]
            plan_day = planned[(planned["interval_start"] >= begin) & (planned["interval_start"] < end)]
            if actual_day["offered"].sum() <= 0 or plan_day.empty:
                continue  # closed (Saturdays, holidays)
            known = IntervalHistory(frame[frame["interval_start"] < now], history.interval_minutes)
            result = reforecast(known, plan_day, now.to_pydatetime(), calendar=calendar)
            label = result.carries["bank"].label
            chosen[label] = chosen.get(label, 0) + 1
            kind = "holiday" if calendar.unusual(pd.DatetimeIndex([begin]))[0] else "ordinary"
            truth = actual_day[actual_day["interval_start"] >= now].set_index("interval_start")["offered"]
            for name, source in zip(NAMES, (result.frame, plan_day), strict=True):
                f = source[source["interval_start"] >= now].set_index("interval_start")["forecast"]
                index = f.index.union(truth.index)
                pairs[kind, name][0].append(truth.reindex(index, fill_value=0).to_numpy())
                pairs[kind, name][1].append(f.reindex(index, fill_value=0).to_numpy())
            y, ahead = pairs[kind, "week-ahead"][0][-1], pairs[kind, "week-ahead"][1][-1]
            hours = (index - index[0]) // pd.Timedelta(hours=1) if len(index) else []
            for name, groups in zip(CEILINGS, (np.zeros(len(y), dtype=int), np.asarray(hours)), strict=True):
                pairs[kind, name][0].append(y)
                pairs[kind, name][1].append(_scaled_to(ahead, y, groups))
    seconds = time.perf_counter() - started
    print(
        f"held out: {args.weeks} weeks from {args.first}, {args.interval}-minute intervals, "
        f"afternoon from {args.now}"
    )
    for kinds in (("ordinary",), ("holiday",), ("ordinary", "holiday")):
        count = sum(len(pairs[k, "reforecast"][0]) for k in kinds)
        if count:
            _report(" and ".join(kinds) + f" days ({count})", pairs, kinds)
    print(
        "  updates chosen: "
        + "; ".join(f"{k} ({v} days)" for k, v in sorted(chosen.items(), key=lambda kv: -kv[1]))
    )
    print(f"  {seconds:.0f} s in all (shared machine, under load)")


def _scaled_to(forecast: np.ndarray, truth: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``forecast`` scaled, group by group, to the true total of each group (a ceiling, not a method)."""
    out = forecast.astype(float).copy()
    for group in np.unique(groups):
        mine = groups == group
        if out[mine].sum() > 0:
            out[mine] *= truth[mine].sum() / out[mine].sum()
    return out


def _report(label: str, pairs: dict, kinds: tuple[str, ...]) -> None:
    print(f"  {label}:")
    figures = {}
    for name in NAMES + CEILINGS:
        y = np.concatenate([a for k in kinds for a in pairs[k, name][0]])
        f = np.concatenate([a for k in kinds for a in pairs[k, name][1]])
        wmape, floor = np.abs(f - y).sum() / y.sum(), np.sqrt(2 * f / math.pi).sum() / y.sum()
        figures[name] = (wmape, floor)
        print(
            f"    {name:<11} wMAPE {wmape:.4f}  Poisson floor {floor:.4f}  ratio {wmape / floor:.3f}  "
            f"bias {(f - y).sum() / y.sum():+.4f}"
        )
    (ahead, _), (again, again_floor) = figures["week-ahead"], figures["reforecast"]
    print(
        f"    week-ahead against the re-forecast's floor {ahead / again_floor:.3f}x; "
        f"re-forecast wMAPE {1 - again / ahead:.1%} below the week-ahead"
    )


if __name__ == "__main__":
    main()
