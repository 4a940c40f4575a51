"""Behaviour under policy: paired runs on the same seeds (common random numbers).

Each test takes the per-seed difference B - A and asks for a positive (or negative) mean with a
one-sided paired t statistic above 2 (p < 0.05 with 9 degrees of freedom).
"""

import functools

import numpy as np
import pandas as pd

from model import TransitionModel
from model.summary import annual
from scenarios import load_scenario
from scenarios.schema import DemandShock

SEEDS = range(10)


@functools.cache
def yearly(overrides: tuple = (), shock: bool = False, steps: int = 40) -> tuple[pd.DataFrame, ...]:
    out = []
    for seed in SEEDS:
        s = load_scenario("baseline", overrides=dict(overrides) or None)
        if shock:
            s.events.append(
                DemandShock(
                    kind="demand_shock", chain="automobile", start="2024Q1", quarters=4, size=-0.17
                )
            )
        m = TransitionModel(s, rng=seed).run(steps=steps)
        y = annual(m.indicators()).set_index("year")
        fl = m.flows()
        tech = fl[(fl.factor == "technology") & (fl.from_kind == "institute")]
        y["institute_technology"] = tech.groupby(2021 + tech.step // 4).amount.sum()
        out.append(y)
    return tuple(out)


def paired_t(a, b, column: str, years) -> tuple[float, float]:
    d = np.array(
        [
            y_b.loc[years, column].mean() - y_a.loc[years, column].mean()
            for y_a, y_b in zip(a, b, strict=True)
        ]
    )
    return d.mean(), d.mean() / (d.std(ddof=1) / np.sqrt(d.size))


LATE = list(range(2026, 2031))


def innovation_share_of_growth(y: pd.DataFrame, years) -> float:
    """Share of the period's growth that comes from TFP, in percent (positive parts)."""
    parts = y.loc[years, ["capital_contribution", "labour_contribution", "tfp_contribution"]].sum()
    return 100.0 * max(parts["tfp_contribution"], 0.0) / parts.clip(lower=0.0).sum()


def test_rd_subsidy_raises_innovation_share():
    years = list(range(2021, 2031))
    base, high = yearly(), yearly((("policy.rd_subsidy", 0.5),))
    d = np.array([innovation_share_of_growth(b, years) - innovation_share_of_growth(a, years)
                  for a, b in zip(base, high, strict=True)])
    assert d.mean() > 0 and d.mean() / (d.std(ddof=1) / np.sqrt(d.size)) > 2
    mean, t = paired_t(base, high, "tfp_contribution", years)
    assert mean > 0 and t > 2


def test_coupling_raises_technology_flows_and_value_added():
    off = yearly((("policy.coupling", 0.0),))
    full = yearly((("policy.coupling", 1.0),))
    mean, t = paired_t(off, full, "institute_technology", list(range(2022, 2031)))
    assert mean > 0 and t > 2
    mean, t = paired_t(off, full, "value_added", [2028, 2029, 2030])
    assert mean > 0 and t > 2


def test_carbon_price_lowers_carbon_intensity_and_raises_green_share():
    base, high = yearly(), yearly((("policy.carbon_price", 300.0),))
    mean, t = paired_t(base, high, "carbon_intensity", LATE)
    assert mean < 0 and t < -2
    mean, t = paired_t(base, high, "green_share", LATE)
    assert mean > 0 and t > 2


def test_auto_demand_shock_lowers_growth_that_year():
    mean, t = paired_t(yearly(), yearly(shock=True), "value_added_growth", [2024])
    assert mean < -1.0 and t < -2
    # the automobile chain is about a sixth of value added: a 17% cut costs 2-4 points
    assert -4.0 < mean < -2.0
