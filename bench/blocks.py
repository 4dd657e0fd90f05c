"""Work blocks: how long `assign_blocks` takes per day, and the shortfall it leaves, on a made-up centre.

    python bench/blocks.py [agents] [days] [queues] [min_minutes]

Agents work 8.5-hour shifts starting 07:00–12:00 on the quarter hour with a 15-minute break after two
hours, a 30-minute lunch after four and another 15 minutes after six; each holds one to three of the
queues (a few hold all). Each queue needs a share of the agents on shift, peaking mid-day. Seeded, so runs
compare; figures depend on the machine's load.
"""

from __future__ import annotations

import random
import sys
import time

from scheduling.roster.blocks import AgentDay, BlockProblem, assign_blocks, check

SLOT = 15


def day_problem(rng: random.Random, agents: int, queues: int, min_minutes: int) -> BlockProblem:
    names = [f"q{i}" for i in range(queues)]
    slots = 96
    people = []
    on = [0] * slots
    for n in range(agents):
        start = rng.randrange(28, 49)  # 07:00–12:00
        cuts = [(start + 8, start + 9), (start + 16, start + 18), (start + 24, start + 25)]
        stretches, at = [], start
        for a, b in cuts:
            stretches.append((at, a))
            at = b
        stretches.append((at, start + 34))
        for s, e in stretches:
            for t in range(s, e):
                on[t] += 1
        held = names if rng.random() < 0.1 else rng.sample(names, rng.randint(1, min(3, queues)))
        people.append(AgentDay(str(n), tuple(stretches), tuple(held)))
    share = [rng.uniform(0.5, 1.5) for _ in names]
    total = sum(share)
    need = {q: [round(on[t] * 0.95 * share[i] / total) for t in range(slots)] for i, q in enumerate(names)}
    return BlockProblem(slots, tuple(people), need, max(1, min_minutes // SLOT))


def main(agents: int = 60, days: int = 28, queues: int = 5, min_minutes: int = 60) -> None:
    rng = random.Random(7)
    worst, total, short, need = 0.0, 0.0, 0.0, 0.0
    statuses: dict[str, int] = {}
    for _ in range(days):
        problem = day_problem(rng, agents, queues, min_minutes)
        began = time.perf_counter()
        result = assign_blocks(problem, time_limit=20)
        took = time.perf_counter() - began
        assert not check(problem, result.blocks)
        worst, total = max(worst, took), total + took
        short += result.shortfall
        need += sum(sum(v) for v in problem.need.values())
        statuses[result.status] = statuses.get(result.status, 0) + 1
    print(f"{agents} agents x {days} days x {queues} queues, blocks of {min_minutes} min or more")
    print(f"seconds: total {total:.1f}, mean per day {total / days:.2f}, worst day {worst:.2f}")
    print(f"shortfall: {short:.0f} of {need:.0f} agent-slots needed ({short / max(need, 1):.1%}); {statuses}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
