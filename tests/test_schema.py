"""The schema: parameter metadata, number checks, shares, events and targets."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from chainshift.model.indicators import INDICATORS
from chainshift.scenarios.schema import (
    CAPABILITIES,
    SECTIONS,
    Chain,
    Horizon,
    Policy,
    Population,
    Scenario,
    Target,
    default_chains,
    did_you_mean,
    field_info,
    parameters,
    parse_quarter,
    target_indicators,
)


def message(err: pytest.ExceptionInfo) -> str:
    return err.value.errors()[0]["msg"]


# -- metadata ---------------------------------------------------------------------------------
def test_every_parameter_has_metadata_and_a_default_inside_its_range():
    params = parameters()
    keys = [p["key"] for p in params]
    assert len(keys) == len(set(keys))
    assert len(params) == sum(len(cls.model_fields) for cls in SECTIONS.values())
    for p in params:
        assert p["help"], p["key"]
        assert p["unit"], p["key"]
        if p["lo"] is not None:
            assert p["lo"] <= p["default"] <= p["hi"], p["key"]
            assert isinstance(p["default"], int if p["type"] == "int" else float), p["key"]


def test_policy_levers_belong_to_one_of_the_five_capabilities():
    levers = [p for p in parameters() if p["key"].startswith("policy.")]
    assert levers
    assert {p["capability"] for p in levers} <= set(CAPABILITIES)
    assert set(CAPABILITIES) <= {p["capability"] for p in levers}
    assert field_info(Policy, "coupling")["zh"] == "双链融合"


def test_default_chains_shares_sum_to_one_and_names_are_identifiers():
    chains = default_chains()
    assert math.isclose(sum(c.va_share for c in chains), 1.0, abs_tol=1e-3)
    assert math.isclose(sum(c.firm_share for c in chains), 1.0, abs_tol=1e-3)
    assert "automobile" in [c.name for c in chains]
    with pytest.raises(ValidationError):
        Chain(name="Auto Mobile")


# -- numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["0.5", True, float("nan"), float("inf"), -float("inf")])
def test_numbers_must_be_finite_numbers(value):
    with pytest.raises(ValidationError) as err:
        Policy(coupling=value)
    assert "coupling" in message(err) and "allowed: float from 0.0 to 1.0" in message(err)


def test_whole_numbers_accepted_for_floats_but_not_fractions_for_ints():
    assert Policy(coupling=1).coupling == 1.0
    assert Policy(leading_per_chain=3.0).leading_per_chain == 3
    with pytest.raises(ValidationError):
        Policy(leading_per_chain=2.5)
    with pytest.raises(ValidationError):
        Policy(leading_per_chain=True)


def test_ranges_are_enforced_on_assignment_too():
    p = Policy()
    p.coupling = 0.25
    assert p.coupling == 0.25
    with pytest.raises(ValidationError):
        p.coupling = 1.5
    with pytest.raises(ValidationError):
        p.coupling = "high"


def test_unknown_keys_are_errors():
    with pytest.raises(ValidationError) as err:
        Policy(copling=1.0)
    assert err.value.errors()[0]["type"] == "extra_forbidden"


# -- shares -----------------------------------------------------------------------------------
@pytest.mark.parametrize("shares, problem", [
    ([0.5, 0.2, 0.1, 0.1], "sum to 0.9"),
    ([0.5, 0.5], "2 shares"),
    ([1.2, -0.2, 0.0, 0.0], "negative"),
    ([0.2, "0.1", 0.1, 0.6], "must be a number"),
])
def test_institute_kind_shares(shares, problem):
    with pytest.raises(ValidationError) as err:
        Population(institute_kind_shares=shares)
    assert problem in message(err)
    assert "institute_kind_shares" in message(err)


def test_chain_shares_must_sum_to_one():
    chains = [c.model_dump() for c in default_chains()]
    chains[0]["va_share"] += 0.05
    with pytest.raises(ValidationError) as err:
        Scenario(chains=chains)
    text = message(err)
    assert "va_share" in text and "sum to 1.05" in text and "automobile 0.22" in text


def test_duplicate_chain_names():
    chains = [c.model_dump() for c in default_chains()]
    chains[1]["name"] = chains[0]["name"]
    with pytest.raises(ValidationError) as err:
        Scenario(chains=chains)
    assert "automobile given twice" in message(err)


def test_horizon_must_be_ordered():
    assert Horizon(start_year=2021, end_year=2021).quarters == 4
    with pytest.raises(ValidationError) as err:
        Horizon(start_year=2021, end_year=2020)
    assert "end_year = 2020" in message(err) and "allowed: 2021 or later" in message(err)


# -- events -----------------------------------------------------------------------------------
def shock(**kw) -> dict:
    return {"kind": "demand_shock", "chain": "automobile", "start": "2024Q1", "quarters": 4,
            "size": -0.17, **kw}


@pytest.mark.parametrize("event", [
    shock(),
    shock(start="2021Q1"),
    shock(start="2035Q1", quarters=4),
    {"kind": "energy_shortage", "start": "2022Q3", "cut": 0.05},
    {"kind": "policy_change", "start": "2025Q1", "lever": "coupling", "value": 1},
    {"kind": "policy_change", "start": "2025Q1", "lever": "leading_per_chain", "value": 7},
    {"kind": "promoted_project", "chain": "nev", "start": "2023Q2", "amount": 150.0},
])
def test_valid_events(event):
    assert len(Scenario(events=[event]).events) == 1


@pytest.mark.parametrize("event, problem", [
    (shock(chain="autos"), "events[0].chain = 'autos': unknown chain"),
    (shock(chain="automobil"), "(did you mean 'automobile'?)"),
    (shock(start="2040Q1"),
     "events[0].start = '2040Q1': outside the horizon; allowed: 2021Q1 to 2035Q4"),
    (shock(start="2020Q4"), "outside the horizon"),
    (shock(start="2024-1"), "not a quarter like 2022Q3"),
    (shock(start="2035Q2", quarters=4), "quarters = 4: the event would last until 2036Q1"),
    (shock(size=-1.0), "greater than or equal to -0.6"),
    ({"kind": "energy_shortage", "start": "2022Q3", "cut": 0.99}, "less than or equal to 0.3"),
    ({"kind": "policy_change", "start": "2025Q1", "lever": "copling", "value": 1},
     "unknown lever (did you mean 'coupling'?)"),
    ({"kind": "policy_change", "start": "2025Q1", "lever": "coupling", "value": 1.5},
     "value = 1.5: out of range for policy.coupling; allowed: float from 0.0 to 1.0"),
    ({"kind": "policy_change", "start": "2025Q1", "lever": "leading_per_chain", "value": 2.5},
     "value = 2.5: not a whole number for policy.leading_per_chain; allowed: int from 0"),
    ({"kind": "policy_change", "start": "2025Q1", "lever": "leading_per_chain", "value": 2e3},
     "value = 2000.0: out of range for policy.leading_per_chain; allowed: int from 0"),
])
def test_invalid_events(event, problem):
    with pytest.raises(ValidationError) as err:
        Scenario(events=[event])
    assert problem in message(err)


def test_events_follow_a_changed_horizon_and_chain_list():
    chains = [{"name": "only", "va_share": 1.0, "firm_share": 1.0}]
    assert Scenario(chains=chains, events=[shock(chain="only")]).events[0].chain == "only"
    with pytest.raises(ValidationError):
        Scenario(chains=chains, events=[shock()])
    with pytest.raises(ValidationError):
        Scenario(horizon={"start_year": 2021, "end_year": 2023}, events=[shock()])


def test_parse_quarter():
    assert parse_quarter("2022Q3") == (2022, 3)
    assert parse_quarter(" 2022q1 ") == (2022, 1)
    for bad in ("2022Q5", "22Q1", "2022-3", "Q32022", ""):
        with pytest.raises(ValueError):
            parse_quarter(bad)


# -- targets ----------------------------------------------------------------------------------
def test_target_indicators_are_the_yearly_indicator_columns():
    allowed = target_indicators()
    assert set(allowed) == set(INDICATORS) - {"step", "year", "quarter"}
    assert Target(indicator="value_added_growth", year=2022, value=6.0).value == 6.0


def test_unknown_target_indicator_suggests_the_closest():
    with pytest.raises(ValidationError) as err:
        Target(indicator="value_add_growth", year=2022, value=6.0)
    text = message(err)
    assert "unknown indicator (did you mean 'value_added_growth'?)" in text
    assert "allowed: value_added, value_added_nominal, value_added_growth" in text


def test_target_year_inside_horizon():
    with pytest.raises(ValidationError) as err:
        Scenario(targets=[{"indicator": "co2", "year": 2040, "value": 1.0}])
    assert "targets[0].year = 2040: outside the horizon; allowed: 2021 to 2035" in message(err)


def test_did_you_mean():
    assert did_you_mean("copling", ["coupling", "carbon_price"]) == " (did you mean 'coupling'?)"
    assert did_you_mean("zzz", ["coupling"]) == ""
