"""`wfm simulate`: run a contact-centre scenario through the discrete-event simulator (no database needed).

    wfm simulate SCENARIO.json [--replications N] [--seed S] [-o RESULT.csv] [--json]

The scenario format is in the README ("Simulating a plan") and `scheduling/simulate/scenario.py`; all
logic is in the engine. A bad file or scenario stops with a message naming the field, never a traceback.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click

from scheduling.csvcells import safe_row
from scheduling.simulate import ScenarioError, simulate_json
from scheduling.textfile import SPREADSHEET_ENCODING, NotJSON, read_json_object
from wfm.formatting import num, pct

HELP = """Simulate SCENARIO.json and report the service level, abandonment, average wait and occupancy.

\b
SCENARIO.json gives period_minutes, periods, agent_selects ("priority" or "longest_waiting"), optional
busyness_gamma_shape, contact_types (name, channel, arrivals_per_period, handle_time, patience,
answer_seconds, groups) and agent_groups (name, serves, agents_per_period or named agents with the
minutes they are on). See the README section "Simulating a plan" for every field.

\b
Every figure is the mean over the replications with a 95% confidence interval; the replications share
random numbers drawn from --seed, so the same seed gives the same result and two scenarios differing
only in their agents meet the same contacts. --json prints the whole result as one JSON object;
-o RESULT.csv writes the figures per contact type and period.
"""

CSV_FIELDS = (
    "contact_type",
    "period",
    "offered",
    "served",
    "abandoned",
    "served_within_target",
    "abandoned_after_target",
    "service_level",
    "service_level_low",
    "service_level_high",
    "asa_seconds",
    "abandon_rate",
    "p_wait",
)


@click.command("simulate", help=HELP)
@click.argument(
    "scenario_path", metavar="SCENARIO.json", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--replications", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, None))
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the figures per contact type and period (CSV).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as one JSON object.")
def command(
    scenario_path: Path, replications: int, seed: int, output_path: Path | None, as_json: bool
) -> None:
    try:
        scenario = read_json_object(scenario_path)
    except NotJSON as error:
        raise click.ClickException(f"{scenario_path}: {error}") from None
    try:
        result = simulate_json(scenario, replications=replications, seed=seed)
    except ScenarioError as error:
        raise click.ClickException(f"{scenario_path}: {error}") from None
    if output_path is not None:
        write_result_csv(result, output_path)
    if as_json:
        click.echo(json.dumps(result))
        return
    for line in summary_lines(result):
        click.echo(line)
    if output_path is not None:
        click.echo(f"Wrote the figures per contact type and period to {output_path}.")


def summary_lines(result: dict) -> list[str]:
    runs = result["replications"]
    lines = [f"Simulated {runs} replication{'s' if runs != 1 else ''} in {result['seconds']:.1f} seconds."]
    for name, cell in [*result["types"].items(), ("All contacts", result["total"])]:
        lines.append(f"{name}: {_cell_summary(cell)}")
    for name, group in result["groups"].items():
        lines.append(f"Group {name}: occupancy {pct(group['occupancy'], 1)}.")
    return lines


def _cell_summary(cell: dict) -> str:
    level = pct(cell["service_level"], 1)
    low, high = cell["service_level_ci"]
    band = f" (95% interval {pct(low, 1)} to {pct(high, 1)})" if low is not None else ""
    return (
        f"service level {level}{band}; {num(cell['offered'], 1)} contacts offered per replication, "
        f"{pct(cell['abandon_rate'], 1)} abandoned, average wait {num(cell['asa_seconds'], 1)} seconds."
    )


def write_result_csv(result: dict, path: Path) -> None:
    """One row per contact type and period; type names that a spreadsheet would run as formulas are
    written as text (scheduling/csvcells.py)."""
    with open(path, "w", newline="", encoding=SPREADSHEET_ENCODING) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for name, periods in result["by_period"].items():
            for cell in periods:
                low, high = cell["service_level_ci"]
                row = {**cell, "contact_type": name, "service_level_low": low, "service_level_high": high}
                writer.writerow(safe_row("" if row[key] is None else row[key] for key in CSV_FIELDS))
