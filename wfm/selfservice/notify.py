"""Tell people what happened to their requests: in-app always, by e-mail when MAIL_SERVER is configured.

E-mail uses the standard library's smtplib, messages are queued on the session's `info` and sent by
`send_queued` once the view has committed. Mail failures are logged, never raised: a request's outcome
must not depend on a mail server."""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models import Agent, Notification, Role, User, UserRole

QUEUE_KEY = "selfservice_mail"
MAIL_SETTINGS = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_SENDER",
    "PUBLIC_URL",
)


def mail_config() -> dict:
    """Mail settings from the app's config, else the environment; no MAIL_SERVER: no e-mail (the default)."""
    return {k: current_app.config.get(k) or os.environ.get(k) for k in MAIL_SETTINGS}


def notify_user(user: User, message: str, url: str = "", detail: str | None = None) -> Notification:
    """`detail`: the whole story when `message` is its summary (a schedule change day by day); the e-mail
    carries both."""
    note = Notification(user_id=user.id, message=message[:400], url=url, detail=detail)
    db.session.add(note)
    if user.email and mail_config()["MAIL_SERVER"]:
        body = message + (f"\n\n{detail}" if detail else "")
        db.session.info.setdefault(QUEUE_KEY, []).append((user.email, message, body, url))
    return note


def notify_agent(agent_id: int, message: str, url: str = "", detail: str | None = None) -> list[Notification]:
    """Every user linked to the agent (normally one)."""
    users = db.session.scalars(select(User).where(User.agent_id == agent_id, User.active)).all()
    return [notify_user(u, message, url, detail) for u in users]


def notify_schedulers(site_id: int | None, message: str, url: str = "") -> list[Notification]:
    """Every active scheduler (users are not tied to sites yet; `site_id` is for when they are)."""
    users = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.SCHEDULER, User.active)
    ).all()
    return [notify_user(u, message, url) for u in users]


def agent_name(agent_id: int) -> str:
    agent = db.session.get(Agent, agent_id)
    return agent.name if agent else f"agent {agent_id}"


def unread_count(user_id: int) -> int:
    return len(
        db.session.scalars(
            select(Notification.id).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        ).all()
    )


def mark_read(user_id: int) -> None:
    for note in db.session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ):
        note.read_at = utcnow()


def send_queued() -> int:
    """Send the e-mails queued during this request (call after commit). Returns how many went out."""
    queued = db.session.info.pop(QUEUE_KEY, [])
    config = mail_config()
    if not queued or not config.get("MAIL_SERVER"):
        return 0
    sent = 0
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"] or 25), timeout=10) as smtp:
            if str(config["MAIL_USE_TLS"] or "").lower() in ("1", "true", "yes"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            for address, text, body, url in queued:
                mail = EmailMessage()
                mail["From"] = config["MAIL_SENDER"] or "wfm@localhost"
                mail["To"] = address
                mail["Subject"] = "WFM: " + text[:70]
                mail.set_content(body + (f"\n\n{config['PUBLIC_URL'] or ''}{url}" if url else ""))
                smtp.send_message(mail)
                sent += 1
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.warning("mail: could not send %d notifications: %s", len(queued) - sent, error)
    return sent
