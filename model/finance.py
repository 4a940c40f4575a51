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

from chainshift.model import pricing
from chainshift.model.arrays import blockwise


def profit(revenue, wage_bill, rd, energy_bill, carbon, tax, interest, depreciation, support,
           out=None):
    """Accounting profit of the quarter (all in 100m yuan); ``support`` holds subsidies."""
    if out is None:
        return (revenue - wage_bill - rd - energy_bill - carbon - tax - interest - depreciation
                + support)
    np.subtract(revenue, wage_bill, out=out)
    for cost in (rd, energy_bill, carbon, tax, interest, depreciation):
        out -= cost
    out += support
    return out


def access(size, state_owned, specialized, little_giant, sme_access, soe_access, spec_bonus,
           scale: float = 1.0):
    """Loan-to-value multiplier of each firm:
    ``a_i = [sme_access if small or micro and not a little giant, else 1]
    x [soe_access if state-owned] x (1 + spec_bonus [specialized])``, times ``scale`` (the
    base loan-to-value gives each firm's limit).

    The eight combinations of the three conditions are computed once and looked up.
    """
    small = (size >= 2) & ~little_giant
    code = small.view(np.int8) * 4 + state_owned.view(np.int8) * 2 + specialized.view(np.int8)
    bits = np.arange(8)
    a = np.where(bits >= 4, sme_access, 1.0)
    a = a * np.where(bits & 2, soe_access, 1.0)
    a = a * (1.0 + spec_bonus * (bits & 1).astype(bool))
    return (a if scale == 1.0 else scale * a).take(code)


class CreditLimits:
    """The largest investment firms can finance, for any own funds (:func:`financeable`).

    The terms that do not depend on the funds are formed once, so investment can ask twice
    (before and after new equity) at the cost of a few array operations.
    """

    def __init__(self, debt, capital_kept, cash_floor, target: float, ltv) -> None:
        self.debt, self.target = debt, target
        self.target_room = target * (capital_kept + cash_floor)
        self.bank_room = ltv * capital_kept
        self.bank_share = np.maximum(1.0 - ltv, 1e-9)
        unlimited = ltv >= 1.0
        self.unlimited = unlimited if unlimited.any() else None

    def most(self, funds) -> np.ndarray:
        """``I_max`` of :func:`financeable` for own funds ``F``."""
        by_target = (funds + self.target_room - self.debt) / (1.0 - self.target)
        by_bank = (funds + self.bank_room - self.debt) / self.bank_share
        if self.unlimited is not None:
            by_bank = np.where(self.unlimited, np.inf, by_bank)
        return np.maximum(0.0, np.minimum(by_target, by_bank, out=by_target), out=by_target)


def financeable(funds, debt, capital_kept, cash_floor, target: float, ltv) -> np.ndarray:
    """Largest investment a firm can finance with own funds ``F`` and credit within its limits.

    ``I_max = min((F + lambda* (K' + M_min) - D) / (1 - lambda*),
    (F + ltv_i K' - D) / (1 - ltv_i))``: new credit keeps the firm within its target leverage and
    the bank's loan-to-value limit

    with ``K'`` the capital kept after depreciation (from ``D + B <= lambda* (K' + I + M_min)``,
    ``D + B <= ltv_i (K' + I)`` and ``I = F + B``).
    """
    return CreditLimits(debt, capital_kept, cash_floor, target, ltv).most(funds)


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
    granted = granted_share(float(requests.sum()), capacity)
    return requests * granted, granted


def granted_share(requested: float, capacity: float) -> float:
    """Share of credit requests granted, ``min(1, C / sum B*)``."""
    return 1.0 if requested <= capacity else capacity / requested


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
    cover(firms.M, firms.D)


def cover(cash: np.ndarray, debt: np.ndarray) -> None:
    """:func:`cover_overdraft` on arrays of cash and debt (updated in place)."""
    short = cash < 0.0
    if short.any():  # most quarters no firm is overdrawn
        rows = np.flatnonzero(short)
        debt[rows] -= cash[rows]
        cash[rows] = 0.0


def leverage(debt, capital, cash) -> float:
    """Liabilities over assets in percent, ``100 sum D / sum (K + M)``."""
    assets = float(capital.sum() + cash.sum())
    return 100.0 * float(debt.sum()) / assets if assets > 0 else 0.0


def settle_accounts(model) -> None:
    """Phase 4b: revenue, costs, subsidies, profit, dividends, cash; next quarter's unit cost
    (:func:`settle`, on blocks of rows).
    """
    support, interest = blockwise(lambda rows: settle(model, rows), len(model.firms))
    led = model.ledger
    firms = np.arange(len(support))
    led.add_pairs("capital", "government", "enterprise", support, dst_rows=firms)
    led.add_pairs("capital", "enterprise", "finance", interest, src_rows=firms)


def settle(model, rows: slice) -> tuple[np.ndarray, np.ndarray]:
    """The accounts of the firms in ``rows``: value added, :func:`profit`, losses in a row,
    cash (:func:`cover_overdraft`) and next quarter's unit cost
    (:func:`model.pricing.unit_cost`).

    Returns:
        (subsidies, interest paid)
    """
    f, s, pol, qv = model.firms, model.config, model.policy, model.quarter_values
    fin = s.finance
    revenue, energy_bill, carbon = qv.sales[rows], qv.energy_bill[rows], qv.carbon_bill[rows]
    K, M, rd, profits = f.K[rows], f.M[rows], f.rd[rows], f.profit[rows]
    va = np.subtract(revenue, energy_bill, out=f.va[rows])
    wage_bill = model.wage * 1e-4 * f.L[rows]
    grant = model.seedling_grant[rows]  # phase 4
    refund = pol.rd_subsidy * (rd - grant)  # the firm's own R&D spending
    support = refund + grant  # the seedling grant pays for R&D
    depreciation = fin.depreciation / 4.0 * K
    interest = fin.interest_rate / 4.0 * f.D[rows]
    profit(revenue, wage_bill, rd, energy_bill, carbon, fin.tax_share * va, interest,
           depreciation, support, out=profits)
    f.profit_year[rows] += profits
    losses = f.losses[rows]
    losses += 1
    losses *= profits < 0
    cash_flow = profits + depreciation
    cash_flow -= fin.payout * np.maximum(profits, 0.0)
    M += cash_flow
    cover(M, f.D[rows])
    total = wage_bill + qv.user_costs.quarterly[rows] * f.z[rows] * K
    total += rd - refund
    total += energy_bill + carbon
    pricing.unit_cost_from(total, f.y[rows], out=f.c[rows])
    return support, interest
