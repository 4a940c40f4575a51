"""Phase 4 — innovation: R&D effort, success, incremental and radical TFP gains."""

from __future__ import annotations

import numpy as np


def absorptive_capacity(digital, knowledge, va, specialized) -> np.ndarray:
    """Absorptive capacity ``a = (0.3 + 0.4 d + 0.3 min(1, k / (0.4 VA))) * (1 + 0.2 s)``.

    ``k`` is the firm's R&D knowledge stock, ``d`` its digital level, ``s`` 1 for
    specialized-and-new firms.
    """
    ratio = np.divide(knowledge, 0.4 * va, out=np.zeros_like(va), where=va > 0)
    return (0.3 + 0.4 * digital + 0.3 * np.minimum(1.0, ratio)) * (1.0 + 0.2 * specialized)


def rd_effort(intensity, staff, staff_wanted) -> np.ndarray:
    """Effort ``e = (RD / VA) / 0.03 * sqrt(min(1, H / H*))``: R&D intensity relative to 3%, cut
    when the firm could not hire the R&D staff ``H*`` its budget pays for (no effort without
    an R&D budget, ``H* = 0``).
    """
    fill = np.divide(staff, staff_wanted, out=np.zeros_like(staff), where=staff_wanted > 0)
    return intensity * (1.0 / 0.03) * np.sqrt(np.minimum(fill, 1.0))


def success_probability(effort, absorptive, hazard: float) -> np.ndarray:
    """``p = 1 - exp(-lambda * effort * absorptive)`` per quarter."""
    return -np.expm1(-hazard * effort * absorptive)


def innovate(
    rng: np.random.Generator, prob, step: float, radical_prob: float, radical_step: float
) -> tuple[np.ndarray, np.ndarray]:
    """Which firms innovate this quarter, and their relative TFP gains (``A' = A (1 + x)``).

    Each firm draws one uniform ``u`` on [0, 1) and succeeds when ``u < p``. Given success,
    ``v = 1 - u / p`` is uniform on (0, 1] and independent of it: the success is radical when
    ``v <= p_rad`` (probability ``p_rad``), and the gain is exponential, ``x = -mu ln w`` with
    ``w = v / p_rad`` (radical, ``mu`` = ``radical_step``) or ``w = (v - p_rad) / (1 - p_rad)``
    (incremental, ``mu`` = ``step``), each ``w`` uniform on (0, 1] given its case. One draw per
    firm, whether it succeeds or not, keeps runs that differ in success rates on aligned
    random streams (common random numbers).

    Returns:
        (rows of the firms that succeed, their gains ``x``)
    """
    u = rng.random(prob.shape[0])
    rows = np.flatnonzero(u < prob)
    v = 1.0 - u[rows] / prob[rows]
    radical = v <= radical_prob
    gain = np.empty(rows.size)
    gain[radical] = -radical_step * np.log(v[radical] / radical_prob)
    incremental = ~radical
    gain[incremental] = -step * np.log((v[incremental] - radical_prob) / (1.0 - radical_prob))
    return rows, gain
