"""What the check's page and the boxes on the roster and publish pages show: plain values, never rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from wfm.models import SimulationCheck
from wfm.simcheck import figures, freshness
from wfm.simcheck.inputs import DEMANDS


def box(check: SimulationCheck | None) -> dict | None:
    """The latest check in brief, for the roster page and the publish confirmation."""
    if check is None:
        return None
    total = check.totals.get("total", {})
    return {
        "id": check.id,
        "summary": figures.summary(total),
        "demand": DEMANDS.get(check.demand, check.demand),
        "made": check.created_at,
        "span": _span(check),
        "stale": freshness.reasons(check),
    }


def _span(check: SimulationCheck) -> str:
    last = check.start.date() + dt.timedelta(days=check.days - 1)
    first = check.start.date()
    return f"{first:%a %d %b}" if first == last else f"{first:%a %d %b} – {last:%a %d %b}"


def page(check: SimulationCheck) -> dict:
    by_queue: dict[str, list[dict]] = defaultdict(list)
    for row in check.intervals:
        start = dt.datetime.fromisoformat(row["interval_start"])
        by_queue[row["queue"]].append({**row, "start": start, "band": _band_points(row)})
    queues = []
    for name, rows in by_queue.items():
        total = check.totals.get(name, {})
        queues.append({"name": name, "rows": rows, "summary": figures.summary(total), "figures": total})
    return {
        **box(check),
        "replications": check.replications,
        "seed": check.seed,
        "seconds": check.seconds,
        "notes": check.notes,
        "queues": queues,
        "plan_id": check.plan_id,
        "roster_id": check.roster_id,
        "interval_minutes": check.interval_minutes,
    }


def _band_points(row: dict) -> tuple[float, float] | None:
    ci = row.get("service_level_ci")
    return (100 * ci[0], 100 * ci[1]) if ci else None
