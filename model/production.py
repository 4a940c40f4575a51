"""Phase 2 — production: labour demand, value added, energy and CO2."""

from __future__ import annotations

import numpy as np


def capacity(tfp, capital, labour, digital, alpha: float, bonus: float) -> np.ndarray:
    """Capacity ``Y = A * K^alpha * L^(1-alpha) * (1 + b * d)`` (100m yuan per quarter)."""
    return tfp * capital**alpha * labour ** (1.0 - alpha) * (1.0 + bonus * digital)


def labour_needed(output, tfp, capital, digital, alpha: float, bonus: float) -> np.ndarray:
    """Workers needed for ``output``: ``L* = (Y / (A K^alpha (1 + b d)))^(1 / (1 - alpha))``."""
    return (output / (tfp * capital**alpha * (1.0 + bonus * digital))) ** (1.0 / (1.0 - alpha))


def produce(
    wanted, tfp, capital, labour, digital, alpha: float, bonus: float, hiring_limit: float
) -> tuple[np.ndarray, np.ndarray]:
    """Value added and employment.

    Firms hire the workers their demand needs, but can grow their workforce by at most
    ``hiring_limit`` a quarter: ``L' = min(L*, (1 + h) L)``; value added is then
    ``VA = min(demand, A K^alpha L'^(1-alpha) (1 + b d))``.

    Returns:
        (value added, workers)
    """
    need = labour_needed(wanted, tfp, capital, digital, alpha, bonus)
    most = labour * (1.0 + hiring_limit)
    short = np.flatnonzero(need > most)  # firms whose demand outruns their hiring
    workers = np.minimum(need, most)
    va = wanted.copy()
    va[short] = capacity(tfp[short], capital[short], most[short], digital[short], alpha, bonus)
    return va, workers


def energy_use(va, intensity, green, digital, green_saving: float, digital_saving: float):
    """Energy ``E = VA * e_i * (1 - s_g g) * (1 - s_d d)`` in 10k tce per quarter.

    ``e_i`` is the firm's energy per value added without green or digital upgrade
    (tce per 10k yuan, which equals 10k tce per 100m yuan).
    """
    return va * intensity * (1.0 - green_saving * green) * (1.0 - digital_saving * digital)


def emissions(energy, factor: float, green, green_cut: float, park_kept):
    """CO2 ``= E * f(t) * (1 - c_g g) * (1 - c_p G_park)`` in 10k tonnes per quarter.

    ``f(t)`` is the emission factor after grid decarbonisation; green capacity uses own clean
    energy (``c_g``) and a park's shared low-carbon energy cuts the rest (``c_p``): the firm's
    ``1 - c_p G_park`` (1 outside parks) is given as ``park_kept``, see :func:`park_kept`.
    """
    return energy * (factor * (1.0 - green_cut * green)) * park_kept


def park_kept(park_green: np.ndarray, park_cut: float) -> np.ndarray:
    """Share of emissions each park's shared low-carbon energy leaves, ``1 - c_p G_park``, with
    a last entry of 1 for firms outside parks.
    """
    return np.append(1.0 - park_cut * park_green, 1.0)


def ration_energy(va, cut: float) -> np.ndarray:
    """Output after an energy shortage that removes share ``cut`` of energy supply.

    Rationing is proportional: every firm loses the share ``cut`` of its output,
    ``VA' = (1 - cut) VA``, so energy use also falls by ``cut``.
    """
    return va * (1.0 - cut)
