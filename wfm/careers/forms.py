"""Reading the careers forms: each value checked, errors naming the field (shown next to it, in a sentence,
on the form's own page with what was typed kept; see `wfm.careers.blueprint.refusal`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from wfm.errors import FieldError


def text(form: Mapping, name: str, required: bool = True, limit: int = 500) -> str:
    value = (form.get(name) or "").strip()
    if required and not value:
        raise FieldError(name, "This field is required.")
    if len(value) > limit:
        raise FieldError(name, f"At most {limit} characters.")
    return value


def date(form: Mapping, name: str, default: dt.date | None = None) -> dt.date:
    value = (form.get(name) or "").strip()
    if not value and default is not None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(name, "Write a date as YYYY-MM-DD.") from None


def number(
    form: Mapping, name: str, low: float, high: float, required: bool = True, integer: bool = False
) -> float | None:
    value = (form.get(name) or "").strip()
    if not value:
        if required:
            raise FieldError(name, "This field is required.")
        return None
    try:
        parsed = int(value) if integer else float(value)
    except ValueError:
        raise FieldError(name, "Write a whole number." if integer else "Write a number.") from None
    if not low <= parsed <= high:
        raise FieldError(name, f"Between {low:g} and {high:g}.")
    return parsed


def minute(form: Mapping, name: str) -> int:
    value = (form.get(name) or "").strip()
    try:
        hours, minutes = value.split(":")
        result = int(hours) * 60 + int(minutes)
    except ValueError:
        raise FieldError(name, "Write a time as HH:MM, for example 09:30.") from None
    if not 0 <= result <= 1440:
        raise FieldError(name, "A time of day, from 00:00 to 24:00.")
    return result


def code_levels(form: Mapping, name: str) -> dict[str, int]:
    """'english=3, sales=2' -> {'english': 3, 'sales': 2}."""
    out: dict[str, int] = {}
    for part in (form.get(name) or "").split(","):
        part = part.strip()
        if not part:
            continue
        code, _, level = part.partition("=")
        try:
            out[code.strip()] = int(level)
        except ValueError:
            raise FieldError(name, f"“{part}”: write code=number, separated by commas.") from None
    return out


def codes(form: Mapping, name: str) -> list[str]:
    return [c.strip() for c in (form.get(name) or "").split(",") if c.strip()]
