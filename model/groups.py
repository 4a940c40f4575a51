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
