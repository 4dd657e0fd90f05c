"""State changes of the day besides actuals: exceptions a team leader approves, a site's grace period,
and keeping the stored adherence days up to date when events or exceptions arrive."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from wfm.errors import FieldError
from wfm.extensions import db
from wfm.formatting import counted
from wfm.intraday import adherence
from wfm.intraday.today import local_now
from wfm.models import AdherenceException, AdherenceSetting, Agent, Site

MAX_GRACE_MINUTES = 120
MAX_EXCEPTION_HOURS = 24


class AdherenceRefused(FieldError):
    """An exception or a setting that cannot be kept, with the field at fault."""


def refresh_days(agent_days: dict[dt.date, set[int]]) -> None:
    """Recompute and keep the adherence of these agents on these days, as far as each day has come."""
    for day, agent_ids in agent_days.items():
        sites = db.session.scalars(select(Site).join(Agent).where(Agent.id.in_(agent_ids)).distinct()).all()
        for site in sites:
            until = adherence.reached(site, day, local_now(site))
            adherence.store(site, day, until, sorted(agent_ids))


def approve_exception(
    agent_id: int | None, start: dt.datetime | None, end: dt.datetime | None, reason: str, user_id: int | None
) -> AdherenceException:
    agent = db.session.get(Agent, agent_id) if agent_id else None
    if agent is None:
        raise AdherenceRefused("agent", _("Choose the agent the exception is for."))
    if start is None:
        raise AdherenceRefused("start", _("Give the time the exception starts."))
    if end is None or end <= start:
        raise AdherenceRefused("end", _("The exception must end after it starts."))
    if end - start > dt.timedelta(hours=MAX_EXCEPTION_HOURS):
        raise AdherenceRefused(
            "end", _("An exception covers at most %(hours)s.", hours=counted(MAX_EXCEPTION_HOURS, "hour"))
        )
    reason = (reason or "").strip()
    if not reason:
        raise AdherenceRefused("reason", _("Say why the time counts as in adherence."))
    if len(reason) > 200:
        raise AdherenceRefused("reason", _("Keep the reason under 200 characters."))
    exception = AdherenceException(
        agent_id=agent.id, start=start, end=end, reason=reason, approved_by_id=user_id
    )
    db.session.add(exception)
    db.session.flush()
    days = {start.date() + dt.timedelta(days=k) for k in range((end - start).days + 2)}
    refresh_days({d: {agent.id} for d in days if d <= end.date()})
    return exception


def set_grace(site: Site, minutes: int | None) -> AdherenceSetting:
    if minutes is None or not 0 <= minutes <= MAX_GRACE_MINUTES:
        raise AdherenceRefused(
            "grace_minutes",
            _("The grace period is a whole number of minutes, 0 to %(most)s.", most=MAX_GRACE_MINUTES),
        )
    setting = db.session.get(AdherenceSetting, site.id) or AdherenceSetting(site_id=site.id)
    setting.grace_minutes = minutes
    db.session.add(setting)
    return setting
