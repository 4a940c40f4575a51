"""Behaviour under policy: paired runs on the same seeds (common random numbers).

Each test takes the per-seed difference B - A and asks for a positive (or negative) mean with a
one-sided paired t statistic above 2 (p < 0.05 with 9 degrees of freedom).
"""

import functools

import numpy as np
import pandas as pd

from chainshift.model import TransitionModel
from chainshift.model.summary import annual
from chainshift.scenarios import load_scenario
from chainshift.scenarios.schema import DemandShock

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


def test_rd_subsidy_splits_between_rd_staff_and_the_rd_wage_and_raises_own_innovation():
    years = list(range(2021, 2031))
    base, high = yearly(), yearly((("policy.rd_subsidy", 0.5),))
    for col in ("rd_staff", "rd_wage", "rd_intensity", "tfp_within"):
        mean, t = paired_t(base, high, col, years)
        assert mean > 0 and t > 2, col
    # the R&D-staff market clears: budget = staff x wage, so the log rise of the budget splits
    # exactly into staff and wage; with supply elasticity 1, about half goes to each
    b, h = base[0].loc[2025], high[0].loc[2025]
    staff = np.log(h["rd_staff"] / b["rd_staff"])
    wage = np.log(h["rd_wage"] / b["rd_wage"])
    assert 0.35 < staff / (staff + wage) < 0.65


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
    # the automobile chain is about a sixth of value added: a 17% cut in its orders costs at
    # most 3 points; less, because orders its firms could not serve before are served now and
    # the wage the slump lowers makes the other chains cheaper
    assert t < -2 and -3.5 < mean < -0.5
