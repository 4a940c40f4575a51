"""Standard errors and identification of a fit, on known linear moments and hand-computed
sandwiches.
"""

import math

import numpy as np
import pytest

from chainshift.experiments.moments import Moment
from chainshift.experiments.precision import (
    critical_t,
    difference_points,
    estimate,
    paired_t,
    sandwich,
)


def _moments(*tolerances: float) -> tuple[Moment, ...]:
    return tuple(Moment(f"m{i}", "x", 2022, "value", 0.0, tol, "u", f"m{i}", "src", "why")
                 for i, tol in enumerate(tolerances))


def test_sd_of_a_moment_is_half_its_95_percent_tolerance():
    (m,) = _moments(3.0)
    assert m.sd == 1.5
    assert m.weight == pytest.approx(1 / (4 * m.sd**2))


def test_sandwich_by_hand():
    g = np.array([[2.0], [1.0]])
    sd = np.array([1.0, 2.0])  # W = diag(1, 1/4): G'WG = 4 + 1/4
    assert sandwich(g, sd, np.zeros(2), 1) == pytest.approx(np.array([[1 / 4.25]]))
    # seed variance 1 on the first moment, one seed: Omega + Sigma = diag(2, 4)
    # meat = 4 * 1^2 * 2 + 1 * (1/4)^2 * 4 = 8.25
    assert sandwich(g, sd, np.array([1.0, 0.0]), 1) == pytest.approx(np.array([[8.25 / 4.25**2]]))
    # more seeds in the fit shrink the seed term: S = 4 gives Omega + Sigma/4
    assert sandwich(g, sd, np.array([1.0, 0.0]), 4) == pytest.approx(
        np.array([[(4 * 1.25 + 0.25) / 4.25**2]]))


def test_a_parameter_that_moves_nothing_makes_the_sandwich_singular():
    g = np.array([[1.0, 0.0], [2.0, 0.0]])
    assert np.isnan(sandwich(g, np.ones(2), np.zeros(2), 1)).all()


def test_paired_t_by_hand():
    d = np.array([[1.0, 0.0, 2.0], [3.0, 0.0, 2.0]])
    t = paired_t(d)
    # mean 2, sd sqrt(2), se 1 -> t 2; a zero difference -> 0; no spread -> infinite
    assert t[0] == pytest.approx(2.0)
    assert t[1] == 0.0
    assert t[2] == math.inf


def test_critical_t_is_bonferroni_over_the_moments_with_n_minus_1_degrees_of_freedom():
    assert critical_t(1, 12) == math.inf
    assert critical_t(10, 1) == pytest.approx(2.262, abs=1e-3)  # t_9, 97.5%
    assert critical_t(10, 12) == pytest.approx(3.808, abs=1e-3)  # t_9, 1 - 0.05/24
    assert critical_t(10, 12) > critical_t(10, 1)


def test_difference_points_stay_inside_the_bounds():
    down, up = difference_points([1.0, 0.0, 2.0], [0.5, -1.0, 1.95], [1.05, 1.0, 3.0])
    assert down == pytest.approx([0.9, -0.2, 1.95])
    assert up == pytest.approx([1.05, 0.2, 2.2])


def _linear(a: np.ndarray, noise: np.ndarray):
    """Moments A theta plus a per-seed noise that is the same at every theta (common random
    numbers)."""
    return lambda theta: (a @ np.asarray(theta))[None, :] + noise


def test_the_jacobian_of_linear_moments_is_their_matrix_and_both_parameters_are_identified():
    rng = np.random.default_rng(1)
    a = np.array([[2.0, 0.0], [0.5, -1.0], [0.0, 3.0]])
    noise = rng.normal(0, 0.3, size=(8, 3))
    simulate = _linear(a, noise)
    theta = np.array([1.0, 2.0])
    moments = _moments(1.0, 2.0, 0.5)
    pr = estimate(simulate, theta, [0, 0], [10, 10], simulate(theta), ["a", "b"], moments)
    assert pr.jacobian == pytest.approx(a)
    assert pr.identified.all()
    assert pr.flags() == []
    sd = np.array([m.sd for m in moments])
    expected = sandwich(a, sd, noise.var(axis=0, ddof=1), 8)
    assert pr.covariance == pytest.approx(expected)
    table = pr.table()
    assert table["se"].tolist() == pytest.approx(np.sqrt(np.diag(expected)).tolist())
    assert table.loc[0, "ci_hi"] == pytest.approx(1.0 + 1.959964 * table.loc[0, "se"])


def test_a_parameter_whose_effect_is_seed_noise_is_not_identified():
    a = np.array([[2.0], [0.5]])

    def simulate(theta):
        # the second parameter only reshuffles the noise: no effect on the expected moments
        noise = np.random.default_rng(int(theta[1] * 1000)).normal(0, 1.0, size=(10, 2))
        return (a[:, 0] * theta[0])[None, :] + noise

    theta = np.array([1.0, 1.0])
    pr = estimate(simulate, theta, [0, 0], [5, 5], simulate(theta), ["moves", "idle"],
                  _moments(1.0, 1.0))
    assert pr.identified.tolist() == [True, False]
    assert any(f.startswith("idle moves no moment") for f in pr.flags())
