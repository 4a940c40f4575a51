"""Stylised facts of industrial dynamics, measured on model runs and judged against criteria.

Each :class:`Fact` runs the model for a list of seeds, measures one regularity known from
firm-level data, and returns a :class:`FactResult` of named checks (value, comparison,
threshold), so ``tests/test_stylised_facts.py`` and ``docs/VALIDATION.md`` (``python run.py
validate``) judge the model by the same numbers.

Scale: facts about firm distributions and aggregate shapes are measured at a reduced scale
(:data:`FACT_ENTERPRISES` enterprises instead of 7,100), which keeps the top 1% at 20 firms and
every chain with about 60 firms or more; the green S-curve runs a longer horizon at a smaller
scale. Each fact's ``method`` says what it uses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from chainshift.experiments.stylised import (
    decompose_by_group,
    hill_tail_index,
    laplace_vs_normal,
    log_trend,
    logistic_vs_linear,
    selection_share,
    top_share,
)

FACT_ENTERPRISES = 2000
"""Enterprises in the reduced-scale runs of the stylised facts."""

S_CURVE_ENTERPRISES = 1000
S_CURVE_END_YEAR = 2060
GREEN_THRESHOLD = 0.5
"""A firm counts as a green adopter once at least half of its capacity is green."""

STRONG_SELECTION = {"markets.replicator_speed": 0.3}
"""Stronger market selection: five times the default replicator speed (0.06 per quarter)."""

RANDOM_EXIT = {"finance.exit_hazard": 0.03}
"""Five times the default random exit hazard (shown for comparison, not judged)."""

SHOCK_SIZE = -0.17
"""Demand shock of the chain-shock fact: Chongqing's 2018 fall in car output (-17.3%)."""
SHOCK_YEAR = 2024


# -- results ----------------------------------------------------------------------------------
@dataclass
class Check:
    """One criterion: ``value op threshold``."""

    name: str
    value: float
    op: str
    threshold: float

    @property
    def passed(self) -> bool:
        """Whether the criterion holds."""
        if self.op == ">":
            return bool(self.value > self.threshold)
        if self.op == "<":
            return bool(self.value < self.threshold)
        raise ValueError(f"comparison '{self.op}'")

    def __str__(self) -> str:
        mark = "pass" if self.passed else "FAIL"
        return f"{self.name} = {self.value:.4g} ({self.op} {self.threshold:g}: {mark})"


@dataclass
class FactResult:
    """The checks of one fact, the per-seed measurements and data for its figure."""

    name: str
    checks: list[Check]
    per_seed: pd.DataFrame
    figure: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """All checks hold."""
        return all(c.passed for c in self.checks)

    def describe(self) -> str:
        """One line per check (for assertion messages and the console)."""
        return f"{self.name}: " + "; ".join(str(c) for c in self.checks)


@dataclass(frozen=True)
class Fact:
    """A stylised fact: what the data show, how the model is measured, and the criteria.

    Attributes:
        name: identifier (also the figure's file name).
        title: a short heading.
        statement: the regularity and where it is documented.
        method: how it is measured on the model, at what scale and horizon.
        evaluate: ``evaluate(seeds) -> FactResult``.
    """

    name: str
    title: str
    statement: str
    method: str
    evaluate: Callable[[Sequence[int]], FactResult]


def paired_t(diff: np.ndarray) -> float:
    """Paired t statistic of per-seed differences (inf when they are all equal and nonzero)."""
    diff = np.asarray(diff, dtype=float)
    sd = diff.std(ddof=1) if diff.size > 1 else 0.0
    if sd == 0:
        return float(np.sign(diff.mean()) * np.inf) if diff.mean() != 0 else 0.0
    return float(diff.mean() / (sd / np.sqrt(diff.size)))


# -- runs -------------------------------------------------------------------------------------
def scenario(overrides: dict | None = None, events: Sequence = ()):
    """The baseline at the facts' reduced scale, with overrides and extra events."""
    from chainshift.scenarios import load_scenario

    s = load_scenario(
        "baseline", overrides={"population.enterprises": FACT_ENTERPRISES, **(overrides or {})}
    )
    s.events.extend(events)
    return s


def _firm_rows(model) -> dict[str, np.ndarray]:
    f = model.firms
    return {
        "id": f.slot.copy(),
        "chain": f.chain.copy(),
        "va": f.va.copy(),
        "phi": np.log(f.A),
        "g": f.g.copy(),
    }


