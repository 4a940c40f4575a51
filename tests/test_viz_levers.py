import pytest

from chainshift.scenarios.schema import CAPABILITIES, Policy, bounds, parameters
from chainshift.viz.levers import (
    SPAN,
    extreme_settings,
    levers_by_capability,
    nice_ceiling,
    policy_levers,
    slider_range,
    slider_step,
)


def test_every_capability_lever_of_the_schema_is_offered_once():
    expected = [p["name"] for p in parameters()
                if p["key"].startswith("policy.") and p.get("capability")]
    assert [lv.name for lv in policy_levers()] == expected


def test_groups_follow_the_five_capabilities_in_order():
    groups = levers_by_capability()
    assert list(groups) == list(CAPABILITIES)
    for cap, levers in groups.items():
        assert levers, cap
        assert all(lv.capability == cap for lv in levers)


def test_slider_ranges_stay_inside_the_schema_and_hold_the_default():
    for lever in policy_levers():
        lo, hi = bounds(Policy.model_fields[lever.name])
        assert lo <= lever.lo <= lever.default <= lever.hi <= hi, lever.name


def test_defaults_lie_on_the_slider_grid():
    for lever in policy_levers():
        positions = (lever.default - lever.lo) / lever.step
        assert positions == pytest.approx(round(positions), abs=1e-6), lever.name


@pytest.mark.parametrize(("x", "expected"), [(3.0, 5.0), (30000.0, 50000.0), (0.008, 0.01),
                                             (2.5, 2.5), (1.0, 1.0), (120.0, 200.0)])
def test_nice_ceiling(x, expected):
    assert nice_ceiling(x) == pytest.approx(expected)


def test_wide_ranges_are_cut_to_a_workshop_span():
    # talent introduction: schema 0 to 10 million, default 6,000 -> 0 to 50,000 (>= 5 x 6,000)
    assert slider_range(0.0, 1e7, 6000.0) == (0.0, 50000.0)
    # a share keeps its whole range
    assert slider_range(0.0, 1.0, 0.05) == (0.0, 1.0)
    # a range already within SPAN x default is kept
    assert slider_range(0.0, 3.0, 1.0) == (0.0, 3.0)
    assert slider_range(-0.5, 1.0, 0.08) == (-0.5, 1.0)
    assert SPAN == 5.0


def test_slider_steps():
    assert slider_step(0.0, 1.0, integer=False) == pytest.approx(0.01)
    assert slider_step(0.0, 25.0, integer=True) == 1.0
    assert slider_step(0.0, 50000.0, integer=False) == 500.0


def test_whole_number_levers_snap_to_integers():
    leading = next(lv for lv in policy_levers() if lv.name == "leading_per_chain")
    coupling = next(lv for lv in policy_levers() if lv.name == "coupling")
    assert leading.integer and not coupling.integer
    assert leading.snap(7.4) == 7.0
    assert coupling.snap(0.37) == 0.37


def test_extreme_settings_cover_every_lever():
    lo, hi = extreme_settings("lo"), extreme_settings("hi")
    assert set(lo) == set(hi) == {lv.name for lv in policy_levers()}
    assert all(lo[k] <= hi[k] for k in lo)
