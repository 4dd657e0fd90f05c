"""Adherence and conformance on a small day counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.adherence import ACTIVITY, BREAK, OFF, PHONES, adherence, schedule_spans

DAY = dt.date(2026, 3, 2)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute))


# 09:00-11:00 on the phones, a break 10:00-10:15, a meeting 10:30-10:45 (minutes from the shift start)
SCHEDULE = schedule_spans(at(9), at(11), breaks=[(60, 75)], activities=[(90, 105)])


def test_a_day_counted_by_hand():
    events = [
        (at(9, 5), "signed_in"),  # 5 minutes late: 09:00-09:05 out (and not worked)
        (at(9, 6), "on_contact"),
        (at(10, 0), "break"),
        (at(10, 20), "available"),  # back 5 minutes late: 10:15-10:20 out
        (at(10, 40), "meeting"),  # 10 minutes late to the meeting: 10:30-10:40 out (worked)
        (at(10, 45), "available"),
        (at(11, 10), "signed_out"),  # 10 minutes beyond the shift: worked, not scheduled
    ]
    day = adherence(SCHEDULE, events, [], DAY, until=at(12))
    assert day.scheduled_minutes == 120
    assert day.adherent_minutes == 120 - 5 - 5 - 10
    # worked: signed in 09:05-11:10 = 125 minutes (the break counts, as it does in the scheduled minutes)
    assert day.worked_minutes == 125
    assert day.adherence == pytest.approx(100 / 120)
    assert day.conformance == pytest.approx(125 / 120)
    assert day.out_now_minutes == 0


def test_an_approved_exception_counts_as_adherent_and_the_day_is_judged_as_far_as_it_has_come():
    events = [(at(9), "available"), (at(10, 0), "break"), (at(10, 15), "training")]
    # at 10:25 the agent is in training though the schedule says phones since 10:15
    live = adherence(SCHEDULE, events, [], DAY, until=at(10, 25))
    assert live.scheduled_minutes == 85
    assert live.adherent_minutes == 75
    assert live.out_now_minutes == 10
    assert (live.scheduled_now, live.actual_now) == (PHONES, ACTIVITY)
    excused = adherence(SCHEDULE, events, [(at(10, 15), at(10, 30))], DAY, until=at(10, 25))
    assert excused.adherent_minutes == 85
    assert excused.out_now_minutes == 0


def test_no_events_means_off_and_no_schedule_means_nothing_to_judge():
    absent = adherence(SCHEDULE, [], [], DAY, until=at(23))
    assert (absent.adherence, absent.conformance) == (0.0, 0.0)
    assert absent.actual_now == OFF
    free = adherence([], [(at(9), "available")], [], DAY, until=at(10))
    assert free.adherence is None
    assert free.worked_minutes == 60
    assert BREAK != PHONES
