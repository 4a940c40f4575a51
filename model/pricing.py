"""Phase 1 — prices from last quarter's unit costs, and competitiveness in levels.

Firms set ``p_i = (1 + mu_c) c_i`` on the unit cost ``c_i`` of the quarter before (no markup
rule that feeds back within a quarter). The markup is fixed per chain by the logit demand
system at the chain's starting share, ``mu_c = 1 / (eta_c (1 - s_c0) - 1)``. Competitiveness
is quality per unit of price in logs, so a carbon price or a wage rise is a level
disadvantage whenever it starts.
"""

from __future__ import annotations

import numpy as np

from chainshift.model.arrays import blockwise


def markup(eta: np.ndarray, start_share: np.ndarray) -> np.ndarray:
    """Markup of each chain, ``mu = 1 / (eta (1 - s0) - 1)``: the profit-maximising markup of
    a firm facing the logit demand elasticity ``eta (1 - s)`` at Chongqing's starting share.
    """
    return 1.0 / (eta * (1.0 - start_share) - 1.0)


def unit_cost(labour_cost, capital_cost, rd_cost, energy_cost, output, previous) -> np.ndarray:
    """Unit cost ``c_i = (w L + u z K + (1 - s) w_R H + (p_E + p_C f) E) / Y``.

    Capital is costed on the services used (``u z K``, utilisation ``z``), so a firm with idle
    capacity prices on its normal cost; a firm short of capital (``z = 1``, more labour per
    unit of capital than is cost-minimising) has a higher unit cost. A firm with no output
    keeps its ``previous`` unit cost.
    """
    return unit_cost_from(labour_cost + capital_cost + rd_cost + energy_cost, output,
                          out=previous.copy())


def unit_cost_from(total, output, out) -> np.ndarray:
    """``c_i = total_i / y_i`` into ``out``, which keeps its value where ``y_i = 0``."""
    positive = output > 0
    if positive.all():
        return np.divide(total, output, out=out)
    return np.divide(total, output, out=out, where=positive)


def prices(unit_cost: np.ndarray, chain_markup: np.ndarray) -> np.ndarray:
    """``p_i = (1 + mu_c) c_i`` (real units: a chain's start-year price index is 1)."""
    return (1.0 + chain_markup) * unit_cost


def competitiveness(price: np.ndarray, design: np.ndarray) -> np.ndarray:
    """Log competitiveness ``e_i = ln(1 + q_i) - ln p_i``: design quality per unit of price."""
    out = np.log1p(design)
    out -= np.log(price)
    return out


def logit_share(e_chain: np.ndarray, e_rivals: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """Chongqing's target share of each chain's market,
    ``s*_c = 1 / (1 + exp(-eta_c (e_c - e*_c)))``: a binary logit of its share-weighted log
    competitiveness ``e_c`` against the rivals' ``e*_c``. Always below 1.
    """
    return 1.0 / (1.0 + np.exp(-eta * (e_chain - e_rivals)))


def rivals_competitiveness(e_start: np.ndarray, price_growth: np.ndarray, years: float):
    """Rivals' log competitiveness ``e*_c(t) = e*_c0 - ln(1 + pi_c) t``: their
    quality-adjusted price follows the exogenous path ``P*_c0 (1 + pi_c)^t``.
    """
    return e_start - np.log1p(price_growth) * years


def set_prices(model) -> None:
    """Phase 1: prices from last quarter's unit costs, and each firm's log competitiveness."""
    f = model.firms
    factor = 1.0 + model.chain_markets.markup

    def price(rows: slice) -> tuple[np.ndarray]:
        p = np.multiply(factor[f.chain[rows]], f.c[rows], out=f.p[rows])  # prices()
        return (competitiveness(p, f.q[rows]),)

    (model.competitiveness,) = blockwise(price, len(f))
