"""Certification expiry reminders at 90 and 30 days (and on lapsing), to the agent and to HR, never twice.

The engine (`training.expiry.expiry_reminders`) says what is due given what was sent; the log table
`career_reminder_sent` is what was sent, so running the job twice a day, or every day, sends each once.
Each notice is written in its recipient's language, whoever or whatever sends it.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from training.expiry import EXPIRED, Reminder, expiry_reminders
from wfm.careers.store import load_catalogue, records_of
from wfm.extensions import db
from wfm.formatting import counted
from wfm.i18n.languages import DEFAULT_LANGUAGE
from wfm.models import Agent, Notification, Role, User, UserRole
from wfm.models.careers import ReminderSent


def _message(reminder: Reminder, agent: Agent, cert_name: str) -> str:
    """The notice in the language in force (the recipient's, see `send_reminders`)."""
    values = {
        "name": agent.name,
        "certification": cert_name,
        "code": reminder.certification,
        "day": reminder.expires_on.isoformat(),
        "days": counted(reminder.stage, "day"),
    }
    if reminder.recipient == "agent":
        if reminder.stage == EXPIRED:
            return _("Your %(certification)s (%(code)s) expired on %(day)s.", **values)
        return _(
            "Your %(certification)s (%(code)s) expires on %(day)s, in %(days)s or less: plan the renewal.",
            **values,
        )
    if reminder.stage == EXPIRED:
        return _("%(name)s's %(certification)s (%(code)s) expired on %(day)s.", **values)
    return _(
        "%(name)s's %(certification)s (%(code)s) expires on %(day)s, in %(days)s or less: plan the renewal.",
        **values,
    )


def _told(reminder: Reminder, agent: Agent, user: User, names: dict[str, dict[str, str]]) -> str:
    """The notice in the user's own language, the certificate named in it (names read once a language)."""
    with force_locale(user.language or DEFAULT_LANGUAGE):
        language = user.language or DEFAULT_LANGUAGE
        if language not in names:
            names[language] = {code: c.name for code, c in load_catalogue().certifications.items()}
        return _message(reminder, agent, names[language].get(reminder.certification, reminder.certification))


def send_reminders(on: dt.date | None = None) -> list[Reminder]:
    """Create the in-app notices due on `on` and log them; returns the reminders sent (flush only)."""
    on = on or dt.date.today()
    names: dict[str, dict[str, str]] = {}
    agents = {a.id: a for a in db.session.scalars(select(Agent))}
    sent = {
        Reminder(str(r.agent_id), r.certification, r.expires_on, r.stage, r.recipient)
        for r in db.session.scalars(select(ReminderSent))
    }
    report = expiry_reminders(records_of(list(agents.values())), on, sent)
    hr_users = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.HR, User.active)
    ).all()
    for reminder in report.reminders:
        agent = agents[int(reminder.agent_id)]
        if reminder.recipient == "agent":
            users = db.session.scalars(select(User).where(User.agent_id == agent.id, User.active)).all()
            url = "/careers/me"
        else:
            users, url = hr_users, f"/careers/agents/{agent.id}"
        for user in users:
            message = _told(reminder, agent, user, names)
            db.session.add(Notification(user_id=user.id, message=message[:400], url=url))
        db.session.add(
            ReminderSent(
                agent_id=agent.id,
                certification=reminder.certification,
                expires_on=reminder.expires_on,
                stage=reminder.stage,
                recipient=reminder.recipient,
            )
        )
    db.session.flush()
    return list(report.reminders)
