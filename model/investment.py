"""Phase 7 — investment: desired capital from relative factor prices, clean or dirty capacity,
finance, promoted projects and technical renovation.

One investment rule, an accelerator with a profitability condition: a firm wants the capital
that makes its expected output at least cost at today's wage and its user cost of capital,

``K* = (y^e / A') kappa^(1 - alpha)``, ``kappa = alpha w / ((1 - alpha) u_i)``,
``u_i = (r + delta) (1 - omega Kp_i / K_i)``,

and invests ``I* = max(0, theta (K* - K) + delta K / 4)``: it expands only while the marginal
return on capital exceeds ``u_i`` (``K < K*``). ``y^e`` is its orders a year ahead
(:func:`model.markets.planned_output`). Diminishing returns to capital are in the technology
(``alpha < 1``). Promoted projects are investment that government part-finances (share
``omega``, the user-cost wedge of promoted capital ``Kp``); they add capacity, not demand.

Technical change embodied in new capital: technical renovation (a share of investment)
installs best-practice equipment, ``d ln A = phi_R (R / K) max(0, ln T_c - ln A)``; it
moves a firm toward technology that exists already and gives nothing at the frontier, so more
investment alone cannot sustain TFP growth. The clean share of new capacity is chosen on
levelised energy-plus-carbon cost, so the green transition runs at the speed of capital
turnover: ``g' = (g K (1 - delta/4) + x I) / K'``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from chainshift.model import finance, markets
from chainshift.model import parks as park_rules
from chainshift.model.arrays import blockwise, ratio_or_zero
from chainshift.model.groups import group_sum


def user_cost(base: float, grant: float, promoted, capital, out=None) -> np.ndarray:
    """``u_i = (r + delta) (1 - omega Kp_i / K_i)`` per year (formed only for the firms with
    promoted capital; the others pay ``r + delta``).
    """
    if out is None:
        out = np.empty(capital.shape[0])
    out.fill(base)
    rows = np.flatnonzero(promoted != 0)  # a float mask is found faster as a comparison
    share = ratio_or_zero(promoted[rows], capital[rows])
    out[rows] = base * (1.0 - grant * np.minimum(share, 1.0))
    return out


def capital_target(expected, tfp_eff, kappa, alpha: float) -> np.ndarray:
    """Cost-minimising capital for expected output, ``K* = (y^e / A') kappa^(1 - alpha)``
    (the phase forms the same with :func:`model.production.kappa_power`).
    """
    return np.divide(expected, tfp_eff, out=np.zeros_like(expected), where=tfp_eff > 0) * (
        kappa ** (1.0 - alpha)
    )


def desired_investment(target, capital, speed: float, depreciation_q: float) -> np.ndarray:
    """``I* = max(0, theta (K* - K) + delta_q K)``."""
    return np.maximum(0.0, speed * (target - capital) + depreciation_q * capital)


def clean_share(capital_cost, dirty_energy_cost, clean_energy_cost, premium, spread: float):
    """Clean share of new capacity from levelised costs per unit of output.

    ``LC_d = u k + c_d``, ``LC_g = u k (1 + pi) + c_g``, ``x = 1 / (1 + exp((LC_g - LC_d) /
    (sigma LC_d)))``: a logit over firms' assessments (spread ``sigma``) of the cost difference,
    with ``u k`` the capital cost per unit of output, ``c_d``, ``c_g`` energy-plus-carbon costs
    per unit of output of dirty and clean capacity and ``pi`` the firm's net clean premium.
    """
    lc_dirty = capital_cost + dirty_energy_cost
    diff = capital_cost * premium + clean_energy_cost - dirty_energy_cost
    scale = spread * np.maximum(lc_dirty, 1e-12, out=lc_dirty)
    x = np.clip(np.divide(diff, scale, out=diff), -50.0, 50.0, out=diff)
    x = np.exp(x, out=x)
    x += 1.0
    return np.divide(1.0, x, out=x)


def renovation_gain(investment, capital, share: float, catchup: float, gap) -> np.ndarray:
    """Log-TFP gain of renovation, ``phi_R (s_R I / K) max(0, ln F - ln A)`` (``gap`` given)."""
    renewed = ratio_or_zero(share * investment, capital)
    return catchup * np.minimum(renewed, 1.0, out=renewed) * gap


def promoted_projects(model) -> np.ndarray:
    """This quarter's promoted project investment per firm (100m yuan).

    ``P / 4`` (``policy.promoted_investment`` a year, plus one-off ``promoted_project`` events)
    goes to chains by value added, strategic-emerging chains weighted double, and inside a
    chain to its leading and large firms by capital times their park's pull
    ``(1 + S_p) p_L,p^(-epsilon)`` (1 outside parks; :func:`model.parks.attraction`): parks
    compete for projects on services and land price. Where a chain has neither leading nor
    large firms, all its firms receive.
    """
    f, nc = model.firms, model.n_chains
    va_c = model.quarter_values.chain_va  # value added by chain (phase 5)
    if va_c is None:
        va_c = group_sum(f.va, f.chain, nc)
    w = va_c * (1.0 + model.chain_se)
    amount = model.policy.promoted_investment / 4.0 * w / max(w.sum(), 1e-12)
    for c, value in model.project_events():
        amount[c] += value
    out = np.zeros(len(f))
    if not amount.any():
        return out
    parks = model.parks
    pull = np.append(park_rules.attraction(parks.service, parks.land_price,
                                           model.config.parks.price_elasticity), 1.0)
    rows = np.flatnonzero(f.leading | (f.size == 0))  # the receivers
    pulled = f.K * pull[f.park]
    chain_weight = group_sum(pulled[rows], f.chain[rows], nc)
    if (chain_weight > 0).all():
        weight, chain = pulled[rows], f.chain[rows]
    else:  # a chain without leading or large firms: all its firms receive
        weight = np.zeros(len(f))
        weight[rows] = pulled[rows]
        weight = np.where(chain_weight[f.chain] > 0, weight, pulled)
        chain_weight = group_sum(weight, f.chain, nc)
        rows, chain = slice(None), f.chain
    per = np.divide(amount, chain_weight, out=np.zeros(nc), where=chain_weight > 0)
    out[rows] = weight * per[chain]
    return out


def invest(model) -> None:
    """Phase 7: desired investment, clean share, credit, promoted projects, renovation, capital.

    Firms plan (:func:`plan_investment`), banks ration the credit asked for, and firms invest
    (:func:`install_capital`); both steps run on blocks of rows
    (:func:`model.arrays.blockwise`).
    """
    f, fin, pol = model.firms, model.config.finance, model.policy
    n = len(f)
    premium = model.clean_premium_by_hood()
    plans = Plans(*blockwise(lambda rows: plan_investment(model, rows, premium), n))
    capacity = pol.credit_supply * fin.lending_capacity * float(f.K.sum())
    share = finance.granted_share(float(plans.requests.sum()), capacity)
    model.credit_granted = share
    projects = promoted_projects(model)
    granted, lent, repaid, grant, refund = blockwise(
        lambda rows: install_capital(model, rows, plans, share, projects, premium), n
    )
    # totals of whole columns, as one pass over all firms sums them
    green_refund = float(refund.sum()) if pol.green_subsidy else 0.0
    led = model.ledger
    firms = np.arange(n)
    led.add_pairs("capital", "finance", "enterprise", granted + lent + plans.equity,
                  dst_rows=firms, total=float(granted.sum() + lent.sum() + plans.equity.sum()))
    led.add_pairs("capital", "enterprise", "finance", plans.due + repaid, src_rows=firms,
                  total=float(plans.due.sum() + repaid.sum()))
    led.add_pairs("capital", "government", "enterprise",
                  grant + refund if pol.green_subsidy else grant, dst_rows=firms,
                  total=float(grant.sum()) + green_refund)


class Plans(NamedTuple):
    """Investment plans per firm (phase 7a, :func:`plan_investment`)."""

    desired: np.ndarray  # desired investment I*
    x: np.ndarray  # clean share of new capacity
    unit: np.ndarray  # cash cost of a unit of capacity, c_I
    funds: np.ndarray  # own funds F (with new equity)
    most: np.ndarray  # largest financeable investment I_max
    requests: np.ndarray  # credit asked for
    due: np.ndarray  # debt called in
    equity: np.ndarray  # new equity


def plan_investment(model, rows: slice, premium_by_hood: np.ndarray) -> Plans:
    """Phase 7a for the firms in ``rows``: desired investment, the clean share of new capacity
    and the finance a firm can raise for it.

    ``I* = max(0, theta (K* - K) + delta K / 4)`` with ``K* = y^e kappa^(1 - alpha) / A'``
    (:func:`desired_investment`); the clean share from levelised costs (:func:`clean_share`);
    then debt above a firm's ceiling ``min(lambda* (K + M), ltv_i K)`` is partly called in
    (:func:`model.finance.repay`), own funds above the cash buffer and new equity for part of
    the investment finance holds back (:func:`model.finance.new_equity`) set the credit asked
    for within the firm's limits (:func:`model.finance.financeable`). Updates cash and debt.

    Returns:
        The plans of the firms in ``rows``.
    """
    f, s, pol, qv = model.firms, model.config, model.policy, model.quarter_values
    fin, tech, ad, en = s.finance, s.technology, s.adoption, s.energy
    alpha, dq = tech.capital_elasticity, fin.depreciation / 4.0
    K, M, D = f.K[rows], f.M[rows], f.D[rows]
    a_eff = f.A[rows] * qv.digital_factor[rows]  # effective_tfp
    costs = qv.user_costs
    k_pow = costs.kappa_power(model.planning_wage * 1e-4, alpha, 1.0 - alpha, rows)
    per_output = ratio_or_zero(k_pow, a_eff)  # capital per unit of output, K* / y^e
    expected = f.share[rows] * markets.planned_orders(model)[f.chain[rows]]
    desired = desired_investment(expected * per_output, K, fin.investment_speed, dq)

    # clean or dirty: levelised cost per unit of output at full use
    capital_cost = costs.quarterly[rows] * per_output
    base_e = f.e[rows] * qv.digital_saving[rows]
    carbon = pol.carbon_price * 1e-4 * model.emission_factor() * qv.park_kept[rows]
    dirty = base_e * (en.energy_price + carbon)
    clean = base_e * (1.0 - tech.green_energy_saving) * (
        en.energy_price + carbon * (1.0 - en.green_emission_cut)
    )
    premium = premium_by_hood[f.hood[rows]]
    x = clean_share(capital_cost, dirty, clean, premium * (1.0 - pol.green_subsidy),
                    ad.green_choice_spread)
    # clean capacity costs (1 + pi) per unit; the cash cost of a unit of capacity
    unit = 1.0 + x * premium * (1.0 - pol.green_subsidy)

    # finance: repayments, internal funds, new equity, credit up to target leverage
    ltv = finance.access(
        f.size[rows], f.soe[rows], f.specialized[rows], f.little_giant[rows],
        pol.sme_credit_access, fin.soe_credit_access, fin.specialized_credit_bonus,
        scale=fin.loan_to_value,
    )
    ceiling = np.minimum(fin.target_leverage * (K + M), ltv * K)
    due = finance.repay(M, D, ceiling, fin.debt_repayment)
    M -= due
    D -= due
    floor = fin.cash_buffer * f.c[rows] * f.y[rows]
    funds = np.maximum(0.0, M - floor)
    kept = K * (1.0 - dq)  # capital kept after depreciation
    limits = finance.CreditLimits(D, kept, floor, fin.target_leverage, ltv)
    most = limits.most(funds / unit)
    # owners and investors put in new equity for part of the investment finance holds back
    equity = finance.new_equity(desired - most, unit, fin.equity_issuance, fin.target_leverage)
    M += equity
    funds += equity
    most = limits.most(funds / unit)
    requests = np.maximum(0.0, np.minimum(desired, most) * unit - funds)
    return Plans(desired, x, unit, funds, most, requests, due, equity)


def install_capital(model, rows: slice, plans: Plans, share: float, projects,
                    premium_by_hood: np.ndarray) -> tuple:
    """Phase 7b for the firms in ``rows``: credit granted (a share ``share`` of each request),
    investment ``I = min(I*, I_max, (F + B) / c_I)``, promoted projects, renovation, the new
    capital and its clean share, user costs, and cash above the buffer paid out.

    Returns:
        Per firm: (credit granted, projects' policy-bank loans, debt repaid from excess cash,
        project grants, clean-capacity subsidies)
    """
    f, s, pol, qv = model.firms, model.config, model.policy, model.quarter_values
    fin, tech = s.finance, s.technology
    dq = fin.depreciation / 4.0
    desired, x, unit, funds, most, requests = (a[rows] for a in plans[:6])
    projects = projects[rows]
    grant = fin.promoted_grant * projects
    K, M, D, A, g = f.K[rows], f.M[rows], f.D[rows], f.A[rows], f.g[rows]
    kept = K * (1.0 - dq)  # as planned
    floor = fin.cash_buffer * f.c[rows] * f.y[rows]
    granted = requests * share  # ration()
    inv = np.minimum(desired, np.minimum(most, (funds + granted) / unit))
    D += granted
    M += granted - inv * unit
    lent = projects - grant  # lent by policy banks, outside the rationing
    D += lent
    total = np.add(inv, projects, out=f.inv[rows])
    gain = renovation_gain(total, K, fin.renovation_share, fin.renovation_catchup, qv.gap[rows])
    A *= np.exp(gain)
    renovated = f.gain_renovation[rows]
    renovated += gain

    np.add(kept, total, out=K)
    green = g * kept
    green += x * total
    if (K > 0).all():
        np.divide(green, K, out=g)
    else:  # a firm without capital keeps its clean share
        np.divide(green, K, out=g, where=K > 0)
    e = f.e[rows]
    e *= 1.0 - tech.efficiency_gain / 4.0  # autonomous efficiency gain (an exogenous path)
    Kp = f.Kp[rows]
    Kp *= 1.0 - dq
    Kp += projects
    user_cost(fin.interest_rate + fin.depreciation, fin.promoted_grant, Kp, K, out=f.u[rows])

    repaid, payout = finance.excess_cash(M, D, K + M, floor, fin.target_leverage)
    payout *= inv >= desired  # a firm short of funds for its investment keeps its cash
    D -= repaid
    M -= repaid + payout
    # the subsidy on clean capacity, x pi s_g I
    refund = inv * (x * premium_by_hood[f.hood[rows]]) * pol.green_subsidy
    return granted, lent, repaid, grant, refund
