"""Breaks and activities keep their stored JSON and API form: the codecs read and write exactly it."""

from __future__ import annotations

import datetime as dt

from wfm.rosters import offphone


def test_activities_and_breaks_round_trip_their_stored_lists():
    stored_activity, stored_break = [30, 90, "coaching", "Call review"], [240, 270, "lunch"]
    activity, pause = offphone.Activity.decode(stored_activity), offphone.Break.decode(stored_break)
    assert activity.encode() == stored_activity
    assert pause.encode() == stored_break
    assert (activity.kind, activity.title, activity.minutes, activity.name) == (
        "coaching",
        "Call review",
        60,
        "coaching Call review",
    )
    start = dt.datetime(2027, 3, 1, 8)
    assert activity.at(start) == (dt.datetime(2027, 3, 1, 8, 30), dt.datetime(2027, 3, 1, 9, 30))
    assert activity.moved_to(0).encode() == [0, 60, "coaching", "Call review"]
    assert offphone.encoded(offphone.activities([stored_activity])) == [stored_activity]
    assert offphone.spans([stored_break, stored_activity]) == [(240, 270), (30, 90)]
    assert offphone.Activity.decode([0, 15, "meeting"]).name == "meeting"  # a title was optional
