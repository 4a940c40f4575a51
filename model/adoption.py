"""Phase 6 — green and digital adoption as a Bass process with economics."""

from __future__ import annotations

import numpy as np


def adoption_hazard(p: float, q: float, peers, economics) -> np.ndarray:
    """Yearly adoption hazard ``h = (p + q * peers) * M``.

    ``peers`` is the adopters' share among the firm's neighbours (its park, or its chain
    outside parks) and ``M`` the economic multiplier.
    """
    return (p + q * peers) * economics


def green_economics(carbon_price, relative_energy, subsidy, infrastructure, a_c, a_s, a_i):
    """``M_g = 1 + a_c * (P_co2 / 100) * e_i / ebar + a_s * s_g + a_i * G_park``."""
    return 1.0 + a_c * carbon_price / 100.0 * relative_energy + a_s * subsidy + a_i * infrastructure


def digital_economics(subsidy, infrastructure, a_s, a_i):
    """``M_d = 1 + a_s * s_d + a_i * D_park``."""
    return 1.0 + a_s * subsidy + a_i * infrastructure


def adopt(
    rng: np.random.Generator, level, hazard, step: float
) -> tuple[np.ndarray, np.ndarray]:
    """One quarter of adoption: with probability ``1 - exp(-h / 4)`` the level rises by
    ``step`` (capped at 1).

    Every firm draws, so runs stay aligned whoever adopts (common random numbers).

    Returns:
        (rows of the firms that upgrade, the rise of each)
    """
    n = level.shape[0]
    # u > exp(-h / 4) has probability 1 - exp(-h / 4)
    rows = np.flatnonzero(rng.random(n) > np.exp(hazard * -0.25))
    return rows, np.minimum(step, 1.0 - level[rows])


def infrastructure(level, rate: float) -> np.ndarray:
    """Park infrastructure or service level ``x' = x + (r / 4) (1 - x)``."""
    return level + rate / 4.0 * (1.0 - level)
