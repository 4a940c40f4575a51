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

from chainshift.model import markets
from chainshift.model.arrays import blockwise, ratio_or_zero
from chainshift.model.groups import group_sum


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

    def kappa_power(self, wage: float, alpha: float, power: float,
                    part: slice | None = None) -> np.ndarray:
        """``kappa_i^power`` for every firm (or the rows ``part``):
        ``kappa_0^power (u_0 / u_i)^power`` with ``kappa_0 = alpha w / ((1 - alpha) u_0)`` at the
        base user cost ``u_0``.
        """
        lo, hi, _ = (part or slice(None)).indices(self.quarterly.shape[0])
        out = np.full(hi - lo, self._base_power(wage, alpha, power))
        lo, (i, j) = self._rows_in(part)
        if j > i:
            out[self.rows[i:j] - lo] *= self.ratio[i:j] ** power
        return out

    def times_kappa_power(self, x: np.ndarray, wage: float, alpha: float, power: float,
                          part: slice | None = None) -> np.ndarray:
        """``x_i kappa_i^power`` for the rows ``part`` (``x`` holds those rows): the same
        numbers as ``x * kappa_power(...)``.
        """
        base = self._base_power(wage, alpha, power)
        out = x * base
        lo, (i, j) = self._rows_in(part)
        if j > i:
            rows = self.rows[i:j] - lo
            out[rows] = x[rows] * (base * self.ratio[i:j] ** power)
        return out

    def _rows_in(self, part: slice | None) -> tuple[int, tuple[int, int]]:
        """First row of ``part`` and the range of :attr:`rows` inside it."""
        n = self.quarterly.shape[0]
        lo, hi, _ = (part or slice(None)).indices(n)
        if (lo, hi) == (0, n):
            return 0, (0, self.rows.size)
        i, j = np.searchsorted(self.rows, (lo, hi))
        return lo, (int(i), int(j))

    def _base_power(self, wage: float, alpha: float, power: float) -> float:
        return float(factor_ratio(wage, self.base, alpha)) ** power


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
    unmet, room = unserved(demand, output, ceiling)
    fill = fill_rate(group_sum(unmet, chain, n_chains), group_sum(room, chain, n_chains))
    return output + fill[chain] * room


def unserved(demand, output, ceiling) -> tuple[np.ndarray, np.ndarray]:
    """Each firm's unmet orders ``max(y^D - y, 0)`` and spare room ``max(ybar - y, 0)``."""
    return np.maximum(demand - output, 0.0), np.maximum(ceiling - output, 0.0)


def fill_rate(unmet, spare) -> np.ndarray:
    """Share of its spare capacity each chain's firms run for the chain's unmet orders,
    ``min(1, U_c / R_c)`` (0 where nothing is spare).
    """
    return np.minimum(1.0, np.divide(unmet, spare, out=np.zeros(unmet.shape[0]), where=spare > 0))


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

    Runs on blocks of rows (:func:`model.arrays.blockwise`): capacity and first output
    (:func:`plan_output`), the chains' overflow, then output, employment and energy
    (:func:`run_output`). Keeps for later phases of the quarter
    (:class:`model.quarter.QuarterValues`): the user costs, ``1 + b d``, ``1 - s_d d`` and each
    firm's park's ``1 - c_p G_park``.
    """
    f, fin, qv = model.firms, model.config.finance, model.quarter_values
    n, nc = len(f), model.n_chains
    qv.user_costs = UserCosts.of(f.u / 4.0, (fin.interest_rate + fin.depreciation) / 4.0)
    plan = blockwise(lambda rows: plan_output(model, rows), n)
    qv.digital_factor, _, _, _, unmet, room = plan
    fill = fill_rate(group_sum(unmet, f.chain, nc), group_sum(room, f.chain, nc))
    qv.digital_saving, qv.park_kept = blockwise(lambda rows: run_output(model, rows, plan, fill),
                                                n)
    markets.record_sales(model)


def plan_output(model, rows: slice):
    """Capacity and first output of the firms in ``rows``.

    ``A' = A (1 + b d)``; output per worker ``A' kappa^alpha`` and capacity
    ``ybar = A' K kappa^(alpha - 1)`` at the planning wage; the most a firm can make
    (:func:`ceiling`); its own orders served, ``min(y^D, most)``, and what is left unmet and
    spare (:func:`unserved`).

    Returns:
        (1 + b d, output per worker, capacity, output from own orders, unmet orders, spare room)
    """
    f, s, qv = model.firms, model.config, model.quarter_values
    tech, alpha = s.technology, s.technology.capital_elasticity
    digital = 1.0 + tech.digital_bonus * f.d[rows]
    a_eff = f.A[rows] * digital  # effective_tfp
    costs, wage = qv.user_costs, model.planning_wage * 1e-4
    per_worker = costs.times_kappa_power(a_eff, wage, alpha, alpha, rows)
    ybar = costs.times_kappa_power(a_eff * f.K[rows], wage, alpha, alpha - 1.0, rows)
    # workers a power cut laid off last quarter are recalled, not hired anew: the limit counts
    # from the workforce before rationing, so a long shortage does not compound
    recalled = 1.0 / (1.0 - model.energy_cut(model.t - 1))
    most = ceiling(ybar, per_worker, f.L[rows] * recalled, s.labour.hiring_limit)
    demand = f.yd[rows]
    output = np.minimum(demand, most)
    unmet, room = unserved(demand, output, most)
    return digital, per_worker, ybar, output, unmet, room


def run_output(model, rows: slice, plan, fill: np.ndarray):
    """Output, workers, utilisation, energy and CO2 of the firms in ``rows``, with the chains'
    overflow ``fill`` (:func:`serve_overflow`) and any energy shortage (:func:`ration_energy`);
    ``plan`` is :func:`plan_output` of all firms.

    Returns:
        (``1 - s_d d``, the firm's park's ``1 - c_p G_park``)
    """
    f, s = model.firms, model.config
    tech, en = s.technology, s.energy
    _, per_worker, ybar, output, _, room = (a[rows] for a in plan)
    y = output + fill[f.chain[rows]] * room
    cut = model.energy_cut()
    if cut > 0:
        y = ration_energy(y, cut)
    y, f.L[rows], f.z[rows] = employ(y, per_worker, ybar)
    f.y[rows] = y
    digital_saving = 1.0 - tech.digital_energy_saving * f.d[rows]
    green = f.g[rows]
    # energy_use, with its digital factor kept for investment
    energy = np.multiply(y * f.e[rows] * (1.0 - tech.green_energy_saving * green),
                         digital_saving, out=f.energy[rows])
    kept = park_kept(model.parks.green, en.park_green_cut)[f.park[rows]]
    f.co2[rows] = emissions(energy, model.emission_factor(), green, en.green_emission_cut, kept)
    return digital_saving, kept
