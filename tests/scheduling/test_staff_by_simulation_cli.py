"""`wfm staff-by-simulation`: one queue lands on the Erlang C answer; a bad target is named."""

import json

from click.testing import CliRunner

from tests.scheduling.test_staffing_by_simulation import one_queue
from wfm.commands.staff_by_simulation import command


def test_the_corrected_scenario_is_written_and_reported(tmp_path):
    path, out = tmp_path / "scenario.json", tmp_path / "corrected.json"
    path.write_text(json.dumps(one_queue(6)))
    result = CliRunner().invoke(
        command, [str(path), "--target", "retail=0.8", "--replications", "40", "--seed", "3", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    corrected = json.loads(out.read_text())
    assert corrected["agent_groups"][0]["agents_per_period"] == [9, 9, 9]  # Erlang C's answer
    assert "Group team: 27 agent-periods, 18 before." in result.output


def test_a_target_of_an_unknown_type_is_named(tmp_path):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(one_queue(6)))
    result = CliRunner().invoke(command, [str(path), "--target", "chat=0.8"])
    assert result.exit_code == 2
    assert "--target" in result.output
    assert "'chat=0.8'" in result.output
