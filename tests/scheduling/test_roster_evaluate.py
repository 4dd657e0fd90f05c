"""The independent evaluator against objectives and violations worked out by hand."""

from pathlib import Path

from scheduling.roster import evaluate, read_curtois

FIXTURE = Path(__file__).parent / "fixtures" / "roster" / "tiny.txt"
_ = None


def _rules(evaluation):
    return sorted((v.rule, v.employee, v.days, v.amount) for v in evaluation.violations)


def test_hand_computed_objective_and_violations():
    problem = read_curtois(FIXTURE)
    roster = {
        "A": ("E", "E", "E", _, _, "L", "E"),  # L then E on days 5-6: cannot follow
        "B": (_, "E", "E", "E", _, "E", "E"),  # one day off (day 4) between blocks: min 2 days off
        "C": ("L", "L", _, "L", "L", _, _),
    }
    result = evaluate(problem, roster)
    assert _rules(result) == [("cannot_follow", "A", (5, 6), 1), ("min_days_off", "B", (4,), 1)]
    # Requests: C wanted L on day 2 (3), B did not want E on day 5 (1); A got E on day 0.
    assert result.parts["requests"] == 4
    # Cover: day 1 E over (1), day 2 L under (100), day 4 E under (100), day 5 L over at 5, day 6 E over (1).
    assert result.parts["cover"] == 207
    assert sorted(result.cover_deviations) == [
        (1, "E", 1),
        (2, "L", -1),
        (4, "E", -1),
        (5, "L", 1),
        (6, "E", 1),
    ]
    assert result.objective == 211
    assert not result.feasible


def test_blocks_touching_the_horizon_are_exempt_and_other_limits_count():
    problem = read_curtois(FIXTURE)
    roster = {
        "A": ("E", _, "L", "L", "L", "L", "L"),  # day 0 alone (exempt); works day off 3; 5 in a row > 3
        "B": (_, _, "E", _, _, _, "E"),  # inner single day 2 < min 2; 960 minutes is enough
        "C": (_, _, _, _, _, _, _),  # 0 minutes < 480
    }
    result = evaluate(problem, roster)
    assert _rules(result) == [
        ("day_off", "A", (3,), 1),
        ("max_consecutive", "A", (2, 3, 4, 5, 6), 2),
        ("max_minutes", "A", (), 480),
        ("min_consecutive", "B", (2,), 1),
        ("min_days_off", "A", (1,), 1),
        ("min_minutes", "C", (), 480),
    ]


def test_weekends_and_shift_caps():
    problem = read_curtois(FIXTURE)
    staff = {p.id: p for p in problem.staff}
    assert staff["B"].max_shifts["L"] == 0
    roster = {
        "A": ("E", "E", _, _, "E", "E", _),
        "B": (_, "E", "E", _, _, "L", "L"),  # B may not work L at all
        "C": ("L", "L", _, _, _, _, _),
    }
    result = evaluate(problem, roster)
    rules = _rules(result)
    assert ("max_shifts", "B", (5, 6), 2) in rules
    assert ("not_allowed", "B", (5,), 1) in rules
    assert ("not_allowed", "B", (6,), 1) in rules
    assert not any(rule == "max_weekends" for rule, *_ in rules)  # one weekend each is allowed
