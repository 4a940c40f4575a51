"""Phase 3c — the technology market: institutes, double-chain coupling, spillovers.

Double-chain coupling (双链融合): a share ``kappa`` of each institute's work follows what the
chains need (their share of enterprise R&D), the rest follows the institute's own interests,
of which only a share ``rho`` is usable by industry.
"""

from __future__ import annotations

import numpy as np


def focus_on(
    own_focus: np.ndarray, needs: np.ndarray, coupling: float, weights: np.ndarray
) -> np.ndarray:
    """Each institute's effective focus applied to per-chain weights, ``sum_c F_rc w_c``.

    The effective focus over chains is ``F_rc = kappa * n_c + (1 - kappa) * f_rc`` (rows sum
    to 1), so ``sum_c F_rc w_c = kappa * (n . w) + (1 - kappa) * sum_c f_rc w_c``, computed
    without forming ``F``.
    """
    return coupling * float(needs @ weights) + (1.0 - coupling) * (own_focus @ weights)


def usable_knowledge(
    output: np.ndarray, own_focus: np.ndarray, needs: np.ndarray, coupling: float, relevance: float
) -> np.ndarray:
    """Knowledge usable by each chain this quarter.

    ``U_c = sum_r X_r * (kappa * n_c + (1 - kappa) * rho * f_rc)``

    with ``X_r`` the institute's transferable output (knowledge times transfer capacity).
    """
    return coupling * output.sum() * needs + (1.0 - coupling) * relevance * (output @ own_focus)


def transfer_gain(
    usable: np.ndarray,
    chain: np.ndarray,
    absorptive: np.ndarray,
    chain_absorbing_va: np.ndarray,
    efficiency: float,
) -> np.ndarray:
    """Relative TFP gain of each firm from institute transfers.

    ``dA_i / A_i = tau * U_c * a_i / sum_{j in c} a_j VA_j``, which is
    ``tau * (U_c / VA_c) * (a_i / abar_c)`` with ``abar_c`` the value-added-weighted mean
    absorptive capacity: a chain's usable knowledge spread over its value added, more to firms
    with higher absorptive capacity ``a_i``. The capacity it adds, ``sum_i dA_i/A_i VA_i``, is
    ``tau U_c`` (nothing where no firm can absorb). ``chain_absorbing_va`` is
    ``sum_{j in c} a_j VA_j``.
    """
    per_absorbing_va = np.divide(
        efficiency * usable,
        chain_absorbing_va,
        out=np.zeros_like(chain_absorbing_va),
        where=chain_absorbing_va > 0,
    )
    return per_absorbing_va[chain] * absorptive


def imitation_speed(rate: float, spillover: float, service: np.ndarray) -> np.ndarray:
    """Speed of imitation in each park and outside parks (last entry):
    ``iota * (1 + s_p)``, where the park spillover ``s_p`` is the spillover strength times the
    park's service level (0 outside parks).
    """
    return rate * (1.0 + spillover * np.append(service, 0.0))


def imitation_gain(log_tfp, frontier, speed, absorptive) -> np.ndarray:
    """Log-TFP gain from imitating the chain frontier.

    ``d lnA_i = iota (1 + s_p) * a_i * max(0, ln F_c - ln A_i)``, with the firm's
    ``iota (1 + s_p)`` from :func:`imitation_speed` given as ``speed``.
    """
    return np.maximum(0.0, frontier - log_tfp) * absorptive * speed


def coupling_index(transfers: np.ndarray, needs: np.ndarray) -> float:
    """How closely technology transfers follow chain needs: ``1 - 0.5 * sum_c |t_c - n_c|``.

    ``t_c`` is chain ``c``'s share of transferred technology, ``n_c`` its share of enterprise
    R&D; 1 means transfers follow needs exactly, 0 that they go entirely elsewhere.
    """
    total = transfers.sum()
    if total <= 0:
        return 0.0
    return float(1.0 - 0.5 * np.abs(transfers / total - needs).sum())
