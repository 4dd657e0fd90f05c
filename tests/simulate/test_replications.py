"""Replications: one seed gives one result, and plans simulated with one seed meet the same contacts."""

from __future__ import annotations

import copy

import pytest

from scheduling.simulate import read_scenario, run, simulate_json, trace
from tests.simulate.helpers import one_queue


def without_time(result: dict) -> dict:
    return {key: value for key, value in result.items() if key != "seconds"}


def test_same_seed_same_result_and_another_seed_another():
    scenario = one_queue(100, 13, patience=240, periods=6)
    first = simulate_json(scenario, replications=5, seed=3)
    assert without_time(first) == without_time(simulate_json(scenario, replications=5, seed=3))
    assert first["total"]["offered"] != simulate_json(scenario, replications=5, seed=4)["total"]["offered"]


def test_two_plans_meet_the_same_contacts():
    lean = one_queue(100, 12, patience=240, periods=6)
    rich = copy.deepcopy(lean)
    rich["agent_groups"][0]["agents_per_period"] = 15
    a = trace(read_scenario(lean), seed=9, replication=2)
    b = trace(read_scenario(rich), seed=9, replication=2)
    assert a.arrival.tolist() == b.arrival.tolist()
    assert a.handle.tolist() == b.handle.tolist()
    assert a.gives_up.tolist() == b.gives_up.tolist()
    lean_result = simulate_json(lean, replications=4, seed=9)
    rich_result = simulate_json(rich, replications=4, seed=9)
    for period in range(6):
        assert (
            lean_result["by_period"]["calls"][period]["offered"]
            == rich_result["by_period"]["calls"][period]["offered"]
        )
    assert rich_result["total"]["service_level"] > lean_result["total"]["service_level"]


def test_a_change_to_one_type_leaves_the_others_contacts_alone():
    base = one_queue(100, 14, periods=4)
    other = copy.deepcopy(base["contact_types"][0])
    other["name"] = "other"
    base["contact_types"].append(other)
    base["agent_groups"][0]["serves"].append("other")
    changed = copy.deepcopy(base)
    changed["contact_types"][1]["handle_time"]["mean_seconds"] = 400
    changed["contact_types"][1]["arrivals_per_period"] = 50
    a, b = trace(read_scenario(base), seed=1), trace(read_scenario(changed), seed=1)
    assert a.arrival[a.kind == 0].tolist() == b.arrival[b.kind == 0].tolist()
    assert a.handle[a.kind == 0].tolist() == b.handle[b.kind == 0].tolist()


def test_busyness_moves_the_whole_day_and_averages_one():
    scenario = one_queue(100, 14, periods=48)
    scenario["busyness_gamma_shape"] = 10.0
    days = [simulate_json(scenario, replications=1, seed=s)["total"]["offered"] for s in range(40)]
    spread = max(days) - min(days)
    # Without busyness a day's count is Poisson(4800): sd 69. Gamma(10) adds an sd of 4800/√10 ≈ 1500.
    assert spread > 2000
    mean = sum(days) / len(days)
    assert 4800 * 0.85 < mean < 4800 * 1.15


def test_threads_do_not_change_the_result():
    scenario = read_scenario(one_queue(100, 13, patience=240, periods=6))
    one = run(scenario, replications=6, seed=2, workers=1)
    two = run(scenario, replications=6, seed=2, workers=2)
    assert one.contacts.first.tolist() == two.contacts.first.tolist()
    assert one.contacts.rates.tolist() == two.contacts.rates.tolist()


def test_periods_add_up_to_the_type_and_the_types_to_the_total():
    scenario = one_queue(100, 14, patience=240, periods=4)
    scenario["contact_types"][0]["arrivals_per_period"] = [50, 120, 90, 10]
    scenario["agent_groups"][0]["agents_per_period"] = [8, 15, 13, 3]
    other = copy.deepcopy(scenario["contact_types"][0])
    other["name"] = "other"
    scenario["contact_types"].append(other)
    scenario["agent_groups"][0]["serves"].append("other")
    result = simulate_json(scenario, replications=3, seed=5)
    for key in ("offered", "served", "abandoned", "served_within_target", "abandoned_after_target"):
        for name, cells in result["by_period"].items():
            assert sum(c[key] for c in cells) == pytest.approx(result["types"][name][key])
        assert sum(t[key] for t in result["types"].values()) == pytest.approx(result["total"][key])
    busy = result["by_period"]["calls"][1]
    assert busy["service_level"] == pytest.approx(
        busy["served_within_target"] / (busy["served"] + busy["abandoned_after_target"])
    )
