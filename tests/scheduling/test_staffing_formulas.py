"""Erlang B, C and A against the reference values, brute-force queue models, and each other."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm
from scipy.stats import poisson

from scheduling.staffing import erlang_a_metrics, erlang_b, erlang_b_metrics, erlang_c, erlang_c_metrics

# 100 calls per 30 minutes, 180 s handle time: 10 Erlangs (the reference values below)
TRAFFIC = 100 * 180 / 1800
ERLANG_C_ROWS = [  # agents, P(wait), service level within 20 s, ASA seconds (given to 3-4 figures)
    (11, 0.6821, 0.3896, 122.8, 0.05),
    (12, 0.4494, 0.6402, 40.4, 0.05),
    (13, 0.2853, 0.7956, 17.1, 0.05),
    (14, 0.1741, 0.8884, 7.84, 0.005),
    (15, 0.1020, 0.9415, 3.67, 0.005),
]


@pytest.mark.parametrize(("agents", "p_wait", "service_level", "asa", "asa_tolerance"), ERLANG_C_ROWS)
def test_erlang_c_reference_rows(agents, p_wait, service_level, asa, asa_tolerance):
    metrics = erlang_c_metrics(agents, TRAFFIC, 180.0, 20.0)
    assert float(metrics.p_wait) == pytest.approx(p_wait, abs=1e-4)
    assert float(metrics.service_level) == pytest.approx(service_level, abs=1e-4)
    assert float(metrics.asa_seconds) == pytest.approx(asa, abs=asa_tolerance)
    assert float(metrics.occupancy) == pytest.approx(TRAFFIC / agents)


def test_erlang_c_rows_vectorised_equal_one_by_one():
    agents = np.array([row[0] for row in ERLANG_C_ROWS])
    together = erlang_c_metrics(agents, TRAFFIC, 180.0, 20.0)
    for i, n in enumerate(agents):
        alone = erlang_c_metrics(int(n), TRAFFIC, 180.0, 20.0)
        assert together.service_level[i] == pytest.approx(float(alone.service_level), rel=1e-12)


def test_erlang_c_exact_four_ninths():
    assert float(erlang_c(3, 2.0)) == pytest.approx(4 / 9, abs=1e-12)


def test_erlang_b_reference_values():
    assert float(erlang_b(10, 5.0)) == pytest.approx(0.018384, abs=1e-6)
    assert float(erlang_b(10, 20.0)) == pytest.approx(0.53796, abs=1e-5)
    blocking = erlang_b(np.arange(1, 30), 10.0)
    assert 1 + int(np.argmax(blocking <= 0.01)) == 18  # the fewest lines at <= 1% blocking
    assert float(erlang_b_metrics(18, 10.0).service_level) == pytest.approx(1 - float(erlang_b(18, 10.0)))


def test_erlang_b_recursion_matches_poisson_ratio_at_large_traffic():
    # B(n, A) = P(X = n) / P(X <= n) for X ~ Poisson(A), computed by scipy independently
    agents = np.array([0, 1, 50, 480, 500, 520, 600, 1200])
    traffic = np.array([3.0, 0.5, 40.0, 500.0, 500.0, 500.0, 500.0, 1000.0])
    expected = poisson.pmf(agents, traffic) / poisson.cdf(agents, traffic)
    got = erlang_b(agents, traffic)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, expected, rtol=1e-9)


def test_erlang_c_is_stable_for_hundreds_of_erlangs():
    agents = np.arange(801, 900)
    metrics = erlang_c_metrics(agents, 800.0, 180.0, 20.0)
    assert np.all(np.isfinite(metrics.p_wait))
    assert np.all((metrics.p_wait > 0) & (metrics.p_wait < 1))
    assert np.all(np.diff(metrics.service_level) > 0)


def test_service_level_never_falls_when_agents_are_added():
    rng = np.random.default_rng(7)
    traffic = rng.uniform(0.1, 60.0, 40)
    for a in traffic:
        agents = np.arange(1, int(a) + 40)
        c = erlang_c_metrics(agents, a, 240.0, 30.0)
        assert np.all(np.diff(c.service_level) >= -1e-12)
        assert np.all(np.diff(c.asa_seconds[np.isfinite(c.asa_seconds)]) <= 1e-9)
        ea = erlang_a_metrics(agents, a, 240.0, 200.0, 30.0)
        assert np.all(np.diff(ea.service_level) >= -1e-9)
        assert np.all(np.diff(ea.abandon_rate) <= 1e-12)
        assert np.all(np.diff(erlang_b(agents, a)) <= 0)


def test_erlang_a_reference_row():
    # 100 calls per 30 min, handle 3 min, mean patience 5 min, 14 agents
    metrics = erlang_a_metrics(14, TRAFFIC, 180.0, 300.0, 20.0)
    assert float(metrics.p_wait) == pytest.approx(0.14526, abs=1e-5)
    assert float(metrics.abandon_rate) == pytest.approx(0.013984, abs=1e-6)
    assert float(metrics.occupancy) == pytest.approx(0.704297, abs=1e-6)
    assert float(metrics.asa_seconds) / 60 == pytest.approx(0.069919, abs=1e-6)


def _birth_death_erlang_a(n, traffic, aht, patience, answer, queue_cap=150):
    """Brute force M/M/n+M: truncated stationary law, and the tagged caller's chain for the service level."""
    mu, theta = 1.0 / aht, 1.0 / patience
    lam = traffic * mu
    states = np.arange(n + queue_cap + 1)
    death = np.minimum(states, n) * mu + np.maximum(states - n, 0) * theta
    log_pi = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death[1:]))])
    pi = np.exp(log_pi - log_pi.max())
    pi /= pi.sum()
    p_wait = pi[n:].sum()
    p_abandon = theta * np.sum(np.maximum(states - n, 0) * pi) / lam
    # tagged caller with i ahead (i = 0..cap): i -> i-1 at n·mu + i·theta, 0 -> served at n·mu,
    # abandons at theta
    size = queue_cap + 1
    generator = np.zeros((size + 2, size + 2))
    served, abandoned = size, size + 1
    for i in range(size):
        if i > 0:
            generator[i, i - 1] = n * mu + i * theta
        else:
            generator[i, served] = n * mu
        generator[i, abandoned] = theta
        generator[i, i] = -generator[i].sum()
    answered_by = expm(generator * answer)[:size, served]
    service_level = pi[:n].sum() + np.sum(pi[n : n + size] * answered_by)
    return p_wait, p_abandon, service_level


