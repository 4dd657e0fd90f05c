"""`wfm capacity`: a scenario of groups, flows and hiring classes in, the monthly plan out (no database).

The scenario's keys and the plan's columns are described in HELP (and the README).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click

from scheduling.capacity import (
    CSV_COLUMNS,
    ScenarioError,
    balanced_rows,
    for_spreadsheet,
    parse_scenario,
    sentence,
    solve,
)
from scheduling.capacity.plan import Plan, spreadsheet_rule
from scheduling.textfile import SPREADSHEET_ENCODING, NotJSON, read_json
from wfm.commands.shifts import _solver_chatter_to_stderr
from wfm.formatting import counted

HELP = """Plan hires, classes and overtime month by month for the groups of SCENARIO.json; write PLAN.csv.

\b
SCENARIO.json: {"start": "YYYY-MM", "months": N,
  "groups": [{"name", "headcount", "required_fte": [one per month], "monthly_attrition",
              "salary_per_month", "productivity" (default 1.0)}],
  "flows": [{"from", "to", "monthly_rate"}],
  "hiring": [{"into", "class_min", "class_max", "training_months", "ramp": [shares of full speed],
              "cost_per_hire", "max_classes_per_month" (default 1),
              "first_year_attrition" (optional: monthly, for hires in their first 12 months)}],
  "shortfall_cost_per_fte_month": x, "overtime": {"max_share", "cost_factor"},
  "moves" (optional cross-training the plan may decide): [{"from", "to", "max_per_month", "cost_per_move"}]}

\b
PLAN.csv: month,group,headcount_start,hires,in_training,leavers,moved_out,moved_in,headcount_end,
productive_fte,required_fte,overtime_fte,short_fte,cost; every row balances:
headcount_end = headcount_start + hires - leavers - moved_out + moved_in. Figures are expected FTE
(attrition and moves are rates); hires are whole people. With --json, one line of figures goes to stdout.
"""


@click.command("capacity", help=HELP)
@click.argument(
    "scenario_path", metavar="SCENARIO.json", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the plan CSV.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line of plan figures on stdout.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1, max=3600),
    default=60.0,
    show_default=True,
    help="Seconds the solver may take.",
)
@click.option("--solver", type=click.Choice(["highs", "cbc"]), default="highs", show_default=True)
@click.option(
    "--lookahead",
    type=click.IntRange(0, 24),
    default=0,
    show_default=True,
    help="Plan this many months past the horizon (keeping the horizon's decisions), so that the last "
    "months are not left short only because the plan cannot see the people hired then keep working.",
)
@click.option("--rule", is_flag=True, help="Plan by the spreadsheet rule instead (hire the gap, in classes).")
def command(
    scenario_path: Path,
    output_path: Path,
    as_json: bool,
    time_limit: float,
    solver: str,
    lookahead: int,
    rule: bool,
) -> None:
    scenario = _read_scenario(scenario_path)
    if rule:
        plan = spreadsheet_rule(scenario)
    else:
        with _solver_chatter_to_stderr():
            plan = solve(scenario, time_limit=time_limit, solver=solver, lookahead=lookahead)
    if plan.report is not None and not plan.report.has_solution:
        raise click.ClickException(
            f"The solver found no plan within {time_limit:g} seconds ({plan.report.message}); "
            "give it more time with --time-limit."
        )
    rows = balanced_rows(scenario, plan)
    with output_path.open("w", newline="", encoding=SPREADSHEET_ENCODING) as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(for_spreadsheet(rows))
    summary = plan_summary(plan)
    if as_json:
        click.echo(json.dumps(summary))
        return
    click.echo(
        f"{plan.method}: cost {summary['cost']:,.2f}, {summary['hires']} hired in "
        f"{counted(summary['classes'], 'class', 'classes')}, "
        f"{summary['short_fte_months']:.2f} FTE-months short"
        + (f", {summary['status']} in {summary['seconds']} s" if plan.report else "")
    )
    for shortfall in plan.shortfalls[:20]:
        click.echo(f"  {sentence(shortfall)}")
    if len(plan.shortfalls) > 20:
        click.echo(f"  ... and {counted(len(plan.shortfalls) - 20, 'more month')} short")
    click.echo(f"Wrote {counted(len(rows), 'row')} to {output_path}.")


def plan_summary(plan: Plan) -> dict:
    report = plan.report.as_dict() if plan.report else {}
    return {
        "method": plan.method,
        "status": report.get("status", "evaluated"),
        "cost": round(plan.total_cost, 2),
        "bound": report.get("bound"),
        "gap": report.get("gap"),
        "seconds": report.get("seconds"),
        "hires": sum(i.hires for i in plan.intakes),
        "classes": sum(i.classes for i in plan.intakes),
        "short_fte_months": round(plan.short_fte_months, 4),
        "cost_parts": {name: round(float(value), 2) for name, value in plan.cost_parts.items()},
        "intakes": [
            {"month": i.month, "into": i.into, "classes": i.classes, "hires": i.hires} for i in plan.intakes
        ],
        "moves": [
            {"month": m.month, "from": m.source, "to": m.target, "people": m.people} for m in plan.moves
        ],
        "shortfalls": [s.as_dict() for s in plan.shortfalls],
    }


def _read_scenario(path: Path):
    try:
        document = read_json(path)
    except NotJSON as error:
        raise click.ClickException(f"{path}: {error}") from None
    try:
        return parse_scenario(document)
    except ScenarioError as error:
        raise click.ClickException(f"{path}: field {error.field}: {error.detail}") from None
