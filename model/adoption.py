"""Phase 8 — digital adoption as a Bass process with economics; park infrastructure; the
neighbourhood spillover that lowers the cost of clean capacity.

Digital tools spread like a Bass process: a firm's yearly hazard is
``h = (p + q peers) M_d`` with ``M_d = 1 + a_s s_d + a_i D_park`` and ``peers`` the
value-added-weighted digital level of its neighbourhood (its park, or its chain's firms
outside parks). Clean capacity is not adopted this way: it is chosen at investment
(:mod:`model.investment`); what spreads between neighbours is its cost, through learning,
``pi_i = pi (1 - l G_hood)(1 - a_G G_park)`` (:func:`clean_premium`).
"""

from __future__ import annotations

import numpy as np

from chainshift.model import finance
from chainshift.model.groups import group_sum


def adoption_hazard(p: float, q: float, peers, economics) -> np.ndarray:
    """Yearly adoption hazard ``h = (p + q * peers) * M``."""
    return (p + q * peers) * economics


def digital_economics(subsidy, infrastructure, a_s, a_i):
    """``M_d = 1 + a_s * s_d + a_i * D_park``."""
    return 1.0 + a_s * subsidy + a_i * infrastructure


def adopt(rng: np.random.Generator, level, hazard, step: float, group=None):
    """One quarter of adoption: with probability ``1 - exp(-h / 4)`` the level rises by
    ``step`` (capped at 1). Every firm draws (common random numbers).

    With ``group`` the hazard is given per group (neighbourhood), ``h_i = hazard[group_i]``, and
    ``exp(-h / 4)`` is formed once per group.

    Returns:
        (rows of the firms that upgrade, the rise of each)
    """
    n = level.shape[0]
    stay = np.exp(hazard * -0.25)
    rows = np.flatnonzero(rng.random(n) > (stay if group is None else stay[group]))
    return rows, np.minimum(step, 1.0 - level[rows])


def clean_premium(premium: float, learning: float, hood_green, park_response: float,
                  park_green) -> np.ndarray:
    """Net extra capital cost of clean capacity, ``pi (1 - l G_hood) (1 - a_G G_park)``:
    learning from green neighbours (``G_hood``, the value-added-weighted green share of the
    firm's neighbourhood; ``l = 0`` switches the spillover off) and shared low-carbon energy
    in the park (``G_park``, 0 outside parks).
    """
    return premium * (1.0 - learning * hood_green) * (1.0 - park_response * park_green)


def neighbourhood_mean(values, weight, hood, n_hoods: int, den=None) -> np.ndarray:
    """Weighted mean of ``values`` over each neighbourhood (0 where it has no weight);
    ``den``, if given, is the weight summed by neighbourhood.
    """
    den = group_sum(weight, hood, n_hoods) if den is None else den
    return np.divide(group_sum(values * weight, hood, n_hoods), den, out=np.zeros(n_hoods),
                     where=den > 0)


def adopt_digital(model) -> None:
    """Phase 8: digital upgrades (Bass with economics)."""
    f, parks, s, pol = model.firms, model.parks, model.config, model.policy
    ad = s.adoption
    n_parks = len(parks)
    n_hoods = n_parks + model.n_chains
    peer_d = neighbourhood_mean(f.d, f.va, f.hood, n_hoods, model.quarter_values.hood_va)
    bass_d = adoption_hazard(ad.digital_innovation, ad.digital_imitation, peer_d, 1.0)
    infra_d = np.concatenate((parks.digital, np.zeros(model.n_chains)))
    m_d = digital_economics(pol.digital_support, infra_d, ad.subsidy_response,
                            ad.infrastructure_response)
    rows, dd = adopt(model.streams["adoption"], f.d, bass_d * m_d, ad.upgrade_step, f.hood)
    bonus = s.technology.digital_bonus
    before = np.log1p(bonus * f.d[rows])
    cost = ad.digital_cost * dd * f.K[rows]
    f.M[rows] -= (1.0 - pol.digital_support) * cost
    finance.cover_overdraft(f)
    f.d[rows] += dd
    f.gain_digital[rows] += np.log1p(bonus * f.d[rows]) - before

    led = model.ledger
    led.add_pairs("capital", "government", "enterprise", pol.digital_support * cost,
                  dst_rows=rows, total=pol.digital_support * float(cost.sum()))
    # data flow dd * VA split by the parts of M_d = 1 + a_s s_d + a_i D: subsidy,
    # infrastructure, and (the 1) own effort, of which the peer part q peers / (p + q peers)
    hood = f.hood[rows]
    data = dd * f.va[rows] / m_d[hood]
    peer = peer_d[hood]
    f_peer = np.divide(ad.digital_imitation * peer, ad.digital_innovation
                       + ad.digital_imitation * peer, out=np.zeros_like(peer),
                       where=ad.digital_innovation + ad.digital_imitation * peer > 0)
    share = ad.subsidy_response * pol.digital_support
    led.add_pairs("data", "government", "enterprise", share * data, dst_rows=rows,
                  total=share * float(data.sum()))
    led.add_pairs("data", "park", "enterprise", ad.infrastructure_response * data * infra_d[hood],
                  src_rows=f.park[rows], dst_rows=rows,
                  total=ad.infrastructure_response * float(data @ infra_d[hood]))
    # from the firm's digital neighbours as a group (its park, or its chain outside parks)
    led.add_pairs("data", "enterprise", "enterprise", data * f_peer, dst_rows=rows)

