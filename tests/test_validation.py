"""The statistics behind the validation page, on inputs with hand-computed answers, and the
page's parts and command."""

import numpy as np
import pandas as pd
import pytest

from chainshift.cli.main import main
from chainshift.experiments.facts import (
    Check,
    FactResult,
    adoption_path,
    annual_firm_growth,
    fact,
)
from chainshift.experiments.moments import Moment
from chainshift.experiments.stylised import (
    bass,
    decompose_by_group,
    fit_bass,
    hill_tail_index,
    laplace_vs_normal,
    log_trend,
    selection_share,
)
from chainshift.experiments.validation import (
    TargetResult,
    fact_figure,
    failures,
    targets_section,
    verdict,
)
from chainshift.model.groups import top_share


# -- size distributions -----------------------------------------------------------------------
def test_top_share_of_one_giant_among_99_equal_firms():
    assert top_share(np.r_[np.ones(99), 101.0], 0.01) == pytest.approx(101 / 200)
    assert top_share(np.ones(10), 0.01) == pytest.approx(0.1)  # at least one firm


def test_hill_index_recovers_a_pareto_tail():
    n = 100_000
    quantiles = (np.arange(1, n + 1) / (n + 1)) ** (-1 / 1.5)  # Pareto with index 1.5
    assert hill_tail_index(quantiles, 0.05) == pytest.approx(1.5, rel=0.02)


# -- growth-rate shapes -----------------------------------------------------------------------
def test_laplace_beats_normal_on_laplace_data_and_not_on_normal_data():
    rng = np.random.default_rng(1)
    tent = laplace_vs_normal(rng.laplace(0, 0.1, 20_000))
    bell = laplace_vs_normal(rng.normal(0, 0.1, 20_000))
    assert tent["ll_gain_per_obs"] > 0 and tent["excess_kurtosis"] == pytest.approx(3, abs=0.5)
    assert bell["ll_gain_per_obs"] < 0 and abs(bell["excess_kurtosis"]) < 0.2


def test_annual_growth_uses_full_years_and_nets_out_the_chain_year_mean():
    rows = []
    for q in range(1, 5):
        rows += [(2021, q, 1, 0, 1.0), (2022, q, 1, 0, 2.0),  # doubles: growth ln 2
                 (2021, q, 2, 0, 3.0), (2022, q, 2, 0, 3.0)]  # flat: growth 0
        if q > 1:
            rows += [(2021, q, 3, 0, 5.0)]  # part year: left out
        rows += [(2022, q, 3, 0, 9.0)]
    panel = pd.DataFrame(rows, columns=["year", "quarter", "id", "chain", "va"])
    g = np.sort(annual_firm_growth(panel))
    np.testing.assert_allclose(g, [-np.log(2) / 2, np.log(2) / 2])


# -- S-curves and trends ----------------------------------------------------------------------
def test_bass_curve_by_hand():
    # F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}); at t = 0 nobody, at q = 0 exponential
    assert bass(np.array([0.0]), 0.03, 0.38)[0] == 0.0
    e = np.exp(-0.41 * 5)
    assert bass(np.array([5.0]), 0.03, 0.38)[0] == pytest.approx((1 - e) / (1 + 0.38 / 0.03 * e))
    assert bass(np.array([5.0]), 0.1, 0.0)[0] == pytest.approx(1 - np.exp(-0.5))


def test_bass_fit_recovers_an_s_curve_and_finds_no_imitation_in_an_exponential_one():
    t = np.arange(0, 40, dtype=float)
    s = fit_bass(t, bass(t, 0.03, 0.38))
    assert (s["p"], s["q"]) == pytest.approx((0.03, 0.38), rel=1e-3)
    assert s["peak_year"] == pytest.approx(np.log(0.38 / 0.03) / 0.41, rel=1e-3)
    assert s["aic_gain"] > 10
    noise = np.random.default_rng(2).normal(0, 0.005, t.size)
    r = fit_bass(t, 1 - np.exp(-0.1 * t) + noise)
    assert r["q_over_p"] < 0.2 and r["peak_year"] == 0.0 and r["aic_gain"] < 10


def test_adoption_path_follows_the_first_cohort_by_hand():
    # three firms at the end of 2021: a (0.2) and b (0.5) have room for a 0.25 step, c (0.9)
    # has not; a upgrades in 2022, b leaves in 2023, an entrant d never counts
    rows = [(2021, "a", 0.2), (2021, "b", 0.5), (2021, "c", 0.9),
            (2022, "a", 0.45), (2022, "b", 0.5), (2022, "c", 1.0),
            (2023, "a", 0.45), (2023, "c", 1.0), (2023, "d", 0.0)]
    panel = pd.DataFrame([{"year": y, "quarter": 4, "id": i, "d": d} for y, i, d in rows])
    path = adoption_path(panel, 0.25)
    assert path.to_dict() == {2021: 0.0, 2022: 0.5, 2023: 1.0}


def test_log_trend_of_a_constant_growth_series():
    years = np.arange(2021, 2031)
    assert log_trend(years, 100 * 1.03 ** (years - 2021)) == pytest.approx(3.0)
    assert log_trend(years, 100 * 0.97 ** (years - 2021)) == pytest.approx(-3.0)


