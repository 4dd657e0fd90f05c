"""Simulator speed: scheduling/simulate against a plain SimPy model of the same centre, same contacts.

The centre is synthetic but of the demo's shape (wfm/demo/organisation.py): its ten queues (seven voice
queues, web chat three at a time, video, callbacks due in 2 hours and back office due in 8 hours) and its
six teams of 14, 13, 9, 7, 9 and 8 agents (60) with the skills the demo gives every member, on a named
four-week roster in 15-minute periods (2,688): each agent works five days a week, an 8.5-hour shift starting
at 7, 9, 11, 13 or 15 o'clock with two 15-minute breaks and a 30-minute lunch. Arrivals per period follow
the roster: the work offered is 85% of the agents on, split among the queues by fixed shares, with a
day-level busyness factor (Gamma, shape 50).

Part 1 times scheduling/simulate on the whole scenario (N replications). Part 2 runs a SimPy model (one
process per contact, per agent shift and per contact in hand; the same routing rules) on the very contacts
scheduling/simulate draws for its first replications, checks the two give the same service level, and
times it; contacts simulated per second are compared, by the clock and per second of processor time (the
machine is shared: the clock figures vary with its load).

Run: .venv/bin/python bench/simulate_speed.py [--replications 100] [--simpy-replications 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scheduling.simulate import read_scenario, simulate_json  # noqa: E402
from scheduling.simulate.draws import draw_contacts  # noqa: E402
from scheduling.simulate.engine import layout  # noqa: E402

DAYS = 28
PERIOD_MINUTES = 15
LOAD = 0.85
# name, channel, share of the work, handle seconds, concurrency, answer seconds, deadline seconds
QUEUES = [
    ("Retail voice", "voice", 0.33, 240, 1, 20, None),
    ("Priority clients", "voice", 0.08, 300, 1, 15, None),
    ("Stock-exchange desk", "voice", 0.07, 200, 1, 20, None),
    ("Internet support", "voice", 0.08, 360, 1, 30, None),
    ("English line", "voice", 0.05, 250, 1, 30, None),
    ("Prospective customers", "voice", 0.05, 150, 1, 30, None),
    ("Callbacks", "back_office", 0.04, 180, 1, None, 7200),
    ("Web chat", "chat", 0.12, 600, 3, 60, None),
    ("Video advice", "video", 0.04, 900, 1, 30, None),
    ("Back office", "back_office", 0.14, 300, 1, None, 28800),
]
TEAMS = [
    ("Retail A", 14, ["Retail voice", "English line", "Prospective customers", "Web chat"]),
    ("Retail B", 13, ["Retail voice", "Prospective customers", "Internet support", "Web chat"]),
    (
        "Priority & wealth",
        9,
        ["Priority clients", "Video advice", "Retail voice", "English line", "Stock-exchange desk"],
    ),
    ("Markets desk", 7, ["Stock-exchange desk", "Priority clients", "English line"]),
    ("Digital", 9, ["Web chat", "Internet support", "Retail voice", "English line"]),
    ("Back office", 8, ["Back office", "Callbacks", "Retail voice", "Web chat"]),
]
SHIFT_STARTS_HOURS = (7, 9, 11, 13, 15)
# minutes from the shift's start: on stretches of an 8.5-hour shift with breaks at 2 h, 4 h (lunch), 6.5 h
SHIFT_ON = ((0, 120), (135, 240), (270, 390), (405, 510))


def demo_sized_scenario() -> dict:
    periods = DAYS * 24 * 60 // PERIOD_MINUTES
    on_minutes = np.zeros(periods)
    groups = []
    serial = 0
    for team, size, serves in TEAMS:
        agents = []
        for k in range(size):
            serial += 1
            first_off = (serial * 3) % 7
            start_hour = SHIFT_STARTS_HOURS[serial % len(SHIFT_STARTS_HOURS)]
            stretches = []
            for day in range(DAYS):
                if day % 7 in (first_off, (first_off + 1) % 7):
                    continue
                base = day * 1440 + start_hour * 60
                for a, b in SHIFT_ON:
                    stretches.append([base + a, base + b])
                    for minute in range(base + a, base + b):
                        on_minutes[minute // PERIOD_MINUTES] += 1
            agents.append({"name": f"{team} {k + 1}", "on": stretches})
        groups.append({"name": team, "serves": serves, "agents": agents})
    agent_seconds = LOAD * on_minutes * 60  # work offered per period, in agent-seconds
    types = []
    for name, channel, share, handle, concurrency, answer, deadline in QUEUES:
        kind = {
            "name": name,
            "channel": channel,
            "arrivals_per_period": np.round(agent_seconds * share / (handle / concurrency), 3).tolist(),
            "handle_time": {"distribution": "exponential", "mean_seconds": handle},
            "patience": None
            if deadline
            else {"distribution": "exponential", "mean_seconds": 600 if channel == "chat" else 240},
            "concurrency": concurrency,
        }
        if deadline:
            kind["deadline_seconds"] = deadline
        else:
            kind["answer_seconds"] = answer
        types.append(kind)
    return {
        "period_minutes": PERIOD_MINUTES,
        "periods": periods,
        "busyness_gamma_shape": 50,
        "agent_selects": "priority",
        "contact_types": types,
        "agent_groups": groups,
    }


# The SimPy model ------------------------------------------------------------------------------------------


class SimpyCentre:
    """One replication in SimPy: a process per contact (waiting for an answer or its patience), per agent
    shift and per contact in hand; agents choose by the same rules as scheduling/simulate."""

    def __init__(self, scenario, drawn):
        import simpy

        self.plan = plan = layout(scenario)
        self.drawn = drawn
        self.env = simpy.Environment()
        self.queues: list[deque] = [deque() for _ in scenario.types]
        self.answered: dict = {}
        self.gave_up = np.zeros(drawn.arrival.size, dtype=bool)
        self.start = np.full(drawn.arrival.size, np.nan)
        self.units_free = np.full(plan.agent_group.size, plan.capacity)
        self.on = np.zeros(plan.agent_group.size, dtype=bool)
        self.idle: list[list[int]] = [[] for _ in scenario.groups]
        self.longest = scenario.policy == "longest_waiting"

    def run(self) -> tuple[int, int]:
        """(served within target, served + abandoned after target)."""
        self.env.process(self.arrivals())
        self.env.process(self.shifts())
        self.env.run()
        plan, drawn = self.plan, self.drawn
        served = ~np.isnan(self.start)
        wait = np.where(served, self.start - drawn.arrival, drawn.gives_up - drawn.arrival)
        answer = plan.type_answer[drawn.kind]
        finish = self.start + drawn.handle - drawn.arrival
        on_time = np.where(
            plan.type_deferred[drawn.kind], finish <= plan.type_deadline[drawn.kind], wait <= answer
        )
        late = ~served & (wait > answer)
        return int((served & on_time).sum()), int(served.sum() + late.sum())

    def make_idle(self, a):
        group = self.idle[self.plan.agent_group[a]]
        if a not in group:
            group.append(a)

    def make_busy(self, a):
        group = self.idle[self.plan.agent_group[a]]
        if a in group:
            group.remove(a)

    def serve(self, c, a):
        self.start[c] = self.env.now
        self.units_free[a] -= self.plan.type_units[self.drawn.kind[c]]
        if self.units_free[a] == 0:
            self.make_busy(a)
        if c in self.answered:
            self.answered[c].succeed()
        self.env.process(self.handling(c, a))

    def handling(self, c, a):
        yield self.env.timeout(self.drawn.handle[c])
        self.units_free[a] += self.plan.type_units[self.drawn.kind[c]]
        if self.on[a]:
            self.make_idle(a)
            self.take_waiting(a)

    def head(self, t):
        q = self.queues[t]
        while q and self.gave_up[q[0]]:
            q.popleft()
        return q[0] if q else None

    def choose(self, a):
        plan, arrival = self.plan, self.drawn.arrival
        g = plan.agent_group[a]
        serves = plan.group_serves[plan.group_serves_start[g] : plan.group_serves_start[g + 1]]
        best, key, live = None, np.inf, False
        for t in serves:
            c = None if plan.type_deferred[t] else self.head(t)
            if c is None:
                continue
            live = True
            if plan.type_units[t] <= self.units_free[a] and (not self.longest or arrival[c] < key):
                best, key = t, arrival[c]
                if not self.longest:
                    return best
        if best is not None or live:
            return best
        for t in serves:
            c = self.head(t) if plan.type_deferred[t] else None
            if c is not None and plan.type_units[t] <= self.units_free[a]:
                due = arrival[c] + plan.type_deadline[t]
                if due < key:
                    best, key = t, due
        return best

    def take_waiting(self, a):
        while self.units_free[a] > 0:
            best = self.choose(a)
            if best is None:
                return
            self.serve(self.queues[best].popleft(), a)

    def contact(self, c):
        plan, t = self.plan, self.drawn.kind[c]
        for g in plan.type_groups[plan.type_groups_start[t] : plan.type_groups_start[t + 1]]:
            for a in self.idle[g]:
                if self.units_free[a] >= plan.type_units[t]:
                    self.serve(c, a)
                    return
        self.answered[c] = answer = self.env.event()
        self.queues[t].append(c)
        if np.isfinite(self.drawn.gives_up[c]):
            outcome = yield answer | self.env.timeout(self.drawn.gives_up[c] - self.env.now)
            self.gave_up[c] = answer not in outcome
        else:
            yield answer

    def arrivals(self):
        for c in range(self.drawn.arrival.size):
            yield self.env.timeout(self.drawn.arrival[c] - self.env.now)
            self.env.process(self.contact(c))

    def shifts(self):
        plan = self.plan
        for moment, a, switch in zip(plan.change_time, plan.change_agent, plan.change_on, strict=True):
            yield self.env.timeout(moment - self.env.now)
            self.on[a] = bool(switch)
            if not switch:
                self.make_busy(a)
            elif self.units_free[a] > 0:
                self.make_idle(a)
                self.take_waiting(a)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=100)
    parser.add_argument("--simpy-replications", type=int, default=2)
    args = parser.parse_args()

    raw = demo_sized_scenario()
    scenario = read_scenario(raw)
    simulate_json(raw, replications=1, seed=0)  # compiles the event loop once (cached on disk after)
    began, cpu = time.perf_counter(), time.process_time()
    result = simulate_json(raw, replications=args.replications, seed=0)
    ours, ours_cpu = time.perf_counter() - began, time.process_time() - cpu
    contacts = result["total"]["offered"] * args.replications
    print(
        f"Scenario: {len(raw['contact_types'])} queues, 60 named agents in 6 teams, {DAYS} days of "
        f"{PERIOD_MINUTES}-minute periods ({raw['periods']} periods)."
    )
    print(
        f"scheduling/simulate: {args.replications} replications, {contacts:,.0f} contacts in {ours:.2f} s "
        f"({ours_cpu:.2f} s of processor time on all threads): {contacts / ours:,.0f} contacts per second "
        f"({contacts / ours_cpu:,.0f} per processor second)."
    )
    total = result["total"]
    print(
        f"  service level {total['service_level']:.4f} (95% interval {total['service_level_ci'][0]:.4f} to "
        f"{total['service_level_ci'][1]:.4f}), abandoned {total['abandon_rate']:.4f}"
    )
    for name, group in result["groups"].items():
        print(f"  {name}: occupancy {group['occupancy']:.3f}")

    simpy_within = simpy_base = 0
    simpy_seconds = 0.0
    simpy_contacts = 0
    for replication in range(args.simpy_replications):
        drawn = draw_contacts(scenario, 0, replication)
        began = time.process_time()
        within, base = SimpyCentre(scenario, drawn).run()
        simpy_seconds += time.process_time() - began
        simpy_contacts += drawn.arrival.size
        simpy_within += within
        simpy_base += base
    if not args.simpy_replications:
        return
    print(
        f"SimPy {_simpy_version()}: {args.simpy_replications} replications, {simpy_contacts:,} contacts in "
        f"{simpy_seconds:.2f} s of processor time: {simpy_contacts / simpy_seconds:,.0f} per processor "
        "second."
    )
    same = simulate_json(raw, replications=args.simpy_replications, seed=0)["total"]["service_level"]
    print(
        f"  on the same contacts (replications 0 to {args.simpy_replications - 1}): service level "
        f"scheduling/simulate {same:.4f}, SimPy {simpy_within / simpy_base:.4f}"
    )
    rate_ours, rate_simpy = contacts / ours_cpu, simpy_contacts / simpy_seconds
    print(
        f"Per processor second, scheduling/simulate handles {rate_ours / rate_simpy:,.0f} times as many "
        "contacts."
    )


def _simpy_version() -> str:
    import simpy

    return simpy.__version__


if __name__ == "__main__":
    main()
