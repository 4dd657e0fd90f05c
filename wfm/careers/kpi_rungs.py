"""For HR's ladder page: each rung that names KPI thresholds, with the agents one level below it (those it
is the next step for) and each one's figure over the last 30 days against each threshold, read as the
eligibility check reads it (`training.kpis.kpi_average`, no figure: not met)."""

from __future__ import annotations

import datetime as dt

from training.catalogue import Level
from training.kpis import kpi_average, requirement_met
from wfm.careers.store import records_of
from wfm.careers.talent import employed


def rung_figures(levels: list[Level], field_code: str, on: dt.date) -> list[dict]:
    """Per rung with thresholds: `level`, and `agents`: name, agent id and, per KPI of the rung in its
    order, (figure or None, met)."""
    asking = [lv for lv in levels if lv.kpis]
    if not asking:
        return []
    agents = employed(on)
    by_id = {str(a.id): a for a in agents}
    records = records_of(agents)
    out = []
    for lv in asking:
        rows = []
        for record in records:
            if record.level_on(field_code, on) != lv.number - 1 or (
                lv.number == 1 and not _on(record, field_code)
            ):
                continue
            figures = []
            for kpi, need in lv.kpis.items():
                value, _days = kpi_average(record.kpis, kpi, on)
                figures.append((value, value is not None and requirement_met(kpi, value, need)))
            agent = by_id[record.agent_id]
            rows.append({"name": agent.name, "agent_id": agent.id, "figures": figures})
        rows.sort(key=lambda r: r["name"])
        out.append({"level": lv, "agents": rows})
    return out


def _on(record, field_code: str) -> bool:
    """A first rung is the next step only for agents whose main field it is."""
    return record.primary_field == field_code
