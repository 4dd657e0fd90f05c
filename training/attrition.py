"""Headcount and turnover from hire and leaving dates: the figures HR watches, since attrition is what
the career ladders exist to reduce."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from scheduling.text import Sentence


@dataclass(frozen=True)
class Employment:
    """One person's employment period; `leaving_date` is the last day employed (None: still employed)."""

    hire_date: dt.date
    leaving_date: dt.date | None = None
    group: str = ""  # what figures are broken down by (a track, a team, a tenure band...)
    moved: bool = False  # left the centre for another bank department: placed in the bank, not lost

    def __post_init__(self) -> None:
        if self.leaving_date is not None and self.leaving_date < self.hire_date:
            raise ValueError("leaving_date: before hire_date")

    def employed_on(self, day: dt.date) -> bool:
        return self.hire_date <= day and (self.leaving_date is None or day <= self.leaving_date)


@dataclass(frozen=True)
class Turnover:
    start: dt.date
    end: dt.date
    headcount_start: int
    headcount_end: int
    hires: int
    leavers: int  # everyone whose last day in the centre fell in the period: lost plus placed
    placed: int = 0  # of the leavers, those who moved to another bank department

    @property
    def lost(self) -> int:
        """Leavers lost to the bank (they left it, not only the centre)."""
        return self.leavers - self.placed

    @property
    def average_headcount(self) -> float:
        return (self.headcount_start + self.headcount_end) / 2

    @property
    def lost_rate(self) -> float | None:
        """People lost to the bank over average headcount (None when nobody was employed)."""
        if self.average_headcount == 0:
            return None
        return self.lost / self.average_headcount

    @property
    def rate(self) -> float | None:
        """Leavers over average headcount for the period (None when nobody was employed)."""
        if self.average_headcount == 0:
            return None
        return self.leavers / self.average_headcount


def headcount_on(people: Iterable[Employment], day: dt.date) -> int:
    return sum(1 for person in people if person.employed_on(day))


def turnover(people: Sequence[Employment], start: dt.date, end: dt.date) -> Turnover:
    """Turnover over [start, end]: leavers whose last day falls in the period over average headcount."""
    if end < start:
        raise ValueError("end: before start")
    return Turnover(
        start=start,
        end=end,
        headcount_start=headcount_on(people, start),
        headcount_end=headcount_on(people, end),
        hires=sum(1 for p in people if start <= p.hire_date <= end),
        leavers=sum(1 for p in people if p.leaving_date is not None and start <= p.leaving_date <= end),
        placed=sum(
            1 for p in people if p.moved and p.leaving_date is not None and start <= p.leaving_date <= end
        ),
    )


def turnover_by(
    people: Sequence[Employment], start: dt.date, end: dt.date, order: Callable[[str], Any] | None = None
) -> dict[str, Turnover]:
    """Turnover per group, in group order: alphabetical, or by `order` (for example `tenure_rank`)."""
    groups = sorted({p.group for p in people}, key=order)
    return {g: turnover([p for p in people if p.group == g], start, end) for g in groups}


# Bands HR reads attrition by, shortest first (most leavers go in the first year): upper limit in years.
# Sentences: equal to their English words, and the web layer shows them in the reader's language.
TENURE_LIMITS = (
    (0.5, Sentence("under 6 months")),
    (1, Sentence("6–12 months")),
    (2, Sentence("1–2 years")),
    (5, Sentence("2–5 years")),
)
TENURE_BANDS = (*tuple(label for _limit, label in TENURE_LIMITS), Sentence("5 years or more"))


def tenure_band(hire_date: dt.date, on: dt.date) -> str:
    years = (on - hire_date).days / 365.25
    for limit, label in TENURE_LIMITS:
        if years < limit:
            return label
    return TENURE_BANDS[-1]


def tenure_rank(band: str) -> int:
    """A tenure band's place from the shortest to the longest, to sort tables by tenure, not by name."""
    return TENURE_BANDS.index(band)


def grouped(people: Iterable[Employment], key: Callable[[Employment], str]) -> list[Employment]:
    """The same people, regrouped by `key` (for example their tenure band)."""
    return [Employment(p.hire_date, p.leaving_date, key(p), p.moved) for p in people]
