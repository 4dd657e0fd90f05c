"""Configuration read from the environment.

`DATABASE_URL` picks the database (an SQLite file in the instance folder when unset); `SECRET_KEY` signs
sessions (generated on first run and kept in the instance folder when unset, never a constant in code).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written the usual ways."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance_path: str) -> str:
    """The key kept in the instance folder, made on first use (readable by its owner only)."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class Config:
    """Production defaults; every value can come from the environment."""

    TESTING = False
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by configure_database when unset
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # uploads of history files
    PASSWORD_HASH_METHOD = "scrypt"
    JOBS_INLINE = False  # True: run jobs in the request (tests); else in a background thread
    JOBS_THREADS = 1
    SOLVER = "highs"
    SOLVER_THREADS = 2

    @classmethod
    def from_environment(cls) -> dict:
        values = {}
        if os.environ.get("DATABASE_URL"):
            values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
        if os.environ.get("SECRET_KEY"):
            values["SECRET_KEY"] = os.environ["SECRET_KEY"]
        if os.environ.get("WFM_SOLVER"):
            values["SOLVER"] = os.environ["WFM_SOLVER"]
        if os.environ.get("SESSION_COOKIE_SECURE"):
            values["SESSION_COOKIE_SECURE"] = os.environ["SESSION_COOKIE_SECURE"].lower() in ("1", "true", "yes")
        return values


class TestConfig(Config):
    """Used by the test suite: the database URL is given by the test setup."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing: the suite signs in hundreds of times
    JOBS_INLINE = True  # jobs run at once, in their own app context and session, so tests can check results
    SECRET_KEY = "tests-only-" + secrets.token_hex(8)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
