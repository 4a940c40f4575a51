"""The 2017-2019 hindcast: its scenario, its checks by hand, and the slump against its control."""

import numpy as np
import pytest

from chainshift.experiments import hindcast
from chainshift.experiments.moments import load_moments
from chainshift.scenarios import load_scenario


def test_hindcast_starts_in_2017_from_the_2017_state_with_the_slump_only():
    s = load_scenario(hindcast.SCENARIO)
    control = load_scenario(hindcast.CONTROL)
    assert (s.horizon.start_year, s.horizon.end_year) == (2017, 2019)
    assert [(e.kind, e.chain, e.start, e.quarters, e.size) for e in s.events] == [
        ("demand_shock", "automobile", "2018Q1", 8, -0.173)]
    assert control.events == [] and control.targets == [] and s.targets == []
    # the strategic emerging chains at their 2017 share; everything else as the baseline
    assert sum(c.va_share for c in s.chains if c.strategic_emerging) == pytest.approx(0.173,
                                                                                      abs=1e-3)
    base = load_scenario("baseline")
    assert s.technology == base.technology and s.markets == base.markets
    assert s.policy == base.policy and s.finance == base.finance
    assert s.model_dump(exclude={"events", "name", "description", "extends"}) == \
        control.model_dump(exclude={"events", "name", "description", "extends"})


def test_checks_read_what_happened_in_2018_and_2019():
    checks = load_moments(hindcast.CHECKS_FILE)
    assert [(c.year, c.observed) for c in checks] == [(2018, 0.5), (2019, 6.2)]
    assert all(c.indicator == "value_added_growth" for c in checks)


def _result(sims, control):
    checks = load_moments(hindcast.CHECKS_FILE)
    return hindcast.Hindcast(checks, tuple(range(len(sims))), np.array(sims, float),
                             np.array(control, float))


def test_pass_band_and_paired_effect_by_hand():
    # observed 0.5 and 6.2, tolerance 1.5
    r = _result([[0.0, 9.0], [1.0, 10.0], [2.0, 11.0]], [[3.0, 9.0], [5.0, 10.0], [4.0, 11.0]])
    np.testing.assert_allclose(r.mean(), [1.0, 10.0])
    assert r.passed().tolist() == [True, False]
    assert r.passed(control=True).tolist() == [False, False]
    lo, hi = r.band()
    np.testing.assert_allclose(lo, [0.1, 9.1])  # 5th percentile of 3 points, linear
    np.testing.assert_allclose(hi, [1.9, 10.9])
    mean, elo, ehi = r.effect()
    # differences -3, -4, -2: mean -3, sd 1, t(0.975, 2) = 4.3027
    np.testing.assert_allclose(mean, [-3.0, 0.0])
    np.testing.assert_allclose(elo[0], -3.0 - 4.302653 / np.sqrt(3), rtol=1e-5)
    np.testing.assert_allclose(ehi[0], -3.0 + 4.302653 / np.sqrt(3), rtol=1e-5)
    lines = "\n".join(hindcast.section(r, "validation"))
    assert "| industrial value added growth 2018 | 0.5 | ±1.5 | 1.0 [0.1, 1.9] | 4.0 |" in lines
    assert "| pass |" in lines and "| fail |" in lines
    assert hindcast.failures(r) == [
        "- Hindcast: industrial value added growth 2019 is 10.0 against 6.2 observed "
        "(tolerance 1.5)."]


def test_one_seed_has_no_interval():
    _, lo, hi = _result([[0.0, 9.0]], [[1.0, 9.0]]).effect()
    assert np.isnan(lo).all() and np.isnan(hi).all()


@pytest.fixture(scope="module")
def ran():
    return hindcast.run_hindcast(range(5))


def test_the_slump_lowers_2018_growth_against_the_same_start_without_it(ran):
    # the mechanism (the demand shock) against its control (no shock), paired over 5 seeds
    mean, lo, hi = ran.effect()
    assert hi[0] < 0, (mean, lo, hi)
    assert np.isfinite(ran.sims).all() and np.isfinite(ran.control).all()


def test_hindcast_figure_is_a_png(ran, tmp_path):
    path = tmp_path / "hindcast.png"
    hindcast.figure(ran, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
