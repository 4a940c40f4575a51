"""Phase 4b and 6b — firms' accounts, credit and balance sheets.

A firm's balance sheet is capital ``K`` plus cash ``M`` against liabilities ``D``; net worth is
``NW = K + M - D``. ``leverage = D / (K + M)`` stands for total liabilities over total assets of
above-size industrial enterprises (payables included: the model's ``D`` carries every
liability, at ``finance.interest_rate``).

Each quarter (``settle_accounts``):

``profit = p y - w L - RD - p_E E - p_C CO2 - tax VA - r D / 4 - delta K / 4 + s RD + support``

with value added ``VA = p y - p_E E``; operating cash flow (profit plus depreciation) less
dividends ``payout max(profit, 0)`` goes to cash. Credit (:func:`financeable`, :func:`ration`): a
firm borrows for investment up to its target leverage and within the bank's loan-to-value
limit, which carries
the access wedges by size, ownership and status (Song, Storesletten and Zilibotti 2011), so
a firm can invest at most what :func:`financeable` gives, plus what new equity
(:func:`new_equity`) lets it lever; when requests exceed banks' lending capacity every request
is cut in proportion. Debt within a firm's ceiling is rolled over; a share
``finance.debt_repayment`` of debt above it is called in each quarter; cash above the buffer
repays debt above the target, and cash above twice the buffer is paid out by firms whose
investment was not held back by finance (the others keep it to invest), so balance sheets stay
near the target instead of hoarding.
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


def financeable(funds, debt, capital_kept, cash_floor, target: float, ltv) -> np.ndarray:
    """Largest investment a firm can finance with own funds ``F`` and credit within its limits.

    ``I_max = min((F + lambda* (K' + M_min) - D) / (1 - lambda*),
    (F + ltv_i K' - D) / (1 - ltv_i))``: new credit keeps the firm within its target leverage and
    the bank's loan-to-value limit

    with ``K'`` the capital kept after depreciation (from ``D + B <= lambda* (K' + I + M_min)``,
    ``D + B <= ltv_i (K' + I)`` and ``I = F + B``).
    """
    by_target = (funds + target * (capital_kept + cash_floor) - debt) / (1.0 - target)
    by_bank = (funds + ltv * capital_kept - debt) / np.maximum(1.0 - ltv, 1e-9)
    return np.maximum(0.0, np.minimum(by_target, np.where(ltv >= 1.0, np.inf, by_bank)))


def new_equity(shortfall, unit, share: float, target: float) -> np.ndarray:
    """New equity raised for investment finance holds back: enough to finance the share
    ``psi`` of the shortfall at target leverage, ``E = psi (1 - lambda*) max(I* - I_max, 0) c_I``
    (``c_I`` the cash cost of a unit of capacity).
    """
    return share * (1.0 - target) * np.maximum(shortfall, 0.0) * unit


def ration(requests, capacity: float) -> tuple[np.ndarray, float]:
    """Proportional rationing: ``B_i = B*_i min(1, C / sum B*)``.

    Returns:
        (credit granted per firm, the share of requests granted)
    """
    total = float(requests.sum())
    granted = 1.0 if total <= capacity else capacity / total
    return requests * granted, granted


def repay(cash, debt, ceiling, rate: float) -> np.ndarray:
    """Liabilities repaid this quarter: a share ``r_D`` of the debt above the firm's ceiling
    ``min(lambda* (K + M), ltv_i K)``, paid from cash, ``min(r_D max(D - ceiling, 0), max(M, 0))``.
    Debt within the ceiling is rolled over when it falls due.
    """
    return np.minimum(rate * np.maximum(debt - ceiling, 0.0), np.maximum(cash, 0.0))


def excess_cash(cash, debt, assets, floor, target: float) -> tuple[np.ndarray, np.ndarray]:
    """Cash above the buffer ``M_min`` first repays debt above ``lambda* (K + M)``; what is
    left above ``2 M_min`` is paid out.

    Returns:
        (debt repaid, extra payout)
    """
    over = np.maximum(0.0, debt - target * assets)
    repaid = np.minimum(np.maximum(0.0, cash - floor), over)
    payout = np.maximum(0.0, cash - repaid - 2.0 * floor)
    return repaid, payout


def cover_overdraft(firms) -> None:
    """A cash shortfall is covered by short-term liabilities: ``D += max(-M, 0)``, ``M >= 0``."""
    short = np.minimum(firms.M, 0.0)
    firms.D -= short
    firms.M -= short


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
    refund = pol.rd_subsidy * (f.rd - model.seedling_grant)  # the firm's own R&D spending
    support = refund + model.seedling_grant  # the seedling grant pays for R&D (phase 4)
    depreciation = fin.depreciation / 4.0 * f.K
    interest = fin.interest_rate / 4.0 * f.D
    f.profit = profit(
        revenue, wage_bill, f.rd, energy_bill, carbon, fin.tax_share * f.va, interest,
        depreciation, support,
    )
    f.profit_year += f.profit
    f.losses = (f.losses + 1) * (f.profit < 0)
    f.M += f.profit + depreciation - fin.payout * np.maximum(f.profit, 0.0)
    cover_overdraft(f)
    f.c = pricing.unit_cost(
        wage_bill, f.u / 4.0 * f.z * f.K, f.rd - refund, energy_bill + carbon, f.y, f.c
    )
    led = model.ledger
    led.add("capital", "government", "enterprise", float(support.sum()))
    led.add("capital", "enterprise", "finance", float(interest.sum()))
