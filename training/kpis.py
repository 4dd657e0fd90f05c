"""Agent KPIs per day (handle time, first-contact resolution, customer satisfaction): reading an import file
with validation by line and column, and the scorecard's averages against targets.

A file is all or nothing: the first bad line refuses the whole import, naming the line and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scheduling.text import Sentence

COLUMNS = ("employee_number", "day", "handle_seconds", "fcr", "csat")
# target, and whether higher is better
TARGETS = {"handle_seconds": (300.0, False), "fcr": (75.0, True), "csat": (85.0, True)}
NAMES = {
    "handle_seconds": "Average handle time (seconds)",
    "fcr": "First-contact resolution (%)",
    "csat": "Customer satisfaction (%)",
}


# each KPI as named inside a sentence ("Line 4: first-contact resolution (%) must be a number.")
NAMES_IN_SENTENCE = {
    "handle_seconds": Sentence("average handle time (seconds)"),
    "fcr": Sentence("first-contact resolution (%)"),
    "csat": Sentence("customer satisfaction (%)"),
}


def where_in(label: str, number: int) -> Sentence:
    """ "Line 5" of a file or "Row 3" of a batch, as a sentence's place."""
    if label == "Line":
        return Sentence("Line %(number)s", number=number)
    return Sentence("Row %(number)s", number=number)


