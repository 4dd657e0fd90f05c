"""`wfm staffing`: a forecast CSV in, the agents needed per queue and interval out (no database needed)."""

from __future__ import annotations

import io
import json
import math
from dataclasses import fields
from pathlib import Path

import click
import numpy as np
import pandas as pd

from scheduling.csv_out import write_csv
from scheduling.csvcells import safe_frame
from scheduling.staffing import (
    ForecastError,
    ServiceTarget,
    TargetError,
    infer_interval_minutes,
    requirement_frame,
)
from scheduling.textfile import SPREADSHEET_ENCODING, NotJSON, NotText, read_json, read_text
from wfm.formatting import counted

QUEUE_MODELS = ("erlang-c", "erlang-a", "erlang-b")
TARGET_FIELDS = {f.name for f in fields(ServiceTarget)}
ALL_QUEUES = "*"
MAX_FORECAST = 1e6  # contacts in one interval; more is a typo (and overflows the Erlang search)
MAX_AHT_SECONDS = 86_400
FLAG_FOR_FIELD = {
    "service_level": "--service-level",
    "answer_seconds": "--answer-seconds",
    "model": "--model",
    "patience_seconds": "--patience-seconds",
    "max_occupancy": "--max-occupancy",
    "shrinkage": "--shrinkage",
}

HELP = """Write the agents needed per queue and interval for FORECAST.csv.

\b
FORECAST.csv has columns interval_start,queue,forecast (calls per interval) and optionally aht_seconds,
which overrides --aht row by row. The output has interval_start,queue,forecast,agents,scheduled_agents,
service_level,occupancy,asa_seconds (and abandon_rate when a queue uses erlang-a): agents is the fewest
on the phones meeting every target, scheduled_agents adds shrinkage, ceil(agents / (1 - shrinkage)).
Under erlang-b service_level is the share of calls not blocked.

\b
--targets TARGETS.json gives per-queue settings: an object whose keys are queue names, or "*" for every
queue, and whose values are objects with any of these keys:
  service_level, answer_seconds, max_asa_seconds, max_abandon, max_occupancy, shrinkage,
  model ("erlang-c", "erlang-a", "erlang-b" or "back-office"), patience_seconds,
  concurrency (chat sessions one agent holds at once), deadline_hours (back-office: work arriving in an
  interval is finished within this many hours), aht_seconds (the queue's handle time).
A queue's settings are the flags, overridden by "*", overridden by the queue's own entry; a null value
removes a target. Unset targets default to 80% within 20 seconds. Example:
  {"*": {"service_level": 0.8, "answer_seconds": 20, "shrinkage": 0.3},
   "retail": {"model": "erlang-a", "patience_seconds": 240, "max_abandon": 0.05},
   "chat": {"concurrency": 3, "aht_seconds": 600, "answer_seconds": 60},
   "loans-backoffice": {"model": "back-office", "deadline_hours": 4, "aht_seconds": 300}}
For back-office queues forecast counts work items, agents is the smallest peak that finishes each
interval's work within deadline_hours (working only in the intervals listed in the file), service_level
is the share finished on time and asa_seconds is empty.

Without --targets, --aht (unless every row has aht_seconds), --service-level and --answer-seconds
(not under erlang-b) are required.
"""


