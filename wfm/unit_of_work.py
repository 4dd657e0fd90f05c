"""One unit of work per request that changes something: run the change, commit once, then tell people.

Every view and API call that writes goes through `commit_or_refuse` (or `commit` when nothing it runs can be
refused). A `FieldError` the change raises rolls the whole change back (nothing half-written), puts its
message next to the field it names on the form and answers 400; an exception the caller names as a
conflict (someone saved first) rolls back and answers 409. E-mails queued by `wfm.selfservice.notify`
during the change go out only after the commit, so nobody is told of a change that was not kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wfm.errors import FieldError
from wfm.extensions import db
from wfm.selfservice import notify

REFUSED = 400
CONFLICT = 409


@dataclass
class Outcome:
    """What became of a change: its result when kept (`status` 200), else the refusal and its status."""

    value: Any = None
    status: int = 200
    error: Exception | None = None
    conflict: Any = None  # what the caller's `conflict_details` said about a 409 (e.g. the changes since)

    @property
    def kept(self) -> bool:
        return self.status == 200

    @property
    def message(self) -> str:
        if self.error is None:
            return ""
        return getattr(self.error, "message", None) or str(self.error)


def commit() -> None:
    """Commit the request's changes, then send the e-mails they queued."""
    db.session.commit()
    notify.send_queued()


def rollback() -> None:
    """Forget the request's changes and the e-mails they queued."""
    db.session.rollback()
    db.session.info.pop(notify.QUEUE_KEY, None)


def commit_or_refuse(
    change: Callable[[], Any],
    form=None,
    *,
    fallback: str | None = None,
    aliases: Mapping[str, str] | None = None,
    refused: tuple[type[Exception], ...] = (FieldError,),
    conflicts: tuple[type[Exception], ...] = (),
    conflict_details: Callable[[Exception], Any] | None = None,
) -> Outcome:
    """Run `change()` and commit. A refusal (`refused`, `FieldError` by default) rolls back and answers 400,
    its message on `form`'s field it names (through `aliases` when the operation's name for the field
    differs from the form's; else on `fallback`; else above the form). An exception of `conflicts` rolls
    back and answers 409, with `conflict_details(error)` (which may re-raise what is no conflict at all)."""
    try:
        value = change()
        db.session.commit()
    except refused as error:
        rollback()
        if form is not None:
            mark(form, error, fallback=fallback, aliases=aliases)
        return Outcome(status=REFUSED, error=error)
    except conflicts as error:
        rollback()
        return Outcome(
            status=CONFLICT, error=error, conflict=conflict_details(error) if conflict_details else None
        )
    notify.send_queued()
    return Outcome(value=value)


def mark(form, error: Exception, *, fallback: str | None = None, aliases: Mapping[str, str] | None = None):
    """Put the refusal's message next to the form's field it names (a WTForms form)."""
    name = getattr(error, "field", None) or ""
    name = (aliases or {}).get(name, name)
    message = getattr(error, "message", None) or str(error)
    field = getattr(form, name, None) if name and name in form else None
    if field is None and fallback:
        field = getattr(form, fallback)
    if field is None:
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]  # a tuple until the field was validated