class KpiError(ValueError):
    """A refusal: `field` is the column named (or "file"), `row` the 1-based row of a batch (None: the
    whole file), `message` a sentence for a person that names the line or row."""

    def __init__(self, field: str, message: str, row: int | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.row = row


@dataclass(frozen=True)
class KpiDay:
    employee_number: str
    day: dt.date
    handle_seconds: float
    fcr: float
    csat: float


RANGES = {"handle_seconds": (1, 7200), "fcr": (0, 100), "csat": (0, 100)}


def read_csv(text: str) -> list[KpiDay]:
    """Rows of a CSV with the header `COLUMNS`; the first problem refuses the file."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise KpiError(
            "file",
            Sentence(
                "The file needs the columns %(columns)s; missing: %(missing)s.",
                columns=", ".join(COLUMNS),
                missing=", ".join(missing),
            ),
        )
    return read_rows(reader, "Line", first=2)


def read_rows(raws: Iterable[Mapping], label: str = "Row", first: int = 1) -> list[KpiDay]:
    """Rows (a file's lines or a JSON batch's objects) with the keys `COLUMNS`, numbered from `first` as
    `label` in the messages ("Line 5", "Row 3"); the first problem refuses them all."""
    rows = []
    seen = set()
    for row, raw in enumerate(raws, start=1):
        where = where_in(label, row + first - 1)
        row_read = read_row(raw, where, row)
        if (row_read.employee_number, row_read.day) in seen:
            raise KpiError(
                "day", Sentence("%(where)s: a second line for the same agent and day.", where=where), row
            )
        seen.add((row_read.employee_number, row_read.day))
        rows.append(row_read)
    return rows


def read_row(raw: Mapping, where: Sentence, row: int | None = None) -> KpiDay:
    """One agent's day; a problem is refused naming `where` and the field."""
    who = str(raw.get("employee_number") or "").strip()
    if not who:
        raise KpiError(
            "employee_number", Sentence("%(where)s: the employee number is empty.", where=where), row
        )
    try:
        day = dt.date.fromisoformat(str(raw.get("day") or "").strip())
    except ValueError:
        raise KpiError(
            "day", Sentence("%(where)s: the day must be a date such as 2026-03-31.", where=where), row
        ) from None
    values = {}
    for column, (low, high) in RANGES.items():
        given = raw.get(column)
        try:
            if isinstance(given, bool):
                raise ValueError
            value = float(str("" if given is None else given).strip())
        except ValueError:
            raise KpiError(
                column,
                Sentence("%(where)s: %(kpi)s must be a number.", where=where, kpi=NAMES_IN_SENTENCE[column]),
                row,
            ) from None
        if not low <= value <= high:
            raise KpiError(
                column,
                Sentence(
                    "%(where)s: %(kpi)s must be between %(low)s and %(high)s.",
                    where=where,
                    kpi=NAMES_IN_SENTENCE[column],
                    low=low,
                    high=high,
                ),
                row,
            )
        values[column] = value
    return KpiDay(who, day, **values)


@dataclass(frozen=True)
class Figure:
    kpi: str
    value: float | None
    target: float
    met: bool | None


def scorecard(days: Iterable[KpiDay]) -> list[Figure]:
    """Each KPI's plain average over the days given, against its target."""
    days = list(days)
    out = []
    for kpi, (target, higher) in TARGETS.items():
        if not days:
            out.append(Figure(kpi, None, target, None))
            continue
        value = sum(getattr(d, kpi) for d in days) / len(days)
        out.append(Figure(kpi, round(value, 1), target, value >= target if higher else value <= target))
    return out


def window(days: Iterable[KpiDay], last: dt.date, length: int) -> list[KpiDay]:
    """The days among `days` in the `length` days ending on `last`."""
    first = last - dt.timedelta(days=length - 1)
    return [d for d in days if first <= d.day <= last]


@dataclass(frozen=True)
class Trend:
    """A KPI's average over a span of days (`now`) and over the span before it (`before`), and its target."""

    kpi: str
    now: float | None
    before: float | None
    target: float

    @property
    def better(self) -> bool | None:
        """Whether it moved toward the better side (None: no change, or a span without figures)."""
        if self.now is None or self.before is None or self.now == self.before:
            return None
        return (self.now > self.before) == TARGETS[self.kpi][1]


def trends(days: Iterable[KpiDay], last: dt.date, span: int = 30) -> list[Trend]:
    """Each KPI over the `span` days ending on `last` against the `span` days before."""
    days = list(days)
    now = scorecard(window(days, last, span))
    before = scorecard(window(days, last - dt.timedelta(days=span), span))
    return [Trend(n.kpi, n.value, b.value, n.target) for n, b in zip(now, before, strict=True)]


def weekly(days: Iterable[KpiDay], last: dt.date, weeks: int = 8) -> list[tuple[dt.date, int, list[Figure]]]:
    """(first day, days with figures, the scorecard) of each of the `weeks` weeks ending on `last`, oldest
    first."""
    days = list(days)
    out = []
    for back in range(weeks - 1, -1, -1):
        end = last - dt.timedelta(days=7 * back)
        inside = window(days, end, 7)
        out.append((end - dt.timedelta(days=6), len(inside), scorecard(inside)))
    return out


# Ladder requirements naming a KPI ------------------------------------------------------------------------

REQUIREMENT_DAYS = 30  # a ladder's KPI requirement reads the days up to and including the day checked
# The KPIs a ladder rung may name: words for a person, unit, the range a threshold may take, higher better
REQUIRABLE = {
    "handle_seconds": ("average handle time", " s", (1.0, 7200.0), False),
    "fcr": ("first-contact resolution", "%", (0.0, 100.0), True),
    "csat": ("customer satisfaction", "%", (0.0, 100.0), True),
    "adherence": ("adherence", "%", (0.0, 100.0), True),
}


@dataclass(frozen=True)
class KpiValue:
    """One agent's figure for one KPI on one day; `weight` counts it in the average (adherence is weighted
    by the minutes scheduled that day, the others count each day once)."""

    day: dt.date
    kpi: str
    value: float
    weight: float = 1.0


def kpi_values(day: KpiDay) -> tuple[KpiValue, ...]:
    """An imported day as the values a ladder requirement reads."""
    return tuple(KpiValue(day.day, kpi, getattr(day, kpi)) for kpi in TARGETS)


def kpi_average(values: Iterable[KpiValue], kpi: str, on: dt.date) -> tuple[float | None, int]:
    """(weighted average, days) of `kpi` over the `REQUIREMENT_DAYS` days ending on `on` (None: no day)."""
    first = on - dt.timedelta(days=REQUIREMENT_DAYS - 1)
    inside = [v for v in values if v.kpi == kpi and first <= v.day <= on and v.weight > 0]
    if not inside:
        return None, 0
    total = sum(v.weight for v in inside)
    return round(sum(v.value * v.weight for v in inside) / total, 1), len({v.day for v in inside})


def strictest(kpi: str, one: float, other: float) -> float:
    """Of two thresholds for the same KPI, the harder to meet."""
    return max(one, other) if REQUIRABLE[kpi][3] else min(one, other)


def requirement_met(kpi: str, value: float, need: float) -> bool:
    higher = REQUIRABLE[kpi][3]
    return value >= need if higher else value <= need
