"""Per-call records (the Anonymous Bank layout) aggregated to intervals per queue.

A call is *offered* to the agents when it leaves the voice-response unit asking for one: it either waited
in the queue (``q_start`` set) or went straight to an agent. Calls that hung up inside the VRU never
reached the agents and are not counted; PHANTOM calls (unexplained records) are left out too.

Patience: callers who abandon reveal their patience; callers who were served reveal only that their
patience exceeded their wait (a censored observation). Under an exponential patience model the maximum
likelihood estimate of the mean is the total time everyone waited divided by the number who abandoned.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scheduling.history.intervals import (
    EARLIEST_DAY,
    HistoryError,
    IntervalHistory,
    Problem,
    latest_day,
    read_table,
)

CALL_FIELDS = (
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "q_start",
    "q_time",
    "outcome",
    "ser_time",
)
QueueOf = Callable[[str, int], str]
_CLOCK = r"([01]?\d|2[0-3]):[0-5]\d:[0-5]\d"
MAX_SECONDS = 7 * 86_400  # a wait or a call longer than a week is a corrupt record, not a call


def queue_by_type(call_type: str, priority: int) -> str:
    """Default mapping: one queue per call type (PS, PE, IN, NE, NW, TT)."""
    return call_type


def queue_by_type_and_priority(call_type: str, priority: int) -> str:
    """Priority (high-value) customers in their own queue: ``PS`` and ``PS-priority``."""
    return f"{call_type}-priority" if priority == 2 else call_type


@dataclass(frozen=True)
class CallAggregate:
    """Interval history built from calls, plus per-queue call statistics.

    ``queues`` columns: queue, offered, handled, abandoned, abandon_rate, aht_seconds (mean handle time of
    served calls), total_wait_seconds, mean_patience_seconds (NaN when nobody abandoned).
    """

    history: IntervalHistory
    queues: pd.DataFrame


def read_call_records(
    source: str | Path | io.IOBase,
    name: str | None = None,
    latest: dt.date | None = None,
    encoding: str = "auto",
) -> pd.DataFrame:
    """Read a tab-separated call file; return one row per offered call.

    Columns: ``arrival`` (datetime), ``type``, ``priority`` (int), ``outcome`` (AGENT/HANG),
    ``wait_seconds``, ``service_seconds``. Raises :class:`HistoryError` naming line and field. Calls must be
    dated between ``EARLIEST_DAY`` and ``latest`` (default: tomorrow), like interval history. ``encoding``
    as for `read_interval_csv`.
    """
    name = name or str(source)
    raw = read_table(source, name, sep="\t", encoding=encoding)
    missing = [f for f in CALL_FIELDS if f not in raw.columns]
    if missing:
        raise HistoryError([Problem(name, 1, f, "required column is missing") for f in missing])
    lines = np.arange(len(raw)) + 2
    blank = (raw == "").all(axis=1).to_numpy()
    raw, lines = raw[~blank].reset_index(drop=True), lines[~blank]
    problems: list[Problem] = []

    def flag(mask: pd.Series | np.ndarray, field: str, message: str) -> None:
        problems.extend(Problem(name, int(line), field, message) for line in lines[np.asarray(mask)])

    day = pd.to_datetime(raw["date"].str.strip(), format="%y%m%d", errors="coerce")
    flag(day.isna(), "date", "not a YYMMDD date")
    last = latest or latest_day()
    flag(
        day.notna() & ((day < pd.Timestamp(EARLIEST_DAY)) | (day > pd.Timestamp(last))),
        "date",
        f"outside {EARLIEST_DAY.isoformat()} to {last.isoformat()}: not a call this centre could have had",
    )
    clock = {}
    for field in ("vru_entry", "vru_exit", "q_start"):
        text = raw[field].str.strip()
        clock[field] = pd.to_timedelta(text.where(text.str.fullmatch(_CLOCK), ""), errors="coerce")
        flag(clock[field].isna(), field, "not a H:MM:SS time of day")
    numbers = {}
    for field, most in (("priority", 9), ("q_time", MAX_SECONDS), ("ser_time", MAX_SECONDS)):
        numbers[field] = pd.to_numeric(raw[field].str.strip(), errors="coerce")
        flag(
            ~np.isfinite(numbers[field]) | (numbers[field] < 0) | (numbers[field] > most),
            field,
            f"not a number between 0 and {most}",
        )
    flag(np.isfinite(numbers["priority"]) & (numbers["priority"] % 1 != 0), "priority", "not a whole number")
    flag(raw["type"].str.strip() == "", "type", "empty")
    outcome = raw["outcome"].str.strip().str.upper()
    flag(~outcome.isin(["AGENT", "HANG", "PHANTOM"]), "outcome", "must be AGENT, HANG or PHANTOM")
    if problems:
        raise HistoryError(sorted(problems, key=lambda p: (p.line, p.field)))

    # vru_exit earlier than vru_entry means the call crossed midnight.
    crossed = clock["vru_exit"] < clock["vru_entry"]
    arrival = day + clock["vru_exit"] + pd.to_timedelta(crossed.astype(int), unit="D")
    queued = clock["q_start"] > pd.Timedelta(0)
    offered = (outcome == "AGENT") | ((outcome == "HANG") & queued)
    calls = pd.DataFrame(
        {
            "arrival": arrival,
            "type": raw["type"].str.strip(),
            "priority": numbers["priority"].astype(int),
            "outcome": outcome,
            "wait_seconds": numbers["q_time"].where(queued, 0.0).astype(float),
            "service_seconds": numbers["ser_time"].astype(float),
        }
    )
    return calls[offered].reset_index(drop=True)


def aggregate_calls(
    calls: pd.DataFrame, interval_minutes: int = 15, queue_of: QueueOf = queue_by_type
) -> CallAggregate:
    """Count offered, handled and abandoned calls per queue and interval, with mean handle time.

    ``queue_of(type, priority)`` names each call's queue; it is called once per distinct pair.
    """
    if interval_minutes < 1 or 1440 % interval_minutes:
        raise ValueError(f"interval_minutes: {interval_minutes} must divide a day")
    pairs = calls[["type", "priority"]].drop_duplicates()
    names = {(t, int(p)): queue_of(t, int(p)) for t, p in pairs.itertuples(index=False)}
    queue = pd.Series(
        [names[(t, int(p))] for t, p in zip(calls["type"], calls["priority"], strict=True)],
        index=calls.index,
        dtype=object,
    )
    handled = calls["outcome"] == "AGENT"
    work = pd.DataFrame(
        {
            "interval_start": calls["arrival"].dt.floor(f"{interval_minutes}min"),
            "queue": queue,
            "offered": 1.0,
            "handled": handled.astype(float),
            "abandoned": (calls["outcome"] == "HANG").astype(float),
            "service": calls["service_seconds"].where(handled, 0.0),
            "wait": calls["wait_seconds"],
        }
    )
    per_interval = (
        work.groupby(["queue", "interval_start"], sort=True)[["offered", "handled", "abandoned", "service"]]
        .sum()
        .reset_index()
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        per_interval["aht_seconds"] = np.where(
            per_interval["handled"] > 0, per_interval["service"] / per_interval["handled"], np.nan
        )
    frame = per_interval[["interval_start", "queue", "offered", "handled", "abandoned", "aht_seconds"]]

    per_queue = work.groupby("queue", sort=True)[["offered", "handled", "abandoned", "service", "wait"]].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        stats = pd.DataFrame(
            {
                "offered": per_queue["offered"].astype(int),
                "handled": per_queue["handled"].astype(int),
                "abandoned": per_queue["abandoned"].astype(int),
                "abandon_rate": per_queue["abandoned"] / per_queue["offered"],
                "aht_seconds": per_queue["service"] / per_queue["handled"].where(per_queue["handled"] > 0),
                "total_wait_seconds": per_queue["wait"],
                "mean_patience_seconds": per_queue["wait"]
                / per_queue["abandoned"].where(per_queue["abandoned"] > 0),
            }
        ).reset_index()
    return CallAggregate(
        history=IntervalHistory(frame=frame.reset_index(drop=True), interval_minutes=interval_minutes),
        queues=stats,
    )
