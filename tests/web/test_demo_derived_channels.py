"""The demo's chat, video and back-office history: derived from the real 1999 calls by binomial thinning,
so each is whole counts, never more than its source's calls in any interval, and about its stated share."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from wfm.demo import history as demo_history

TODAY = dt.date(2026, 3, 4)


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = demo_history.queue_history(TODAY)[0].frame
    return frame, demo_history.derived_history(frame)


def test_each_derived_channel_is_a_thinned_copy_of_its_source(frames):
    source, derived = frames
    for queue, (code, share, handle) in demo_history.DERIVED.items():
        ours = derived[derived["queue"] == queue].set_index("interval_start")["offered"]
        theirs = source[source["queue"] == code].set_index("interval_start")["offered"]
        assert ours.index.equals(theirs.index)  # the same intervals as the source
        assert (ours == ours.round()).all()
        assert (ours <= theirs).all()  # a kept subset of the real calls, interval by interval
        kept = ours.sum() / theirs.sum()
        # a binomial share of this many calls lies within a few standard errors of the stated one
        spread = 4 * (share * (1 - share) / theirs.sum()) ** 0.5
        assert abs(kept - share) <= spread
        assert (derived.loc[derived["queue"] == queue, "aht_seconds"] == handle).all()


def test_derived_history_follows_the_source_pattern(frames):
    source, derived = frames
    for queue, (code, _share, _handle) in demo_history.DERIVED.items():
        ours = derived[derived["queue"] == queue]
        theirs = source[source["queue"] == code]
        by_hour = pd.DataFrame(
            {
                "ours": ours.groupby(ours["interval_start"].dt.hour)["offered"].sum(),
                "theirs": theirs.groupby(theirs["interval_start"].dt.hour)["offered"].sum(),
            }
        ).fillna(0)
        assert by_hour["ours"].corr(by_hour["theirs"]) > 0.95
