"""Placing meetings and coaching sessions where the phones can spare the attendees."""

import itertools

import pytest

from scheduling.activities import added_shortfall, place


def total_shortfall(surplus, placed, length):
    taken = [0] * len(surplus)
    for start in placed.values():
        if start is not None:
            for i in range(start, start + length):
                taken[i] += 1
    return sum(max(0.0, t - s) - max(0.0, -s) for s, t in zip(surplus, taken, strict=True))


def test_added_shortfall_counts_only_agents_below_the_requirement():
    assert added_shortfall(3, 2) == 0  # surplus absorbs them
    assert added_shortfall(1, 3) == 2
    assert added_shortfall(-2, 1) == 1  # already short: each one more is short
    assert added_shortfall(0.5, 1) == 0.5


def test_a_meeting_goes_where_everyone_can_come_and_the_phones_miss_them_least():
    surplus = [0, 1, 4, 4, 3, 0, 5, 5]
    starts = {"ann": [0, 1, 2, 3, 4, 5, 6], "bob": [0, 1, 2, 3, 4], "cy": [1, 2, 3, 4]}
    placed = place(surplus, starts, length=2, together=True)
    assert set(placed.values()) == {
        2
    }  # intervals 2-3: surplus 4 and 4; 6-7 is richer but bob and cy cannot come
    # Brute force: no common start that all three can make costs less.
    common = set(starts["ann"]) & set(starts["bob"]) & set(starts["cy"])
    best = min(total_shortfall(surplus, {a: s for a in starts}, 2) for s in common)
    assert total_shortfall(surplus, placed, 2) == best


def test_a_meeting_nobody_can_make_at_one_time_takes_the_start_most_can_make():
    placed = place([5] * 6, {"a": [0], "b": [3], "c": [3]}, length=1, together=True)
    assert placed == {"a": None, "b": 3, "c": 3}


def test_coaching_sessions_spread_over_the_quiet_intervals():
    surplus = [1, 1, 0, 2, 0, 1]
    starts = {name: range(6) for name in "abcd"}
    placed = place(surplus, starts, length=1, together=False)
    taken = [list(placed.values()).count(i) for i in range(6)]
    # 4 sessions into the 4 spare agents
    assert taken[3] == 2
    assert taken[0] == 1
    assert taken[1] == 1
    assert total_shortfall(surplus, placed, 1) == 0
    # Brute force over every assignment: none adds less shortfall.
    best = min(
        total_shortfall(surplus, dict(zip("abcd", combo, strict=True)), 1)
        for combo in itertools.product(range(6), repeat=4)
    )
    assert total_shortfall(surplus, placed, 1) == best


def test_the_most_constrained_attendee_is_placed_first():
    # b can only take interval 0; a, drawn first by name, would take it (the earliest spare agent).
    placed = place([1, 0, 1], {"a": [0, 1, 2], "b": [0]}, length=1, together=False)
    assert placed == {"a": 2, "b": 0}
    assert total_shortfall([1, 0, 1], placed, 1) == 0


def test_attendees_without_a_fitting_start_are_left_out_and_bad_input_is_refused():
    assert place([1, 1], {"a": [], "b": [1]}, length=1, together=False) == {"a": None, "b": 1}
    assert place([1, 1], {"a": []}, length=1, together=True) == {"a": None}
    with pytest.raises(ValueError, match="starts"):
        place([1, 1], {"a": [1]}, length=2, together=False)
    with pytest.raises(ValueError, match="length"):
        place([1, 1], {"a": [0]}, length=0, together=False)
