"""`wfm demo`: load the demo centre (into an empty database only) and print the demo logins;
`wfm demo replay-day`: replay a day of real calls and agent states into it (the Today and adherence pages
move)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext

from wfm.demo import careers as demo_careers
from wfm.demo import centres, organisation
from wfm.demo import history as history_module
from wfm.demo import planning as demo_planning
from wfm.extensions import db
from wfm.formatting import counted
from wfm.models import ShiftPlan, Site
from wfm.shiftplans.headcount import balance


@click.group("demo", invoke_without_command=True)
@click.option(
    "--centre",
    type=click.Choice(list(centres.CENTRES)),
    default=centres.DEFAULT,
    show_default=True,
    help="Which centre: the seed article's Beijing centre (in Chinese, China's holidays) or the Tel Aviv "
    "centre of the 1999 data.",
)
@click.option("--if-empty", is_flag=True, help="Do nothing (and say so) when the database holds data.")
@click.option(
    "--history/--no-history",
    default=True,
    show_default=True,
    help="Also load a year of contact history derived from the Anonymous Bank 1999 data.",
)
@click.option(
    "--solve-seconds",
    type=click.FloatRange(min=1),
    default=30,
    show_default=True,
    help="Time limit of the demo's shift-plan and roster solves.",
)
@click.option(
    "--agents",
    type=click.IntRange(min=12, max=2000),
    default=None,
    help="Scale the teams to this many agents (load tests); default: the demo's sixty.",
)
@click.option(
    "--weeks",
    type=click.Choice(["4", "8"]),
    default="4",
    show_default=True,
    help="Weeks forecast, planned and rostered from tomorrow (in four-week rosters; load tests use 8).",
)
@click.pass_context
@with_appcontext
def command(
    ctx: click.Context,
    centre: str,
    if_empty: bool,
    history: bool,
    solve_seconds: float,
    agents: int | None,
    weeks: str,
) -> None:
    """Load the demo contact centre: sites, queues, skills, about sixty agents and the demo users.
    `wfm demo replay-day` replays a day into it."""
    if ctx.invoked_subcommand is not None:
        return
    weeks = int(weeks)
    if not organisation.is_empty():
        if if_empty:
            click.echo("The database holds data already; the demo was not loaded.")
            _print_logins(organisation.demo_users_present(), note=" (unless changed since)")
            return
        raise click.ClickException("the database is not empty; the demo loads into an empty database only")
    made = organisation.load(centres.named(centre), agent_count=agents)
    db.session.commit()
    click.echo(
        f"Demo centre loaded: {made['site']}, {counted(made['agents'], 'agent')} "
        f"({counted(made['leavers'], 'leaver')} kept)."
    )
    careers = demo_careers.load()
    db.session.commit()
    click.echo(
        f"Careers loaded: {counted(careers['levels'], 'level')} held across "
        f"{counted(careers['fields'], 'field')}, "
        f"{counted(careers['sessions'], 'training session')}, "
        f"{counted(careers['pending_evidence'], 'evidence item')} and "
        f"{counted(careers['proposed_promotions'], 'promotion')} waiting for HR."
    )
    if history:
        site = db.session.query(Site).filter_by(name=made["site"]).one()
        intervals = history_module.load(site)
        db.session.commit()
        click.echo(
            f"Contact history loaded: {counted(intervals, 'interval')} of 15 minutes over the last year."
        )
        first = dt.date.today() + dt.timedelta(days=1)
        click.echo(
            f"Forecasting {counted(weeks, 'week')} from tomorrow "
            "and calculating requirements (a minute at most)..."
        )
        requirements = demo_planning.forecast_and_staff(site, first, days=7 * weeks)
        click.echo(f"Forecasts and requirements made for {counted(len(requirements), 'queue')}.")
        for block in range(0, weeks, 4):  # a roster covers at most six weeks: four-week blocks
            start = first + dt.timedelta(days=7 * block)
            click.echo(
                f"Planning shifts and rostering the agents for the four weeks from {start} "
                "(about a minute)..."
            )
            plan_id, roster_id = demo_planning.plan_and_roster(
                site, start, plan_seconds=solve_seconds * 2 / 3, roster_seconds=solve_seconds
            )
            click.echo(f"Shift plan #{plan_id} and published roster #{roster_id} made.")
            if plan_id is not None:
                staffing = balance(db.session.get(ShiftPlan, plan_id))
                click.echo(
                    f"The plan (shrinkage included) is {staffing['headline']} for the site's "
                    f"{counted(staffing['agents'], 'agent')}."
                )
    _print_logins(made["users"] + careers.get("users", []))


def _print_logins(users: list[tuple[str, str]], note: str = "") -> None:
    if not users:
        return
    click.echo(f"Demo logins, password '{organisation.DEMO_PASSWORD}'{note}:")
    for username, roles in users:
        click.echo(f"  {username:<10} {roles}")


@command.command("replay-day")
@click.option("--speed", type=click.FloatRange(min=1), default=60, show_default=True, help="Times real time.")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Default: the first day from today with a published roster.",
)
@click.option("--from", "begin", type=click.DateTime(formats=["%H:%M"]), default="07:00", show_default=True)
@click.option("--until", type=click.DateTime(formats=["%H:%M"]), default="23:45", show_default=True)
@click.option("--instant", is_flag=True, help="Send everything at once, as fast as it goes.")
@with_appcontext
def replay_day(speed: float, day, begin, until, instant: bool) -> None:
    """Replay one day of real 1999 calls and made-up agent states into the demo site, at SPEED times real
    time, through the operations the API uses: open the Today and Adherence pages to watch it."""
    from sqlalchemy import select

    from wfm.demo.replay import replay
    from wfm.rosters import truth

    site = db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.id)).first()
    if site is None:
        raise click.ClickException("there is no site; load the demo first with `wfm demo`")
    if day is None:
        today = dt.date.today()
        owned = truth.owner_map(site.id, today, today + dt.timedelta(days=60))
        if not owned:
            raise click.ClickException(
                "no published roster from today on; load the demo first with `wfm demo`"
            )
        chosen = min(owned)
    else:
        chosen = day.date()
    click.echo(
        f"Replaying {chosen} at {site.name} from {begin:%H:%M} to {until:%H:%M}"
        + ("" if instant else f" at {speed:g} times real time")
        + f". Watch /today/?follow={chosen} and /today/adherence?follow={chosen}."
    )
    from wfm.intraday.actuals import ActualsRefused

    try:
        sent = replay(site, chosen, speed, begin.time(), until.time(), click.echo, instant=instant)
    except ActualsRefused as refused:
        db.session.rollback()
        raise click.ClickException(
            f"{refused.message} " + "; ".join(str(p) for p in refused.problems[:5])
        ) from None
    click.echo(
        f"Done: {counted(sent['intervals'], 'interval')} and {counted(sent['events'], 'agent state')} sent."
    )
