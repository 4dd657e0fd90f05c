"""The fewest agents per interval that meet every target, and the reverse: figures for a given headcount.

Vectorised over intervals: the search starts every interval at a lower bound that no headcount below can
beat (more servers than traffic for Erlang C; the answered share an Erlang A or B queue must reach), then
moves all intervals that still miss a target up together, carrying Erlang B by its recursion, so the
only Python loops run over agent counts, and over fewer intervals at each step. Erlang C steps one server
at a time, and so does Erlang B (their checks are cheap); Erlang A gallops and bisects from a guess.

All arrays are 1-D, one entry per interval, and broadcast against each other. Traffic is in Erlangs
(calls × AHT / interval length). Back-office work, which depends on the order of intervals, is in
`backoffice`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from scheduling.staffing.erlang import (
    QueueMetrics,
    erlang_b_from,
    erlang_b_metrics_from_b,
    erlang_c_metrics_from_b,
)
from scheduling.staffing.erlang_a import erlang_a_metrics_from_b
from scheduling.staffing.targets import ServiceTarget

_TOLERANCE = 1e-12
QUEUE_MODELS = ("erlang-c", "erlang-a", "erlang-b")


def required_servers(
    traffic: np.ndarray, aht_seconds: np.ndarray | float, target: ServiceTarget
) -> np.ndarray:
    """Fewest servers (agents, or chat slots) meeting every target of `target`, per interval."""
    a, aht = _arrays(traffic, aht_seconds)
    return _search(a, aht, target)[0]


def required_agents(
    traffic: np.ndarray, aht_seconds: np.ndarray | float, target: ServiceTarget
) -> np.ndarray:
    """Fewest agents meeting every target; with concurrency c, ceil(servers / c) (each agent is c slots)."""
    return -(-required_servers(traffic, aht_seconds, target) // int(target.concurrency))


def required_agents_with_metrics(
    traffic: np.ndarray, aht_seconds: np.ndarray | float, target: ServiceTarget
) -> tuple[np.ndarray, QueueMetrics]:
    """Fewest agents per interval and the figures they achieve, in one pass (Erlang B is carried along)."""
    a, aht = _arrays(traffic, aht_seconds)
    servers, blocking = _search(a, aht, target)
    agents = -(-servers // int(target.concurrency))
    slots = agents * int(target.concurrency)
    blocking = erlang_b_from(servers, blocking, slots, a)  # a few steps up when slots round up
    return agents, _metrics_from_b(target, slots, a, blocking, aht)


def _search(a: np.ndarray, aht: np.ndarray, target: ServiceTarget) -> tuple[np.ndarray, np.ndarray]:
    """Fewest servers per interval and Erlang B at that count (1 where there is no traffic)."""
    _require_queue_model(target)
    servers = np.zeros(a.shape, dtype=np.int64)
    blocking = np.ones(a.shape)
    rows = np.flatnonzero(a > 0)
    if rows.size:
        search = _gallop_search if target.model == "erlang-a" else _step_search
        servers[rows], blocking[rows] = search(a[rows], aht[rows], target)
    return servers, blocking


def _step_search(a: np.ndarray, aht: np.ndarray, target: ServiceTarget) -> tuple[np.ndarray, np.ndarray]:
    """Erlang C and B: their checks are a handful of array operations, so step one server at a time."""
    servers = np.zeros(a.shape, dtype=np.int64)
    blocking = np.ones(a.shape)
    n = _lower_bound(a, target)
    b = erlang_b_from(np.zeros_like(n), np.ones_like(a), n, a)
    meets = _erlang_c_meets if target.model == "erlang-c" else _model_meets
    rows = np.arange(a.size)
    while rows.size:
        ok = meets(target, n, a, b, aht)
        servers[rows[ok]] = n[ok]
        blocking[rows[ok]] = b[ok]
        missing = ~ok
        rows, n, a, b, aht = rows[missing], n[missing] + 1, a[missing], b[missing], aht[missing]
        ab = a * b
        b = ab / (n + ab)  # the Erlang B recursion, one agent up
    return servers, blocking


def _gallop_search(a: np.ndarray, aht: np.ndarray, target: ServiceTarget) -> tuple[np.ndarray, np.ndarray]:
    """Erlang A: each check costs incomplete gamma functions, so check few counts.

    Keep per interval a count known to fail (`low`, first the bound minus one) and one known to meet the
    targets (`high`). The first guess is what Erlang C with the same service level and ASA targets needs
    (cheap, and usually within a server or two); from a failing guess gallop up (+1, +2, +4, ...), from
    a meeting one gallop down; then bisect. Every figure is monotone in the headcount, so the first
    count meeting all targets is what remains. Erlang B is carried up from `low` by its recursion.
    """
    low = _lower_bound(a, target) - 1  # fails (or is zero): nothing below the bound can meet the targets
    b_low = erlang_b_from(np.zeros_like(low), np.ones_like(a), low, a)
    high = np.zeros_like(low)
    b_high = np.ones_like(a)

    def probe(rows: np.ndarray, n: np.ndarray) -> np.ndarray:
        b = erlang_b_from(low[rows], b_low[rows], n, a[rows])
        ok = _model_meets(target, n, a[rows], b, aht[rows])
        high[rows[ok]], b_high[rows[ok]] = n[ok], b[ok]
        low[rows[~ok]], b_low[rows[~ok]] = n[~ok], b[~ok]
        return ok

    guess = np.maximum(_step_search(a, aht, _erlang_c_guide(target))[0], low + 1)
    rows = np.arange(a.size)
    met = probe(rows, guess)
    up, down = rows[~met], rows[met]
    step_up = np.ones(up.size, dtype=np.int64)
    step_down = np.ones(down.size, dtype=np.int64)
    while up.size:  # gallop up from a failing guess: +1, +2, +4, ...
        ok = probe(up, low[up] + step_up)
        up, step_up = up[~ok], step_up[~ok] * 2
    while down.size:  # gallop down from a meeting guess, never to or below a count known to fail
        keep = high[down] - step_down > low[down]
        down, step_down = down[keep], step_down[keep]
        ok = probe(down, high[down] - step_down)
        down, step_down = down[ok], step_down[ok] * 2
    rows = np.flatnonzero(high - low > 1)
    while rows.size:  # bisect between a failing and a meeting count
        probe(rows, (low[rows] + high[rows]) // 2)
        rows = rows[high[rows] - low[rows] > 1]
    return high, b_high


def _erlang_c_guide(target: ServiceTarget) -> ServiceTarget:
    """The Erlang C target whose requirement starts the Erlang A search."""
    return replace(target, model="erlang-c", max_abandon=None, patience_seconds=None)


def evaluate_agents(
    agents: np.ndarray, traffic: np.ndarray, aht_seconds: np.ndarray | float, target: ServiceTarget
) -> QueueMetrics:
    """The reverse calculation: service level, ASA, occupancy and abandonment for a given headcount."""
    _require_queue_model(target)
    a, aht = _arrays(traffic, aht_seconds)
    agents = np.broadcast_to(np.asarray(agents), a.shape)
    if np.any(agents < 0) or np.any(agents != np.floor(agents)):
        raise ValueError("agents must be whole numbers >= 0")
    servers = agents.astype(np.int64) * int(target.concurrency)
    b = erlang_b_from(np.zeros_like(servers), np.ones_like(a), servers, a)
    return _metrics_from_b(target, servers, a, b, aht)


def _arrays(traffic: np.ndarray, aht_seconds: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    a, aht = np.broadcast_arrays(
        np.atleast_1d(np.asarray(traffic, dtype=float)), np.asarray(aht_seconds, dtype=float)
    )
    a = np.array(a, dtype=float).ravel()
    aht = np.array(aht, dtype=float).ravel()
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError("traffic must be finite and >= 0")
    if np.any(~np.isfinite(aht)) or np.any(aht <= 0):
        raise ValueError("aht_seconds must be finite and > 0")
    return a, aht


def _require_queue_model(target: ServiceTarget) -> None:
    if target.model not in QUEUE_MODELS:
        raise ValueError(f"model {target.model!r} is not a queue model; back-office work is in backoffice")


def _lower_bound(a: np.ndarray, target: ServiceTarget) -> np.ndarray:
    """A headcount no smaller one can meet the targets with (so stepping up from it finds the fewest)."""
    if target.model == "erlang-c":
        bound = np.floor(a) + 1.0  # a stable queue needs more servers than Erlangs
        if target.max_occupancy is not None:
            bound = np.maximum(bound, np.ceil(a / target.max_occupancy - 1e-9))
        return bound.astype(np.int64)
    # Answered traffic is at most n servers' worth, so answering a share f of calls needs n >= f·A.
    share = 0.0
    if target.service_level is not None:
        share = max(share, target.service_level)
    if target.max_abandon is not None:
        share = max(share, 1.0 - target.max_abandon)
    patience = target.patience_seconds
    if target.model == "erlang-a" and target.max_asa_seconds is not None and patience is not None:
        # E[W] = P(abandon)·patience, so an ASA target caps abandonment too
        share = max(share, 1.0 - target.max_asa_seconds / patience)
    return np.maximum(np.floor(share * a - 1e-9), 1.0).astype(np.int64)


def _metrics_from_b(
    target: ServiceTarget, servers: np.ndarray, a: np.ndarray, b: np.ndarray, aht: np.ndarray
) -> QueueMetrics:
    answer = np.full(a.shape, float(target.answer_seconds))
    if target.model == "erlang-c":
        return erlang_c_metrics_from_b(servers, a, b, aht, answer)
    if target.model == "erlang-b":
        return erlang_b_metrics_from_b(servers, a, b)
    assert target.patience_seconds is not None  # an erlang-a target has one (`ServiceTarget._check_model`)
    patience = np.full(a.shape, float(target.patience_seconds))
    return erlang_a_metrics_from_b(servers, a, b, aht, patience, answer)


def _erlang_c_meets(
    target: ServiceTarget, n: np.ndarray, a: np.ndarray, b: np.ndarray, aht: np.ndarray
) -> np.ndarray:
    """The hot path: Erlang C targets from B, with n > A and the occupancy cap guaranteed by the bound."""
    spare = n - a
    p_wait = n * b / (spare + a * b)
    ok = np.ones(n.shape, dtype=bool)
    if target.service_level is not None:
        ok &= (
            p_wait * np.exp(-spare * (target.answer_seconds / aht)) <= 1.0 - target.service_level + _TOLERANCE
        )
    if target.max_asa_seconds is not None:
        ok &= p_wait * aht / spare <= target.max_asa_seconds + _TOLERANCE
    return ok


def _model_meets(
    target: ServiceTarget, n: np.ndarray, a: np.ndarray, b: np.ndarray, aht: np.ndarray
) -> np.ndarray:
    metrics = _metrics_from_b(target, n, a, b, aht)
    ok = np.ones(n.shape, dtype=bool)
    if target.service_level is not None:
        ok &= metrics.service_level >= target.service_level - _TOLERANCE
    if target.max_asa_seconds is not None:
        ok &= metrics.asa_seconds <= target.max_asa_seconds + _TOLERANCE
    if target.max_abandon is not None:
        ok &= metrics.abandon_rate <= target.max_abandon + _TOLERANCE
    if target.max_occupancy is not None:
        ok &= metrics.occupancy <= target.max_occupancy + _TOLERANCE
    return ok
