"""Dates and times written for the reader's language, by Babel (CLDR), as template filters.

English keeps the compact forms the pages always used ("Mon 07 Dec"); Chinese uses CLDR's own forms
for the same information ("12月7日周一"). Numeric forms (2026-12-07, 14:30) need no filter.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_skeleton, format_time
from flask import Flask
from flask_babel import get_locale

# filter name: (English pattern, Chinese CLDR skeleton or pattern)
FORMS: dict[str, tuple[str, str]] = {
    "day": ("EEE dd MMM", "MMMEd"),  # Mon 07 Dec · 12月7日周一
    "day_year": ("EEE dd MMM yyyy", "yMMMEd"),  # Mon 07 Dec 2026 · 2026年12月7日周一
    "long_date": ("EEEE dd MMMM yyyy", "full"),  # Monday 07 December 2026 · 2026年12月7日星期一
    "month_day": ("dd MMM", "MMMd"),  # 07 Dec · 12月7日
    "weekday": ("EEE", "EEE"),  # Mon · 周一
    "long_weekday": ("EEEE", "EEEE"),  # Monday · 星期一
    "month_year": ("MMMM yyyy", "yMMMM"),  # December 2026 · 2026年12月
}


def _locale():
    return get_locale() or "en"


def _is_chinese(locale) -> bool:
    return getattr(locale, "language", str(locale)[:2]) == "zh"


def written(value: dt.date | dt.datetime | None, form: str) -> str:
    """`value` in the named form for the reader's language; an em dash when there is none."""
    if value is None:
        return "—"
    locale = _locale()
    english, chinese = FORMS[form]
    day = value.date() if isinstance(value, dt.datetime) else value
    if not _is_chinese(locale):
        return format_date(day, english, locale="en")
    if chinese in ("full", "long", "medium", "short"):
        return format_date(day, chinese, locale=locale)
    try:
        return format_skeleton(chinese, day, locale=locale)
    except (KeyError, ValueError):
        return format_date(day, chinese, locale=locale)


def day_time(value: dt.datetime | None) -> str:
    """Day and clock time: "Mon 07 Dec 14:30" · "12月7日周一 14:30"."""
    if value is None:
        return "—"
    return f"{written(value, 'day')} {format_time(value.time(), 'HH:mm', locale='en')}"


def month_day_time(value: dt.datetime | None) -> str:
    """ "07 Dec 14:30" · "12月7日 14:30"."""
    if value is None:
        return "—"
    return f"{written(value, 'month_day')} {format_time(value.time(), 'HH:mm', locale='en')}"


def install(app: Flask) -> None:
    for form in FORMS:
        app.add_template_filter(lambda value, form=form: written(value, form), form)
    app.add_template_filter(day_time, "day_time")
    app.add_template_filter(month_day_time, "month_day_time")
