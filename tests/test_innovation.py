import numpy as np
import pytest

from model.innovation import absorptive_capacity, innovate, rd_effort, success_probability


def test_success_probability_formula():
    p = success_probability(np.array([1.0, 0.0]), np.array([0.5, 1.0]), 2.0)
    assert p.tolist() == pytest.approx([1 - np.exp(-1.0), 0.0])


def test_effort_is_intensity_over_three_percent_cut_by_missing_staff():
    e = rd_effort(
        np.array([0.03, 0.03, 0.03]),
        np.array([10.0, 25.0, 5.0]),
        np.array([10.0, 100.0, 0.0]),
    )
    assert e.tolist() == pytest.approx([1.0, 0.5, 0.0])  # no budget, no staff wanted: no effort


def test_absorptive_capacity():
    a = absorptive_capacity(np.array([1.0]), np.array([0.4]), np.array([1.0]), np.array([True]))
    assert a[0] == pytest.approx((0.3 + 0.4 + 0.3) * 1.2)


def test_innovate_success_rate_and_mean_gain():
    rng = np.random.default_rng(7)
    n = 200_000
    rows, gains = innovate(rng, np.full(n, 0.25), step=0.01, radical_prob=0.0, radical_step=0.5)
    assert rows.size / n == pytest.approx(0.25, abs=0.005)
    assert np.all(gains >= 0) and np.all(np.isfinite(gains))
    assert gains.mean() == pytest.approx(0.01, rel=0.03)
    assert gains.std() == pytest.approx(0.01, rel=0.03)  # exponential: sd = mean


def test_innovate_gains_are_independent_of_the_success_probability():
    rng = np.random.default_rng(3)
    n = 400_000
    p = np.where(np.arange(n) % 2 == 0, 0.1, 0.9)
    rows, gains = innovate(rng, p, step=0.01, radical_prob=0.0, radical_step=0.5)
    low = p[rows] == 0.1
    assert (low.sum() / (n / 2)) == pytest.approx(0.1, abs=0.005)
    assert gains[low].mean() == pytest.approx(gains[~low].mean(), rel=0.04)


def test_radical_innovations_are_larger():
    rng = np.random.default_rng(8)
    n = 100_000
    rows, gains = innovate(rng, np.ones(n), step=0.01, radical_prob=0.1, radical_step=0.2)
    assert rows.size == n
    big = gains > 0.1
    assert 0.05 < big.mean() < 0.07  # P(radical) * P(Exp(0.2) > 0.1) = 0.1 * e^-0.5 = 0.061
    # the mixture's mean: 0.9 * 0.01 + 0.1 * 0.2 = 0.029
    assert gains.mean() == pytest.approx(0.029, rel=0.04)


def test_innovate_handles_certain_radical_and_no_success():
    rng = np.random.default_rng(1)
    rows, gains = innovate(rng, np.full(1000, 0.5), 0.01, radical_prob=1.0, radical_step=0.2)
    assert np.all(np.isfinite(gains)) and gains.mean() == pytest.approx(0.2, rel=0.2)
    rows, gains = innovate(rng, np.zeros(1000), 0.01, 0.1, 0.2)
    assert rows.size == 0 and gains.size == 0