@pytest.mark.parametrize("agents", [6, 9, 11, 14, 17])
def test_erlang_a_matches_brute_force_queue(agents):
    p_wait, p_abandon, service_level = _birth_death_erlang_a(agents, TRAFFIC, 180.0, 300.0, 20.0)
    metrics = erlang_a_metrics(agents, TRAFFIC, 180.0, 300.0, 20.0)
    assert float(metrics.p_wait) == pytest.approx(p_wait, abs=1e-9)
    assert float(metrics.abandon_rate) == pytest.approx(p_abandon, abs=1e-9)
    assert float(metrics.service_level) == pytest.approx(service_level, abs=1e-8)


def test_erlang_a_large_traffic_matches_stationary_law():
    # 500 Erlangs, half-hour patience: the incomplete gamma arguments run into the thousands
    for agents in (450, 500, 520, 700):
        states = np.arange(agents + 6000)
        mu, theta = 1 / 180, 1 / 1800
        lam = 500 * mu
        death = np.minimum(states, agents) * mu + np.maximum(states - agents, 0) * theta
        log_pi = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death[1:]))])
        pi = np.exp(log_pi - log_pi.max())
        pi /= pi.sum()
        metrics = erlang_a_metrics(agents, 500.0, 180.0, 1800.0, 20.0)
        assert float(metrics.p_wait) == pytest.approx(pi[agents:].sum(), abs=1e-8)
        expected_abandon = theta * np.sum(np.maximum(states - agents, 0) * pi) / lam
        assert float(metrics.abandon_rate) == pytest.approx(expected_abandon, abs=1e-8)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    agents = np.arange(11, 20)
    c = erlang_c_metrics(agents, TRAFFIC, 180.0, 20.0)
    gaps = []
    for patience in (1e3, 1e5, 1e7):
        a = erlang_a_metrics(agents, TRAFFIC, 180.0, patience, 20.0)
        gaps.append(np.max(np.abs(a.service_level - c.service_level)))
        assert np.all(np.isfinite(a.service_level))
    assert gaps[0] > gaps[1] > gaps[2]
    a = erlang_a_metrics(agents, TRAFFIC, 180.0, 1e7, 20.0)
    np.testing.assert_allclose(a.p_wait, c.p_wait, atol=1e-4)
    np.testing.assert_allclose(a.service_level, c.service_level, atol=1e-4)
    np.testing.assert_allclose(a.asa_seconds, c.asa_seconds, rtol=1e-3)


def test_edge_cases_no_traffic_and_no_agents():
    c = erlang_c_metrics(np.array([0, 3]), 0.0, 180.0, 20.0)
    assert np.all(c.service_level == 1.0)
    assert np.all(c.asa_seconds == 0.0)
    assert np.all(c.p_wait == 0.0)
    unstable = erlang_c_metrics(5, 5.0, 180.0, 20.0)
    assert float(unstable.service_level) == 0.0
    assert np.isinf(unstable.asa_seconds)
    a = erlang_a_metrics(0, 4.0, 180.0, 300.0, 20.0)
    assert float(a.abandon_rate) == 1.0
    assert float(a.service_level) == 0.0
    assert float(erlang_b(0, 4.0)) == 1.0
    with pytest.raises(ValueError, match="agents must be >= 0"):
        erlang_b(-1, 4.0)
