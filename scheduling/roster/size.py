"""How big a roster model is, and the least time limit that can hold it.

The solver honours its time limit from the moment its model exists, but building the model (PuLP's
variables and constraints, then HiGHS's copy) is not interruptible and grows with the cells (employee x
day x shift an employee may work). Measured on this project's 2-core machines, building costs about
0.4 ms a cell, for the small Curtois instances (0.26 to 0.36 ms) and for generated ones up to 43,680
cells (0.41 to 0.42 ms): 2,000 agents over 28 days and two shifts took 55 s whatever the time limit.
The first roster is then built one employee at a time, each placement a small MIP given at least 0.2 s
(`search.construct`): 200 agents x 28 days x 2 shifts given 12 s constructed for 38 s on a loaded machine
(0.15 s a placement; a placement's MIP grows with the days, so 0.02 s plus 5 ms a day is counted). No
roster exists before that, so it cannot be cut short either. A solve is refused
up front, naming the least limit, when building and constructing would take more than `BUILD_SHARE` of
the limit; anything that passes has the rest for the search, which stops at the deadline.
"""

from __future__ import annotations

import math

from scheduling.roster.model import RosterInputError, RosterProblem

SECONDS_PER_CELL = 0.0005  # building one cell's part of the model, with a margin over the 0.42 ms measured
# placing one employee in the first roster: measured 0.13 s idle and 0.15 s loaded over 28 days
SECONDS_PER_PLACEMENT, SECONDS_PER_PLACEMENT_DAY = 0.02, 0.005
BUILD_SHARE = 0.6  # of the time limit, at most, for building and constructing
MAX_CELLS = 2_000_000  # above this no time limit we offer is enough (the largest Curtois instance is 1.75M)


def upper_cells(problem: RosterProblem) -> int:
    return len(problem.staff) * problem.horizon * len(problem.shifts)


def cells(problem: RosterProblem) -> int:
    """Employee x day x shift cells the employee may work (counting costs about 1.3 microseconds a cell)."""
    return sum(
        1
        for p in problem.staff
        for d in range(problem.horizon)
        for s in problem.shift_ids
        if problem.allowed(p, d, s)
    )


def least_time_limit(problem: RosterProblem, count: int | None = None) -> float:
    """Seconds a solve of `problem` needs at least: building and constructing take `BUILD_SHARE` of them."""
    count = cells(problem) if count is None else count
    return float(math.ceil(_setup_seconds(problem, count) / BUILD_SHARE))


def _setup_seconds(problem: RosterProblem, count: int) -> float:
    per_employee = SECONDS_PER_PLACEMENT + SECONDS_PER_PLACEMENT_DAY * problem.horizon
    return count * SECONDS_PER_CELL + len(problem.staff) * per_employee


def check_time_limit(problem: RosterProblem, time_limit: float) -> None:
    """RosterInputError when the model is too large to build at all, or to build within `time_limit`."""
    upper = upper_cells(problem)
    if upper > MAX_CELLS:
        raise RosterInputError(
            f"size: {len(problem.staff)} employees x {problem.horizon} days x {len(problem.shifts)} "
            f"shifts is {upper:,} cells; at most {MAX_CELLS:,} fit in one roster model: split the staff "
            "or the horizon"
        )
    if _setup_seconds(problem, upper) <= BUILD_SHARE * time_limit:
        return  # no need to count: even every cell would be built in time
    count = cells(problem)
    least = least_time_limit(problem, count)
    if least > time_limit:
        raise RosterInputError(
            f"time_limit: {count:,} cells ({len(problem.staff)} employees x {problem.horizon} days) take "
            f"about {_setup_seconds(problem, count):.0f} s to build and give a first roster; give a time "
            f"limit of at least {least:.0f} s, or roster fewer employees or days at once"
        )
