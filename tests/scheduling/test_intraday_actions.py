"""Suggested actions of the Today page: priced by contacts answered in time gained, ranked, and matched by
time of day between queues whose open intervals differ."""

from __future__ import annotations

import numpy as np
import pytest

from scheduling.intraday import Activity, Mover, QueueDay, suggest
from scheduling.staffing import erlang_c_metrics
from scheduling.staffing.targets import ServiceTarget

TARGET = ServiceTarget(service_level=0.8, answer_seconds=20)


def label(queue: str, first: int, last: int) -> str:
    return f"{queue} {first}-{last}"


def queue(name: str, calls, agents, starts) -> QueueDay:
    n = len(calls)
    return QueueDay(
        name, TARGET, 15, np.array(calls, float), np.full(n, 180.0), np.array(agents), np.array(starts)
    )


def test_an_agent_moves_to_the_short_queue_at_the_same_moments_even_when_the_grids_differ():
    spare = queue("Sales", [10, 10, 10, 10], [8, 8, 8, 8], [600, 615, 630, 645])  # 2 Erlangs, 8 agents
    short = queue("Retail", [40, 40, 40], [8, 8, 8], [630, 645, 660])  # 8 Erlangs, 8 agents: unstable
    mover = Mover("Ann", "Sales", ("Retail",), (0, 1, 2, 3))
    actions = suggest([spare, short], [], [mover], label)
    moves = [a for a in actions if a.kind == "move_agent"]
    assert len(moves) == 1
    assert "Sales 2-3" in moves[0].text  # 10:30-11:00, the moments both queues share
    assert moves[0].gained > 0


def test_overtime_is_priced_by_erlang_c_and_actions_come_best_first():
    short = queue("Retail", [40, 40], [9, 9], [600, 615])
    quiet = queue("Sales", [4, 4], [6, 6], [600, 615])
    meeting = Activity("Bob", "Retail", "team meeting", (1,))
    actions = suggest([short, quiet], [meeting], [], label)
    assert [a.gained for a in actions] == sorted((a.gained for a in actions), reverse=True)
    overtime = next(a for a in actions if a.kind == "overtime")
    extra = int(short.gap.max())
    traffic = 40 * 180 / 900
    level = lambda n: erlang_c_metrics(np.array([n]), np.array([traffic]), 180.0, 20.0).service_level[0]  # noqa: E731
    assert overtime.gained == pytest.approx(2 * 40 * (level(9 + extra) - level(9)))
    moved = next(a for a in actions if a.kind == "move_activity")
    assert moved.gained == pytest.approx(40 * (level(10) - level(9)))
    time_off = next(a for a in actions if a.kind == "time_off")
    assert "Sales" in time_off.text
    assert time_off.gained <= 0
