"""Stylised facts of industrial dynamics, each with its negative control. Every test runs the
fact's setting and its control over several seeds and judges a statistic, not an exact value:
the fact must hold with its mechanism and fail with it switched off. The measures, controls
and criteria live in ``experiments/facts.py`` so docs/VALIDATION.md reports the same numbers.

Scale: 2,000 enterprises (``FACT_ENTERPRISES``) instead of 7,100 where the fact is about a
distribution's shape or an aggregate ratio; 1,000 enterprises to 2060 for the adoption curve.
Runs are shared between tests (cached per overrides and seed).
"""

import numpy as np
import pandas as pd
import pytest

from chainshift.experiments.facts import (
    FACT_ENTERPRISES,
    FACTS,
    fact,
    firm_years,
    investment_moments,
    rd_return,
)

SEEDS = range(5)


def _shown(name: str, seeds=SEEDS):
    result = fact(name).evaluate(seeds)
    assert result.passed, result.describe()
    assert result.control_failed, "the fact holds without its mechanism: " + result.describe()
    return result


def test_firm_size_tail_emerges_from_a_thin_start():
    """From a Pareto-4 start (Hill about 3), 15 years of selection, shocks, entry and
    technical change give a top-1% share above 10% and a Hill index below 2 (Axtell 2001:
    about 1); with those dynamics off the Hill index stays above 2."""
    r = _shown("firm_sizes")
    setting = r.per_seed[r.per_seed["case"] == "setting"]
    assert (setting["hill_2021"] > 2.5).all(), "the start is thin-tailed"
    assert (setting["hill_index"] < 2).all()


def test_firm_growth_rates_are_fat_tailed_under_gaussian_shocks():
    """Gaussian order shocks, 2,000 enterprises, 10 seeds (as docs/VALIDATION.md): yearly
    growth rates net of the chain-year mean have excess kurtosis above 2 on average; without
    market selection they do not. A seed's kurtosis rests on its few largest moves (0.6 to 4.9
    over these seeds), so five seeds do not pin the mean down; the fact is weak (2.4 against
    the threshold 2, control 1.2)."""
    _shown("growth_rates", range(10))


def test_productivity_dispersion_persists_unless_imitation_is_instant():
    """Within-chain dispersion of log TFP keeps at least half its 2021 level and the 90/10
    ratio stays above 1.5 (Syverson 2004: about 1.9); with imitation every quarter it does
    not."""
    _shown("productivity_dispersion")


@pytest.mark.xfail(strict=True, reason="documented failure (docs/VALIDATION.md): energy per "
                   "unit of output falls within chains in 4 of 5 seeds (-0.38 to -0.63% a "
                   "year) but is flat in one (+0.002), since suppliers' learning from "
                   "customers moves output between firms of different energy use; without it "
                   "all five fall")
def test_firms_own_savings_lower_energy_per_output_within_chains():
    """Exogenous energy paths flat: each chain's energy per unit of output falls in every
    seed and CO2 still grows; with clean and digital capacity saving nothing it does not
    fall."""
    _shown("decoupling")


def test_rd_pays_a_return_in_the_literatures_range_and_nothing_when_it_buys_nothing():
    """The slope of next-year TFP growth on R&D over value added is 0.1-0.6 (estimates
    cluster at 0.2-0.3); with no innovation and no knowledge in absorptive capacity it falls
    below 0.1."""
    r = _shown("rd_return")
    control = r.per_seed[r.per_seed["case"] == "control"]
    assert (control["rd_return"] < 0.1).all()


@pytest.mark.xfail(strict=True, reason="documented failure (docs/VALIDATION.md): spikes are as "
                   "frequent as observed, but partial adjustment keeps yearly investment rates "
                   "correlated (about 0.7 against 0.06)")
def test_investment_is_lumpy():
    _shown("lumpy_investment")


@pytest.mark.xfail(strict=True, reason="documented failure (docs/VALIDATION.md): the first "
                   "digital upgrade spreads with q below p, an r-shaped, not an S-shaped curve")
def test_digital_adoption_follows_a_bass_s_curve():
    _shown("digital_adoption")


@pytest.mark.xfail(strict=True, reason="documented failure (docs/VALIDATION.md): net entry "
                   "gives about an eighth of TFP growth, not Brandt et al.'s two thirds")
