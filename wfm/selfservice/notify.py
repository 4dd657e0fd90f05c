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
from wfm.i18n.languages import DEFAULT_LANGUAGE, language_of
from wfm.models import Agent, Notification, Role, User, UserRole
from wfm.selfservice import messages

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


def notify_user(user: User, message: str, url: str = "", detail: list[str] | None = None) -> Notification:
    """`message`: a `scheduling.text.Sentence` (kept as template and values, read in the reader's language;
    see wfm.selfservice.messages) or a fixed English sentence. `detail`: the whole story, line by line, when
    `message` is its summary (a schedule change day by day); the e-mail carries both, in the language the
    person reads."""
    lines = list(detail or [])
    english = messages.written_in(message, "en")
    note = Notification(
        user_id=user.id,
        message=english[:400],
        url=url,
        detail="\n".join(messages.written_in(line, "en") for line in lines) or None,
        text={"message": messages.encode(message), "detail": [messages.encode(line) for line in lines]},
    )
    db.session.add(note)
    if user.email and mail_config()["MAIL_SERVER"]:
        language = language_of(user.language) or DEFAULT_LANGUAGE
        subject = messages.written_in(message, language)
        body = "\n".join(
            [subject, *([""] if lines else []), *(messages.written_in(x, language) for x in lines)]
        )
        db.session.info.setdefault(QUEUE_KEY, []).append((user.email, subject, body, url))
    return note


def read(note: Notification) -> tuple[str, list[str]]:
    """(message, detail lines) of a notification in the reader's language."""
    if note.text:
        return (
            messages.written(messages.decode(note.text["message"])),
            [messages.written(messages.decode(line)) for line in note.text.get("detail") or []],
        )
    return messages.written(note.message), (note.detail or "").splitlines()


def notify_agent(
    agent_id: int, message: str, url: str = "", detail: list[str] | None = None
) -> list[Notification]:
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
