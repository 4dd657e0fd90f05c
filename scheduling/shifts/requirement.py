"""The requirement a shift plan must cover: agents needed per queue per interval, on a whole-day grid.

The grid runs from midnight of the first day to midnight after the last day at one interval length, so
shift starts (minutes after midnight) map onto interval indexes without any searching. Intervals the input
does not mention need nobody. Fractional requirements are rounded up: 19.2 agents needed means 20 agents
on the phones.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from scheduling.textcolumns import matching, stripped
from scheduling.textfile import NotText, read_text

DEFAULT_QUEUE = "all"
MAX_DAYS = 400  # a plan over more than a year is a typo in a date, and its grid would not fit in memory
MAX_AGENTS = 100_000  # agents needed by one queue in one interval: more is a typo (or a count of calls)


class RequirementError(ValueError):
    """The requirement is invalid; the message names the field (and file and line when read from a file)."""


@dataclass(frozen=True)
class Requirement:
    """Agents needed on the phones: `values[q, i]` for queue `queues[q]` in interval `i` from `start`."""

    start: datetime
    interval_minutes: int
    queues: tuple[str, ...]
    values: np.ndarray
    # Days that run the shift templates of another weekday (0 = Monday): a make-up working day (China's
    # 调休) runs those of the working weekday it is forecast like, and is costed as that weekday.
    weekday_of: Mapping[date, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.interval_minutes <= 0 or 1440 % self.interval_minutes:
            raise RequirementError(f"interval_minutes: {self.interval_minutes} must divide a day (1440)")
        if self.start.time() != datetime.min.time():
            raise RequirementError("start: the grid must start at midnight")
        if self.values.shape != (len(self.queues), self.values.shape[1]) or self.values.ndim != 2:
            raise RequirementError("values: expected one row per queue")
        if self.values.shape[1] % self.intervals_per_day:
            raise RequirementError("values: the grid must hold whole days")
        if (self.values < 0).any():
            raise RequirementError("values: requirements must be >= 0")

    @property
    def intervals_per_day(self) -> int:
        return 1440 // self.interval_minutes

    @property
    def n_intervals(self) -> int:
        return int(self.values.shape[1])

    @property
    def days(self) -> list[date]:
        first = self.start.date()
        return [first + timedelta(days=d) for d in range(self.n_intervals // self.intervals_per_day)]

    def weekdays(self) -> list[int]:
        """The weekday each day of the grid is planned as (its own, or the one `weekday_of` gives)."""
        return [self.weekday_of.get(day, day.weekday()) for day in self.days]

    def interval_start(self, index: int) -> datetime:
        return self.start + timedelta(minutes=index * self.interval_minutes)

    def total(self) -> np.ndarray:
        """Agents needed per interval, all queues together."""
        return self.values.sum(axis=0)


def requirement_from_series(
    start: date | datetime, interval_minutes: int, values: Iterable[float], queue: str = DEFAULT_QUEUE
) -> Requirement:
    """A single-queue requirement from consecutive values starting at midnight of `start`."""
    array = np.ceil(np.asarray(list(values), dtype=float) - 1e-9)
    start_dt = datetime.combine(start, datetime.min.time()) if not isinstance(start, datetime) else start
    per_day = 1440 // interval_minutes if interval_minutes > 0 else 1
    padded = np.zeros(math.ceil(len(array) / per_day) * per_day)
    padded[: len(array)] = array
    return Requirement(start_dt, interval_minutes, (queue,), padded.reshape(1, -1))


def requirement_from_records(
    records: Iterable[tuple[datetime, str, float]], interval_minutes: int | None = None
) -> Requirement:
    """Build the whole-day grid from (interval start, queue, agents) records.

    The interval length is the smallest gap between distinct starts unless given. Duplicates and
    misaligned starts raise RequirementError.
    """
    records = list(records)
    if not records:
        raise RequirementError("requirement: no rows")
    stamps = sorted({r[0] for r in records})
    start = datetime.combine(stamps[0].date(), datetime.min.time(), tzinfo=stamps[0].tzinfo)
    if interval_minutes is None:
        # the coarsest grid, aligned at midnight, holding every start
        offsets = [int((stamp - start).total_seconds() // 60) for stamp in stamps]
        interval_minutes = math.gcd(1440, *offsets)
    if interval_minutes <= 0 or 1440 % interval_minutes:
        raise RequirementError(
            f"field 'interval_start': intervals of {interval_minutes} minutes do not divide a day"
        )
    per_day = 1440 // interval_minutes
    n_days = (stamps[-1].date() - stamps[0].date()).days + 1
    if n_days > MAX_DAYS:
        raise RequirementError(
            f"field 'interval_start': {stamps[-1].isoformat()} is {n_days - 1} days after the "
            f"first interval ({stamps[0].isoformat()}); a requirement spans at most {MAX_DAYS} days"
        )
    queues = tuple(sorted({r[1] for r in records}))
    values = np.zeros((len(queues), n_days * per_day))
    seen = set()
    for stamp, queue, value in records:
        offset = (stamp - start).total_seconds() / 60
        if offset % interval_minutes:
            raise RequirementError(
                f"field 'interval_start': {stamp.isoformat()} is not on the {interval_minutes}-minute grid"
            )
        key = (stamp, queue)
        if key in seen:
            raise RequirementError(
                f"field 'interval_start': {stamp.isoformat()} appears twice for queue {queue!r}"
            )
        seen.add(key)
        values[queues.index(queue), int(offset // interval_minutes)] = math.ceil(value - 1e-9)
    return Requirement(start, interval_minutes, queues, values)


def read_requirement_csv(path: str | Path, column: str = "agents") -> Requirement:
    """Read `interval_start,queue,...,<column>,...`; `queue` is optional. Errors name file, line, field."""
    path = Path(path)
    try:
        text = read_text(path)
    except NotText as exc:
        raise RequirementError(f"{path}: line {exc.line}: field 'file': {exc.message}") from None
    clean = _read_clean(text, column)
    return clean if clean is not None else _read_rows(text, path, column)


def _read_rows(text: str, path: Path, column: str) -> Requirement:
    """The file row by row: each problem named by its line and field."""
    records = []
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip() for f in reader.fieldnames or []]
        reader.fieldnames = fields
        for needed in ("interval_start", column):
            if needed not in fields:
                raise RequirementError(f"{path}: line 1: field {needed!r}: column missing (have {fields})")
        try:
            for row in reader:
                line = reader.line_num
                try:
                    stamp = datetime.fromisoformat(row["interval_start"].strip())
                except (ValueError, AttributeError) as exc:
                    raise RequirementError(
                        f"{path}: line {line}: field 'interval_start': "
                        f"{row['interval_start']!r} is not an ISO date-time"
                    ) from exc
                try:
                    value = float(row[column])
                except (TypeError, ValueError) as exc:
                    raise RequirementError(
                        f"{path}: line {line}: field {column!r}: {row[column]!r} is not a number"
                    ) from exc
                if not math.isfinite(value) or value < 0:
                    raise RequirementError(
                        f"{path}: line {line}: field {column!r}: {value} must be a number >= 0"
                    )
                if value > MAX_AGENTS:
                    raise RequirementError(
                        f"{path}: line {line}: field {column!r}: {value:g} is more than "
                        f"{MAX_AGENTS:,} agents in one interval"
                    )
                queue = (row.get("queue") or DEFAULT_QUEUE).strip() or DEFAULT_QUEUE
                records.append((stamp, queue, value, line))
        except csv.Error as exc:
            raise RequirementError(
                f"{path}: line {reader.line_num}: field 'file': not readable as CSV ({exc})"
            ) from None
    if not records:
        raise RequirementError(f"{path}: line 2: field 'interval_start': no requirement rows")
    if len({stamp.tzinfo is None for stamp, *_ in records}) > 1:
        line = next(r[3] for r in records if (r[0].tzinfo is None) != (records[0][0].tzinfo is None))
        raise RequirementError(
            f"{path}: line {line}: field 'interval_start': mixes times with and without a UTC offset"
        )
    try:
        return requirement_from_records([r[:3] for r in records])
    except RequirementError as exc:
        line = _line_for(records, str(exc))
        raise RequirementError(f"{path}: line {line}: {exc}") from exc


_BLANK_LINE = re.compile(r"^\s*$", re.MULTILINE)
_NAIVE_STAMP = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$"


def _read_clean(text: str, column: str) -> Requirement | None:
    """The requirement of a file with nothing wrong in it, read column by column (a year of 15-minute
    intervals for 20 queues: 700,800 rows, which the row-by-row reader takes seconds over); None whenever
    anything is unusual (a missing column or field, a bad or zoned time, a bad number, a duplicate, a start
    off the grid, too long a span), so that the row-by-row reader names the problem's line and field."""
    if _BLANK_LINE.search(text.rstrip("\r\n")):  # pandas skips blank lines the row reader reads as rows
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError):
        return None
    if text.count("\r") != text.count(
        "\r\n"
    ):  # a lone carriage return: line ends the readers may split apart
        return None
    try:
        header = [c.strip() for c in next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]), [])]
    except csv.Error:
        return None
    if [str(c).strip() for c in frame.columns] != header or len(set(header)) < len(header):
        return None  # a column named twice (pandas renames one, the row reader keeps the last) or odd quoting
    frame.columns = header
    if (
        frame.empty
        or "interval_start" not in frame.columns
        or column not in frame.columns
        or frame.isna().to_numpy().any()
    ):
        return None
    stamps_text = stripped(frame["interval_start"])
    if not matching(stamps_text, _NAIVE_STAMP).all():
        return None
    stamps = pd.to_datetime(stamps_text, format="ISO8601", errors="coerce")
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    if (
        stamps.isna().any()
        or not np.isfinite(values).all()
        or (values < 0).any()
        or (values > MAX_AGENTS).any()
    ):
        return None
    queues = (
        stripped(frame["queue"]) if "queue" in frame.columns else pd.Series(DEFAULT_QUEUE, index=frame.index)
    )
    queues = queues.where(queues != "", DEFAULT_QUEUE)
    if pd.DataFrame({"t": stamps, "q": queues}).duplicated().any():
        return None
    start = stamps.min().normalize()
    offsets = ((stamps - start) // pd.Timedelta(minutes=1)).to_numpy(dtype=np.int64)
    interval = math.gcd(1440, *np.unique(offsets).tolist())
    n_days = (stamps.max().normalize() - start).days + 1
    if n_days > MAX_DAYS:
        return None
    names, index = np.unique(queues.to_numpy(dtype=str), return_inverse=True)
    grid = np.zeros((len(names), n_days * (1440 // interval)))
    grid[index, offsets // interval] = np.ceil(values - 1e-9)
    return Requirement(start.to_pydatetime(), interval, tuple(str(n) for n in names), grid)


def _line_for(records: list, message: str) -> int:
    for stamp, _queue, _value, line in reversed(records):
        if stamp.isoformat() in message:
            return line
    return records[0][3]
