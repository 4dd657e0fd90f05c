"""One mechanism for access: every view declares who may call it, and a hook checks it on each request.

A view with no declaration is refused (deny by default), and a test walks the URL map so that a route
without a declaration fails the suite. The JSON API (/api/v1) is declared the same way; its caller is the
user of the request's bearer token (never the session), and a refusal there is a 401/403 JSON answer.
Roles are checked here; what data a user may see inside a page (an agent sees only their own) is checked
by the view's query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask, abort, current_app, request
from flask_login import current_user

from wfm.extensions import login_manager
from wfm.models import Role

PUBLIC = "public"  # anyone, logged in or not (login page, health check)
SIGNED_IN = "signed_in"  # any active user

ALLOWED_ATTRIBUTE = "allowed_roles"

# Who may do what, defined once: views write `@roles(*PLANNERS)` and checks `user.has_role(*PLANNERS)`.
ADMINS = (Role.ADMIN,)
PLANNERS = (Role.SCHEDULER, Role.ADMIN)  # forecasts, shift plans, rosters, the inbox, jobs
PEOPLE = (Role.HR, Role.ADMIN)  # careers, training, agents and their skills
AGENTS = (Role.AGENT,)  # an agent's own pages
BACK_OFFICE = (Role.ADMIN, Role.SCHEDULER, Role.HR)  # all but agents: read the organisation and rosters
EVERY_ROLE = (Role.ADMIN, Role.SCHEDULER, Role.HR, Role.AGENT)


def signed_in_agent():
    """The agent the signed-in user is (an agent's own pages); 404 for a user who is no agent."""
    if current_user.agent is None:
        abort(404)
    return current_user.agent


def _mark(view: Callable, allowed) -> Callable:
    setattr(view, ALLOWED_ATTRIBUTE, allowed)
    return view


def public(view: Callable) -> Callable:
    return _mark(view, PUBLIC)


def signed_in(view: Callable) -> Callable:
    return _mark(view, SIGNED_IN)


def roles(*allowed: Role) -> Callable[[Callable], Callable]:
    """Only users holding one of `allowed` may call the view."""
    if not allowed:
        raise ValueError("roles() needs at least one role")
    wanted = frozenset(Role(r) for r in allowed)
    return lambda view: _mark(view, wanted)


def allowed_roles(view: Callable):
    return getattr(view, ALLOWED_ATTRIBUTE, None)


def may_access(user, view: Callable) -> bool:
    allowed = allowed_roles(view)
    if allowed is None:
        return False
    if allowed == PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    return allowed == SIGNED_IN or user.has_role(*allowed)


def enforce_access():
    """before_request hook: refuse what the endpoint's declaration does not allow."""
    if request.endpoint is None:  # no route matched: let Flask answer 404/405
        return None
    if request.endpoint == "static":
        return None
    view = current_app.view_functions[request.endpoint]
    allowed = allowed_roles(view)
    if allowed is None:
        current_app.logger.error("access: endpoint %s declares no roles; refused", request.endpoint)
        abort(403)
    from wfm.api.auth import authenticate, is_api_request  # here: wfm.api's views import this module

    api = is_api_request()
    if api:
        authenticate()
    if allowed == PUBLIC:
        return None
    if not current_user.is_authenticated:
        if api:
            abort(401, description="Send a valid API token: Authorization: Bearer <token>.")
        return login_manager.unauthorized()
    if allowed != SIGNED_IN and not current_user.has_role(*allowed):
        abort(403)
    return None


def undeclared_endpoints(app: Flask) -> Iterable[str]:
    """Endpoints (other than static files) whose views say nothing about who may call them."""
    for endpoint, view in app.view_functions.items():
        if endpoint == "static" or endpoint.endswith(".static"):
            continue
        if allowed_roles(view) is None:
            yield endpoint


def configure_access(app: Flask) -> None:
    app.before_request(enforce_access)
