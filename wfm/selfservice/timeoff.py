"""Time off: agents request whole or part days of a kind; each kind that counts against the yearly
allowance is charged in days (a part day as its share of the agent's contracted day); schedulers approve
or reject, or the site's policy approves automatically within a daily allotment. Approving whole days
removes the agent's published shifts on them by publishing a new roster version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from scheduling.text import Sentence
from wfm.calendars import site_calendar
from wfm.clock import utcnow
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.first_use import get_or_make, stored_or_default
from wfm.formatting import counted
from wfm.i18n.dates import written
from wfm.models import Agent, LeaveAllowance, Roster, Site, TimeOff, TimeOffPolicy
from wfm.rosters.problem import rules_in_force
from wfm.rosters.truth import owner_map
from wfm.selfservice import audit, notify
from wfm.selfservice.changes import apply_and_publish
from wfm.selfservice.labels import status_label
from wfm.selfservice.messages import Day
from wfm.selfservice.published import owners, published_rosters
from wfm.transitions import claim

# kind -> (label, charged against the allowance)
KINDS: dict[str, tuple[str, bool]] = {
    "vacation": (_l("Vacation"), True),
    "personal": (_l("Personal day"), True),
    "sick": (_l("Sick leave"), False),
    "training": (_l("Training / study"), False),
    "unpaid": (_l("Unpaid leave"), False),
}
DEFAULT_ALLOWANCE_DAYS = 25.0


class TimeOffRefused(FieldError):
    """A time-off request or decision refused, in words for the agent or the scheduler."""


@dataclass
class Balance:
    year: int
    allowance: float
    used: float  # approved
    pending: float  # requested, not decided

    @property
    def available(self) -> float:
        return self.allowance - self.used - self.pending


def _default_allowance() -> float:
    return float(current_app.config.get("TIME_OFF_ALLOWANCE_DAYS", DEFAULT_ALLOWANCE_DAYS))


def policy_for(site_id: int) -> TimeOffPolicy:
    """The site's policy, made on first use with the default allowance (TIME_OFF_ALLOWANCE_DAYS): for a
    change (a request, the policy saved). Pages read `policy_in_force`."""
    return get_or_make(TimeOffPolicy, {"site_id": site_id}, {"allowance_days": _default_allowance()})


def policy_in_force(site_id: int) -> TimeOffPolicy:
    """The site's policy, or the default `policy_for` would make, without writing it."""
    return stored_or_default(TimeOffPolicy, {"site_id": site_id}, {"allowance_days": _default_allowance()})


def allowance_for(agent: Agent, year: int) -> float:
    own = db.session.scalar(
        select(LeaveAllowance).where(LeaveAllowance.agent_id == agent.id, LeaveAllowance.year == year)
    )
    return own.days if own is not None else policy_in_force(agent.site_id).allowance_days


def day_minutes(agent: Agent) -> float:
    """A contracted working day: the weekly hours over five days."""
    return agent.contracted_hours * 60 / 5


def working_days(agent: Agent, first: dt.date, last: dt.date, rostered: bool = True) -> list[dt.date]:
    """The days of [first, last] the agent would work: where a published roster speaks for the day (and
    `rostered`), the days it has a shift for them; elsewhere the site's working days (not its weekend unless a
    make-up working day, not a public holiday)."""
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    pairs = published_rosters(agent.site_id, first, last) if rostered else []
    owner = owners(pairs)
    shifts = {
        roster.id: {r["day"] for r in version.assignments if r["agent_id"] == agent.id}
        for roster, version in pairs
    }
    site = db.session.get(Site, agent.site_id)
    weekend = set(rules_in_force(site).weekend_days)
    calendar = site_calendar(site, first, last)
    return [
        d
        for d in days
        if (d.isoformat() in shifts[owner[d]] if d in owner else calendar.is_working_day(d, weekend))
    ]


def charged_days(agent: Agent, t: TimeOff, year: int | None = None) -> float:
    """Days charged against the allowance (in `year` only, when given); 0 for kinds that are not charged.
    Only working days count (`working_days`, fixed on the request when it was made)."""
    if not KINDS.get(t.kind, ("", False))[1]:
        return 0.0
    if t.charged_on is not None:
        days = [dt.date.fromisoformat(d) for d in t.charged_on]
    else:
        # made before charges were fixed: approved ones are off the roster already, so the site's days count
        days = working_days(agent, t.first_day, t.last_day, rostered=t.status != "approved")
    days = [d for d in days if year is None or d.year == year]
    if t.from_minute is not None and t.to_minute is not None:
        return round(len(days) * min(1.0, (t.to_minute - t.from_minute) / day_minutes(agent)), 2)
    return float(len(days))


