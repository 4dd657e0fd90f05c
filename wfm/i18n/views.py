"""The language switch on every page: a signed-in person's choice is stored; anyone else's is kept in
the session."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, session
from flask_login import current_user

from wfm.access import public
from wfm.i18n.languages import LANGUAGES, SESSION_KEY

blueprint = Blueprint("language", __name__)


@blueprint.post("/language")
@public
def choose():
    chosen = request.form.get("language", "")
    if chosen not in LANGUAGES:
        abort(400)
    session[SESSION_KEY] = chosen
    if current_user.is_authenticated:
        from wfm.i18n.operations import store_language

        store_language(current_user, chosen)
    return redirect(_same_site(request.form.get("next") or request.referrer or "/"))


def _same_site(target: str) -> str:
    """Only a path on this site: never an address elsewhere (an open redirect)."""
    parts = urlsplit(target)
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    return path + (f"?{parts.query}" if parts.query else "")
