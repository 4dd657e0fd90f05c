"""Interval history files: parse, validate every line, return all rows or none.

Why all or nothing: a history with a silently dropped day would look like a closed day to the forecast,
and the scheduler would never know. So every problem in the file is collected (not just the first) and
raised together in :class:`HistoryError`, which the web layer shows as a per-line report and the command
line prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import numpy as np
import pandas as pd

from scheduling.textcolumns import matching, numbers, stripped
from scheduling.textfile import NotText, read_text

HISTORY_COLUMNS = ("interval_start", "queue", "offered", "handled", "abandoned", "aht_seconds")
REQUIRED_COLUMNS = ("interval_start", "queue", "offered")
COUNT_COLUMNS = ("offered", "handled", "abandoned")
MIN_INTERVAL, MAX_INTERVAL = 5, 60
# What a contact centre can produce, generously: anything outside is a corrupt file or a unit mistake
# (milliseconds for seconds, a total for an interval, a two-digit year), never a real interval. The bounds
# keep the forecast's arithmetic finite: two intervals of 1e308 contacts overflowed it.
EARLIEST_DAY = dt.date(1990, 1, 1)  # before interval statistics were kept by any centre we import from
MAX_OFFERED = 100_000  # contacts offered to one queue in one interval (5 to 60 minutes)
MAX_AHT_SECONDS = 4 * 3600  # mean handle time of an interval: four hours is a unit mistake already
SLACK = (
    1e-6  # counts may be fractional (coarsened history); handled + abandoned may not exceed offered by more
)
_TIMESTAMP = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file; ``line`` is 1-based (the header is line 1), 0 for the file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class HistoryError(ValueError):
    """Raised with the full list of problems; nothing from the file was accepted."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{len(self.problems)} problem(s): {shown}{more}")


@dataclass(frozen=True)
class IntervalHistory:
    """Volumes per queue and interval.

    ``frame`` columns: ``interval_start`` (datetime64, local time, no zone), ``queue`` (str), ``offered``
    (float), ``handled``, ``abandoned``, ``aht_seconds`` (float, NaN where not given); sorted by queue and
    time, one row per (queue, interval). Intervals absent from the frame had no contacts (or the whole day
    is missing, which the forecast treats alike: no evidence of being open).
    """

    frame: pd.DataFrame
    interval_minutes: int

    @property
    def queues(self) -> list[str]:
        return sorted(self.frame["queue"].unique().tolist())

    @property
    def has_aht(self) -> bool:
        return bool(self.frame["aht_seconds"].notna().any())


def latest_day(today: dt.date | None = None) -> dt.date:
    """The last day history may be dated: tomorrow (history is what happened; a day of slack for zones)."""
    return (today or dt.date.today()) + dt.timedelta(days=1)


def read_interval_csv(
    source: str | Path | io.TextIOBase,
    interval_minutes: int | None = None,
    name: str | None = None,
    latest: dt.date | None = None,
    default_interval: int | None = None,
    encoding: str = "auto",
) -> IntervalHistory:
    """Read and validate an interval history CSV; raise :class:`HistoryError` listing every problem.

    ``interval_minutes`` (5..60, dividing a day) is inferred from the timestamps when not given; a file
    with one row per queue shows no interval, so ``default_interval`` (say the length already stored for
    the queues) is used then, and without it the file is refused rather than guessed at.
    ``name`` is the file name used in problems (defaults to the path). Intervals must lie between
    :data:`EARLIEST_DAY` and ``latest`` (default :func:`latest_day`), inclusive. ``encoding``: one of
    `scheduling.textfile.ENCODINGS` ("auto": UTF-8, else GB18030).
    """
    name = name or (str(source) if isinstance(source, (str, Path)) else "<upload>")
    raw = read_table(source, name, encoding=encoding)
    lines = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    blank = (raw == "").all(axis=1)
    return _validate(raw[~blank], lines[~blank], interval_minutes, name, latest, default_interval)


def read_table(
    source: str | Path | io.IOBase, name: str, sep: str = ",", encoding: str = "auto"
) -> pd.DataFrame:
    """The file as a frame of strings (header stripped), or :class:`HistoryError` naming the file and line.

    Decoding is done here, not by pandas, so a file in another encoding is a problem on its line, not a
    ``UnicodeDecodeError``; a header naming a column twice is refused rather than renamed ``offered.1``.
    """
    try:
        text = read_text(source, encoding)
    except NotText as exc:
        raise HistoryError([Problem(name, exc.line, "file", exc.message)]) from None
    except OSError as exc:
        raise HistoryError([Problem(name, 0, "file", f"cannot read: {exc.strerror or exc}")]) from None
    if not text.strip():
        raise HistoryError([Problem(name, 0, "file", "the file is empty")])
    header = next(csv.reader(io.StringIO(text.splitlines()[0]), delimiter=sep), [])
    names = [c.strip() for c in header]
    repeated = sorted({c for c in names if c and names.count(c) > 1})
    if repeated:
        raise HistoryError([Problem(name, 1, c, "column named more than once") for c in repeated])
    try:
        raw = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise HistoryError([Problem(name, _parser_line(str(exc)), "file", f"cannot read: {exc}")]) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    return raw


