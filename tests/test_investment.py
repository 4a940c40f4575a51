import numpy as np
import pytest

from model.investment import capital_target, credit_limit, desired_investment, finance, renovation


def test_capital_target_falls_with_tfp():
    k = capital_target(
        np.array([10.0, 10.0]), np.array([1.0, 2.0]), np.zeros(2), 0.1, np.array([4.0, 4.0])
    )
    assert k.tolist() == pytest.approx([40.0, 20.0])


def test_desired_investment_never_negative():
    i = desired_investment(np.array([100.0, 0.0]), np.array([80.0, 80.0]), 0.25, 0.02)
    assert i.tolist() == pytest.approx([0.25 * 20 + 1.6, 0.0])


def test_finance_uses_internal_funds_first():
    inv, borrowed = finance(
        np.array([10.0, 10.0, 10.0]), np.array([12.0, 4.0, -5.0]), np.array([0.0, 3.0, 20.0])
    )
    assert inv.tolist() == pytest.approx([10.0, 7.0, 10.0])
    assert borrowed.tolist() == pytest.approx([0.0, 3.0, 10.0])


def test_credit_limit():
    c = credit_limit(np.array([10.0, -1.0, 100.0]), np.array([5.0, 0.0, 0.0]),
                     np.array([100.0, 100.0, 100.0]), 1.5, 0.02, 2.0, np.array([0.5, 1.0, 1.0]))
    # headroom 10, 0, 150; flow cap 2: limits 2*0.5*2 = 2, 0, 2*1*2 = 4
    assert c.tolist() == pytest.approx([2.0, 0.0, 4.0])


def test_renovation():
    tfp_factor, d_green, e_divisor = renovation(np.array([10.0]), np.array([100.0]), 0.5, 0.1, 0.2)
    assert tfp_factor[0] == pytest.approx(1 + 0.1 * 0.05)
    assert d_green[0] == pytest.approx(0.2 * 0.05)
    assert e_divisor[0] == pytest.approx(1 + 0.05 * 0.05)
