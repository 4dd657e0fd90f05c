"""`wfm staff-by-simulation`: correct a scenario's staffing per period by simulation (no database needed).

    wfm staff-by-simulation SCENARIO.json --service-level 0.8 [--target NAME=SHARE ...] -o CORRECTED.json

The scenario is `wfm simulate`'s, with agents_per_period for every group (for instance the Erlang answer
per queue); all logic is in `scheduling.staffing.by_simulation`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from scheduling.simulate import ScenarioError
from scheduling.staffing.by_simulation import correct
from scheduling.textfile import NotJSON, read_json_object
from wfm.formatting import counted, pct

HELP = """Correct the agents per period of SCENARIO.json until every contact type meets its service level.

\b
Starting from the scenario's agents_per_period (every agent group needs them), each round simulates the
staffing on the same simulated days (--seed), adds an agent where a contact type misses its target in a
period and takes one away where every type a group serves holds it with --margin to spare; it stops when a
round changes nothing or after --max-rounds. --service-level sets the target of every contact type;
--target NAME=SHARE sets one type's (repeatable). -o CORRECTED.json writes the scenario with the
corrected agents_per_period.
"""


def _targets(scenario: dict, service_level: float | None, pairs: tuple[str, ...]) -> dict[str, float]:
    names = [t.get("name") for t in scenario.get("contact_types") or [] if isinstance(t, dict)]
    out = {name: service_level for name in names} if service_level is not None else {}
    for pair in pairs:
        name, _, share = pair.rpartition("=")
        try:
            value = float(share)
        except ValueError:
            value = -1.0
        if name not in names or not 0 < value <= 1:
            raise click.BadParameter(
                f"{pair!r}: give a contact type of the scenario and a share from 0 to 1, as NAME=0.8",
                param_hint="--target",
            )
        out[name] = value
    if not out:
        raise click.UsageError("give --service-level or at least one --target")
    return out


@click.command("staff-by-simulation", help=HELP)
@click.argument(
    "scenario_path", metavar="SCENARIO.json", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--service-level", type=click.FloatRange(0, 1, min_open=True), help="Target of every type.")
@click.option("--target", "pairs", multiple=True, help="One contact type's target, NAME=SHARE.")
@click.option("--replications", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, None))
@click.option("--margin", default=0.0, show_default=True, type=click.FloatRange(0, 1))
@click.option("--max-rounds", default=30, show_default=True, type=click.IntRange(1, 1000))
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, path_type=Path))
def command(
    scenario_path: Path,
    service_level: float | None,
    pairs: tuple[str, ...],
    replications: int,
    seed: int,
    margin: float,
    max_rounds: int,
    output_path: Path | None,
) -> None:
    try:
        scenario = read_json_object(scenario_path)
    except NotJSON as error:
        raise click.ClickException(f"{scenario_path}: {error}") from None
    targets = _targets(scenario, service_level, pairs)
    try:
        corrected = correct(scenario, targets, replications, seed, margin, max_rounds)
    except (ScenarioError, ValueError) as error:
        raise click.ClickException(f"{scenario_path}: {error}") from None
    before = {g["name"]: g["agents_per_period"] for g in scenario["agent_groups"]}
    state = "settled" if corrected.converged else "had not settled when the rounds ran out"
    click.echo(f"After {counted(corrected.rounds, 'round')} the staffing {state}.")
    for name, agents in corrected.agents.items():
        start = before[name]
        start_total = sum(start) if isinstance(start, list) else start * len(agents)
        click.echo(f"Group {name}: {counted(sum(agents), 'agent-period')}, {start_total} before.")
    for name, target in targets.items():
        level = corrected.result["types"][name]["service_level"]
        click.echo(f"{name}: simulated service level {pct(level, 1)} against a target of {pct(target, 1)}.")
    if output_path is not None:
        out = {
            **scenario,
            "agent_groups": [
                {**g, "agents_per_period": corrected.agents[g["name"]]} for g in scenario["agent_groups"]
            ],
        }
        output_path.write_text(json.dumps(out, indent=1))
        click.echo(f"Wrote the corrected scenario to {output_path}.")
