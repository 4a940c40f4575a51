"""Stylised facts of industrial dynamics the model should reproduce without being fitted to
them. Each test runs several seeds and judges a statistic, not an exact value; the measures
and criteria live in ``experiments/facts.py`` so docs/VALIDATION.md reports the same numbers.

Scale: 2,000 enterprises (``FACT_ENTERPRISES``) instead of 7,100 where the fact is about a
distribution's shape or an aggregate ratio (the top 1% is still 20 firms, every chain keeps
about 60 firms or more); 1,000 enterprises to 2060 for the green S-curve. The baseline runs
are shared between tests (cached per seed).
"""


from chainshift.experiments.facts import FACT_ENTERPRISES, fact

SEEDS = range(5)


def _judge(name: str):
    result = fact(name).evaluate(SEEDS)
    for check in result.checks:
        assert check.passed, result.describe()
    return result


def test_firm_sizes_are_right_skewed_and_heavy_tailed():
    """Value added per firm in 2035Q4 after 15 years of selection, 2,000 enterprises, 5 seeds:
    top-1% share above 10% (a Pareto tail of index 2 gives 10%), positive skewness of levels
    and of logs, Hill index of the top 5% below 2 (Axtell 2001: about 1)."""
    r = _judge("firm_sizes")
    assert (r.per_seed["hill_index"] < 2).all()


def test_firm_growth_rates_are_fat_tailed_and_tent_shaped():
    """Yearly log growth of firms' value added 2022-2035 net of the chain-year mean, firms
    present all year in both years, 2,000 enterprises, 5 seeds: excess kurtosis above 0 and a
    Laplace maximum-likelihood fit beating a normal one (Stanley et al. 1996)."""
    _judge("growth_rates")


def test_productivity_dispersion_persists():
    """Within-chain sd of log TFP at the end of 2035 is at least half that at the end of 2021,
    and the within-chain TFP 90/10 ratio stays above 1.5 (Syverson 2004: about 1.9 in US
    manufacturing); 2,000 enterprises, 5 seeds."""
    _judge("productivity_dispersion")


def test_green_adoption_follows_an_s_curve():
    """Share of firms with at least half their capacity green, each year end 2021-2060 (the
    horizon is extended: by 2035 only the first half of the curve is visible), 1,000
    enterprises, 5 seeds: a logistic beats a straight line by more than 10 AIC points and
    turns inside the window."""
    _judge("green_s_curve")


def test_energy_intensity_falls_while_energy_use_grows():
    """Log-linear trends 2021-2035 of energy per value added (negative) and energy use
    (positive) in every one of 5 seeds, 2,000 enterprises."""
    r = _judge("energy_decoupling")
    assert (r.per_seed["value_added_trend"] > r.per_seed["energy_use_trend"]).all()


def test_strong_selection_shifts_tfp_growth_to_reallocation_and_entry():
    """Melitz-Polanec decomposition of TFP growth 2021Q4-2030Q4 within chains: with five times
    the replicator speed the share of reallocation plus net entry rises (paired over 5 seeds,
    t above 2), 2,000 enterprises."""
    r = _judge("selection_tfp")
    d = r.per_seed
    assert (d["strong_between"] > d["base_between"]).all()


def test_aggregate_growth_swings_with_one_large_chains_shock():
    """A -17% demand shock to one chain through 2024 (paired seeds, 2,000 enterprises): the
    drop in aggregate growth is the chain's value-added share times 17 points within 30% for
    the large automobile chain and the small new-materials chain, and growth rebounds in 2025
    (paired t above 2)."""
    r = _judge("chain_shock")
    drops = r.per_seed.groupby("chain")["drop"].mean()
    assert drops["automobile"] > 2 * drops["new_materials"]


def test_reduced_scale_keeps_every_chain_populated():
    from chainshift.experiments.facts import baseline_panel

    panel = baseline_panel(0)[0]
    start = panel[(panel["year"] == 2021) & (panel["quarter"] == 1)]
    assert len(start) >= 0.95 * FACT_ENTERPRISES
    assert start.groupby("chain").size().min() >= 50
