"""Requirement and reverse calculation on pandas frames: the engine's entry point for the CLI and the web.

Input, the forecast frame: one row per queue and open interval, columns `interval_start` (timestamps),
`queue`, `forecast` (calls or work items arriving in the interval) and optionally `aht_seconds` (handle
time per row; empty cells fall back to the queue's default). Output, the requirement frame, in the input's
row order: `interval_start, queue, forecast, agents, scheduled_agents, service_level, occupancy,
asa_seconds`, plus `abandon_rate` when any queue uses Erlang A. For back-office queues `service_level` is
the share of the interval's work finished by its deadline and `asa_seconds` is empty (NaN).

Targets come as one `ServiceTarget` for every queue or a mapping queue -> `ServiceTarget`; handle time as
one number, a mapping queue -> seconds, or only the `aht_seconds` column. Bad rows raise `ForecastError`
naming the row (0-based position in the frame) and the field.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from scheduling.staffing.backoffice import evaluate_backoffice, plan_backoffice
from scheduling.staffing.requirement import evaluate_agents, required_agents_with_metrics
from scheduling.staffing.targets import ServiceTarget, scheduled_agents

REQUIRED_COLUMNS = ("interval_start", "queue", "forecast")
OUTPUT_COLUMNS = (
    "interval_start",
    "queue",
    "forecast",
    "agents",
    "scheduled_agents",
    "service_level",
    "occupancy",
    "asa_seconds",
)

Targets = ServiceTarget | Mapping[str, ServiceTarget]
AhtDefault = float | Mapping[str, float] | None


class ForecastError(ValueError):
    """A forecast row the engine cannot use. `row` is the 0-based row position (None: the whole frame)."""

    def __init__(self, field: str, message: str, row: int | None = None) -> None:
        where = f"row {row}, " if row is not None else ""
        super().__init__(f"{where}{field}: {message}")
        self.field = field
        self.row = row
        self.detail = message


def requirement_frame(
    forecast: pd.DataFrame,
    targets: Targets,
    *,
    interval_minutes: float | None = None,
    aht_seconds: AhtDefault = None,
) -> pd.DataFrame:
    """Fewest agents per queue and interval meeting every target, with their service figures."""
    if len(forecast) == 0:
        _prepare(forecast, targets, 1.0, aht_seconds)  # still checks the columns
        return pd.DataFrame({name: [] for name in OUTPUT_COLUMNS})
    frame, interval = _prepare(forecast, targets, interval_minutes, aht_seconds)
    return _per_queue(frame, targets, interval, agents=None)


def evaluate_frame(
    staffing: pd.DataFrame,
    targets: Targets,
    *,
    interval_minutes: float | None = None,
    aht_seconds: AhtDefault = None,
) -> pd.DataFrame:
    """The reverse calculation: the forecast frame plus an `agents` column in, service figures out."""
    frame, interval = _prepare(staffing, targets, interval_minutes, aht_seconds)
    agents = _numeric_column(staffing, "agents")
    bad = np.flatnonzero((agents < 0) | (agents != np.floor(agents)))
    if bad.size:
        raise ForecastError("agents", "must be a whole number >= 0", int(bad[0]))
    return _per_queue(frame, targets, interval, agents=agents.astype(np.int64))


def infer_interval_minutes(frame: pd.DataFrame) -> float | None:
    """The most common gap between consecutive intervals of a queue, or None with one interval per queue."""
    starts = pd.to_datetime(frame["interval_start"])
    gaps = (
        pd.DataFrame({"queue": frame["queue"].to_numpy(), "start": starts.to_numpy()})
        .sort_values(["queue", "start"])
        .groupby("queue")["start"]
        .diff()
        .dropna()
    )
    gaps = gaps[gaps > pd.Timedelta(0)]
    if gaps.empty:
        return None
    return gaps.mode().iloc[0].total_seconds() / 60.0


def target_for(targets: Targets, queue: str) -> ServiceTarget:
    """The target of one queue; a mapping without the queue is an error naming it."""
    if isinstance(targets, ServiceTarget):
        return targets
    if queue not in targets:
        raise ForecastError("queue", f"no service target for queue {queue!r}")
    return targets[queue]


def _prepare(
    forecast: pd.DataFrame, targets: Targets, interval_minutes: float | None, aht_seconds: AhtDefault
) -> tuple[pd.DataFrame, float]:
    missing = [c for c in REQUIRED_COLUMNS if c not in forecast.columns]
    if missing:
        raise ForecastError(missing[0], "column is missing")
    frame = pd.DataFrame(
        {
            "interval_start": _timestamps(forecast["interval_start"]),
            "queue": _queues(forecast["queue"]),
            "forecast": _numeric_column(forecast, "forecast"),
        }
    )
    negative = np.flatnonzero(frame["forecast"].to_numpy() < 0)
    if negative.size:
        raise ForecastError("forecast", "must be >= 0", int(negative[0]))
    duplicated = _duplicated_rows(frame)
    if duplicated.size:
        raise ForecastError("interval_start", "the same queue and interval appear twice", int(duplicated[0]))
    for queue in frame["queue"].unique():
        target_for(targets, queue)
    frame["aht_seconds"] = _handle_times(forecast, frame["queue"], aht_seconds)
    if interval_minutes is None:
        interval_minutes = infer_interval_minutes(frame)
        if interval_minutes is None:
            raise ForecastError("interval_minutes", "cannot be inferred from one interval per queue; give it")
    if not np.isfinite(interval_minutes) or interval_minutes <= 0:
        raise ForecastError("interval_minutes", f"must be > 0, got {interval_minutes}")
    return frame, float(interval_minutes)


def _per_queue(
    frame: pd.DataFrame, targets: Targets, interval_minutes: float, agents: np.ndarray | None
) -> pd.DataFrame:
    interval_seconds = interval_minutes * 60.0
    size = len(frame)
    out = {name: np.zeros(size) for name in ("service_level", "occupancy", "asa_seconds", "abandon_rate")}
    out_agents = np.zeros(size, dtype=np.int64)
    out_scheduled = np.zeros(size, dtype=np.int64)
    any_erlang_a = False
    codes, names = pd.factorize(frame["queue"])
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(names.size + 1))
    for code, queue in enumerate(names):
        target = target_for(targets, queue)
        any_erlang_a |= target.model == "erlang-a"
        rows = order[bounds[code] : bounds[code + 1]]
        volume = frame["forecast"].to_numpy()[rows]
        aht = frame["aht_seconds"].to_numpy()[rows]
        given = None if agents is None else agents[rows]
        if target.model == "back-office":
            rows, result = _backoffice(frame, rows, volume * aht, interval_seconds, target, given)
        else:
            traffic = volume * aht / interval_seconds
            if given is None:
                need, metrics = required_agents_with_metrics(traffic, aht, target)
            else:
                need, metrics = given, evaluate_agents(given, traffic, aht, target)
            result = {
                "agents": need,
                "service_level": metrics.service_level,
                "occupancy": metrics.occupancy,
                "asa_seconds": metrics.asa_seconds,
                "abandon_rate": metrics.abandon_rate,
            }
        out_agents[rows] = result["agents"]
        out_scheduled[rows] = scheduled_agents(result["agents"], target.shrinkage)
        for name in out:
            out[name][rows] = result[name]
    columns = {
        "interval_start": frame["interval_start"],
        "queue": frame["queue"],
        "forecast": frame["forecast"],
        "agents": out_agents,
        "scheduled_agents": out_scheduled,
        "service_level": out["service_level"],
        "occupancy": out["occupancy"],
        "asa_seconds": out["asa_seconds"],
    }
    if any_erlang_a:
        columns["abandon_rate"] = out["abandon_rate"]
    return pd.DataFrame(columns, index=frame.index).reset_index(drop=True)


def _backoffice(
    frame: pd.DataFrame,
    rows: np.ndarray,
    work: np.ndarray,
    interval_seconds: float,
    target: ServiceTarget,
    given: np.ndarray | None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    nanoseconds = pd.DatetimeIndex(frame["interval_start"]).as_unit("ns").asi8[rows]
    order = np.argsort(nanoseconds, kind="stable")
    rows, work = rows[order], work[order]
    seconds = (nanoseconds[order] - nanoseconds[order][0]) / 1e9
    deadline = target.deadline_hours
    assert deadline is not None  # a back-office target has one (`ServiceTarget._check_model`)
    if given is None:
        plan = plan_backoffice(
            seconds,
            work,
            interval_seconds=interval_seconds,
            deadline_hours=deadline,
            max_occupancy=target.max_occupancy,
        )
    else:
        plan = evaluate_backoffice(
            seconds,
            work,
            given[order],
            interval_seconds=interval_seconds,
            deadline_hours=deadline,
            max_occupancy=target.max_occupancy,
        )
    capacity = plan.agents * interval_seconds
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(capacity > 0, plan.done_seconds / capacity, 0.0)
    return rows, {
        "agents": plan.agents,
        "service_level": plan.on_time,
        "occupancy": occupancy,
        "asa_seconds": np.full(rows.size, np.nan),
        "abandon_rate": np.zeros(rows.size),
    }


def _duplicated_rows(frame: pd.DataFrame) -> np.ndarray:
    """Positions of rows repeating an earlier row's queue and interval_start, in row order."""
    codes = pd.factorize(frame["queue"])[0]
    stamps = pd.DatetimeIndex(frame["interval_start"]).asi8
    order = np.lexsort((np.arange(codes.size), stamps, codes))
    repeat = (np.diff(codes[order]) == 0) & (np.diff(stamps[order]) == 0)
    return np.sort(order[1:][repeat])


