"""Templates from JSON: the `TEMPLATES.json` format of `wfm shifts`, checked field by field.

Format (every key but name, a start and a length is optional)::

    {"templates": [{
        "name": "day",
        "start": "08:00",                      # or "start_window": {"earliest", "latest", "step_minutes"}
        "length_minutes": 480,                 # or "lengths_minutes": [240, 360, 480, 540]
        "days": ["mon", "tue", "wed"],         # weekday names or numbers 0 (Mon) .. 6; default all
        "breaks": [{"name": "lunch", "minutes": 30, "paid": false,
                    "window": ["03:00", "05:00"],      # offsets from the shift start; break lies inside
                    "min_shift_minutes": 360}],        # only shifts at least this long take it
        "cost": 8.5,                           # a fixed cost per shift, or a rule:
                                               # {"per_hour", "night_multiplier", "night": ["22:00","06:00"],
                                               #  "weekend_multiplier", "weekend_days": ["sat","sun"]}
        "queues": ["retail"],                  # skill group: queues it can serve; default all
        "site": "north"}],
     "sites": [{"site": "north", "max_agents": 80, "max_starts_per_interval": 12}]}

Errors raise TemplateError naming the template, the field and, when loaded from a file, the file and the
line where that template begins.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from scheduling.shifts.templates import (
    ALL_DAYS,
    WEEKDAYS,
    BreakRule,
    CostRule,
    ShiftTemplate,
    SiteLimit,
    TemplateError,
)
from scheduling.textfile import NotText, read_text

TEMPLATE_KEYS = {
    "name",
    "start",
    "start_window",
    "length_minutes",
    "lengths_minutes",
    "days",
    "breaks",
    "cost",
    "queues",
    "site",
}


def parse_clock(value, where: str, field_name: str, *, allow_beyond_day: bool = False) -> int:
    """'HH:MM' (or a whole number of minutes) to minutes; hours may pass 24 for offsets."""
    if isinstance(value, bool):
        raise TemplateError(f"{where}, field {field_name!r}: expected 'HH:MM', got {value!r}")
    if isinstance(value, int):
        minutes = value
        if abs(minutes) > 2 * MAX_MINUTES:
            raise TemplateError(f"{where}, field {field_name!r}: {_shown(value)} is not a time of day")
    elif isinstance(value, str) and re.fullmatch(r"\d{1,3}:\d{2}", value.strip()):
        hours, mins = value.strip().split(":")
        if int(mins) >= 60:
            raise TemplateError(f"{where}, field {field_name!r}: minutes above 59 in {value!r}")
        minutes = int(hours) * 60 + int(mins)
    else:
        raise TemplateError(f"{where}, field {field_name!r}: expected 'HH:MM', got {value!r}")
    if minutes < 0 or (not allow_beyond_day and minutes >= 1440):
        raise TemplateError(f"{where}, field {field_name!r}: {value!r} is not a time of day")
    return minutes


MAX_MINUTES = 1440  # no shift, break, step or offset is longer than a day: a bigger value is a typo
MAX_NUMBER = 1e9  # costs and multipliers beyond this are typos, and would swamp the solver's numbers


def _whole(value, where: str, field_name: str, *, minimum: int = 1, maximum: int = MAX_MINUTES) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise TemplateError(
            f"{where}, field {field_name!r}: expected a whole number from {minimum} to {maximum}, "
            f"got {_shown(value)}"
        )
    return value


def _number(value, where: str, field_name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_NUMBER:
        raise TemplateError(
            f"{where}, field {field_name!r}: expected a number from 0 to {MAX_NUMBER:g}, got {_shown(value)}"
        )
    return float(value)


def _shown(value) -> str:
    """The offending value for a message, cut short (a 10,000-digit number is not worth repeating)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_days(value, where: str, field_name: str = "days") -> frozenset[int]:
    if not isinstance(value, list) or not value:
        raise TemplateError(f"{where}, field {field_name!r}: expected a non-empty list of weekdays")
    days = set()
    for item in value:
        if isinstance(item, str) and item.strip().lower()[:3] in WEEKDAYS:
            days.add(WEEKDAYS.index(item.strip().lower()[:3]))
        elif isinstance(item, int) and not isinstance(item, bool) and item in ALL_DAYS:
            days.add(item)
        else:
            raise TemplateError(
                f"{where}, field {field_name!r}: {item!r} is not a weekday (mon..sun or 0..6)"
            )
    return frozenset(days)