@click.command("staffing", help=HELP)
@click.argument(
    "forecast_path", metavar="FORECAST.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the requirement CSV.",
)
@click.option(
    "--aht", type=float, help="Average handle time in seconds (default for rows without aht_seconds)."
)
@click.option("--service-level", type=float, help="Share of calls to answer within --answer-seconds, 0-1.")
@click.option("--answer-seconds", type=float, help="The service level's answer time in seconds.")
@click.option("--model", type=click.Choice(QUEUE_MODELS), help="Queue model (default erlang-c).")
@click.option("--patience-seconds", type=float, help="Callers' mean patience (erlang-a).")
@click.option("--max-occupancy", type=float, help="Highest share of agents' time spent handling, 0-1.")
@click.option("--shrinkage", type=float, help="Share of paid time off the phones, 0-1 (default 0).")
@click.option("--interval-minutes", type=float, help="Interval length (default: inferred from the file).")
@click.option(
    "--targets",
    "targets_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Per-queue settings as JSON (format above).",
)
def command(
    forecast_path: Path,
    output_path: Path,
    aht: float | None,
    service_level: float | None,
    answer_seconds: float | None,
    model: str | None,
    patience_seconds: float | None,
    max_occupancy: float | None,
    shrinkage: float | None,
    interval_minutes: float | None,
    targets_path: Path | None,
) -> None:
    flags = {
        "service_level": service_level,
        "answer_seconds": answer_seconds,
        "model": model,
        "patience_seconds": patience_seconds,
        "max_occupancy": max_occupancy,
        "shrinkage": shrinkage,
    }
    flags = {key: value for key, value in flags.items() if value is not None}
    for field, value in flags.items():
        if field != "model":
            _build_target({field: value}, "", None)  # a bad flag is named as the flag, whatever the file says
    if aht is not None and not _positive_number(aht):
        raise click.BadParameter(f"must be a number > 0 and at most {MAX_AHT_SECONDS}", param_hint="--aht")
    forecast = _read_forecast(forecast_path)
    file_settings = _read_targets(targets_path) if targets_path else {}
    if not file_settings:
        needed = ("service_level",) if model == "erlang-b" else ("service_level", "answer_seconds")
        for field in needed:
            if field not in flags:
                raise click.UsageError(f"{FLAG_FOR_FIELD[field]} is required (or give --targets)")
    if interval_minutes is not None:
        _check_interval(forecast, interval_minutes)
    queues = sorted({str(q) for q in forecast["queue"].unique()}) if "queue" in forecast.columns else []
    targets, handle_times = {}, {}
    for queue in queues:
        settings = {**flags, **file_settings.get(ALL_QUEUES, {}), **file_settings.get(queue, {})}
        queue_aht = settings.pop("aht_seconds", aht)
        if queue_aht is not None:
            handle_times[queue] = queue_aht
        targets[queue] = _build_target(settings, queue, targets_path if file_settings else None)
    try:
        result = requirement_frame(
            forecast, targets, interval_minutes=interval_minutes, aht_seconds=handle_times
        )
    except ForecastError as error:
        line = f" line {error.row + 2}," if error.row is not None else ""
        flag = " (--interval-minutes)" if error.field == "interval_minutes" else ""
        raise click.ClickException(
            f"{forecast_path}:{line} field {error.field}{flag}: {error.detail}"
        ) from None
    if len(result):  # timestamps and volumes go out exactly as they came in
        result["interval_start"] = forecast["interval_start"].to_numpy()
        result["forecast"] = forecast["forecast"].to_numpy()
    write_csv(safe_frame(result), output_path, float_format="%.6f", encoding=SPREADSHEET_ENCODING)
    click.echo(f"Wrote {counted(len(result), 'row')} for {counted(len(queues), 'queue')} to {output_path}.")


