"""Phase 1 — demand: chain demand paths and replicator market shares.

The selection here (above-average firms gain share) is what produces fat-tailed firm sizes and
tent-shaped firm growth rates.
"""

from __future__ import annotations

import numpy as np

from model.groups import group_mean, group_sum


def chain_demand(
    demand: np.ndarray,
    trend: np.ndarray,
    tfp_ratio: np.ndarray,
    elasticity: np.ndarray,
) -> np.ndarray:
    """Advance each chain's real demand by one quarter (shocks are applied separately).

    ``D_c' = D_c * (1 + g_c)^(1/4) * (Abar_c' / Abar_c)^eps_c``

    where ``g_c`` is the chain's trend growth per year and the last factor passes the fall in
    the chain's unit cost (the rise of its mean TFP ``Abar_c``) through to demand with price
    elasticity ``eps_c``.
    """
    return demand * (1.0 + trend) ** 0.25 * np.power(tfp_ratio, elasticity)


def log_quality(log_tfp: np.ndarray, design: np.ndarray) -> np.ndarray:
    """What a firm offers per unit of cost, in logs: ``ln A_i + ln(1 + q_i)``.

    ``ln A`` is log TFP (given in logs, as the caller reuses it), ``q`` design quality from
    industrial design centres.
    """
    return log_tfp + np.log1p(design)


def competitiveness(quality: np.ndarray, cost_share: np.ndarray) -> np.ndarray:
    """Competitiveness ``E_i = ln A_i + ln(1 + q_i) - c_i``, from :func:`log_quality` and the
    energy and carbon cost per unit of value added ``c``.
    """
    return quality - cost_share


def yearly_volatility(rng: np.random.Generator, n: int) -> np.ndarray:
    """Each firm's order volatility for a year, ``v_i = sqrt(G_i)`` with turbulence
    ``G_i ~ Gamma(1/2, 2)`` (mean 1, variance 2).

    Most years a firm's orders are calm; in some, new products, new customers or lost contracts
    make them volatile. ``Gamma(1/2, 2)`` is the chi-square distribution with one degree of
    freedom, so ``v_i = |z_i|`` with ``z_i ~ N(0, 1)`` (a quarter of the cost of a gamma draw).
    """
    return np.abs(rng.standard_normal(n))


def order_shocks(rng: np.random.Generator, volatility: np.ndarray, sigma: float) -> np.ndarray:
    """Idiosyncratic quarterly demand shocks (log): ``sigma * v_i * z``, ``z ~ N(0, 1)``.

    Within a year the shocks are normal; across firms and years their variance ``G_i = v_i^2``
    is gamma distributed, so a firm's yearly growth is a normal scale mixture (excess kurtosis
    6 within a calendar year): the fat-tailed, tent-shaped distribution of firm growth rates
    (Stanley et al. 1996; Bottazzi and Secchi 2006).
    """
    return sigma * volatility * rng.standard_normal(volatility.shape[0])


def replicator_shares(
    share: np.ndarray,
    comp: np.ndarray,
    chain: np.ndarray,
    n_chains: int,
    speed: float,
    noise: np.ndarray,
    centre: np.ndarray | None = None,
) -> np.ndarray:
    """Replicator dynamics on market shares within each chain.

    ``s_i' = s_i * exp(chi * (E_i - Ebar_c) + sigma * eps_i) / sum_{j in c} (same)``

    with ``Ebar_c`` the share-weighted mean competitiveness of chain ``c`` and
    ``sigma * eps_i`` (given as ``noise``) an idiosyncratic demand shock. ``Ebar_c`` cancels
    in the normalisation; it only keeps the exponent near zero, so a caller that already has a
    chain-level mean may pass it as ``centre``.
    """
    if centre is None:
        centre = group_mean(comp, chain, n_chains, weights=share)
    raw = share * np.exp(speed * (comp - centre[chain]) + noise)
    total = group_sum(raw, chain, n_chains)
    return raw / total[chain]
