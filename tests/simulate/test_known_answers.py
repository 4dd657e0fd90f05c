"""The simulator against queueing formulas it must agree with: Erlang C (M/M/n) and Erlang A (M/M/n+M).

Each replication is ten days at constant load, so the empty start (a few minutes of the first day, when
nobody waits) moves the figures by about 1e-4, well inside the intervals. The reference figures are
checked twice: against the project's own formulas and against the published values in the reference
data's README, which were computed independently.
"""

from __future__ import annotations

import pytest

from scheduling.simulate import simulate_json
from scheduling.staffing.erlang import erlang_c_metrics
from scheduling.staffing.erlang_a import erlang_a_metrics
from tests.simulate.helpers import one_queue

REPLICATIONS = 20
DAYS = 10 * 48  # half hours


def inside(value: float, band: list[float]) -> bool:
    return band[0] <= value <= band[1]


def test_erlang_c_service_level_and_p_wait_fall_in_the_simulated_interval():
    formula = erlang_c_metrics(14, 10.0, 180.0, 20.0)  # 100 calls per 30 min × 180 s = 10 Erlangs
    assert float(formula.service_level) == pytest.approx(0.8884, abs=1e-4)  # README reference
    assert float(formula.p_wait) == pytest.approx(0.1741, abs=1e-4)

    result = simulate_json(one_queue(100, 14, periods=DAYS), replications=REPLICATIONS, seed=11)["total"]

    assert result["abandoned"] == 0
    assert inside(float(formula.service_level), result["service_level_ci"])
    assert inside(float(formula.p_wait), result["p_wait_ci"])
    assert inside(float(formula.asa_seconds), result["asa_seconds_ci"])
    width = result["service_level_ci"][1] - result["service_level_ci"][0]
    assert width < 0.01  # tight enough to tell 13 agents (0.7956) from 14


def test_erlang_c_one_agent_less_is_told_apart():
    thirteen = simulate_json(one_queue(100, 13, periods=DAYS), replications=REPLICATIONS, seed=11)["total"]
    formula = erlang_c_metrics(13, 10.0, 180.0, 20.0)
    assert float(formula.service_level) == pytest.approx(0.7956, abs=1e-4)
    assert inside(float(formula.service_level), thirteen["service_level_ci"])
    assert not inside(0.8884, thirteen["service_level_ci"])


def test_erlang_a_abandonment_and_p_wait_fall_in_the_simulated_interval():
    formula = erlang_a_metrics(14, 10.0, 180.0, 300.0, 20.0)
    assert float(formula.abandon_rate) == pytest.approx(0.013984, abs=1e-6)  # README reference
    assert float(formula.p_wait) == pytest.approx(0.14526, abs=1e-5)

    result = simulate_json(
        one_queue(100, 14, patience=300, periods=DAYS), replications=REPLICATIONS, seed=12
    )["total"]

    assert inside(float(formula.abandon_rate), result["abandon_rate_ci"])
    assert inside(float(formula.p_wait), result["p_wait_ci"])
    assert result["abandoned"] > 0


def test_occupancy_is_the_offered_load_per_agent():
    group = simulate_json(one_queue(100, 14, periods=DAYS), replications=REPLICATIONS, seed=13)["groups"][
        "agents"
    ]
    assert inside(10.0 / 14.0, group["occupancy_ci"])  # 71.4%, README reference


def test_two_types_first_come_first_served_pool_like_one_queue():
    # 60 + 40 calls per half hour of the same handle time, one group serving both, longest waiting first:
    # the agents see one first-come queue of 100 calls, so Erlang C for the pool holds for each type.
    scenario = one_queue(60, 14, periods=DAYS)
    second = dict(scenario["contact_types"][0], name="other", arrivals_per_period=40)
    scenario["contact_types"].append(second)
    scenario["agent_groups"][0]["serves"] = ["calls", "other"]
    scenario["agent_selects"] = "longest_waiting"
    formula = float(erlang_c_metrics(14, 10.0, 180.0, 20.0).service_level)
    result = simulate_json(scenario, replications=REPLICATIONS, seed=14)
    assert inside(formula, result["types"]["calls"]["service_level_ci"])
    assert inside(formula, result["types"]["other"]["service_level_ci"])


def test_priority_routing_favours_the_first_type_and_conserves_the_mean_wait():
    # Same two types, "other" first in the group's order: it does better than the pool, "calls" worse;
    # with one exponential handle time for both, the mean wait over all calls is the pool's (Kleinrock's
    # conservation law), Erlang C's 7.84 s.
    scenario = one_queue(60, 14, periods=DAYS)
    second = dict(scenario["contact_types"][0], name="other", arrivals_per_period=40)
    scenario["contact_types"].append(second)
    scenario["agent_groups"][0]["serves"] = ["other", "calls"]
    result = simulate_json(scenario, replications=REPLICATIONS, seed=15)
    pool = erlang_c_metrics(14, 10.0, 180.0, 20.0)
    assert result["types"]["other"]["service_level_ci"][0] > float(pool.service_level)
    assert result["types"]["calls"]["service_level_ci"][1] < float(pool.service_level)
    assert inside(float(pool.asa_seconds), result["total"]["asa_seconds_ci"])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("agents", "service_level", "p_wait"),
    [
        (11, 0.3896, 0.6821),
        (12, 0.6402, 0.4494),
        (13, 0.7956, 0.2853),
        (14, 0.8884, 0.1741),
        (15, 0.9415, 0.1020),
    ],
)
def test_erlang_c_reference_table(agents, service_level, p_wait):
    # The README's Erlang C table (100 calls per 30 min, 180 s, 20 s); 11 agents run at 91% occupancy,
    # where the queue takes hours to settle, so those replications are longer.
    periods = 4 * DAYS if agents == 11 else DAYS
    total = simulate_json(one_queue(100, agents, periods=periods), replications=REPLICATIONS, seed=agents)[
        "total"
    ]
    assert inside(service_level, total["service_level_ci"])
    assert inside(p_wait, total["p_wait_ci"])