def balance(agent: Agent, year: int) -> Balance:
    rows = db.session.scalars(
        select(TimeOff).where(
            TimeOff.agent_id == agent.id,
            TimeOff.status.in_(("approved", "requested")),
            TimeOff.first_day <= dt.date(year, 12, 31),
            TimeOff.last_day >= dt.date(year, 1, 1),
        )
    ).all()
    used = sum(charged_days(agent, t, year) for t in rows if t.status == "approved")
    pending = sum(charged_days(agent, t, year) for t in rows if t.status == "requested")
    return Balance(year, allowance_for(agent, year), round(used, 2), round(pending, 2))


def _describe(t: TimeOff) -> dict:
    return {
        "first_day": t.first_day,
        "last_day": t.last_day,
        "kind": t.kind,
        "status": t.status,
        "from_minute": t.from_minute,
        "to_minute": t.to_minute,
        "note": t.note,
    }


def request(
    agent: Agent,
    first_day: dt.date,
    last_day: dt.date,
    kind: str,
    note: str = "",
    from_minute: int | None = None,
    to_minute: int | None = None,
    today: dt.date | None = None,
) -> TimeOff:
    """Record a request after checking dates, overlap and balance; approve it at once when policy allows."""
    today = today or dt.date.today()
    if kind not in KINDS:
        raise TimeOffRefused("kind", _("choose a type of time off from the list"))
    if last_day < first_day:
        raise TimeOffRefused("last_day", _("the last day is before the first"))
    if first_day < today:
        raise TimeOffRefused("first_day", _("time off cannot start in the past"))
    if (last_day - first_day).days > 60:
        raise TimeOffRefused("last_day", _("ask for at most 61 days at once"))
    if (from_minute is None) != (to_minute is None):
        raise TimeOffRefused("to_minute", _("a part day needs both a start and an end time"))
    if from_minute is not None and last_day != first_day:
        raise TimeOffRefused("last_day", _("a part day is one day: make the last day the first"))
    if from_minute is not None and not 0 <= from_minute < to_minute <= 1440:
        raise TimeOffRefused("to_minute", _("the part day must end after it starts, on the same day"))
    overlap = db.session.scalar(
        select(TimeOff).where(
            TimeOff.agent_id == agent.id,
            TimeOff.status.in_(("approved", "requested")),
            TimeOff.first_day <= last_day,
            TimeOff.last_day >= first_day,
        )
    )
    if overlap is not None:
        raise TimeOffRefused(
            "first_day",
            _(
                "you already have time off (%(status)s) from %(first)s to %(last)s",
                status=status_label(overlap.status),
                first=written(overlap.first_day, "month_day"),
                last=written(overlap.last_day, "month_day"),
            ),
        )
    t = TimeOff(
        agent_id=agent.id,
        first_day=first_day,
        last_day=last_day,
        kind=kind,
        status="requested",
        note=note[:300],
        from_minute=from_minute,
        to_minute=to_minute,
    )
    t.charged_on = [d.isoformat() for d in working_days(agent, first_day, last_day)]
    for year in range(first_day.year, last_day.year + 1):
        need = charged_days(agent, t, year)
        left = balance(agent, year).available
        if need > left + 1e-9:
            raise TimeOffRefused(
                "last_day",
                ngettext(
                    "that takes %(need)s of your %(year)s allowance; %(left)s is left",
                    "that takes %(need)s of your %(year)s allowance; %(left)s are left",
                    1 if max(left, 0) == 1 else 2,
                    need=counted(need, "day"),
                    year=year,
                    left=counted(max(left, 0), "day"),
                ),
            )
    db.session.add(t)
    db.session.flush()
    audit.record("requested", "time_off", t.id, _requester(agent), agent.id, after=_describe(t))
    policy = policy_for(agent.site_id)
    if policy.auto_approve and within_allotment(agent.site_id, t, policy.daily_allotment):
        decide(
            t, approve=True, user_id=None, note=f"auto-approved (at most {policy.daily_allotment} away a day)"
        )
    else:
        notify.notify_schedulers(
            agent.site_id,
            Sentence("%(agent)s asks for time off %(period)s", agent=agent.name, period=period_sentence(t)),
            f"/inbox/time-off/{t.id}",
        )
    return t


def _requester(agent: Agent) -> int | None:
    from wfm.models import User

    return db.session.scalar(select(User.id).where(User.agent_id == agent.id))


def _period(t: TimeOff) -> str:
    """The days (and hours of a part day) in the reader's date forms: "Mon 07 Dec – Wed 09 Dec"."""
    return str(period_sentence(t))


def period_sentence(t: TimeOff) -> Sentence:
    """The period as a Sentence whose days are written when it is read (notifications keep it)."""
    if t.from_minute is not None:
        start, end = divmod(t.from_minute, 60), divmod(t.to_minute, 60)
        hours = f"{start[0]:02d}:{start[1]:02d}–{end[0]:02d}:{end[1]:02d}"
        return Sentence("%(first)s %(hours)s", first=Day(t.first_day), hours=hours)
    if t.last_day != t.first_day:
        return Sentence("%(first)s – %(last)s", first=Day(t.first_day), last=Day(t.last_day))
    return Sentence("%(first)s", first=Day(t.first_day))


