"""The attrition-risk score's backtest on the history this database holds, for the risk page.

Scoring days: the same day of each of the 12 months of the year that ended `HORIZON_DAYS` before today (so
every scoring day's horizon has passed). On each, every agent employed that day is scored from the data as
it stood then (`wfm.careers.risk.inputs_on`, from one load of the history), and the outcome is whether
they were lost to the bank (left, not moved within it) within the horizon. `training.risk_backtest` sums
it up by band and says when there are too few leavers for a figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from training.records import add_months
from training.risk import score
from training.risk_backtest import Snapshot, Summary, summarise
from wfm.careers.risk import Held, held, inputs_on
from wfm.extensions import db
from wfm.models import Site, User

HORIZON_DAYS = 180
SCORING_MONTHS = 12


@dataclass(frozen=True)
class Backtest:
    first: dt.date  # the first scoring day
    last: dt.date  # the last
    horizon_days: int
    summary: Summary
    synthetic: bool  # the history is the demo centre's, randomly generated


def scoring_days(
    today: dt.date, horizon_days: int = HORIZON_DAYS, months: int = SCORING_MONTHS
) -> list[dt.date]:
    last = today - dt.timedelta(days=horizon_days)
    return [add_months(last, -k) for k in range(months - 1, -1, -1)]


def snapshots(days: list[dt.date], horizon_days: int, loaded: Held) -> list[Snapshot]:
    leaving = {str(a.id): a.leaving_date for a in loaded.agents}
    out = []
    for on in days:
        until = on + dt.timedelta(days=horizon_days)
        for x in inputs_on(on, loaded=loaded):
            day = leaving[x.agent_id]
            lost = day is not None and on < day <= until and x.agent_id not in loaded.moved
            out.append(Snapshot(x.agent_id, on, score(x).score, lost))
    return out


def backtest(today: dt.date, horizon_days: int = HORIZON_DAYS) -> Backtest:
    days = scoring_days(today, horizon_days)
    summary = summarise(snapshots(days, horizon_days, held()))
    return Backtest(days[0], days[-1], horizon_days, summary, is_demo_centre())


def is_demo_centre() -> bool:
    """The demo loader's site and users are here (its history, hires and leavers are randomly generated)."""
    from wfm.demo.organisation import SITE

    site = db.session.scalar(select(Site.id).where(Site.name == SITE["name"]))
    users = set(db.session.scalars(select(User.username).where(User.username.in_(("hr", "agent3")))))
    return site is not None and users == {"hr", "agent3"}
