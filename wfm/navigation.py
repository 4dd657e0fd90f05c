"""The navigation bar: the pages the signed-in user may open, and nothing else."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from wfm.access import may_access

# (label, endpoint); later features add their pages here.
MENU: list[tuple[object, str]] = [
    (_l("My page"), "home.me"),
    (_l("My schedule"), "selfservice.schedule"),
    (_l("My career"), "careers.my_ladder"),
    (_l("Vacancies"), "careers.my_vacancies"),
    (_l("All ladders"), "careers.my_ladders"),
    (_l("My quality"), "careers.my_quality"),
    (_l("My scorecard"), "careers.my_kpis"),
    (_l("Time off"), "selfservice.time_off"),
    (_l("Swaps"), "selfservice.my_swaps"),
    (_l("My adherence"), "intraday.my_adherence"),
    (_l("Planning"), "home.planning"),
    (_l("Today"), "intraday.today"),
    (_l("Adherence"), "intraday.adherence_page"),
    (_l("Rosters"), "rosters.index"),
    (_l("Inbox"), "selfservice.inbox"),
    (_l("People"), "home.people"),
    (_l("Careers"), "careers.index"),
    (_l("Internal vacancies"), "careers.vacancies"),
    (_l("Training requests"), "careers.enrolment_requests"),
    (_l("Attrition risk"), "careers.attrition_risk"),
    (_l("Quality"), "careers.quality_page"),
    (_l("KPIs"), "careers.kpis_page"),
    (_l("Capacity"), "capacity.index"),
    (_l("Organisation"), "admin.index"),
    (_l("API tokens"), "account.tokens_page"),
    (_l("Password"), "auth.change_password_page"),
    (_l("Change log"), "admin.change_log"),
]


# How each role is named to a person (the codes stay English in the database and the API).
ROLE_LABELS = {"admin": _l("admin"), "scheduler": _l("scheduler"), "hr": _l("HR"), "agent": _l("agent")}


def role_names(user) -> list[str]:
    return sorted(str(ROLE_LABELS.get(role.value, role.value)) for role in user.roles)


def navigation_for() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = []
    for label, endpoint in MENU:
        view = current_app.view_functions.get(endpoint)
        if view is None or not may_access(current_user, view):
            continue
        blueprint = endpoint.split(".")[0]
        active = request.endpoint is not None and (
            request.endpoint == endpoint
            or (request.blueprint == blueprint and blueprint not in ("home", "selfservice"))
        )
        items.append({"label": str(label), "url": url_for(endpoint), "active": active})
    return items
