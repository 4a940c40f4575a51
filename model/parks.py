"""Parks that decide: a budget, spending on services and infrastructure by their tenants'
needs, a land price that answers occupancy, and admission of entrants.

Each quarter (phase 8b) a park

- receives the municipal transfer for the plan's infrastructure programme, earmarked: each
  level ``x`` in services ``S``, digital ``D`` and green ``G`` rises by ``(r / 4) (1 - x)`` at
  the policy rate ``r`` (``policy.park_services``, ``digital_infrastructure``,
  ``green_infrastructure``) and the transfer is its cost ``c_I`` per unit of level;
- keeps a share ``tau`` of its tenants' taxes, ``tau t VA_p`` (``parks.tax_retention``, ``t``
  the tax rate on value added), and the land sales of the quarter, ``p_L v n_p`` (land price
  index ``p_L``, plot price ``v``, plots sold ``n_p``, phase 10);
- spends the share ``sigma`` of its budget ``B`` on its own programme, split over services,
  digital and green by its tenants' needs (:func:`needs`), each part raising its level by
  ``spend / c_I`` up to 1 (what a full level cannot use stays in the budget);
- moves its land price by its occupancy ``o_p`` (tenants over plots),
  ``p_L' = p_L exp(phi (o_p - o*))``, dearer when land is scarce, cheaper when it is empty.

So ``B' = B + tau t VA_p + p_L v n_p - X_p``, with ``X_p`` the own programme's spending; the
earmarked transfer passes through (it is spent as it arrives).

At entry (phase 10) a park admits an entrant whose green share of capital reaches its
standard and whose TFP reaches its productivity standard relative to its chain's median, and,
if the entrant is not of its focus chain, only while free land exceeds the reserve it keeps
for that chain (:func:`admissible`). Entrants choose among the parks that admit them with
weight ``(1 + 2 [focus_p = c]) (1 + S_p) p_L,p^(-epsilon)`` (:func:`choose_parks`); promoted
investment projects weigh parks the same way (:func:`attraction`).
"""

from __future__ import annotations

import numpy as np

from chainshift.model.adoption import neighbourhood_mean
from chainshift.model.groups import group_sum

PRICE_BOUNDS = (0.1, 10.0)
"""Range of the land price index (a park neither gives land away nor prices itself out)."""

LEVELS = ("service", "digital", "green")
"""The park levels a park spends on, in the order of :func:`needs`."""


def needs(service, tenants_digital, tenants_green) -> np.ndarray:
    """Each park's needs ``(1 - S_p, 1 - d_p, 1 - g_p)``, shape (parks, 3): the service gap,
    its tenants' value-added-weighted digital gap and their green gap (capital-weighted).
    """
    return np.column_stack((1.0 - service, 1.0 - tenants_digital, 1.0 - tenants_green))


def split(spend, need) -> np.ndarray:
    """The own programme ``X_p`` split over the levels in proportion to the needs:
    ``X_pk = X_p n_pk / sum_k n_pk`` (equal parts where a park needs nothing).
    """
    total = need.sum(axis=1, keepdims=True)
    share = np.divide(need, total, out=np.full_like(need, 1.0 / need.shape[1]),
                      where=total > 0)
    return spend[:, None] * share


def raise_level(level, spend, cost: float) -> tuple[np.ndarray, np.ndarray]:
    """A level after spending: ``x' = min(1, x + spend / c_I)``.

    Returns:
        The new level and the spending used, ``c_I (x' - x)``.
    """
    if cost <= 0:
        return np.where(spend > 0, 1.0, level), np.zeros_like(spend)
    new = np.minimum(1.0, level + spend / cost)
    return new, cost * (new - level)


def programme(level, rate: float) -> np.ndarray:
    """The plan's infrastructure programme, ``x' = x + (r / 4) (1 - x)``."""
    return level + rate / 4.0 * (1.0 - level)


def land_price(price, occupancy, response: float, target: float) -> np.ndarray:
    """``p_L' = p_L exp(phi (o - o*))``, kept in :data:`PRICE_BOUNDS`."""
    return np.clip(price * np.exp(response * (occupancy - target)), *PRICE_BOUNDS)


def attraction(service, price, elasticity: float) -> np.ndarray:
    """How strongly a park draws entrants and projects: ``(1 + S_p) p_L,p^(-epsilon)``."""
    return (1.0 + service) * price ** -elasticity


def admissible(park_focus, free_land, land, green_standard, tfp_standard, reserve,
               chain, rel_tfp, green) -> np.ndarray:
    """Which parks admit which entrants, shape (entrants, parks).

    Park ``p`` admits entrant ``i`` of chain ``c`` when it has free land,
    ``g_i >= gbar_p`` (green standard), ``A_i / Atilde_c >= abar_p`` (productivity standard,
    ``Atilde_c`` the chain's median TFP, given as ``rel_tfp = A_i / Atilde_c``) and either
    ``c = focus_p`` or the free land exceeds the reserve ``r_p L_p`` the park keeps for its
    focus chain.
    """
    fit = park_focus[None, :] == chain[:, None]
    room = np.where(fit, free_land[None, :] > 0, free_land[None, :] > reserve * land)
    return (room & (green[:, None] >= green_standard[None, :])
            & (rel_tfp[:, None] >= tfp_standard[None, :]))


