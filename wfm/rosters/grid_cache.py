"""The roster page's figures kept per process while the data they come from is unchanged.

`pages.grid` recomputes whole-roster figures (the rule evaluation, the total cover, the cover by skill) from
every cell, agent, skill, leave, requirement and rule, and the header checks what the roster was built from
(`wfm.sources`); at a few hundred agents that is seconds, and a page view changes none of it. The figures
are filed under the data revision (`wfm.revision`), which every committed write of planning data changes,
so a view after any change computes afresh. The values are shared between requests: callers must not
change them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from wfm import sources
from wfm.extensions import db
from wfm.i18n import current_language
from wfm.models import Roster
from wfm.revision import current
from wfm.rosters import drafts, pages

KEPT = 32  # values kept per process (a roster's weeks and teams and its state, a few rosters)

_lock = threading.Lock()
_kept: OrderedDict[tuple, dict] = OrderedDict()
_computing: dict[tuple, threading.Lock] = {}


def grid(roster: Roster, **choice) -> dict:
    """`pages.grid(roster, **choice)`, from the cache when nothing has changed since it was computed."""
    return _kept_or_computed(
        ("grid", roster.id, tuple(sorted(choice.items()))), lambda: pages.grid(roster, **choice)
    )


def draft_state(roster: Roster) -> dict:
    """`drafts.state(roster)` (the header's published / draft / replaced words), kept the same way."""
    return _kept_or_computed(("draft state", roster.id), lambda: drafts.state(roster))


def sources_status(roster: Roster) -> dict:
    """`sources.status_of(roster)` (what it was built from, out of date or not), kept the same way: its
    fingerprints are of planning data, which the revision follows."""
    return _kept_or_computed(("sources", roster.id), lambda: sources.status_of(roster))


def kept(what: tuple, compute: Callable[[], object]) -> object:
    """`compute()`, kept the same way under `what` (a tuple naming the figures and what they are of), for
    other pages' figures computed from planning data."""
    return _kept_or_computed(what, compute)


def _kept_or_computed(what: tuple, compute: Callable[[], dict]) -> dict:
    token = current()
    if token is None:
        return compute()
    key = (token, current_language(), *what)  # the figures hold words in the reader's language
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
        gate = _computing.setdefault(key, threading.Lock())
    with gate:  # requests asking at once for the same figures wait for one computation
        with _lock:
            found = _kept.get(key)
        if found is not None:
            return found
        # Objects the session read before the token may be older than it: read them again.
        db.session.expire_all()
        value = compute()
        with _lock:
            _kept[key] = value
            _computing.pop(key, None)
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _kept.clear()
