"""The time now, as the database stores it: naive UTC datetimes (every `DateTime` column holds UTC).

One function, kept apart from the models so that views, jobs and operations ask the clock without
importing a model module, and so that a test can see every use of "now" in one name."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Now in UTC, without a time zone (the database's convention)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
