"""The data revision: a token that changes, in the same transaction, with every write of planning data, so
figures computed from the database (a roster's rule evaluation and cover) can be kept per process and
reused while the token is the same, and are never served after a change.

How: an engine listener sees every statement once it has run (the ORM's flushes, Core inserts, updates and
deletes run through a session or a connection, raw SQL alike). The first write of a transaction to a table
that can feed a page's figures is followed by setting `data_revision.token` to a new random value, in that
transaction: the change and the new token commit (or roll back) together. After, not before: the write
takes the database's locks where it always did (the token's row is locked only by a writer). Readers read
the token before anything else, so the figures they compute are at least as new as the token they are
filed under.

The token is random, not a counter, so a database put back to an earlier state (a backup, a test snapshot)
brings back that state's own token, never one that a cache filed other figures under.

Tables left out (`UNPLANNED_TABLES`) feed no figures and are written on reads, sign-ins and in the
background: logs (change log, audit, career workflow and reminder logs), notices (notifications, what an
agent has seen), credentials (API tokens, calendar feeds) and job bookkeeping (status, progress,
heartbeat; a job's results are written to their own tables). Everything else counts, user accounts
included (pages show people's names), so a sign-in makes the caches compute afresh once.
"""

from __future__ import annotations

import re
import uuid

from flask import Flask
from sqlalchemy import TextClause, Update, event, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlalchemy.sql.dml import UpdateBase

from wfm.extensions import db
from wfm.models.revision import DataRevision

UNPLANNED_TABLES = frozenset(
    {
        "change_log",
        "audit_entry",
        "career_workflow_log",
        "career_reminder_sent",
        "notification",
        "schedule_seen",
        "api_token",
        "calendar_feed",
        "job",
        # the day's actuals and adherence arrive every minute and feed no cached planning figure
        "queue_actual",
        "agent_state_event",
        "adherence_day",
    }
)
# Bookkeeping columns no page shows: an update of only these (a sign-in) leaves the token alone.
QUIET_COLUMNS = {
    "user_account": frozenset({"last_login_at", "failed_logins", "locked_until", "session_token"})
}
_TABLE = DataRevision.__tablename__
SKIP = "wfm_skip_data_revision"  # an execution option: statements that leave the token alone (migrations)
_BUMPED = "wfm_data_revision_bumped"  # in the connection's info: this transaction has a new token already
_WRITING_SQL = re.compile(r"^\s*(insert|update|delete|replace|truncate|merge|alter|drop|create)\b", re.I)


def _writes_planning_data(statement, multiparams) -> bool:
    """Whether `statement` may change rows that figures are computed from (unknown writes count)."""
    if isinstance(statement, UpdateBase):
        name = getattr(statement.table, "name", None)
        return (
            name != _TABLE
            and name not in UNPLANNED_TABLES
            and not _quiet_update(name, statement, multiparams)
        )
    if isinstance(statement, TextClause):
        statement = statement.text
    if isinstance(statement, str):
        return bool(_WRITING_SQL.match(statement))
    return isinstance(statement, ExecutableDDLElement)


def _quiet_update(name: str, statement, multiparams) -> bool:
    """An UPDATE that sets only `QUIET_COLUMNS` of its table (the ORM names the row's id `<table>_id`)."""
    quiet = QUIET_COLUMNS.get(name)
    if not quiet or not isinstance(statement, Update):
        return False
    keys = set(statement.compile().params)
    for row in multiparams or ():
        keys |= set(row) if isinstance(row, dict) else {"?"}
    keys -= {f"{name}_id", "id_1"}
    return bool(keys) and keys <= quiet


def _after_execute(conn: Connection, statement, multiparams, _params, options, _result):
    if conn.info.get(_BUMPED) or options.get(SKIP) or not _writes_planning_data(statement, multiparams):
        return
    conn.info[_BUMPED] = True
    conn.execute(update(DataRevision.__table__).values(token=new_token()))


def _transaction_over(conn: Connection, *_args) -> None:
    conn.info.pop(_BUMPED, None)


def _returned_to_pool(_dbapi_connection, record) -> None:
    record.info.pop(_BUMPED, None)


def _reset(_dbapi_connection, record, _reset_state) -> None:
    record.info.pop(_BUMPED, None)


def new_token() -> str:
    return uuid.uuid4().hex


def current() -> str | None:
    """The committed (or this transaction's own) token; None when the table has not exactly one row, and then
    nothing may be cached. Read it before the figures it keys."""
    tokens = db.session.scalars(select(DataRevision.token).limit(2)).all()
    return tokens[0] if len(tokens) == 1 else None


def after_migrations(conn: Connection) -> None:
    """A new token once the migrations have run (they may have changed data), when the table exists."""
    if inspect(conn).has_table(_TABLE):
        conn.execute(update(DataRevision.__table__).values(token=new_token()))


def install(app: Flask) -> None:
    """Listen on the app's engine (once per engine)."""
    with app.app_context():
        engine = db.engine
    if event.contains(engine, "after_execute", _after_execute):
        return
    event.listen(engine, "after_execute", _after_execute)
    for name in ("commit", "rollback", "rollback_savepoint"):
        event.listen(engine, name, _transaction_over)
    event.listen(engine.pool, "checkin", _returned_to_pool)
    event.listen(engine.pool, "reset", _reset)
