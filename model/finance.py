"""Phase 4b and 6b — firms' accounts, credit and balance sheets.

A firm's balance sheet is capital ``K`` plus cash ``M`` against liabilities ``D``; net worth is
``NW = K + M - D``. ``leverage = D / (K + M)`` stands for total liabilities over total assets of
above-size industrial enterprises (payables included: the model's ``D`` carries every
liability, at ``finance.interest_rate``).

Each quarter (``settle_accounts``):

``profit = p y - w L - RD - p_E E - p_C CO2 - tax VA - r D / 4 - delta K / 4 + s RD + support``

with value added ``VA = p y - p_E E``; operating cash flow (profit plus depreciation) less
dividends ``payout max(profit, 0)`` goes to cash. Credit (``credit_demand``, ``ration``): a
firm borrows up to its target leverage and within the bank's loan-to-value limit, which carries
the access wedges by size, ownership and status (Song, Storesletten and Zilibotti 2011);
when requests exceed banks' lending capacity every request is cut in proportion. Liabilities
fall due at ``finance.debt_repayment`` a quarter; cash above twice the buffer repays debt
above the target or is paid out, so balance sheets stay near the target instead of hoarding.
"""

from __future__ import annotations

import numpy as np

from model import pricing


def profit(revenue, wage_bill, rd, energy_bill, carbon, tax, interest, depreciation, support):
    """Accounting profit of the quarter (all in 100m yuan); ``support`` holds subsidies."""
    return revenue - wage_bill - rd - energy_bill - carbon - tax - interest - depreciation + support


def access(size, state_owned, specialized, little_giant, sme_access, soe_access, spec_bonus):
    """Loan-to-value multiplier of each firm:
    ``a_i = [sme_access if small or micro and not a little giant, else 1]
    x [soe_access if state-owned] x (1 + spec_bonus [specialized])``.
    """
    small = (size >= 2) & ~little_giant
    a = np.where(small, sme_access, 1.0)
    a = a * np.where(state_owned, soe_access, 1.0)
    return a * (1.0 + spec_bonus * specialized)


def credit_demand(debt, capital_next, cash_floor, target: float, ltv):
    """New credit a firm asks for: up to its target leverage and the bank's limit,
    ``B* = max(0, min(lambda* (K' + M_min), ltv_i K') - D)`` with ``K'`` capital after the
    planned investment.
    """
    ceiling = np.minimum(target * (capital_next + cash_floor), ltv * capital_next)
    return np.maximum(0.0, ceiling - debt)


def ration(requests, capacity: float) -> tuple[np.ndarray, float]:
    """Proportional rationing: ``B_i = B*_i min(1, C / sum B*)``.

    Returns:
        (credit granted per firm, the share of requests granted)
    """
    total = float(requests.sum())
    granted = 1.0 if total <= capacity else capacity / total
    return requests * granted, granted


def repay(cash, debt, rate: float) -> np.ndarray:
    """Liabilities falling due and paid from cash: ``min(r_D D, max(M, 0))``."""
    return np.minimum(rate * debt, np.maximum(cash, 0.0))


def excess_cash(cash, debt, assets, floor, target: float) -> tuple[np.ndarray, np.ndarray]:
    """Cash above ``2 M_min``: first repays debt above ``lambda* (K + M)``, the rest is paid out.

    Returns:
        (debt repaid, extra payout)
    """
    spare = np.maximum(0.0, cash - 2.0 * floor)
    over = np.maximum(0.0, debt - target * assets)
    repaid = np.minimum(spare, over)
    return repaid, spare - repaid


def leverage(debt, capital, cash) -> float:
    """Liabilities over assets in percent, ``100 sum D / sum (K + M)``."""
    assets = float(capital.sum() + cash.sum())
    return 100.0 * float(debt.sum()) / assets if assets > 0 else 0.0


def settle_accounts(model) -> None:
    """Phase 4b: revenue, costs, subsidies, profit, dividends, cash; next quarter's unit cost."""
    f, s, pol = model.firms, model.config, model.policy
    fin, en = s.finance, s.energy
    revenue = f.p * f.y
    energy_bill = en.energy_price * f.energy
    f.va = revenue - energy_bill
    carbon = pol.carbon_price * 1e-4 * f.co2
    wage_bill = model.wage * 1e-4 * f.L
    refund = pol.rd_subsidy * f.rd
    support = refund + (pol.seedling_support / 4.0) * f.va * f.specialized
    depreciation = fin.depreciation / 4.0 * f.K
    interest = fin.interest_rate / 4.0 * f.D
    f.profit = profit(
        revenue, wage_bill, f.rd, energy_bill, carbon, fin.tax_share * f.va, interest,
        depreciation, support,
    )
    f.profit_year += f.profit
    f.losses = (f.losses + 1) * (f.profit < 0)
    f.M += f.profit + depreciation - fin.payout * np.maximum(f.profit, 0.0)
    overdraft = np.minimum(f.M, 0.0)  # a cash shortfall is covered by short-term liabilities
    f.D -= overdraft
    f.M -= overdraft
    f.c = pricing.unit_cost(
        wage_bill, f.u / 4.0 * f.z * f.K, f.rd - refund, energy_bill + carbon, f.y, f.c
    )
    led = model.ledger
    led.add("capital", "government", "enterprise", float(support.sum()))
    led.add("capital", "enterprise", "finance", float(interest.sum()))
