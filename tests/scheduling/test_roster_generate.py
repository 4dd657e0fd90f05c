"""Generated instances (scheduling.roster.generate): deterministic by seed, always feasible (the hidden roster
keeps every hard rule the independent evaluator checks), written in the benchmark's format, and solved by
the engine into rosters that keep every hard rule."""

from collections import Counter
from pathlib import Path

import pytest

from scheduling.roster import evaluate, parse_curtois, read_curtois, solve_roster
from scheduling.roster.curtois import format_curtois
from scheduling.roster.generate import generate

GENERATED = Path(__file__).resolve().parents[1] / "data" / "generated"
SIZES = [(8, 14, 2), (12, 14, 3), (30, 28, 3), (50, 28, 4), (80, 35, 6), (120, 42, 10), (200, 42, 18)]


def test_the_same_seed_gives_the_same_instance_and_another_seed_another():
    first, again, other = (
        generate(20, 28, 4, seed=3),
        generate(20, 28, 4, seed=3),
        generate(20, 28, 4, seed=4),
    )
    assert first.problem == again.problem
    assert first.hidden == again.hidden
    assert first.problem.staff != other.problem.staff or first.problem.cover != other.problem.cover


@pytest.mark.parametrize(("staff", "days", "types"), [*SIZES, (250, 42, 20), (30, 42, 1), (40, 35, 7)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_hidden_roster_keeps_every_hard_rule_so_the_instance_is_feasible(staff, days, types, seed):
    made = generate(staff, days, types, seed)
    problem = made.problem
    assert (len(problem.staff), problem.horizon, len(problem.shifts)) == (staff, days, types)
    evaluation = evaluate(problem, made.hidden)
    assert evaluation.violations == []
    assert evaluation.feasible


def test_cover_and_days_off_are_drawn_around_the_hidden_roster():
    made = generate(60, 35, 5, seed=7)
    problem, hidden = made.problem, made.hidden
    counts = Counter((d, s) for row in hidden.values() for d, s in enumerate(row) if s is not None)
    assert len(problem.cover) == problem.horizon * len(problem.shifts)
    changed = 0
    for c in problem.cover:
        assert -1 <= c.requirement - counts[c.day, c.shift] <= 2
        assert (c.under_weight, c.over_weight) == (100, 1)
        changed += c.requirement != counts[c.day, c.shift]
    assert 0 < changed < len(problem.cover)  # the hidden count here, one or two off there
    for person in problem.staff:
        assert person.days_off
        assert all(hidden[person.id][d] is None for d in person.days_off)


def test_the_instance_has_the_benchmark_structure():
    problem = generate(80, 28, 6, seed=1).problem
    contracts = Counter(
        (p.max_consecutive, p.min_consecutive, p.min_days_off, p.max_weekends, p.max_minutes, p.min_minutes)
        for p in problem.staff
    )
    assert 2 <= len(contracts) <= 4  # a few contract types
    assert any(s.cannot_follow for s in problem.shifts)  # forbidden successions
    assert any(0 in p.max_shifts.values() for p in problem.staff)  # types some employees do not work
    on = [r for r in problem.requests if r.on]
    off = [r for r in problem.requests if not r.on]
    assert len(on) > len(off) > 0
    assert {r.weight for r in problem.requests} == {1, 2, 3}


def test_the_benchmark_format_reads_back_to_the_same_problem():
    problem = generate(25, 28, 5, seed=2).problem
    again = parse_curtois(format_curtois(problem), name=problem.name)
    assert again == problem


@pytest.mark.parametrize("path", sorted(GENERATED.glob("gen_*.txt")), ids=lambda p: p.stem)
def test_the_kept_instances_are_the_generators_own(path):
    staff, days, types = (int(x) for x in path.stem.removeprefix("gen_").split("x"))
    kept = read_curtois(path)
    made = next(
        generate(staff, days, types, seed)
        for seed in (1, 2)
        if generate(staff, days, types, seed).problem.staff == kept.staff
    )
    assert (kept.shifts, kept.requests, kept.cover) == (
        made.problem.shifts,
        made.problem.requests,
        made.problem.cover,
    )
    assert evaluate(kept, made.hidden).violations == []


def _solved_and_checked(name: str, time_limit: float, workers: int = 1):
    problem = read_curtois(GENERATED / name)
    result = solve_roster(problem, time_limit=time_limit, seed=0, workers=workers)
    assert result.roster is not None
    evaluation = evaluate(problem, result.roster)
    assert evaluation.violations == []
    assert evaluation.objective == result.objective
    assert result.bound is None or result.bound <= result.objective + 1e-6
    return problem, result


def test_the_engine_roster_on_a_small_generated_instance_keeps_every_hard_rule():
    _problem, result = _solved_and_checked("gen_12x14x3.txt", time_limit=4.0)
    rows = result.log["rows"]  # the first roster came by rows, and it too kept every rule
    assert rows["construction"] >= result.objective
    phases = result.log["phases"]
    assert phases[0]["phase"] == "Construct"
    assert [p["objective"] for p in phases] == sorted((p["objective"] for p in phases), reverse=True)
    assert sum(p["seconds"] for p in phases) <= result.seconds + 0.1


@pytest.mark.slow
def test_the_engine_roster_on_a_thirty_agent_generated_instance_keeps_every_hard_rule():
    _solved_and_checked("gen_30x28x3.txt", time_limit=20.0, workers=2)
