"""Measured monthly attrition and promotion rates per career field and level, for capacity planning.

From the agents' own records (hire and leaving dates, the levels they held and since when) over a
window: each person contributes the months they spent in a (field, level) during the window (their
exposure); a leaver counts against the level they held when they left, a promotion (a later level in the
same field) against the level they left. Rate = events / person-months, with its standard error
sqrt(events) / person-months (Poisson), so a planner sees how far a rate measured on few people can be
trusted.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from training.records import AgentRecord

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class GroupRates:
    field: str
    level: int
    headcount: int  # employed on the window's last day
    person_months: float
    leavers: int
    promotions: int

    @property
    def attrition(self) -> float:
        return self.leavers / self.person_months if self.person_months > 0 else 0.0

    @property
    def attrition_error(self) -> float:
        return math.sqrt(self.leavers) / self.person_months if self.person_months > 0 else 0.0

    @property
    def promotion_rate(self) -> float:
        return self.promotions / self.person_months if self.person_months > 0 else 0.0


def _level_spans(record: AgentRecord, end: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """(level, first day, last day) the agent held in their primary field, level 0 before any rung."""
    held = sorted((h for h in record.levels if h.field == record.primary_field), key=lambda h: h.since)
    last_day = min(record.leaving_date or end, end)
    changes = [(0, record.hire_date)] + [(h.level, max(h.since, record.hire_date)) for h in held]
    spans = []
    for i, (level, since) in enumerate(changes):
        until = changes[i + 1][1] - dt.timedelta(days=1) if i + 1 < len(changes) else last_day
        until = min(until, last_day)
        if until >= since:
            spans.append((level, since, until))
    return spans


def measured_rates(records: Iterable[AgentRecord], start: dt.date, end: dt.date) -> list[GroupRates]:
    """Rates per (primary field, level) over [start, end], for every group someone was in."""
    exposure: dict[tuple[str, int], float] = {}
    leavers: dict[tuple[str, int], int] = {}
    promotions: dict[tuple[str, int], int] = {}
    headcount: dict[tuple[str, int], int] = {}
    for record in records:
        spans = _level_spans(record, end)
        for i, (level, since, until) in enumerate(spans):
            key = (record.primary_field, level)
            exposure.setdefault(key, 0.0)
            low, high = max(since, start), min(until, end)
            if high >= low:
                exposure[key] += ((high - low).days + 1) / DAYS_PER_MONTH
            is_last = i == len(spans) - 1
            if is_last and record.leaving_date is not None and start <= record.leaving_date <= end:
                leavers[key] = leavers.get(key, 0) + 1
            if not is_last and start <= spans[i + 1][1] <= end and spans[i + 1][0] > level:
                promotions[key] = promotions.get(key, 0) + 1
            if is_last and record.employed_on(end):
                headcount[key] = headcount.get(key, 0) + 1
    return [
        GroupRates(
            field=key[0],
            level=key[1],
            headcount=headcount.get(key, 0),
            person_months=exposure[key],
            leavers=leavers.get(key, 0),
            promotions=promotions.get(key, 0),
        )
        for key in sorted(exposure)
    ]


def first_year_rates(records: Iterable[AgentRecord], start: dt.date, end: dt.date) -> GroupRates:
    """Attrition of people in their first twelve months (the tenure band new hires are in), over the
    window: leavers who left within a year of their hire, per person-month spent in that first year."""
    exposure, leavers = 0.0, 0
    for record in records:
        first_year_end = _add_year(record.hire_date) - dt.timedelta(days=1)
        low = max(record.hire_date, start)
        high = min(first_year_end, record.leaving_date or end, end)
        if high >= low:
            exposure += ((high - low).days + 1) / DAYS_PER_MONTH
        left = record.leaving_date
        if left is not None and start <= left <= end and left <= first_year_end:
            leavers += 1
    return GroupRates(field="", level=0, headcount=0, person_months=exposure, leavers=leavers, promotions=0)


def _add_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
