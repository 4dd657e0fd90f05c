"""Tiny traces replayed to the exact second, worked out by hand in each test's comments."""

from __future__ import annotations

import numpy as np
import pytest

from scheduling.simulate import read_scenario, simulate_json, trace
from tests.simulate.helpers import replay


def waits(scenario: dict) -> list[float]:
    return trace(read_scenario(scenario)).wait.tolist()


def test_one_agent_first_come_first_served():
    # 0: answered at 0, ends 30. 10: waits for 30, ends 60. 20: waits for 60, ends 90. 100: an idle agent.
    scenario = replay([0, 10, 20, 100], [30, 30, 30, 5], agents=1)
    assert waits(scenario) == [0, 20, 40, 0]

    total = simulate_json(scenario, replications=3)["total"]
    assert total["asa_seconds"] == pytest.approx(15.0)  # (0 + 20 + 40 + 0) / 4
    assert total["served_within_target"] == 3  # a wait of exactly 20 s is within 20 s
    assert total["service_level"] == pytest.approx(0.75)
    assert total["p_wait"] == pytest.approx(0.5)
    assert total["service_level_ci"] == [pytest.approx(0.75), pytest.approx(0.75)]  # nothing random


def test_two_agents_take_the_first_free():
    # 0 → agent A until 20; 0 → agent B until 40; 5 waits for A at 20 (until 30);
    # 10 waits for A at 30 (until 40); 50 finds both free.
    assert waits(replay([0, 0, 5, 10, 50], [20, 40, 10, 10, 5], agents=2)) == [0, 0, 15, 20, 0]


def test_a_caller_hangs_up_and_the_next_one_moves_up():
    # One agent busy 0-60. The caller at 5 gives up after 30 s (at 35); the caller at 10 is answered at 60.
    scenario = replay([0, 5, 10], [60, 10, 10], agents=1, patience=[None, 30, None])
    done = trace(read_scenario(scenario))
    assert np.isnan(done.start[1])
    assert done.start[2] == 60
    total = simulate_json(scenario, replications=1)["total"]
    assert total["abandoned"] == 1
    assert total["abandoned_after_target"] == 1  # hung up after 30 s, the target is 20 s
    assert total["service_level"] == pytest.approx(1 / 3)  # served in time: the first only
    assert total["abandon_rate"] == pytest.approx(1 / 3)


def test_named_agent_on_break_takes_nothing_and_finishes_the_contact_in_hand():
    # On from minute 0 to 10 and from 40 to 60. The call at minute 5 lasts 10 minutes: it is finished at
    # minute 15, after the stretch ended. The call at minute 12 waits for the agent's return at minute 40.
    agent = {"name": "Ann", "on": [[0, 10], [40, 60]]}
    done = trace(read_scenario(replay([300, 720], [600, 60], agents=[agent])))
    assert done.start.tolist() == [300, 2400]


def test_nobody_on_yet_means_the_call_waits_for_the_shift():
    agent = {"name": "Ann", "on": [[20, 60]]}
    assert waits(replay([0], [60], agents=[agent])) == [1200]


def test_the_drain_serves_everyone_after_the_last_period():
    # Ten calls of 10 minutes each in a 30-minute period, one agent: the last ends long after the period.
    arrivals = list(range(0, 100, 10))
    done = trace(read_scenario(replay(arrivals, [600] * 10, agents=1, minutes=30)))
    assert not np.isnan(done.start).any()
    assert done.start.tolist() == [600 * k for k in range(10)]
    total = simulate_json(replay(arrivals, [600] * 10, agents=1, minutes=30), replications=1)["total"]
    assert total["served"] == total["offered"] == 10


def test_drain_with_random_arrivals_serves_every_patient_caller():
    scenario = {
        "period_minutes": 15,
        "periods": 4,
        "contact_types": [
            {
                "name": "calls",
                "arrivals_per_period": [10, 40, 80, 120],
                "handle_time": {"mean_seconds": 300},
                "patience": None,
            }
        ],
        "agent_groups": [{"name": "agents", "agents_per_period": [3, 3, 3, 3], "serves": ["calls"]}],
    }
    total = simulate_json(scenario, replications=5)["total"]
    assert total["offered"] > 200
    assert total["served"] == total["offered"]
    assert total["abandoned"] == 0


def test_a_break_starting_as_a_contact_ends_comes_first():
    # On 0-10 and 20-30 minutes. The first call ends at 600 s, the very moment the break starts: the
    # agent takes no other; the call waiting since 60 s is answered when the break ends, at 1200 s.
    agent = {"name": "Ann", "on": [[0, 10], [20, 30]]}
    assert trace(read_scenario(replay([0, 60], [600, 60], agents=[agent]))).start.tolist() == [0, 1200]


def test_after_call_work_keeps_the_agent_from_the_next_call():
    # The first call ends at 30, then 15 s of after-call work: the second caller is answered at 45.
    scenario = replay([0, 10], [30, 30], agents=1)
    scenario["contact_types"][0]["after_call"] = {"distribution": "empirical", "seconds": [15]}
    assert waits(scenario) == [0, 35]
