import numpy as np
import pytest

from chainshift.model.investment import (
    capital_target,
    clean_share,
    desired_investment,
    renovation_gain,
    user_cost,
)


def test_promoted_capital_lowers_the_user_cost_by_the_grant():
    u = user_cost(0.12, 0.2, np.array([0.0, 50.0, 200.0]), np.array([100.0, 100.0, 100.0]))
    assert u.tolist() == pytest.approx([0.12, 0.12 * 0.9, 0.12 * 0.8])  # share capped at 1


def test_capital_target_is_cost_minimising_for_expected_output():
    # alpha 0.5, kappa 4: K* = (y / A') 4^0.5; more TFP, less capital for the same output
    k = capital_target(np.array([10.0, 10.0]), np.array([1.0, 2.0]), np.full(2, 4.0), 0.5)
    assert k.tolist() == pytest.approx([20.0, 10.0])


def test_desired_investment_closes_a_share_of_the_gap_and_replaces_wear():
    i = desired_investment(np.array([100.0, 0.0]), np.array([80.0, 80.0]), 0.25, 0.02)
    assert i.tolist() == pytest.approx([0.25 * 20 + 1.6, 0.0])


def test_clean_share_is_a_logit_of_the_levelised_cost_difference():
    capital, dirty, clean = np.full(3, 0.3), np.full(3, 0.2), np.array([0.2, 0.14, 0.26])
    x = clean_share(capital, dirty, clean, np.array([0.0, 0.2, 0.0]), 0.1)
    assert x[0] == pytest.approx(0.5)  # equal costs: half
    # clean saves 0.06 of energy and costs 0.06 more capital: equal levelised cost
    assert x[1] == pytest.approx(0.5)
    assert x[2] < 0.5
    # a carbon price raises the energy cost of dirty capacity more than of clean
    cheaper = clean_share(capital, dirty + 0.05, clean + 0.02, np.zeros(3), 0.1)
    assert (cheaper > clean_share(capital, dirty, clean, np.zeros(3), 0.1)).all()


def test_renovation_gain_is_bounded_by_the_gap_to_best_practice():
    g = renovation_gain(np.array([10.0, 10.0]), np.array([100.0, 100.0]), 0.5, 0.4,
                        np.array([0.3, 0.0]))
    assert g.tolist() == pytest.approx([0.4 * 0.05 * 0.3, 0.0])  # nothing at the frontier
