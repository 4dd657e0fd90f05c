"""How well past risk scores told who would leave: the score's calibration by band and its discrimination.

Each agent employed on a scoring day is one snapshot: the score they had that day, and whether they were
lost to the bank (left, not moved within it) within the horizon after it. Per band, the snapshots, the
distinct agents and the share of snapshots followed by a loss; against it the rate over all snapshots (what
one would expect knowing nothing). The score is a ranking in points, not a probability, so calibration here
means: the observed rate falls from the high band to the low one. Discrimination is the concordance (the
area under the ROC curve): the chance that a snapshot followed by a loss scored above one that was not (ties
count half; 0.5 is chance, 1 is perfect).

A figure is given only when the history can carry it: at least `MIN_LEAVERS` distinct agents lost and
`MIN_STAYERS` who stayed. With fewer, one leaver more or less moves the concordance by more than it can
tell, so the summary names what is missing (`too_few`) instead of a number.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from training.risk import BANDS, band_of

MIN_LEAVERS = 10
MIN_STAYERS = 10


@dataclass(frozen=True)
class Snapshot:
    agent_id: str
    on: dt.date
    score: int
    lost: bool  # lost to the bank within the horizon after `on`


@dataclass(frozen=True)
class BandRow:
    band: str
    snapshots: int
    agents: int  # distinct agents with a snapshot in the band
    lost: int  # snapshots followed by a loss within the horizon

    @property
    def rate(self) -> float | None:
        return self.lost / self.snapshots if self.snapshots else None


@dataclass(frozen=True)
class Summary:
    bands: tuple[BandRow, ...]  # high, medium, low
    snapshots: int
    lost: int  # snapshots followed by a loss
    leavers: int  # distinct agents lost to the bank within the horizon of some scoring day
    stayers: int  # distinct agents never lost within the horizon of any of their scoring days
    concordance: float | None
    too_few: str | None  # None, "leavers" or "stayers": why there is no concordance

    @property
    def rate(self) -> float | None:
        return self.lost / self.snapshots if self.snapshots else None

    @property
    def falling(self) -> bool | None:
        """Whether the observed rates fall (or stay) from high to low over the bands that have snapshots;
        None when fewer than two bands have any, or there is no concordance to trust."""
        rates = [b.rate for b in self.bands if b.rate is not None]
        if len(rates) < 2 or self.too_few:
            return None
        return all(a >= b for a, b in pairwise(rates))


def concordance(snapshots: Iterable[Snapshot]) -> float | None:
    """The chance that a snapshot followed by a loss scored above one that was not (ties count half)."""
    snaps = list(snapshots)
    lost = sorted(s.score for s in snaps if s.lost)
    kept = sorted(s.score for s in snaps if not s.lost)
    if not lost or not kept:
        return None
    wins = 0.0
    for value in lost:
        below, upto = bisect_left(kept, value), bisect_right(kept, value)
        wins += below + 0.5 * (upto - below)
    return wins / (len(lost) * len(kept))


def summarise(snapshots: Iterable[Snapshot]) -> Summary:
    snaps = list(snapshots)
    rows = []
    for band in BANDS:
        inside = [s for s in snaps if band_of(s.score) == band]
        rows.append(
            BandRow(band, len(inside), len({s.agent_id for s in inside}), sum(s.lost for s in inside))
        )
    leavers = {s.agent_id for s in snaps if s.lost}
    stayers = {s.agent_id for s in snaps} - leavers
    too_few = "leavers" if len(leavers) < MIN_LEAVERS else "stayers" if len(stayers) < MIN_STAYERS else None
    return Summary(
        bands=tuple(rows),
        snapshots=len(snaps),
        lost=sum(s.lost for s in snaps),
        leavers=len(leavers),
        stayers=len(stayers),
        concordance=None if too_few else concordance(snaps),
        too_few=too_few,
    )
