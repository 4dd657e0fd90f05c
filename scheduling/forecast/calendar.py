"""Public holidays, their eves and user-defined special days: which days to learn from, and how to
forecast a day that is not ordinary.

A holiday is forecast like the weekday whose usual volume is closest to what past holidays showed
(the same holiday by name when the history holds it, else all past holidays pooled), or as closed when
history shows it closed. With no holiday in the history at all, it is taken to be like the quietest
weekday (closed if that weekday is closed): public holidays usually look like the weekend. Eves (the day
before a holiday) are learnt the same way from past eves, and stay ordinary days until history has one.

Make-up working days (China's 调休: a Saturday or Sunday worked to make a holiday longer, which the
`holidays` package lists as `weekend_workdays`) are working days: forecast like the nearest working weekday
(a make-up Sunday like a Monday, a make-up Saturday like a Friday), kept out of the learning of ordinary
weekends, and counted as working days by `Calendar.is_working_day` (which rostering and time off use). Any
country whose `holidays` class lists such days gets the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays as holidays_lib
import numpy as np
import pandas as pd

from scheduling.text import Sentence

CLOSED_SHARE = 0.02  # a day with under 2% of an average open day's volume counts as closed


@dataclass(frozen=True)
class SpecialDay:
    """A day the scheduler knows is unusual: ``uplift`` multiplies the forecast; ``like`` copies the
    intraday volume of another (past) date; ``closed`` forecasts nothing."""

    day: date
    uplift: float = 1.0
    like: date | None = None
    closed: bool = False
    name: str = ""

    def __post_init__(self) -> None:
        if not (self.uplift >= 0):
            raise ValueError(f"uplift: {self.uplift} must be >= 0 (special day {self.day})")
        if self.like is not None and self.like >= self.day:
            raise ValueError(f"like: {self.like} must be before the special day {self.day}")


@dataclass(frozen=True)
class Calendar:
    """Holidays and eves by date (with names), user special days by date, make-up working days (weekend days
    that are working days, by date) and the country's weekend (weekdays, 0 = Monday)."""

    holidays: dict[date, str] = field(default_factory=dict)
    eves: dict[date, str] = field(default_factory=dict)
    special: dict[date, SpecialDay] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)
    weekend: frozenset[int] = frozenset({5, 6})

    def unusual(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Rows that are not ordinary days (kept out of the learning of ordinary days)."""
        keys = set(self.holidays) | set(self.eves) | set(self.special) | set(self.workdays)
        return np.array([d.date() in keys for d in dates], dtype=bool)

    def is_working_day(self, day: date, weekend: frozenset[int] | set[int] | None = None) -> bool:
        """Not a public holiday, and either not on the weekend (`weekend`, default the country's) or a
        make-up working day."""
        if day in self.holidays:
            return False
        return day.weekday() not in (self.weekend if weekend is None else weekend) or day in self.workdays

    def like_weekday(self, day: date) -> int:
        """The working weekday a make-up working day is forecast like: the nearest one, the day before
        first (a Saturday like a Friday, a Sunday like a Monday where the weekend is Saturday and Sunday)."""
        weekday = day.weekday()
        for step in range(1, 7):
            for candidate in ((weekday - step) % 7, (weekday + step) % 7):
                if candidate not in self.weekend:
                    return candidate
        return weekday  # a week that is all weekend: the day itself


def build_calendar(
    country: str | None,
    years: range,
    special_days: tuple[SpecialDay, ...] = (),
    subdivision: str | None = None,
) -> Calendar:
    """Holidays of ``country`` (ISO code, as the ``holidays`` package knows it) over ``years``."""
    found: dict[date, str] = {}
    workdays: dict[date, str] = {}
    weekend = frozenset({5, 6})
    if country:
        try:
            table = holidays_lib.country_holidays(country, subdiv=subdivision, years=list(years))
        except NotImplementedError as exc:
            raise ValueError(
                f"country: {country!r} is not a country code the holidays package knows"
            ) from exc
        found = dict(table)
        weekend = frozenset(getattr(table, "weekend", weekend))
        workdays = {
            d: "make-up working day"
            for d in sorted(getattr(table, "weekend_workdays", ()))
            if d.year in years and d not in found
        }
    eves = {
        d - timedelta(days=1): f"eve of {name}"
        for d, name in found.items()
        if d - timedelta(days=1) not in found
    }
    return Calendar(
        holidays=found,
        eves=eves,
        special={s.day: s for s in special_days},
        workdays=workdays,
        weekend=weekend,
    )


@dataclass(frozen=True)
class DayPlan:
    """How each target day is forecast: as an ordinary ``act_weekday`` (0 = Monday) times ``factor``,
    or ``closed``, or copied from history row ``like_row`` (-1 when not) times ``factor``."""

    act_weekday: np.ndarray
    factor: np.ndarray
    closed: np.ndarray
    like_row: np.ndarray
    notes: list[str]


def plan_days(
    targets: pd.DatetimeIndex,
    calendar: Calendar,
    dates: pd.DatetimeIndex,
    values: np.ndarray,
    usable: np.ndarray,
) -> DayPlan:
    """Decide, for each target date, which weekday's pattern it follows (see the module docstring).

    ``dates``/``values``/``usable`` are the history as known at the forecast origin.
    """
    n = len(targets)
    act = targets.day_of_week.to_numpy().copy()
    factor, closed, like_row = np.ones(n), np.zeros(n, dtype=bool), np.full(n, -1)
    notes: list[str] = []
    totals = np.nansum(values, axis=1)
    level = _weekday_levels(totals, dates.day_of_week.to_numpy(), usable)
    open_level = level[level > 0].mean() if (level > 0).any() else 0.0
    row_of = {d.date(): i for i, d in enumerate(dates)}
    for i, ts in enumerate(targets):
        day = ts.date()
        if day in calendar.special:
            special = calendar.special[day]
            factor[i] = special.uplift
            closed[i] = special.closed
            if special.like is not None:
                if special.like not in row_of or not np.isfinite(values[row_of[special.like]]).all():
                    raise ValueError(f"like: {special.like} (special day {day}) is not in the history")
                like_row[i] = row_of[special.like]
            continue
        if day in calendar.workdays and day not in calendar.holidays:
            act[i] = calendar.like_weekday(day)
            notes.append(
                Sentence(
                    "%(day)s make-up working day: like a %(weekday)s",
                    day=day.isoformat(),
                    weekday=Sentence(_WEEKDAYS[act[i]]),
                )
            )
            continue
        for kind, table in (("holiday", calendar.holidays), ("eve", calendar.eves)):
            if day not in table:
                continue
            same = [row_of[d] for d, name in table.items() if name == table[day] and d in row_of and d < day]
            pooled = [row_of[d] for d in table if d in row_of and d < day]
            rows = [r for r in (same or pooled) if np.isfinite(values[r]).all()]
            if rows:
                ratios = [
                    totals[r] / level[dates[r].day_of_week] for r in rows if level[dates[r].day_of_week] > 0
                ]
                expected = float(np.median(ratios)) * level[act[i]] if ratios else 0.0
                if expected < CLOSED_SHARE * open_level:
                    closed[i] = True
                else:
                    act[i] = int(np.argmin(np.abs(np.log(np.maximum(level, 1e-9)) - np.log(expected))))
                how = "closed" if closed[i] else f"like a {_WEEKDAYS[act[i]]}"
                notes.append(f"{day} {table[day]}: {how} (from {len(rows)} past {kind}(s))")
            elif kind == "holiday":
                act[i] = int(np.argmin(level))
                closed[i] = level[act[i]] < CLOSED_SHARE * open_level
                how = "closed" if closed[i] else f"like a {_WEEKDAYS[act[i]]}"
                notes.append(f"{day} {table[day]}: {how} (no past holiday in history; quietest weekday)")
            break
    return DayPlan(act_weekday=act, factor=factor, closed=closed, like_row=like_row, notes=notes)


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekday_levels(
    totals: np.ndarray, weekday: np.ndarray, usable: np.ndarray, weeks: int = 8
) -> np.ndarray:
    """Mean usable daily total per weekday over the last ``weeks`` occurrences (0 where none)."""
    level = np.zeros(7)
    for w in range(7):
        rows = np.flatnonzero((weekday == w) & usable)[-weeks:]
        if len(rows):
            level[w] = float(np.mean(totals[rows]))
    return level
