"""Consecutive-days rules as a path through stretches: a tighter formulation than forbidden windows.

An employee's horizon is an alternating sequence of work stretches and off stretches. Each allowed
stretch is an arc (start day, length) in a small network; one unit of flow from the first day to the
last picks the sequence. Lengths encode the rules exactly: work stretches between min and max consecutive
shifts, off stretches at least the minimum days off, with the usual exemption for stretches that touch the
first or last day. The work indicator of each day is tied to the work arcs covering it. The network part
of the LP is integral, so the solver no longer has to discover the consecutive rules by branching; given
integral x the stretch flows are integral too (the maximal runs of a 0/1 row are unique), so they stay
continuous.
"""

from __future__ import annotations

import pulp

from scheduling.roster.model import Staff


def add_stretch_network(lp: pulp.LpProblem, e: int, person: Staff, work: list[list[pulp.LpVariable]],
                        horizon: int) -> list[pulp.LpConstraint]:
    """Add the network rows for employee index `e`; `work[d]` are its x variables on day d."""
    can_work = [bool(cells) for cells in work]
    longest = min(horizon, person.max_consecutive or horizon)
    starting: dict[tuple[str, int], list[pulp.LpVariable]] = {}
    ending: dict[tuple[str, int], list[pulp.LpVariable]] = {}
    covering: list[list[pulp.LpVariable]] = [[] for _ in range(horizon)]
    for start in range(horizon):
        for length in range(1, longest + 1):
            end = start + length
            if end > horizon or not can_work[end - 1]:
                break
            if length < person.min_consecutive and start > 0 and end < horizon:
                continue
            arc = pulp.LpVariable(f"sw_{e}_{start}_{length}", lowBound=0, upBound=1)
            starting.setdefault(("work", start), []).append(arc)
            ending.setdefault(("off", end), []).append(arc)
            for d in range(start, end):
                covering[d].append(arc)
        for length in range(1, horizon - start + 1):
            end = start + length
            if length < person.min_days_off and start > 0 and end < horizon:
                continue
            arc = pulp.LpVariable(f"so_{e}_{start}_{length}", lowBound=0, upBound=1)
            starting.setdefault(("off", start), []).append(arc)
            ending.setdefault(("work", end), []).append(arc)
    rows = [pulp.LpConstraint(pulp.lpSum(starting.get(("work", 0), []) + starting.get(("off", 0), [])),
                              pulp.LpConstraintEQ, rhs=1, name=f"stretch_src_{e}")]
    for day in range(1, horizon):
        for kind in ("work", "off"):
            inflow, outflow = ending.get((kind, day), []), starting.get((kind, day), [])
            if inflow or outflow:
                rows.append(pulp.LpConstraint(pulp.lpSum(inflow) - pulp.lpSum(outflow), pulp.LpConstraintEQ,
                                              rhs=0, name=f"stretch_{kind}_{e}_{day}"))
    for day in range(horizon):
        rows.append(pulp.LpConstraint(pulp.lpSum(work[day]) - pulp.lpSum(covering[day]), pulp.LpConstraintEQ,
                                      rhs=0, name=f"stretch_link_{e}_{day}"))
    for row in rows:
        lp += row
    return rows
