"""Named rostering: which employee works which shift on which day, under hard contracts and soft wishes.

- `model`: the plain problem (`RosterProblem`, `Staff`, `ShiftType`, `ShiftRequest`, `Cover`, ...).
- `curtois`: the benchmark text format in, SOLUTION.csv out.
- `evaluate`: every hard rule and the objective recomputed from a roster, independent of the solver.
- `formulation` + `stretches`: the PuLP integer model and its index maps; `live` holds it in HiGHS for
  re-solving parts.
- `search` + `neighbourhoods`: construction and fix-and-optimise, one strategy object per kind of
  neighbourhood.
- `solve`: the time-limited pipeline (`solve_roster`), its phases chosen by size from one table, over the
  typed state of `state` (bound, proof test, solve log).
- `columns` + `pricing`: column generation over whole rows per employee, for bounds and rosters;
  `branch`: branch and price in neighbourhoods.
- `parallel` + `exchange`: a second search in a helper process, and the link between the two.
"""

from scheduling.roster.curtois import parse_curtois, read_curtois, read_solution, write_solution
from scheduling.roster.evaluate import Evaluation, Violation, evaluate
from scheduling.roster.model import (
    Cover,
    FairnessGroup,
    IntervalCover,
    Roster,
    RosterInputError,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    rest_conflicts,
)
from scheduling.roster.solve import BrokenRule, RosterResult, solve_roster

__all__ = [
    "BrokenRule",
    "Cover",
    "Evaluation",
    "FairnessGroup",
    "IntervalCover",
    "Roster",
    "RosterInputError",
    "RosterProblem",
    "RosterResult",
    "ShiftRequest",
    "ShiftType",
    "Staff",
    "Violation",
    "evaluate",
    "parse_curtois",
    "read_curtois",
    "read_solution",
    "rest_conflicts",
    "solve_roster",
    "write_solution",
]
