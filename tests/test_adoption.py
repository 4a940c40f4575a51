import numpy as np
import pytest

from chainshift.model.adoption import (
    adopt,
    adoption_hazard,
    clean_premium,
    digital_economics,
    neighbourhood_mean,
)


def test_hazard_and_economics():
    assert digital_economics(0.1, np.array([0.0]), 4.0, 1.0)[0] == pytest.approx(1.4)
    h = adoption_hazard(0.03, 0.4, np.array([0.5]), np.array([2.0]))
    assert h[0] == pytest.approx((0.03 + 0.2) * 2)


def test_adopt_rate_matches_quarterly_probability():
    rng = np.random.default_rng(5)
    level = np.zeros(100_000)
    rows, rise = adopt(rng, level, np.full(level.size, 0.4), 0.25)
    assert rows.size / level.size == pytest.approx(1 - np.exp(-0.1), abs=0.005)
    assert np.all(np.diff(rows) > 0)  # distinct rows, in order
    assert np.all(rise == 0.25)


def test_adopt_never_exceeds_one():
    rng = np.random.default_rng(6)
    rows, rise = adopt(rng, np.full(1000, 0.9), np.full(1000, 100.0), 0.25)
    assert rows.size > 990  # hazard 100 a year: nearly every firm upgrades
    assert np.allclose(rise, 0.1)  # capped at 1


def test_bass_adoption_gives_s_curve():
    rng = np.random.default_rng(2)
    level = np.zeros(20_000)
    path = []
    for _ in range(120):
        hazard = adoption_hazard(0.01, 0.5, np.full(level.size, level.mean()), 1.0)
        rows, rise = adopt(rng, level, hazard, 1.0)
        level[rows] += rise
        path.append(level.mean())
    gains = np.diff(path)
    peak = int(np.argmax(gains))
    assert 5 < peak < 110  # slow start, fastest in the middle, saturation
    assert gains[:3].mean() < gains[peak] and gains[-3:].mean() < gains[peak]


def test_clean_premium_falls_with_green_neighbours_and_park_infrastructure():
    p = clean_premium(0.2, 0.5, np.array([0.0, 0.4, 0.4]), 0.5, np.array([0.0, 0.0, 1.0]))
    assert p.tolist() == pytest.approx([0.2, 0.2 * 0.8, 0.2 * 0.8 * 0.5])
    assert clean_premium(0.2, 0.0, np.array([1.0]), 0.0, np.array([1.0]))[0] == 0.2


def test_neighbourhood_mean():
    m = neighbourhood_mean(np.array([0.2, 0.6, 0.5]), np.array([1.0, 3.0, 0.0]),
                           np.array([0, 0, 1]), 3)
    assert m.tolist() == pytest.approx([0.5, 0.0, 0.0])
