"""`keep_previous`: after a re-optimise, a change against the published rows stays only where it repairs a
shortage or a hard-rule breach; each case is small enough to check by hand."""

from scheduling.roster import Cover, RosterProblem, ShiftType, Staff, evaluate
from scheduling.roster.keep import keep_previous

_ = None
DAY = ShiftType("D", 480, start_minute=480)


def _problem(need: int, days_off: dict[str, frozenset[int]] | None = None) -> RosterProblem:
    staff = tuple(Staff(e, days_off=(days_off or {}).get(e, frozenset())) for e in ("A", "B", "C"))
    return RosterProblem(
        horizon=3,
        shifts=(DAY,),
        staff=staff,
        cover=tuple(Cover(d, "D", need, 100, 10) for d in range(3)),
    )


def test_changes_that_repair_nothing_are_put_back_by_row_and_by_day():
    problem = _problem(need=1)
    previous = {"A": ("D", "D", "D"), "B": (_, _, _), "C": (_, _, _)}
    # The solver handed A's days to B and C (a fairness gain, no shortage repaired): all of it goes back.
    solved = {"A": (_, "D", _), "B": ("D", _, _), "C": (_, _, "D")}
    kept = keep_previous(problem, solved, previous)
    assert kept == previous
    assert evaluate(problem, kept).feasible


def test_a_change_that_fills_a_shortage_stays_and_only_it():
    problem = _problem(need=2)
    previous = {"A": ("D", "D", "D"), "B": ("D", _, _), "C": (_, _, _)}
    # Days 1 and 2 lack one each; the solver filled them with C, and also moved B's day 0 to C (no gain).
    solved = {"A": ("D", "D", "D"), "B": (_, _, _), "C": ("D", "D", "D")}
    kept = keep_previous(problem, solved, previous)
    assert kept["A"] == ("D", "D", "D")
    # B's day 0 goes back; C keeps days 1 and 2 (they repair), and day 0 too only if it repairs: it does not.
    assert kept["B"] == ("D", _, _)
    assert kept["C"] == (_, "D", "D")


def test_a_previous_row_that_breaks_a_hard_rule_is_not_put_back():
    problem = _problem(need=1, days_off={"A": frozenset({1})})  # leave approved for A on day 1
    previous = {"A": ("D", "D", "D"), "B": (_, _, _), "C": (_, _, _)}
    solved = {"A": ("D", _, "D"), "B": (_, "D", _), "C": (_, _, _)}
    kept = keep_previous(problem, solved, previous)
    assert kept == solved
    assert evaluate(problem, kept).feasible
