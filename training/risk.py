"""Attrition risk: a documented, additive score per active agent, each point with its reason in words.

No black box: every factor below adds fixed points when its condition holds, and the reasons are the
sentences HR would say to the agent. The score ranks who to talk to first; it is no prediction of a date.

Factors (points):
- Tenure band: under 6 months 15, 6–12 months 20, 1–2 years 10, 2–5 years 5, longer 0 (most leavers go
  in their first year).
- Time since the last level change (or since hire, when none): 24 months or more 20, 18 or more 12,
  12 or more 6.
- Eligibility stalled: eligible for the next rung for 6 months or more without a promotion 20, 3 or more 12.
- Nights and weekends: share of the agent's shifts above the peers' share by 30 points or more 15,
  by 15 or more 8.
- Time off refused in the last 6 months: 2 or more 10, 1 5.
- Quality trend: the last 3 months' evaluations 5 points or more below the 3 months before 10 (only where
  both quarters have evaluations).
- KPI trend: each KPI worse over the last 30 days than over the 30 before (both with at least
  `KPI_TREND_DAYS` days of figures) 5: first-contact resolution or customer satisfaction down by 5 points or
  more, average handle time up by 10% or more.
- Team turnover: the team's turnover over 12 months above the centre's by 10 points or more 10.
The score is the sum, at most 100. Bands: high 45 or more, medium 25 or more, low below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scheduling.text import Sentence
from training.attrition import tenure_band

TENURE_POINTS = {
    "under 6 months": 15,
    "6–12 months": 20,
    "1–2 years": 10,
    "2–5 years": 5,
    "5 years or more": 0,
}
# The tenure bands (`training.attrition.TENURE_BANDS`) in words a page can translate.
TENURE_WORDS = {
    "under 6 months": Sentence("under 6 months"),
    "6–12 months": Sentence("6–12 months"),
    "1–2 years": Sentence("1–2 years"),
    "2–5 years": Sentence("2–5 years"),
    "5 years or more": Sentence("5 years or more"),
}
HIGH, MEDIUM = 45, 25
BANDS = ("high", "medium", "low")
KPI_TREND_DAYS = 5  # days with figures each 30-day window needs before its average is compared
KPI_TREND_POINTS = 5
# how much worse a KPI must be: points down for the shares, a share up for handle time
KPI_WORSE_BY = {"fcr": 5.0, "csat": 5.0, "handle_seconds": 0.10}


@dataclass(frozen=True)
class KpiTrend:
    """One KPI's average over the last 30 days (`now`) and over the 30 before (`before`)."""

    kpi: str  # "fcr", "csat" or "handle_seconds"
    before: float
    now: float

    @property
    def worse(self) -> bool:
        if self.kpi == "handle_seconds":
            return self.now >= self.before * (1 + KPI_WORSE_BY[self.kpi])
        return self.before - self.now >= KPI_WORSE_BY[self.kpi]

    def words(self) -> str:
        if self.kpi == "handle_seconds":
            return Sentence(
                "Average handle time rose from %(before)s s to %(now)s s (the last 30 days against the 30 "
                "before).",
                before=format(self.before, ".0f"),
                now=format(self.now, ".0f"),
            )
        before, now = f"{self.before:g}", f"{self.now:g}"
        if self.kpi == "fcr":
            return Sentence(
                "First-contact resolution fell from %(before)s%% to %(now)s%% (the last 30 days against "
                "the 30 before).",
                before=before,
                now=now,
            )
        return Sentence(
            "Customer satisfaction fell from %(before)s%% to %(now)s%% (the last 30 days against the 30 "
            "before).",
            before=before,
            now=now,
        )


@dataclass(frozen=True)
class RiskInputs:
    """What the score reads about one agent on a day; None: not known (the factor adds nothing)."""

    agent_id: str
    on: dt.date
    hire_date: dt.date
    months_since_level_change: int
    stalled_months: int | None = None  # months eligible for the next rung without promotion
    unsocial_share: float | None = None  # share of the agent's shifts at night or at weekends, 0..1
    peer_unsocial_share: float | None = None
    time_off_refused: int = 0  # requests refused over the last 6 months
    quality_change: float | None = None  # last quarter's average minus the one before (negative: falling)
    team_turnover: float | None = None  # the team's leavers over average headcount, 12 months
    centre_turnover: float | None = None
    kpi_trends: tuple[KpiTrend, ...] = ()  # KPIs with figures in both of the last two 30-day windows