def run_panel(s, seed: int, quarters: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run a scenario and keep every firm's row each quarter.

    Firms are followed by their agent slot, which is permanent (a firm's unique id).

    Returns:
        (panel, indicators): the panel has columns year, quarter, id, chain, va (value added
        in the quarter), phi (log TFP) and g (green share).
    """
    from chainshift.model import TransitionModel

    model = TransitionModel(s, rng=seed)
    steps = model.horizon if quarters is None else quarters
    frames = []
    for _ in range(steps):
        model.step()
        rows = _firm_rows(model)
        frames.append(pd.DataFrame({"year": model.year, "quarter": model.quarter, **rows}))
    return pd.concat(frames, ignore_index=True), model.indicators()


@functools.cache
def baseline_panel(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reduced-scale baseline 2021-2035 for one seed (cached: several facts read it)."""
    return run_panel(scenario(), seed)


def annual_firm_growth(panel: pd.DataFrame) -> np.ndarray:
    """Yearly log growth of firms' value added, net of the chain's mean growth that year.

    A firm-year counts when the firm was present in all four quarters of both years (entrants'
    and leavers' part years are left out). Subtracting the chain-year mean removes common
    demand movements, as firm-growth studies do with industry-year means.
    """
    full = panel.groupby(["id", "year"]).agg(va=("va", "sum"), n=("va", "size"),
                                             chain=("chain", "first"))
    full = full[full["n"] == 4].reset_index()
    full["log_va"] = np.log(full["va"])
    full = full.sort_values(["id", "year"])
    prev = full.groupby("id")[["year", "log_va"]].shift(1)
    ok = prev["year"] == full["year"] - 1
    growth = (full["log_va"] - prev["log_va"])[ok]
    keys = full.loc[ok, ["chain", "year"]]
    return (growth - growth.groupby([keys["chain"], keys["year"]]).transform("mean")).to_numpy()


def q4(panel: pd.DataFrame, year: int) -> pd.DataFrame:
    """The firms at the end of a year, indexed by id."""
    return panel[(panel["year"] == year) & (panel["quarter"] == 4)].set_index("id")


# -- the facts --------------------------------------------------------------------------------
def _firm_sizes(seeds: Sequence[int]) -> FactResult:
    rows = []
    for seed in seeds:
        end = q4(baseline_panel(seed)[0], 2035)
        va = end["va"].to_numpy()
        rows.append({
            "seed": seed,
            "top1_share": 100 * top_share(va, 0.01),
            "skewness": float(stats.skew(va)),
            "log_skewness": float(stats.skew(np.log(va))),
            "hill_index": hill_tail_index(va, 0.05),
        })
    df = pd.DataFrame(rows)
    m = df.mean(numeric_only=True)
    end = q4(baseline_panel(seeds[0])[0], 2035)["va"].to_numpy()
    return FactResult("firm_sizes", [
        Check("top-1% share of value added, %", m["top1_share"], ">", 10.0),
        Check("skewness of value added", m["skewness"], ">", 0.0),
        Check("skewness of log value added", m["log_skewness"], ">", 0.0),
        Check("Hill tail index (top 5%)", m["hill_index"], "<", 2.0),
    ], df, {"va": end})


def _growth_rates(seeds: Sequence[int]) -> FactResult:
    rows, first = [], None
    for seed in seeds:
        g = annual_firm_growth(baseline_panel(seed)[0])
        first = g if first is None else first
        rows.append({"seed": seed, **laplace_vs_normal(g), "sd": float(g.std())})
    df = pd.DataFrame(rows)
    m = df.mean(numeric_only=True)
    return FactResult("growth_rates", [
        Check("excess kurtosis of firm growth rates", m["excess_kurtosis"], ">", 0.0),
        Check("log-likelihood gain of Laplace over normal, per firm-year",
              m["ll_gain_per_obs"], ">", 0.0),
    ], df, {"growth": first})


def _dispersion(panel: pd.DataFrame, year: int) -> tuple[float, float]:
    """Within-chain sd of log TFP and 90/10 TFP ratio, averaged over chains (firm weights)."""
    end = q4(panel, year)
    g = end.groupby("chain")["phi"]
    n = g.size()
    sd = float((g.std() * n).sum() / n.sum())
    spread = g.quantile(0.9) - g.quantile(0.1)
    return sd, float(np.exp((spread * n).sum() / n.sum()))


def _productivity_dispersion(seeds: Sequence[int]) -> FactResult:
    rows, paths = [], []
    for seed in seeds:
        panel = baseline_panel(seed)[0]
        sd0, _ = _dispersion(panel, 2021)
        sd1, ratio = _dispersion(panel, 2035)
        rows.append({"seed": seed, "sd_2021": sd0, "sd_2035": sd1, "sd_ratio": sd1 / sd0,
                     "tfp_90_10_2035": ratio})
        if not paths:
            paths = [(y, _dispersion(panel, y)[0]) for y in range(2021, 2036)]
    df = pd.DataFrame(rows)
    m = df.mean(numeric_only=True)
    return FactResult("productivity_dispersion", [
        Check("sd of log TFP within chains, 2035 over 2021", m["sd_ratio"], ">", 0.5),
        Check("TFP 90/10 ratio within chains, 2035", m["tfp_90_10_2035"], ">", 1.5),
    ], df, {"path": paths})


def _green_s_curve(seeds: Sequence[int]) -> FactResult:
    from chainshift.scenarios import load_scenario

    rows, first = [], None
    for seed in seeds:
        s = load_scenario("baseline", overrides={
            "population.enterprises": S_CURVE_ENTERPRISES, "horizon.end_year": S_CURVE_END_YEAR})
        panel, _ = run_panel(s, seed)
        end = panel[panel["quarter"] == 4]
        path = end.groupby("year")["g"].apply(lambda g: float((g >= GREEN_THRESHOLD).mean()))
        fit = logistic_vs_linear(path.index.to_numpy(), path.to_numpy())
        first = (path, fit) if first is None else first
        rows.append({"seed": seed, "adopters_2021": path.iloc[0], "adopters_end": path.iloc[-1],
                     **fit})
    df = pd.DataFrame(rows)
    m = df.mean(numeric_only=True)
    years = first[0].index
    return FactResult("green_s_curve", [
        Check("AIC gain of logistic over straight line", m["aic_gain"], ">", 10.0),
        Check("years from start to logistic midpoint", m["midpoint"] - years.min(), ">", 0.0),
        Check("years from logistic midpoint to end", years.max() - m["midpoint"], ">", 0.0),
    ], df, {"path": first[0], "fit": first[1]})


def _energy_decoupling(seeds: Sequence[int]) -> FactResult:
    from chainshift.model.summary import annual

    rows, first = [], None
    for seed in seeds:
        y = annual(baseline_panel(seed)[1])
        y = y[y["quarters"] == 4]
        first = y if first is None else first
        rows.append({
            "seed": seed,
            "intensity_trend": log_trend(y["year"], y["energy_intensity"]),
            "energy_use_trend": log_trend(y["year"], y["energy_use"]),
            "value_added_trend": log_trend(y["year"], y["value_added"]),
        })
    df = pd.DataFrame(rows)
    return FactResult("energy_decoupling", [
        Check("largest energy-intensity trend over seeds, %/year",
              df["intensity_trend"].max(), "<", 0.0),
        Check("smallest energy-use trend over seeds, %/year",
              df["energy_use_trend"].min(), ">", 0.0),
    ], df, {"yearly": first[["year", "energy_intensity", "energy_use"]]})


def tfp_decomposition(overrides: dict | None, seed: int, start: int = 2021,
                      end: int = 2030) -> dict[str, float]:
    """Melitz-Polanec decomposition of TFP growth from the end of ``start`` to end of ``end``."""
    s = scenario(overrides)
    panel, _ = run_panel(s, seed, quarters=4 * (end - s.horizon.start_year + 1))
    before = q4(panel, start).rename(columns={"va": "weight"})
    after = q4(panel, end).rename(columns={"va": "weight"})
    parts = decompose_by_group(before, after)
    return {**parts, "selection_share": selection_share(parts)}


def _selection(seeds: Sequence[int]) -> FactResult:
    rows = []
    for seed in seeds:
        base = tfp_decomposition(None, seed)
        strong = tfp_decomposition(STRONG_SELECTION, seed)
        exits = tfp_decomposition(RANDOM_EXIT, seed)
        rows.append({"seed": seed, **{f"base_{k}": v for k, v in base.items()},
                     **{f"strong_{k}": v for k, v in strong.items()},
                     **{f"random_exit_{k}": v for k, v in exits.items()}})
    df = pd.DataFrame(rows)
    diff = (df["strong_selection_share"] - df["base_selection_share"]).to_numpy()
    return FactResult("selection_tfp", [
        Check("rise in the reallocation + net-entry share of TFP growth", diff.mean(), ">", 0.0),
        Check("paired t statistic of that rise", paired_t(diff), ">", 2.0),
    ], df)


def chain_shock_response(chain: str | None, seed: int) -> tuple[pd.Series, float]:
    """Yearly value-added growth 2023-2025 with a shock to ``chain`` in 2024 (None: no shock),
    and the chain's share of value added in 2023.
    """
    from chainshift.model.summary import annual
    from chainshift.scenarios.schema import DemandShock

    events = [] if chain is None else [DemandShock(
        kind="demand_shock", chain=chain, start=f"{SHOCK_YEAR}Q1", quarters=4, size=SHOCK_SIZE)]
    s = scenario(events=events)
    panel, ind = run_panel(s, seed, quarters=4 * (SHOCK_YEAR + 1 - s.horizon.start_year + 1))
    y = annual(ind).set_index("year")
    share = 0.0
    if chain is not None:
        before = panel[panel["year"] == SHOCK_YEAR - 1]
        share = float(before.loc[before["chain"] == s.chain_names.index(chain), "va"].sum()
                      / before["va"].sum())
    return y.loc[SHOCK_YEAR - 1 : SHOCK_YEAR + 1, "value_added_growth"], share


def _chain_shock(seeds: Sequence[int], chains: tuple[str, ...] = ("automobile", "new_materials")):
    rows = []
    for seed in seeds:
        base, _ = chain_shock_response(None, seed)
        for chain in chains:
            hit, share = chain_shock_response(chain, seed)
            d = hit - base
            rows.append({"seed": seed, "chain": chain, "share_before": share,
                         "drop": -d.loc[SHOCK_YEAR], "rebound": d.loc[SHOCK_YEAR + 1],
                         "first_order": -100 * SHOCK_SIZE * share})
    df = pd.DataFrame(rows)
    df["drop_over_first_order"] = df["drop"] / df["first_order"]
    checks = []
    for chain in chains:
        c = df[df["chain"] == chain]
        ratio = c["drop_over_first_order"].mean()
        checks += [
            Check(f"{chain}: growth drop over share x shock", ratio, ">", 0.3),
            Check(f"{chain}: growth drop over share x shock", ratio, "<", 1.1),
        ]
    big = df[df["chain"] == chains[0]]["rebound"].to_numpy()
    checks.append(Check(f"{chains[0]}: paired t of the rebound the year after", paired_t(big),
                        ">", 2.0))
    return FactResult("chain_shock", checks, df)


FACTS: tuple[Fact, ...] = (
    Fact(
        "firm_sizes",
        "Firm sizes are right-skewed and heavy-tailed",
        "Firm size distributions are right-skewed with a Pareto upper tail of index near 1 "
        "(Axtell 2001, Science 293; Zipf's law for firms); a small top of firms makes a large "
        "share of output.",
        f"Value added per firm in 2035Q4, baseline at {FACT_ENTERPRISES:,} enterprises (after "
        "15 years of market selection; the initial draw is Pareto by construction, so the "
        "start would prove nothing). Top-1% share (above 10% is what a Pareto tail of index 2, "
        "the edge of infinite variance, gives), skewness of levels and of logs (above 0: "
        "heavier right tail than a lognormal), Hill index on the top 5% (below 2).",
        _firm_sizes,
    ),
    Fact(
        "growth_rates",
        "Firm growth rates are fat-tailed and tent-shaped",
        "Yearly log growth rates of firms follow a tent-shaped (Laplace) density with fat tails, "
        "not a normal one (Stanley et al. 1996, Nature 379; Bottazzi and Secchi 2006).",
        f"Yearly log growth of firms' value added 2022-2035 (firms present all year in both "
        f"years), net of the chain-year mean, baseline at {FACT_ENTERPRISES:,} enterprises. "
        "Excess kurtosis above 0, and a Laplace fit with a higher log-likelihood than a normal "
        "fit (both two-parameter maximum-likelihood fits).",
        _growth_rates,
    ),
    Fact(
        "productivity_dispersion",
        "Productivity dispersion persists",
        "Within narrowly defined industries TFP differs widely and persistently: a 90/10 ratio "
        "near 2 in US manufacturing (Syverson 2004, REStat 86), larger in China (Hsieh and "
        "Klenow 2009, QJE 124).",
        f"Standard deviation of log TFP within chains (averaged over chains by firm counts) at "
        f"the end of 2021 and of 2035, and the within-chain TFP 90/10 ratio in 2035, baseline "
        f"at {FACT_ENTERPRISES:,} enterprises. Dispersion must not fall below half its 2021 "
        "value, and the 90/10 ratio must stay above 1.5.",
        _productivity_dispersion,
    ),
    Fact(
        "green_s_curve",
        "Green adoption follows an S-curve",
        "Adoption of new process technologies spreads along an S-curve (Griliches 1957; Bass "
        "1969; Rogers): slow start, acceleration by imitation, saturation.",
        f"Share of firms with at least {GREEN_THRESHOLD:.0%} green capacity at each year end, "
        f"baseline extended to {S_CURVE_END_YEAR} at {S_CURVE_ENTERPRISES:,} enterprises (the "
        "2035 horizon shows only the first half of the curve). Least-squares logistic against "
        "straight line: the logistic must win by more than 10 AIC points (Burnham and "
        "Anderson's 'no support' level for the loser) with its midpoint inside the window.",
        _green_s_curve,
    ),
    Fact(
        "energy_decoupling",
        "Energy intensity falls while energy use grows",
        "In Chongqing and China energy per unit of output has fallen for decades while total "
        "energy use kept rising (energy use 88.75 Mt coal equivalent in 2020; intensity -2.7% "
        "in 2022; 14th five-year plan -14% by 2025).",
        f"Log-linear trends of yearly energy intensity and energy use 2021-2035, baseline at "
        f"{FACT_ENTERPRISES:,} enterprises: the intensity trend must be negative and the "
        "energy-use trend positive in every seed.",
        _energy_decoupling,
    ),
    Fact(
        "selection_tfp",
        "Stronger selection moves TFP growth toward reallocation and entry",
        "Reallocation of market share and net entry carry a large part of aggregate TFP growth "
        "where selection is strong (Foster, Haltiwanger and Krizan 2001; in Chinese "
        "manufacturing 1998-2007 net entry gave over two thirds: Brandt, Van Biesebroeck and "
        "Zhang 2012, JDE 97).",
        f"Melitz-Polanec decomposition of the growth of value-added-weighted log TFP from "
        f"2021Q4 to 2030Q4 within each chain (firms followed by their permanent agent slot), "
        f"summed with the chains' value-added shares; share of reallocation (between) plus "
        f"entry plus exit. Baseline against stronger market selection "
        f"({', '.join(f'{k} = {v}' for k, v in STRONG_SELECTION.items())}), paired seeds, "
        f"{FACT_ENTERPRISES:,} enterprises: the share must rise (paired t above 2).",
        _selection,
    ),
    Fact(
        "chain_shock",
        "Aggregate growth swings with one large chain's shock",
        "Industrial growth in a region built on few large chains swings with one chain's "
        "fortunes: in 2018, when Chongqing's car output fell 17.3%, its industrial value "
        "added grew about 0.5%, against 6.2% in 2019 (granular fluctuations: Gabaix 2011, "
        "Econometrica 79).",
        f"Paired seeds, {FACT_ENTERPRISES:,} enterprises: a {SHOCK_SIZE:.0%} demand shock to one "
        f"chain through {SHOCK_YEAR}, against no shock. First order, aggregate growth falls by "
        "the chain's value-added share times the shock; with orders a chain could not serve "
        "before and a wage the slump lowers the drop is smaller: it must be between 0.3 and "
        "1.1 times that for the large automobile chain and the small new-materials chain, and "
        "growth must rebound the year after (paired t above 2).",
        _chain_shock,
    ),
)
"""The stylised facts, in the order of docs/VALIDATION.md."""


def fact(name: str) -> Fact:
    """The fact called ``name``."""
    for f in FACTS:
        if f.name == name:
            return f
    raise KeyError(name)
