"""Phase 3b — the talent market: R&D staff hired from a pool, and moving toward productivity."""

from __future__ import annotations

import numpy as np


def staff_wanted(rd_budget, rd_wage: float, personnel_share: float = 0.6) -> np.ndarray:
    """R&D staff a budget pays for: ``H* = s_p * RD * 1e4 / w_rd`` (persons).

    ``RD`` is in 100m yuan per quarter and ``w_rd`` in 10k yuan per person per quarter.
    """
    return personnel_share * rd_budget * 1e4 / rd_wage


def hire(staff, wanted, pool: float) -> tuple[np.ndarray, float, float]:
    """Fill vacancies from the pool pro rata; staff above what is wanted return to it.

    ``v_i = max(H*_i - H_i, 0)``; ``hired_i = v_i * min(1, P / sum v)``;
    ``H_i' = min(H_i, H*_i) + hired_i``; ``P' = P - sum hired + sum max(H_i - H*_i, 0)``.

    Returns:
        (new staff, persons hired, persons released)
    """
    gap = wanted - staff
    vacancy = np.maximum(gap, 0.0)
    total = vacancy.sum()
    released = max(0.0, total - gap.sum())  # sum of max(H - H*, 0)
    fill = min(1.0, pool / total) if total > 0 else 0.0
    # min(H, H*) + fill v = H* - v + fill v
    return wanted - (1.0 - fill) * vacancy, float(fill * total), float(released)


def mobility(staff, chain_frontier_gap, rate: float) -> tuple[np.ndarray, float]:
    """Staff move from low- to high-productivity firms.

    A share ``m * gap_i`` of the staff of firms below their chain's mean log TFP leaves
    (``gap_i = clip(mean lnA_c - lnA_i, 0, 1)``) and is taken up by above-mean firms in
    proportion to their staff times their TFP lead.

    Returns:
        (new staff, persons moved)
    """
    below = np.clip(chain_frontier_gap, 0.0, 1.0)
    above = np.minimum(chain_frontier_gap, 0.0)  # minus the TFP lead
    moved = rate * float(staff @ below)
    lead = -float(staff @ above)
    if moved <= 0 or lead <= 0:
        return staff, 0.0
    # H' = H - m gap+ H + moved * lead_i H / sum(lead H)
    return staff * (1.0 - rate * below - (moved / lead) * above), moved
