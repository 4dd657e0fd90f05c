"""`wfm shifts`: plan how many agents start each shift template each day, from a requirement CSV.

    wfm shifts REQUIREMENT.csv --templates TEMPLATES.json -o PLAN.csv [--column agents] [--time-limit S]
        [--json] [--solver highs|cbc] [--cyclic] [--penalty P]

REQUIREMENT.csv: interval_start,queue,...,<column> (queue optional). TEMPLATES.json: see
scheduling/shifts/template_json.py. PLAN.csv: date,template,start,end,agents,breaks. With --json, one line
on stdout: {"status","cost","bound","gap","unmet_agent_intervals","seconds"} (cost includes the
shortfall penalty, so that bound and gap refer to it). No database needed; all logic is in the engine.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import click

from scheduling.shifts import (
    RequirementError,
    TemplateError,
    load_templates,
    plan_shifts,
    read_requirement_csv,
    write_plan_csv,
)
from scheduling.shifts.template_json import locate_template_error
from wfm.formatting import counted


@contextlib.contextmanager
def _solver_chatter_to_stderr():
    """HiGHS prints a banner on file descriptor 1; keep stdout for the one JSON line."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (embedded runners)
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _check_queues(templates, queues: tuple[str, ...]) -> None:
    """A template serving a queue the requirement does not have is a misspelt name: its agents would
    silently cover nothing of it."""
    known = set(queues)
    for template in templates:
        unknown = sorted(set(template.queues) - known)
        if unknown:
            raise TemplateError(
                f"template {template.name!r}, field 'queues': {unknown[0]!r} is not a queue of the "
                f"requirement (it has {', '.join(sorted(known))})"
            )


@click.command("shifts")
@click.argument("requirement", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--templates",
    "templates_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TEMPLATES.json",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PLAN.csv to write"
)
@click.option(
    "--column",
    default="agents",
    show_default=True,
    help="Requirement column to cover (agents on the phones; breaks are planned by the model)",
)
@click.option(
    "--time-limit",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds for the whole solve",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line of solve figures on stdout")
@click.option("--solver", default="highs", show_default=True, type=click.Choice(["highs", "cbc"]))
@click.option("--cyclic", is_flag=True, help="The horizon repeats: shifts past its end cover its start")
@click.option(
    "--penalty",
    type=click.FloatRange(min=0),
    default=None,
    help="Cost per missing agent-interval (default: twice the dearest shift plus one cost unit)",
)
def command(
    requirement: Path,
    templates_path: Path,
    output: Path,
    column: str,
    time_limit: float,
    as_json: bool,
    solver: str,
    cyclic: bool,
    penalty: float | None,
) -> None:
    """Plan shift starts (with breaks) covering REQUIREMENT.csv at least cost; write PLAN.csv."""
    try:
        need = read_requirement_csv(requirement, column)
        templates, site_limits = load_templates(templates_path)
    except (RequirementError, TemplateError) as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        _check_queues(templates, need.queues)
    except TemplateError as exc:
        raise click.ClickException(locate_template_error(templates_path, exc)) from exc
    try:
        with _solver_chatter_to_stderr():
            plan = plan_shifts(
                need,
                templates,
                site_limits,
                cyclic=cyclic,
                penalty=penalty,
                time_limit=time_limit,
                solver=solver,
            )
    except TemplateError as exc:
        raise click.ClickException(locate_template_error(templates_path, exc)) from exc
    write_plan_csv(plan, output)
    summary = plan.summary()
    if as_json:
        click.echo(json.dumps(summary))
        return
    click.echo(
        f"{summary['status']}: cost {summary['cost']}, bound {summary['bound']}, gap {summary['gap']}, "
        f"{counted(plan.total_agents, 'shift')}, "
        f"{counted(summary['unmet_agent_intervals'], 'agent-interval')} short, "
        f"{summary['seconds']} s"
    )
    for item in plan.shortfalls[:20]:
        click.echo(f"  short {item.short} at {item.interval_start.isoformat()} ({item.queue})")
    if len(plan.shortfalls) > 20:
        click.echo(f"  ... and {counted(len(plan.shortfalls) - 20, 'more interval')} short")
    click.echo(f"wrote {output}")
