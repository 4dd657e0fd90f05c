"""Every command validates its input eagerly, refuses what cannot be done within its time limit, and exits
non-zero with a message whenever it does not succeed."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scheduling.roster import RosterInputError, parse_curtois
from scheduling.roster.model import MAX_HORIZON_DAYS
from scheduling.roster.size import cells, least_time_limit
from tests.scheduling.fixtures.forecast.synthetic import make_history
from wfm.commands.forecast import command as forecast_command
from wfm.commands.roster import command as roster_command
from wfm.commands.shifts import command as shifts_command
from wfm.commands.staffing import command as staffing_command

TINY = Path(__file__).parent / "fixtures" / "roster" / "tiny.txt"


def _instance(
    staff: int, days: int, min_consecutive: int = 1, max_consecutive: int = 5, min_minutes: int = 0
) -> str:
    lines = ["SECTION_HORIZON", str(days), "", "SECTION_SHIFTS", "E,480,", "L,480,E", "", "SECTION_STAFF"]
    lines += [
        f"P{i},E={days}|L={days},{days * 480},{min_minutes},{max_consecutive},{min_consecutive},1,{days}"
        for i in range(staff)
    ]
    lines += ["", "SECTION_COVER"] + [f"{d},{s},1,100,1" for d in range(min(days, 28)) for s in "EL"]
    return "\r\n".join(lines) + "\r\n"


def _roster(tmp_path, text: str, *args: str):
    path = tmp_path / "instance.txt"
    path.write_text(text)
    out = tmp_path / "SOLUTION.csv"
    return CliRunner().invoke(roster_command, [str(path), "-o", str(out), *args]), out


def test_roster_refuses_an_absurd_horizon_naming_line_and_field(tmp_path):
    result, out = _roster(
        tmp_path, _instance(2, 7).replace("\r\n7\r\n", "\r\n99999999\r\n", 1), "--time-limit", "5"
    )
    assert result.exit_code != 0
    assert not out.exists()
    assert "line 2, field horizon" in result.output
    assert f"at most {MAX_HORIZON_DAYS}" in result.output


def test_roster_refuses_an_instance_it_cannot_even_build_within_the_time_limit(tmp_path):
    text = _instance(2000, 28)
    problem = parse_curtois(text)
    assert least_time_limit(problem) > 5  # building 2000 x 28 x 2 cells takes far longer than 5 s
    result, out = _roster(tmp_path, text, "--time-limit", "5")
    assert result.exit_code != 0
    assert not out.exists()
    assert "--time-limit" in result.output
    assert f"{cells(problem):,}" in result.output


def test_roster_refuses_min_consecutive_above_max(tmp_path):
    result, out = _roster(
        tmp_path, _instance(3, 7, min_consecutive=9, max_consecutive=5), "--time-limit", "5"
    )
    assert result.exit_code != 0
    assert not out.exists()
    assert "line 9, field MinConsecutiveShifts" in result.output
    assert "MaxConsecutiveShifts" in result.output


def test_roster_engine_refuses_min_consecutive_above_max():
    text = _instance(1, 7, min_consecutive=9, max_consecutive=5)
    with pytest.raises(RosterInputError, match="MinConsecutiveShifts"):
        parse_curtois(text)


def test_roster_that_breaks_hard_rules_exits_non_zero(tmp_path):
    # everyone must work all 7 days (3360 minutes) but at most 3 in a row: no roster keeps every rule
    result, out = _roster(
        tmp_path, _instance(2, 7, max_consecutive=3, min_minutes=7 * 480), "--time-limit", "5"
    )
    assert result.exit_code != 0
    assert "infeasible" in result.output
    assert "hard rule broken" in result.output
    assert out.exists()  # the best roster found is still written, with the rules it breaks named


def test_roster_success_still_exits_zero(tmp_path):
    out = tmp_path / "SOLUTION.csv"
    result = CliRunner().invoke(roster_command, [str(TINY), "--time-limit", "5", "-o", str(out)])
    assert result.exit_code == 0, result.output


def _staffing(tmp_path, text: str, *args: str):
    source = tmp_path / "forecast.csv"
    source.write_text(text)
    out = tmp_path / "requirement.csv"
    flags = ["--aht", "180", "--service-level", "0.8", "--answer-seconds", "20"]
    return CliRunner().invoke(staffing_command, [str(source), "-o", str(out), *flags, *args]), out


QUARTERS = "interval_start,queue,forecast\n" + "".join(
    f"2024-03-04T{9 + k // 4:02d}:{15 * (k % 4):02d}:00,retail,100\n" for k in range(8)
)


def test_staffing_refuses_an_interval_length_the_file_does_not_have(tmp_path):
    for minutes in ("7", "5", "30"):
        result, out = _staffing(tmp_path, QUARTERS, "--interval-minutes", minutes)
        assert result.exit_code != 0, minutes
        assert not out.exists(), minutes
        assert "--interval-minutes" in result.output
        assert "15" in result.output
    same, out = _staffing(tmp_path, QUARTERS, "--interval-minutes", "15")
    assert same.exit_code == 0, same.output
    inferred, _ = _staffing(tmp_path, QUARTERS)
    assert pd.read_csv(out)["agents"].tolist() == pd.read_csv(tmp_path / "requirement.csv")["agents"].tolist()
    assert inferred.exit_code == 0


def _shifts(tmp_path, agents: int | str, template: dict):
    requirement = tmp_path / "requirement.csv"
    day = datetime(2024, 5, 6)
    with requirement.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["interval_start", "queue", "agents"])
        for i in range(16):
            writer.writerow([(day + timedelta(hours=8, minutes=30 * i)).isoformat(), "retail", agents])
    templates = tmp_path / "templates.json"
    templates.write_text(json.dumps({"templates": [template]}, indent=2))
    plan = tmp_path / "plan.csv"
    result = CliRunner().invoke(
        shifts_command,
        [str(requirement), "--templates", str(templates), "-o", str(plan), "--time-limit", "10"],
    )
    return result, plan


DAY = {"name": "day", "start": "08:00", "length_minutes": 480}


def test_shifts_refuses_a_template_serving_a_queue_the_requirement_lacks(tmp_path):
    result, plan = _shifts(tmp_path, 2, {**DAY, "queues": ["mortgages"]})
    assert result.exit_code != 0
    assert not plan.exists()
    assert "template 'day'" in result.output
    assert "queues" in result.output
    assert "mortgages" in result.output
    ok, plan = _shifts(tmp_path, 2, {**DAY, "queues": ["retail"]})
    assert ok.exit_code == 0, ok.output


def test_shifts_refuses_an_absurd_requirement_naming_line_and_field(tmp_path):
    result, plan = _shifts(tmp_path, 99_999_999, DAY)
    assert result.exit_code != 0
    assert not plan.exists()
    assert "line 2: field 'agents'" in result.output


def _history(tmp_path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "history.csv"
    frame.to_csv(path, index=False)
    return path


def _long_history() -> pd.DataFrame:
    frame = make_history("2024-01-01", "2024-02-28", aht=200.0).frame.copy()
    frame["interval_start"] = frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M")
    return frame.drop(columns=["handled", "abandoned"])


def test_forecast_that_writes_nothing_exits_non_zero(tmp_path):
    history = _history(
        tmp_path,
        pd.DataFrame(
            {"interval_start": ["2024-03-04T09:00", "2024-03-04T09:15"], "queue": "q", "offered": [0, 0]}
        ),
    )
    out = tmp_path / "forecast.csv"
    result = CliRunner().invoke(
        forecast_command, [str(history), "--start", "2024-03-05", "--days", "1", "-o", str(out)]
    )
    assert result.exit_code != 0
    assert "nothing" in result.output.lower()
    assert not out.exists()


def test_forecast_never_prints_nan_and_names_a_queue_left_out(tmp_path):
    frame = _long_history()
    one = pd.DataFrame([{"interval_start": "2024-01-03T03:00", "queue": "r", "offered": 5}])
    history = _history(tmp_path, pd.concat([frame, one]))
    out = tmp_path / "forecast.csv"
    result = CliRunner().invoke(
        forecast_command, [str(history), "--start", "2024-03-04", "--days", "1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert not re.search(r"\bnan\b", result.output, re.IGNORECASE)
    assert "r: no intervals" in result.output
    assert set(pd.read_csv(out)["queue"]) == {"q"}


def test_forecast_refuses_an_absurd_horizon(tmp_path):
    history = _history(tmp_path, _long_history())
    out = tmp_path / "forecast.csv"
    result = CliRunner().invoke(
        forecast_command, [str(history), "--start", "2024-03-04", "--days", "99999999", "-o", str(out)]
    )
    assert result.exit_code != 0
    assert "--days" in result.output
    assert not out.exists()


def test_staffing_refuses_null_for_a_target_that_has_no_off_value(tmp_path):
    targets = tmp_path / "targets.json"
    targets.write_text('{"*": {"answer_seconds": null, "service_level": 0.8}}')
    result, out = _staffing(tmp_path, QUARTERS, "--targets", str(targets))
    assert result.exit_code == 1, result.output
    assert not out.exists(), result.output
    assert "answer_seconds" in result.output
    assert "null" in result.output