def _timestamps(column: pd.Series) -> pd.Series:
    """ISO 8601 timestamps; offsets that differ (a daylight-saving change) are brought to UTC."""
    if pd.api.types.is_datetime64_any_dtype(column):
        parsed = column
    else:
        try:
            parsed = pd.to_datetime(column, format="ISO8601", errors="coerce")
        except ValueError:
            parsed = pd.to_datetime(column, format="ISO8601", errors="coerce", utc=True)
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        value = column.iloc[bad[0]]
        raise ForecastError("interval_start", f"not a timestamp: {value!r}", int(bad[0]))
    return parsed


def _queues(column: pd.Series) -> pd.Series:
    codes, names = pd.factorize(column, use_na_sentinel=True)
    blank = np.array([str(name).strip() == "" for name in names], dtype=bool)
    empty = np.flatnonzero((codes < 0) | blank[np.maximum(codes, 0)])
    if empty.size:
        raise ForecastError("queue", "is empty", int(empty[0]))
    return pd.Series(np.asarray([str(name) for name in names], dtype=object)[codes], index=column.index)


def _numeric_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        raise ForecastError(name, "column is missing")
    column = frame[name]
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise ForecastError(name, f"not a number: {column.iloc[bad[0]]!r}", int(bad[0]))
    return values


