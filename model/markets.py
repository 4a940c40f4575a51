"""Phase 2 — the goods markets: Chongqing's share of each chain's outside market, and firms'
shares inside a chain.

Chongqing's chains sell on national and world markets of size ``M_c(t)`` growing at ``m_c``
a year at the start, a rate that halves every ``h_c`` years (an exogenous path; ``m_c = 0``
holds it flat) against rivals whose quality-adjusted price
follows its own path (:func:`model.pricing.rivals_competitiveness`). Chongqing's share moves
by partial adjustment from what it sold toward a logit of relative competitiveness; inside a
chain firms' shares follow the same logit rule as replicator dynamics on log competitiveness,
with idiosyncratic order shocks. This selection, not any calendar trend, is what moves output
between firms and chains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from chainshift.model import pricing, suppliers
from chainshift.model.arrays import blockwise
from chainshift.model.groups import group_sum


@dataclass
class ChainMarkets:
    """Chain-level market state (one entry per chain).

    Attributes:
        share: Chongqing's realised share ``S_c`` of the chain's market last quarter (sales).
        target: the logit share its competitiveness warrants this quarter.
        market0: market size at the initial state, real units per quarter.
        growth: market growth ``m_c`` per year at the start.
        maturity: half-life of that growth rate, years.
        eta: logit elasticity ``eta_c``.
        markup: ``mu_c`` (fixed at the start).
        rivals0: rivals' log competitiveness at the initial state.
        rival_price_growth: rivals' price path ``pi_c`` per year.
        log_frontier0: log of the rivals' productivity frontier at the initial state.
        frontier_growth: frontier path per year.
        expected_growth: firms' expected yearly growth of the chain's market.
        demand: orders to Chongqing's firms of the chain this quarter (after shocks), real units.
        local_orders: ``iota_c``, the part of the chain's start orders that came from
            Chongqing's firms of other chains (``model/suppliers.py``); the outside market is
            the rest.
        intermediate: ``D^I_c``, this quarter's orders from Chongqing's firms of other chains.
        output: what the chain produced last quarter, ``Y_c(t - 1)``.
        coefficients: ``a_sc``, real output of supplier chain ``s`` per unit of buyer chain
            ``c``'s (:func:`model.suppliers.real_coefficients`).
    """

    share: np.ndarray
    target: np.ndarray
    market0: np.ndarray
    growth: np.ndarray
    maturity: np.ndarray
    eta: np.ndarray
    markup: np.ndarray
    rivals0: np.ndarray
    rival_price_growth: np.ndarray
    log_frontier0: np.ndarray
    frontier_growth: np.ndarray
    expected_growth: np.ndarray
    demand: np.ndarray
    local_orders: np.ndarray | None = None
    intermediate: np.ndarray | None = None
    output: np.ndarray | None = None
    coefficients: np.ndarray | None = None
    _sizes: dict[float, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def market(self, years: float) -> np.ndarray:
        """Market size after ``years`` years: its log growth rate ``ln(1 + m_c)`` halves every
        ``h_c`` years (the market matures),
        ``ln M_c(t) = ln M_c0 + ln(1 + m_c) (h_c / ln 2) (1 - 2^(-t / h_c))``; a very long
        half-life keeps the rate, ``M_c0 (1 + m_c)^t``.

        The paths are fixed after set-up, so each quarter's sizes are computed once (phases and
        the recorder ask several times) and returned read-only.
        """
        size = self._sizes.get(years)
        if size is None:
            span = self.maturity / np.log(2.0) * -np.expm1(-np.log(2.0) * years / self.maturity)
            size = self.market0 * np.exp(np.log1p(self.growth) * span)
            size.flags.writeable = False
            if len(self._sizes) > 8:
                self._sizes.clear()
            self._sizes[years] = size
        return size

    def rivals(self, years: float) -> np.ndarray:
        """Rivals' log competitiveness after ``years`` years."""
        return pricing.rivals_competitiveness(self.rivals0, self.rival_price_growth, years)

    def log_frontier(self, years: float) -> np.ndarray:
        """Log productivity frontier ``ln F_c(t) = ln F_c0 + t ln(1 + f_c)``."""
        return self.log_frontier0 + years * np.log1p(self.frontier_growth)


def adjust_share(share, target, speed: float) -> np.ndarray:
    """Partial adjustment ``S' = S + theta (S* - S)``; stays in (0, 1) for ``theta`` in [0, 1]."""
    return share + speed * (target - share)


