"""`wfm actuals import FILE [--site NAME]`: the file drop for the day's actuals (interval figures per queue,
or agent-state events), recorded all or nothing, as the API records them."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from wfm.textfiles import encoding_option

MAX_PROBLEMS_SHOWN = 20


@click.group("actuals")
def command() -> None:
    """The day's actuals: interval figures per queue and agent-state events."""


@command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", default=None, help="Only this site's queues (by name); default: every site's.")
@encoding_option
@with_appcontext
def import_file(file: Path, site: str | None, encoding: str) -> None:
    """Record FILE: a CSV of intervals (interval_start,queue,offered,answered,...) or of events
    (event_id,agent,at,state,queue), or the API's JSON body. Nothing is written if a row is bad."""
    from sqlalchemy import select

    from scheduling.textfile import NotText, read_text
    from wfm.errors import FieldError
    from wfm.extensions import db
    from wfm.formatting import counted
    from wfm.intraday.actuals import ActualsRefused, record_file
    from wfm.models import Site

    site_id = None
    if site is not None:
        site_id = db.session.scalar(select(Site.id).where(Site.name == site))
        if site_id is None:
            raise click.BadParameter(f"no site is called {site!r}", param_hint="--site")
    try:
        text = read_text(file, encoding)
    except (OSError, NotText) as error:
        raise click.ClickException(f"{file}: cannot read: {error}") from None
    try:
        kind, recorded = record_file(text, str(file), site_id)
        db.session.commit()
    except ActualsRefused as refused:
        db.session.rollback()
        lines = [str(p) for p in refused.problems[:MAX_PROBLEMS_SHOWN]]
        if len(refused.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"... and {counted(len(refused.problems) - MAX_PROBLEMS_SHOWN, 'more problem')}")
        raise click.ClickException(f"{file}: {refused.message}\n" + "\n".join(lines)) from None
    except FieldError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    if kind == "intervals":
        click.echo(
            f"{file}: {counted(recorded.new, 'new interval')}, "
            f"{counted(recorded.replaced, 'interval')} replacing earlier ones."
        )
    else:
        click.echo(
            f"{file}: {counted(recorded.new, 'new event')}, {counted(recorded.repeated, 'repeat')} ignored."
        )
