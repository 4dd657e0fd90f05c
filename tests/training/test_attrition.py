import datetime as dt

import pytest

from training.attrition import Employment, grouped, headcount_on, tenure_band, turnover, turnover_by

D = dt.date


def test_turnover_counts_leavers_over_average_headcount():
    people = [
        Employment(D(2020, 1, 1)),  # stays
        Employment(D(2020, 1, 1), D(2025, 6, 30)),  # leaves inside
        Employment(D(2025, 3, 1)),  # hired inside
        Employment(D(2019, 1, 1), D(2024, 12, 31)),  # left before
    ]
    t = turnover(people, D(2025, 1, 1), D(2025, 12, 31))
    assert (t.headcount_start, t.headcount_end, t.hires, t.leavers) == (2, 2, 1, 1)
    assert t.rate == pytest.approx(0.5)


def test_last_day_counts_as_employed():
    person = Employment(D(2024, 1, 1), D(2024, 6, 30))
    assert headcount_on([person], D(2024, 6, 30)) == 1
    assert headcount_on([person], D(2024, 7, 1)) == 0


def test_empty_period_has_no_rate():
    assert turnover([], D(2025, 1, 1), D(2025, 2, 1)).rate is None


def test_leaving_before_hire_is_refused():
    with pytest.raises(ValueError, match="leaving_date"):
        Employment(D(2025, 1, 2), D(2025, 1, 1))


def test_breakdown_by_group_and_tenure():
    today = D(2025, 12, 31)
    people = [Employment(D(2025, 9, 1), D(2025, 11, 1), "a"), Employment(D(2015, 1, 1), None, "b")]
    by_group = turnover_by(people, D(2025, 1, 1), today)
    assert list(by_group) == ["a", "b"]
    assert by_group["a"].leavers == 1
    assert by_group["b"].leavers == 0
    bands = grouped(people, lambda p: tenure_band(p.hire_date, p.leaving_date or today))
    assert {p.group for p in bands} == {"under 6 months", "5 years or more"}
