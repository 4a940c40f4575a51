import numpy as np
import pytest

from model.innovation import absorptive_capacity, innovate, rd_effort, success_probability


def test_success_probability_formula():
    p = success_probability(np.array([1.0, 0.0]), np.array([0.5, 1.0]), 2.0)
    assert p.tolist() == pytest.approx([1 - np.exp(-1.0), 0.0])


def test_effort_is_intensity_over_three_percent_cut_by_missing_staff():
    e = rd_effort(
        np.array([3.0, 3.0]),
        np.array([100.0, 100.0]),
        np.array([10.0, 25.0]),
        np.array([10.0, 100.0]),
    )
    assert e.tolist() == pytest.approx([1.0, 0.5])


def test_absorptive_capacity():
    a = absorptive_capacity(np.array([1.0]), np.array([0.4]), np.array([1.0]), np.array([True]))
    assert a[0] == pytest.approx((0.3 + 0.4 + 0.3) * 1.2)


def test_innovate_success_rate_and_mean_gain():
    rng = np.random.default_rng(7)
    n = 200_000
    gains = innovate(rng, np.full(n, 0.25), step=0.01, radical_prob=0.0, radical_step=0.5)
    success = gains > 0
    assert success.mean() == pytest.approx(0.25, abs=0.005)
    assert gains[success].mean() == pytest.approx(0.01, rel=0.03)


def test_radical_innovations_are_larger():
    rng = np.random.default_rng(8)
    gains = innovate(rng, np.ones(100_000), step=0.01, radical_prob=0.1, radical_step=0.2)
    big = gains > 0.1
    assert 0.05 < big.mean() < 0.1  # P(radical) * P(Exp(0.2) > 0.1) = 0.1 * e^-0.5 = 0.061
