"""Phase 10 — exit of failing firms, then entry from incubation and growth past the size line.

Firms exit with negative net worth, after a run of loss quarters, or at random; their market
share is redistributed by renormalisation. Entrants build on a parent firm of a growing chain
(spin-offs and start-ups): they take its chain, technology (TFP times noise), digital level,
green share and energy intensity, start at ``finance.entrant_size`` times the chain's mean
share, and install the cost-minimising capital for that demand. Parks admit them by their
standards and they choose among the parks that do (:func:`model.parks.settle`).
"""

from __future__ import annotations

import numpy as np

from chainshift.model import markets, mobility, parks
from chainshift.model.arrays import blockwise
from chainshift.model.groups import group_sum
from chainshift.model.production import effective_tfp, factor_ratio
from chainshift.model.setup import neighbourhood

EXIT_BY_SIZE = np.array([0.1, 0.5, 1.0, 1.0])
"""Random exit hazard of large, medium, small and micro firms relative to ``exit_hazard``."""

MAX_INCUBATION = 3.0
"""Largest incubator capacity relative to the start that raises entry (new centres add
incubators; entry does not compound with them beyond this)."""


def exits(rng: np.random.Generator, net_worth, losses, max_losses: int, hazard) -> np.ndarray:
    """Firms leaving: negative net worth, ``max_losses`` loss quarters in a row, or a random
    exit with probability ``hazard`` (per firm).
    """
    return leaving(rng.random(net_worth.shape[0]), net_worth, losses, max_losses, hazard)


def leaving(u, net_worth, losses, max_losses: int, hazard) -> np.ndarray:
    """:func:`exits` with the uniform draws ``u`` given."""
    return (net_worth < 0) | (losses >= max_losses) | (u < hazard)


def entry_count(rng: np.random.Generator, scale: int, rate: float, incubation: float) -> int:
    """Entrants this quarter ``~ Poisson(rate * N0 * (0.5 + 0.5 * incubation))``.

    ``N0`` is the scenario's starting number of enterprises: the flow of start-ups and of firms
    growing past the size threshold comes from the region's economy and its incubators, not
    from the firms already on the list, so entry cannot compound. Half of it comes from
    institutes' incubators and scales with their capacity (``incubation``); half is firms
    growing past the size threshold on their own. With exits proportional to the number of
    firms, the population tends to ``entry / exit rate``.
    """
    return int(rng.poisson(rate * scale * (0.5 + 0.5 * incubation)))


def pick_parents(rng: np.random.Generator, weight: np.ndarray, k: int) -> np.ndarray:
    """Rows of ``k`` parent firms drawn with probability proportional to ``weight``.

    Entrants are spin-offs and start-ups built on the technology of firms in growing chains:
    the weight is value added times ``1 + 5 max(g^e_c, 0)`` (the chain's expected growth).
    """
    cdf = np.cumsum(weight)
    return np.minimum(np.searchsorted(cdf, rng.random(k) * cdf[-1], side="right"), weight.size - 1)


def exit_and_enter(model) -> None:
    """Phase 10: exits (losses, negative net worth, random) then entry."""
    f, s = model.firms, model.config
    fin = s.finance
    u = model.streams["exit"].random(len(f))  # exits(), on blocks of rows
    hazard = fin.exit_hazard * EXIT_BY_SIZE
    (gone,) = blockwise(lambda rows: (leaving(
        u[rows], f.K[rows] + f.M[rows] - f.D[rows], f.losses[rows], fin.exit_losses,
        hazard.take(f.size[rows])),), len(f))
    model.exits = int(np.count_nonzero(gone))
    chain_share = np.ones(model.n_chains)
    if model.exits:
        dead = np.flatnonzero(gone)
        chain_share -= group_sum(f.share[dead], f.chain[dead], model.n_chains)
        model.closed_staff = mobility.Departed.of(f, dead)
        model.remove_firms(dead)
    f.age += 1

    rng = model.streams["entry"]
    inst = model.institutes
    incubation = model.policy.incubation * min(
        MAX_INCUBATION, float(inst.incubator.sum()) / model.initial_incubators
    )
    k = entry_count(rng, s.population.enterprises, fin.entry_rate, incubation) if len(f) else 0
    model.entries = k
    if k > 0:
        growth = np.maximum(model.chain_markets.expected_growth, 0.0)
        parents = pick_parents(rng, f.va * (1.0 + 5.0 * growth)[f.chain], k)
        incubated = 0.5 * incubation / (0.5 + 0.5 * incubation)
        chain_share += enter(model, parents, rng, incubated, chain_share)
    if model.exits or k:
        f.share /= np.where(chain_share > 0, chain_share, 1.0)[f.chain]


