"""Personal API tokens: made once and shown once, stored only as a SHA-256 hash, refused once expired,
revoked or their user is deactivated. State changes flush; the caller commits."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update

from wfm.clock import utcnow
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.formatting import counted
from wfm.models import ApiToken, User

TOKEN_PREFIX = "wfm_"
PREFIX_LENGTH = 12  # what lists show, enough to tell tokens apart; never enough to use one
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most this often per token
MAX_NAME = 80
MAX_DAYS = 366 * 2


class TokenProblem(FieldError):
    """An API token that cannot be made or revoked as asked."""


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    user: User, name: str, expires_in_days: int | None = None, now: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the secret, which is never stored or shown again."""
    name = (name or "").strip()
    if not name:
        raise TokenProblem("name", "give the token a name that says where it is used")
    if len(name) > MAX_NAME or "\x00" in name:
        raise TokenProblem("name", f"a token's name has at most {MAX_NAME} printable characters")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        raise TokenProblem(
            "expires_in_days", f"a token lasts between 1 and {counted(MAX_DAYS, 'day')} (or without end)"
        )
    now = now or utcnow()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_of(secret),
        prefix=secret[:PREFIX_LENGTH],
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


def state_of(token: ApiToken, now: dt.datetime | None = None) -> str:
    now = now or utcnow()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def tokens_of(user_id: int) -> list[ApiToken]:
    return db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def revoke(token: ApiToken, now: dt.datetime | None = None) -> bool:
    """Revoke a token (False when it was revoked already)."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now or utcnow()
    db.session.flush()
    return True


def user_for(secret: str, now: dt.datetime | None = None) -> tuple[User, int] | None:
    """The active user a presented secret belongs to and the token's id, or None (unknown, revoked,
    expired, or the user is inactive).

    The token is read and its last use recorded (at most once a minute) on a connection of its own, before
    the request's session reads anything: a read-only request stays read-only, nothing of the request's
    work is committed early, and on SQLite the session never holds a snapshot older than that write.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    now = now or utcnow()
    table = ApiToken.__table__
    with db.engine.begin() as connection:
        row = connection.execute(
            select(
                table.c.id, table.c.user_id, table.c.expires_at, table.c.revoked_at, table.c.last_used_at
            ).where(table.c.token_hash == hash_of(secret))
        ).first()
        if (
            row is None
            or row.revoked_at is not None
            or (row.expires_at is not None and row.expires_at <= now)
        ):
            return None
        if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
            connection.execute(update(table).where(table.c.id == row.id).values(last_used_at=now))
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return user, row.id
