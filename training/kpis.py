"""Agent KPIs per day (handle time, first-contact resolution, customer satisfaction): reading an import file
with validation by line and column, and the scorecard's averages against targets.

A file is all or nothing: the first bad line refuses the whole import, naming the line and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

COLUMNS = ("employee_number", "day", "handle_seconds", "fcr", "csat")
# target, and whether higher is better
TARGETS = {"handle_seconds": (300.0, False), "fcr": (75.0, True), "csat": (85.0, True)}
NAMES = {
    "handle_seconds": "Average handle time (seconds)",
    "fcr": "First-contact resolution (%)",
    "csat": "Customer satisfaction (%)",
}


class KpiError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class KpiDay:
    employee_number: str
    day: dt.date
    handle_seconds: float
    fcr: float
    csat: float


def read_csv(text: str) -> list[KpiDay]:
    """Rows of a CSV with the header `COLUMNS`; the first problem refuses the file."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise KpiError(
            "file", f"The file needs the columns {', '.join(COLUMNS)}; missing: {', '.join(missing)}."
        )
    rows = []
    seen = set()
    for number, raw in enumerate(reader, start=2):
        where = f"Line {number}"
        who = (raw["employee_number"] or "").strip()
        if not who:
            raise KpiError("file", f"{where}: the employee number is empty.")
        try:
            day = dt.date.fromisoformat((raw["day"] or "").strip())
        except ValueError:
            raise KpiError("file", f"{where}: the day must be a date such as 2026-03-31.") from None
        values = {}
        for column, (low, high) in (("handle_seconds", (1, 7200)), ("fcr", (0, 100)), ("csat", (0, 100))):
            try:
                value = float((raw[column] or "").strip())
            except ValueError:
                raise KpiError("file", f"{where}: {NAMES[column].lower()} must be a number.") from None
            if not low <= value <= high:
                raise KpiError("file", f"{where}: {NAMES[column].lower()} must be between {low} and {high}.")
            values[column] = value
        if (who, day) in seen:
            raise KpiError("file", f"{where}: a second line for the same agent and day.")
        seen.add((who, day))
        rows.append(KpiDay(who, day, **values))
    return rows


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
