"""Fixtures: the web application on SQLite, and on a real PostgreSQL server started for the run where the
database's dialect matters.

A test that uses `app`, `client` or `db_session` runs on SQLite; marked `postgres` (a test, or a module's
`pytestmark`) it runs on PostgreSQL as well. `WFM_TEST_DATABASES=all` runs every such test on both. The
schema is made by the Alembic migrations (never by create_all), once per database per run; after each test
every table is emptied.

Data that takes long to build (the demo centre, a forecast, a plan, a roster) is built once per database
per run through `built(name, build)` and its rows put back before every later test that asks for it: each
test still starts from exactly the rows the build left, at a fraction of the cost.
"""

from __future__ import annotations

import os
import re
import warnings

import pytest
import sqlalchemy as sa

from tests.pg_server import PostgresServer
from tests.redis_server import RedisServer
from wfm import create_app
from wfm.config import TestConfig
from wfm.extensions import db as _db

_postgres = PostgresServer()
_redis = RedisServer()
JOBS_ON_REDIS = os.environ.get("WFM_TEST_REDIS", "").lower() in ("1", "true", "yes")
ALL_ON_POSTGRES = os.environ.get("WFM_TEST_DATABASES", "").lower() == "all"


def pytest_generate_tests(metafunc):
    """SQLite for every test of the app; PostgreSQL too for those marked `postgres` (or all, when asked)."""
    if "database_url" not in metafunc.fixturenames:
        return
    both = ALL_ON_POSTGRES or metafunc.definition.get_closest_marker("postgres") is not None
    metafunc.parametrize(
        "database_url", ["sqlite", "postgresql"] if both else ["sqlite"], indirect=True, scope="session"
    )


def pytest_report_header(config):
    lines = []
    if not _postgres.available:
        lines.append(
            "!!! PostgreSQL binaries (initdb, pg_ctl) not found: "
            "the PostgreSQL half of the suite is SKIPPED !!!"
        )
    else:
        lines.append(f"PostgreSQL: {_postgres.initdb}")
    if not _redis.available:
        lines.append("!!! redis-server not found: the Redis (RQ) half of the job tests is SKIPPED !!!")
    else:
        lines.append(
            f"Redis: {_redis.binary}"
            + (" (WFM_TEST_REDIS=1: every job goes through RQ)" if JOBS_ON_REDIS else "")
        )
    return lines


@pytest.fixture(scope="session")
def postgres_url():
    if not _postgres.available:
        warnings.warn(
            "PostgreSQL binaries not found: skipping the PostgreSQL half of the suite", stacklevel=1
        )
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found")
    admin_url = _postgres.start()
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text("CREATE DATABASE wfm_test"))
    engine.dispose()
    yield _postgres.url_for("wfm_test")
    _postgres.stop()


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'wfm_test.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    application = create_app(Config)
    application.instance_path = str(tmp_path_factory.mktemp("instance"))
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture(scope="session")
def redis_url():
    """A real redis-server for the run (started on first use, stopped at the end)."""
    if not _redis.available:
        warnings.warn("redis-server not found: skipping the Redis (RQ) job tests", stacklevel=1)
        pytest.skip("redis-server not found")
    url = _redis.start()
    yield url
    _redis.stop()


@pytest.fixture
def jobs_on_redis(app, redis_url):
    """Jobs of this test go through RQ on the real Redis (an in-process burst worker runs them at once)."""
    from redis import Redis

    before = app.config.get("REDIS_URL")
    app.config["REDIS_URL"] = redis_url
    yield redis_url
    app.config["REDIS_URL"] = before
    client = Redis.from_url(redis_url)
    client.flushdb()
    client.close()


@pytest.fixture(autouse=True)
def _jobs_on_redis_when_asked(request):
    """WFM_TEST_REDIS=1: every test that uses the app sends its jobs through RQ (CI runs the job tests so)."""
    if JOBS_ON_REDIS and "app" in request.fixturenames:
        request.getfixturevalue("jobs_on_redis")


def _empty_all_tables() -> None:
    _db.session.rollback()
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())


