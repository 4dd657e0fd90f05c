"""HR's dashboard figures, as plain numbers: headcount by track and level, who is ready to move up,
certificates about to lapse, and attrition by track and tenure band (the figure the ladders exist for).

Each agent is counted once, in their primary field, at the level they hold there on the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from training.attrition import Employment, Turnover, grouped, tenure_band, turnover_by
from training.catalogue import Catalogue, Track
from training.eligibility import Eligibility, eligibility
from training.expiry import ExpiringCertification, expiring_within
from training.records import AgentRecord


@dataclass(frozen=True)
class ReadyForNext:
    agent_id: str
    field: str
    current_level: int
    next_level: int
    eligibility: Eligibility


def headcount_by_track_and_level(
    records: Iterable[AgentRecord], cat: Catalogue, on: dt.date
) -> dict[str, dict[int, int]]:
    """track -> level -> agents employed on `on` (level 0: in the field but not yet on its ladder).
    Every track appears, even when empty, so charts keep their axes."""
    table: dict[str, dict[int, int]] = {t.value: {} for t in Track}
    for record in records:
        if not record.employed_on(on):
            continue
        track = _track(record, cat)
        level = record.level_on(record.primary_field, on)
        table[track][level] = table[track].get(level, 0) + 1
    return {t: dict(sorted(levels.items())) for t, levels in table.items()}


def headcount_by_field_and_level(
    records: Iterable[AgentRecord], cat: Catalogue, on: dt.date
) -> dict[str, dict[int, int]]:
    """field -> level -> agents employed on `on`, counted in their primary field."""
    table: dict[str, dict[int, int]] = {code: {} for code in cat.fields}
    for record in records:
        if not record.employed_on(on):
            continue
        if record.primary_field not in cat.fields:
            raise ValueError(f"primary_field: unknown field {record.primary_field!r} ({record.agent_id})")
        level = record.level_on(record.primary_field, on)
        table[record.primary_field][level] = table[record.primary_field].get(level, 0) + 1
    return {f: dict(sorted(levels.items())) for f, levels in table.items()}


def ready_for_next_level(records: Iterable[AgentRecord], cat: Catalogue, on: dt.date) -> list[ReadyForNext]:
    """Employed agents eligible on `on` for the next rung of a field they are on (or of their primary
    field)."""
    ready = []
    for record in records:
        if not record.employed_on(on):
            continue
        fields = set(record.levels_on(on)) | {record.primary_field}
        for code in sorted(fields):
            current = record.level_on(code, on)
            nxt = cat.fields[code].ladder.next_after(current)
            if nxt is None:
                continue
            result = eligibility(record, nxt, on, cat)
            if result.eligible:
                ready.append(ReadyForNext(record.agent_id, code, current, nxt.number, result))
    return ready


def certifications_expiring(
    records: Iterable[AgentRecord], on: dt.date, days: int
) -> list[ExpiringCertification]:
    return expiring_within(records, on, days)


def _track(record: AgentRecord, cat: Catalogue) -> str:
    if record.primary_field not in cat.fields:
        raise ValueError(f"primary_field: unknown field {record.primary_field!r} ({record.agent_id})")
    return cat.track_of(record.primary_field).value


def employments(
    records: Iterable[AgentRecord], cat: Catalogue, moved: frozenset[str] = frozenset()
) -> list[Employment]:
    """The records as attrition's employment periods, grouped by track; `moved`: the agents who left for
    another bank department (placed in the bank, not lost to it)."""
    return [Employment(r.hire_date, r.leaving_date, _track(r, cat), r.agent_id in moved) for r in records]


def turnover_by_track(
    records: Sequence[AgentRecord],
    cat: Catalogue,
    start: dt.date,
    end: dt.date,
    moved: frozenset[str] = frozenset(),
) -> dict[str, Turnover]:
    return turnover_by(employments(records, cat, moved), start, end)


def turnover_by_tenure_band(
    records: Sequence[AgentRecord],
    cat: Catalogue,
    start: dt.date,
    end: dt.date,
    moved: frozenset[str] = frozenset(),
) -> dict[str, Turnover]:
    """Turnover by the tenure band people were in when they left (or at `end` when they stayed)."""
    people = employments(records, cat, moved)
    banded = grouped(people, lambda p: tenure_band(p.hire_date, min(p.leaving_date or end, end)))
    return turnover_by(banded, start, end)
