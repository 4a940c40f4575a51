"""Calibration sanity at baseline: the mean of 5 seeds against Chongqing 2021-2022.

Observed figures (shared data, scenarios/data): industrial value added about 7,300 (100m
yuan) in 2020 and growth of 10.7% (2021) and about 4.5-6% (2022); R&D/GDP 2.16% (2021) and
2.36% (2022); strategic-emerging share 28.9% (2021) and 31.1% (2022); energy intensity -2.7%
(2022); about 85% of output in development zones.
"""

import numpy as np
import pandas as pd
import pytest

from chainshift.model.summary import annual
from tests.conftest import baseline_run

SEEDS = range(5)


@pytest.fixture(scope="module")
def years() -> pd.DataFrame:
    tables = [annual(baseline_run(seed, steps=12).indicators()).set_index("year") for seed in SEEDS]
    return sum(tables) / len(tables)


def test_value_added_level_2021(years):
    assert 7_400 <= years.loc[2021, "value_added"] <= 8_600


@pytest.mark.parametrize("year", [2021, 2022])
def test_value_added_growth(years, year):
    assert 4.0 <= years.loc[year, "value_added_growth"] <= 11.0


def test_rd_intensity_near_observed_and_rising(years):
    assert 1.9 <= years.loc[2021, "rd_intensity"] <= 2.5
    assert years.loc[2022, "rd_intensity"] > years.loc[2021, "rd_intensity"]


def test_strategic_emerging_share(years):
    assert 27.0 <= years.loc[2021, "strategic_emerging_share"] <= 31.0
    rise = years["strategic_emerging_share"].diff().loc[[2022, 2023]]
    assert ((rise >= 1.0) & (rise <= 3.0)).all()


@pytest.mark.parametrize("year", [2022, 2023])
def test_energy_intensity_falls_while_energy_use_grows(years, year):
    change = 100 * (
        years.loc[year, "energy_intensity"] / years.loc[year - 1, "energy_intensity"] - 1
    )
    assert -4.0 <= change <= -2.0
    assert years.loc[year, "energy_use"] > years.loc[year - 1, "energy_use"]


def test_park_output_share(years):
    assert 80.0 <= years.loc[2021, "park_output_share"] <= 90.0


def test_seed_spread_is_small(years):
    growth = [
        annual(baseline_run(s, steps=12).indicators())
        .set_index("year")
        .loc[2021, "value_added_growth"]
        for s in SEEDS
    ]
    assert np.std(growth) < 2.0
