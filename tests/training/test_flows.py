"""Measured attrition and promotion rates per field and level, against a hand count of person-months."""

import datetime as dt

import pytest

from training.flows import DAYS_PER_MONTH, measured_rates
from training.records import AgentRecord, LevelHeld

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def record(agent: str, hired: dt.date, levels=(), left: dt.date | None = None) -> AgentRecord:
    return AgentRecord(
        agent, hired, "service", tuple(LevelHeld("service", n, d) for n, d in levels), leaving_date=left
    )


def months(first: dt.date, last: dt.date) -> float:
    return ((last - first).days + 1) / DAYS_PER_MONTH


def test_leavers_and_promotions_count_against_the_level_they_left():
    people = [
        record("stays", dt.date(2025, 1, 1), [(1, dt.date(2025, 1, 1))]),
        record("promoted", dt.date(2025, 1, 1), [(1, dt.date(2025, 1, 1)), (2, dt.date(2026, 7, 1))]),
        record("leaves", dt.date(2025, 6, 1), [(1, dt.date(2025, 6, 1))], left=dt.date(2026, 3, 31)),
        record("left before", dt.date(2024, 1, 1), [(1, dt.date(2024, 1, 1))], left=dt.date(2025, 6, 30)),
    ]
    rates = {(r.field, r.level): r for r in measured_rates(people, START, END)}
    level_one = rates[("service", 1)]
    expected = months(START, END) + months(START, dt.date(2026, 6, 30)) + months(START, dt.date(2026, 3, 31))
    assert level_one.person_months == pytest.approx(expected)
    assert (level_one.leavers, level_one.promotions, level_one.headcount) == (1, 1, 1)
    assert level_one.attrition == pytest.approx(1 / expected)
    assert level_one.attrition_error == pytest.approx(1 / expected)
    level_two = rates[("service", 2)]
    assert level_two.person_months == pytest.approx(months(dt.date(2026, 7, 1), END))
    assert (level_two.leavers, level_two.promotions, level_two.headcount) == (0, 0, 1)


def test_first_year_attrition_counts_only_the_first_twelve_months_of_tenure():
    from training.flows import first_year_rates

    people = [
        record("new, left", dt.date(2026, 3, 1), left=dt.date(2026, 5, 31)),  # left in month 3 of tenure
        record("new, stays", dt.date(2026, 7, 1)),
        record("veteran left", dt.date(2020, 1, 1), left=dt.date(2026, 6, 30)),  # not a newcomer
        record("second year", dt.date(2025, 6, 1)),  # first year ends 2026-05-31
    ]
    rates = first_year_rates(people, START, END)
    expected = (
        months(dt.date(2026, 3, 1), dt.date(2026, 5, 31))
        + months(dt.date(2026, 7, 1), END)
        + months(START, dt.date(2026, 5, 31))
    )
    assert rates.person_months == pytest.approx(expected)
    assert rates.leavers == 1
