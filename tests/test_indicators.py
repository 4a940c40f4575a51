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


# -- indicators by chain ---------------------------------------------------------------------

def test_indicators_by_chain_on_a_tiny_table_by_hand():
    from chainshift.model.indicators import BY_CHAIN, QuarterTotals, Recorder, chain_values
    from chainshift.model.table import Table

    f = Table({"chain": np.intp, "K": float, "g": float, "co2": float, "energy": float,
               "rd": float})
    f.append({"chain": [0, 0, 1], "K": [2.0, 2.0, 4.0], "g": [0.5, 0.0, 0.75],
              "co2": [1.0, 2.0, 4.0], "energy": [0.5, 0.5, 3.0], "rd": [0.1, 0.2, 0.3]}, 3)
    zero = (0.0, 0.0, 0.0)
    # nominal value added 3, 1, 0 and a chained real total of 8: real value added 6, 2, 0;
    # a year before nominal 2, 2, 0 and real total 4: real 2, 2, 0
    now = QuarterTotals(np.array([[9.0, 9.0, 0.0], [3.0, 1.0, 0.0]]), 8.0, 0.0, zero, zero)
    base = QuarterTotals(np.array([[9.0, 9.0, 0.0], [2.0, 2.0, 0.0]]), 4.0, 0.0, zero, zero)
    values = chain_values(now, base, f, 3, np.array([1.0, 0.5, 0.25]))
    expected = np.array([
        [6.0, 2.0, 0.0],  # value_added
        [3.0, 1.0, 0.0],  # value_added_nominal
        [200.0, 0.0, np.nan],  # value_added_growth: 6/2, 2/2, no base
        [3.0, 4.0, 0.0],  # co2
        [1.0, 3.0, 0.0],  # energy_use
        [2.0, 1.0, 0.0],  # enterprises
        [1.3, 0.8, 0.25],  # rd_spending: firms' plus institutes'
        [25.0, 75.0, 0.0],  # green_share: (0.5*2 + 0*2)/4, 0.75*4/4, no capital
    ])
    np.testing.assert_allclose(values, expected, rtol=1e-12)
    assert np.isnan(chain_values(now, None, f, 3, np.zeros(3))[2]).all()  # no year before

    rec = Recorder(None)
    rec.chain_rows = [(0, 2021, 1, values), (1, 2021, 2, values)]
    frame = rec.by_chain(["a", "b", "c"])
    assert list(frame.columns) == list(BY_CHAIN)
    assert frame["step"].tolist() == [0, 0, 0, 1, 1, 1]
    assert frame["quarter"].tolist() == [1, 1, 1, 2, 2, 2]
    assert frame["chain"].astype(str).tolist() == ["a", "b", "c"] * 2
    assert frame["enterprises"].dtype == np.int64
    assert frame.loc[4, "co2"] == 4.0 and frame.loc[5, "rd_spending"] == 0.25


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chains_sum_to_the_economy_wide_indicators(seed):
    from chainshift.model.indicators import CHAIN_SUMS
    from tests.conftest import baseline_run

    model = baseline_run(seed, steps=8, enterprises=2000)
    ind = model.indicators()
    by = model.indicators_by_chain()
    assert len(by) == len(ind) * model.n_chains
    assert by["chain"].astype(str).unique().tolist() == list(model.chain_names)
    sums = by.groupby("step", observed=True)[list(CHAIN_SUMS)].sum()
    for col in CHAIN_SUMS:
        np.testing.assert_allclose(sums[col].to_numpy(), ind[col].to_numpy(), rtol=1e-10,
                                   err_msg=col)
    assert (sums["enterprises"].to_numpy() == ind["enterprises"].to_numpy()).all()
    # growth on the same quarter a year before, from the spin-up year on
    wide = by.pivot(index="step", columns="chain", values="value_added")
    growth = by.pivot(index="step", columns="chain", values="value_added_growth")
    np.testing.assert_allclose(growth.iloc[4:], 100 * (wide / wide.shift(4) - 1).iloc[4:],
                               rtol=1e-9)
    assert growth.iloc[0].notna().all()
    assert by[["year", "quarter"]].equals(
        ind.loc[ind.index.repeat(model.n_chains), ["year", "quarter"]].reset_index(drop=True))
    # the clean share of capital: capital-weighted, chains average to the economy's
    k = model.firm_table().groupby("chain", observed=True)["K"].sum()
    last = by[by["step"] == by["step"].max()].set_index("chain")["green_share"]
    assert float((last * k).sum() / k.sum()) == pytest.approx(ind["green_share"].iloc[-1])


def test_the_firm_table_holds_every_column_one_row_per_enterprise(baseline_model):
    from chainshift.model.setup import FIRM_COLUMNS

    ft = baseline_model.firm_table()
    assert len(ft) == baseline_model.indicators()["enterprises"].iloc[-1]
    assert list(ft.columns) == ["id", *FIRM_COLUMNS]
    assert ft["id"].is_unique
    assert set(ft["chain"].astype(str)) <= set(baseline_model.chain_names)
