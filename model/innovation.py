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


def rd_effort(rd, va, staff, staff_wanted) -> np.ndarray:
    """Effort ``e = (RD / VA) / 0.03 * sqrt(H / H*)``: R&D intensity relative to 3%, cut when
    the firm could not hire the R&D staff its budget pays for.
    """
    intensity = np.divide(rd, va, out=np.zeros_like(va), where=va > 0)
    fill = np.divide(staff, staff_wanted, out=np.ones_like(va), where=staff_wanted > 0)
    return intensity / 0.03 * np.sqrt(np.clip(fill, 0.0, 1.0))


def success_probability(effort, absorptive, hazard: float) -> np.ndarray:
    """``p = 1 - exp(-lambda * effort * absorptive)`` per quarter."""
    return -np.expm1(-hazard * effort * absorptive)


def innovate(
    rng: np.random.Generator, prob, step: float, radical_prob: float, radical_step: float
) -> np.ndarray:
    """Relative TFP gains from innovation this quarter (``A' = A (1 + x)``).

    A firm succeeds when its uniform draw ``u < p``; the success is radical when
    ``u < p * p_rad`` (probability ``p_rad`` given success). The gain is exponential with mean
    ``step`` (incremental) or ``radical_step`` (radical). Every firm draws its gain whether it
    succeeds or not, so runs that differ in success rates keep their random streams aligned
    (common random numbers). Returns ``x`` per firm (0 where the firm did not succeed).
    """
    n = prob.shape[0]
    u = rng.random(n)
    size = rng.exponential(1.0, n) * np.where(u < prob * radical_prob, radical_step, step)
    return np.where(u < prob, size, 0.0)
