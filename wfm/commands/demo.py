"""`wfm demo`: load the demo centre (into an empty database only) and print the demo logins."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from wfm.demo import organisation
from wfm.extensions import db


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and say so) when the database holds data.")
@with_appcontext
def command(if_empty: bool) -> None:
    """Load the demo contact centre: sites, queues, skills, about sixty agents and the demo users."""
    if not organisation.is_empty():
        if if_empty:
            click.echo("The database holds data already; the demo was not loaded.")
            _print_logins(organisation.demo_users_present(), note=" (unless changed since)")
            return
        raise click.ClickException("the database is not empty; the demo loads into an empty database only")
    made = organisation.load()
    db.session.commit()
    click.echo(f"Demo centre loaded: {made['site']}, {made['agents']} agents ({made['leavers']} leavers kept).")
    _print_logins(made["users"])


def _print_logins(users: list[tuple[str, str]], note: str = "") -> None:
    if not users:
        return
    click.echo(f"Demo logins, password '{organisation.DEMO_PASSWORD}'{note}:")
    for username, roles in users:
        click.echo(f"  {username:<10} {roles}")