def test_net_entry_carries_most_of_tfp_growth():
    _shown("net_entry")


def test_known_failures_are_measured_and_their_controls_fail_too():
    """The facts the model does not reproduce are still measured: imitation raises the Bass
    q (its control has q near 0) and net entry's share is positive (0 without entry and
    exit)."""
    adoption = fact("digital_adoption").evaluate(SEEDS).per_seed.groupby("case")["q"].mean()
    assert adoption["setting"] > adoption["control"] + 0.03
    entry = fact("net_entry").evaluate(SEEDS).per_seed.groupby("case")["net_entry_share"].mean()
    assert entry["setting"] > 0.05 and abs(entry["control"]) < 0.01
    lumpy = fact("lumpy_investment").evaluate(SEEDS).per_seed.groupby("case").mean(
        numeric_only=True)
    assert lumpy.loc["setting", "spike_rate"] > 0.1 > lumpy.loc["control", "spike_rate"]


# -- the measures by hand ---------------------------------------------------------------------
def _panel(rows):
    """A firm-quarter panel from (id, year, quarter, K, inv, rd, va, phi) rows, one chain."""
    df = pd.DataFrame(rows, columns=["id", "year", "quarter", "K", "inv", "rd", "va", "phi"])
    df["chain"] = 0
    return df


def test_firm_years_sum_the_year_and_follow_the_firm():
    rows = []
    for year, phi in ((2021, 0.0), (2022, 0.1)):
        for q in range(1, 5):
            rows.append((1, year, q, 10.0 + q, 1.0, 0.5, 2.0, phi))
    rows += [(2, 2021, q, 5.0, 0.0, 0.0, 1.0, 0.0) for q in (1, 2, 3)]  # part year: dropped
    y = firm_years(_panel(rows))
    assert y["id"].tolist() == [1, 1]
    first = y.iloc[0]
    assert first["inv"] == 4.0 and first["rd"] == 2.0 and first["va"] == 8.0
    assert first["k_start"] == 11.0 - 1.0  # capital after Q1 less Q1's investment
    assert first["ik"] == pytest.approx(0.4)
    assert first["phi_next"] == pytest.approx(0.1)
    assert np.isnan(y.iloc[1]["phi_next"]) and np.isnan(y.iloc[0]["ik_before"])
    assert y.iloc[1]["ik_before"] == pytest.approx(0.4)


def test_rd_return_recovers_a_known_slope():
    rng = np.random.default_rng(0)
    n = 400
    x = rng.uniform(0.0, 0.1, n)
    years = pd.DataFrame({"id": np.arange(n), "year": 2021, "chain": rng.integers(0, 3, n),
                          "rd": x, "va": 1.0, "phi": 0.0,
                          "phi_next": 0.25 * x + rng.normal(0, 0.001, n)})
    rho, t = rd_return(years)
    assert rho == pytest.approx(0.25, abs=0.01) and t > 10
    years["phi_next"] = rng.normal(0, 0.001, n)
    assert abs(rd_return(years)[0]) < 0.02


def test_investment_moments_by_hand():
    years = pd.DataFrame({"k_start": [10.0] * 4, "ik": [0.0, 0.3, 0.1, 0.5],
                          "ik_before": [np.nan, 0.0, 0.3, 0.1]})
    m = investment_moments(years)
    assert m["spike_rate"] == 0.5 and m["inaction_rate"] == 0.25
    assert m["mean_investment_rate"] == pytest.approx(0.225)
    lo, hi = np.percentile([0.0, 0.3, 0.1, 0.5], [1, 99])
    a, b = np.clip([0.3, 0.1, 0.5], lo, hi), np.clip([0.0, 0.3, 0.1], lo, hi)
    assert m["serial_correlation"] == pytest.approx(np.corrcoef(a, b)[0, 1])


def test_every_fact_has_a_control_that_changes_its_setting():
    for f in FACTS:
        assert f.control and f.control_text
        assert any(f.setting.get(k) != v for k, v in f.control.items()), f.name


def test_reduced_scale_keeps_every_chain_populated():
    from chainshift.experiments.facts import baseline_panel

    panel = baseline_panel(0)[0]
    start = panel[(panel["year"] == 2021) & (panel["quarter"] == 1)]
    assert len(start) >= 0.95 * FACT_ENTERPRISES
    assert start.groupby("chain").size().min() >= 50
