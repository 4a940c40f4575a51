import numpy as np
import pytest

from chainshift.model.finance import (
    access,
    excess_cash,
    financeable,
    leverage,
    profit,
    ration,
    repay,
)


def test_profit_adds_subsidies_and_subtracts_every_cost():
    assert profit(100.0, 30.0, 5.0, 10.0, 1.0, 12.0, 2.0, 8.0, 1.5) == pytest.approx(33.5)


def test_access_wedges_by_size_ownership_and_status():
    size = np.array([0, 2, 3, 2, 0])
    soe = np.array([False, False, False, False, True])
    spec = np.array([False, True, False, False, False])
    giant = np.array([False, False, False, True, False])
    a = access(size, soe, spec, giant, sme_access=0.6, soe_access=1.3, spec_bonus=0.5)
    # large private 1; small specialized 0.6 * 1.5; micro 0.6; a little giant borrows like a
    # large firm; a large state-owned firm 1.3
    assert a.tolist() == pytest.approx([1.0, 0.9, 0.6, 1.0, 1.3])


def test_financeable_investment_keeps_both_limits():
    funds, debt, kept, floor = np.array([2.0, 2.0]), np.array([50.0, 60.0]), 100.0, 5.0
    target, ltv = 0.6, np.array([0.9, 0.5])
    i = financeable(funds, debt, np.full(2, kept), np.full(2, floor), target, ltv)
    # firm 0: by target (2 + 0.6 * 105 - 50) / 0.4 = 37.5; by bank (2 + 90 - 50) / 0.1 = 420
    # firm 1: by target (2 + 63 - 60) / 0.4 = 12.5; by bank (2 + 50 - 60) / 0.5 < 0 -> 0
    assert i.tolist() == pytest.approx([37.5, 0.0])
    borrowed = i[0] - funds[0]
    assert debt[0] + borrowed == pytest.approx(target * (kept + i[0] + floor))


def test_proportional_rationing():
    granted, share = ration(np.array([10.0, 30.0]), capacity=20.0)
    assert share == pytest.approx(0.5) and granted.tolist() == pytest.approx([5.0, 15.0])
    granted, share = ration(np.array([10.0, 30.0]), capacity=100.0)
    assert share == 1.0 and granted.tolist() == pytest.approx([10.0, 30.0])


def test_repayment_is_paid_from_cash_only():
    cash, debt = np.array([10.0, 1.0, -3.0]), np.array([100.0] * 3)
    # nothing within the ceiling falls due: 5% of the debt above it, at most the cash
    assert repay(cash, debt, np.zeros(3), 0.05).tolist() == pytest.approx([5.0, 1.0, 0.0])
    assert repay(cash, debt, np.array([80.0, 100.0, 0.0]), 0.05).tolist() == \
        pytest.approx([1.0, 0.0, 0.0])


def test_excess_cash_repays_debt_above_target_then_pays_out():
    cash, debt, assets, floor = np.array([30.0, 30.0]), np.array([70.0, 40.0]), 100.0, 5.0
    repaid, payout = excess_cash(cash, debt, np.full(2, assets), np.full(2, floor), 0.6)
    # firm 0 is 10 above target: repays 10, keeps 20, pays out 20 - 10 = 10
    # firm 1 is below target: repays nothing, pays out 30 - 10 = 20
    assert repaid.tolist() == pytest.approx([10.0, 0.0])
    assert payout.tolist() == pytest.approx([10.0, 20.0])


def test_leverage_is_liabilities_over_assets_in_percent():
    assert leverage(np.array([56.0]), np.array([90.0]), np.array([10.0])) == pytest.approx(56.0)
    assert leverage(np.zeros(0), np.zeros(0), np.zeros(0)) == 0.0
