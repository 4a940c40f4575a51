"""Property-based test: random valid scenarios drawn from the schema's ranges run cleanly.

Each example overrides a random subset of the schema's scalar parameters with values drawn
from their declared ranges (``parameters()`` lo/hi), runs 12 quarters at 300 enterprises and
checks what the model guarantees after every quarter: finite state and indicators,
non-negative stocks, shares inside [0, 1], no surviving firm with negative net worth (those
exit at the end of the quarter), yearly growth inside [-40%, +40%], R&D below 15% of GDP and
no more than five times the starting number of enterprises: the schema's ranges are ranges
the model can stand.

``HYPOTHESIS_PROFILE=deep python -m pytest tests/test_properties.py`` searches longer.
"""

from __future__ import annotations

import math
import os
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainshift.model import TransitionModel
from chainshift.model.indicators import ACCOUNTING, MAYBE_NAN
from chainshift.model.summary import annual
from chainshift.scenarios.loader import load_scenario
from chainshift.scenarios.schema import Scenario, default_chains, parameters

settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "deep", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXED = {"population.enterprises": 300}
"""Held fixed for speed; the horizon is left alone so every event stays valid."""

DRAWN = [p for p in parameters()
         if p["lo"] is not None and p["hi"] is not None
         and not p["key"].startswith("horizon.") and p["key"] not in FIXED]
"""Scalar parameters with a declared range."""

STOCKS = ("K", "Kp", "L", "H", "A", "y", "yd", "p", "c", "rd", "energy", "co2", "share", "D",
          "M", "know", "inv")


def value_for(p: dict) -> st.SearchStrategy:
    """Values of one parameter inside its declared range."""
    if p["type"] == "int":
        return st.integers(int(p["lo"]), int(p["hi"]))
    return st.floats(float(p["lo"]), float(p["hi"]), allow_nan=False, allow_infinity=False)


@st.composite
def overrides(draw) -> dict:
    """A random subset of parameters, each with a random value in its range."""
    chosen = draw(st.lists(st.sampled_from(DRAWN), min_size=1, max_size=8,
                           unique_by=lambda p: p["key"]))
    return {**FIXED, **{p["key"]: draw(value_for(p)) for p in chosen}}


QUARTERS = [f"{y}Q{q}" for y in (2021, 2022, 2023) for q in (1, 2, 3, 4)]
"""The 12 simulated quarters: events start inside them."""

LEVERS = [p for p in parameters() if p["key"].startswith("policy.")]


@st.composite
def events(draw) -> list[dict]:
    """Up to three timed events of any kind, valid for the horizon and chains."""
    chains = st.sampled_from([c.name for c in default_chains()])
    start = st.sampled_from(QUARTERS)
    shock = st.fixed_dictionaries({
        "kind": st.just("demand_shock"), "chain": chains, "start": start,
        "quarters": st.integers(1, 8), "size": st.floats(-0.6, 0.6)})
    shortage = st.fixed_dictionaries({
        "kind": st.just("energy_shortage"), "start": start, "quarters": st.integers(1, 8),
        "cut": st.floats(0.0, 0.3)})
    project = st.fixed_dictionaries({
        "kind": st.just("promoted_project"), "chain": chains, "start": start,
        "amount": st.floats(0.0, 5000.0)})
    lever = draw(st.sampled_from(LEVERS))
    change = st.fixed_dictionaries({
        "kind": st.just("policy_change"), "start": start, "lever": st.just(lever["name"]),
        "value": value_for(lever)})
    return draw(st.lists(st.one_of(shock, shortage, project, change), max_size=3))


def with_events(scenario: Scenario, timed: list[dict]) -> Scenario:
    """The scenario with its events replaced, validated like a file's."""
    return Scenario.model_validate({**scenario.model_dump(), "events": timed})


def check_state(model: TransitionModel, where: str) -> None:
    f = model.firms
    for col in f.columns:
        values = getattr(f, col).astype(float)
        assert np.isfinite(values).all(), f"{where}: firms.{col} not finite"
    for col in STOCKS:
        assert (getattr(f, col) >= 0).all(), f"{where}: negative firms.{col}"
    assert (f.A > 0).all(), f"{where}: TFP not positive"
    assert ((f.d >= 0) & (f.d <= 1)).all() and ((f.g >= 0) & (f.g <= 1)).all(), where
    assert ((f.z >= 0) & (f.z <= 1)).all(), f"{where}: utilisation outside [0, 1]"
    assert (f.K + f.M - f.D >= 0).all(), f"{where}: a firm with negative net worth survived"
    for name in ("talent", "wage", "rd_wage"):
        value = getattr(model, name)
        assert value >= 0 and math.isfinite(value), f"{where}: {name} = {value}"
    for col in model.parks.columns:
        assert np.isfinite(getattr(model.parks, col).astype(float)).all(), f"{where}: parks.{col}"
    for col in model.institutes.columns:
        values = getattr(model.institutes, col).astype(float)
        assert np.isfinite(values).all(), f"{where}: institutes.{col}"


@given(overrides(), events())
def test_random_valid_scenarios_run_cleanly(values, timed):
    scenario = with_events(load_scenario("baseline", overrides=values), timed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = TransitionModel(scenario, rng=0)
        for q in range(12):
            model.step()
            check_state(model, f"quarter {q + 1}")
            assert len(model.firms) <= 5 * scenario.population.enterprises
    df = model.indicators()
    assert len(df) == 12
    defined = df.drop(columns=[c for c in MAYBE_NAN if c in df])
    assert np.isfinite(defined.to_numpy(dtype=float)).all()
    q4 = df[df.quarter == 4]
    assert np.isfinite(q4[list(ACCOUNTING)].iloc[1:].to_numpy()).all()  # the second year on
    yearly = annual(df)
    growth = yearly["value_added_growth"].iloc[1:]
    # an event that removes a share x of output swings growth by about x / (1 - x) in its year
    # and back in the next (lost orders return by partial adjustment)
    swing = max([abs(e.get("size", 0.0)) for e in timed] + [e.get("cut", 0.0) for e in timed]
                + [0.0])
    bound = 40.0 + 100.0 * swing / (1.0 - swing)
    assert growth.between(-bound, bound).all(), (growth.tolist(), bound)
    assert (yearly["rd_intensity"] < 15.0).all(), yearly["rd_intensity"].tolist()
    flows = model.flows()
    assert np.isfinite(flows["amount"]).all() and (flows["amount"] >= 0).all()
