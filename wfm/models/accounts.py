"""Users and their roles. An agent user is linked to its Agent record."""

from __future__ import annotations

import datetime as dt
import enum
import secrets

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import DateTime, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from wfm.extensions import db
from wfm.models.organisation import Agent


class Role(enum.StrEnum):
    ADMIN = "admin"
    SCHEDULER = "scheduler"
    HR = "hr"
    AGENT = "agent"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)
    )
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    failed_logins: Mapped[int] = mapped_column(default=0)  # consecutive wrong passwords
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)  # lockout after too many
    # What the session and "keep me signed in" cookies name the user by (Flask-Login's id, `get_id`): a new
    # one ends every session and remember cookie of the user at once (sign-out, new password, deactivation).
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: new_session_token())
    # The language the person reads pages in ("en", "zh_CN"); None: from the browser's Accept-Language.
    language: Mapped[str | None] = mapped_column(String(16))

    agent: Mapped[Agent | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", back_populates="user")

    def get_id(self) -> str:
        """Flask-Login keeps this in the session cookie: the revocable token, never the fixed row id."""
        return self.session_token

    def end_sessions(self) -> None:
        """Every session cookie and "keep me signed in" cookie of the user stops working."""
        self.session_token = new_session_token()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    def set_roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        for role in sorted(wanted - {row.role for row in self.role_rows}):
            self.role_rows.append(UserRole(role=role))

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        primary_key=True,
    )

    user: Mapped[User] = relationship(back_populates="role_rows")
