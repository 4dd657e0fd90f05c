"""Erlang B and Erlang C, vectorised over intervals.

Every function takes numpy arrays (or scalars) that broadcast together: one entry per interval. Traffic is
offered load in Erlangs, A = calls per interval × handle time / interval length. "Agents" here are servers:
for chat with concurrency the caller passes slots (agents × concurrency), see `requirement`.

Erlang B is computed by the stable recursion B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1)), never from
factorials, so hundreds of Erlangs are no harder than ten. The recursion runs once per agent count over the
intervals that still need it (rows sorted by agent count, so each step works on a contiguous prefix).
Erlang C follows from B: C = n·B / (n - A·(1 - B)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class QueueMetrics:
    """Service figures per interval (arrays of one shape).

    `p_wait` is the probability a caller waits at all; `service_level` the share of offered calls answered
    within the answer time; `asa_seconds` the mean wait (infinite for an unstable Erlang C queue);
    `occupancy` the share of agents' time spent handling; `abandon_rate` the share of offered calls lost
    (callers abandoning under Erlang A, blocked calls under Erlang B, zero under Erlang C).
    """

    p_wait: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray
    abandon_rate: np.ndarray


def erlang_b(agents: np.ndarray | int, traffic: np.ndarray | float) -> np.ndarray:
    """Blocking probability of an M/M/n/n system (lost-calls-cleared), by the stable recursion."""
    n, a = np.broadcast_arrays(np.asarray(agents), np.asarray(traffic, dtype=float))
    shape = n.shape
    n = n.ravel().astype(np.int64)
    a = a.ravel()
    if n.size and n.min() < 0:
        raise ValueError("agents must be >= 0")
    return erlang_b_from(np.zeros_like(n), np.ones_like(a), n, a).reshape(shape)


def erlang_b_from(
    start: np.ndarray, blocking: np.ndarray, agents: np.ndarray, traffic: np.ndarray
) -> np.ndarray:
    """Carry the recursion from B(start) = blocking up to B(agents), for 1-D arrays with start <= agents."""
    steps = agents - start
    if steps.size == 0 or steps.max() <= 0:
        return blocking.astype(float, copy=True)
    order = np.argsort(-steps, kind="stable")
    k = start[order].astype(float)
    a = traffic[order]
    b = blocking[order].astype(float, copy=True)
    remaining = steps[order]
    # active[j] = how many rows still need a (j+1)-th step: a prefix, because rows are sorted by steps.
    active = np.searchsorted(-remaining, -np.arange(1, remaining[0] + 1), side="right")
    for m in active:
        k[:m] += 1.0
        ab = a[:m] * b[:m]
        b[:m] = ab / (k[:m] + ab)
    out = np.empty_like(b)
    out[order] = b
    return out


def erlang_c_from_b(agents: np.ndarray, traffic: np.ndarray, blocking: np.ndarray) -> np.ndarray:
    """P(wait) of M/M/n from the Erlang B value; 1 where the queue is unstable (n <= A)."""
    n = np.asarray(agents, dtype=float)
    a = np.asarray(traffic, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * blocking / (n - a * (1.0 - blocking))
    return np.where(n > a, c, np.where(a > 0, 1.0, 0.0))


def erlang_c(agents: np.ndarray | int, traffic: np.ndarray | float) -> np.ndarray:
    """Probability that a caller waits (Erlang C), 1 for an unstable queue, 0 for no traffic."""
    n, a = np.broadcast_arrays(np.asarray(agents), np.asarray(traffic, dtype=float))
    return erlang_c_from_b(n, a, erlang_b(n, a))


def erlang_c_metrics_from_b(
    agents: np.ndarray,
    traffic: np.ndarray,
    blocking: np.ndarray,
    aht_seconds: np.ndarray,
    answer_seconds: np.ndarray,
) -> QueueMetrics:
    """Erlang C figures given B(n, A) already computed (the requirement search carries B along)."""
    n = np.asarray(agents, dtype=float)
    a = np.asarray(traffic, dtype=float)
    p_wait = erlang_c_from_b(n, a, blocking)
    stable = n > a
    spare = np.where(stable, n - a, 1.0)
    service_level = np.where(stable, 1.0 - p_wait * np.exp(-spare * answer_seconds / aht_seconds), 0.0)
    asa = np.where(stable, p_wait * aht_seconds / spare, np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(n > 0, np.minimum(a / n, 1.0), 0.0)
    idle = a <= 0
    return QueueMetrics(
        p_wait=np.where(idle, 0.0, p_wait),
        service_level=np.where(idle, 1.0, service_level),
        asa_seconds=np.where(idle, 0.0, asa),
        occupancy=occupancy,
        abandon_rate=np.zeros_like(a),
    )


def erlang_c_metrics(
    agents: np.ndarray | int,
    traffic: np.ndarray | float,
    aht_seconds: np.ndarray | float,
    answer_seconds: np.ndarray | float,
) -> QueueMetrics:
    """P(wait), service level within `answer_seconds`, ASA and occupancy of an M/M/n queue."""
    n, a, aht, t = np.broadcast_arrays(
        np.asarray(agents),
        np.asarray(traffic, dtype=float),
        np.asarray(aht_seconds, dtype=float),
        np.asarray(answer_seconds, dtype=float),
    )
    return erlang_c_metrics_from_b(n, a, erlang_b(n, a), aht, t)


def erlang_b_metrics_from_b(agents: np.ndarray, traffic: np.ndarray, blocking: np.ndarray) -> QueueMetrics:
    """Erlang B as queue figures: no waiting; answered at once unless blocked; blocked calls are lost."""
    n = np.asarray(agents, dtype=float)
    a = np.asarray(traffic, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(n > 0, a * (1.0 - blocking) / n, 0.0)
    blocking = np.where(a > 0, blocking, 0.0)
    return QueueMetrics(
        p_wait=np.zeros_like(a),
        service_level=1.0 - blocking,
        asa_seconds=np.zeros_like(a),
        occupancy=occupancy,
        abandon_rate=blocking,
    )


def erlang_b_metrics(agents: np.ndarray | int, traffic: np.ndarray | float) -> QueueMetrics:
    """Blocking (as `abandon_rate`), service level = 1 - blocking, and occupancy of the carried traffic."""
    n, a = np.broadcast_arrays(np.asarray(agents), np.asarray(traffic, dtype=float))
    return erlang_b_metrics_from_b(n, a, erlang_b(n, a))
