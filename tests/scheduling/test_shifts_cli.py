"""`wfm shifts` end to end through click's CliRunner (files in, PLAN.csv and one JSON line out)."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

from click.testing import CliRunner

from wfm.commands.shifts import command

TEMPLATES = {
    "templates": [
        {
            "name": "day",
            "start_window": {"earliest": "07:00", "latest": "10:00", "step_minutes": 30},
            "lengths_minutes": [240, 480],
            "breaks": [
                {
                    "name": "lunch",
                    "minutes": 30,
                    "paid": False,
                    "window": ["03:00", "05:00"],
                    "min_shift_minutes": 480,
                }
            ],
        },
        {"name": "night", "start": "22:00", "length_minutes": 480, "cost": {"night_multiplier": 1.5}},
    ]
}


def _write_inputs(tmp_path, needs: dict[datetime, int]):
    requirement = tmp_path / "requirement.csv"
    with requirement.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["interval_start", "queue", "forecast", "agents", "scheduled_agents"])
        for stamp, agents in sorted(needs.items()):
            writer.writerow([stamp.isoformat(), "retail", agents * 5, agents, agents + 1])
    templates = tmp_path / "templates.json"
    templates.write_text(json.dumps(TEMPLATES, indent=2))
    return requirement, templates


def _needs():
    day = datetime(2024, 5, 6)
    needs = {day + timedelta(hours=8, minutes=30 * i): 2 + (i % 4 == 1) for i in range(20)}
    needs.update({day + timedelta(hours=23, minutes=30 * i): 1 for i in range(8)})
    return needs


def test_cli_writes_a_plan_that_covers_the_requirement(tmp_path):
    needs = _needs()
    requirement, templates = _write_inputs(tmp_path, needs)
    plan_path = tmp_path / "plan.csv"
    result = CliRunner().invoke(
        command,
        [
            str(requirement),
            "--templates",
            str(templates),
            "-o",
            str(plan_path),
            "--json",
            "--time-limit",
            "20",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert set(summary) == {"status", "cost", "bound", "gap", "unmet_agent_intervals", "seconds"}
    assert summary["status"] == "optimal"
    assert summary["unmet_agent_intervals"] == 0
    rows = list(csv.DictReader(plan_path.open(encoding="utf-8-sig")))  # UTF-8 with a BOM, for Excel
    assert list(rows[0])[:5] == ["date", "template", "start", "end", "agents"]
    # recompute on-phone agents per 30-minute interval from the CSV alone
    for stamp, need in needs.items():
        on_phones = 0
        for row in rows:
            start, end = datetime.fromisoformat(row["start"]), datetime.fromisoformat(row["end"])
            breaks = [
                tuple(datetime.fromisoformat(p) for p in item.split(" ")[0].split("/"))
                for item in row["breaks"].split(";")
                if item
            ]
            if start <= stamp < end and not any(b0 <= stamp < b1 for b0, b1 in breaks):
                on_phones += int(row["agents"])
        assert on_phones >= need, stamp
    assert any(row["template"] == "night" and row["end"].startswith("2024-05-07") for row in rows)
    assert summary["cost"] >= summary["bound"] - 1e-6


def test_cli_other_column_and_human_output(tmp_path):
    requirement, templates = _write_inputs(tmp_path, _needs())
    plan_path = tmp_path / "plan.csv"
    base = [str(requirement), "--templates", str(templates), "-o", str(plan_path), "--time-limit", "20"]
    agents = CliRunner().invoke(command, [*base, "--json"])
    scheduled = CliRunner().invoke(
        command, [*base, "--json", "--column", "scheduled_agents", "--solver", "cbc"]
    )
    assert agents.exit_code == 0, agents.output
    assert scheduled.exit_code == 0, scheduled.output
    assert (
        json.loads(scheduled.output.splitlines()[-1])["cost"]
        > json.loads(agents.output.splitlines()[-1])["cost"]
    )
    human = CliRunner().invoke(command, base)
    assert human.exit_code == 0
    assert "optimal" in human.output
    assert "wrote" in human.output


def test_cli_bad_requirement_names_file_line_and_field(tmp_path):
    requirement, templates = _write_inputs(tmp_path, _needs())
    lines = requirement.read_text().splitlines()
    parts = lines[3].split(",")
    lines[3] = ",".join([*parts[:3], "lots", *parts[4:]])
    requirement.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(
        command, [str(requirement), "--templates", str(templates), "-o", str(tmp_path / "p.csv")]
    )
    assert result.exit_code != 0
    assert f"{requirement}: line 4: field 'agents'" in result.output


def test_cli_bad_template_names_file_line_and_field(tmp_path):
    requirement, templates = _write_inputs(tmp_path, _needs())
    document = json.loads(templates.read_text())
    document["templates"][1]["start"] = "22:10"  # not on the 30-minute grid of the requirement
    templates.write_text(json.dumps(document, indent=2))
    result = CliRunner().invoke(
        command, [str(requirement), "--templates", str(templates), "-o", str(tmp_path / "p.csv")]
    )
    assert result.exit_code != 0
    line = next(i for i, text in enumerate(templates.read_text().splitlines(), 1) if '"night"' in text)
    assert f"{templates}: line {line}: template 'night', field 'start'" in result.output
    document["templates"][1]["start"] = "2200"
    templates.write_text(json.dumps(document, indent=2))
    result = CliRunner().invoke(
        command, [str(requirement), "--templates", str(templates), "-o", str(tmp_path / "p.csv")]
    )
    assert result.exit_code != 0
    assert "field 'start'" in result.output
    assert f"line {line}" in result.output
