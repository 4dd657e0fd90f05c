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


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def security_from_environment(environ=os.environ) -> dict:
    """Security settings from the environment (README, "Security"): lockout, rate limits, cookies.

    `WFM_PRODUCTION=1` or `PREFERRED_URL_SCHEME=https` turns secure cookies and HSTS on by default;
    `SESSION_COOKIE_SECURE` still says the last word either way.
    """
    values: dict = {}
    production = _flag(environ.get("WFM_PRODUCTION", "")) or environ.get("PREFERRED_URL_SCHEME", "") == "https"
    if environ.get("PREFERRED_URL_SCHEME"):
        values["PREFERRED_URL_SCHEME"] = environ["PREFERRED_URL_SCHEME"]
    secure = _flag(environ["SESSION_COOKIE_SECURE"]) if environ.get("SESSION_COOKIE_SECURE") else production
    if secure:
        values.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, SECURITY_HSTS=True)
    elif environ.get("SESSION_COOKIE_SECURE"):
        values.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False, SECURITY_HSTS=False)
    integers = {"LOGIN_MAX_FAILURES": "WFM_LOGIN_MAX_FAILURES", "LOGIN_LOCKOUT_MINUTES": "WFM_LOGIN_LOCKOUT_MINUTES",
                "SESSION_IDLE_MINUTES": "WFM_SESSION_IDLE_MINUTES",
                "SESSION_MAX_HOURS": "WFM_SESSION_MAX_HOURS", "REMEMBER_COOKIE_DAYS": "WFM_REMEMBER_DAYS"}
    for key, name in integers.items():
        if environ.get(name):
            values[key] = int(environ[name])
    if environ.get("WFM_LOGIN_RATE_LIMIT"):
        values["LOGIN_RATE_LIMIT"] = environ["WFM_LOGIN_RATE_LIMIT"]
    if environ.get("RATELIMIT_STORAGE_URI"):
        values["RATELIMIT_STORAGE_URI"] = environ["RATELIMIT_STORAGE_URI"]
    elif environ.get("REDIS_URL"):
        values["RATELIMIT_STORAGE_URI"] = environ["REDIS_URL"]
    if environ.get("RATELIMIT_ENABLED"):
        values["RATELIMIT_ENABLED"] = _flag(environ["RATELIMIT_ENABLED"])
    return values


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
    # Security (README, "Security"; read by security_from_environment)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # on with WFM_PRODUCTION=1, PREFERRED_URL_SCHEME=https or SESSION_COOKIE_SECURE
    SESSION_IDLE_MINUTES = 30  # a session unused this long ends (the cookie's lifetime, renewed on each request)
    SESSION_MAX_HOURS = 12  # and any session ends this long after signing in
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DAYS = 14
    SECURITY_HSTS = False  # Strict-Transport-Security on every response (on with secure cookies)
    LOGIN_MAX_FAILURES = 5  # consecutive wrong passwords before an account is locked
    LOGIN_LOCKOUT_MINUTES = 15
    LOGIN_RATE_LIMIT = "10 per minute"  # sign-in attempts (POST /login) per client address
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"  # REDIS_URL, when set, so that every web process shares the counts
    CHANGELOG_ENABLED = True  # the change log of every write; off only for benchmarks (bench/changelog_overhead.py)
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
        values.update(security_from_environment())
        return values


class TestConfig(Config):
    """Used by the test suite: the database URL is given by the test setup."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing: the suite signs in hundreds of times
    JOBS_INLINE = True  # jobs run at once, in their own app context and session, so tests can check results
    SECRET_KEY = "tests-only-" + secrets.token_hex(8)
    RATELIMIT_ENABLED = False  # the limiter's own tests turn it on
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