def _read_forecast(path: Path) -> pd.DataFrame:
    try:
        text = read_text(path)
    except NotText as error:
        raise click.ClickException(f"{path}: line {error.line}, field file: {error.message}") from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise click.ClickException(f"{path}: cannot read as CSV: {error}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in ("interval_start", "queue", "forecast"):
        if column not in frame.columns:
            raise click.ClickException(f"{path}: line 1: field {column}: column is missing")
    for column, most, what in (
        ("forecast", MAX_FORECAST, "contacts in one interval"),
        ("aht_seconds", MAX_AHT_SECONDS, "seconds (a day)"),
    ):
        if column in frame.columns:
            values = _numbers(frame[column])
            too_big = np.flatnonzero(
                (values.abs() > most).to_numpy()
            )  # NaN and text are the engine's to name
            if too_big.size:
                raise click.ClickException(
                    f"{path}: line {too_big[0] + 2}, field {column}: "
                    f"{frame[column].iloc[too_big[0]]} is more than {most:g} {what}"
                )
    return frame


def _check_interval(forecast: pd.DataFrame, minutes: float) -> None:
    """--interval-minutes must be the file's own: a 15-minute file read as 7-minute intervals doubled every
    arrival rate (and the agents) without a word.

    It must divide a day, the file's times must lie on its grid, and where a queue has intervals less than a
    day apart the closest two must be exactly that far apart.
    """
    if not (math.isfinite(minutes) and minutes > 0 and minutes == int(minutes) and 1440 % int(minutes) == 0):
        raise click.BadParameter(
            f"{minutes:g} must be a whole number of minutes dividing a day (5, 10, 15, 30, 60 ...)",
            param_hint="--interval-minutes",
        )
    starts = pd.to_datetime(forecast["interval_start"].str.strip(), errors="coerce", format="ISO8601")
    if starts.isna().any():
        return  # the engine names the bad timestamp by line
    off_grid = np.flatnonzero(((starts.dt.hour * 60 + starts.dt.minute) % int(minutes) != 0).to_numpy())
    if off_grid.size:
        raise click.BadParameter(
            f"{minutes:g} does not fit the file: line {off_grid[0] + 2} starts at "
            f"{starts.iloc[off_grid[0]]:%H:%M}",
            param_hint="--interval-minutes",
        )
    queues = forecast["queue"] if "queue" in forecast.columns else pd.Series("", index=forecast.index)
    gap = infer_interval_minutes(pd.DataFrame({"interval_start": starts, "queue": queues}))
    closest = _closest_gap(starts, queues)
    if closest is not None and closest < 1440 and closest != minutes:
        raise click.BadParameter(
            f"{minutes:g} minutes, but the file's intervals are {closest:g} minutes apart "
            f"(mostly {gap:g}); give {closest:g} or leave it out",
            param_hint="--interval-minutes",
        )


def _closest_gap(starts: pd.Series, queues: pd.Series) -> float | None:
    ordered = pd.DataFrame({"q": queues.to_numpy(), "t": starts.to_numpy()}).sort_values(["q", "t"])
    gaps = ordered.groupby("q")["t"].diff().dropna()
    gaps = gaps[gaps > pd.Timedelta(0)]
    return None if gaps.empty else gaps.min().total_seconds() / 60.0


def _numbers(column: pd.Series) -> pd.Series:
    """`pd.to_numeric(column.str.strip(), errors="coerce")`, stripping only the values not read as given
    (700,800 rows: most are plain numbers and the strip cost more than the parse)."""
    values = pd.to_numeric(column, errors="coerce")
    unread = values.isna()
    if unread.any():
        values[unread] = pd.to_numeric(column[unread].str.strip(), errors="coerce")
    return values


def _read_targets(path: Path) -> dict[str, dict]:
    try:
        settings = read_json(path)
    except NotJSON as error:
        raise click.ClickException(f"{path}: {error}") from None
    if not isinstance(settings, dict):
        raise click.ClickException(
            f"{path}: line 1, field (document): must be an object of queue name -> object of settings"
        )
    for queue, entry in settings.items():
        if not isinstance(entry, dict):
            raise click.ClickException(
                f"{path}: queue {queue!r}: field (settings): must be an object of "
                f"settings, got {json.dumps(entry)[:40]}"
            )
    for queue, entry in settings.items():
        unknown = sorted(set(entry) - TARGET_FIELDS - {"aht_seconds"})
        if unknown:
            raise click.ClickException(f"{path}: queue {queue!r}: unknown field {unknown[0]!r}")
        if "aht_seconds" in entry and not _positive_number(entry["aht_seconds"]):
            raise click.ClickException(
                f"{path}: queue {queue!r}: field aht_seconds: must be a number > 0 "
                f"and at most {MAX_AHT_SECONDS}"
            )
    return settings


def _build_target(settings: dict, queue: str, targets_path: Path | None) -> ServiceTarget:
    try:
        return ServiceTarget(**settings)
    except TargetError as error:
        if targets_path is None and error.field in FLAG_FOR_FIELD:
            raise click.BadParameter(
                str(error).split(": ", 1)[1], param_hint=FLAG_FOR_FIELD[error.field]
            ) from None
        where = f"{targets_path}: queue {queue!r}" if targets_path else f"queue {queue!r}"
        raise click.ClickException(f"{where}: field {error}") from None


def _positive_number(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 < value <= MAX_AHT_SECONDS
    )