def expect(expected, realised, speed: float) -> np.ndarray:
    """Adaptive expectation of yearly market growth, ``g^e' = g^e + lambda (g - g^e)``."""
    return expected + speed * (realised - expected)


def yearly_volatility(rng: np.random.Generator, n: int, spread: float = 1.0) -> np.ndarray:
    """Each firm's order volatility for a year, ``v_i = (1 - w) + w sqrt(G_i)`` with
    turbulence ``G_i ~ Gamma(1/2, 2)`` (mean 1, variance 2) and ``w`` the volatility spread
    (``markets.volatility_spread``; ``w = 0`` makes every firm's shocks plain Gaussian, the
    negative control of the tent-shaped growth-rate fact).

    Most years a firm's orders are calm; in some, new products, new customers or lost contracts
    make them volatile. ``Gamma(1/2, 2)`` is the chi-square distribution with one degree of
    freedom, so ``v_i = |z_i|`` with ``z_i ~ N(0, 1)``.
    """
    v = np.abs(rng.standard_normal(n))
    if spread == 1.0:
        return v
    return (1.0 - spread) + spread * v


def order_shocks(rng: np.random.Generator, volatility: np.ndarray, sigma: float) -> np.ndarray:
    """Idiosyncratic quarterly demand shocks (log): ``sigma * v_i * z``, ``z ~ N(0, 1)``.

    Within a year the shocks are normal; across firms and years their variance ``G_i = v_i^2``
    is gamma distributed, so a firm's yearly growth is a normal scale mixture: fat-tailed and
    tent-shaped (Stanley et al. 1996; Bottazzi and Secchi 2006).
    """
    z = rng.standard_normal(volatility.shape[0])
    return np.multiply(sigma * volatility, z, out=z)


def replicator_shares(share, comp, chain, n_chains: int, speed: float, noise, centre,
                      out=None):
    """Firms' shares inside each chain.

    ``s_i' = s_i exp(chi (e_i - ebar_c) + sigma eps_i) / sum_{j in c} (same)``

    with ``ebar_c`` the chain's share-weighted log competitiveness (given as ``centre``; it
    cancels in the normalisation and only keeps the exponent near zero) and ``sigma eps_i``
    the order shock (``noise``). It is the logit share rule written for an incumbent: a firm's
    share moves with ``exp(chi (e_i - ebar))``. ``out`` may be ``share`` itself.
    """
    raw = attraction(share, comp, chain, speed, noise, centre)
    return np.multiply(raw, normaliser(raw, chain, n_chains)[chain], out=out)


def attraction(share, comp, chain, speed: float, noise, centre) -> np.ndarray:
    """``s_i exp(chi (e_i - ebar_c) + sigma eps_i)``, the numerator of
    :func:`replicator_shares`.
    """
    raw = comp - centre[chain]
    raw *= speed
    raw += noise
    raw = np.exp(raw, out=raw)
    raw *= share
    return raw


def normaliser(raw, chain, n_chains: int) -> np.ndarray:
    """``1 / sum_{j in c} raw_j`` of each chain (0 for a chain without firms)."""
    total = group_sum(raw, chain, n_chains)
    return np.divide(1.0, total, out=np.zeros(n_chains), where=total > 0)


def orders(share, target, speed: float) -> np.ndarray:
    """Chongqing's order share this quarter, ``S + theta (S* - S)``: customers move a share
    ``theta`` of the way from where Chongqing sold last quarter (``S``, its realised share)
    toward the logit share its competitiveness warrants. Orders it cannot serve go to rivals,
    so the realised share cannot outrun capacity.
    """
    return adjust_share(share, target, speed)


def planned_output(model) -> np.ndarray:
    """The output each firm plans capacity for, a year ahead.

    ``y^e_i = s_i [S_c + (1 - (1 - theta)^4) (S*_c - S_c)] M_c(t) (1 + g^e_c)``,

    its share of the orders Chongqing can expect in four quarters as customers keep moving
    toward the share its competitiveness warrants, at the market's expected growth. Firms
    anticipate the order flow instead of chasing it a quarter at a time.
    """
    f = model.firms
    return f.share * planned_orders(model)[f.chain]