def away_on(site_id: int, day: dt.date, exclude_id: int | None = None) -> int:
    """Agents of the site with approved time off on the day."""
    rows = db.session.scalars(
        select(TimeOff)
        .join(Agent, Agent.id == TimeOff.agent_id)
        .where(
            Agent.site_id == site_id,
            TimeOff.status == "approved",
            TimeOff.first_day <= day,
            TimeOff.last_day >= day,
        )
    ).all()
    return len({t.agent_id for t in rows if t.id != exclude_id})


def within_allotment(site_id: int, t: TimeOff, allotment: int) -> bool:
    days = (t.last_day - t.first_day).days + 1
    return all(away_on(site_id, t.first_day + dt.timedelta(days=k), t.id) < allotment for k in range(days))


def decide(t: TimeOff, approve: bool, user_id: int | None, note: str = "") -> list[int]:
    """Approve or reject a request; approving whole days takes the agent off the published rosters on them.
    Returns the roster versions published (roster ids)."""
    if t.status != "requested":
        raise TimeOffRefused("status", _("this request is already %(status)s", status=status_label(t.status)))
    before = _describe(t)
    now = claim(t, "requested", "approved" if approve else "rejected")  # one of two deciders wins
    if now is not None:
        raise TimeOffRefused(
            "status", _("someone decided this request first: it is %(status)s now", status=status_label(now))
        )
    t.decided_by_id, t.decided_at = user_id, utcnow()
    if note:
        t.note = (t.note + " · " if t.note else "") + note[:150]
    published = []
    if approve and t.from_minute is None:
        published = _take_off_rosters(t, user_id)
    db.session.flush()
    audit.record(
        "approved" if approve else "rejected",
        "time_off",
        t.id,
        user_id,
        t.agent_id,
        before=before,
        after={**_describe(t), "rosters_republished": published},
        note=note,
    )
    period = period_sentence(t)
    if approve:
        told = (
            Sentence("Your time off %(period)s was approved: %(note)s", period=period, note=note)
            if note
            else Sentence("Your time off %(period)s was approved", period=period)
        )
    else:
        told = (
            Sentence("Your time off %(period)s was not approved: %(note)s", period=period, note=note)
            if note
            else Sentence("Your time off %(period)s was not approved", period=period)
        )
    notify.notify_agent(t.agent_id, told, "/my/time-off")
    return published


def _take_off_rosters(t: TimeOff, user_id: int | None) -> list[int]:
    agent = db.session.get(Agent, t.agent_id)
    rosters = db.session.scalars(
        select(Roster).where(
            Roster.site_id == agent.site_id, Roster.published_version > 0, Roster.start_date <= t.last_day
        )
    ).all()
    out = []
    owner = owner_map(agent.site_id, t.first_day, t.last_day)  # the roster speaking for each day
    for roster in rosters:
        if roster.end_date < t.first_day:
            continue
        days = {
            a.day: None
            for a in roster.assignments
            if a.agent_id == t.agent_id
            and t.first_day <= a.day <= t.last_day
            and owner.get(a.day) == roster.id
        }
        published_days = {
            r["day"]
            for r in roster.versions[-1].assignments
            if r["agent_id"] == t.agent_id
            and t.first_day.isoformat() <= r["day"] <= t.last_day.isoformat()
            and owner.get(dt.date.fromisoformat(r["day"])) == roster.id
        }
        for iso in published_days:
            days.setdefault(dt.date.fromisoformat(iso), None)
        if days or published_days:
            apply_and_publish(roster, {t.agent_id: days}, user_id, f"time off #{t.id} approved")
            out.append(roster.id)
    return out


def cancel(t: TimeOff, agent: Agent, user_id: int) -> None:
    """An agent withdraws a request not yet decided (decided ones go through the scheduler)."""
    if t.agent_id != agent.id:
        raise TimeOffRefused("id", _("not your request"))
    if t.status != "requested":
        raise TimeOffRefused(
            "status",
            _("this request is already %(status)s; ask your scheduler", status=status_label(t.status)),
        )
    before = _describe(t)
    now = claim(t, "requested", "cancelled")  # a scheduler may be deciding it at this moment
    if now is not None:
        raise TimeOffRefused(
            "status", _("this request is already %(status)s; ask your scheduler", status=status_label(now))
        )
    db.session.flush()
    audit.record("cancelled", "time_off", t.id, user_id, agent.id, before=before, after=_describe(t))


def period_label(t: TimeOff) -> str:
    return _period(t)
