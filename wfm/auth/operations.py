"""Signing in, with account lockout, and one answer for every refusal that would reveal an account.

An unknown user, a wrong password and a locked account all get `WRONG_CREDENTIALS`: an attacker cannot
tell which usernames exist, nor whether guessing has locked one. After `LOGIN_MAX_FAILURES` consecutive
wrong passwords the account is locked for `LOGIN_LOCKOUT_MINUTES`; during the lockout even the right
password is refused (with the same words), so guessing gains nothing. A success resets the count. Only
a deactivated account is told so, and only after the right password: its holder knows it exists.

The lockout and the unlock are logged in the change log (the failed-login count is an ordinary column
of user_account); the caller commits even when the sign-in is refused, so the count is kept.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from wfm.clock import utcnow
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.models import User
from wfm.names import fold


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; it is translated where it is shown."""
    return message


# English as the constants; the sign-in page shows them in the reader's language (the catalogue).
WRONG_CREDENTIALS = N_(
    "Wrong username or password, or the account is locked for a while after too many wrong passwords."
)
DEACTIVATED = N_("This account is deactivated. Ask an administrator to reactivate it.")


class SignInRefused(Exception):
    pass


def find_user(username: str) -> User | None:
    """The user with that name regardless of case. SQL's lower() is enough for ASCII names; other names
    are compared folded in Python (SQLite's lower() leaves "Ü" alone; see wfm.names)."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is not None or username.isascii():
        return user
    wanted = fold(username)
    found = next(
        (i for i, name in db.session.execute(select(User.id, User.username)) if fold(name) == wanted), None
    )
    return db.session.get(User, found) if found is not None else None


def _spend_a_hash_check(password: str) -> None:
    """As long as a real check, so the answer's timing does not tell an unknown or locked account apart."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    decoy = _DECOYS.get(method)
    if decoy is None:
        decoy = _DECOYS[method] = generate_password_hash("not a password", method=method)
    check_password_hash(decoy, password)


_DECOYS: dict[str, str] = {}


def is_locked(user: User, now: dt.datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def authenticate(username: str, password: str) -> User:
    """The user, signed in (last_login_at set); else SignInRefused. Flushes the failed-login bookkeeping."""
    user = find_user(username)
    now = utcnow()
    if user is None or is_locked(user, now):
        _spend_a_hash_check(password)
        raise SignInRefused(_(WRONG_CREDENTIALS))
    if not user.check_password(password):
        _count_failure(user, now)
        raise SignInRefused(_(WRONG_CREDENTIALS))
    if not user.active:
        raise SignInRefused(_(DEACTIVATED))
    user.failed_logins, user.locked_until = 0, None
    user.last_login_at = now
    db.session.flush()
    return user


def _count_failure(user: User, now: dt.datetime) -> None:
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + dt.timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
        user.failed_logins = 0
        current_app.logger.warning(
            "sign-in: account %s locked until %s after repeated wrong passwords",
            user.username,
            user.locked_until.isoformat(timespec="seconds"),
        )
    db.session.flush()


def unlock(user: User) -> None:
    """An administrator lifts a lockout (and clears the count of wrong passwords)."""
    user.locked_until, user.failed_logins = None, 0
    db.session.flush()


def sign_out_everywhere(user: User) -> None:
    """Signing out ends the user's sessions and "keep me signed in" cookies on every browser."""
    user.end_sessions()
    db.session.flush()


class PasswordChangeRefused(FieldError):
    """A new password refused, or the current one wrong: the field and why."""


WRONG_CURRENT_PASSWORD = N_("That is not your current password.")


def change_password(user: User, current: str, new: str, repeat: str) -> None:
    """A user's own new password: the current one first, then the policy; every other session ends.

    A wrong current password counts as a failed sign-in (so a borrowed session cannot guess at it without
    locking the account); the caller commits even when the change is refused, to keep that count.
    """
    from wfm.auth import passwords

    now = utcnow()
    if is_locked(user, now):
        raise PasswordChangeRefused(
            "current", _("Your account is locked for a while after too many wrong passwords.")
        )
    if not user.check_password(current or ""):
        _count_failure(user, now)
        raise PasswordChangeRefused("current", _(WRONG_CURRENT_PASSWORD))
    if new != repeat:
        raise PasswordChangeRefused("repeat", _("The two new passwords differ."))
    if user.check_password(new):
        raise PasswordChangeRefused("new", _("Choose a password other than your current one."))
    try:
        passwords.check(new, username=user.username, display_name=user.display_name, email=user.email)
    except passwords.PasswordRefused as refusal:
        raise PasswordChangeRefused("new", str(refusal)) from refusal
    user.failed_logins = 0
    user.set_password(new)
    user.end_sessions()
    db.session.flush()
