"""Rows made on first use (a site's policy and rules, an agent's career profile, what a user has seen),
safe when two requests make the same row at the same moment.

Reading "is there a row?" and then adding one is a race: two requests (an agent's phone and laptop after a
publish) both find none, both insert, and the second insert breaks the unique constraint: a 500. Here the
insert is `INSERT ... ON CONFLICT DO NOTHING` (PostgreSQL and SQLite both have it): when another request
inserted the row first, ours does nothing, and the row read back is theirs.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from wfm.extensions import db

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_unless_present(model, keys: dict, values: dict | None = None) -> bool:
    """Insert a row of `model` with `keys` (the columns of one of its unique constraints) and `values`,
    unless a row with those keys exists (or is being inserted by a concurrent transaction). True when this
    call inserted it."""
    insert = _INSERTS[db.session.get_bind().dialect.name]
    statement = (
        insert(model).values(**keys, **(values or {})).on_conflict_do_nothing(index_elements=list(keys))
    )
    return db.session.execute(statement).rowcount == 1


def stored_or_default(model, keys: dict, values: dict | None = None):
    """The row of `model` with `keys`, or, when there is none yet, the row `get_or_make` would make, not
    stored (not even added to the session): what a page shows before the first change, without writing."""
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is not None:
        return row
    given = {**keys, **(values or {})}
    for column in model.__table__.columns:
        if column.key not in given and column.default is not None:
            default = column.default
            given[column.key] = default.arg(None) if default.is_callable else default.arg
    return model(**given)


def get_or_make(model, keys: dict, values: dict | None = None):
    """The row of `model` with `keys`, made with `values` when there is none yet."""
    query = select(model).filter_by(**keys)
    row = db.session.scalar(query)
    if row is None:
        insert_unless_present(model, keys, values)
        row = db.session.scalar(query)
    return row
