"""Signing in: one answer for an unknown user and a wrong password, so neither half is revealed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from wfm.extensions import db
from wfm.models import User

WRONG_CREDENTIALS = "Wrong username or password."
DEACTIVATED = "This account is deactivated. Ask an administrator to reactivate it."


class SignInRefused(Exception):
    pass


def authenticate(username: str, password: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None or not user.check_password(password):
        raise SignInRefused(WRONG_CREDENTIALS)
    if not user.active:
        raise SignInRefused(DEACTIVATED)
    user.last_login_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return user
