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

from dataclasses import dataclass

import pulp

from scheduling.roster.model import Staff


@dataclass
class StretchNetwork:
    """One employee's network as added to the model: its rows and its arcs (their columns)."""

    rows: list[pulp.LpConstraint]
    arcs: list[pulp.LpVariable]  # work stretches, then off stretches
    works: bool  # some work stretch exists (the employee can work at all)


def add_stretch_network(
    lp: pulp.LpProblem, e: int, person: Staff, work: list[list[pulp.LpVariable]], horizon: int
) -> StretchNetwork:
    """Add the network rows for employee index `e`; `work[d]` are its x variables on day d."""
    can_work = [bool(cells) for cells in work]
    longest = min(horizon, person.max_consecutive or horizon)
    starting: dict[tuple[str, int], list[pulp.LpVariable]] = {}
    ending: dict[tuple[str, int], list[pulp.LpVariable]] = {}
    covering: list[list[pulp.LpVariable]] = [[] for _ in range(horizon)]
    arcs: list[pulp.LpVariable] = []
    for start in range(horizon):
        for length in range(1, longest + 1):
            end = start + length
            if end > horizon or not can_work[end - 1]:
                break
            if length < person.min_consecutive and start > 0 and end < horizon:
                continue
            arc = pulp.LpVariable(f"sw_{e}_{start}_{length}", lowBound=0, upBound=1)
            arcs.append(arc)
            starting.setdefault(("work", start), []).append(arc)
            ending.setdefault(("off", end), []).append(arc)
            for d in range(start, end):
                covering[d].append(arc)
    works = bool(arcs)
    arcs.extend(_off_arcs(e, person, horizon, starting, ending))
    rows = [
        pulp.LpConstraint(
            pulp.lpSum(starting.get(("work", 0), []) + starting.get(("off", 0), [])),
            pulp.LpConstraintEQ,
            rhs=1,
            name=f"stretch_src_{e}",
        )
    ]
    for day in range(1, horizon):
        for kind in ("work", "off", "rest"):
            inflow, outflow = ending.get((kind, day), []), starting.get((kind, day), [])
            if inflow or outflow:
                rows.append(
                    pulp.LpConstraint(
                        pulp.lpSum(inflow) - pulp.lpSum(outflow),
                        pulp.LpConstraintEQ,
                        rhs=0,
                        name=f"stretch_{kind}_{e}_{day}",
                    )
                )
    for day in range(horizon):
        rows.append(
            pulp.LpConstraint(
                pulp.lpSum(work[day]) - pulp.lpSum(covering[day]),
                pulp.LpConstraintEQ,
                rhs=0,
                name=f"stretch_link_{e}_{day}",
            )
        )
    for row in rows:
        lp += row
    return StretchNetwork(rows, arcs, works)


def _off_arcs(e: int, person: Staff, horizon: int, starting: dict, ending: dict) -> list[pulp.LpVariable]:
    """Off stretches through a chain of "rested" nodes, O(horizon) arcs instead of O(horizon^2).

    From "off from day b" (b > 0) the flow either stays off to the end, or reaches "rested on day
    b + min_days_off", may stay rested day after day, and leaves to start work on any later day.
    An off stretch from day 0 is exempt from the minimum, so it may end on any day.
    """

    arcs: list[pulp.LpVariable] = []

    def arc(name: str, tail: tuple[str, int], head: tuple[str, int] | None) -> None:
        var = pulp.LpVariable(f"so_{e}_{name}", lowBound=0, upBound=1)
        arcs.append(var)
        starting.setdefault(tail, []).append(var)
        if head is not None:  # None: the sink
            ending.setdefault(head, []).append(var)

    arc("0_end", ("off", 0), None)
    for day in range(1, horizon):
        arc(f"0_{day}", ("off", 0), ("work", day))
        arc(f"{day}_end", ("off", day), None)
        if day + person.min_days_off < horizon:
            arc(f"{day}_rest", ("off", day), ("rest", day + person.min_days_off))
        arc(f"r{day}_work", ("rest", day), ("work", day))
        if day + 1 < horizon:
            arc(f"r{day}_next", ("rest", day), ("rest", day + 1))
    return arcs
