"""The backtest's summary: bands counted from the snapshots, the concordance equal to the pairwise count it
stands for, and no figure (with the reason) when too few agents left or stayed."""

import datetime as dt
import random

from training.risk import band_of
from training.risk_backtest import MIN_LEAVERS, MIN_STAYERS, Snapshot, concordance, summarise

DAY = dt.date(2025, 1, 31)


def _pairwise(snaps: list[Snapshot]) -> float:
    lost = [s.score for s in snaps if s.lost]
    kept = [s.score for s in snaps if not s.lost]
    wins = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in lost for b in kept)
    return wins / (len(lost) * len(kept))


def test_concordance_is_the_share_of_leaver_stayer_pairs_ranked_right():
    rng = random.Random(7)
    for _ in range(30):
        snaps = [
            Snapshot(str(i), DAY, rng.choice((0, 5, 25, 25, 40, 45, 60)), rng.random() < 0.3)
            for i in range(60)
        ]
        if any(s.lost for s in snaps) and not all(s.lost for s in snaps):
            assert abs(concordance(snaps) - _pairwise(snaps)) < 1e-12
    assert concordance([Snapshot("a", DAY, 50, True)]) is None
    ranked = [Snapshot("a", DAY, 50, True), Snapshot("b", DAY, 10, False), Snapshot("c", DAY, 50, False)]
    assert concordance(ranked) == 0.75  # one pair won, one tied


def test_bands_count_snapshots_agents_and_losses():
    rng = random.Random(3)
    snaps = [
        Snapshot(
            f"a{rng.randrange(40)}", DAY + dt.timedelta(days=30 * k), rng.randrange(0, 90), rng.random() < 0.2
        )
        for k in range(8)
        for _ in range(25)
    ]
    summary = summarise(snaps)
    for row in summary.bands:
        inside = [s for s in snaps if band_of(s.score) == row.band]
        assert (row.snapshots, row.lost) == (len(inside), sum(s.lost for s in inside))
        assert row.agents == len({s.agent_id for s in inside})
    assert summary.snapshots == len(snaps) == sum(b.snapshots for b in summary.bands)
    assert summary.leavers == len({s.agent_id for s in snaps if s.lost})
    assert summary.leavers + summary.stayers == len({s.agent_id for s in snaps})


def _agents(leavers: int, stayers: int) -> list[Snapshot]:
    return [Snapshot(f"l{i}", DAY, 50, True) for i in range(leavers)] + [
        Snapshot(f"s{i}", DAY, 10, False) for i in range(stayers)
    ]


def test_too_few_leavers_or_stayers_gives_the_reason_not_a_number():
    few = summarise(_agents(MIN_LEAVERS - 1, 50))
    assert (few.too_few, few.concordance, few.falling) == ("leavers", None, None)
    assert summarise(_agents(MIN_LEAVERS, MIN_STAYERS - 1)).too_few == "stayers"
    enough = summarise(_agents(MIN_LEAVERS, MIN_STAYERS))
    assert (enough.too_few, enough.concordance, enough.falling) == (None, 1.0, True)
    # the same agent lost on one scoring day and kept on an earlier one is a leaver, not a stayer
    twice = summarise(
        [*_agents(MIN_LEAVERS, MIN_STAYERS), Snapshot("l0", DAY - dt.timedelta(days=300), 50, False)]
    )
    assert (twice.leavers, twice.stayers) == (MIN_LEAVERS, MIN_STAYERS)


def test_rates_that_rise_toward_the_low_band_are_said_not_to_fall():
    snaps = [Snapshot(f"h{i}", DAY, 60, i < 1) for i in range(20)] + [
        Snapshot(f"l{i}", DAY, 0, i < 12) for i in range(30)
    ]
    summary = summarise(snaps)
    assert summary.too_few is None
    assert summary.falling is False
    assert summary.concordance < 0.5
