"""Work blocks inside rostered shifts: which queue each agent works in each interval they are on the phones.

A multi-skill agent on shift is on one queue (or channel) at a time, in blocks long enough to settle into
(09:00–11:00 voice, 11:00–12:30 back office), never on a queue their skills do not allow. Breaks, training
and meetings are not moved: they cut a shift into on-phone *stretches*, and blocks lie inside them.

One day at a time, on a grid of equal slots: given each agent's stretches and allowed queues, the agents
each queue needs per slot and the shortest block (in slots), `assign_blocks` chooses every agent's queue in
every on-phone slot so that the weighted shortfall (agents missing, per queue and slot) is least, then the
fewest blocks. An integer model (PuLP/HiGHS): x[a, t, q] = 1 when agent a works queue q in slot t, one
queue per on-phone slot; s[a, t, q] = 1 when a block starts there, with the min-up-time inequalities
(every start in the last `min_slots` slots keeps the agent on that queue now) so every block lasts at least
`min_slots`. A stretch shorter than `min_slots` is one block on one queue (it cannot be made longer); a
block may not start so late in a longer stretch that it would end short. A stretch shorter than two blocks
holds one block, so it needs one choice variable per queue, not one per slot.

Should the solver find nothing in its time (it has not happened at the sizes the roster runs), each
stretch becomes one block on the queue whose remaining need over it is largest: a valid answer, worse
cover, and the result says so (`status` "heuristic").

`check` re-checks any set of blocks against the problem (skills, lengths, stretches) and `cover` counts
agents per queue and slot from the blocks alone, for tests and pages independent of the solver.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulp

from scheduling import solver as solving

BLOCK_WEIGHT = 0.01  # per block: fewer switches, never at the cost of an agent-slot of shortfall
HEURISTIC = "heuristic"


class BlockInputError(ValueError):
    """A block problem that cannot be solved as given; the message names the field."""


@dataclass(frozen=True)
class AgentDay:
    """One agent on one day: their on-phone stretches as [start, end) slot ranges, and the queues they may
    work (their skills at the queues' minimum proficiency, that day)."""

    id: str
    stretches: tuple[tuple[int, int], ...]
    queues: tuple[str, ...]


@dataclass(frozen=True)
class BlockProblem:
    slots: int  # slots in the day's grid
    agents: tuple[AgentDay, ...]
    need: Mapping[str, Sequence[float]]  # queue -> agents required per slot
    min_slots: int  # the shortest block, in slots
    weight: Mapping[str, float] = field(default_factory=dict)  # queue -> shortfall weight (default 1)

    def validate(self) -> None:
        if self.min_slots < 1:
            raise BlockInputError("min_slots: a block lasts at least one slot")
        for q, values in self.need.items():
            if len(values) != self.slots:
                raise BlockInputError(f"need: queue {q!r} has {len(values)} slots, the day has {self.slots}")
        seen = set()
        for a in self.agents:
            if a.id in seen:
                raise BlockInputError(f"agents: {a.id!r} appears twice")
            seen.add(a.id)
            last = 0
            for start, end in sorted(a.stretches):
                if not (0 <= start < end <= self.slots) or start < last:
                    raise BlockInputError(f"stretches: {a.id!r} has an empty, overlapping or outside stretch")
                last = end


@dataclass(frozen=True)
class Block:
    agent: str
    queue: str
    start: int  # slot
    end: int  # slot, exclusive

    @property
    def slots(self) -> int:
        return self.end - self.start


@dataclass
class BlockResult:
    status: str  # the solver's (optimal, feasible) or "heuristic"
    blocks: list[Block]
    shortfall: float  # weighted agent-slots short, recounted from the blocks
    seconds: float


def cover(blocks: Sequence[Block], slots: int) -> dict[str, list[int]]:
    """Queue -> agents working it per slot, counted from the blocks alone."""
    out: dict[str, list[int]] = defaultdict(lambda: [0] * slots)
    for b in blocks:
        row = out[b.queue]
        for t in range(b.start, b.end):
            row[t] += 1
    return dict(out)


def shortfall(problem: BlockProblem, blocks: Sequence[Block]) -> float:
    counts = cover(blocks, problem.slots)
    return sum(
        problem.weight.get(q, 1.0) * max(0.0, need - counts.get(q, [0] * problem.slots)[t])
        for q, values in problem.need.items()
        for t, need in enumerate(values)
    )


def check(problem: BlockProblem, blocks: Sequence[Block]) -> list[str]:
    """What is wrong with `blocks` for `problem` (empty: nothing): a queue the agent may not work, a block
    outside the agent's stretches, two blocks at once, a block shorter than the shortest allowed where its
    stretch is long enough, an on-phone slot of an agent with queues left without a block."""
    agents = {a.id: a for a in problem.agents}
    problems = []
    held: dict[str, set[int]] = defaultdict(set)
    for b in blocks:
        a = agents.get(b.agent)
        if a is None:
            problems.append(f"{b.agent}: not in the problem")
            continue
        if b.queue not in a.queues:
            problems.append(f"{b.agent}: on {b.queue}, which they may not work")
        stretch = next(((s, e) for s, e in a.stretches if s <= b.start and b.end <= e), None)
        if stretch is None or b.slots < 1:
            problems.append(f"{b.agent}: block {b.start}–{b.end} is not inside an on-phone stretch")
        elif b.slots < problem.min_slots and b.slots != stretch[1] - stretch[0]:
            problems.append(f"{b.agent}: block {b.start}–{b.end} is shorter than {problem.min_slots} slots")
        for t in range(b.start, b.end):
            if t in held[b.agent]:
                problems.append(f"{b.agent}: two blocks in slot {t}")
            held[b.agent].add(t)
    for a in problem.agents:
        if a.queues:
            missing = {t for s, e in a.stretches for t in range(s, e)} - held[a.id]
            if missing:
                problems.append(f"{a.id}: {len(missing)} on-phone slots without a block")
    return problems


class _Model:
    """The integer model of one day, built stretch by stretch (see the module)."""

    def __init__(self, problem: BlockProblem):
        self.problem = problem
        self.lp = pulp.LpProblem("blocks", pulp.LpMinimize)
        self.counted: dict[tuple[int, str], list] = defaultdict(list)  # (slot, queue) -> variables, ones
        self.fixed: list[Block] = []
        self.whole: dict[tuple[str, int, int, str], pulp.LpVariable] = {}
        self.sliced: dict[tuple[str, int, int], dict[tuple[int, str], pulp.LpVariable]] = {}
        self.starts: list = []
        for n, a in enumerate(problem.agents):
            for start, end in sorted(a.stretches) if a.queues else ():
                if len(a.queues) == 1:
                    self._fixed(a, start, end)
                elif end - start < 2 * problem.min_slots:
                    self._one_block(n, a, start, end)
                else:
                    self._sliced(n, a, start, end)
        self._objective()

    @property
    def decides(self) -> bool:
        return bool(self.whole or self.sliced)

    def _fixed(self, a: AgentDay, start: int, end: int) -> None:
        self.fixed.append(Block(a.id, a.queues[0], start, end))
        for t in range(start, end):
            self.counted[t, a.queues[0]].append(1)

    def _one_block(self, n: int, a: AgentDay, start: int, end: int) -> None:
        """A stretch too short for two blocks: one variable per queue, one of them chosen."""
        choice = []
        for k, q in enumerate(a.queues):
            var = self.whole[a.id, start, end, q] = pulp.LpVariable(f"w_{n}_{start}_{k}", cat="Binary")
            choice.append(var)
            for t in range(start, end):
                self.counted[t, q].append(var)
        self.lp += pulp.lpSum(choice) == 1
        self.starts.append(pulp.lpSum(choice))

    def _sliced(self, n: int, a: AgentDay, start: int, end: int) -> None:
        """One queue per slot; block starts with the min-up-time inequalities."""
        length = self.problem.min_slots
        x, s = {}, {}
        for k, q in enumerate(a.queues):
            for t in range(start, end):
                x[t, q] = pulp.LpVariable(f"x_{n}_{t}_{k}", cat="Binary")
                self.counted[t, q].append(x[t, q])
                if t == start or t <= end - length:
                    s[t, q] = pulp.LpVariable(f"s_{n}_{t}_{k}", cat="Binary")
            for t in range(start, end):
                if (t, q) in s:
                    self.lp += s[t, q] >= x[t, q] - (x[t - 1, q] if t > start else 0)
                else:
                    self.lp += x[t, q] <= x[t - 1, q]  # too late to start a full block
                recent = [s[j, q] for j in range(max(start, t - length + 1), t + 1) if (j, q) in s]
                self.lp += pulp.lpSum(recent) <= x[t, q]
        for t in range(start, end):
            self.lp += pulp.lpSum(x[t, q] for q in a.queues) == 1
        self.starts.append(pulp.lpSum(s.values()))
        self.sliced[a.id, start, end] = x

    def _objective(self) -> None:
        short: list = []
        for q, values in self.problem.need.items():
            w = self.problem.weight.get(q, 1.0)
            for t, need in enumerate(values):
                terms = self.counted.get((t, q), [])
                if need <= 0 or not any(isinstance(v, pulp.LpVariable) for v in terms):
                    continue  # nothing to decide here: the shortfall is what it is
                u = pulp.LpVariable(f"u_{t}_{len(short)}", lowBound=0)
                self.lp += u >= need - pulp.lpSum(terms)
                short.append(w * u)
        self.lp += pulp.lpSum(short) + BLOCK_WEIGHT * pulp.lpSum(self.starts)

    def blocks(self) -> list[Block]:
        out = list(self.fixed)
        for (agent, start, end, q), var in self.whole.items():
            if (var.value() or 0) > 0.5:
                out.append(Block(agent, q, start, end))
        for (agent, start, end), x in self.sliced.items():
            queues = sorted({q for _, q in x})
            current, since = None, start
            for t in range(start, end + 1):
                now = next((q for q in queues if (x[t, q].value() or 0) > 0.5), None) if t < end else None
                if now != current:
                    if current is not None:
                        out.append(Block(agent, current, since, t))
                    current, since = now, t
        return sorted(out, key=lambda b: (b.agent, b.start))


def assign_blocks(problem: BlockProblem, time_limit: float = 10.0) -> BlockResult:
    """The day's blocks with the least weighted shortfall, then the fewest blocks (see the module)."""
    problem.validate()
    started = time.perf_counter()
    if not any(v > 0 for values in problem.need.values() for v in values):
        # Nothing is needed: one block per stretch is optimal (no shortfall, the fewest blocks).
        blocks = _one_block_per_stretch(problem)
        return BlockResult(solving.OPTIMAL, blocks, 0.0, time.perf_counter() - started)
    model = _Model(problem)
    status = solving.OPTIMAL
    if model.decides:
        status = solving.solve(model.lp, time_limit=time_limit, gap_abs=BLOCK_WEIGHT / 2).status
    if status not in solving.HAS_SOLUTION:
        blocks = _one_block_per_stretch(problem)
        return BlockResult(HEURISTIC, blocks, shortfall(problem, blocks), time.perf_counter() - started)
    blocks = model.blocks()
    return BlockResult(status, blocks, shortfall(problem, blocks), time.perf_counter() - started)


def _one_block_per_stretch(problem: BlockProblem) -> list[Block]:
    """A valid answer: each stretch one block, on the queue with the most need left over it (agents with
    one queue first, as they have no choice)."""
    left = {q: list(values) for q, values in problem.need.items()}
    out = []
    for a in sorted(problem.agents, key=lambda a: len(a.queues)):
        if not a.queues:
            continue
        for start, end in sorted(a.stretches):
            best = max(
                a.queues,
                key=lambda q: sum(max(0.0, v) for v in left.get(q, [0.0] * problem.slots)[start:end]),
            )
            out.append(Block(a.id, best, start, end))
            if best in left:
                for t in range(start, end):
                    left[best][t] -= 1
    return sorted(out, key=lambda b: (b.agent, b.start))
