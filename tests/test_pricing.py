import numpy as np
import pytest

from chainshift.model.pricing import (
    competitiveness,
    logit_share,
    markup,
    prices,
    rivals_competitiveness,
    unit_cost,
)


def test_markup_from_the_logit_elasticity():
    # eta (1 - s) = 5 * 0.8 = 4: mu = 1 / 3
    assert markup(np.array([5.0]), np.array([0.2]))[0] == pytest.approx(1 / 3)


def test_unit_cost_sums_costs_per_unit_and_keeps_the_old_one_without_output():
    c = unit_cost(np.array([2.0, 1.0]), np.array([1.0, 1.0]), np.array([0.5, 0.0]),
                  np.array([0.5, 0.0]), np.array([8.0, 0.0]), np.array([9.0, 0.7]))
    assert c.tolist() == pytest.approx([0.5, 0.7])


def test_prices_and_competitiveness_in_levels():
    p = prices(np.array([0.8]), np.array([0.25]))
    assert p[0] == pytest.approx(1.0)
    e = competitiveness(np.array([1.0, 2.0]), np.array([0.0, np.e - 1]))
    assert e.tolist() == pytest.approx([0.0, 1.0 - np.log(2.0)])


def test_logit_share_is_half_at_parity_and_below_one():
    s = logit_share(np.array([0.0, 2.0, -1.0]), np.zeros(3), np.full(3, 5.0))
    assert s[0] == pytest.approx(0.5)
    assert s[1] == pytest.approx(1 / (1 + np.exp(-10.0))) and s[1] < 1.0
    assert s[2] == pytest.approx(1 / (1 + np.exp(5.0)))


def test_a_price_rise_lowers_the_target_share_whenever_it_comes():
    e = np.array([0.0])
    base = logit_share(e, np.array([0.5]), np.array([5.0]))
    dearer = logit_share(e - np.log(1.05), np.array([0.5]), np.array([5.0]))
    assert dearer[0] < base[0]


def test_rivals_competitiveness_follows_their_price_path():
    e = rivals_competitiveness(np.array([0.2]), np.array([-0.02]), 3.0)
    assert e[0] == pytest.approx(0.2 - 3 * np.log(0.98))