def choose_parks(u, chain, park_focus, free_land, weight, allowed) -> np.ndarray:
    """Park of each entrant (-1 = outside parks), with one uniform ``u`` per entrant.

    An entrant of chain ``c`` picks park ``p`` with probability proportional to
    ``(1 + 2 [focus_p = c]) w_p`` over the parks that admit it (``allowed``), ``w_p`` the
    park's :func:`attraction`; an entrant no park admits settles outside parks, and so do
    entrants beyond a park's free land (the later draws).
    """
    out = np.full(chain.shape[0], -1, dtype=np.intp)
    if chain.size == 0 or free_land.size == 0:
        return out
    w = (1.0 + 2.0 * (park_focus[None, :] == chain[:, None])) * weight[None, :] * allowed
    cdf = np.cumsum(w, axis=1)
    total = cdf[:, -1]
    some = total > 0
    pick = (u[:, None] * total[:, None] >= cdf).sum(axis=1)
    out[some] = np.minimum(pick[some], w.shape[1] - 1)
    order = np.argsort(out, kind="stable")
    parks = out[order]
    starts = np.searchsorted(parks, parks)
    rank = np.arange(parks.size) - starts
    over = (parks >= 0) & (rank >= free_land[np.maximum(parks, 0)])
    out[order[over]] = -1
    return out


def tenants(model) -> np.ndarray:
    """Number of tenants of each park."""
    n_parks = len(model.parks)
    return np.bincount(model.firms.hood, minlength=n_parks + model.n_chains)[:n_parks]


def settle(model, rng: np.random.Generator, chain, tfp, green) -> tuple[np.ndarray, np.ndarray]:
    """Phase 10: the park of each entrant (-1 outside parks), by admission and attraction.

    Entrants placed in a park buy their plot at ``p_L v`` from their founders' equity (it
    moves neither their cash nor their debt); the sales go to the park's budget.

    Returns:
        Each entrant's park and what it paid for its plot (0 outside parks).
    """
    parks, rules = model.parks, model.config.parks
    u = rng.random(chain.shape[0])
    free = parks.land - tenants(model)
    rel = tfp / np.exp(model.chain_log_tfp)[chain]
    allowed = admissible(parks.focus, free, parks.land, parks.green_standard,
                         parks.tfp_standard, parks.reserve, chain, rel, green)
    weight = attraction(parks.service, parks.land_price, rules.price_elasticity)
    park = choose_parks(u, chain, parks.focus, free, weight, allowed)
    inside = park >= 0
    paid = np.zeros(chain.shape[0])
    paid[inside] = parks.land_price[park[inside]] * rules.plot_price
    parks.budget += group_sum(paid[inside], park[inside], len(parks))
    sold = np.bincount(park[inside], minlength=len(parks))
    parks.sold += sold
    parks.entrants += sold
    return park, paid


def decide(model) -> None:
    """Phase 8b: the earmarked programme, taxes kept, the own programme and the land price."""
    parks, s, pol = model.parks, model.config, model.policy
    rules, cost = s.parks, s.finance.infrastructure_cost
    f = model.firms
    n_parks = len(parks)
    if n_parks == 0:
        return
    led = model.ledger
    # the plan's programme, paid by the municipal transfer as it is spent
    before = parks.service + parks.digital + parks.green
    parks.service = programme(parks.service, pol.park_services)
    parks.digital = programme(parks.digital, pol.digital_infrastructure)
    parks.green = programme(parks.green, pol.green_infrastructure)
    transfer = cost * (parks.service + parks.digital + parks.green - before)

    n_hoods = n_parks + model.n_chains
    va = model.quarter_values.hood_va
    va = group_sum(f.va, f.hood, n_hoods) if va is None else va
    kept = rules.tax_retention * s.finance.tax_share * va[:n_parks]
    parks.budget += kept
    led.add_pairs("capital", "government", "park", transfer + kept,
                  dst_rows=np.arange(n_parks))

    digital = neighbourhood_mean(f.d, f.va, f.hood, n_hoods, va)[:n_parks]
    green = neighbourhood_mean(f.g, f.K, f.hood, n_hoods)[:n_parks]
    parts = split(rules.spend_rate * np.maximum(parks.budget, 0.0),
                  needs(parks.service, digital, green))
    used = np.zeros(n_parks)
    for k, name in enumerate(LEVELS):
        level, spent = raise_level(getattr(parks, name), parts[:, k], cost)
        setattr(parks, name, level)
        used += spent
    parks.budget -= used
    parks.spent = used
    occupancy = np.divide(tenants(model), parks.land, out=np.ones(n_parks),
                          where=parks.land > 0)
    parks.land_price = land_price(parks.land_price, occupancy, rules.price_response,
                                  rules.target_occupancy)
    parks.sold = 0
