"""Erlang A (M/M/n+M): Poisson arrivals, exponential handle time, exponential patience, exact.

Callers who wait longer than their patience hang up, so the queue is stable at any headcount and staffing
below the traffic is possible. The formulas are Palm's, as given by Mandelbaum and Zeltyn ("The Palm/Erlang-A
queue, with applications to call centers", 2007), written with the regularised incomplete gamma function
P(x, y) = γ(x, y)/Γ(x), where x = n·μ/θ = n·patience/AHT and y = λ/θ = A·patience/AHT:

    A(x, y)      = x·e^y·y^-x·γ(x, y)                       (computed in logs)
    P(wait)      = A(x, y)·E / (1 + (A(x, y) - 1)·E)          E = Erlang B(n, A)
    P(abandon)   = P(wait)·(1 - (n/A)·(1 - 1/A(x, y)))
    P(V > t)     = P(wait)·P(x, y·e^-θt) / P(x, y)            V = the wait a caller would see if patient
    answered within t = 1 - P(wait) + P(wait)·(x/y)·[P(x+1, y) - P(x+1, y·e^-θt)] / P(x, y)

The last line (derived by integrating e^-θv against the density of V) is the service level used here:
calls answered within the answer time over all calls offered, so an abandoned call always counts as
missed. ASA is the mean wait of all callers, served or not, E[W] = P(abandon)/θ (as in the reference
values); occupancy is the answered traffic per agent, A·(1 - P(abandon))/n.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from scheduling.staffing.erlang import QueueMetrics, erlang_b
from scheduling.staffing.incomplete_gamma import log_gammainc


def erlang_a_metrics_from_b(
    agents: np.ndarray,
    traffic: np.ndarray,
    blocking: np.ndarray,
    aht_seconds: np.ndarray,
    patience_seconds: np.ndarray,
    answer_seconds: np.ndarray,
) -> QueueMetrics:
    """Erlang A figures given the Erlang B value B(n, A) (1-D arrays of one length)."""
    n = np.asarray(agents, dtype=float)
    a = np.asarray(traffic, dtype=float)
    p_wait = np.where(a > 0, 1.0, 0.0)
    p_abandon = np.where((a > 0) & (n == 0), 1.0, 0.0)
    service_level = np.where(a > 0, 0.0, 1.0)
    ok = (a > 0) & (n > 0)
    if ok.any():
        pw, pab, sl = _busy_metrics(
            n[ok], a[ok], blocking[ok], aht_seconds[ok], patience_seconds[ok], answer_seconds[ok]
        )
        p_wait[ok], p_abandon[ok], service_level[ok] = pw, pab, sl
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(n > 0, np.minimum(a * (1.0 - p_abandon) / n, 1.0), 0.0)
    return QueueMetrics(
        p_wait=p_wait,
        service_level=service_level,
        asa_seconds=p_abandon * patience_seconds,
        occupancy=occupancy,
        abandon_rate=p_abandon,
    )


def _busy_metrics(
    n: np.ndarray, a: np.ndarray, e: np.ndarray, aht: np.ndarray, patience: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ratio = patience / aht
    x = n * ratio
    y = a * ratio
    log_p_xy = log_gammainc(x, y)
    log_a_xy = np.log(x) + y - x * np.log(y) + gammaln(x) + log_p_xy
    with np.errstate(over="ignore", divide="ignore"):
        inv_a = np.exp(-log_a_xy)  # 1 / A(x, y), in (0, 1]
        p_wait = 1.0 / (1.0 + (1.0 - e) * inv_a / e)
    served_given_wait_ratio = -np.expm1(-log_a_xy)  # 1 - 1/A(x, y) = P(x+1, y) / P(x, y)
    p_abandon = p_wait * np.clip(1.0 - (n / a) * served_given_wait_ratio, 0.0, 1.0)

    decay = np.exp(-t / patience)
    q2 = np.exp(log_gammainc(x + 1.0, y * decay) - log_p_xy)  # P(x+1, y·e^-θt) / P(x, y)
    served_after_wait = np.clip((x / y) * (served_given_wait_ratio - q2), 0.0, 1.0)
    service_level = np.clip(1.0 - p_wait + p_wait * served_after_wait, 0.0, 1.0)
    return p_wait, p_abandon, service_level


def erlang_a_metrics(
    agents: np.ndarray | int,
    traffic: np.ndarray | float,
    aht_seconds: np.ndarray | float,
    patience_seconds: np.ndarray | float,
    answer_seconds: np.ndarray | float,
) -> QueueMetrics:
    """P(wait), P(abandon), service level within `answer_seconds`, ASA and occupancy of M/M/n+M."""
    arrays = np.broadcast_arrays(
        np.asarray(agents),
        np.asarray(traffic, dtype=float),
        np.asarray(aht_seconds, dtype=float),
        np.asarray(patience_seconds, dtype=float),
        np.asarray(answer_seconds, dtype=float),
    )
    shape = arrays[0].shape
    n, a, aht, patience, t = (np.array(x, dtype=float).ravel() for x in arrays)
    metrics = erlang_a_metrics_from_b(n, a, erlang_b(n.astype(np.int64), a), aht, patience, t)
    return QueueMetrics(*(np.reshape(v, shape) for v in vars(metrics).values()))
