"""`wfm staffing` end to end on small files, through click's CliRunner."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from scheduling.staffing import ServiceTarget, required_agents
from wfm.commands.staffing import command

FORECAST = """interval_start,queue,forecast,aht_seconds
2024-03-04T08:00:00,retail,100,
2024-03-04T08:30:00,retail,100,
2024-03-04T09:00:00,retail,0,
2024-03-04T08:00:00,premium,100,18
2024-03-04T08:30:00,premium,50,
"""
FLAGS = ["--aht", "180", "--service-level", "0.8", "--answer-seconds", "20"]


def _run(tmp_path, text, *args):
    source = tmp_path / "forecast.csv"
    source.write_text(text)
    out = tmp_path / "requirement.csv"
    result = CliRunner().invoke(command, [str(source), "-o", str(out), *args])
    return result, out


def test_writes_the_requirement_csv(tmp_path):
    result, out = _run(tmp_path, FORECAST, *FLAGS, "--shrinkage", "0.3")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns) == [
        "interval_start",
        "queue",
        "forecast",
        "agents",
        "scheduled_agents",
        "service_level",
        "occupancy",
        "asa_seconds",
    ]
    assert table["interval_start"].iloc[0] == "2024-03-04T08:00:00"
    # row 4: its aht_seconds (18) overrides --aht, so 100 calls are 1 Erlang; row 5 falls back to --aht
    expected_premium = required_agents(np.array([1.0, 5.0]), np.array([18.0, 180.0]), ServiceTarget())
    assert table["agents"].tolist() == [14, 14, 0, *expected_premium.tolist()]
    assert table["scheduled_agents"].tolist()[:2] == [20, 20]
    assert table["service_level"].iloc[0] == pytest.approx(0.8884, abs=1e-4)
    assert table["occupancy"].iloc[0] == pytest.approx(0.714286, abs=1e-6)


def test_erlang_a_adds_the_abandon_rate(tmp_path):
    result, out = _run(
        tmp_path,
        FORECAST,
        *FLAGS,
        "--model",
        "erlang-a",
        "--patience-seconds",
        "300",
        "--interval-minutes",
        "30",
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert "abandon_rate" in table.columns
    assert (table["service_level"] >= 0.8).all()
    assert table["agents"].iloc[0] == 13  # abandoning callers lighten the queue: one fewer than Erlang C


def test_erlang_b_and_occupancy_flags(tmp_path):
    result, out = _run(
        tmp_path,
        FORECAST,
        "--aht",
        "180",
        "--service-level",
        "0.99",
        "--answer-seconds",
        "0",
        "--model",
        "erlang-b",
    )
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)["agents"].iloc[0] == 18
    result, out = _run(tmp_path, FORECAST, *FLAGS, "--max-occupancy", "0.6")
    assert pd.read_csv(out)["agents"].iloc[0] == 17  # 10 Erlangs at <= 60% occupancy


def test_targets_file_sets_per_queue_models(tmp_path):
    targets = tmp_path / "targets.json"
    targets.write_text(
        json.dumps(
            {
                "*": {"shrinkage": 0.3},
                "retail": {
                    "model": "erlang-b",
                    "service_level": None,
                    "max_abandon": 0.01,
                    "aht_seconds": 180,
                },
                "premium": {"concurrency": 2, "aht_seconds": 180},
            }
        )
    )
    result, out = _run(tmp_path, FORECAST, "--targets", str(targets), "--aht", "999")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table["agents"].tolist()[:3] == [18, 18, 0]
    assert table["scheduled_agents"].iloc[0] == 26
    slots = required_agents(np.array([5.0]), 180.0, ServiceTarget())[
        0
    ]  # row 5: 50 calls × 180 s from the file
    assert table["agents"].iloc[4] == -(-slots // 2)  # two sessions per agent


@pytest.mark.parametrize(
    ("text", "args", "expected"),
    [
        (FORECAST.replace(",forecast,", ",volume,"), FLAGS, "field forecast: column is missing"),
        (FORECAST.replace("retail,0,", "retail,zero,"), FLAGS, "line 4, field forecast: not a number"),
        (FORECAST.replace("premium,50,", "premium,-50,"), FLAGS, "line 6, field forecast: must be >= 0"),
        (FORECAST.replace("100,18", "100,fast"), FLAGS, "line 5, field aht_seconds"),
        (
            FORECAST.replace("2024-03-04T08:30:00,retail", "half past,retail"),
            FLAGS,
            "line 3, field interval_start",
        ),
        (FORECAST, ["--aht", "180", "--service-level", "1.5", "--answer-seconds", "20"], "--service-level"),
        (FORECAST, ["--service-level", "0.8", "--answer-seconds", "20"], "line 2, field aht_seconds"),
        (FORECAST, ["--aht", "180", "--answer-seconds", "20"], "--service-level is required"),
        (FORECAST, [*FLAGS, "--model", "erlang-a"], "--patience-seconds"),
        (FORECAST, [*FLAGS, "--shrinkage", "1.2"], "--shrinkage"),
    ],
)
def test_bad_input_exits_non_zero_naming_the_problem(tmp_path, text, args, expected):
    result, out = _run(tmp_path, text, *args)
    assert result.exit_code != 0
    assert expected in result.output
    if "line" in expected:
        assert "forecast.csv" in result.output
    assert not out.exists()


def test_bad_targets_file_names_queue_and_field(tmp_path):
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps({"premium": {"max_occupancy": 2}}))
    result, _ = _run(tmp_path, FORECAST, *FLAGS, "--targets", str(targets))
    assert result.exit_code != 0
    assert "targets.json" in result.output
    assert "premium" in result.output
    assert "max_occupancy" in result.output
    targets.write_text(json.dumps({"premium": {"paitence": 2}}))
    result, _ = _run(tmp_path, FORECAST, *FLAGS, "--targets", str(targets))
    assert result.exit_code != 0
    assert "paitence" in result.output


def test_back_office_queue_from_the_targets_file(tmp_path):
    rows = ["interval_start,queue,forecast"]
    rows += [
        f"2024-03-04T{8 + i // 4:02d}:{15 * (i % 4):02d}:00,loans,{20 if i == 0 else 0}" for i in range(16)
    ]
    targets = tmp_path / "targets.json"
    targets.write_text(
        json.dumps({"loans": {"model": "back-office", "deadline_hours": 2, "aht_seconds": 270}})
    )
    result, out = _run(tmp_path, "\n".join(rows) + "\n", "--targets", str(targets))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    # 20 items x 270 s = 6 agent-intervals of 15 minutes, due within 8 intervals: one agent for six of them
    assert table["agents"].max() == 1
    assert table["agents"].iloc[:8].sum() == 6
    assert (table["service_level"] == 1.0).all()
