"""Logarithms of the regularised lower incomplete gamma function, safe where scipy's value underflows.

Erlang A needs P(x, y) = γ(x, y) / Γ(x) with x = agents·patience/AHT and y = traffic·patience/AHT. With long
patience both are in the tens of thousands and, for an overstaffed interval, P(x, y) is far below the
smallest double: `scipy.special.gammainc` returns 0 and every ratio built on it becomes 0/0. There the
series P(a, z) = z^a e^-z / Γ(a+1) · Σ_k z^k / ((a+1)…(a+k)) converges fast (its terms fall at least as
fast as z/a < 1), so we sum it in logs. Elsewhere scipy's value is accurate and used as it is.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammainc, gammaln

_UNDERFLOW = 1e-280
_SERIES_TOLERANCE = 1e-17
_MAX_SERIES_TERMS = 100_000


def log_gammainc(a: np.ndarray, z: np.ndarray) -> np.ndarray:
    """log P(a, z) for a > 0, z >= 0 (arrays of one shape); -inf where z == 0."""
    a, z = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(z, dtype=float))
    with np.errstate(divide="ignore"):
        result = np.log(gammainc(a, z))
    small = (result < np.log(_UNDERFLOW)) & (z > 0)
    if small.any():
        result[small] = _log_gammainc_series(a[small], z[small])
    return result


def _log_gammainc_series(a: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The series form, only used where P(a, z) is tiny, which implies z well below a."""
    total = np.ones_like(a)
    term = np.ones_like(a)
    k = 0
    active = np.arange(a.size)
    while active.size and k < _MAX_SERIES_TERMS:
        k += 1
        term[active] *= z[active] / (a[active] + k)
        total[active] += term[active]
        active = active[term[active] > _SERIES_TOLERANCE * total[active]]
    return a * np.log(z) - z - gammaln(a + 1) + np.log(total)
