"""Certification expiry reminders at 90 and 30 days (and on lapsing), to the agent and to HR, never twice.

The engine (`training.expiry.expiry_reminders`) says what is due given what was sent; the log table
`career_reminder_sent` is what was sent, so running the job twice a day, or every day, sends each once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from training.expiry import EXPIRED, Reminder, expiry_reminders
from wfm.careers.store import load_catalogue, records_of
from wfm.extensions import db
from wfm.formatting import counted
from wfm.models import Agent, Notification, Role, User, UserRole
from wfm.models.careers import ReminderSent


def _message(reminder: Reminder, agent: Agent, cert_name: str) -> str:
    whose = "Your" if reminder.recipient == "agent" else f"{agent.name}'s"
    if reminder.stage == EXPIRED:
        return f"{whose} {cert_name} ({reminder.certification}) expired on {reminder.expires_on.isoformat()}."
    return (
        f"{whose} {cert_name} ({reminder.certification}) expires on {reminder.expires_on.isoformat()}, "
        f"in {counted(reminder.stage, 'day')} or less: plan the renewal."
    )


def send_reminders(on: dt.date | None = None) -> list[Reminder]:
    """Create the in-app notices due on `on` and log them; returns the reminders sent (flush only)."""
    on = on or dt.date.today()
    cat = load_catalogue()
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
        name = (
            cat.certifications[reminder.certification].name
            if reminder.certification in cat.certifications
            else reminder.certification
        )
        message = _message(reminder, agent, name)
        if reminder.recipient == "agent":
            users = db.session.scalars(select(User).where(User.agent_id == agent.id, User.active)).all()
            url = "/careers/me"
        else:
            users, url = hr_users, f"/careers/agents/{agent.id}"
        for user in users:
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
