"""`wfm tokens create USERNAME --name ...`, `wfm tokens list [USERNAME]`, `wfm tokens revoke ID`: API tokens
for scripts, made by an administrator on the server (the secret is printed once)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("tokens")
def command() -> None:
    """Personal tokens for the JSON API."""


def _user(username: str):
    from sqlalchemy import select

    from wfm.extensions import db
    from wfm.models import User

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.BadParameter(f"no user called {username!r}", param_hint="USERNAME")
    return user


@command.command("create")
@click.argument("username")
@click.option("--name", required=True, help="Where the token is used (shown in lists).")
@click.option("--expires-in-days", type=click.IntRange(1, 732), default=None, help="Default: never expires.")
@with_appcontext
def create(username: str, name: str, expires_in_days: int | None) -> None:
    """Make a token for USERNAME and print its secret (once)."""
    from wfm.api import tokens
    from wfm.extensions import db

    user = _user(username)
    if not user.active:
        raise click.BadParameter(f"{username!r} is deactivated", param_hint="USERNAME")
    try:
        token, secret = tokens.create_token(user, name, expires_in_days)
    except tokens.TokenProblem as problem:
        raise click.BadParameter(
            problem.message, param_hint=f"--{problem.field.replace('_', '-')}"
        ) from problem
    db.session.commit()
    click.echo(f"Token {token.id} ({token.name}) for {user.username}; keep it secret, it is not shown again:")
    click.echo(secret)


@command.command("list")
@click.argument("username", required=False)
@with_appcontext
def list_tokens(username: str | None) -> None:
    """List tokens (of USERNAME, or everyone's): id, user, name, prefix, state, last use."""
    from sqlalchemy import select

    from wfm.api import tokens
    from wfm.extensions import db
    from wfm.models import ApiToken

    query = select(ApiToken).order_by(ApiToken.id)
    if username:
        query = query.where(ApiToken.user_id == _user(username).id)
    rows = db.session.scalars(query).all()
    if not rows:
        click.echo("No tokens.")
    for t in rows:
        used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never used"
        expires = t.expires_at.strftime("%Y-%m-%d") if t.expires_at else "no expiry"
        click.echo(
            f"{t.id}\t{t.user.username}\t{t.name}\t{t.prefix}…\t{tokens.state_of(t)}\t{used}\t{expires}"
        )


@command.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID: calls with it are refused from now on."""
    from wfm.api import tokens
    from wfm.extensions import db
    from wfm.models import ApiToken

    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.BadParameter(f"no token with id {token_id}", param_hint="TOKEN_ID")
    if tokens.revoke(token):
        db.session.commit()
        click.echo(f"Token {token.id} ({token.name}) of {token.user.username} revoked.")
    else:
        click.echo(f"Token {token.id} was revoked already.")
