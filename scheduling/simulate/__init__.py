"""A discrete-event simulator of a contact centre: many contact types and channels, agent groups with
priorities, abandonment, shifts and breaks, replications with common random numbers.

    from scheduling.simulate import simulate_json, ScenarioError
    result = simulate_json(scenario, replications=100, seed=0)

`scenario` is the JSON object `wfm simulate` reads (see `scenario.py` and the README); `result` is the
object `wfm simulate --json` prints. Formulas (Erlang C and A) promise a service level for one pooled queue
in a steady state; the simulator checks what a plan delivers when several skills share agents, breaks start
mid-interval and callers hang up.
"""

from __future__ import annotations

import time

from scheduling.simulate.engine import Outcome, Trace, run, trace
from scheduling.simulate.results import result_dict
from scheduling.simulate.scenario import Scenario, ScenarioError, read_scenario

__all__ = [
    "Outcome",
    "Scenario",
    "ScenarioError",
    "Trace",
    "read_scenario",
    "run",
    "simulate",
    "simulate_json",
    "trace",
]


def simulate(scenario: dict, replications: int = 100, seed: int = 0) -> Outcome:
    """Check `scenario` (its JSON object) and simulate it."""
    return run(read_scenario(scenario), replications, seed)


def simulate_json(scenario: dict, replications: int = 100, seed: int = 0) -> dict:
    """The `wfm simulate --json` object for `scenario`; raises ScenarioError naming a bad field."""
    began = time.perf_counter()
    outcome = simulate(scenario, replications, seed)
    return result_dict(outcome, time.perf_counter() - began)
