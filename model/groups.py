"""Group sums and means over agents (by chain or park) with ``np.bincount``."""

from __future__ import annotations

import numpy as np


def group_sum(values: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``values`` per group id in ``0..n-1``."""
    return np.bincount(groups, weights=values, minlength=n)[:n]


def group_mean(values: np.ndarray, groups: np.ndarray, n: int, weights=None) -> np.ndarray:
    """(Weighted) mean of ``values`` per group; empty groups give 0."""
    w = np.ones_like(values) if weights is None else weights
    num = group_sum(values * w, groups, n)
    den = group_sum(w, groups, n)
    return np.divide(num, den, out=np.zeros(n), where=den > 0)
