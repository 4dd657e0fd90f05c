"""`wfm careers seed` stores the default catalogue; `wfm careers reminders` sends certification reminders."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext


@click.group("careers")
def command() -> None:
    """Career ladders and training: seed the catalogue, send expiry reminders."""


@command.command("seed")
@with_appcontext
def seed() -> None:
    """Store the seeded tracks, fields, ladders, competencies, courses and certifications (once)."""
    from wfm.careers.store import seed_catalogue
    from wfm.extensions import db

    made = seed_catalogue()
    db.session.commit()
    click.echo("Career catalogue seeded." if made else "A career catalogue is stored already; left as it is.")


@command.command("reminders")
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to run for (default: today).",
)
@with_appcontext
def reminders(on: dt.datetime | None) -> None:
    """Notify agents and HR of certificates expiring within 90 and 30 days (each reminder once)."""
    from wfm.careers.reminders import send_reminders
    from wfm.extensions import db

    sent = send_reminders(on.date() if on else None)
    db.session.commit()
    click.echo(f"{len(sent)} reminders sent.")
