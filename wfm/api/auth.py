"""Who is calling the JSON API: the user of the `Authorization: Bearer <token>` header, and nobody else.

The API never reads the session cookie: a browser signed in to the pages is anonymous here, so a page
cannot be tricked into calling the API for its user (and the API needs no CSRF token).
"""

from __future__ import annotations

from flask import g, request
from flask_login import AnonymousUserMixin

from wfm.api.tokens import user_for

API_PREFIX = "/api/v1"


def is_api_request() -> bool:
    path = request.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def authenticate() -> None:
    """Make the token's user `current_user` for this request (anonymous without a valid token).

    Flask-Login keeps the request's user in `g._login_user`; filling it first means the session cookie is
    never consulted for API requests.
    """
    secret = bearer_secret()
    found = user_for(secret) if secret else None
    g.api_token_id = found[1] if found else None
    g._login_user = found[0] if found else AnonymousUserMixin()


def forget(_error=None) -> None:
    """teardown_request: the token's user belongs to this request only (an app context outliving the
    request, as in tests or CLI code that makes requests, must not carry it to the next one)."""
    if is_api_request():
        g.pop("_login_user", None)
        g.pop("api_token_id", None)
