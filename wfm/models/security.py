"""Security records: API tokens and the change log of every write (who, what, when, before and after)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.accounts import User


class ApiToken(db.Model):
    """A personal token for the JSON API. Only a SHA-256 of the secret is stored; `prefix` identifies it."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class ChangeLog(db.Model):
    """Append-only: one row per inserted, updated or deleted record, written in the same transaction."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(10))  # insert / update / delete
    entity: Mapped[str] = mapped_column(String(60))  # the table name
    entity_id: Mapped[str] = mapped_column(String(60), default="")
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(20), default="")  # web / api / job / cli
    request_id: Mapped[str] = mapped_column(String(40), default="")

    user: Mapped[User | None] = relationship()