class Snapshot:
    """Every table's rows, to be put back in place of whatever a later test left."""

    def __init__(self, rows: dict[str, list[dict]]) -> None:
        self.rows = rows

    @classmethod
    def take(cls) -> Snapshot:
        _db.session.commit()
        with _db.engine.connect() as connection:
            return cls(
                {
                    table.name: [dict(row) for row in connection.execute(table.select()).mappings()]
                    for table in _db.metadata.sorted_tables
                }
            )

    def restore(self) -> None:
        """Put the rows back; objects the session holds are expired, so they read the restored rows."""
        _empty_all_tables()
        with _db.engine.begin() as connection:
            for table in _db.metadata.sorted_tables:
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])
            if connection.dialect.name == "postgresql":  # the next id follows the restored ones
                for table in _db.metadata.sorted_tables:
                    if (
                        "id" in table.c
                        and table.c.id.autoincrement in (True, "auto")
                        and self.rows[table.name]
                    ):
                        connection.execute(
                            sa.text(
                                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                f'(SELECT max(id) FROM "{table.name}"))'
                            )
                        )
        _db.session.expire_all()


@pytest.fixture(scope="session")
def _snapshots() -> dict:
    return {}


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield app
        _db.session.remove()
        _empty_all_tables()


@pytest.fixture
def built(app_context, _snapshots):
    """built(name, build): run `build()` (which may commit) the first time a name is asked for on this
    database and return what it returned; every later time, put back the rows it left and return the same.

    A name stands for one sequence of builds: ask for it on top of the same `built` names every time, and
    before any fixture of the test writes rows of its own (putting a snapshot back would wipe them). Writes
    in between are caught and refused, except signing in (rows of `user` only)."""
    from sqlalchemy import event

    from wfm.models import User

    wrote: list[str] = []

    def note_writes(session, _context):
        touched = {
            type(o).__name__
            for o in (*session.new, *session.dirty, *session.deleted)
            if not isinstance(o, User)
        }
        wrote.extend(sorted(touched))

    def get(name: str, build):
        if wrote:
            raise AssertionError(
                f"built({name!r}) was asked for after this test wrote {sorted(set(wrote))}: "
                "ask for the fixtures that use `built` first"
            )
        key = (app_context.config["SQLALCHEMY_DATABASE_URI"], name)
        if key in _snapshots:
            snapshot, value = _snapshots[key]
            snapshot.restore()
            return value
        value = build()
        _snapshots[key] = (Snapshot.take(), value)
        wrote.clear()
        return value

    event.listen(_db.session, "after_flush", note_writes)
    yield get
    event.remove(_db.session, "after_flush", note_writes)


@pytest.fixture
def db_session(app_context):
    return _db.session


@pytest.fixture
def client(app_context):
    return app_context.test_client()


@pytest.fixture
def demo(db_session, built):
    """The Tel Aviv demo centre, loaded as `make run --centre tel-aviv` would (once per database and run, for
    today): the tests name its English queues, teams and people."""
    from wfm.demo import organisation

    def load():
        organisation.load(organisation.TEL_AVIV)
        db_session.commit()

    built("demo", load)


@pytest.fixture
def demo_beijing(db_session, built):
    """The Beijing demo centre (`wfm demo`'s default) and its careers, as `wfm demo --no-history` loads them:
    Chinese names of people, teams and queues, China's calendar."""
    from wfm.demo import careers, centres, organisation

    def load():
        organisation.load(centres.named("beijing"))
        db_session.commit()
        careers.load()
        db_session.commit()

    built("demo-beijing", load)


class Browser:
    """A test client that signs in and reads CSRF tokens from pages, as a person's browser would."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path: str) -> str:
        html = self.client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
            r'name="csrf_token" value="([^"]+)"', html
        )
        return match.group(1) if match else ""

    def login(self, username: str, password: str = "demo"):
        token = self.csrf("/login")
        return self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        return self.client.post(path, data=data or {}, **kwargs)


@pytest.fixture
def browser(client):
    return Browser(client)
