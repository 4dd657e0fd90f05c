"""China's make-up working days (调休): a weekend day worked to lengthen a holiday is forecast like the
nearest working weekday, and the roster rules count it as a working day, not as part of a weekend."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import holidays
import numpy as np
import pandas as pd
import pytest

from scheduling.forecast import ForecastOptions, forecast
from scheduling.forecast.calendar import build_calendar
from scheduling.roster import Cover, RosterProblem, ShiftType, Staff, evaluate, solve_roster
from scheduling.roster.pricing import cheapest_row, employee_rules
from scheduling.shifts import CostRule, ShiftTemplate, requirement_from_series
from scheduling.shifts.model import build_variants
from tests.scheduling.fixtures.forecast.synthetic import make_history, pattern
from tests.scheduling.test_roster_columns import _random_case, cheapest_by_brute_force

MAKE_UP_SUNDAY = dt.date(2026, 9, 20)  # worked for the National Day week (holidays.China lists it)
MAKE_UP_SATURDAY = dt.date(2026, 10, 10)


def _china_2026() -> holidays.HolidayBase:
    return holidays.China(years=2026)


def test_the_make_up_days_are_the_packages_weekend_workdays():
    china = _china_2026()
    listed = {d for d in china.weekend_workdays if d.year == 2026}
    assert MAKE_UP_SUNDAY in listed
    assert MAKE_UP_SUNDAY.weekday() == 6
    assert MAKE_UP_SATURDAY in listed
    assert MAKE_UP_SATURDAY.weekday() == 5
    calendar = build_calendar("CN", range(2026, 2027))
    assert set(calendar.workdays) == listed
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=k) for k in range(365)]
    assert [d for d in days if calendar.is_working_day(d)] == [d for d in days if china.is_working_day(d)]
    assert not calendar.is_working_day(dt.date(2026, 9, 27))  # an ordinary Sunday
    assert not calendar.is_working_day(dt.date(2026, 10, 1))  # National Day
    # a country without make-up days: weekends and holidays only
    assert build_calendar("DE", range(2026, 2027)).workdays == {}


def test_a_make_up_day_is_forecast_like_the_nearest_working_weekday():
    history = make_history("2026-05-11", "2026-09-13")  # Monday..Saturday open, Sunday closed
    start, days = dt.date(2026, 9, 14), 28
    china = forecast(history, start, days, ForecastOptions(method="seasonal_naive", country="CN"))
    plain = forecast(history, start, days, ForecastOptions(method="seasonal_naive"))

    def day_volume(result, day: dt.date) -> np.ndarray:
        frame = result.frame.set_index("interval_start")["forecast"]
        return np.array([frame.get(pd.Timestamp(day) + pd.Timedelta(hours=h), 0.0) for h in range(24)])

    monday = np.array([pattern(0, h) for h in range(24)])
    friday = np.array([pattern(4, h) for h in range(24)])
    saturday = np.array([pattern(5, h) for h in range(24)])
    assert monday.sum() > 0
    assert not np.array_equal(friday, saturday)
    assert day_volume(plain, MAKE_UP_SUNDAY).sum() == 0  # without the calendar: a closed Sunday
    assert day_volume(china, MAKE_UP_SUNDAY) == pytest.approx(monday)
    assert day_volume(china, MAKE_UP_SATURDAY) == pytest.approx(friday)
    assert day_volume(china, dt.date(2026, 9, 27)).sum() == 0  # the next, ordinary Sunday stays closed
    assert day_volume(china, dt.date(2026, 9, 26)) == pytest.approx(saturday)  # an ordinary Saturday
    assert f"{MAKE_UP_SUNDAY} make-up working day: like a Monday" in "\n".join(china.notes)


def _fortnight(weekend_workdays: frozenset[int]) -> RosterProblem:
    """Two weeks from Monday 14 September 2026: one early shift wanted every working day (weekdays that
    are not holidays, and the make-up Sunday), agents who may work no weekend at all."""
    calendar = build_calendar("CN", range(2026, 2027))
    dates = [dt.date(2026, 9, 14) + dt.timedelta(days=d) for d in range(14)]
    working = [d for d, day in enumerate(dates) if calendar.is_working_day(day)]
    staff = tuple(
        Staff(name, max_consecutive=6, min_consecutive=1, min_days_off=1, max_weekends=0)
        for name in ("ana", "ben")
    )
    return RosterProblem(
        horizon=14,
        shifts=(ShiftType("E", 480, start_minute=8 * 60),),
        staff=staff,
        cover=tuple(Cover(d, "E", 1, 100, 5) for d in working),
        weekend_start=5,
        weekend_workdays=weekend_workdays,
    )


def test_the_roster_rules_count_a_make_up_sunday_as_a_working_day():
    sunday = (MAKE_UP_SUNDAY - dt.date(2026, 9, 14)).days
    problem = _fortnight(frozenset({sunday}))
    assert problem.weekends() == [(5, 5), (12, 13)]  # the make-up Sunday is no part of its weekend
    result = solve_roster(problem, time_limit=10)
    assert result.status == "optimal"
    roster = result.roster
    assert evaluate(problem, roster).violations == []
    covered = {d for days in roster.values() for d, shift in enumerate(days) if shift is not None}
    wanted = {c.day for c in problem.cover}
    assert sunday in wanted
    assert covered == wanted
    weekend_days = {5, 12, 13}
    assert not covered & weekend_days

    # without the make-up day the same agents may not work that Sunday: it is short
    weekend_only = dataclasses.replace(problem, weekend_workdays=frozenset())
    again = solve_roster(weekend_only, time_limit=10).roster
    assert all(days[sunday] is None for days in again.values())


@pytest.mark.parametrize("seed", range(10))
def test_pricing_with_a_one_day_weekend_matches_brute_force(seed):
    """A weekend shortened to one day by a make-up working day is priced as the evaluator counts it."""
    rng = random.Random(seed)
    problem, person = _random_case(rng)
    weekend = rng.choice(problem.weekends() or [(0, 0)])
    problem = dataclasses.replace(problem, weekend_workdays=frozenset({rng.choice(weekend)}))
    ids = list(problem.shift_ids)
    cost = np.array([[rng.uniform(-20, 10) for _ in ids] for _ in range(problem.horizon)])
    weekend_cost = np.array([rng.uniform(-15, 5) for _ in problem.weekends()] or [0.0])
    best = cheapest_by_brute_force(problem, person, cost, weekend_cost)
    found = cheapest_row(employee_rules(problem, person), cost, weekend_cost)
    assert found is not None
    assert found[0] == pytest.approx(best, abs=1e-9) if best != np.inf else found[0] == np.inf


def test_a_make_up_day_runs_the_templates_of_its_weekday_at_weekday_cost():
    """A plan over Saturday 19 and make-up Sunday 20 September with a Monday-to-Friday template that costs
    double at weekends: the Sunday planned as a Monday gets the template's shifts, at the weekday price."""
    requirement = requirement_from_series(dt.date(2026, 9, 19), 60, [2.0] * 48)
    weekdays_only = ShiftTemplate(
        "Day",
        starts=(8 * 60,),
        lengths=(480,),
        days=frozenset(range(5)),
        cost=CostRule(per_hour=1.0, weekend_multiplier=2.0),
    )
    assert build_variants(requirement, [weekdays_only], cyclic=False) == []
    calendar = build_calendar("CN", range(2026, 2027))
    made_up = dataclasses.replace(
        requirement,
        weekday_of={d: calendar.like_weekday(d) for d in requirement.days if d in calendar.workdays},
    )
    assert made_up.weekdays() == [5, 0]
    variants = build_variants(made_up, [weekdays_only], cyclic=False)
    assert {v.day for v in variants} == {1}
    assert {v.cost for v in variants} == {weekdays_only.shift_cost(0, 8 * 60, 480)}
    assert weekdays_only.shift_cost(0, 8 * 60, 480) < weekdays_only.shift_cost(6, 8 * 60, 480)
