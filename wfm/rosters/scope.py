"""What a re-optimise may change: the days and agents the scheduler chose, less the freeze window.

A published roster is a promise to people: days up to and including today are never changed by a
re-optimise, and the next `freeze_days` days only when the scheduler asks for it explicitly. A roster never
published promises nothing yet, so no freeze applies to it. Every cell outside the scope is pinned as it
is; inside, the solver is pulled towards the published cells (`STABILITY_WEIGHT` per cell changed) and
`scheduling.roster.keep.keep_previous` puts back every change that repairs nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wfm.formatting import counted
from wfm.models import Agent, Roster

DEFAULT_FREEZE_DAYS = 2


def freeze_days_setting() -> int:
    """Days after today a re-optimise keeps as published unless asked: ROSTER_FREEZE_DAYS, else 2."""
    from flask import current_app

    try:
        return max(0, int(current_app.config.get("ROSTER_FREEZE_DAYS", DEFAULT_FREEZE_DAYS)))
    except (TypeError, ValueError):
        return DEFAULT_FREEZE_DAYS


@dataclass(frozen=True)
class Scope:
    first: dt.date
    last: dt.date
    agent_ids: frozenset[int]  # empty: every agent
    freeze_until: dt.date | None  # days up to this one (inclusive) are frozen; None: nothing is

    def open_days(self, roster: Roster) -> list[dt.date]:
        return [
            d
            for d in roster.dates
            if self.first <= d <= self.last and (self.freeze_until is None or d > self.freeze_until)
        ]

    def holds(self, agent_id: int, day: dt.date) -> bool:
        return (
            self.first <= day <= self.last
            and (self.freeze_until is None or day > self.freeze_until)
            and (not self.agent_ids or agent_id in self.agent_ids)
        )

    def describe(self, roster: Roster) -> str:
        days = self.open_days(roster)
        from flask_babel import gettext as _

        from wfm.i18n.dates import written

        who = counted(len(self.agent_ids), "agent") if self.agent_ids else _("every agent")
        if not days:
            return _("no day is open to change")
        return f"{written(days[0], 'day')} – {written(days[-1], 'day')}, {who}"


def scope_for(
    roster: Roster,
    agents: list[Agent],
    today: dt.date,
    first: dt.date | None = None,
    last: dt.date | None = None,
    agent_ids: list[int] | None = None,
    teams: list[str] | None = None,
    freeze_days: int = DEFAULT_FREEZE_DAYS,
    unfreeze: bool = False,
) -> Scope:
    """The scope of a re-optimise of `roster`: `first`-`last` (default: the whole roster), the agents
    chosen and the members of the teams chosen (none chosen: everyone), less the frozen days when the
    roster is published (today and before always; the next `freeze_days` unless `unfreeze`)."""
    chosen = set(agent_ids or [])
    if teams:
        chosen |= {a.id for a in agents if a.team and a.team.name in teams}
    if roster.published_version:
        freeze_until = today if unfreeze else today + dt.timedelta(days=max(0, freeze_days))
    else:
        freeze_until = None
    return Scope(
        first or roster.start_date,
        last or roster.end_date,
        frozenset(chosen),
        freeze_until,
    )
