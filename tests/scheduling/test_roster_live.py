"""The live model's two ways of re-solving part of a roster must agree: `solve` (bounds on the whole
model) and `solve_columns` (a model of only the moving columns, used by the construction)."""

from pathlib import Path

import numpy as np

from scheduling.roster import evaluate, read_curtois, solve_roster
from scheduling.roster.formulation import build
from scheduling.roster.live import LiveModel

FIXTURE = Path(__file__).parent / "fixtures" / "roster" / "tiny.txt"


def _moving(live: LiveModel, employee: int) -> np.ndarray:
    owners = np.zeros(live.n_employees + 1, dtype=bool)
    owners[[employee, live.n_employees]] = True
    return owners[live.col_owner]


def test_solving_one_employees_columns_alone_matches_the_whole_model_with_the_rest_fixed():
    problem = read_curtois(FIXTURE)
    start = solve_roster(problem, time_limit=5, workers=1)
    assert start.roster is not None
    live = LiveModel(build(problem))
    incumbent = live.complete(start.roster, 5.0)
    assert incumbent.values is not None
    values = live.clean(incumbent.values)
    for employee in range(live.n_employees):
        whole = live.solve(
            live.x_employee == employee,
            values,
            5.0,
            warm=False,
            reshape=np.arange(live.n_employees) == employee,
        )
        alone = live.solve_columns(_moving(live, employee), values, 5.0)
        assert whole.status == alone.status == "optimal"
        assert alone.objective == whole.objective
        # the other employees' cells are untouched, and the result is a roster that keeps every hard rule
        others = live.x_employee != employee
        assert np.array_equal(alone.values[live.x_cols][others], values[live.x_cols][others])
        checked = evaluate(problem, live.roster(live.clean(alone.values)))
        assert checked.feasible, checked.violations
        assert checked.objective == alone.objective


def test_an_employee_switched_off_and_back_on_gets_their_rules_again_in_the_separate_model():
    problem = read_curtois(FIXTURE)
    live = LiveModel(build(problem))
    empty = np.zeros(live.n_cols)
    for e in range(live.n_employees):
        live.set_employee_rows(e, False)
    free = live.solve_columns(_moving(live, 0), empty, 5.0)
    live.set_employee_rows(0, True)
    ruled = live.solve_columns(_moving(live, 0), empty, 5.0)
    assert free.status == ruled.status == "optimal"
    assert ruled.objective >= free.objective  # the rules only constrain
    roster = live.roster(live.clean(ruled.values))
    mine = {problem.staff[0].id: roster[problem.staff[0].id]}
    violations = [v for v in evaluate(problem, roster).violations if v.employee in mine]
    assert not violations


def test_completing_a_roster_on_a_model_solved_in_parts_costs_what_the_evaluator_says(monkeypatch):
    """A big model (from `SEPARATE_COLUMNS` columns) re-solves parts as models of their own; completing a
    roster found elsewhere must still settle the cover slacks, which share no row with the stretches."""
    from scheduling.roster import live as live_module
    from scheduling.roster.generate import generate

    made = generate(6, 14, 40, seed=4)  # many shift types: the other columns are under half of them
    live = LiveModel(build(made.problem))
    monkeypatch.setattr(live_module, "SEPARATE_COLUMNS", 10)
    completed = live.complete(made.hidden, 5.0)
    assert completed.values is not None
    assert live.roster(live.clean(completed.values)) == made.hidden
    assert completed.objective == evaluate(made.problem, made.hidden).objective