def _starts(raw: dict, where: str) -> tuple[int, ...]:
    if ("start" in raw) == ("start_window" in raw):
        raise TemplateError(f"{where}, field 'start': give exactly one of 'start' or 'start_window'")
    if "start" in raw:
        return (parse_clock(raw["start"], where, "start"),)
    window = raw["start_window"]
    if not isinstance(window, dict):
        raise TemplateError(f"{where}, field 'start_window': expected an object")
    earliest = parse_clock(window.get("earliest"), where, "start_window.earliest")
    latest = parse_clock(window.get("latest"), where, "start_window.latest")
    step = _whole(window.get("step_minutes"), where, "start_window.step_minutes")
    if latest < earliest:
        latest += 1440  # a window such as 22:00 .. 02:00 runs past midnight
    return tuple(sorted({minute % 1440 for minute in range(earliest, latest + 1, step)}))


def _lengths(raw: dict, where: str) -> tuple[int, ...]:
    if ("length_minutes" in raw) == ("lengths_minutes" in raw):
        raise TemplateError(
            f"{where}, field 'length_minutes': give exactly one of 'length_minutes' or 'lengths_minutes'"
        )
    if "length_minutes" in raw:
        return (_whole(raw["length_minutes"], where, "length_minutes"),)
    values = raw["lengths_minutes"]
    if not isinstance(values, list) or not values:
        raise TemplateError(f"{where}, field 'lengths_minutes': expected a non-empty list")
    return tuple(sorted({_whole(v, where, "lengths_minutes") for v in values}))


def _break(raw, index: int, where: str) -> BreakRule:
    field_name = f"breaks[{index}]"
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}, field {field_name!r}: expected an object")
    unknown = set(raw) - {"name", "minutes", "paid", "window", "min_shift_minutes"}
    if unknown:
        raise TemplateError(f"{where}, field {field_name!r}: unknown keys {sorted(unknown)}")
    window = raw.get("window")
    if not isinstance(window, list) or len(window) != 2:
        raise TemplateError(
            f"{where}, field '{field_name}.window': expected [from, to] offsets like ['03:00', '05:00']"
        )
    paid = raw.get("paid", True)
    if not isinstance(paid, bool):
        raise TemplateError(f"{where}, field '{field_name}.paid': expected true or false")
    name = raw.get("name", f"break{index + 1}")
    if not isinstance(name, str) or not name:
        raise TemplateError(f"{where}, field '{field_name}.name': expected a non-empty string")
    return BreakRule(
        name=name,
        minutes=_whole(raw.get("minutes"), where, f"{field_name}.minutes"),
        window_start=parse_clock(window[0], where, f"{field_name}.window", allow_beyond_day=True),
        window_end=parse_clock(window[1], where, f"{field_name}.window", allow_beyond_day=True),
        paid=paid,
        min_shift_minutes=_whole(
            raw.get("min_shift_minutes", 0), where, f"{field_name}.min_shift_minutes", minimum=0
        ),
    )


def _cost(raw, where: str) -> CostRule:
    if raw is None:
        return CostRule()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return CostRule(fixed=_number(raw, where, "cost"))
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}, field 'cost': expected a number or an object")
    unknown = set(raw) - {"per_hour", "night_multiplier", "night", "weekend_multiplier", "weekend_days"}
    if unknown:
        raise TemplateError(f"{where}, field 'cost': unknown keys {sorted(unknown)}")
    night = raw.get("night", ["22:00", "06:00"])
    if not isinstance(night, list) or len(night) != 2:
        raise TemplateError(f"{where}, field 'cost.night': expected ['22:00', '06:00']")
    return CostRule(
        per_hour=_number(raw.get("per_hour", 1.0), where, "cost.per_hour"),
        night_multiplier=_number(raw.get("night_multiplier", 1.0), where, "cost.night_multiplier"),
        night_start=parse_clock(night[0], where, "cost.night"),
        night_end=parse_clock(night[1], where, "cost.night"),
        weekend_multiplier=_number(raw.get("weekend_multiplier", 1.0), where, "cost.weekend_multiplier"),
        weekend_days=parse_days(raw.get("weekend_days", ["sat", "sun"]), where, "cost.weekend_days"),
    )


def parse_template(raw, index: int) -> ShiftTemplate:
    """One template from its JSON object (index is its position, used when the name is missing)."""
    if not isinstance(raw, dict):
        raise TemplateError(f"templates[{index}], field 'templates[{index}]': expected an object")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise TemplateError(f"templates[{index}], field 'name': expected a non-empty string")
    where = f"template {name!r}"
    unknown = set(raw) - TEMPLATE_KEYS
    if unknown:
        raise TemplateError(f"{where}, field {sorted(unknown)[0]!r}: unknown key")
    queues = raw.get("queues", [])
    if not isinstance(queues, list) or not all(isinstance(q, str) and q for q in queues):
        raise TemplateError(f"{where}, field 'queues': expected a list of queue names")
    breaks = raw.get("breaks", [])
    if not isinstance(breaks, list):
        raise TemplateError(f"{where}, field 'breaks': expected a list")
    site = raw.get("site", "")
    if not isinstance(site, str):
        raise TemplateError(f"{where}, field 'site': expected a string")
    return ShiftTemplate(
        name=name,
        starts=_starts(raw, where),
        lengths=_lengths(raw, where),
        days=parse_days(raw["days"], where) if "days" in raw else ALL_DAYS,
        breaks=tuple(_break(item, i, where) for i, item in enumerate(breaks)),
        cost=_cost(raw.get("cost"), where),
        queues=frozenset(queues),
        site=site,
    )


