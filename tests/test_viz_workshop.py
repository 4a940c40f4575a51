import numpy as np
import pandas as pd
import pytest
import solara
from mesa.visualization.solara_viz import _build_model_init_kwargs, _check_model_params

from chainshift.model.indicators import MAYBE_NAN
from chainshift.scenarios.loader import ScenarioError
from chainshift.scenarios.schema import Policy, bounds
from chainshift.viz.levers import extreme_settings
from chainshift.viz.workshop import BAND_INDICATORS, RunSettings, WorkshopModel, rebuild

SMALL = 500


def small(**kw) -> RunSettings:
    return RunSettings(enterprises=SMALL, **kw)


def test_overrides_are_dotted_policy_keys_and_the_population():
    s = RunSettings(levers={"coupling": 0.9, "carbon_price": 120.0}, enterprises=800)
    assert s.overrides() == {"policy.coupling": 0.9, "policy.carbon_price": 120.0,
                             "population.enterprises": 800}
    assert RunSettings().overrides() == {}


def test_a_lever_back_at_the_scenario_value_is_dropped():
    s = RunSettings().with_lever("coupling", 0.9, scenario_value=0.5)
    assert dict(s.levers) == {"coupling": 0.9}
    assert dict(s.with_lever("coupling", 0.5, scenario_value=0.5).levers) == {}


def test_levers_reach_the_model():
    m = WorkshopModel(small(levers={"coupling": 0.9, "leading_per_chain": 7}), rng=1)
    assert m.policy.coupling == 0.9
    assert m.config.policy.leading_per_chain == 7
    assert m.config.population.enterprises == SMALL
    assert m.reference is None and m.reference_frame() is None


def test_a_bad_lever_value_is_a_scenario_error():
    with pytest.raises(ScenarioError):
        WorkshopModel(small(levers={"coupling": 7.0}))


def test_reference_with_the_same_settings_is_the_same_run():
    m = WorkshopModel(small(reference="baseline"), rng=3).replay(6)
    assert m.reference.t == m.t == 6
    pd.testing.assert_frame_equal(m.indicator_frame(), m.reference_frame())


def test_reference_keeps_the_scenario_while_the_run_changes_a_lever():
    m = WorkshopModel(small(levers={"carbon_price": 250.0}, reference="baseline"), rng=3)
    m.replay(8)
    run, ref = m.indicator_frame(), m.reference_frame()
    assert m.reference.policy.carbon_price == Policy().carbon_price
    assert len(run) == len(ref) == 8
    # first quarter: same draws, the carbon price already changes costs and emissions
    assert not np.allclose(run["co2"], ref["co2"])


def test_rebuild_replays_to_the_same_quarter_as_a_fresh_run():
    settings = small(levers={"coupling": 1.0})
    m = rebuild(settings, seed=4, quarters=5)
    fresh = WorkshopModel(settings, rng=4)
    for _ in range(5):
        fresh.step()
    assert m.t == 5
    pd.testing.assert_frame_equal(m.indicator_frame(), fresh.indicator_frame())


def test_indicator_frame_is_recomputed_after_a_step():
    m = WorkshopModel(small(), rng=0).replay(2)
    first = m.indicator_frame()
    assert m.indicator_frame() is first
    m.step()
    assert len(m.indicator_frame()) == 3


def test_settings_may_be_a_function_returning_the_settings_in_force():
    current = {"s": small(levers={"coupling": 0.2})}
    m = WorkshopModel(lambda: current["s"], rng=0)
    assert m.policy.coupling == 0.2 and m.settings is current["s"]


def test_mesa_reset_rebuilds_with_the_levers_on_screen_and_the_chosen_seed():
    """SolaraViz's Reset: ``type(model)(**_build_model_init_kwargs(model, params, ...))``."""
    from chainshift.viz.app import model_params

    on_screen = solara.reactive(WorkshopModel(small(levers={"coupling": 0.8}), rng=0).replay(3))
    params = model_params(on_screen, "en")
    _check_model_params(on_screen.value, params)
    chosen = {"settings": params["settings"], "rng": 7}  # what ModelCreator passes on
    kwargs = _build_model_init_kwargs(on_screen.value, chosen, add_scenario_when_empty=True,
                                      require_model_accepts_scenario=True)
    reset = type(on_screen.value)(**kwargs)
    assert reset.t == 0 and reset.seed == 7
    assert reset.policy.coupling == 0.8 and reset.config.population.enterprises == SMALL


def finite(frame: pd.DataFrame) -> bool:
    """Every indicator that is defined in every quarter is finite (``MAYBE_NAN`` are not)."""
    defined = frame.drop(columns=[c for c in MAYBE_NAN if c in frame])
    return bool(np.isfinite(defined.select_dtypes("number").to_numpy()).all())


@pytest.mark.parametrize("which", ["lo", "hi"])
def test_every_lever_at_its_slider_extreme_steps_without_error(which):
    """To the horizon: the schema's ranges keep the model sane, so no run needs stopping."""
    m = WorkshopModel(small(levers=extreme_settings(which), reference="baseline"), rng=0)
    m.replay(m.horizon)
    assert m.finished
    assert len(m.indicator_frame()) == m.t
    assert finite(m.indicator_frame()) and finite(m.reference_frame())


@pytest.mark.parametrize("which", [0, 1])
def test_every_lever_at_its_schema_extreme_steps(which):
    levers = {}
    for name, field in Policy.model_fields.items():
        if (field.json_schema_extra or {}).get("capability"):
            levers[name] = bounds(field)[which]
    m = WorkshopModel(small(levers=levers), rng=0).replay(8)
    assert m.t == 8
    assert finite(m.indicator_frame())


def test_the_seed_band_runs_the_seed_and_the_next_ones_over_the_horizon():
    settings = RunSettings(enterprises=200, band_seeds=3)
    model = WorkshopModel(settings, rng=4)
    band = model.band_frame()
    assert band.seeds == (4, 5, 6) and band.reference is None
    assert len(band.run) == model.config.horizon.quarters
    # by hand: the band of each quarter is that of the three seeds' own runs
    runs = [WorkshopModel(RunSettings(enterprises=200), rng=s).replay(60).indicator_frame()
            for s in band.seeds]
    growth = np.array([r["value_added_growth"].to_numpy() for r in runs])
    np.testing.assert_allclose(band.run["value_added_growth"], growth.mean(axis=0))
    np.testing.assert_allclose(band.run["value_added_growth_low"],
                               np.quantile(growth, 0.05, axis=0))
    np.testing.assert_allclose(band.run["value_added_growth_high"],
                               np.quantile(growth, 0.95, axis=0))
    for col in BAND_INDICATORS:
        inside = band.run[[col, f"{col}_low", f"{col}_high"]].dropna()
        assert (inside[f"{col}_low"] <= inside[col] + 1e-9).all()
        assert (inside[col] <= inside[f"{col}_high"] + 1e-9).all()
    # a second model with the same settings and seed (Mesa's Reset) reuses the band
    assert WorkshopModel(settings, rng=4).band_frame() is band


def test_the_seed_band_covers_the_reference_and_is_off_by_default():
    assert WorkshopModel(RunSettings(enterprises=100), rng=0).band_frame() is None
    assert WorkshopModel(RunSettings(enterprises=100, band_seeds=1), rng=0).band_frame() is None
    settings = RunSettings(enterprises=100, levers={"carbon_price": 200.0}, reference="baseline",
                           band_seeds=2)
    band = WorkshopModel(settings, rng=0).band_frame()
    assert band.reference is not None and len(band.reference) == len(band.run)
    assert not np.allclose(band.run["co2"], band.reference["co2"])