# -- productivity decomposition ---------------------------------------------------------------
def _firms(rows):
    return pd.DataFrame(rows, columns=["id", "chain", "weight", "phi"]).set_index("id")


BEFORE = _firms([("a", 0, 1.0, 0.0), ("b", 0, 3.0, 1.0), ("c", 0, 1.0, -1.0)])  # c exits
AFTER = _firms([("a", 0, 2.0, 0.5), ("b", 0, 2.0, 1.0), ("d", 0, 1.0, 2.0)])  # d enters


def test_melitz_polanec_by_hand():
    # shares before .2 .6 .2, Phi0 = 0.4; after .4 .4 .2, Phi1 = 1.0
    # within: mean phi of survivors 0.75 - 0.5; between: cov 0 - 0.25 (Phi_S 0.75 both times)
    # entry: 0.2 (2 - 0.75); exit: 0.2 (0.75 - (-1))
    parts = decompose_by_group(BEFORE, AFTER)
    assert parts == pytest.approx({"within": 0.25, "between": -0.25, "entry": 0.25,
                                   "exit": 0.35, "total": 0.6})
    assert selection_share(parts) == pytest.approx((-0.25 + 0.25 + 0.35) / 0.6)


def test_decomposition_by_chain_weights_chains_by_their_value_added():
    other_before = _firms([("x", 1, 5.0, 0.0)])
    other_after = _firms([("x", 1, 5.0, 0.3)])  # chain 1: pure within growth 0.3
    parts = decompose_by_group(pd.concat([BEFORE, other_before]),
                               pd.concat([AFTER, other_after]))
    # chain 0 has weight 5 of 10 before and after, chain 1 the other 5
    assert parts["within"] == pytest.approx(0.5 * 0.25 + 0.5 * 0.3)
    assert parts["exit"] == pytest.approx(0.5 * 0.35)
    assert parts["total"] == pytest.approx(0.5 * 0.6 + 0.5 * 0.3)


def test_checks():
    assert Check("x", 1.0, ">", 0.5).passed and not Check("x", 1.0, "<", 0.5).passed
    assert "FAIL" in str(Check("x", 1.0, "<", 0.5))


# -- the page ---------------------------------------------------------------------------------
MOMENTS = (Moment("a", "x", 2021, "value", 10.0, 1.0, "percent", "growth", "src", "why"),
           Moment("b", "y", 2022, "value", 2.0, 0.5, "percent", "share", "src", "why"))


def test_targets_pass_when_the_seed_mean_is_within_tolerance():
    r = TargetResult("baseline", np.array([[10.5, 3.0], [11.3, 2.0]]))  # means 10.9, 2.5
    text = "\n".join(targets_section(MOMENTS, [r], 2))
    assert "| growth (percent) | 10 | ± 1 | 10.9 ± 0.57 pass |" in text
    assert "| share (percent) | 2 | ± 0.5 | 2.5 ± 0.71 pass |" in text
    r = TargetResult("baseline", np.array([[12.0, 2.0], [12.2, 2.0]]))
    assert failures(MOMENTS, [r], []) == [
        "- baseline: growth is 12.1 percent against 10 ± 1."]


def test_failing_fact_checks_are_listed():
    res = FactResult("growth_rates", [Check("kurtosis", -0.1, ">", 0.0)], pd.DataFrame(),
                     control_checks=[Check("kurtosis", -0.2, ">", 0.0)])
    lines = failures(MOMENTS, [], [(fact("growth_rates"), res)])
    assert lines == ["- Firm growth rates are fat-tailed: kurtosis = -0.1 (> 0: FAIL)."]


def test_a_fact_that_holds_in_its_control_is_listed_and_not_shown():
    held = [Check("kurtosis", 3.0, ">", 2.0)]
    res = FactResult("growth_rates", held, pd.DataFrame(), control_checks=held)
    assert res.passed and not res.shown
    lines = failures(MOMENTS, [], [(fact("growth_rates"), res)])
    assert lines[0].startswith("- Firm growth rates are fat-tailed: holds in its control too")
    assert verdict(fact("growth_rates"), res) == "**control does not fail**"
    shown = FactResult("growth_rates", held, pd.DataFrame(),
                       control_checks=[Check("kurtosis", 0.8, ">", 2.0)])
    assert shown.shown and verdict(fact("growth_rates"), shown) == "shown"


def test_fact_figure_is_a_png(tmp_path):
    years = np.arange(2021, 2036)
    yearly = pd.DataFrame({"year": years, "carbon_intensity": 0.97 ** (years - 2021),
                           "co2": 1.02 ** (years - 2021), "value_added": 1.05 ** (years - 2021)})
    res = FactResult("decoupling", [], pd.DataFrame(),
                     {"setting": {"yearly": yearly}, "control": {"yearly": yearly}})
    fact_figure(res, "decoupling", tmp_path / "e.png")
    assert (tmp_path / "e.png").read_bytes()[:4] == b"\x89PNG"


def test_validate_command_refuses_a_file_as_out(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["validate", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: validate: --out") and err.count("\n") == 1
