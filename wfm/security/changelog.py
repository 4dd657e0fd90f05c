"""The change log: every insert, update and delete, with who, when, from where, and before and after.

Written by SQLAlchemy session events in the same transaction as the change itself, so a change and its
log row are committed (or rolled back) together; no view or operation has to remember to log.

- ORM changes: `after_flush` sees every new, changed and deleted record (the session still holds their
  pre-flush history then) and writes one `change_log` row each, through the flush's own connection.
  Updates record only the changed columns; inserts all of them; deletes the values the record held.
- Bulk tables (`BULK_TABLES`: interval series, plan figures, roster cells, tens of thousands of rows per
  job) get one summary row per table per flush instead: counts inserted / updated / deleted, and the
  parent record's id.
- Core statements run through the session (`session.execute(insert(Table), rows)`, `delete(...)`,
  `update(...)`) bypass the ORM's flush; `do_orm_execute` logs one summary row for each.

Values are JSON-safe (dates as ISO strings, enums as their values); secrets (`SECRET_COLUMNS`) are
written as "(set)" / "(changed)", never in clear; large JSON values are summarised. Bookkeeping columns
(`QUIET_COLUMNS`: last sign-in, the count of wrong passwords, the session token a sign-out renews, job
progress) do not make a row by themselves, but a lockout (`locked_until`) does.

Who: the signed-in user of the request, or the actor a job or command declares with `acting(...)`.
Source: web / api (requests), job, cli. Request id: `flask.g.request_id` when the request has one, else
one made for the request (or, outside requests, for the session).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import enum
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from wfm.clock import utcnow
from wfm.formatting import counted
from wfm.models.security import ChangeLog

# Table -> the column naming the record the rows belong to (their parent), for the summary row.
BULK_TABLES: dict[str, str] = {
    "history_interval": "queue_id",
    "forecast_interval": "forecast_id",
    "requirement_interval": "requirement_id",
    "plan_shift": "plan_id",
    "plan_coverage": "plan_id",
    "roster_assignment": "roster_id",
}
UNLOGGED_TABLES = frozenset({"change_log"})
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "session_token"})
QUIET_COLUMNS: dict[str, frozenset[str]] = {
    "user_account": frozenset({"last_login_at", "failed_logins", "session_token"}),
    "job": frozenset({"progress", "message", "heartbeat_at"}),
    "api_token": frozenset({"last_used_at"}),
}
LARGEST_JSON_ITEMS = 50  # a JSON value with more items is written as "(N items)"
SOURCES = ("web", "api", "job", "cli")


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    source: str
    request_id: str


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("wfm_changelog_actor", default=None)


@contextlib.contextmanager
def acting(user_id: int | None, source: str, request_id: str | None = None) -> Iterator[Actor]:
    """Attribute the changes made inside the block (a job's, a command's) to `user_id` and `source`."""
    if source not in SOURCES:
        raise ValueError(f"source: one of {', '.join(SOURCES)}, not {source!r}")
    actor = Actor(user_id, source, request_id or uuid.uuid4().hex)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def declare_user(user_id: int | None) -> None:
    """Inside `acting(...)`: the user is known only now (a job reads who submitted it)."""
    actor = _actor.get()
    if actor is not None:
        _actor.set(Actor(user_id, actor.source, actor.request_id))


def _request_user_id() -> int | None:
    """The signed-in user's id without loading anything (we may be inside a flush)."""
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        identity = inspect(user).identity
        if identity:
            return identity[0]
    return None  # the session cookie names its user by a revocable token, not the id: nothing to read there


def current_actor(session: Session) -> Actor:
    declared = _actor.get()
    if declared is not None:
        return declared
    if has_request_context():
        request_id = g.get("request_id") or g.get("_changelog_request_id")
        if not request_id:
            request_id = g._changelog_request_id = uuid.uuid4().hex
        api = (request.blueprint or "").startswith("api") or request.path.startswith("/api/")
        return Actor(_request_user_id(), "api" if api else "web", str(request_id)[:40])
    request_id = session.info.setdefault("changelog_request_id", uuid.uuid4().hex)
    return Actor(None, "cli", request_id)