def planned_orders(model) -> np.ndarray:
    """Orders each chain's firms plan for, a year ahead, as a share of the chain:
    ``[S_c + (1 - (1 - theta)^4) (S*_c - S_c)] (1 - iota_c) M_c(t) (1 + g^e_c)
    + l sum_c' a_cc' Y_c' (1 + g^e_c')``, the outside market's (see :func:`planned_output`)
    and local customers', who are expected to grow with their own markets.
    """
    cm = model.chain_markets
    ahead = 1.0 - (1.0 - model.config.markets.share_adjustment) ** 4
    share = cm.share + ahead * np.maximum(cm.target - cm.share, -cm.share)
    local = suppliers.intermediate_orders(cm.coefficients, model.config.suppliers.local_share,
                                          cm.output * (1.0 + cm.expected_growth))
    return share * outside_market(cm, model.years) * (1.0 + cm.expected_growth) + local


def outside_market(cm: ChainMarkets, years: float) -> np.ndarray:
    """The outside market Chongqing's share applies to, ``(1 - iota_c) M_c(t)``."""
    return (1.0 - cm.local_orders) * cm.market(years)


def local_customers(model) -> np.ndarray:
    """``D^I_c = l sum_c' a_cc' Y_c'(t - 1)``: orders of Chongqing's firms of other chains
    (:func:`model.suppliers.intermediate_orders`).
    """
    cm = model.chain_markets
    return suppliers.intermediate_orders(cm.coefficients,
                                         model.config.suppliers.local_share, cm.output)


def clear_goods_markets(model) -> None:
    """Phase 2: Chongqing's order share, chain demand with shocks, firms' shares and orders.

    ``S*_c = logit(eta_c (e_c - e*_c(t)))``, ``D_c = (S_c + theta (S*_c - S_c)) (1 - iota_c)
    M_c(t) shock_c(t) + D^I_c``, ``y^D_i = s_i' D_c``; ``S_c`` is the share of the outside
    market Chongqing sold last quarter (:func:`record_sales`) and ``D^I_c`` local customers'
    orders (:func:`local_customers`).
    """
    f, mk, cm = model.firms, model.config.markets, model.chain_markets
    nc = model.n_chains
    comp = model.competitiveness
    e_chain = group_sum(comp * f.share, f.chain, nc)
    cm.target = pricing.logit_share(e_chain, cm.rivals(model.years), cm.eta)
    market = cm.market(model.years)
    cm.intermediate = local_customers(model)
    cm.demand = (orders(cm.share, cm.target, mk.share_adjustment) * (1.0 - cm.local_orders)
                 * market * model.shock() + cm.intermediate)
    # expected market growth, adaptive on the market's realised growth (annual rate)
    realised = (market / cm.market(model.years - 0.25)) ** 4 - 1.0
    cm.expected_growth = expect(cm.expected_growth, realised, mk.expectation_speed)

    rng = model.streams["demand"]
    if model.t % 4 == 0:
        f.vol = yearly_volatility(rng, len(f), mk.volatility_spread)
    noise = order_shocks(rng, f.vol, mk.demand_noise)
    # replicator_shares and orders, on blocks of rows
    (raw,) = blockwise(lambda rows: (attraction(
        f.share[rows], comp[rows], f.chain[rows], mk.replicator_speed, noise[rows], e_chain),),
        len(f))
    scale = normaliser(raw, f.chain, nc)
    blockwise(lambda rows: place_orders(model, rows, raw, scale), len(f))


def place_orders(model, rows: slice, raw, scale) -> tuple:
    """Firms' new shares ``s_i' = raw_i scale_c`` and orders ``y^D_i = s_i' D_c`` for the firms
    in ``rows`` (:func:`replicator_shares`).
    """
    f = model.firms
    chain = f.chain[rows]
    share = np.multiply(raw[rows], scale[chain], out=f.share[rows])
    np.multiply(share, model.chain_markets.demand[chain], out=f.yd[rows])
    return ()


def record_sales(model) -> None:
    """After production: Chongqing's realised share of its outside markets,
    ``S = Y_c (1 - D^I_c / D_c) / ((1 - iota_c) M_c shock_c)`` (local and outside customers'
    orders are served alike; a shock lowers orders this quarter, not the share customers
    return to), and each chain's output ``Y_c``, which sets its suppliers' orders next quarter.
    """
    f, cm = model.firms, model.chain_markets
    sold = group_sum(f.y, f.chain, model.n_chains)
    model.quarter_values.chain_firms = firms = np.bincount(f.chain, minlength=model.n_chains)
    present = firms > 0
    market = outside_market(cm, model.years) * model.shock()
    outside = sold * (1.0 - np.divide(cm.intermediate, cm.demand, out=np.zeros_like(sold),
                                      where=cm.demand > 0))
    cm.share = np.where(present & (market > 0), outside / np.where(market > 0, market, 1.0),
                        cm.share)
    cm.output = sold
