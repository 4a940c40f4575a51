import numpy as np
import pytest

from chainshift.model.labour import clearing_wage, hire_sources, rd_wage, talent_stock


def test_wage_clears_against_the_labour_supply():
    w = clearing_wage(3.0, demand=110.0, supply=100.0, elasticity=0.5)
    assert w == pytest.approx(3.0 * 1.1**2)
    # supply at that wage, Lbar (w / w0)^eps, equals demand
    assert 100.0 * (w / 3.0) ** 0.5 == pytest.approx(110.0)
    assert clearing_wage(3.0, 0.0, 100.0, 0.5) == 3.0


def test_rd_wage_clears_the_rd_staff_market():
    budget, w0, stock, eps = 600.0, 5.0, 100.0, 1.0
    w = rd_wage(budget, w0, stock, eps)
    assert w == pytest.approx((600.0 * 5.0 / 100.0) ** 0.5)
    assert budget / w == pytest.approx(stock * (w / w0) ** eps)  # demand = supply


def test_a_budget_rise_splits_between_the_rd_wage_and_rd_staff():
    eps = 1.5
    w1 = rd_wage(100.0, 5.0, 20.0, eps)
    w2 = rd_wage(110.0, 5.0, 20.0, eps)
    wage_part = np.log(w2 / w1) / np.log(1.1)
    staff_part = np.log((110.0 / w2) / (100.0 / w1)) / np.log(1.1)
    assert wage_part == pytest.approx(1 / (1 + eps))
    assert staff_part == pytest.approx(eps / (1 + eps))


def test_rd_wage_without_budget_or_talent_stays_at_the_start_wage():
    assert rd_wage(0.0, 5.0, 10.0, 1.0) == 5.0
    assert rd_wage(10.0, 5.0, 0.0, 1.0) == 5.0


def test_talent_stock_is_stationary_when_inflow_equals_attrition():
    assert talent_stock(1000.0, 0.2, 200.0) == pytest.approx(1000.0)
    assert talent_stock(1000.0, 0.2, 400.0) == pytest.approx(1000.0 - 50.0 + 100.0)


def test_openings_are_filled_by_released_staff_then_new_talent_then_the_pool():
    # 5 openings: 3 released staff take 3, new talent 2 of its 4
    assert hire_sources(5.0, 3.0, 4.0) == (3.0, 2.0, 0.0)
    # 5 openings, 1 released, 1 new: 3 from the pool
    assert hire_sources(5.0, 1.0, 1.0) == (1.0, 1.0, 3.0)
    # more released than openings: the rest leave industry, no new talent is hired
    assert hire_sources(2.0, 6.0, 4.0) == (2.0, 0.0, 0.0)
