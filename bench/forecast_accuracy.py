"""Week-ahead forecast accuracy on the Anonymous Bank 1999 calls, against the Poisson noise floor.

For each interval length (6, 12, 15 minutes) and each rolling origin across the year, every method (and
``auto``) forecasts the next 7 days from the history before the origin; the forecasts are compared with
what arrived. Figures are pooled over origins: wMAPE, the Poisson floor, their ratio, bias, and seconds
per forecast (one call of ``forecast``, backtests included).

Run: .venv/bin/python bench/forecast_accuracy.py [--every-weeks 4] [--intervals 6,12,15] [--methods ...]
Data: Technion SEE Center "Anonymous Bank" (Mandelbaum, Guedj et al.), via Rfssa (GPL-3) and MTPA.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.forecast import METHOD_NAMES, ForecastOptions, accuracy, forecast
from scheduling.forecast.calendar import build_calendar
from scheduling.history import coarsen, history_from_frame
from tests.reference_data import CALLS_6MIN


def load_bank() -> pd.DataFrame:
    raw = pd.read_csv(CALLS_6MIN)
    return pd.DataFrame(
        {
            "interval_start": pd.to_datetime(raw["date"] + " " + raw["start_time"]),
            "queue": "bank",
            "offered": raw["calls"].astype(float),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--every-weeks", type=int, default=4)
    parser.add_argument("--first", default="1999-03-07")
    parser.add_argument("--intervals", default="6,12,15")
    parser.add_argument("--methods", default=",".join(("auto", *METHOD_NAMES)))
    parser.add_argument("--country", default="IL")
    args = parser.parse_args()

    base = history_from_frame(load_bank(), interval_minutes=6, name="calls_6min_1999.csv")
    first = date.fromisoformat(args.first)
    last = base.frame["interval_start"].max().date() - timedelta(days=6)
    origins = []
    while first <= last:
        origins.append(first)
        first += timedelta(weeks=args.every_weeks)
    methods = args.methods.split(",")
    print(f"origins: {len(origins)} ({origins[0]} .. {origins[-1]}), horizon 7 days, country {args.country}")
    calendar = build_calendar(args.country or None, range(1999, 2000))
    unusual = set(calendar.holidays) | set(calendar.eves)
    header = (
        f"{'min':>4} {'method':<17}{'wMAPE':>8}{'floor':>8}{'ratio':>7}{'ord.ratio':>10}{'bias':>8}"
        f"{'vs naive':>9}{'vs avg':>8}{'s/fc':>7}"
    )
    print(header)
    print("-" * len(header))
    for minutes in [int(m) for m in args.intervals.split(",")]:
        history = base if minutes == 6 else coarsen(base, minutes, split=minutes % 6 != 0)
        actual = history.frame.set_index("interval_start")["offered"]
        rows = {}
        days = [pd.Timestamp(o) + pd.Timedelta(days=d) for o in origins for d in range(7)]
        ordinary_mask = np.repeat([day.date() not in unusual for day in days], 1440 // minutes)
        for method in methods:
            ys, fs, seconds, picks = [], [], 0.0, []
            for origin in origins:
                t0 = time.perf_counter()
                result = forecast(
                    history, origin, 7, ForecastOptions(method=method, country=args.country or None)
                )
                seconds += time.perf_counter() - t0
                picks.append(result.methods["bank"])
                grid = pd.date_range(pd.Timestamp(origin), periods=7 * 1440 // minutes, freq=f"{minutes}min")
                f = result.frame.set_index("interval_start")["forecast"].reindex(grid, fill_value=0.0)
                ys.append(actual.reindex(grid).to_numpy())
                fs.append(f.to_numpy())
            y, f = np.concatenate(ys), np.concatenate(fs)
            score = accuracy(y, f)
            ordinary = accuracy(np.where(ordinary_mask, y, np.nan), f)
            rows[method] = (score, seconds / len(origins), picks, ordinary)
        for method, (score, seconds, _picks, ordinary) in rows.items():
            naive = rows.get("seasonal_naive", (score,))[0].wmape
            avg = rows.get("slot_average", (score,))[0].wmape
            print(
                f"{minutes:>4} {method:<17}{score.wmape:8.3f}{score.floor:8.3f}{score.ratio:7.2f}"
                f"{ordinary.ratio:10.2f}{score.bias:+8.3f}"
                f"{score.wmape / naive:9.2f}{score.wmape / avg:8.2f}{seconds:7.2f}"
            )
        bound = _bound(history, days, actual, minutes)
        print(
            f"{minutes:>4} {'(bound)':<17}{bound.wmape:8.3f}{bound.floor:8.3f}{bound.ratio:7.2f}"
            "   true daily totals x in-sample weekday profile"
        )
        if "auto" in rows:
            counts = pd.Series(rows["auto"][2]).value_counts().to_dict()
            print(f"     auto picked: {counts}")
        sys.stdout.flush()


def _bound(history, days: list[pd.Timestamp], actual: pd.Series, minutes: int):
    """What a forecast knowing each day's true total and the whole year's weekday profile would score:
    the intraday variation no week-ahead forecast can know."""
    frame = history.frame
    slots = 1440 // minutes
    day = frame["interval_start"].dt.normalize()
    matrix = frame.assign(day=day, slot=(frame["interval_start"] - day) // pd.Timedelta(minutes=minutes))
    matrix = matrix.pivot_table(index="day", columns="slot", values="offered", aggfunc="sum").reindex(
        columns=range(slots), fill_value=0.0
    )
    weekday = matrix.index.day_of_week.to_numpy()
    profile = np.stack(
        [matrix.to_numpy()[weekday == w].sum(0) / matrix.to_numpy()[weekday == w].sum() for w in range(7)]
    )
    chosen = matrix.loc[days].to_numpy()
    expected = chosen.sum(1, keepdims=True) * profile[pd.DatetimeIndex(days).day_of_week]
    return accuracy(chosen, expected)


if __name__ == "__main__":
    main()
