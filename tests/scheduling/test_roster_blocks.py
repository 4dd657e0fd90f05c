"""Work blocks engine: every answer re-checked against the problem (skills, lengths, stretches) and its
shortfall recounted from the blocks, on hand-made days whose best shortfall is known."""

from __future__ import annotations

import random

import pytest

from scheduling.roster.blocks import (
    AgentDay,
    Block,
    BlockInputError,
    BlockProblem,
    _one_block_per_stretch,
    assign_blocks,
    check,
    cover,
    shortfall,
)


def hand_shortfall(problem: BlockProblem, blocks: list[Block]) -> float:
    """Weighted agents short, counted slot by slot from the blocks (independent of `shortfall`)."""
    total = 0.0
    for q, values in problem.need.items():
        for t, need in enumerate(values):
            working = sum(1 for b in blocks if b.queue == q and b.start <= t < b.end)
            total += problem.weight.get(q, 1.0) * max(0, need - working)
    return total


def test_two_agents_split_two_queues_without_shortfall():
    # A needs one agent in slots 0-3, B one in 4-7; both agents may work both: no shortfall is possible.
    need = {"A": [1, 1, 1, 1, 0, 0, 0, 0], "B": [0, 0, 0, 0, 1, 1, 1, 1]}
    agents = (AgentDay("x", ((0, 8),), ("A", "B")), AgentDay("y", ((0, 8),), ("A", "B")))
    problem = BlockProblem(8, agents, need, min_slots=4)
    result = assign_blocks(problem, time_limit=10)
    assert check(problem, result.blocks) == []
    assert hand_shortfall(problem, result.blocks) == 0
    assert result.shortfall == 0


def test_min_length_forbids_short_hops():
    # One agent; A needs them in slots 0-5, B in 6-7. With hops of two slots nothing would be short; with
    # blocks of four or more, two agent-slots must go short whichever way (A 0-8, or A 0-4 and B 4-8).
    need = {"A": [1, 1, 1, 1, 1, 1, 0, 0], "B": [0, 0, 0, 0, 0, 0, 1, 1]}
    problem = BlockProblem(8, (AgentDay("x", ((0, 8),), ("A", "B")),), need, min_slots=4)
    result = assign_blocks(problem, time_limit=10)
    assert check(problem, result.blocks) == []
    assert all(b.slots >= 4 for b in result.blocks)
    assert hand_shortfall(problem, result.blocks) == 2
    loose = BlockProblem(8, problem.agents, need, min_slots=2)
    assert hand_shortfall(loose, assign_blocks(loose, time_limit=10).blocks) == 0


def test_a_stretch_shorter_than_a_block_is_one_block():
    # Stretches of 2 and 5 slots with blocks of 4: the first is one short block, the second one block
    # (two would need 8 slots), whatever the need asks.
    need = {"A": [1] * 3 + [0] * 9, "B": [0] * 3 + [1] * 9}
    problem = BlockProblem(12, (AgentDay("x", ((0, 2), (3, 8)), ("A", "B")),), need, min_slots=4)
    result = assign_blocks(problem, time_limit=10)
    assert check(problem, result.blocks) == []
    assert sorted((b.start, b.end) for b in result.blocks) == [(0, 2), (3, 8)]


def test_agents_only_work_queues_they_may_work():
    need = {"A": [3] * 8, "B": [3] * 8}
    agents = (
        AgentDay("only-a", ((0, 8),), ("A",)),
        AgentDay("only-b", ((0, 8),), ("B",)),
        AgentDay("both", ((0, 8),), ("A", "B")),
        AgentDay("none", ((0, 8),), ()),
    )
    problem = BlockProblem(8, agents, need, min_slots=2)
    result = assign_blocks(problem, time_limit=10)
    assert check(problem, result.blocks) == []
    allowed = {a.id: set(a.queues) for a in agents}
    assert all(b.queue in allowed[b.agent] for b in result.blocks)
    assert not [b for b in result.blocks if b.agent == "none"]


def test_weights_send_the_flexible_agent_where_shortfall_costs_most():
    need = {"live": [1] * 4, "later": [1] * 4}
    problem = BlockProblem(
        4, (AgentDay("x", ((0, 4),), ("later", "live")),), need, 4, weight={"live": 2.0, "later": 1.0}
    )
    result = assign_blocks(problem, time_limit=10)
    assert [b.queue for b in result.blocks] == ["live"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_days_are_valid_and_no_worse_than_one_block_per_stretch(seed):
    rng = random.Random(seed)
    queues = ["q0", "q1", "q2"]
    agents = []
    for n in range(8):
        start = rng.randrange(0, 8)
        stretches = ((start, start + 6), (start + 7, start + 9), (start + 10, start + 18))
        agents.append(AgentDay(f"a{n}", stretches, tuple(rng.sample(queues, rng.randint(1, 3)))))
    need = {q: [rng.randint(0, 3) for _ in range(30)] for q in queues}
    problem = BlockProblem(30, tuple(agents), need, min_slots=3, weight={"q0": 2.0})
    result = assign_blocks(problem, time_limit=20)
    assert check(problem, result.blocks) == []
    assert result.shortfall == pytest.approx(hand_shortfall(problem, result.blocks))
    fallback = _one_block_per_stretch(problem)
    assert check(problem, fallback) == []
    assert result.shortfall <= hand_shortfall(problem, fallback) + 1e-6
    counts = cover(result.blocks, 30)
    for q in queues:
        for t in range(30):
            assert counts.get(q, [0] * 30)[t] == sum(
                1 for b in result.blocks if b.queue == q and b.start <= t < b.end
            )


def test_nothing_needed_gives_one_block_per_stretch():
    problem = BlockProblem(10, (AgentDay("x", ((0, 4), (5, 10)), ("A", "B")),), {"A": [0] * 10}, 2)
    result = assign_blocks(problem, time_limit=5)
    assert check(problem, result.blocks) == []
    assert len(result.blocks) == 2
    assert shortfall(problem, result.blocks) == 0


def test_check_finds_what_is_wrong():
    problem = BlockProblem(10, (AgentDay("x", ((0, 10),), ("A",)),), {"A": [1] * 10}, 4)
    assert check(problem, [Block("x", "B", 0, 10)]) == ["x: on B, which they may not work"]
    found = check(problem, [Block("x", "A", 0, 2), Block("x", "A", 2, 10)])
    assert found == ["x: block 0–2 is shorter than 4 slots"]
    assert check(problem, [Block("x", "A", 0, 5)]) == ["x: 5 on-phone slots without a block"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"min_slots": 0}, "min_slots"),
        ({"need": {"A": [1, 1]}}, "need"),
        ({"agents": (AgentDay("x", ((0, 3), (2, 5)), ("A",)),)}, "stretches"),
        ({"agents": (AgentDay("x", ((0, 3),), ("A",)), AgentDay("x", ((0, 3),), ("A",)))}, "agents"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    base = {"slots": 6, "agents": (), "need": {"A": [0] * 6}, "min_slots": 2}
    with pytest.raises(BlockInputError, match=field):
        assign_blocks(BlockProblem(**{**base, **kwargs}))
