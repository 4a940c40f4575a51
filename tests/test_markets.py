import numpy as np
import pytest

from chainshift.model.markets import (
    adjust_share,
    expect,
    order_shocks,
    orders,
    replicator_shares,
    yearly_volatility,
)


def test_partial_adjustment_toward_the_logit_share():
    s = adjust_share(np.array([0.1]), np.array([0.2]), 0.25)
    assert s[0] == pytest.approx(0.125)
    assert orders(np.array([0.1]), np.array([0.2]), 1.0)[0] == pytest.approx(0.2)
    # stays inside (0, 1) for theta in [0, 1] when share and target are
    assert 0 < adjust_share(np.array([0.9]), np.array([0.999]), 1.0)[0] < 1


def test_adaptive_expectation():
    assert expect(np.array([0.04]), np.array([0.0]), 0.25)[0] == pytest.approx(0.03)


def test_replicator_moves_share_to_more_competitive_firms():
    share = np.array([0.5, 0.5, 1.0])
    comp = np.array([1.0, 0.0, 5.0])
    chain = np.array([0, 0, 1])
    centre = np.array([0.5, 5.0])
    out = replicator_shares(share, comp, chain, 2, speed=1.0, noise=np.zeros(3), centre=centre)
    a, b = 0.5 * np.exp(0.5), 0.5 * np.exp(-0.5)
    assert out[0] == pytest.approx(a / (a + b))
    assert out[1] == pytest.approx(b / (a + b))
    assert out[2] == pytest.approx(1.0)  # a firm alone in its chain keeps it all


def test_replicator_centre_cancels_in_the_normalisation():
    share = np.array([0.5, 0.5, 1.0])
    comp = np.array([1.0, 0.0, 5.0])
    chain = np.array([0, 0, 1])
    one = replicator_shares(share, comp, chain, 2, 1.0, np.zeros(3), np.array([0.0, 0.0]))
    other = replicator_shares(share, comp, chain, 2, 1.0, np.zeros(3), np.array([3.0, -2.0]))
    assert np.allclose(one, other, rtol=1e-14)


def test_replicator_shares_sum_to_one_per_chain():
    rng = np.random.default_rng(1)
    chain = rng.integers(0, 4, 200)
    share = rng.random(200)
    share /= np.bincount(chain, weights=share)[chain]
    out = replicator_shares(share, rng.normal(size=200), chain, 4, 0.3,
                            0.05 * rng.normal(size=200), np.zeros(4))
    assert np.allclose(np.bincount(chain, weights=out), 1.0)


def test_volatility_spread_blends_the_mixture_with_gaussian_shocks():
    # v = (1 - w) + w |z| on the same draws: w = 1 the mixture, w = 0 every firm at 1
    z = np.abs(np.random.default_rng(4).standard_normal(5))
    for w, expected in ((1.0, z), (0.0, np.ones(5)), (0.5, 0.5 + 0.5 * z)):
        got = yearly_volatility(np.random.default_rng(4), 5, w)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)


def test_gaussian_order_shocks_have_no_excess_kurtosis():
    rng = np.random.default_rng(9)
    volatility = yearly_volatility(rng, 400_000, 0.0)
    year = sum(order_shocks(rng, volatility, 0.05) for _ in range(4))
    assert year.std() == pytest.approx(0.1, rel=0.01)
    excess_kurtosis = ((year - year.mean()) ** 4).mean() / year.var() ** 2 - 3
    assert abs(excess_kurtosis) < 0.05


def test_yearly_sums_of_order_shocks_are_fat_tailed():
    rng = np.random.default_rng(9)
    volatility = yearly_volatility(rng, 400_000)
    assert volatility.min() >= 0.0
    turbulence = volatility**2  # Gamma(1/2, 2): mean 1, variance 2
    assert turbulence.mean() == pytest.approx(1.0, rel=0.01)
    assert turbulence.var() == pytest.approx(2.0, rel=0.03)
    year = sum(order_shocks(rng, volatility, 0.05) for _ in range(4))
    assert year.std() == pytest.approx(0.1, rel=0.01)  # 4 quarters: sigma * 2
    excess_kurtosis = ((year - year.mean()) ** 4).mean() / year.var() ** 2 - 3
    # normal scale mixture with Gamma(1/2) variance: 3 Var(G) / E(G)^2 = 6 (Laplace 3, normal 0)
    assert excess_kurtosis == pytest.approx(6.0, abs=0.5)
