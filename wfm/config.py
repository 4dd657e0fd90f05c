"""Configuration read from the environment.

`DATABASE_URL` picks the database (an SQLite file in the instance folder when unset); `SECRET_KEY` signs
sessions (generated on first run and kept in the instance folder when unset, never a constant in code);
`REDIS_URL` sends jobs to RQ workers instead of the web process's own threads. Every variable read here is
listed in the README's configuration table.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import ClassVar


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
    production = (
        _flag(environ.get("WFM_PRODUCTION", "")) or environ.get("PREFERRED_URL_SCHEME", "") == "https"
    )
    if environ.get("PREFERRED_URL_SCHEME"):
        values["PREFERRED_URL_SCHEME"] = environ["PREFERRED_URL_SCHEME"]
    secure = _flag(environ["SESSION_COOKIE_SECURE"]) if environ.get("SESSION_COOKIE_SECURE") else production
    if secure:
        values.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, SECURITY_HSTS=True)
    elif environ.get("SESSION_COOKIE_SECURE"):
        values.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False, SECURITY_HSTS=False)
    integers = {
        "LOGIN_MAX_FAILURES": "WFM_LOGIN_MAX_FAILURES",
        "LOGIN_LOCKOUT_MINUTES": "WFM_LOGIN_LOCKOUT_MINUTES",
        "SESSION_IDLE_MINUTES": "WFM_SESSION_IDLE_MINUTES",
        "SESSION_MAX_HOURS": "WFM_SESSION_MAX_HOURS",
        "REMEMBER_COOKIE_DAYS": "WFM_REMEMBER_DAYS",
        "PASSWORD_MIN_LENGTH": "WFM_PASSWORD_MIN_LENGTH",
        "ROSTER_FREEZE_DAYS": "WFM_ROSTER_FREEZE_DAYS",
    }
    for key, name in integers.items():
        if environ.get(name):
            values[key] = _number(name, int, environ, zero_ok=True)
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
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    # Security (README, "Security"; read by security_from_environment)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = (
        False  # on with WFM_PRODUCTION=1, PREFERRED_URL_SCHEME=https or SESSION_COOKIE_SECURE
    )
    SESSION_IDLE_MINUTES = (
        30  # a session unused this long ends (the cookie's lifetime, renewed on each request)
    )
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
    CHANGELOG_ENABLED = (
        True  # the change log of every write; off only for benchmarks (bench/changelog_overhead.py)
    )
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # uploads of history files
    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 12  # and not the username, and hard to guess (wfm.auth.passwords)
    JOBS_INLINE = False  # True: run jobs in the request (tests); else in a background thread or on RQ
    JOBS_THREADS = 1  # in-process runner: jobs at once per web process
    REDIS_URL: str | None = None  # set: jobs go to RQ workers (`wfm worker`) through this Redis
    JOBS_QUEUE = "wfm"  # the RQ queue's name
    JOBS_TIMEOUT = 3600  # seconds an RQ worker lets one job run before stopping it
    JOBS_HEARTBEAT_SECONDS = 5.0  # a running job's sign of life, written this often
    JOBS_STALE_SECONDS = 60.0  # no sign of life for this long: the worker died, the job is marked failed
    LOG_FORMAT = "text"  # "json": one JSON object a line (the gunicorn config and workers default to it)
    LOG_LEVEL = "INFO"
    PROXY_COUNT = 0  # reverse proxies in front (WFM_PROXY_COUNT): trust that many X-Forwarded-* hops
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
        if os.environ.get("REDIS_URL"):
            values["REDIS_URL"] = os.environ["REDIS_URL"]
        for variable, key in (
            ("WFM_QUEUE", "JOBS_QUEUE"),
            ("LOG_FORMAT", "LOG_FORMAT"),
            ("LOG_LEVEL", "LOG_LEVEL"),
        ):
            if os.environ.get(variable):
                values[key] = os.environ[variable]
        for variable, key, kind in (
            ("WFM_JOB_THREADS", "JOBS_THREADS", int),
            ("WFM_JOB_TIMEOUT", "JOBS_TIMEOUT", int),
            ("WFM_JOB_HEARTBEAT", "JOBS_HEARTBEAT_SECONDS", float),
            ("WFM_JOB_STALE_AFTER", "JOBS_STALE_SECONDS", float),
        ):
            if os.environ.get(variable):
                values[key] = _number(variable, kind)
        if os.environ.get("WFM_PROXY_COUNT"):
            values["PROXY_COUNT"] = _number("WFM_PROXY_COUNT", int, zero_ok=True)
        return values


def _number(
    variable: str, kind: type[int] | type[float], environ=os.environ, zero_ok: bool = False
) -> int | float:
    text = environ[variable]
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{variable}: expected a number, got {text!r}") from None
    if value < 0 or (value == 0 and not zero_ok):
        raise ValueError(f"{variable}: must be {'zero or more' if zero_ok else 'above zero'}, got {text!r}")
    return value


def engine_options(database_url: str, environ: dict[str, str] | None = None) -> dict:
    """Connection pooling for PostgreSQL from DB_POOL_SIZE, DB_MAX_OVERFLOW, DB_POOL_RECYCLE, DB_POOL_TIMEOUT.

    Every web process and worker keeps its own pool, so the server's `max_connections` must cover
    (pool size + overflow) x processes. Connections are checked before use (pre-ping) and recycled after
    half an hour, so a restarted server or a proxy that drops idle connections costs no failed request.
    SQLite gets none of this: its file needs no pool.
    """
    if not database_url.startswith("postgresql"):
        return {}
    environ = os.environ if environ is None else environ
    options: dict = {
        "pool_pre_ping": True,
        "pool_size": 5,
        "max_overflow": 10,
        "pool_recycle": 1800,
        "pool_timeout": 30,
    }
    for variable, key in (
        ("DB_POOL_SIZE", "pool_size"),
        ("DB_MAX_OVERFLOW", "max_overflow"),
        ("DB_POOL_RECYCLE", "pool_recycle"),
        ("DB_POOL_TIMEOUT", "pool_timeout"),
    ):
        if environ.get(variable):
            text = environ[variable]
            try:
                options[key] = int(text)
            except ValueError:
                raise ValueError(f"{variable}: expected a whole number, got {text!r}") from None
            if options[key] < 0:
                raise ValueError(f"{variable}: must not be negative, got {text!r}")
    return options


class TestConfig(Config):
    """Used by the test suite: the database URL is given by the test setup."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing: the suite signs in hundreds of times
    JOBS_INLINE = True  # jobs run at once, in their own app context and session, so tests can check results
    SECRET_KEY = "tests-only-" + secrets.token_hex(8)
    RATELIMIT_ENABLED = False  # the limiter's own tests turn it on
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {}
