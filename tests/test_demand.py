import numpy as np
import pytest

from model.demand import chain_demand, competitiveness, replicator_shares


def test_chain_demand_trend_and_pass_through():
    d = chain_demand(np.array([100.0]), np.array([0.0816]), np.array([1.02]), np.array([1.0]))
    # (1.0816)^(1/4) = 1.01980..., times 1.02
    assert d[0] == pytest.approx(100 * 1.0816**0.25 * 1.02)


def test_competitiveness():
    e = competitiveness(np.array([np.e]), np.array([0.0]), np.array([0.1]))
    assert e[0] == pytest.approx(0.9)


def test_replicator_moves_share_to_above_average_firms():
    share = np.array([0.5, 0.5, 1.0])
    comp = np.array([1.0, 0.0, 5.0])
    chain = np.array([0, 0, 1])
    out = replicator_shares(share, comp, chain, 2, speed=1.0, noise=np.zeros(3))
    # chain 0: mean 0.5; raw = 0.5 e^0.5, 0.5 e^-0.5
    a, b = 0.5 * np.exp(0.5), 0.5 * np.exp(-0.5)
    assert out[0] == pytest.approx(a / (a + b))
    assert out[1] == pytest.approx(b / (a + b))
    assert out[2] == pytest.approx(1.0)  # a firm alone in its chain keeps it all


def test_replicator_shares_sum_to_one_per_chain():
    rng = np.random.default_rng(1)
    chain = rng.integers(0, 4, 200)
    share = rng.random(200)
    share /= np.bincount(chain, weights=share)[chain]
    out = replicator_shares(share, rng.normal(size=200), chain, 4, 0.3, 0.05 * rng.normal(size=200))
    assert np.allclose(np.bincount(chain, weights=out), 1.0)
