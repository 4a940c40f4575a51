"""The recorder's accounting: identities that must hold on every run."""

import numpy as np
import pytest

from chainshift.model.accounting import innovation_share
from chainshift.model.indicators import ACCOUNTING, DECOMPOSITION
from chainshift.model.setup import GAIN_SOURCES
from chainshift.model.summary import annual, window_shares


@pytest.fixture(scope="module")
def q4(baseline_model):
    df = baseline_model.indicators()
    return df[df.quarter == 4].set_index("year")


def test_contributions_add_up_to_the_growth_of_real_value_added(q4, baseline_model):
    growth = q4[list(ACCOUNTING)].sum(axis=1)
    y = annual(baseline_model.indicators()).set_index("year")["value_added"]
    # four-quarter sums of chain output against the four before (Tornqvist) and the yearly sum
    # of the chain-linked quarterly index are two index numbers: they agree up to a
    # second-order term in the chains' relative price and quantity changes (about 0.1 points in
    # a year of large relative moves); the exact identity, contributions summing to the growth
    # they account for, is tested in tests/test_accounting.py
    np.testing.assert_allclose(growth.loc[2022:], 100 * np.log(y / y.shift(1)).loc[2022:],
                               atol=0.1)


def test_the_decomposition_adds_up_to_the_solow_residual(q4):
    parts = q4[["tfp_within", "tfp_reallocation", "tfp_entry", "tfp_exit", "tfp_composition",
                "tfp_gap"]].sum(axis=1)
    np.testing.assert_allclose(parts, q4["tfp_contribution"], rtol=1e-12, atol=1e-12)
    assert q4[list(DECOMPOSITION)].notna().all().all()


def test_every_change_of_a_firms_tfp_is_booked_to_a_source(q4):
    sources = q4[[f"tfp_within_{s}" for s in GAIN_SOURCES]].sum(axis=1)
    np.testing.assert_allclose(sources, q4["tfp_within"], atol=1e-9)
    assert (q4[[f"tfp_within_{s}" for s in GAIN_SOURCES]] >= 0).all().all()


def test_the_innovation_share_is_tfp_over_growth_of_the_last_five_years(q4, baseline_model):
    growth = q4[list(ACCOUNTING)].sum(axis=1)
    for year in (2025, 2030, 2035):
        years = list(range(year - 4, year + 1))
        expected = innovation_share(q4.loc[years, "tfp_contribution"], growth.loc[years])
        assert q4.loc[year, "innovation_share"] == pytest.approx(expected)
    windows = window_shares(baseline_model.indicators())
    assert windows["2031-2035"] == pytest.approx(q4.loc[2035, "innovation_share"])


def test_the_first_year_has_a_share_from_one_year_and_no_earlier_quarter_has_one(
        baseline_model):
    df = baseline_model.indicators()
    assert df.loc[:2, "innovation_share"].isna().all()
    first = df.loc[3]
    growth = sum(first[c] for c in ACCOUNTING)
    assert first["innovation_share"] == pytest.approx(100 * first["tfp_contribution"] / growth)
