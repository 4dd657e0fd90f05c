"""`wfm roster` through click's CliRunner (the command object is imported directly)."""

import json
from pathlib import Path

from click.testing import CliRunner

from scheduling.roster import evaluate, read_curtois, read_solution
from wfm.commands.roster import command

FIXTURE = Path(__file__).parent / "fixtures" / "roster" / "tiny.txt"


def test_json_line_and_solution_file(tmp_path):
    out = tmp_path / "SOLUTION.csv"
    result = CliRunner().invoke(
        command,
        [str(FIXTURE), "--format", "curtois", "--time-limit", "10", "-o", str(out), "--json", "--seed", "3"],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert set(report) == {"objective", "status", "bound", "seconds"}
    assert report["status"] == "optimal"
    assert report["bound"] == report["objective"]
    problem = read_curtois(FIXTURE)
    checked = evaluate(problem, read_solution(out, problem))
    assert checked.violations == []
    assert checked.objective == report["objective"]


def test_plain_output_names_the_result(tmp_path):
    result = CliRunner().invoke(command, [str(FIXTURE), "--time-limit", "5", "-o", str(tmp_path / "s.csv")])
    assert result.exit_code == 0, result.output
    assert "tiny.txt: optimal" in result.output


def test_bad_input_exits_non_zero_naming_file_line_and_field(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(FIXTURE.read_text().replace("B,5,E,1", "B,5,E,heavy"))
    result = CliRunner().invoke(command, [str(bad), "--time-limit", "5", "-o", str(tmp_path / "s.csv")])
    assert result.exit_code != 0
    assert f"{bad}, line 30, field Weight" in result.output
    assert not (tmp_path / "s.csv").exists()


def test_missing_file_and_bad_time_limit_are_refused(tmp_path):
    missing = CliRunner().invoke(command, [str(tmp_path / "none.txt"), "-o", str(tmp_path / "s.csv")])
    assert missing.exit_code != 0
    assert "none.txt" in missing.output
    negative = CliRunner().invoke(command, [str(FIXTURE), "--time-limit", "0", "-o", str(tmp_path / "s.csv")])
    assert negative.exit_code != 0
    assert "time-limit" in negative.output
