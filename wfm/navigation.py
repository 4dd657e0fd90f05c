"""The navigation bar: the pages the signed-in user may open, and nothing else."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user

from wfm.access import may_access

# (label, endpoint); later features add their pages here.
MENU: list[tuple[str, str]] = [
    ("My page", "home.me"),
    ("My schedule", "selfservice.schedule"),
    ("My career", "careers.my_ladder"),
    ("Vacancies", "careers.my_vacancies"),
    ("All ladders", "careers.my_ladders"),
    ("My quality", "careers.my_quality"),
    ("My scorecard", "careers.my_kpis"),
    ("Time off", "selfservice.time_off"),
    ("Swaps", "selfservice.my_swaps"),
    ("My adherence", "intraday.my_adherence"),
    ("Planning", "home.planning"),
    ("Today", "intraday.today"),
    ("Adherence", "intraday.adherence_page"),
    ("Rosters", "rosters.index"),
    ("Inbox", "selfservice.inbox"),
    ("People", "home.people"),
    ("Careers", "careers.index"),
    ("Internal vacancies", "careers.vacancies"),
    ("Training requests", "careers.enrolment_requests"),
    ("Attrition risk", "careers.attrition_risk"),
    ("Quality", "careers.quality_page"),
    ("KPIs", "careers.kpis_page"),
    ("Capacity", "capacity.index"),
    ("Organisation", "admin.index"),
    ("API tokens", "account.tokens_page"),
    ("Password", "auth.change_password_page"),
    ("Change log", "admin.change_log"),
]


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
        items.append({"label": label, "url": url_for(endpoint), "active": active})
    return items
