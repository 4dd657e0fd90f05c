"""`wfm simulate` on the shipped example and on broken files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wfm.commands.simulate import command
from wfm.commands.staff_by_simulation import command as staff_command

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "simulate_two_groups.json"


def test_the_example_runs_and_writes_json_and_csv(tmp_path):
    out = tmp_path / "result.csv"
    run = CliRunner().invoke(
        command, [str(EXAMPLE), "--replications", "10", "--seed", "2", "-o", str(out), "--json"]
    )
    assert run.exit_code == 0, run.output
    result = json.loads(run.output)
    assert result["replications"] == 10
    assert set(result["types"]) == {"retail", "priority"}
    assert set(result["groups"]) == {"generalists", "experts"}
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 2 * 3  # two types, three periods
    offered = sum(float(r["offered"]) for r in rows if r["contact_type"] == "retail")
    assert offered == result["types"]["retail"]["offered"]
    assert rows[2]["offered"] == "0.0"  # nothing arrives in period 2
    assert rows[2]["service_level"] == ""


def test_the_summary_is_plain_sentences():
    run = CliRunner().invoke(command, [str(EXAMPLE), "--replications", "5"])
    assert run.exit_code == 0, run.output
    assert "retail: service level" in run.output
    assert "Group experts: occupancy" in run.output


def test_bad_json_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"periods": 2,\n')
    run = CliRunner().invoke(command, [str(path)])
    assert run.exit_code != 0
    assert "line 2" in run.output
    assert "not valid JSON" in run.output
    assert "Traceback" not in run.output


def test_a_bad_scenario_names_the_field(tmp_path):
    scenario = json.loads(EXAMPLE.read_text())
    scenario["contact_types"][0]["handle_time"]["mean_seconds"] = [180, 200]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(scenario))
    run = CliRunner().invoke(command, [str(path)])
    assert run.exit_code != 0
    assert "contact_types[0].handle_time.mean_seconds: 2 values for 3 periods" in run.output
    assert run.exception is None or isinstance(run.exception, SystemExit)


def test_a_type_named_like_a_formula_is_written_as_text(tmp_path):
    scenario = json.loads(EXAMPLE.read_text())
    scenario["contact_types"][1]["name"] = "=HYPERLINK(1)"
    scenario["agent_groups"][1]["serves"] = ["=HYPERLINK(1)", "retail"]
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    out = tmp_path / "result.csv"
    run = CliRunner().invoke(command, [str(path), "--replications", "2", "-o", str(out)])
    assert run.exit_code == 0, run.output
    names = {row["contact_type"] for row in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert names == {"retail", "'=HYPERLINK(1)"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [("[" * 100_000, "nested too deeply"), ('{"periods": ' + "9" * 5000 + "}", "not valid JSON")],
)
def test_a_file_json_cannot_read_is_refused_in_words(tmp_path, text, reason):
    path = tmp_path / "odd.json"
    path.write_text(text)
    staff = ["--service-level", "0.8", "-o", str(tmp_path / "corrected.json")]
    for cli, extra in ((command, []), (staff_command, staff)):
        run = CliRunner().invoke(cli, [str(path), *extra])
        assert run.exit_code == 1, run.output
        assert reason in run.output
        assert run.exception is None or isinstance(run.exception, SystemExit)
