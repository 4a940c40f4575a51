"""Phase 9 (each fourth quarter) — policy selection: size classes, high-tech certification,
leading enterprises, the seedling programme (specialized-and-new), little giants, and new
design and innovation centres.

What each status does: specialized-and-new firms get ``policy.seedling_support`` (a share of
value added a year), ``finance.specialized_rd_bonus`` more R&D propensity, a higher
loan-to-value (``finance.specialized_credit_bonus``) and more absorptive capacity; little
giants, chosen among them, borrow like large firms (no small-firm credit wedge) and have the
R&D bonus doubled; leading enterprises receive promoted projects.
"""

from __future__ import annotations

import numpy as np

from chainshift.model.groups import group_mean
from chainshift.model.setup import size_classes


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
    """The ``per_chain`` largest firms by value added in each chain.

    Leaders are searched among the largest firms overall first: a chain with at least
    ``per_chain`` firms among the overall top ``4 * per_chain * n_chains`` has its leaders
    there. Only chains with fewer are searched firm by firm.
    """
    n = va.shape[0]
    chosen = np.zeros(n, dtype=bool)
    if per_chain <= 0 or n == 0:
        return chosen
    pool = min(n, 4 * per_chain * n_chains)
    top = np.argpartition(-va, pool - 1)[:pool] if pool < n else np.arange(n)
    top = top[np.lexsort((-va[top], chain[top]))]  # by chain, largest first
    count = np.bincount(chain[top], minlength=n_chains)
    start = np.concatenate(([0], np.cumsum(count)[:-1]))
    rank = np.arange(pool) - start[chain[top]]
    chosen[top[rank < per_chain]] = True
    full = np.bincount(chain, minlength=n_chains)
    for c in np.flatnonzero(count < np.minimum(per_chain, full)).tolist():
        idx = np.flatnonzero(chain == c)  # too few of this chain's firms in the pool
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


def select(model) -> None:
    """Phase 9: the yearly selections (quotas scale with the number of simulated firms)."""
    f, pol = model.firms, model.policy
    f.size = size_classes(f.va)
    f.high_tech = high_tech(f.rd, f.va, f.H, f.L)
    f.leading = leading(f.va, f.chain, model.n_chains, pol.leading_per_chain)
    mean_a = group_mean(f.A, f.chain, model.n_chains, weights=f.va)
    score = innovation_score(f.rd, f.va, f.A, mean_a[f.chain], f.q)
    quota = model.take_quota("seedling", pol.seedling_quota * model.firm_scale)
    f.specialized = f.specialized | pick_top(score, ~f.specialized & (f.size >= 1), quota)
    quota = model.take_quota("giant", pol.little_giant_quota * model.firm_scale)
    f.little_giant = f.little_giant | pick_top(score, f.specialized & ~f.little_giant, quota)
    design = model.take_quota("design", pol.design_centres_new * model.institute_scale)
    centres = model.take_quota("innovation", pol.innovation_centres_new * model.institute_scale)
    if design + centres > 0:
        kinds = np.repeat(np.array([3, 2], dtype=np.int8), [design, centres])
        model.add_institutes(kinds)