# Values ----------------------------------------------------------------------------------------------


def json_safe(value):
    """A value as JSON can hold it: dates as ISO strings, enums as values, long collections counted."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"({len(value)} bytes)"
    if isinstance(value, dict | list | tuple | set | frozenset):
        if len(value) > LARGEST_JSON_ITEMS:
            return f"({counted(len(value), 'item')})"
        if isinstance(value, dict):
            return {str(k): json_safe(v) for k, v in value.items()}
        return [json_safe(v) for v in value]
    return str(value)


def _column_value(table: str, column: str, value, secret_word: str):
    if column in SECRET_COLUMNS:
        return secret_word if value is not None else None
    return json_safe(value)


def _columns(mapper):
    """(attribute key, column name) of the mapper's own columns."""
    for prop in mapper.column_attrs:
        if prop.columns and getattr(prop.columns[0], "table", None) is not None:
            yield prop.key, prop.columns[0].name


def _entity_id(state) -> str:
    identity = state.identity or state.mapper.primary_key_from_instance(state.obj())
    return "/".join(str(json_safe(part)) for part in identity or () if part is not None)[:60]


# The ORM flush -----------------------------------------------------------------------------------------


def _record_rows(session: Session) -> list[dict]:
    record = _FlushRecord(current_actor(session), utcnow())
    for obj in session.new:
        state, table = _state_and_table(obj)
        if table in UNLOGGED_TABLES:
            continue
        if table in BULK_TABLES:
            record.count(table, "inserted", state)
            continue
        record.row("insert", table, state, {}, _present_values(table, state))

    for obj in session.dirty:
        state, table = _state_and_table(obj)
        if table in UNLOGGED_TABLES or obj in session.deleted:
            continue
        before, after = _changed_values(table, state)
        if not set(after) - QUIET_COLUMNS.get(table, frozenset()):
            continue
        if table in BULK_TABLES:
            record.count(table, "updated", state)
            continue
        record.row("update", table, state, before, after)

    for obj in session.deleted:
        state, table = _state_and_table(obj)
        if table in UNLOGGED_TABLES:
            continue
        if table in BULK_TABLES:
            record.count(table, "deleted", state)
            continue
        record.row("delete", table, state, _present_values(table, state), {})
    return record.rows + record.bulk_rows()


class _FlushRecord:
    """The change log rows of one flush: a row per changed row of an ordinary table, and counts (with
    the parents they belong to) of the rows of each bulk table, summarised in one row per table."""

    def __init__(self, actor: Actor, at: dt.datetime) -> None:
        self.actor, self.at = actor, at
        self.rows: list[dict] = []
        self.bulk: dict[str, Counter] = defaultdict(Counter)
        self.parents: dict[str, set] = defaultdict(set)

    def row(self, action: str, table: str, state, before: dict, after: dict) -> None:
        self.rows.append(self._row(action, table, _entity_id(state), before, after))

    def count(self, table: str, action: str, state) -> None:
        self.bulk[table][action] += 1
        parent = state.dict.get(_parent_key(state.mapper, BULK_TABLES[table]))
        if parent is not None:
            self.parents[table].add(parent)

    def bulk_rows(self) -> list[dict]:
        rows = []
        for table, counts in self.bulk.items():
            summary = dict(counts)
            ids = sorted(self.parents[table])
            summary[BULK_TABLES[table]] = ids[0] if len(ids) == 1 else ids[:LARGEST_JSON_ITEMS]
            rows.append(self._row("bulk", table, str(ids[0]) if len(ids) == 1 else "", {}, summary))
        return rows

    def _row(self, action: str, table: str, entity_id: str, before: dict, after: dict) -> dict:
        return {
            "at": self.at,
            "user_id": self.actor.user_id,
            "action": action,
            "entity": table,
            "entity_id": entity_id,
            "before": before,
            "after": after,
            "source": self.actor.source,
            "request_id": self.actor.request_id,
        }