@dataclass(frozen=True)
class Reason:
    points: int
    words: str


@dataclass(frozen=True)
class Risk:
    agent_id: str
    score: int
    reasons: tuple[Reason, ...]

    @property
    def band(self) -> str:
        return band_of(self.score)


def band_of(score: int) -> str:
    return "high" if score >= HIGH else "medium" if score >= MEDIUM else "low"


def score(x: RiskInputs) -> Risk:
    """The agent's score and its reasons, largest first."""
    reasons: list[Reason] = []
    band = tenure_band(x.hire_date, x.on)
    if TENURE_POINTS[band]:
        words = TENURE_WORDS.get(band, band)
        if band in ("under 6 months", "6–12 months"):
            said = Sentence("In the centre for %(band)s (most leavers go in their first year).", band=words)
        else:
            said = Sentence("In the centre for %(band)s.", band=words)
        reasons.append(Reason(TENURE_POINTS[band], said))
    months = x.months_since_level_change
    for limit, points in ((24, 20), (18, 12), (12, 6)):
        if months >= limit:
            reasons.append(
                Reason(points, Sentence("No change of level for %(months)s months.", months=months))
            )
            break
    if x.stalled_months is not None:
        for limit, points in ((6, 20), (3, 12)):
            if x.stalled_months >= limit:
                reasons.append(
                    Reason(
                        points,
                        Sentence(
                            "Eligible for the next level for %(months)s months or more, not yet promoted.",
                            months=x.stalled_months,
                        ),
                    )
                )
                break
    if x.unsocial_share is not None and x.peer_unsocial_share is not None:
        above = x.unsocial_share - x.peer_unsocial_share
        for share, points in ((0.30, 15), (0.15, 8)):
            if above >= share:
                reasons.append(
                    Reason(
                        points,
                        Sentence(
                            "%(share)s%% of shifts at night or at weekends, against %(peers)s%% for peers.",
                            share=round(100 * x.unsocial_share),
                            peers=round(100 * x.peer_unsocial_share),
                        ),
                    )
                )
                break
    if x.time_off_refused >= 2:
        said = Sentence("%(count)s time-off requests refused in the last 6 months.", count=x.time_off_refused)
        reasons.append(Reason(10, said))
    elif x.time_off_refused == 1:
        reasons.append(Reason(5, Sentence("A time-off request refused in the last 6 months.")))
    if x.quality_change is not None and x.quality_change <= -5:
        reasons.append(
            Reason(
                10,
                Sentence(
                    "Quality fell by %(points)s points from one quarter to the next.",
                    points=format(-x.quality_change, ".1f"),
                ),
            )
        )
    reasons += [Reason(KPI_TREND_POINTS, trend.words()) for trend in x.kpi_trends if trend.worse]
    team, centre = x.team_turnover, x.centre_turnover
    if team is not None and centre is not None and team - centre >= 0.10:
        reasons.append(
            Reason(
                10,
                Sentence(
                    "The team's turnover is %(team)s%% over 12 months, against %(centre)s%% for the centre.",
                    team=round(100 * team),
                    centre=round(100 * centre),
                ),
            )
        )
    reasons.sort(key=lambda r: -r.points)
    return Risk(x.agent_id, min(100, sum(r.points for r in reasons)), tuple(reasons))


@dataclass(frozen=True)
class BandOutcome:
    band: str
    scored: int  # agent-snapshots in the band
    left: int  # of them, who left (lost to the bank) within the horizon

    @property
    def rate(self) -> float | None:
        return self.left / self.scored if self.scored else None


def calibration(outcomes: Iterable[tuple[int, bool]]) -> list[BandOutcome]:
    """Per band, how many scored agents left within the horizon: a useful score has rates falling from
    high to low."""
    counts = {b: [0, 0] for b in BANDS}
    for value, left in outcomes:
        cell = counts[band_of(value)]
        cell[0] += 1
        cell[1] += int(left)
    return [BandOutcome(b, *counts[b]) for b in BANDS]


def concordance(outcomes: Sequence[tuple[int, bool]]) -> float | None:
    """The chance that a leaver scored above a stayer (ties count half): 0.5 is no better than chance."""
    leavers = [s for s, left in outcomes if left]
    stayers = [s for s, left in outcomes if not left]
    if not leavers or not stayers:
        return None
    wins = sum((a > b) + 0.5 * (a == b) for a in leavers for b in stayers)
    return wins / (len(leavers) * len(stayers))