def _handle_times(forecast: pd.DataFrame, queues: pd.Series, default: AhtDefault) -> np.ndarray:
    if isinstance(default, Mapping):
        codes, names = pd.factorize(queues)  # one look-up per queue, not per row
        fallback = np.array([default.get(q, np.nan) for q in names], dtype=float)[codes]
    else:
        fallback = np.full(len(queues), np.nan if default is None else float(default))
    aht = fallback
    if "aht_seconds" in forecast.columns:
        column = forecast["aht_seconds"]
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
        blank = column.isna().to_numpy().copy()
        unread = np.flatnonzero(np.isnan(values))  # a blank is never a number: strip only these
        blank[unread] |= (column.iloc[unread].astype(str).str.strip() == "").to_numpy()
        bad = np.flatnonzero(~blank & ~np.isfinite(values))
        if bad.size:
            raise ForecastError("aht_seconds", f"not a number: {column.iloc[bad[0]]!r}", int(bad[0]))
        aht = np.where(blank, fallback, values)
    missing = np.flatnonzero(np.isnan(aht))
    if missing.size:
        raise ForecastError(
            "aht_seconds", "no handle time for this row (give a column value or a default)", int(missing[0])
        )
    not_positive = np.flatnonzero(aht <= 0)
    if not_positive.size:
        raise ForecastError("aht_seconds", "must be > 0", int(not_positive[0]))
    return aht
