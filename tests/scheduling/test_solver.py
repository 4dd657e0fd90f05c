"""The solver report is read from HiGHS itself, not from PuLP's status alone."""

import pulp
import pytest

from scheduling.solver import FEASIBLE, INFEASIBLE, OPTIMAL, solve


def covering_model():
    problem = pulp.LpProblem("cover", pulp.LpMinimize)
    x = [pulp.LpVariable(f"x{i}", 0, None, cat="Integer") for i in range(3)]
    problem += pulp.lpSum(x)
    problem += x[0] + x[1] >= 3.5
    problem += x[1] + x[2] >= 2.5
    return problem, x


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_optimal_integer_model(solver):
    problem, x = covering_model()
    report = solve(problem, time_limit=10, solver=solver)
    assert report.status == OPTIMAL
    assert report.has_solution
    values = [v.value() for v in x]
    assert values[0] + values[1] >= 3.5
    assert values[1] + values[2] >= 2.5
    assert report.objective == pytest.approx(sum(values)) == pytest.approx(4)
    assert report.bound == pytest.approx(4)
    assert report.gap == pytest.approx(0)


def test_maximisation_reports_in_the_model_sense():
    problem = pulp.LpProblem("max", pulp.LpMaximize)
    y = pulp.LpVariable("y", 0, 3.5, cat="Integer")
    problem += 2 * y
    report = solve(problem, time_limit=5)
    assert report.status == OPTIMAL
    assert report.objective == pytest.approx(6)
    assert report.bound == pytest.approx(6)


def test_infeasible_is_a_status_not_an_exception():
    problem = pulp.LpProblem("none", pulp.LpMinimize)
    z = pulp.LpVariable("z", 0, 1)
    problem += z
    problem += z >= 2
    report = solve(problem, time_limit=5)
    assert report.status == INFEASIBLE
    assert not report.has_solution
    assert report.objective is None


def test_time_limit_without_proof_is_not_called_optimal():
    # A knapsack-like model HiGHS cannot close in a hair of time: whatever it returns must not be "optimal"
    # unless it proved it, and a returned objective must belong to a real solution.
    problem = pulp.LpProblem("hard", pulp.LpMaximize)
    n = 60
    x = [pulp.LpVariable(f"x{i}", cat="Binary") for i in range(n)]
    weights = [(i * 7919) % 97 + 13 for i in range(n)]
    problem += pulp.lpSum(w * v for w, v in zip(weights, x, strict=True))
    for k in range(12):
        problem += pulp.lpSum(((i * (k + 3)) % 11 + 1) * x[i] for i in range(n)) <= 97 + k
    report = solve(problem, time_limit=0.01, options={"mip_heuristic_effort": 0.0, "presolve": "off"})
    assert report.status in (OPTIMAL, FEASIBLE, "no_solution")
    if report.status == OPTIMAL:
        assert report.gap is not None
        assert report.gap <= 1e-4
    if report.has_solution:
        assert report.objective == pytest.approx(
            sum(w * (v.value() or 0) for w, v in zip(weights, x, strict=True))
        )


def test_a_time_limit_is_required():
    problem, _ = covering_model()
    with pytest.raises(ValueError, match="time_limit"):
        solve(problem, time_limit=0)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_objective_constant_counts_in_objective_and_bound(solver):
    problem, _x = covering_model()
    problem.objective += 10  # a constant term, as penalty offsets produce
    report = solve(problem, time_limit=10, solver=solver)
    assert report.objective == pytest.approx(14)
    assert report.bound == pytest.approx(14)
    assert report.objective == pytest.approx(pulp.value(problem.objective))
