"""Sharing one interval's agents among queues: each skill group's agents on the phones go to the queues the
group may serve, an agent counted once, as many of each queue's need met as possible.

This is a maximum flow from groups to queues (group g can give at most its agents; queue q takes at most
its need). The covering model's flows are a good start but come back as rounded solver values; the plan's
coverage is recomputed here from the plan's rows so that it describes the plan as written: the start
flows are cut to what the rows allow, then augmenting paths (breadth-first, through queues already served
by another group that could move) add whatever more can be met. The result is a maximum flow, so the
shortfall it leaves is the least any split of these agents could leave.
"""

from __future__ import annotations

from collections import deque


def share_out(
    on: list[int],
    need: list[int],
    serves: list[list[int]],
    start: dict[tuple[int, int], int] | None = None,
) -> dict[tuple[int, int], int]:
    """{(group, queue): agents} meeting as much of `need` as `on` allows (see the module docstring)."""
    spare = list(on)
    open_need = list(need)
    given: dict[tuple[int, int], int] = {}
    for (g, q), amount in sorted((start or {}).items()):
        amount = min(int(amount), spare[g], open_need[q])
        if amount > 0 and q in serves[g]:
            given[(g, q)] = amount
            spare[g] -= amount
            open_need[q] -= amount
    while True:
        path = _augmenting_path(spare, open_need, serves, given)
        if path is None:
            return {key: value for key, value in given.items() if value > 0}
        amount = min(spare[path[0][0]], open_need[path[-1][1]])
        for g, q, back in path_steps(path):
            if back:
                amount = min(amount, given[(g, q)])
        for g, q, back in path_steps(path):
            given[(g, q)] = given.get((g, q), 0) + (-amount if back else amount)
        spare[path[0][0]] -= amount
        open_need[path[-1][1]] -= amount


def path_steps(path: list[tuple[int, int]]):
    """The edges of an alternating path [(g0, q0), (g1, q1), ...] as (group, queue, backward): g0 gives an
    agent to q0, g1 takes one of its agents off q0 (backward) and gives it to q1, and so on."""
    for index, (g, q) in enumerate(path):
        if index:
            yield g, path[index - 1][1], True
        yield g, q, False


def _augmenting_path(spare, open_need, serves, given) -> list[tuple[int, int]] | None:
    """Breadth-first from every group with spare agents: group -> queue it serves; a queue still in need
    ends the path; a full queue passes on to a group serving it that may move an agent elsewhere."""
    sources = [g for g, s in enumerate(spare) if s > 0]
    came_from: dict[
        int, tuple[int, int | None]
    ] = {}  # group -> (queue it was reached through, previous group)
    seen_queues: set[int] = set()
    frontier: deque[int] = deque()
    for g in sources:
        came_from[g] = (-1, None)
        frontier.append(g)
    while frontier:
        g = frontier.popleft()
        for q in serves[g]:
            if q in seen_queues:
                continue
            seen_queues.add(q)
            if open_need[q] > 0:
                return _path(came_from, g, q)
            for other, queues in enumerate(serves):
                if other not in came_from and q in queues and given.get((other, q), 0) > 0:
                    came_from[other] = (q, g)
                    frontier.append(other)
    return None


def _path(came_from, g: int, q: int) -> list[tuple[int, int]]:
    """[(g0, q0), (g1, q1), ...]: g0 has spare and takes q0 from g1, ..., the last group fills the last q."""
    path = [(g, q)]
    while True:
        through, previous = came_from[g]
        if previous is None:
            return path[::-1]
        path.append((previous, through))
        g = previous
