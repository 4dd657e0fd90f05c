"""The requirement search: fewest agents meeting every target, for every model; targets; shrinkage; frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scheduling.staffing import (
    ForecastError,
    ServiceTarget,
    TargetError,
    evaluate_agents,
    evaluate_frame,
    required_agents,
    required_agents_with_metrics,
    requirement_frame,
    scheduled_agents,
)

RNG = np.random.default_rng(2024)
TRAFFIC = np.concatenate([[0.0, 0.01, 0.5, 1.0, 10.0, 99.5, 250.0], RNG.gamma(1.2, 12.0, 60)])

TARGETS = [
    ServiceTarget(service_level=0.8, answer_seconds=20),
    ServiceTarget(service_level=0.9, answer_seconds=10, max_asa_seconds=8, max_occupancy=0.85),
    ServiceTarget(service_level=None, max_asa_seconds=30),
    ServiceTarget(service_level=0.8, answer_seconds=20, concurrency=3),
    ServiceTarget(model="erlang-a", patience_seconds=300, service_level=0.8, answer_seconds=20),
    ServiceTarget(
        model="erlang-a", patience_seconds=120, service_level=None, max_abandon=0.03, max_occupancy=0.9
    ),
    ServiceTarget(
        model="erlang-a", patience_seconds=600, service_level=0.7, max_asa_seconds=15, answer_seconds=30
    ),
    ServiceTarget(model="erlang-b", service_level=None, max_abandon=0.01),
    ServiceTarget(model="erlang-b", service_level=0.95, max_occupancy=0.8),
]


def _meets(metrics, target: ServiceTarget) -> np.ndarray:
    ok = np.ones(metrics.service_level.shape, dtype=bool)
    if target.model == "erlang-c":
        ok &= np.isfinite(metrics.asa_seconds)
    if target.service_level is not None:
        ok &= metrics.service_level >= target.service_level - 1e-12
    if target.max_asa_seconds is not None:
        ok &= metrics.asa_seconds <= target.max_asa_seconds + 1e-12
    if target.max_abandon is not None:
        ok &= metrics.abandon_rate <= target.max_abandon + 1e-12
    if target.max_occupancy is not None:
        ok &= metrics.occupancy <= target.max_occupancy + 1e-12
    return ok


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t.model}-{t.service_level}-{t.concurrency}")
def test_requirement_is_the_fewest_agents_meeting_every_target(target):
    agents = required_agents(TRAFFIC, 180.0, target)
    assert agents[0] == 0  # no traffic, no agents
    assert np.all(agents[1:] >= 1)
    assert np.all(_meets(evaluate_agents(agents, TRAFFIC, 180.0, target), target))
    busy = TRAFFIC > 0
    fewer = evaluate_agents(agents[busy] - 1, TRAFFIC[busy], 180.0, target)
    assert not np.any(_meets(fewer, target))


def test_reference_requirement_fourteen_on_the_phones_twenty_scheduled():
    target = ServiceTarget(service_level=0.8, answer_seconds=20, shrinkage=0.3)
    agents = required_agents(np.array([10.0]), 180.0, target)
    assert agents.tolist() == [14]
    assert target.scheduled(14) == 20
    assert float(evaluate_agents(agents, 10.0, 180.0, target).occupancy[0]) == pytest.approx(10 / 14)


def test_erlang_b_eighteen_lines_for_one_percent_at_ten_erlangs():
    assert required_agents([10.0], 180.0, ServiceTarget(model="erlang-b", service_level=0.99)).tolist() == [
        18
    ]


def test_chat_concurrency_divides_slots_among_agents():
    single = ServiceTarget(service_level=0.8, answer_seconds=20)
    triple = ServiceTarget(service_level=0.8, answer_seconds=20, concurrency=3)
    slots = required_agents(TRAFFIC, 600.0, single)
    agents = required_agents(TRAFFIC, 600.0, triple)
    np.testing.assert_array_equal(agents, -(-slots // 3))


def test_per_interval_handle_time_is_used():
    agents = required_agents(np.array([10.0, 10.0]), np.array([180.0, 18.0]), ServiceTarget())
    assert agents.tolist() == [14, 12]  # same Erlangs, 18 s calls: queues clear fast, 20 s is easy


def test_occupancy_cap_binds_when_stricter_than_the_service_level():
    agents = required_agents([100.0], 180.0, ServiceTarget(service_level=0.5, max_occupancy=0.8))
    assert agents.tolist() == [125]


def test_shrinkage_rounds_up_but_not_exact_multiples():
    np.testing.assert_array_equal(scheduled_agents(np.array([0, 7, 14, 15]), 0.3), [0, 10, 20, 22])
    assert scheduled_agents(10, 0.0) == 10


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"service_level": 1.5}, "service_level"),
        ({"service_level": 1.0}, "service_level"),
        ({"answer_seconds": -1}, "answer_seconds"),
        ({"max_occupancy": 0}, "max_occupancy"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"model": "erlang-x"}, "model"),
        ({"model": "erlang-a"}, "patience_seconds"),
        ({"max_abandon": 0.05}, "max_abandon"),
        ({"concurrency": 1.5}, "concurrency"),
        ({"model": "back-office"}, "deadline_hours"),
        ({"model": "erlang-b", "service_level": None}, "service_level"),
        ({"max_asa_seconds": float("nan")}, "max_asa_seconds"),
        ({"service_level": "0.8"}, "service_level"),
    ],
)
def test_targets_are_checked_eagerly_and_name_the_field(settings, field):
    with pytest.raises(TargetError) as error:
        ServiceTarget(**settings)
    assert error.value.field == field
    assert field in str(error.value)


def _forecast() -> pd.DataFrame:
    starts = pd.date_range("2024-03-04 08:00", periods=6, freq="30min")
    return pd.DataFrame(
        {
            "interval_start": list(starts) * 2,
            "queue": ["retail"] * 6 + ["premium"] * 6,
            "forecast": [100, 80, 0, 40, 120, 100, 10, 0, 5, 20, 30, 25],
        }
    )


def test_requirement_frame_columns_and_values():
    result = requirement_frame(_forecast(), ServiceTarget(shrinkage=0.3), aht_seconds=180)
    assert list(result.columns) == [
        "interval_start",
        "queue",
        "forecast",
        "agents",
        "scheduled_agents",
        "service_level",
        "occupancy",
        "asa_seconds",
    ]
    assert result.loc[0, "agents"] == 14
    assert result.loc[0, "scheduled_agents"] == 20
    assert result.loc[0, "service_level"] == pytest.approx(0.8884, abs=1e-4)
    assert result.loc[2, "agents"] == 0
    assert result.loc[2, "service_level"] == 1.0
    assert (result["service_level"] >= 0.8).all()


def test_requirement_frame_per_queue_targets_and_aht_column():
    forecast = _forecast()
    forecast["aht_seconds"] = [180.0] * 6 + [600.0] * 6
    targets = {
        "retail": ServiceTarget(model="erlang-a", patience_seconds=300),
        "premium": ServiceTarget(service_level=0.9, answer_seconds=10),
    }
    result = requirement_frame(forecast, targets, aht_seconds=999)
    assert "abandon_rate" in result.columns
    assert result.loc[0, "abandon_rate"] == pytest.approx(
        float(
            evaluate_agents(
                result.loc[[0], "agents"].to_numpy(), 10.0, 180.0, targets["retail"]
            ).abandon_rate[0]
        )
    )
    premium = result[result["queue"] == "premium"]
    expected = required_agents(premium["forecast"].to_numpy() * 600 / 1800, 600.0, targets["premium"])
    np.testing.assert_array_equal(premium["agents"].to_numpy(), expected)


def test_reverse_calculation_frame_reports_figures_for_given_headcount():
    forecast = _forecast().iloc[:6].copy()
    forecast["agents"] = [11, 12, 0, 5, 15, 14]
    result = evaluate_frame(forecast, ServiceTarget(), aht_seconds=180)
    assert result.loc[0, "service_level"] == pytest.approx(0.3896, abs=1e-4)
    assert result.loc[0, "asa_seconds"] == pytest.approx(122.8, abs=0.05)
    assert result["agents"].tolist() == [11, 12, 0, 5, 15, 14]


@pytest.mark.parametrize(
    ("change", "field", "row"),
    [
        (lambda f: f.drop(columns="forecast"), "forecast", None),
        (
            lambda f: f.assign(forecast=f["forecast"].astype(object).where(f.index != 3, "lots")),
            "forecast",
            3,
        ),
        (lambda f: f.assign(forecast=f["forecast"].where(f.index != 4, -1)), "forecast", 4),
        (
            lambda f: f.assign(interval_start=f["interval_start"].astype(str).where(f.index != 1, "soon")),
            "interval_start",
            1,
        ),
        (lambda f: f.assign(queue=f["queue"].where(f.index != 7, "")), "queue", 7),
        (lambda f: pd.concat([f, f.iloc[[2]]], ignore_index=True), "interval_start", 12),
    ],
)
def test_bad_forecast_rows_are_named(change, field, row):
    with pytest.raises(ForecastError) as error:
        requirement_frame(change(_forecast()), ServiceTarget(), aht_seconds=180)
    assert error.value.field == field
    assert error.value.row == row


def test_missing_handle_time_and_missing_queue_target_are_named():
    with pytest.raises(ForecastError) as error:
        requirement_frame(_forecast(), ServiceTarget())
    assert error.value.field == "aht_seconds"
    with pytest.raises(ForecastError) as error:
        requirement_frame(_forecast(), {"retail": ServiceTarget()}, aht_seconds=180)
    assert error.value.field == "queue"
    assert "premium" in str(error.value)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t.model}-{t.service_level}-{t.concurrency}")
def test_one_pass_requirement_reports_the_same_figures_as_the_reverse_calculation(target):
    agents, metrics = required_agents_with_metrics(TRAFFIC, 240.0, target)
    np.testing.assert_array_equal(agents, required_agents(TRAFFIC, 240.0, target))
    again = evaluate_agents(agents, TRAFFIC, 240.0, target)
    for name in ("p_wait", "service_level", "asa_seconds", "occupancy", "abandon_rate"):
        np.testing.assert_allclose(getattr(metrics, name), getattr(again, name), rtol=1e-9, atol=1e-12)


def test_timestamps_with_a_daylight_saving_change_keep_their_order():
    forecast = pd.DataFrame(
        {
            "interval_start": [
                "2024-03-31T01:30:00+01:00",
                "2024-03-31T03:00:00+02:00",
                "2024-03-31T03:30+02:00",
            ],
            "queue": "retail",
            "forecast": [100, 100, 50],
        }
    )
    result = requirement_frame(forecast, ServiceTarget(), aht_seconds=180)
    assert result["agents"].tolist()[:2] == [14, 14]
    assert (result["interval_start"].diff().dropna() == pd.Timedelta("30min")).all()
