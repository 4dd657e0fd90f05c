"""Small scenario builders for the simulator's tests."""

from __future__ import annotations


def one_queue(
    calls_per_period: float,
    agents: int,
    aht: float = 180.0,
    patience: float | None = None,
    periods: int = 48,
    answer: float = 20.0,
) -> dict:
    """One voice queue, one group, constant staffing and load, exponential times: an M/M/n(+M) queue."""
    return {
        "period_minutes": 30,
        "periods": periods,
        "contact_types": [
            {
                "name": "calls",
                "channel": "voice",
                "arrivals_per_period": calls_per_period,
                "handle_time": {"distribution": "exponential", "mean_seconds": aht},
                "patience": None
                if patience is None
                else {"distribution": "exponential", "mean_seconds": patience},
                "answer_seconds": answer,
            }
        ],
        "agent_groups": [{"name": "agents", "agents_per_period": agents, "serves": ["calls"]}],
    }


def replay(
    arrivals: list[float],
    handles: list[float],
    agents: list[dict] | int,
    patience: list | None = None,
    minutes: int = 60,
    answer: float = 20.0,
) -> dict:
    """One voice type replayed from recorded arrival and handle seconds, served by one group."""
    kind: dict = {
        "name": "calls",
        "arrival_seconds": arrivals,
        "handle_seconds": handles,
        "patience": None,
        "answer_seconds": answer,
    }
    if patience is not None:
        kind["patience_seconds"] = patience
    group: dict = {"name": "agents", "serves": ["calls"]}
    if isinstance(agents, int):
        group["agents_per_period"] = agents
    else:
        group["agents"] = agents
    return {"period_minutes": minutes, "periods": 1, "contact_types": [kind], "agent_groups": [group]}
