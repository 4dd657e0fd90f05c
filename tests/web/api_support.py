"""Helpers of the API tests: a token per demo role and a client that sends it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from wfm.models import User

ROLE_USERS = {"admin": "admin", "scheduler": "scheduler", "hr": "hr", "agent": "agent"}


class Api:
    """The test client with `Authorization: Bearer` set; never a session cookie."""

    def __init__(self, app, secret: str | None):
        self.client = app.test_client(use_cookies=False)
        self.secret = secret

    def _headers(self, headers: dict | None) -> dict:
        out = dict(headers or {})
        if self.secret is not None:
            out.setdefault("Authorization", f"Bearer {self.secret}")
        return out

    def get(self, path: str, headers: dict | None = None, **kwargs):
        return self.client.get(path, headers=self._headers(headers), **kwargs)

    def post(self, path: str, json=None, headers: dict | None = None, **kwargs):
        return self.client.post(path, json=json, headers=self._headers(headers), **kwargs)

    def open(self, path: str, method: str, **kwargs):
        return self.client.open(path, method=method, headers=self._headers(kwargs.pop("headers", None)), **kwargs)


def make_token(db_session, username: str, **kwargs) -> str:
    from wfm.api.tokens import create_token

    user = db_session.scalar(select(User).where(User.username == username))
    _token, secret = create_token(user, f"tests {username}", **kwargs)
    db_session.commit()
    return secret


@pytest.fixture
def tokens(demo, db_session) -> dict[str, str]:
    return {role: make_token(db_session, username) for role, username in ROLE_USERS.items()}


@pytest.fixture
def api(app, tokens):
    """api(role) -> a client calling as that demo role; api(None) calls without a token."""
    return lambda role: Api(app, tokens[role] if role else None)
