"""Compare-and-set of a request's status, so that two people deciding the same request at the same moment
cannot both win.

A decision reads the request, checks its status, then writes. Two schedulers who open the same request
both read "requested"; without a guard both writes succeed, both are audited and the agent gets two
contradictory notices. `claim` moves the status in ONE statement, `UPDATE ... SET status = :to WHERE id = :id
AND status IN (:expected)`: the database lets only one of two such statements match the row (PostgreSQL
re-checks the condition once the first transaction commits; SQLite lets one writer at a time), so the loser
sees no row changed and is refused before it writes anything else. Every decision claims first, then does
its work (publishing, audit, notices) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from wfm.extensions import db


def claim(row, expected: str | Iterable[str], to: str) -> str | None:
    """Move `row.status` from one of `expected` to `to` if, in the database, it still is one of them.

    Returns None when this call moved it; otherwise the status the row has now (someone else decided
    first), with `row.status` refreshed to it. Flushes what is pending first (an ORM update does)."""
    model = type(row)
    allowed = (expected,) if isinstance(expected, str) else tuple(expected)
    result = db.session.execute(
        update(model)
        .where(model.id == row.id, model.status.in_(allowed))
        .values(status=to)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        set_committed_value(row, "status", to)
        return None
    db.session.refresh(row, ["status"])
    return row.status
