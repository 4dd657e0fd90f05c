"""Names people choose (sites, skills, teams, queues, shift templates, usernames, employee numbers) are
unique regardless of case, in every language.

The comparison is done in Python, not with SQL's `lower()`: SQLite's `lower()` folds ASCII letters only,
so "Ünïcode skill" and "üNÏCODE SKILL" looked different to it, the check passed and the unique constraint
broke (a 500). `fold` applies Unicode normalisation (NFKC, so a composed and a decomposed "Ü" are one
letter) and case folding (`str.casefold`, so "Straße" and "STRASSE" are one name).

The check reads before it writes, so two people saving the same new name at the same moment both pass it;
the database's unique constraint then refuses the second insert. `unique_conflict` tells such an
IntegrityError apart from others, so the caller can answer it as the same "exists already" field error.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wfm.extensions import db


def fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name.strip()).casefold()


def taken(model, column, value: str, exclude_id: int | None, *extra) -> bool:
    """Whether another row of `model` (among those matching `extra`) has that name, folded."""
    query = select(model.id, column).where(*extra)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    wanted = fold(value)
    return any(fold(other or "") == wanted for _id, other in db.session.execute(query))


def unique_conflict(error: IntegrityError) -> str | None:
    """The constraint (PostgreSQL: its name) or the columns (SQLite) of the unique constraint the
    statement broke; None when the error is something else."""
    original = error.orig
    if getattr(original, "sqlstate", None) == "23505":  # psycopg: unique_violation
        diag = getattr(original, "diag", None)
        return (
            (getattr(diag, "constraint_name", None) or str(original)) if diag is not None else str(original)
        )
    text = str(original)
    if text.startswith("UNIQUE constraint failed:"):  # sqlite3
        return text.split(":", 1)[1].strip()
    return None


def flush_or_raise(conflicts: list[tuple[str, Exception]]) -> None:
    """Flush; when that breaks a unique constraint naming one of `conflicts`' columns (first match wins),
    raise its exception instead (the caller rolls back, as for any refusal)."""
    try:
        db.session.flush()
    except IntegrityError as error:
        broken = unique_conflict(error)
        for column, refusal in conflicts:
            if broken is not None and column in broken:
                raise refusal from error
        raise
