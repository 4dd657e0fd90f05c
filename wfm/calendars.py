"""A site's calendar: the public holidays and make-up working days of its country, for every feature that
needs to know whether a day is worked (shift plans, rosters, time off).

Make-up working days (China's 调休, the `holidays` package's `weekend_workdays`) are weekend days worked to
lengthen a holiday: plans run the shift templates of the working weekday they are forecast like, the roster
rules do not count them as weekend, time off on them is charged. A country the `holidays` package does not
know has no holidays and no make-up days.
"""

from __future__ import annotations

import datetime as dt

from scheduling.forecast.calendar import Calendar, build_calendar
from wfm.models import Site


def site_calendar(site: Site, first: dt.date, last: dt.date) -> Calendar:
    """The calendar of the site's country over the years of [first, last]."""
    try:
        return build_calendar(site.country, range(first.year, last.year + 1))
    except ValueError:
        return Calendar()


def make_up_weekdays(site: Site, days: list[dt.date]) -> dict[dt.date, int]:
    """The make-up working days among `days`, each with the weekday it is planned as (the forecast's)."""
    if not days:
        return {}
    calendar = site_calendar(site, min(days), max(days))
    return {day: calendar.like_weekday(day) for day in days if day in calendar.workdays}
