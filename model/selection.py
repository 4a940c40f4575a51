"""Phase 7 — yearly policy selection: seedlings, little giants, leading enterprises, high-tech."""

from __future__ import annotations

import numpy as np


def innovation_score(rd, va, tfp, chain_mean_tfp, design) -> np.ndarray:
    """``score = (RD / VA) * (A / Abar_c) * (1 + q)``: the seedling system's ranking."""
    intensity = np.divide(rd, va, out=np.zeros_like(va), where=va > 0)
    return intensity * tfp / chain_mean_tfp * (1.0 + design)


def pick_top(score, eligible, quota: int) -> np.ndarray:
    """Boolean mask of the ``quota`` highest scores among eligible firms (ties by index)."""
    idx = np.flatnonzero(eligible)
    chosen = np.zeros(score.shape[0], dtype=bool)
    if quota <= 0 or idx.size == 0:
        return chosen
    quota = min(quota, idx.size)
    top = idx[np.argpartition(-score[idx], quota - 1)[:quota]] if quota < idx.size else idx
    chosen[top] = True
    return chosen


def leading(va, chain, n_chains: int, per_chain: int) -> np.ndarray:
    """The ``per_chain`` largest firms by value added in each chain."""
    chosen = np.zeros(va.shape[0], dtype=bool)
    if per_chain <= 0:
        return chosen
    for c in range(n_chains):
        idx = np.flatnonzero(chain == c)
        if idx.size > per_chain:
            idx = idx[np.argpartition(-va[idx], per_chain - 1)[:per_chain]]
        chosen[idx] = True
    return chosen


def high_tech(rd, va, staff, workers, intensity_min: float = 0.03, staff_min: float = 0.05):
    """High-tech certification: R&D over value added at least 3% and R&D staff at least 5% of
    employees (a proxy for the national criteria on R&D over revenue and staff).
    """
    intensity = np.divide(rd, va, out=np.zeros_like(va), where=va > 0)
    ratio = np.divide(staff, staff + workers, out=np.zeros_like(va), where=(staff + workers) > 0)
    return (intensity >= intensity_min) & (ratio >= staff_min)
