"""Words for the codes the roster and shift-plan pages show (solver statuses, hard rules, kinds of change and
of activity, what a plan covers): the codes stay in the data, the API and the CSV; people read these, in
their own language. Registered as template filters by the roster blueprint."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from wfm.i18n.text import label

SOLVER_STATUS = {
    "optimal": _l("optimal"),
    "feasible": _l("feasible"),
    "infeasible": _l("infeasible"),
    "no_solution": _l("no solution"),
    "unbounded": _l("unbounded"),
    "error": _l("error"),
}

# The hard rules of scheduling.roster.evaluate, by their codes.
RULES = {
    "pinned": _l("pinned cell"),
    "horizon": _l("days of the roster"),
    "unknown_shift": _l("unknown shift"),
    "day_off": _l("day off"),
    "not_allowed": _l("shift not allowed"),
    "max_shifts": _l("max shifts"),
    "max_minutes": _l("max minutes"),
    "min_minutes": _l("min minutes"),
    "max_week_minutes": _l("max week minutes"),
    "min_week_minutes": _l("min week minutes"),
    "cannot_follow": _l("cannot follow"),
    "max_consecutive": _l("max consecutive"),
    "min_consecutive": _l("min consecutive"),
    "min_days_off": _l("min days off"),
    "max_weekends": _l("max weekends"),
}

# Kinds of roster change (RosterChange.kind).
CHANGES = {
    "generate": _l("generate"),
    "edit": _l("edit"),
    "activity": _l("activity"),
    "reoptimise": _l("reoptimise"),
    "publish": _l("publish"),
    "blocks": _l("blocks"),
    "offer": _l("offer"),
    "swap": _l("swap"),
    "time off": _l("time off"),
}

# Kinds of activity put into shifts (operations.ACTIVITY_KINDS), and training from the career side.
ACTIVITIES = {
    "meeting": _l("meeting"),
    "coaching": _l("coaching"),
    "offline work": _l("offline work"),
    "training": _l("training"),
}

# Weekday names in the reader's language (wfm.models.WEEKDAYS holds the English ones the API reads).
WEEKDAYS = [
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
]


def weekday_name(index: int) -> str:
    return str(WEEKDAYS[index])


def short_weekday(index: int, english: str) -> str:
    """A weekday's shortest name: `english` as the page always wrote it ("Mo"), CLDR's in Chinese ("周一")."""
    from babel.dates import get_day_names
    from flask_babel import get_locale

    locale = get_locale()
    if locale is None or locale.language != "zh":
        return english
    return get_day_names("abbreviated", locale=locale)[index]


# What a shift plan covers (its settings' "column").
PLAN_COLUMNS = {"scheduled_agents": _l("scheduled agents"), "agents": _l("agents")}

# The soft-cost parts of a roster's objective (scheduling.roster.evaluate), by their keys.
COST_PARTS = {
    "cover": _l("cover"),
    "requests": _l("requests"),
    "fairness": _l("fairness"),
    "stability": _l("stability"),
}


def solver_status(code: object) -> str:
    return label(SOLVER_STATUS, code)


def rule(code: object) -> str:
    """A hard rule's code ("max_consecutive") or its spaced form ("max consecutive") in words."""
    return label(RULES, str(code).replace(" ", "_") if code is not None else None)


def change_kind(code: object) -> str:
    return label(CHANGES, code)


def activity_kind(code: object) -> str:
    return label(ACTIVITIES, code)


def cost_part(code: object) -> str:
    return label(COST_PARTS, code)


def plan_column(code: object) -> str:
    return label(PLAN_COLUMNS, code)


def install(blueprint: Blueprint) -> None:
    for name, function in (
        ("solver_status", solver_status),
        ("rule_label", rule),
        ("change_kind", change_kind),
        ("activity_kind", activity_kind),
        ("cost_part", cost_part),
        ("plan_column", plan_column),
    ):
        blueprint.add_app_template_filter(function, name)
