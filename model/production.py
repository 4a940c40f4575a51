"""Phase 3 — production: capital utilisation, employment, output, energy and CO2.

Technology is Cobb-Douglas in capital services and labour,
``Y = A' (z K)^alpha L^(1 - alpha)``, with effective TFP ``A' = A (1 + b d)`` (digital level
``d``) and utilisation ``z`` in [0, 1]. A firm runs its capital with the cost-minimising labour
``L = z K / kappa``, ``kappa = alpha w / ((1 - alpha) u)`` at last quarter's wage, so its
capacity is ``ybar = A' K kappa^(alpha - 1)``; output is the lesser of demand and capacity
(and of what the hiring limit allows), ``y = min(y^D, ybar)``. Orders a firm cannot serve go to
firms of its chain with spare capacity; what the chain cannot serve is lost to rivals: a firm
short of capital has a marginal return on capital far above its user cost, and that return is
what drives factor-input growth until capacity catches up with demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import markets
from model.arrays import ratio_or_zero
from model.groups import group_sum


def effective_tfp(tfp, digital, bonus: float) -> np.ndarray:
    """``A' = A (1 + b d)``: TFP including the capacity gain of digital tools."""
    return tfp * (1.0 + bonus * digital)


def factor_ratio(wage: float, user_cost, alpha: float) -> np.ndarray:
    """Cost-minimising capital services per worker, ``kappa = alpha w / ((1 - alpha) u)``
    (100m yuan of capital per worker; ``w`` in 100m yuan per worker and ``u`` per quarter).
    """
    return (alpha / (1.0 - alpha)) * wage / user_cost


def kappa_power(wage: float, user_cost, base_cost: float, alpha: float, power: float):
    """``kappa_i^power`` for every firm: ``kappa_0^power (u_0 / u_i)^power`` with ``kappa_0`` at
    the base user cost; the per-firm power is taken only where a firm's user cost differs
    (promoted capital), which keeps this one scalar power for most firms.
    """
    return UserCosts.of(user_cost, base_cost).kappa_power(wage, alpha, power)


@dataclass
class UserCosts:
    """Firms' quarterly user cost of capital ``u_i / 4`` against the base ``(r + delta) / 4``.

    Only firms with promoted capital (``Kp > 0``) have a user cost below the base; their rows
    and ``base / (u_i / 4)`` are kept so that every power of ``kappa`` is one scalar power and a
    correction on those rows (:meth:`kappa_power`).
    """

    quarterly: np.ndarray
    base: float
    rows: np.ndarray
    ratio: np.ndarray

    @classmethod
    def of(cls, quarterly: np.ndarray, base: float) -> UserCosts:
        """From the firms' quarterly user costs and the base user cost."""
        rows = np.flatnonzero(quarterly != base)
        return cls(quarterly, base, rows, base / quarterly[rows])

    def kappa_power(self, wage: float, alpha: float, power: float) -> np.ndarray:
        """``kappa_i^power`` for every firm: ``kappa_0^power (u_0 / u_i)^power`` with
        ``kappa_0 = alpha w / ((1 - alpha) u_0)`` at the base user cost ``u_0``.
        """
        out = np.full(self.quarterly.shape[0], float(factor_ratio(wage, self.base, alpha)) ** power)
        if self.rows.size:
            out[self.rows] *= self.ratio**power
        return out


def capacity(tfp_eff, capital, kappa, alpha: float) -> np.ndarray:
    """Normal capacity: output at full utilisation with the cost-minimising labour,
    ``ybar = A' K kappa^(alpha - 1)``.
    """
    return tfp_eff * capital * kappa ** (alpha - 1.0)


def produce(demand, tfp_eff, capital, labour, kappa, alpha: float, hiring_limit: float):
    """Output, workers and utilisation for this quarter's demand.

    ``y = min(y^D, ybar, A' kappa^alpha (1 + h) L_prev)``, ``L = (y / A') kappa^-alpha``,
    ``z = y / ybar``: capital services and labour in the cost-minimising ratio at every level
    of use; a firm can raise its workforce by at most ``h`` a quarter. (The phase computes
    the same with the powers of ``kappa`` formed once, :func:`production_phase`.)

    Returns:
        (output, workers, utilisation)
    """
    per_worker = tfp_eff * kappa**alpha
    ybar = per_worker * capital / kappa
    return employ(np.minimum(demand, ceiling(ybar, per_worker, labour, hiring_limit)),
                  per_worker, ybar)


def ceiling(ybar, per_worker, labour, hiring_limit: float) -> np.ndarray:
    """Most a firm can make this quarter: ``min(ybar, (1 + h) L_prev A' kappa^alpha)``."""
    return np.minimum(ybar, (1.0 + hiring_limit) * labour * per_worker)


def employ(output, per_worker, ybar) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Workers ``L = y / (A' kappa^alpha)`` and utilisation ``z = y / ybar`` for ``output``.

    Returns:
        (output, workers, utilisation)
    """
    workers = ratio_or_zero(output, per_worker)
    z = ratio_or_zero(output, ybar)
    return output, workers, np.minimum(z, 1.0, out=z)  # 1 up to rounding


def serve_overflow(demand, output, ceiling, chain, n_chains: int) -> np.ndarray:
    """Orders a firm cannot serve go first to firms of its chain with spare capacity, in
    proportion to their spare capacity; only what the chain cannot serve is lost to rivals.

    With unmet orders ``U_c = sum max(y^D - y, 0)`` and spare capacity
    ``R_c = sum (ybar - y)`` of the firms below it:
    ``y_i' = y_i + min(1, U_c / R_c) (ybar_i - y_i)``.
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
    """Phase 3: firms produce for their orders (overflow served in the chain, rationed in an
    energy shortage); employment, utilisation, energy and CO2; the realised market shares.

    Keeps for later phases of the quarter (:class:`model.quarter.QuarterValues`): the user
    costs, ``1 + b d``, ``1 - s_d d`` and each firm's park's ``1 - c_p G_park``.
    """
    f, s, qv = model.firms, model.config, model.quarter_values
    tech, en, fin = s.technology, s.energy, s.finance
    alpha = tech.capital_elasticity
    qv.digital_factor = 1.0 + tech.digital_bonus * f.d
    a_eff = f.A * qv.digital_factor  # effective_tfp
    qv.user_costs = costs = UserCosts.of(f.u / 4.0, (fin.interest_rate + fin.depreciation) / 4.0)
    wage = model.planning_wage * 1e-4
    per_worker = a_eff * costs.kappa_power(wage, alpha, alpha)
    ybar = a_eff * f.K * costs.kappa_power(wage, alpha, alpha - 1.0)
    most = ceiling(ybar, per_worker, f.L, s.labour.hiring_limit)
    y = serve_overflow(f.yd, np.minimum(f.yd, most), most, f.chain, model.n_chains)
    cut = model.energy_cut()
    if cut > 0:
        y = ration_energy(y, cut)
    f.y, f.L, f.z = employ(y, per_worker, ybar)
    markets.record_sales(model)
    qv.digital_saving = 1.0 - tech.digital_energy_saving * f.d
    # energy_use, with its digital factor kept for investment
    np.multiply(f.y * f.e * (1.0 - tech.green_energy_saving * f.g), qv.digital_saving,
                out=f.energy)
    qv.park_kept = park_kept(model.parks.green, en.park_green_cut)[f.park]
    f.co2 = emissions(f.energy, model.emission_factor(), f.g, en.green_emission_cut, qv.park_kept)
