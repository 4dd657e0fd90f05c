"""Shift templates: what a shift may look like, before the covering model decides how many start.

A template is a family of shifts: one or more start times (a single start or a window with a step), one or
more lengths, the weekdays it may start on, its breaks (each with a placement window relative to the shift
start), its cost rule and the queues its agents can serve. `variants()` expands it into concrete
(start minute, length) pairs; the covering model creates one integer variable per variant and day.

Everything is validated when built, so a bad template fails at load time with its name and field, not
deep inside a solve.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from scheduling.text import Sentence

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = frozenset(range(7))


class TemplateError(ValueError):
    """A template (or site limit) is invalid; the message names the template and the field."""


def _fail(template: str, field_name: str, problem: str) -> TemplateError:
    """The error naming the template and the field; its message a `Sentence` the web layer translates."""
    return TemplateError(
        Sentence(
            "template %(name)s, field %(field)s: %(problem)s",
            name=repr(template),
            field=repr(field_name),
            problem=problem,
        )
    )


@dataclass(frozen=True)
class BreakRule:
    """One break every agent on the shift takes, somewhere inside a window relative to the shift start.

    The break lies entirely inside [window_start, window_end) minutes after the shift start. `paid`
    breaks cost money but still take the agent off the phones; unpaid ones are subtracted from paid time.
    `min_shift_minutes` lets one template carry lengths of which only the longer ones get, say, a lunch.
    """

    name: str
    minutes: int
    window_start: int
    window_end: int
    paid: bool = True
    min_shift_minutes: int = 0

    @property
    def latest_start(self) -> int:
        return self.window_end - self.minutes

    def applies_to(self, length_minutes: int) -> bool:
        return length_minutes >= self.min_shift_minutes


@dataclass(frozen=True)
class CostRule:
    """What one agent on one shift costs.

    By default paid hours (length less unpaid breaks) times `per_hour`; paid minutes at night (between
    `night_start` and `night_end`, minutes of the day, may wrap midnight) are multiplied by
    `night_multiplier`, and minutes on `weekend_days` (0 = Monday) by `weekend_multiplier` (both apply
    together when both hold). `fixed`, when given, replaces all of that with one figure per shift.
    """

    per_hour: float = 1.0
    night_multiplier: float = 1.0
    night_start: int = 22 * 60
    night_end: int = 6 * 60
    weekend_multiplier: float = 1.0
    weekend_days: frozenset[int] = frozenset({5, 6})
    fixed: float | None = None

    def is_night(self, minute_of_day: int) -> bool:
        if self.night_start <= self.night_end:
            return self.night_start <= minute_of_day < self.night_end
        return minute_of_day >= self.night_start or minute_of_day < self.night_end


@dataclass(frozen=True)
class ShiftTemplate:
    """A family of shifts. Starts are minutes after midnight of the start day; lengths are minutes.

    `starts`: every allowed start (a window with a step is expanded into this tuple when loaded).
    `days`: weekdays (0 = Monday) on which a shift may start. `queues`: the queues its agents can serve,
    empty meaning every queue. `site`: the site whose limits apply (see `SiteLimit`).
    """

    name: str
    starts: tuple[int, ...]
    lengths: tuple[int, ...]
    days: frozenset[int] = ALL_DAYS
    breaks: tuple[BreakRule, ...] = ()
    cost: CostRule = field(default_factory=CostRule)
    queues: frozenset[str] = frozenset()
    site: str = ""

    def __post_init__(self) -> None:
        validate_template(self)

    def variants(self) -> list[tuple[int, int]]:
        """Every (start minute, length minutes) pair this template allows."""
        return [(start, length) for start in self.starts for length in self.lengths]

    def breaks_for(self, length_minutes: int) -> tuple[BreakRule, ...]:
        return tuple(rule for rule in self.breaks if rule.applies_to(length_minutes))

    def paid_minutes(self, length_minutes: int) -> int:
        unpaid = sum(rule.minutes for rule in self.breaks_for(length_minutes) if not rule.paid)
        return length_minutes - unpaid

    def shift_cost(self, weekday: int, start: int, length_minutes: int) -> float:
        """Cost of one agent working this variant, starting on `weekday` (0 = Monday)."""
        rule = self.cost
        if rule.fixed is not None:
            return rule.fixed
        factor = rule.per_hour / 60.0
        if rule.night_multiplier == 1.0 and rule.weekend_multiplier == 1.0:
            return factor * self.paid_minutes(length_minutes)
        # Premiums: weight the shift piecewise (weights change only at midnight and night boundaries),
        # then take unpaid breaks off at the shift's average weight.
        total, minute, end = 0.0, start, start + length_minutes
        while minute < end:
            of_day = minute % 1440
            cuts = [1440, rule.night_start, rule.night_end]
            step = min((cut - of_day) % 1440 or 1440 for cut in cuts)
            step = min(step, end - minute)
            weight = rule.night_multiplier if rule.is_night(of_day) else 1.0
            if (weekday + minute // 1440) % 7 in rule.weekend_days:
                weight *= rule.weekend_multiplier
            total += weight * step
            minute += step
        paid_share = self.paid_minutes(length_minutes) / length_minutes
        return factor * total * paid_share


@dataclass(frozen=True)
class SiteLimit:
    """Per-site limits: most agents on shift at once, most shift starts in any one interval."""

    site: str
    max_agents: int | None = None
    max_starts_per_interval: int | None = None

    def __post_init__(self) -> None:
        for name in ("max_agents", "max_starts_per_interval"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise TemplateError(f"site {self.site!r}, field {name!r}: must be a whole number >= 0")


def validate_template(template: ShiftTemplate) -> None:
    """Check a template eagerly; raise TemplateError naming the template and the field."""
    name = template.name
    if not name or not isinstance(name, str):
        raise TemplateError("template: field 'name' must be a non-empty string")
    _check_starts_and_lengths(template)
    if not template.days or not template.days <= ALL_DAYS:
        raise _fail(name, "days", Sentence("must name at least one weekday"))
    _check_breaks(template)
    _check_cost(template)


def _check_starts_and_lengths(template: ShiftTemplate) -> None:
    name = template.name
    if not template.starts:
        raise _fail(name, "start", Sentence("no start time"))
    for start in template.starts:
        if not 0 <= start < 1440:
            raise _fail(
                name, "start", Sentence("%(start)s minutes is not within the day (0..1439)", start=start)
            )
    if not template.lengths:
        raise _fail(name, "length_minutes", Sentence("no length"))
    for length in template.lengths:
        if not isinstance(length, int) or length <= 0:
            raise _fail(
                name,
                "length_minutes",
                Sentence("%(length)s must be a positive whole number of minutes", length=repr(length)),
            )


def _check_breaks(template: ShiftTemplate) -> None:
    """Each break fits its window, the window fits every shift it applies to; no two windows overlap."""
    name = template.name
    for rule in template.breaks:
        field_name = f"breaks[{rule.name}]"
        if rule.minutes <= 0:
            raise _fail(name, field_name, Sentence("length must be positive"))
        if rule.window_start < 0 or rule.window_end - rule.window_start < rule.minutes:
            raise _fail(
                name, field_name, Sentence("window must start at or after the shift start and hold the break")
            )
        for length in template.lengths:
            if rule.applies_to(length) and rule.window_end > length:
                raise _fail(
                    name,
                    field_name,
                    Sentence("window ends after the end of the %(length)s-minute shift", length=length),
                )
    ordered = sorted(template.breaks, key=lambda rule: rule.window_start)
    for first, second in itertools.pairwise(ordered):
        if first.window_end > second.window_start:
            raise _fail(
                name,
                f"breaks[{second.name}]",
                Sentence(
                    "window overlaps the window of break %(other)s (windows must not overlap)",
                    other=repr(first.name),
                ),
            )


def _check_cost(template: ShiftTemplate) -> None:
    name = template.name
    if template.cost.fixed is not None and template.cost.fixed < 0:
        raise _fail(name, "cost", Sentence("must be >= 0"))
    if (
        template.cost.per_hour < 0
        or template.cost.night_multiplier < 0
        or template.cost.weekend_multiplier < 0
    ):
        raise _fail(name, "cost", Sentence("rates and multipliers must be >= 0"))
