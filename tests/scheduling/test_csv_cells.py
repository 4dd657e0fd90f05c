"""No CSV the product writes carries a cell a spreadsheet would run as a formula (CSV injection)."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scheduling.csvcells import restore_cell, safe_cell, safe_frame
from scheduling.roster import evaluate, read_curtois, read_solution
from tests.scheduling.fixtures.forecast.synthetic import make_history
from wfm.commands.forecast import command as forecast_command
from wfm.commands.roster import command as roster_command
from wfm.commands.shifts import command as shifts_command
from wfm.commands.staffing import command as staffing_command

HOSTILE = [
    '=HYPERLINK("https://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]
TINY = Path(__file__).parent / "fixtures" / "roster" / "tiny.txt"


def _formula_cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            cell for row in csv.reader(handle) for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")
        ]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_cell_neutralises_and_restores(text):
    assert safe_cell(text) == "'" + text
    assert restore_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", ["retail", "2024-01-01T08:00", "'quoted", "", 12, -3.5, None])
def test_safe_cell_leaves_other_values_alone(value):
    assert safe_cell(value) == value


def test_safe_frame_keeps_numbers_as_numbers():
    frame = pd.DataFrame({"queue": ["=x", "ok"], "forecast": [-1.5, 2.0]})
    safe = safe_frame(frame)
    assert safe["queue"].tolist() == ["'=x", "ok"]
    assert safe["forecast"].tolist() == [-1.5, 2.0]
    assert frame["queue"].tolist() == ["=x", "ok"]  # the caller's frame is not changed


def test_forecast_output_neutralises_queue_names(tmp_path):
    frame = make_history("2024-01-01", "2024-02-28", aht=200.0).frame.copy()
    frame["interval_start"] = frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M")
    frame = frame.drop(columns=["handled", "abandoned"]).assign(queue=HOSTILE[0])
    history = tmp_path / "history.csv"
    frame.to_csv(history, index=False)
    out = tmp_path / "forecast.csv"
    result = CliRunner().invoke(
        forecast_command,
        [str(history), "--start", "2024-03-04", "--days", "1", "-o", str(out), "--method", "top_down"],
    )
    assert result.exit_code == 0, result.output
    assert _formula_cells(out) == []
    assert set(pd.read_csv(out)["queue"]) == {"'" + HOSTILE[0]}


def test_staffing_output_neutralises_queue_names(tmp_path):
    source = tmp_path / "forecast.csv"
    source.write_text(
        "interval_start,queue,forecast,aht_seconds\n"
        "2024-03-04T08:00:00,@SUM(A1:A2),100,\n2024-03-04T08:30:00,@SUM(A1:A2),80,\n"
        "2024-03-04T08:00:00,-2+3,50,\n2024-03-04T08:30:00,-2+3,40,\n"
    )
    out = tmp_path / "requirement.csv"
    result = CliRunner().invoke(
        staffing_command,
        [str(source), "-o", str(out), "--aht", "180", "--service-level", "0.8", "--answer-seconds", "20"],
    )
    assert result.exit_code == 0, result.output
    assert _formula_cells(out) == []
    assert set(pd.read_csv(out)["queue"]) == {"'-2+3", "'@SUM(A1:A2)"}


def test_shift_plan_neutralises_template_names(tmp_path):
    requirement = tmp_path / "requirement.csv"
    day = datetime(2024, 5, 6)
    with requirement.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["interval_start", "queue", "forecast", "agents", "scheduled_agents"])
        for i in range(16):
            writer.writerow([(day + timedelta(hours=8, minutes=30 * i)).isoformat(), "retail", 10, 2, 2])
    templates = tmp_path / "templates.json"
    templates.write_text(
        json.dumps({"templates": [{"name": "=cmd()", "start": "08:00", "length_minutes": 480}]})
    )
    plan = tmp_path / "plan.csv"
    result = CliRunner().invoke(
        shifts_command,
        [str(requirement), "--templates", str(templates), "-o", str(plan), "--time-limit", "10"],
    )
    assert result.exit_code == 0, result.output
    assert _formula_cells(plan) == []
    assert {row["template"] for row in csv.DictReader(plan.open())} == {"'=cmd()"}


def test_roster_solution_neutralises_employee_ids_and_reads_back(tmp_path):
    instance = tmp_path / "hostile.txt"
    instance.write_text(re.sub(r"(?m)^A,", "=A,", TINY.read_text()))
    out = tmp_path / "SOLUTION.csv"
    result = CliRunner().invoke(roster_command, [str(instance), "--time-limit", "10", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _formula_cells(out) == []
    assert "'=A" in out.read_text()
    problem = read_curtois(instance)
    assert evaluate(problem, read_solution(out, problem)).violations == []
