"""The rest of today by the simulator (`scheduling.simulate`), when it can run: the re-forecast contacts and
handle times of the live queues against the agents of the published roster, each answering every queue
they are skilled for (their strongest first), with breaks and activities taking them off at the minute.

The scenario is made by `wfm.simcheck.scenario.build`, as the plan and roster checks make theirs; the
same scenario (nothing new arrived, the same minute's grid) is answered from a small per-process cache. The
result replaces the Erlang projection of each interval; the agents needed and the suggested actions stay
priced by the requirement's model (the page says both).
"""

from __future__ import annotations

import datetime as dt
import json

from wfm.rosters.offphone import spans
from wfm.simcheck.scenario import Grid, QueueDemand, Shift, build

REPLICATIONS = 12
CACHED = 16  # results kept per process: a wall screen asks every minute for the same figures
_cache: dict[tuple, dict] = {}
SEED = 0


def project(live: list, rows: list[dict], primary: dict, names: dict) -> dict[str, list[float | None]] | None:
    """Per queue name, the simulated service level of each of its remaining intervals (None: no contact
    to judge); None when the queues' grids differ or the simulator refuses the scenario."""
    from scheduling.simulate import ScenarioError, simulate_json

    queues = [q for q in live if q.remaining]
    if not queues or len({q.interval_minutes for q in queues}) != 1:
        return None
    minutes = queues[0].interval_minutes
    first = min(q.remaining[0].start for q in queues)
    last = max(q.remaining[-1].start for q in queues)
    grid = Grid(first, minutes, int((last - first) / dt.timedelta(minutes=minutes)) + 1)
    demands = []
    for q in queues:
        calls, handle = [0.0] * grid.periods, [float(q.queue.aht_seconds or 180.0)] * grid.periods
        for i in q.remaining:
            k = grid.index(i.start)
            calls[k] = float(i.reforecast or 0.0)
            handle[k] = float(i.aht_reforecast or i.aht_forecast or handle[k])
        demands.append(
            QueueDemand(
                name=q.queue.name,
                channel=q.queue.channel.value,
                arrivals=calls,
                handle_seconds=handle,
                answer_seconds=float(q.queue.answer_seconds),
                patience_seconds=q.queue.patience_seconds,
                concurrency=q.queue.concurrency or 1,
            )
        )
    shifts = []
    for r in rows:
        if r["agent_id"] not in primary:
            continue
        main, able = primary[r["agent_id"]]
        start = dt.datetime.fromisoformat(r["start"])
        away = [
            (start + dt.timedelta(minutes=a), start + dt.timedelta(minutes=b))
            for a, b in spans(r.get("breaks")) + spans(r.get("activities"))
        ]
        serves = (main.name, *[q.name for q in able if q.id != main.id])
        shifts.append(
            Shift(
                names.get(r["agent_id"], str(r["agent_id"])),
                start,
                dt.datetime.fromisoformat(r["end"]),
                tuple(away),
                serves,
            )
        )
    scenario = build(grid, demands, shifts)
    if not scenario["agent_groups"]:
        return None
    key = (json.dumps(scenario, sort_keys=True, default=str),)
    result = _cache.get(key)
    if result is None:
        try:
            result = simulate_json(scenario, replications=REPLICATIONS, seed=SEED)
        except ScenarioError:
            return None
        if len(_cache) >= CACHED:
            _cache.pop(next(iter(_cache)))
        _cache[key] = result
    out = {}
    for q in queues:
        periods = result["by_period"][q.queue.name]
        out[q.queue.name] = [periods[grid.index(i.start)]["service_level"] for i in q.remaining]
    return out