def _parser_line(message: str) -> int:
    """The line pandas names in a parser error ('... in line 7, saw 4'), 0 when it names none."""
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 0


def history_from_frame(
    frame: pd.DataFrame,
    interval_minutes: int | None = None,
    name: str = "<frame>",
    latest: dt.date | None = None,
) -> IntervalHistory:
    """Validate an in-memory frame with the file's columns (row ``i`` is reported as line ``i + 2``)."""
    raw = frame.reset_index(drop=True).copy()
    if "interval_start" in raw and pd.api.types.is_datetime64_any_dtype(raw["interval_start"]):
        raw["interval_start"] = raw["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    raw = raw.astype(object).where(raw.notna(), "").astype(str)
    return _validate(raw, pd.Series(np.arange(len(raw)) + 2, index=raw.index), interval_minutes, name, latest)


Flag = Callable[[pd.Series, str, str], None]


def _validate(
    raw: pd.DataFrame,
    lines: pd.Series,
    interval_minutes: int | None,
    name: str,
    latest: dt.date | None = None,
    default_interval: int | None = None,
) -> IntervalHistory:
    problems: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise HistoryError([Problem(name, 1, c, "required column is missing") for c in missing])
    if interval_minutes is not None and not _valid_interval(interval_minutes):
        raise HistoryError(
            [Problem(name, 0, "interval_minutes", f"{interval_minutes} must be 5..60 and divide a day")]
        )

    def flag(mask: pd.Series, field: str, message: str) -> None:
        for line in lines[mask].tolist():
            problems.append(Problem(name, int(line), field, message))

    starts = _checked_starts(raw, latest or latest_day(), flag)
    queue = stripped(raw["queue"])
    flag(queue == "", "queue", "empty")
    frame = _checked_numbers(raw, starts, queue, flag)
    problems += _counts_above_offered(frame, lines, name)

    ok_time = starts.notna()
    flag(ok_time & (starts.dt.second != 0), "interval_start", "seconds must be 0")
    interval_minutes = _interval_length(
        starts, queue, interval_minutes, default_interval, name, problems.append
    )
    if interval_minutes is not None:
        flag(
            ok_time & (starts.dt.hour * 60 + starts.dt.minute) % interval_minutes != 0,
            "interval_start",
            f"not on the {interval_minutes}-minute grid",
        )
    problems += _duplicate_rows(frame, lines, ok_time & (queue != ""), name)
    if len(raw) == 0:
        problems.append(Problem(name, 0, "file", "no data rows"))
    if problems:
        problems.sort(key=lambda p: (p.line, p.field))
        raise HistoryError(problems)
    frame = frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
    assert interval_minutes is not None  # without it every row is a problem above
    return IntervalHistory(frame=frame, interval_minutes=int(interval_minutes))


def _checked_starts(raw: pd.DataFrame, last: dt.date, flag: Flag) -> pd.Series:
    """The interval starts as timestamps (NaT where unreadable); malformed, impossible, too early or
    future ones flagged."""
    text = stripped(raw["interval_start"])
    well_formed = matching(text, _TIMESTAMP)
    flag(~well_formed, "interval_start", "not an ISO local timestamp (YYYY-MM-DDTHH:MM[:SS], no zone)")
    starts = pd.to_datetime(text.where(well_formed), errors="coerce", format="ISO8601")
    flag(well_formed & starts.isna(), "interval_start", "not a valid date and time")
    flag(
        starts.notna() & (starts < pd.Timestamp(EARLIEST_DAY)),
        "interval_start",
        f"before {EARLIEST_DAY.isoformat()}: not history any centre kept",
    )
    flag(
        starts.notna() & (starts >= pd.Timestamp(last + dt.timedelta(days=1))),
        "interval_start",
        f"after {last.isoformat()}: history cannot be dated in the future",
    )
    return starts


def _checked_numbers(raw: pd.DataFrame, starts: pd.Series, queue: pd.Series, flag: Flag) -> pd.DataFrame:
    """The frame of starts, queues and counts (NaN where missing or unreadable); bad counts flagged."""
    frame = pd.DataFrame({"interval_start": starts, "queue": queue})
    for column in HISTORY_COLUMNS[2:]:
        given = raw[column] if column in raw.columns else pd.Series("", index=raw.index)
        values, blank = numbers(given)
        if column == "offered":
            flag(blank, column, "empty")
        flag(~blank & ~np.isfinite(values), column, "not a number >= 0")
        flag(np.isfinite(values) & (values < 0), column, "must be >= 0")
        most = MAX_AHT_SECONDS if column == "aht_seconds" else MAX_OFFERED
        unit = "seconds" if column == "aht_seconds" else "contacts in one interval"
        flag(np.isfinite(values) & (values > most), column, f"more than {most:,} {unit}")
        frame[column] = values.astype(float)
    return frame


def _counts_above_offered(frame: pd.DataFrame, lines: pd.Series, name: str) -> list[Problem]:
    """Rows whose handled or abandoned contacts, alone or together, are more than were offered."""

    def valid(column: str) -> pd.Series:  # NaN where the value is missing or already flagged
        values = frame[column]
        return values.where(np.isfinite(values) & (values >= 0) & (values <= MAX_OFFERED))

    problems = []
    offered = valid("offered")
    handled, abandoned = valid("handled").fillna(0.0), valid("abandoned").fillna(0.0)
    for column, count in (("handled", handled), ("abandoned", abandoned)):
        over = count > offered + SLACK
        for line, value, total in zip(
            lines[over].tolist(), count[over].tolist(), offered[over].tolist(), strict=True
        ):
            problems.append(Problem(name, int(line), column, f"{value:g} is more than offered ({total:g})"))
    both = (
        (handled + abandoned > offered + SLACK)
        & (handled <= offered + SLACK)
        & (abandoned <= offered + SLACK)
    )
    for line, h, a, total in zip(
        lines[both].tolist(),
        handled[both].tolist(),
        abandoned[both].tolist(),
        offered[both].tolist(),
        strict=True,
    ):
        problems.append(
            Problem(
                name,
                int(line),
                "abandoned",
                f"handled ({h:g}) and abandoned ({a:g}) add up to more than offered ({total:g})",
            )
        )
    return problems


def _interval_length(
    starts: pd.Series,
    queue: pd.Series,
    interval_minutes: int | None,
    default_interval: int | None,
    name: str,
    report: Callable[[Problem], None],
) -> int | None:
    """The interval length: the one given, else read off the timestamps' grid (None, reported, when
    they are on none); a file of one interval per queue takes `default_interval` or is refused."""
    ok_time = starts.notna()
    minutes = (starts.dt.hour * 60 + starts.dt.minute)[ok_time]
    if interval_minutes is not None or not len(minutes):
        return interval_minutes
    if not _has_gaps(starts[ok_time], queue[ok_time]):
        # One row per queue: its clock time says nothing about its length (09:00 is on every grid). A
        # guess of 60 minutes would overlap the 15-minute intervals already kept for the queue.
        if default_interval is not None and _valid_interval(default_interval):
            return default_interval
        raise HistoryError(
            [
                Problem(
                    name,
                    0,
                    "interval_minutes",
                    "the file has one interval per queue, which does not show how long "
                    "an interval is; give the interval length",
                )
            ]
        )
    inferred = _infer_interval(minutes.to_numpy(), starts[ok_time], queue[ok_time])
    if inferred is None:
        report(
            Problem(
                name,
                0,
                "interval_start",
                "timestamps are not on a regular 5..60-minute grid "
                "from midnight; give the interval length explicitly",
            )
        )
    return inferred


def _duplicate_rows(frame: pd.DataFrame, lines: pd.Series, keyed: pd.Series, name: str) -> list[Problem]:
    """Every repeat of an interval and queue seen on an earlier line, naming that line."""
    key = frame.loc[keyed, ["interval_start", "queue"]]
    dup = key.duplicated(keep=False)
    if not dup.any():
        return []
    first_line = lines[keyed][dup].groupby([key["interval_start"][dup], key["queue"][dup]]).transform("min")
    return [
        Problem(
            name, int(line), "interval_start", f"duplicate interval and queue (also on line {int(first)})"
        )
        for line, first in zip(lines[keyed][dup].tolist(), first_line.tolist(), strict=True)
        if line != first
    ]


def _has_gaps(starts: pd.Series, queues: pd.Series) -> bool:
    """Some queue has two distinct interval starts (the only evidence of the interval's length)."""
    return bool(
        (
            pd.DataFrame({"q": queues.to_numpy(), "t": starts.to_numpy()})
            .drop_duplicates()
            .groupby("q")["t"]
            .count()
            > 1
        ).any()
    )


def _valid_interval(minutes: int) -> bool:
    return MIN_INTERVAL <= minutes <= MAX_INTERVAL and 1440 % minutes == 0


def _infer_interval(minutes_of_day: np.ndarray, starts: pd.Series, queues: pd.Series) -> int | None:
    """The interval is the largest grid step that fits both the clock times and the gaps between rows.

    Clock minutes alone would call a file holding only :00 and :30 rows a 30-minute file even when the
    gaps between consecutive rows say 15 (say, every other row missing is unlikely, but gaps do say it).
    """
    values = set(np.unique(minutes_of_day).tolist())
    ordered = pd.DataFrame({"q": queues.to_numpy(), "t": starts.to_numpy()}).sort_values(["q", "t"])
    gaps = ordered.groupby("q")["t"].diff().dropna().dt.total_seconds() / 60
    values |= set(np.unique(gaps[(gaps > 0) & (gaps < 1440)].astype(int)).tolist())
    step = reduce(math.gcd, [int(v) for v in values] + [1440])
    for candidate in range(min(step, MAX_INTERVAL), MIN_INTERVAL - 1, -1):
        if step % candidate == 0 and _valid_interval(candidate):
            return candidate
    return None