def _state_and_table(obj):
    state = inspect(obj)
    return state, state.mapper.persist_selectable.name


def _present_values(table: str, state) -> dict:
    """The row's columns that hold a value (secrets as "(set)")."""
    return {
        name: _column_value(table, name, state.dict.get(key), "(set)")
        for key, name in _columns(state.mapper)
        if state.dict.get(key) is not None
    }


def _changed_values(table: str, state) -> tuple[dict, dict]:
    """(before, after) of the columns the flush changes (secrets as "(changed)")."""
    before, after = {}, {}
    for key, name in _columns(state.mapper):
        history = state.attrs[key].history
        if not history.added and not history.deleted:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new and history.deleted:
            continue
        before[name] = _column_value(table, name, old, "(changed)")
        after[name] = _column_value(table, name, new, "(changed)")
    return before, after


def _parent_key(mapper, column_name: str) -> str:
    for key, name in _columns(mapper):
        if name == column_name:
            return key
    return column_name


def _enabled() -> bool:
    return has_app_context() and current_app.config.get("CHANGELOG_ENABLED", True)


def _after_flush(session: Session, _flush_context) -> None:
    if not _enabled():
        return
    rows = _record_rows(session)
    if rows:
        session.connection().execute(insert(ChangeLog.__table__), rows)


# Core statements through the session ------------------------------------------------------------------


def _statement_summary(state: ORMExecuteState) -> dict | None:
    statement = state.statement
    table = getattr(getattr(statement, "table", None), "name", None)
    if table is None or table in UNLOGGED_TABLES:
        return None
    action = "insert" if state.is_insert else "update" if state.is_update else "delete"
    summary: dict = {"statement": action}
    parameters = state.parameters
    if isinstance(parameters, list | tuple):
        summary["rows"] = len(parameters)
        parent = BULK_TABLES.get(table)
        if parent:
            ids = sorted(
                {p.get(parent) for p in parameters if isinstance(p, dict) and p.get(parent) is not None}
            )
            summary[parent] = ids[0] if len(ids) == 1 else ids[:LARGEST_JSON_ITEMS]
    where = getattr(statement, "whereclause", None)
    if where is not None:
        summary["where"] = json_safe(dict(where.compile().params))
    return summary


def _do_orm_execute(state: ORMExecuteState):
    if not (state.is_insert or state.is_update or state.is_delete) or not _enabled():
        return None
    summary = _statement_summary(state)
    if summary is None:
        return None
    result = state.invoke_statement()
    if summary["statement"] != "insert" or "rows" not in summary:
        with contextlib.suppress(Exception):
            summary["rows"] = result.rowcount
    if summary.get("rows") == 0:
        return result  # a delete or update that matched nothing changed nothing
    actor = current_actor(state.session)
    table = state.statement.table.name
    parent = BULK_TABLES.get(table)
    entity_id = summary.get(parent) if parent else None
    state.session.connection().execute(
        insert(ChangeLog.__table__),
        [
            {
                "at": utcnow(),
                "user_id": actor.user_id,
                "action": "bulk",
                "entity": table,
                "entity_id": str(entity_id) if isinstance(entity_id, int) else "",
                "before": {},
                "after": summary,
                "source": actor.source,
                "request_id": actor.request_id,
            }
        ],
    )
    return result


def _listen(target) -> None:
    if not event.contains(target, "after_flush", _after_flush):
        event.listen(target, "after_flush", _after_flush)
        event.listen(target, "do_orm_execute", _do_orm_execute)


def install(app: Flask) -> None:
    """Listen on the sessions Flask-SQLAlchemy makes (every app shares the class; CHANGELOG_ENABLED gates)."""
    from wfm.extensions import db

    _listen(db.session.session_factory.class_)
