"""Small helpers for reading requests, shared by the views."""

from __future__ import annotations

import datetime as dt

from flask import request


def date_argument(name: str) -> dt.date | None:
    """A YYYY-MM-DD query argument, or None when absent or not a date (pages then show their default)."""
    value = request.args.get(name)
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