def enter(model, parent, rng, incubated: float, chain_share) -> np.ndarray:
    """Add entrants, each carrying the technology of a parent firm of its chain.

    An entrant's TFP is its parent's times ``exp(0.15 eps)``, and for the share ``incubated``
    of entrants that come from institutes' incubators also ``exp(D_parent / 2)``: they close
    half their parent's log gap to best practice with institute technology. Its share is
    ``entrant_size`` times its chain's mean share; it prices like its parent, installs
    ``K = (y / A') kappa^(1 - alpha)`` and hires ``L = (y / A') kappa^(-alpha)`` (no capital
    gap), holds the cash buffer and borrows at target leverage.

    Returns:
        The market share entrants add to each chain.
    """
    f, s = model.firms, model.config
    tech, fin = s.technology, s.finance
    k = parent.size
    alpha = tech.capital_elasticity
    chain = f.chain[parent]
    counts = np.bincount(f.chain, minlength=model.n_chains)
    share = s.finance.entrant_size / np.maximum(counts[chain], 1) * chain_share[chain]
    demand = share * model.chain_markets.demand[chain]
    # incubated start-ups bring institute technology: they close half their parent's gap to
    # the frontier; other entrants build on their parent's technology
    gap = np.maximum(0.0, model.best_practice[chain] - np.log(f.A[parent]))
    from_incubator = rng.random(k) < incubated
    tfp = f.A[parent] * np.exp(0.15 * rng.standard_normal(k) + 0.5 * gap * from_incubator)
    d, g, e, price = f.d[parent], f.g[parent], f.e[parent], f.p[parent]
    a_eff = effective_tfp(tfp, d, tech.digital_bonus)
    u = fin.interest_rate + fin.depreciation
    kappa = factor_ratio(model.planning_wage * 1e-4, u / 4.0, alpha)
    capital = demand / a_eff * kappa ** (1.0 - alpha)
    workers = demand / a_eff * kappa ** (-alpha)
    rho = f.rho[parent] * np.exp(0.5 * rng.standard_normal(k) - 0.125)
    rd = rho * price * demand
    cost = price / (1.0 + model.chain_markets.markup[chain])
    cash = fin.cash_buffer * cost * demand
    n_parks = len(model.parks)
    park, paid = parks.settle(model, rng, chain, tfp, g)
    model.add_firms(
        {
            "chain": chain, "park": park, "hood": neighbourhood(park, chain, n_parks),
            "size": 3, "K": capital, "L": workers, "A": tfp, "d": d, "g": g, "e": e,
            "share": share, "y": demand, "yd": demand, "p": price, "c": cost, "u": u,
            "z": 1.0, "rd": rd, "rho": rho,
            "H": (1.0 - fin.contract_share) * rd * 1e4 / model.rd_wage,
            "know": rd / (tech.knowledge_depreciation / 4.0),
            "M": cash, "D": fin.target_leverage * (capital + cash) * 0.7,
            "va": price * demand, "vol": markets.yearly_volatility(
                rng, k, model.config.markets.volatility_spread),
        },
        k,
    )
    entrants = np.arange(len(model.firms) - k, len(model.firms))
    model.ledger.add_pairs("technology", "institute", "enterprise", incubated * demand,
                           dst_rows=entrants, total=incubated * float(demand.sum()))
    inside = park >= 0
    model.ledger.add_pairs("capital", "enterprise", "park", paid[inside],
                           src_rows=entrants[inside], dst_rows=park[inside])
    return group_sum(share, chain, model.n_chains)
