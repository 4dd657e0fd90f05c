"""Synthetic contact history with a known shape, for the planning pages' tests."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np

OPEN, CLOSE = 8, 18  # the test queue answers 08:00-18:00, Sunday to Thursday


def rate(moment: dt.datetime) -> float:
    """Calls per 15 minutes: a midday peak, quieter on Sunday."""
    hour = moment.hour + moment.minute / 60
    base = 6 + 10 * np.exp(-((hour - 12.5) ** 2) / 6)
    return base * (0.8 if moment.weekday() == 6 else 1.0)


def is_open(moment: dt.datetime) -> bool:
    return moment.weekday() in (6, 0, 1, 2, 3) and OPEN <= moment.hour < CLOSE


def history_csv(first: dt.date, days: int, queue: str = "Retail voice", seed: int = 7) -> str:
    rng = np.random.default_rng(seed)
    lines = ["interval_start,queue,offered,handled,abandoned,aht_seconds"]
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        for quarter in range(96):
            moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=15 * quarter)
            if not is_open(moment):
                continue
            offered = int(rng.poisson(rate(moment)))
            lines.append(f"{moment.isoformat()},{queue},{offered},{offered},0,{180 + 10 * (quarter % 3)}")
    return "\n".join(lines) + "\n"


def upload(csv_text: str, name: str = "history.csv") -> tuple:
    return (io.BytesIO(csv_text.encode()), name)
