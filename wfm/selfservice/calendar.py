"""An agent's iCalendar feed at a secret URL: the token is random (256 bits), only its SHA-256 is stored;
renewing replaces it (old subscriptions stop), revoking deletes it. Events carry the site's time zone
(TZID with a VTIMEZONE block), so calendar apps show the shifts at the right local times."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone
from sqlalchemy import select

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.first_use import get_or_make
from wfm.i18n.languages import DEFAULT_LANGUAGE, language_of
from wfm.models import Agent, CalendarFeed
from wfm.selfservice import audit
from wfm.selfservice.published import shifts_of, time_off_of, training_of
from wfm.selfservice.timeoff import KINDS

PAST_DAYS, FUTURE_DAYS = 30, 120


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def renew(agent: Agent, user_id: int | None) -> str:
    """A new token for the agent (the previous URL stops working). Returns the token, shown once."""
    token = secrets.token_urlsafe(32)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.agent_id == agent.id))
    action = "renewed" if feed else "created"
    if feed is None:  # the agent's other device may be making it at this moment: then theirs is renewed
        feed = get_or_make(CalendarFeed, {"agent_id": agent.id}, {"token_hash": _hash(token)})
    feed.token_hash, feed.created_at, feed.last_used_at = _hash(token), utcnow(), None
    db.session.flush()
    audit.record(action, "feed", feed.id, user_id, agent.id)
    return token


def revoke(agent: Agent, user_id: int | None) -> bool:
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.agent_id == agent.id))
    if feed is None:
        return False
    audit.record("revoked", "feed", feed.id, user_id, agent.id)
    db.session.delete(feed)
    db.session.flush()
    return True


def feed_of(agent: Agent) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.agent_id == agent.id))


def agent_for_token(token: str) -> Agent | None:
    """The agent whose feed the token opens (None for unknown or revoked tokens); records the use."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))
    if feed is None:
        return None
    feed.last_used_at = utcnow()
    return feed.agent


def language_of_agent(agent: Agent) -> str:
    """The language the agent reads pages in (their user's choice), for a feed nobody signs in to read."""
    from wfm.models import User

    stored = db.session.scalar(select(User.language).where(User.agent_id == agent.id, User.active))
    return language_of(stored) or DEFAULT_LANGUAGE


def ics(agent: Agent, today: dt.date | None = None) -> bytes:
    """The agent's published shifts (with breaks, activities and work blocks in the description, and each
    activity its own event), the training sessions they are booked on, and approved time off."""
    today = today or dt.date.today()
    first, last = today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=FUTURE_DAYS)
    zone_name = agent.site.time_zone
    zone = ZoneInfo(zone_name)
    calendar = Calendar()
    calendar.add("prodid", "-//WFM//Agent schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Shifts · %(name)s", name=agent.name))
    calendar.add("x-wr-timezone", zone_name)
    calendar.add_component(Timezone.from_tzid(zone_name, first_date=first, last_date=last))
    stamp = dt.datetime.now(dt.UTC)
    for s in shifts_of(agent.id, agent.site_id, first, last):
        event = Event()
        event.add("uid", f"shift-{agent.id}-{s.day.isoformat()}-{s.roster_id}@wfm")
        event.add("dtstamp", stamp)
        event.add("dtstart", s.start.replace(tzinfo=zone))
        event.add("dtend", s.end.replace(tzinfo=zone))
        event.add("summary", _("Shift %(template)s", template=s.template))
        lines = [_("%(shift)s (roster version %(version)s)", shift=s.shift, version=s.version)]
        lines += [f"{name}: {start:%H:%M}–{end:%H:%M}" for name, start, end in s.breaks + s.activities]
        lines += [
            _("Working %(queue)s: %(hours)s", queue=queue, hours=f"{start:%H:%M}–{end:%H:%M}")
            for queue, start, end in s.work
        ]
        event.add("description", "\n".join(lines))
        event.add("location", agent.site.name)
        calendar.add_component(event)
        for what, start, end in s.activities:  # each meeting or coaching its own event, inside the shift
            inner = Event()
            inner.add("uid", f"activity-{agent.id}-{s.day.isoformat()}-{start:%H%M}-{s.roster_id}@wfm")
            inner.add("dtstamp", stamp)
            inner.add("dtstart", start.replace(tzinfo=zone))
            inner.add("dtend", end.replace(tzinfo=zone))
            inner.add("summary", what[:1].upper() + what[1:])
            inner.add("location", agent.site.name)
            calendar.add_component(inner)
    for session in training_of(agent.id, first, last):
        event = Event()
        event.add("uid", f"training-{session.session_id}-{agent.id}@wfm")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.start.replace(tzinfo=zone))
        event.add("dtend", session.end.replace(tzinfo=zone))
        event.add("summary", session.name)
        event.add("location", session.location or agent.site.name)
        calendar.add_component(event)
    for t in time_off_of(agent.id, first, last, statuses=("approved",)):
        event = Event()
        event.add("uid", f"timeoff-{t.id}@wfm")
        event.add("dtstamp", stamp)
        if t.from_minute is None:
            event.add("dtstart", t.first_day)
            event.add("dtend", t.last_day + dt.timedelta(days=1))
        else:
            midnight = dt.datetime.combine(t.first_day, dt.time(), tzinfo=zone)
            event.add("dtstart", midnight + dt.timedelta(minutes=t.from_minute))
            event.add("dtend", midnight + dt.timedelta(minutes=t.to_minute))
        event.add("summary", _("Time off (%(kind)s)", kind=KINDS.get(t.kind, (t.kind,))[0]))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
