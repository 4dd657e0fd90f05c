"""Turn the break counts of a solved model into explicit break times per agent.

The model counts, per break class and start time, how many agents take the break at each offset; the
agents starting then may have different lengths (the break rule is relative to the start, so it does not
matter which length gets which offset). Should the counts not add up exactly (a solver tolerance), the
missing agents take the break at its earliest offset, so every break written into a plan lies inside
its window.
"""

from __future__ import annotations

from scheduling.shifts.model import BreakClass


def assign_breaks(
    klass: BreakClass, x_values: list[int], z_values: dict[tuple[int, int], int]
) -> dict[int, list[int]]:
    """Break starts (unrolled interval indexes) per variant index, one per agent, sorted."""
    result: dict[int, list[int]] = {}
    for start, members in klass.supply.items():
        agents = [v for v in members for _ in range(x_values[v])]
        if not agents:
            continue
        offsets = [
            offset
            for offset in range(klass.first, klass.last + 1)
            for _ in range(z_values.get((start, offset), 0))
        ]
        offsets = (offsets + [klass.first] * len(agents))[: len(agents)]
        for v, offset in zip(agents, sorted(offsets), strict=True):
            result.setdefault(v, []).append(start + offset)
    return result
