"""`wfm roster`: solve a named-rostering instance from a file and write the roster as CSV.

No database and no domain logic here: the file is read, solved and written by `scheduling.roster`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from scheduling.roster import RosterInputError, read_curtois, solve_roster, write_solution
from scheduling.roster.size import check_time_limit


@click.command("roster")
@click.argument("instance", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "input_format",
    type=click.Choice(["curtois"]),
    default="curtois",
    show_default=True,
    help="Input format: the Employee Shift Scheduling Benchmark text format (Curtois & Qu).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds for the whole solve.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write SOLUTION.csv (employee,day,shift for every worked day).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON line: objective, status, bound, seconds."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the neighbourhood search.")
def command(
    instance: Path, input_format: str, time_limit: float, output: Path, as_json: bool, seed: int
) -> None:
    """Roster INSTANCE within the time limit and write the solution."""
    if not instance.is_file():
        raise click.BadParameter(f"{instance}: no such file", param_hint="INSTANCE")
    try:
        problem = read_curtois(instance)
        check_time_limit(problem, time_limit)
    except RosterInputError as exc:
        message = str(exc).replace("time_limit:", "--time-limit:", 1)
        raise click.ClickException(
            f"{instance}: {message}" if not message.startswith(str(instance)) else message
        ) from None
    result = solve_roster(problem, time_limit=time_limit, seed=seed)
    if result.roster is not None:
        write_solution(result.roster, output)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "objective": result.objective,
                    "status": result.status,
                    "bound": result.bound,
                    "seconds": round(result.seconds, 3),
                }
            )
        )
    else:
        gap = f"{100 * result.gap:.2f}%" if result.gap is not None else "-"
        click.echo(
            f"{instance.name}: {result.status}, objective {result.objective}, bound {result.bound}, "
            f"gap {gap}, {result.seconds:.1f} s"
        )
        for broken in result.broken:
            click.echo(f"  hard rule broken: {broken.rule} for {broken.employee} on days {list(broken.days)}")
    if result.roster is None:
        raise click.ClickException(f"{instance}: no roster found within {time_limit:g} s")
    if result.status not in ("optimal", "feasible"):
        raise click.ClickException(
            f"{instance}: {result.status}: no roster keeps every hard rule; the one written "
            f"to {output} breaks {len(result.broken)} of them"
        )
