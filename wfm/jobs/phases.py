"""A job phase that reports nothing while it runs (a solve inside the solver), given progress by its clock.

A solve has a time limit; how much of it has passed is the honest measure of how far it is. The job's
heartbeat thread asks the running phase for its progress and message at each beat and writes them with
the heartbeat, so the job's page moves during a solve instead of standing at the last report."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask_babel import gettext as _

from wfm.i18n import translate


class TimedPhase:
    """Progress from `start` to `end` (fractions of the whole job) as `seconds` pass."""

    def __init__(
        self,
        start: float,
        end: float,
        seconds: float,
        what: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.start, self.end, self.seconds, self.what, self.clock = (
            start,
            end,
            max(seconds, 1e-9),
            what,
            clock,
        )
        self.began = clock()
        # Worded now, in the job's language: the heartbeat thread that asks for `values` has no locale.
        self.what_words = translate(what)
        self.running_words = _("%(what)s: %(elapsed)s of %(limit)s s")
        self.reached_words = _("%(what)s: the time limit is reached, finishing")

    def values(self) -> dict:
        """The job row's progress and message now."""
        elapsed = self.clock() - self.began
        share = min(1.0, elapsed / self.seconds)
        progress = round(self.start + (self.end - self.start) * share, 3)
        if share >= 1.0:
            return {"progress": progress, "message": self.reached_words % {"what": self.what_words}}
        words = {"what": self.what_words, "elapsed": f"{elapsed:.0f}", "limit": f"{self.seconds:g}"}
        return {"progress": progress, "message": self.running_words % words}
