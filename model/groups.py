"""Group sums and means over agents (by chain or park) with ``np.bincount``."""

from __future__ import annotations

import numpy as np


def group_sum(values: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``values`` per group id in ``0..n-1``."""
    if groups.size == 0:
        return np.zeros(n)
    return np.bincount(groups, weights=values, minlength=n)[:n]


def group_mean(values: np.ndarray, groups: np.ndarray, n: int, weights=None) -> np.ndarray:
    """(Weighted) mean of ``values`` per group; empty groups give 0."""
    if weights is None:
        num = group_sum(values, groups, n)
        den = np.bincount(groups, minlength=n)[:n].astype(float)
    else:
        num = group_sum(values * weights, groups, n)
        den = group_sum(weights, groups, n)
    return np.divide(num, den, out=np.zeros(n), where=den > 0)


def group_argmax(values: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """Row of the largest value in each group id ``0..n-1`` (-1 for an empty group; of tied
    rows, the last).
    """
    top = np.full(n, -np.inf)
    np.maximum.at(top, groups, values)
    rows = np.flatnonzero(values == top[groups])
    out = np.full(n, -1, dtype=np.intp)
    out[groups[rows]] = rows
    return out


def top_share(x: np.ndarray, fraction: float = 0.01) -> float:
    """Share of the total held by the largest ``fraction`` of observations (at least one; 0
    when the total is 0): ``fraction`` itself when all are equal, 1 when one holds it all.
    """
    x = np.asarray(x, dtype=float)
    total = float(x.sum())
    if x.size == 0 or total == 0:
        return 0.0
    k = max(1, int(x.size * fraction))
    return float(np.partition(x, x.size - k)[x.size - k:].sum() / total)
