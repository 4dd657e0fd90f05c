"""The attrition-risk score: each factor adds its documented points with a reason in words, the score is the
sum of the reasons, and the backtest's calibration counts leavers per band."""

import datetime as dt

import pytest

from training.risk import KpiTrend, RiskInputs, band_of, calibration, concordance, score

ON = dt.date(2026, 3, 15)


def quiet(**changes) -> RiskInputs:
    """Seven years in, promoted last month, nothing else: no reason at all."""
    base = dict(agent_id="7", on=ON, hire_date=dt.date(2019, 1, 1), months_since_level_change=1)
    return RiskInputs(**{**base, **changes})


def test_a_settled_agent_has_no_reason_and_scores_zero():
    risk = score(quiet())
    assert risk.score == 0
    assert risk.reasons == ()
    assert risk.band == "low"


@pytest.mark.parametrize(
    ("changes", "points", "words"),
    [
        ({"hire_date": dt.date(2025, 7, 1)}, 20, "In the centre for 6–12 months"),
        ({"months_since_level_change": 25}, 20, "No change of level for 25 months"),
        ({"months_since_level_change": 13}, 6, "No change of level for 13 months"),
        ({"stalled_months": 7}, 20, "Eligible for the next level for 7 months"),
        ({"stalled_months": 3}, 12, "Eligible for the next level for 3 months"),
        ({"stalled_months": 2}, 0, None),
        ({"unsocial_share": 0.6, "peer_unsocial_share": 0.2}, 15, "60% of shifts at night or at weekends"),
        ({"unsocial_share": 0.4, "peer_unsocial_share": 0.2}, 8, "against 20% for peers"),
        ({"time_off_refused": 1}, 5, "A time-off request refused"),
        ({"time_off_refused": 3}, 10, "3 time-off requests refused"),
        ({"quality_change": -6.0}, 10, "Quality fell by 6.0 points"),
        ({"quality_change": -4.0}, 0, None),
        ({"team_turnover": 0.35, "centre_turnover": 0.2}, 10, "The team's turnover is 35%"),
        (
            {"kpi_trends": (KpiTrend("fcr", 80.0, 74.5),)},
            5,
            "First-contact resolution fell from 80% to 74.5%",
        ),
        ({"kpi_trends": (KpiTrend("fcr", 80.0, 75.5),)}, 0, None),
        ({"kpi_trends": (KpiTrend("csat", 90.0, 85.0),)}, 5, "Customer satisfaction fell from 90% to 85%"),
        ({"kpi_trends": (KpiTrend("csat", 85.0, 95.0),)}, 0, None),
        (
            {"kpi_trends": (KpiTrend("handle_seconds", 300.0, 330.0),)},
            5,
            "handle time rose from 300 s to 330 s",
        ),
        ({"kpi_trends": (KpiTrend("handle_seconds", 300.0, 329.0),)}, 0, None),
    ],
)
def test_each_factor_adds_its_points_with_its_reason(changes, points, words):
    risk = score(quiet(**changes))
    assert risk.score == points
    if words is None:
        assert risk.reasons == ()
    else:
        assert len(risk.reasons) == 1
        assert risk.reasons[0].points == points
        assert words in risk.reasons[0].words


def test_the_score_is_the_sum_of_its_reasons_largest_first_and_at_most_100():
    risk = score(
        quiet(
            hire_date=dt.date(2025, 7, 1),
            months_since_level_change=8,
            stalled_months=4,
            unsocial_share=0.7,
            peer_unsocial_share=0.2,
            time_off_refused=2,
            quality_change=-8,
            team_turnover=0.5,
            centre_turnover=0.2,
        )
    )
    assert risk.score == sum(r.points for r in risk.reasons) == 20 + 12 + 15 + 10 + 10 + 10
    assert [r.points for r in risk.reasons] == sorted((r.points for r in risk.reasons), reverse=True)
    assert risk.band == "high"
    everything = score(
        quiet(
            hire_date=dt.date(2025, 7, 1),
            months_since_level_change=30,
            stalled_months=9,
            unsocial_share=1.0,
            peer_unsocial_share=0.0,
            time_off_refused=5,
            quality_change=-20,
            team_turnover=0.9,
            centre_turnover=0.1,
        )
    )
    assert everything.score == 100
    assert sum(r.points for r in everything.reasons) > 100


def test_calibration_and_concordance_against_a_hand_count():
    outcomes = [
        (60, True),
        (50, False),
        (30, True),
        (30, False),
        (26, False),
        (10, False),
        (0, True),
        (5, False),
    ]
    bands = {b.band: b for b in calibration(outcomes)}
    for name in ("high", "medium", "low"):
        mine = [(s, left) for s, left in outcomes if band_of(s) == name]
        assert bands[name].scored == len(mine)
        assert bands[name].left == sum(left for _s, left in mine)
    assert bands["high"].rate == 0.5
    # leavers 60, 30, 0 against stayers 50, 30, 26, 10, 5: wins 5 + (3 + 0.5) + 0
    assert concordance(outcomes) == pytest.approx(8.5 / 15)
    assert concordance([(1, False)]) is None


def test_every_kpi_that_got_worse_adds_its_own_reason():
    trends = (
        KpiTrend("fcr", 82.0, 70.0),
        KpiTrend("csat", 90.0, 91.0),
        KpiTrend("handle_seconds", 250.0, 300.0),
    )
    risk = score(quiet(kpi_trends=trends))
    assert risk.score == 10
    assert sorted(r.words.split(" ")[0] for r in risk.reasons) == ["Average", "First-contact"]
