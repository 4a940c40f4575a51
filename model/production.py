"""Phase 3 — production: capital utilisation, employment, output, energy and CO2.

Technology is Cobb-Douglas in capital services and labour,
``Y = A' (z K)^alpha L^(1 - alpha)``, with effective TFP ``A' = A (1 + b d)`` (digital level
``d``) and utilisation ``z`` in [0, 1]. A firm runs its capital with the cost-minimising labour
``L = z K / kappa``, ``kappa = alpha w / ((1 - alpha) u)`` at last quarter's wage, so its
capacity is ``ybar = A' K kappa^(alpha - 1)``; output is the lesser of demand and capacity
(and of what the hiring limit allows), ``y = min(y^D, ybar)``. Orders a firm cannot serve go to
firms of its chain with spare capacity; what the chain cannot serve is lost to rivals: a firm short of capital has a marginal return on capital far above its user cost, and
that return is what drives factor-input growth until capacity catches up with demand.
"""

from __future__ import annotations

import numpy as np

from model import markets
from model.groups import group_sum


def effective_tfp(tfp, digital, bonus: float) -> np.ndarray:
    """``A' = A (1 + b d)``: TFP including the capacity gain of digital tools."""
    return tfp * (1.0 + bonus * digital)


def factor_ratio(wage: float, user_cost, alpha: float) -> np.ndarray:
    """Cost-minimising capital services per worker, ``kappa = alpha w / ((1 - alpha) u)``
    (100m yuan of capital per worker; ``w`` in 100m yuan per worker and ``u`` per quarter).
    """
    return (alpha / (1.0 - alpha)) * wage / user_cost


def capacity(tfp_eff, capital, kappa, alpha: float) -> np.ndarray:
    """Normal capacity: output at full utilisation with the cost-minimising labour,
    ``ybar = A' K kappa^(alpha - 1)``.
    """
    return tfp_eff * capital * kappa ** (alpha - 1.0)


def produce(demand, tfp_eff, capital, labour, kappa, alpha: float, hiring_limit: float):
    """Output, workers and utilisation for this quarter's demand.

    ``y = min(y^D, ybar, A' kappa^alpha (1 + h) L_prev)``, ``L = (y / A') kappa^-alpha``,
    ``z = y / ybar``: capital services and labour in the cost-minimising ratio at every level
    of use; a firm can raise its workforce by at most ``h`` a quarter.

    Returns:
        (output, workers, utilisation)
    """
    ybar = capacity(tfp_eff, capital, kappa, alpha)
    per_worker = tfp_eff * kappa**alpha  # output per worker at the cost-minimising ratio
    y = np.minimum(np.minimum(demand, ybar), (1.0 + hiring_limit) * labour * per_worker)
    workers = np.divide(y, per_worker, out=np.zeros_like(y), where=per_worker > 0)
    z = np.divide(y, ybar, out=np.zeros_like(y), where=ybar > 0)
    return y, workers, z


def serve_overflow(demand, output, ceiling, chain, n_chains: int) -> np.ndarray:
    """Orders a firm cannot serve go first to firms of its chain with spare capacity, in
    proportion to their spare capacity; only what the chain cannot serve is lost to rivals.

    With unmet orders ``U_c = sum max(y^D - y, 0)`` and spare capacity
    ``R_c = sum (ybar - y)`` of the firms below it: ``y_i' = y_i + min(1, U_c / R_c) (ybar_i - y_i)``.
    ``ceiling`` is each firm's largest output (capacity within its hiring limit).
    """
    unmet = group_sum(np.maximum(demand - output, 0.0), chain, n_chains)
    room = np.maximum(ceiling - output, 0.0)
    spare = group_sum(room, chain, n_chains)
    fill = np.minimum(1.0, np.divide(unmet, spare, out=np.zeros(n_chains), where=spare > 0))
    return output + fill[chain] * room


def ration_energy(output, cut: float) -> np.ndarray:
    """Output after an energy shortage that removes share ``cut`` of energy supply.

    Rationing is proportional: ``y' = (1 - cut) y``, so energy use also falls by ``cut``.
    """
    return output * (1.0 - cut)


def energy_use(output, intensity, green, digital, green_saving: float, digital_saving: float):
    """Energy ``E = y e_i (1 - s_g g) (1 - s_d d)`` in 10k tce per quarter, ``e_i`` the firm's
    energy per unit of output without green or digital upgrade (10k tce per 100m yuan).
    """
    return output * intensity * (1.0 - green_saving * green) * (1.0 - digital_saving * digital)


def emissions(energy, factor: float, green, green_cut: float, park_kept):
    """CO2 ``= E f(t) (1 - c_g g) (1 - c_p G_park)`` in 10k tonnes per quarter.

    ``f(t)`` is the grid's emission factor; green capacity uses own clean energy (``c_g``) and
    a park's shared low-carbon energy cuts the rest: ``1 - c_p G_park`` (1 outside parks) is
    given as ``park_kept`` (:func:`park_kept`).
    """
    return energy * (factor * (1.0 - green_cut * green)) * park_kept


def park_kept(park_green: np.ndarray, park_cut: float) -> np.ndarray:
    """Share of emissions each park's shared low-carbon energy leaves, ``1 - c_p G_park``, with
    a last entry of 1 for firms outside parks (park index -1).
    """
    return np.append(1.0 - park_cut * park_green, 1.0)


def production_phase(model) -> None:
    """Phase 3: firms produce for their demand (rationed in an energy shortage); energy, CO2."""
    f, s = model.firms, model.config
    tech, en = s.technology, s.energy
    alpha = tech.capital_elasticity
    a_eff = effective_tfp(f.A, f.d, tech.digital_bonus)
    kappa = factor_ratio(model.wage * 1e-4, f.u / 4.0, alpha)
    y, _, _ = produce(f.yd, a_eff, f.K, f.L, kappa, alpha, s.labour.hiring_limit)
    ceiling, _, _ = produce(np.full_like(y, np.inf), a_eff, f.K, f.L, kappa, alpha,
                            s.labour.hiring_limit)
    y = serve_overflow(f.yd, y, ceiling, f.chain, model.n_chains)
    y, workers, z = produce(y, a_eff, f.K, f.L, kappa, alpha, s.labour.hiring_limit)
    cut = model.energy_cut()
    if cut > 0:  # what firms can make with the energy they get: produced as if demanded
        y, workers, z = produce(
            ration_energy(y, cut), a_eff, f.K, f.L, kappa, alpha, s.labour.hiring_limit
        )
    f.y, f.L, f.z = y, workers, z
    markets.record_sales(model)
    f.energy = energy_use(
        y, f.e, f.g, f.d, tech.green_energy_saving, tech.digital_energy_saving
    )
    f.co2 = emissions(
        f.energy,
        model.emission_factor(),
        f.g,
        en.green_emission_cut,
        park_kept(model.parks.green, en.park_green_cut)[f.park],
    )
