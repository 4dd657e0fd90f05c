"""What the check's page and the boxes on the roster and publish pages show: plain values, never rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _

from scheduling.text import Sentence
from wfm import charts
from wfm.extensions import db
from wfm.i18n import translate
from wfm.i18n.dates import written
from wfm.models import SimulationCheck
from wfm.rosters import grid_cache
from wfm.simcheck import figures, freshness, notes
from wfm.simcheck.inputs import DEMANDS


def box(check: SimulationCheck | None) -> dict | None:
    """The latest check in brief, for the roster page and the publish confirmation, its sentences in the
    reader's language (the box is a macro imported without the page's context)."""
    if check is None:
        return None
    total = check.totals.get("total", {})
    demand = DEMANDS.get(check.demand, check.demand)
    cells = (
        Sentence("The planned shifts")
        if check.roster_id is None
        else Sentence("Published version %(version)s", version=check.version)
        if check.version
        else Sentence("The working cells")
    )
    span = _span(check)
    made = check.created_at
    return {
        "id": check.id,
        "summary": translate(figures.summary(total)),
        "demand": demand,
        "cells": cells,
        "checked": translate(
            Sentence(
                "%(cells)s against %(demand)s, %(span)s; checked %(made)s UTC.",
                cells=cells,
                demand=demand,
                span=span,
                made=made.strftime("%Y-%m-%d %H:%M") if made else "",
            )
        ),
        "made": made,
        "span": span,
        "stale": [translate(reason) for reason in stale(check)],
    }


def stale(check: SimulationCheck) -> list[str]:
    """`freshness.reasons(check)`, kept under the data revision (`wfm.rosters.grid_cache`): the fingerprints
    are of planning data, which every change of gives a new revision, and recomputing them reads every
    requirement interval of the plan."""
    check_id = check.id
    return grid_cache.kept(
        ("simulation check stale", check_id),
        lambda: freshness.reasons(db.session.get(SimulationCheck, check_id)),
    )


def _span(check: SimulationCheck) -> str:
    last = check.start.date() + dt.timedelta(days=check.days - 1)
    first = check.start.date()
    return written(first, "day") if first == last else f"{written(first, 'day')} – {written(last, 'day')}"


def page(check: SimulationCheck, day: dt.date | None = None) -> dict:
    """The check's page: totals per queue over all its days; rows and a chart per queue for one day (the
    first unless `day` names another of its days)."""
    by_queue: dict[str, list[dict]] = defaultdict(list)
    days: dict[dt.date, int] = {}
    for row in check.intervals:
        start = dt.datetime.fromisoformat(row["interval_start"])
        days[start.date()] = days.get(start.date(), 0) + int(row["short"])
        by_queue[row["queue"]].append({**row, "start": start, "band": _band_points(row)})
    chosen = day if day in days else (min(days) if days else None)
    queues = []
    for name, rows in by_queue.items():
        total = check.totals.get(name, {})
        shown = [r for r in rows if r["start"].date() == chosen]
        queues.append(
            {
                "name": name,
                "rows": shown,
                "chart": _chart(name, shown),
                "summary": figures.summary(total),
                "figures": total,
            }
        )
    return {
        **box(check),
        "replications": check.replications,
        "seed": check.seed,
        "seconds": check.seconds,
        "notes": [notes.readable(note) for note in check.notes or []],
        "queues": queues,
        "days": [{"day": d, "short": days[d]} for d in sorted(days)],
        "day": chosen,
        "plan_id": check.plan_id,
        "roster_id": check.roster_id,
        "interval_minutes": check.interval_minutes,
    }


def _percent(value: float | None) -> float | None:
    return None if value is None else 100 * value


def _chart(name: str, rows: list[dict]):
    if not rows:
        return None
    return charts.render(
        charts.TimeChart(
            times=[r["start"] for r in rows],
            lines=[
                charts.Line(_("promised"), [_percent(r["promised"]) for r in rows], "forecast"),
                charts.Line(_("simulated"), [_percent(r["service_level"]) for r in rows], "actual"),
                charts.Line(_("target"), [_percent(r["target"]) for r in rows], "required", step=True),
            ],
            band=charts.Band(
                _("simulated, 95% band"),
                [r["band"][0] if r["band"] else None for r in rows],
                [r["band"][1] if r["band"] else None for r in rows],
            ),
            title=_("%(queue)s: service level, promised and simulated", queue=name),
            y_label=_("% answered in time"),
        )
    )


def _band_points(row: dict) -> tuple[float, float] | None:
    ci = row.get("service_level_ci")
    return (100 * ci[0], 100 * ci[1]) if ci else None
