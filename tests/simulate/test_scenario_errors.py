"""A bad scenario is refused with a message that starts with the field's path."""

from __future__ import annotations

import copy

import pytest

from scheduling.simulate import ScenarioError, simulate_json
from tests.simulate.helpers import one_queue


def two_types() -> dict:
    scenario = one_queue(100, 14, periods=4)
    second = copy.deepcopy(scenario["contact_types"][0])
    second["name"] = "second"
    scenario["contact_types"].append(second)
    scenario["agent_groups"][0]["serves"].append("second")
    return scenario


def broken(change) -> dict:
    scenario = two_types()
    change(scenario)
    return scenario


CASES = [
    (
        lambda s: s["contact_types"][1]["handle_time"].update(mean_seconds=[180, 180, 180]),
        "contact_types[1].handle_time.mean_seconds: 3 values for 4 periods",
    ),
    (lambda s: s.pop("period_minutes"), "period_minutes: is missing"),
    (lambda s: s.update(periods=2.5), "periods: must be a whole number"),
    (lambda s: s.update(agent_selects="random"), "agent_selects:"),
    (
        lambda s: s["contact_types"][0].update(arrivals_per_period=[1, 2, -3, 4]),
        "contact_types[0].arrivals_per_period[2]:",
    ),
    (lambda s: s["contact_types"][0].update(channel="fax"), "contact_types[0].channel:"),
    (lambda s: s["contact_types"][1].update(name="calls"), "contact_types[1].name: 'calls' is used twice"),
    (lambda s: s["contact_types"][0].update(groups=["nobody"]), "contact_types[0].groups[0]: no agent group"),
    (lambda s: s["agent_groups"][0].update(serves=["calls", "ghost"]), "agent_groups[0].serves[1]:"),
    (
        lambda s: s["agent_groups"][0].update(agents_per_period=[1, 2, 2.5, 3]),
        "agent_groups[0].agents_per_period[2]:",
    ),
    (
        lambda s: s["agent_groups"][0].update(agents=[{"name": "Ann", "on": [[0, 10]]}]),
        "agent_groups[0]: give either agents_per_period or agents",
    ),
    (
        lambda s: s["contact_types"][0]["patience"].update(mean_seconds="long"),
        "contact_types[0].patience.mean_seconds:",
    ),
    (lambda s: s["contact_types"][0].update(handle_time="fast"), "contact_types[0].handle_time:"),
    (
        lambda s: s["contact_types"][0].update(arrival_seconds=[5, 999999]),
        "contact_types[0].arrival_seconds[1]:",
    ),
    (
        lambda s: s["contact_types"][0].update(channel="email"),
        "contact_types[0].deadline_seconds: is missing",
    ),
    (lambda s: s["contact_types"][0].update(concurrency=0), "contact_types[0].concurrency:"),
    (
        lambda s: s["contact_types"][1].update(arrivals_per_period=[5e6, 5e6, 5e6, 5e6]),
        "contact_types[1].arrivals_per_period: with the types before it, more than 10,000,000",
    ),
    (
        lambda s: s["agent_groups"][0].update(agents_per_period=[1, 1e9, 1, 1]),
        "agent_groups[0].agents_per_period[1]:",
    ),
    (lambda s: s.update(busyness_gamma_shape=0.01), "busyness_gamma_shape: must be at least 1"),
    (
        lambda s: s["contact_types"][0].update(handle_time={"distribution": "lognormal", "mean_seconds": 1}),
        "contact_types[0].handle_time.cv: is missing",
    ),
]


@pytest.mark.parametrize(("change", "message"), CASES)
def test_a_bad_field_is_named(change, message):
    scenario = two_types()
    scenario["contact_types"][0]["patience"] = {"distribution": "exponential", "mean_seconds": 200}
    change(scenario)
    with pytest.raises(ScenarioError) as caught:
        simulate_json(scenario, replications=1)
    assert str(caught.value).startswith(message)


def test_the_unbroken_scenario_runs():
    assert simulate_json(two_types(), replications=1)["total"]["offered"] > 0


@pytest.mark.parametrize("value", [0, -1, 1.5, True])
def test_bad_replications_are_refused(value):
    with pytest.raises(ScenarioError, match=r"^replications:"):
        simulate_json(two_types(), replications=value)


def test_not_an_object():
    with pytest.raises(ScenarioError, match=r"^scenario: must be a JSON object"):
        simulate_json([1, 2], replications=1)  # type: ignore[arg-type]


def test_numpy_numbers_are_numbers_and_booleans_are_not():
    import numpy as np

    scenario = two_types()
    scenario["agent_groups"][0]["agents_per_period"] = list(np.array([14, 14, 13, 12]))
    scenario["contact_types"][0]["arrivals_per_period"] = list(np.array([100.0, 90.0, 80.0, 70.0]))
    assert simulate_json(scenario, replications=1)["total"]["offered"] > 0
    scenario["agent_groups"][0]["agents_per_period"] = [True, 1, 1, 1]
    with pytest.raises(ScenarioError, match=r"^agent_groups\[0\]\.agents_per_period\[0\]: must be a number"):
        simulate_json(scenario, replications=1)