def parse_templates(data) -> tuple[list[ShiftTemplate], list[SiteLimit]]:
    """Templates and site limits from the decoded JSON document."""
    if not isinstance(data, dict) or not isinstance(data.get("templates"), list) or not data["templates"]:
        raise TemplateError("field 'templates': expected {\"templates\": [ ... ]} with at least one template")
    templates = [parse_template(raw, i) for i, raw in enumerate(data["templates"])]
    names = [t.name for t in templates]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise TemplateError(f"template {duplicates[0]!r}, field 'name': used more than once")
    limits = []
    if not isinstance(data.get("sites", []), list):
        raise TemplateError("field 'sites': expected a list of site limits")
    for i, raw in enumerate(data.get("sites", [])):
        if not isinstance(raw, dict) or not isinstance(raw.get("site"), str):
            raise TemplateError(f"sites[{i}], field 'site': expected an object with a site name")
        unknown = set(raw) - {"site", "max_agents", "max_starts_per_interval"}
        if unknown:
            raise TemplateError(f"sites[{i}], field {sorted(unknown)[0]!r}: unknown key")
        for key in ("max_agents", "max_starts_per_interval"):
            value = raw.get(key)
            if value is not None and (type(value) is not int or not 0 <= value <= 10**6):
                raise TemplateError(
                    f"sites[{i}], field {key!r}: expected a whole number from 0 to 1000000, "
                    f"got {_shown(value)}"
                )
        limits.append(SiteLimit(raw["site"], raw.get("max_agents"), raw.get("max_starts_per_interval")))
    return templates, limits


def load_templates(path: str | Path) -> tuple[list[ShiftTemplate], list[SiteLimit]]:
    """Read TEMPLATES.json; errors name the file and the line where the failing template starts."""
    path = Path(path)
    try:
        text = read_text(path)
    except NotText as exc:
        raise TemplateError(f"{path}: line {exc.line}: field 'file': {exc.message}") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise TemplateError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    except RecursionError:
        raise TemplateError(f"{path}: line 1: not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # a NaN or Infinity constant, or a number too long to convert
        raise TemplateError(f"{path}: line {_line_of_text(text, str(exc))}: not valid JSON ({exc})") from None
    try:
        return parse_templates(data)
    except TemplateError as exc:
        raise TemplateError(f"{path}: line {_line_of(text, str(exc))}: {exc}") from exc


def _refuse_constant(name: str):
    """JSON has no NaN or Infinity (Python's reader accepts them): refuse them before any check sees one."""
    raise ValueError(f"{name} is not a number JSON allows")


def _line_of_text(text: str, message: str) -> int:
    word = message.split(" ", 1)[0]
    return text.count("\n", 0, text.find(word)) + 1 if word in text else 1


def locate_template_error(path: str | Path, error: Exception) -> str:
    """`error` (naming a template) prefixed with the templates file and the line where that template starts.

    For errors found after loading, e.g. a start that is not on the requirement's interval grid.
    """
    try:
        text = read_text(path)  # read as `load_templates` read it (UTF-8 or GB18030)
    except (OSError, NotText):
        return f"{path}: {error}"
    return f"{path}: line {_line_of(text, str(error))}: {error}"


def _line_of(text: str, message: str) -> int:
    """The line where the template named in `message` starts (1 when it cannot be told)."""
    match = re.match(r"template '([^']*)'", message)
    if match:
        found = re.search(r'"name"\s*:\s*' + re.escape(json.dumps(match.group(1))), text)
        if found:
            return text.count("\n", 0, found.start()) + 1
    match = re.match(r"templates\[(\d+)\]|sites\[(\d+)\]", message)
    return 1 if not match else _nth_object_line(text, message)


def _nth_object_line(text: str, message: str) -> int:
    key = "templates" if message.startswith("templates") else "sites"
    found = re.search(r"\[(\d+)\]", message)
    if found is None:
        return 1
    index = int(found.group(1))
    try:
        data_start = text.index(f'"{key}"')
    except ValueError:
        return 1
    depth, seen = 0, -1
    for offset in range(data_start, len(text)):
        char = text[offset]
        if char == "{":
            if depth == 0:
                seen += 1
                if seen == index:
                    return text.count("\n", 0, offset) + 1
            depth += 1
        elif char == "}":
            depth -= 1
    return 1
