"""PLAN.csv: `date,template,start,end,agents,breaks` (ISO date-times; breaks as `start/end` ISO intervals
separated by `;`, each followed by `paid` or `unpaid` in brackets)."""

from __future__ import annotations

import csv
from pathlib import Path

from scheduling.csvcells import safe_cell
from scheduling.shifts.plan import PlanRow, ShiftPlan
from scheduling.textfile import SPREADSHEET_ENCODING

PLAN_COLUMNS = ("date", "template", "start", "end", "agents", "breaks")


def plan_row_record(row: PlanRow) -> dict[str, str | int]:
    breaks = ";".join(
        f"{b.start.isoformat()}/{b.end.isoformat()} [{b.name}, {'paid' if b.paid else 'unpaid'}]"
        for b in row.breaks
    )
    return {
        "date": row.date.isoformat(),
        "template": row.template,
        "start": row.start.isoformat(),
        "end": row.end.isoformat(),
        "agents": row.agents,
        "breaks": breaks,
    }


def write_plan_csv(plan: ShiftPlan, path: str | Path) -> None:
    with Path(path).open("w", newline="", encoding=SPREADSHEET_ENCODING) as handle:
        writer = csv.DictWriter(handle, fieldnames=PLAN_COLUMNS)
        writer.writeheader()
        for row in plan.rows:
            writer.writerow({k: safe_cell(v) for k, v in plan_row_record(row).items()})
