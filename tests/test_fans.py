"""Fans of the headline path under parameter uncertainty: the draws, and runs that differ from
the seed band only when the parameters are uncertain.
"""

import numpy as np
import pandas as pd
import pytest

from chainshift.experiments.fans import HEADLINE, draw_parameters, fan
from chainshift.experiments.fit_uncertainty import DEFAULT_FIT_SEEDS, fit_seeds
from chainshift.experiments.moments import load_moments
from chainshift.experiments.precision import Precision
from chainshift.experiments.validation import CALIBRATED
from chainshift.scenarios import load_scenario

KEYS = ("technology.innovation_hazard", "energy.other_rd_share")


def _precision(theta, cov) -> Precision:
    k = len(theta)
    m = load_moments()
    return Precision(KEYS[:k], np.asarray(theta, float), np.zeros(k), np.ones(k),
                     np.zeros((len(m), k)), np.zeros((len(m), k)), np.asarray(cov, float),
                     m, 10, 5)


def test_draws_have_the_fitted_mean_and_covariance():
    cov = np.array([[0.01, 0.004], [0.004, 0.0025]])
    draws = draw_parameters(_precision([0.5, 0.4], cov), [0, 0], [1, 1], 20_000, seed=1)
    assert draws.shape == (20_000, 2)
    assert draws.mean(axis=0) == pytest.approx([0.5, 0.4], abs=0.003)
    np.testing.assert_allclose(np.cov(draws.T), cov, rtol=0.05)


def test_draws_outside_the_search_range_are_drawn_again():
    draws = draw_parameters(_precision([0.2], [[0.04]]), [0.1], [0.5], 2000, seed=2)
    assert draws.min() >= 0.1 and draws.max() <= 0.5
    assert (draws < 0.2).mean() < 0.5  # the cut at 0.1 is nearer than the one at 0.5


def test_no_standard_errors_means_no_fan():
    with pytest.raises(ValueError, match="no standard errors"):
        draw_parameters(_precision([0.2], [[np.nan]]), [0], [1], 5)


@pytest.fixture(scope="module")
def short():
    return load_scenario("baseline", overrides={"population.enterprises": 300,
                                                "horizon.end_year": 2023})


def test_a_fan_with_certain_parameters_is_the_seed_band(short):
    theta = [short.technology.innovation_hazard, short.energy.other_rd_share]
    f = fan(short, _precision(theta, np.zeros((2, 2))), [0, 0], [1, 1], n=3, seed=4)
    pd.testing.assert_frame_equal(f.drawn, f.fitted)
    assert sorted(f.drawn["year"].unique()) == [2021, 2022, 2023]
    assert list(f.drawn.columns) == ["run", "year", *HEADLINE]


def test_uncertain_parameters_widen_the_fan_beyond_the_seed_band(short):
    theta = [short.technology.innovation_hazard, short.energy.other_rd_share]
    cov = np.diag([(0.3 * theta[0]) ** 2, (0.3 * theta[1]) ** 2])
    f = fan(short, _precision(theta, cov), [0, 0], [1, 1], n=3, seed=4)
    assert not f.drawn.equals(f.fitted)
    assert f.seeds == fan(short, _precision(theta, np.zeros((2, 2))), [0, 0], [1, 1], n=3,
                          seed=4).seeds
    table = f.table([2023])
    assert set(table["indicator"]) == set(HEADLINE)
    assert (table["lo"] <= table["median"]).all() and (table["median"] <= table["hi"]).all()


def test_fit_seeds_are_read_from_the_fits_description(short):
    fitted = load_scenario(CALIBRATED)
    assert fit_seeds(fitted) == 4
    assert fit_seeds(short) == DEFAULT_FIT_SEEDS
