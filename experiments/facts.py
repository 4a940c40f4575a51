"""Stylised facts of industrial dynamics, each with its negative control, measured on model
runs and judged against criteria.

Each :class:`Fact` runs the model for a list of seeds twice: in the *setting* that should
produce the regularity, and in its *control*, the same setting with the mechanism that should
produce it switched off (or an initial condition that lacks it). The same criteria (named
checks: value, comparison, threshold) judge both; a fact is shown when it holds in the setting
and fails in the control. ``tests/test_stylised_facts.py`` and ``docs/VALIDATION.md``
(``python run.py validate``) judge the model by the same numbers. A fact the model does not
reproduce is kept, marked ``expected = False``, and reported as failing.

Facts are measured on what the model generates, not on what it is given: firm sizes from a
thin-tailed start, growth rates under Gaussian order shocks, adoption on a cohort's first
digital upgrade, emissions with the grid's emission factor held flat.

Scale: facts about firm distributions and aggregate shapes are measured at a reduced scale
(:data:`FACT_ENTERPRISES` enterprises instead of 7,100), which keeps the top 1% at 20 firms and
every chain with about 60 firms or more; the adoption curve runs a longer horizon at a smaller
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
    fit_bass,
    hill_tail_index,
    laplace_vs_normal,
    log_trend,
    selection_share,
)
from chainshift.model.groups import top_share

FACT_ENTERPRISES = 2000
"""Enterprises in the reduced-scale runs of the stylised facts."""

S_CURVE_ENTERPRISES = 1000
S_CURVE_END_YEAR = 2060

THIN_START = {"population.size_tail": 4.0}
"""A thin-tailed initial size distribution (Pareto index 4 instead of 1.15)."""

DYNAMICS_OFF = {
    "markets.replicator_speed": 0.0, "markets.demand_noise": 0.0,
    "finance.entry_rate": 0.0, "finance.exit_hazard": 0.0, "finance.exit_losses": 40,
    "technology.innovation_hazard": 0.0, "technology.imitation_hazard": 0.0,
    "technology.transfer_efficiency": 0.0,
}
"""No market selection, order shocks, entry, exit or technical change."""

GAUSSIAN_SHOCKS = {"markets.volatility_spread": 0.0}
"""Every firm's order shocks Gaussian with the same variance (no volatility mixture)."""

FLAT_PATHS = {"energy.grid_decarbonisation": 0.0, "technology.efficiency_gain": 0.0}
"""The exogenous energy paths held flat: the grid's emission factor at its 2020 value and no
autonomous efficiency gain."""

SAVINGS_OFF = {
    "technology.green_energy_saving": 0.0, "technology.digital_energy_saving": 0.0,
    "energy.green_emission_cut": 0.0,
}
"""Clean and digital capacity save no energy or CO2."""

NO_ENTRY_EXIT = {"finance.entry_rate": 0.0, "finance.exit_hazard": 0.0,
                 "finance.exit_losses": 40}
"""No entry and no exit inside the horizon."""

NO_PROJECTS = {"policy.promoted_investment": 0.0}
"""No promoted-investment projects: every unit of investment is a firm's own choice (projects
land in lumps by construction)."""

NO_ORDER_SHOCKS = {"markets.demand_noise": 0.0}
"""No idiosyncratic order shocks."""

RD_CHANNELS_OFF = {"technology.innovation_hazard": 0.0, "technology.knowledge_absorption": 0.0}
"""R&D buys nothing: no own innovation, and own knowledge adds nothing to absorptive capacity."""

SPIKE = 0.2
"""An investment spike: investment in a year above this share of the capital at its start
(Cooper and Haltiwanger 2006)."""

DECOUPLING_TREND = 0.0
"""Within-chain energy per unit of output must have a trend below this in every seed, %/year."""
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
    """The checks of one fact in its setting and in its control, the per-seed measurements
    (column ``case``: ``"setting"`` or ``"control"``) and data for its figure.
    """

    name: str
    checks: list[Check]
    per_seed: pd.DataFrame
    figure: dict = field(default_factory=dict)
    control_checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """All checks hold in the setting."""
        return all(c.passed for c in self.checks)

    @property
    def control_failed(self) -> bool:
        """At least one check fails in the control (the mechanism is needed)."""
        return not all(c.passed for c in self.control_checks)

    @property
    def shown(self) -> bool:
        """The fact holds with its mechanism and fails without it."""
        return self.passed and self.control_failed

    def describe(self) -> str:
        """One line per check (for assertion messages and the console)."""
        return (f"{self.name}: " + "; ".join(str(c) for c in self.checks)
                + " | control: " + "; ".join(str(c) for c in self.control_checks))


@dataclass(frozen=True)
class Fact:
    """A stylised fact: what the data show, how the model is measured, its control and the
    criteria.

    Attributes:
        name: identifier (also the figure's file name).
        title: a short heading.
        statement: the regularity and where it is documented.
        method: how it is measured on the model, at what scale and horizon.
        control_text: what the control switches off, and why the fact should then fail.
        setting: scenario overrides of the measured runs (on the facts' reduced baseline).
        control: further overrides of the control runs.
        measure: ``measure(overrides, seed) -> (row, figure data)`` for one run.
        criteria: ``criteria(per_seed) -> checks`` on the per-seed rows of one case.
        expected: whether the model is claimed to reproduce the fact (False: a known
            failure, reported as such).
    """

    name: str
    title: str
    statement: str
    method: str
    control_text: str
    setting: dict
    control: dict
    measure: Callable[[dict, int], tuple[dict, dict]]
    criteria: Callable[[pd.DataFrame], list[Check]]
    expected: bool = True

    def evaluate(self, seeds: Sequence[int]) -> FactResult:
        """Measure the setting and the control on ``seeds`` and judge both."""
        rows, figure = [], {}
        for case, over in (("setting", self.setting), ("control", {**self.setting,
                                                                    **self.control})):
            for seed in seeds:
                row, fig = self.measure(over, seed)
                rows.append({"case": case, "seed": seed, **row})
                if seed == seeds[0]:
                    figure[case] = fig
        df = pd.DataFrame(rows)
        return FactResult(self.name, self.criteria(df[df["case"] == "setting"]), df, figure,
                          self.criteria(df[df["case"] == "control"]))


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
        "d": f.d.copy(),
        "y": f.y.copy(),
        "energy": f.energy.copy(),
        "K": f.K.copy(),
        "inv": f.inv.copy(),
        "rd": f.rd.copy(),
    }


def run_panel(s, seed: int, quarters: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run a scenario and keep every firm's row each quarter.

    Firms are followed by their agent slot, which is permanent (a firm's unique id).

    Returns:
        (panel, indicators): the panel has columns year, quarter, id, chain, va (value added
        in the quarter), phi (log TFP), g (green share), d (digital level), y (real output),
        energy (energy use in the quarter), K (capital after the quarter's investment), inv
        (investment in the quarter) and rd (R&D spending in the quarter).
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
def _cached_panel(overrides: tuple, seed: int, quarters: int | None):
    return run_panel(scenario(dict(overrides)), seed, quarters)


def panel_for(overrides: dict, seed: int, quarters: int | None = None):
    """The reduced-scale baseline with ``overrides`` for one seed (cached: facts share runs)."""
    return _cached_panel(tuple(sorted(overrides.items())), seed, quarters)


def baseline_panel(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reduced-scale baseline 2021-2035 for one seed."""
    return panel_for({}, seed)


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
def _sizes(over: dict, seed: int) -> tuple[dict, dict]:
    panel = panel_for(over, seed)[0]
    start, end = q4(panel, 2021)["va"].to_numpy(), q4(panel, 2035)["va"].to_numpy()
    return {
        "hill_2021": hill_tail_index(start, 0.05),
        "top1_share": 100 * top_share(end, 0.01),
        "log_skewness": float(stats.skew(np.log(end))),
        "hill_index": hill_tail_index(end, 0.05),
    }, {"va": end}


def _sizes_criteria(d: pd.DataFrame) -> list[Check]:
    return [
        Check("top-1% share of value added 2035, %", d["top1_share"].mean(), ">", 10.0),
        Check("skewness of log value added 2035", d["log_skewness"].mean(), ">", 0.0),
        Check("Hill tail index (top 5%) 2035", d["hill_index"].mean(), "<", 2.0),
    ]


def _growth(over: dict, seed: int) -> tuple[dict, dict]:
    g = annual_firm_growth(panel_for(over, seed)[0])
    return {**laplace_vs_normal(g), "sd": float(g.std())}, {"growth": g}


def _growth_criteria(d: pd.DataFrame) -> list[Check]:
    return [Check("excess kurtosis of firm growth rates", d["excess_kurtosis"].mean(), ">", 2.0)]


def _dispersion(panel: pd.DataFrame, year: int) -> tuple[float, float]:
    """Within-chain sd of log TFP and 90/10 TFP ratio, averaged over chains (firm weights)."""
    end = q4(panel, year)
    g = end.groupby("chain")["phi"]
    n = g.size()
    sd = float((g.std() * n).sum() / n.sum())
    spread = g.quantile(0.9) - g.quantile(0.1)
    return sd, float(np.exp((spread * n).sum() / n.sum()))


def _productivity(over: dict, seed: int) -> tuple[dict, dict]:
    panel = panel_for(over, seed)[0]
    sd0, _ = _dispersion(panel, 2021)
    sd1, ratio = _dispersion(panel, 2035)
    path = [(y, _dispersion(panel, y)[0]) for y in range(2021, 2036)]
    return {"sd_2021": sd0, "sd_2035": sd1, "sd_ratio": sd1 / sd0,
            "tfp_90_10_2035": ratio}, {"path": path}


def _productivity_criteria(d: pd.DataFrame) -> list[Check]:
    return [
        Check("sd of log TFP within chains, 2035 over 2021", d["sd_ratio"].mean(), ">", 0.5),
        Check("TFP 90/10 ratio within chains, 2035", d["tfp_90_10_2035"].mean(), ">", 1.5),
    ]


def adoption_path(panel: pd.DataFrame, step: float) -> pd.Series:
    """Cumulative share of the 2021 cohort that has made its first digital upgrade, by year.

    The cohort is the firms present at the end of 2021 with room for an upgrade (digital
    level at most ``1 - step``); a firm has adopted once its level is above its 2021 level.
    Firms that leave drop out of the share's base.
    """
    end = panel[panel["quarter"] == 4]
    start = end[end["year"] == end["year"].min()].set_index("id")["d"]
    start = start[start <= 1.0 - step]
    out = {}
    for year, rows in end.groupby("year"):
        d = rows.set_index("id")["d"]
        common = start.index.intersection(d.index)
        out[year] = float((d[common] > start[common] + 1e-12).mean())
    return pd.Series(out)


def _adoption(over: dict, seed: int) -> tuple[dict, dict]:
    step = scenario(over).adoption.upgrade_step
    path = adoption_path(panel_for(over, seed)[0], step)
    fit = fit_bass(path.index.to_numpy() - path.index.min(), path.to_numpy())
    return {**fit, "adopted_2035": float(path.loc[2035])}, {"path": path, "fit": fit}


def _adoption_criteria(d: pd.DataFrame) -> list[Check]:
    return [Check("Bass q over p (S-shaped when above 1)", d["q_over_p"].mean(), ">", 1.0)]


def _decoupling(over: dict, seed: int) -> tuple[dict, dict]:
    from chainshift.model.summary import annual

    panel, ind = panel_for(over, seed)
    by = panel.groupby(["chain", "year"])[["energy", "y"]].sum().reset_index()
    by["intensity"] = by["energy"] / by["y"]
    trends = by.groupby("chain").apply(lambda c: log_trend(c["year"], c["intensity"]),
                                       include_groups=False)
    weight = by[by["year"] == by["year"].min()].set_index("chain")["y"]
    within = float((trends * weight).sum() / weight.sum())
    y = annual(ind)
    y = y[y["quarters"] == 4]
    return {"within_chain_energy_trend": within,
            "co2_trend": log_trend(y["year"], y["co2"]),
            "value_added_trend": log_trend(y["year"], y["value_added"]),
            "carbon_intensity_trend": log_trend(y["year"], y["carbon_intensity"])}, {
        "yearly": y[["year", "co2", "carbon_intensity", "value_added"]]}


def _decoupling_criteria(d: pd.DataFrame) -> list[Check]:
    return [
        Check("largest within-chain trend of energy per unit of output over seeds, %/year",
              d["within_chain_energy_trend"].max(), "<", DECOUPLING_TREND),
        Check("smallest CO2 trend over seeds, %/year", d["co2_trend"].min(), ">", 0.0),
    ]


def _net_entry(over: dict, seed: int) -> tuple[dict, dict]:
    s = scenario(over)
    panel = panel_for(over, seed, 4 * (2030 - s.horizon.start_year + 1))[0]
    before = q4(panel, 2021).rename(columns={"va": "weight"})
    after = q4(panel, 2030).rename(columns={"va": "weight"})
    parts = decompose_by_group(before, after)
    total = parts["total"]
    return {**parts, "selection_share": selection_share(parts),
            "net_entry_share": (parts["entry"] + parts["exit"]) / total if total else 0.0}, parts


def _net_entry_criteria(d: pd.DataFrame) -> list[Check]:
    return [Check("net entry's share of TFP growth 2021Q4-2030Q4", d["net_entry_share"].mean(),
                  ">", 2 / 3)]


def firm_years(panel: pd.DataFrame) -> pd.DataFrame:
    """One row per firm and full year (present in all four quarters): investment, R&D and value
    added summed, capital at the start of the year (after Q1, less Q1's investment), log TFP
    at the end, and the same firm's next-year log TFP where it was present then.
    """
    g = panel.groupby(["id", "year"]).agg(
        inv=("inv", "sum"), inv_q1=("inv", "first"), k_q1=("K", "first"), n=("K", "size"),
        rd=("rd", "sum"), va=("va", "sum"), phi=("phi", "last"), chain=("chain", "first"),
    ).reset_index()
    g = g[g["n"] == 4].sort_values(["id", "year"]).reset_index(drop=True)
    g["k_start"] = g["k_q1"] - g["inv_q1"]
    follows = g.groupby("id")["year"].shift(-1) == g["year"] + 1
    g["phi_next"] = g.groupby("id")["phi"].shift(-1).where(follows)
    precedes = g.groupby("id")["year"].shift(1) == g["year"] - 1
    g["ik"] = g["inv"] / g["k_start"]
    g["ik_before"] = g.groupby("id")["ik"].shift(1).where(precedes)
    return g.drop(columns=["n", "inv_q1", "k_q1"])


def within(df: pd.DataFrame, column: str) -> pd.Series:
    """``column`` net of its chain-year mean."""
    return df[column] - df.groupby(["chain", "year"])[column].transform("mean")


def rd_return(years: pd.DataFrame) -> tuple[float, float]:
    """Gross rate of return to R&D: the slope ``rho`` of next year's log-TFP growth on R&D
    over value added, within chain-years (both net of their chain-year means), the primal
    form ``d ln A_{t+1} = rho RD_t / VA_t + e`` (Griliches 1979; Hall, Mairesse and Mohnen
    2010), by least squares.

    Returns:
        (rho, its t statistic).
    """
    h = years[years["phi_next"].notna() & (years["va"] > 0)].copy()
    h["x"] = h["rd"] / h["va"]
    h["dphi"] = h["phi_next"] - h["phi"]
    x, y = within(h, "x").to_numpy(), within(h, "dphi").to_numpy()
    sxx = float(x @ x)
    if len(x) < 3 or sxx == 0:
        return 0.0, 0.0
    rho = float(x @ y) / sxx
    resid = y - rho * x
    se = np.sqrt(float(resid @ resid) / (len(x) - 2) / sxx)
    return rho, rho / se if se > 0 else 0.0


def _rd(over: dict, seed: int) -> tuple[dict, dict]:
    years = firm_years(panel_for(over, seed)[0])
    rho, t = rd_return(years)
    return {"rd_return": rho, "rd_return_t": t}, {"rho": rho}


def _rd_criteria(d: pd.DataFrame) -> list[Check]:
    return [
        Check("gross rate of return to R&D (slope of next-year TFP growth on R&D/VA)",
              d["rd_return"].mean(), ">", 0.1),
        Check("the same, upper bound", d["rd_return"].mean(), "<", 0.6),
    ]


def investment_moments(years: pd.DataFrame) -> dict[str, float]:
    """Spike rate (I/K above :data:`SPIKE`), inaction rate (|I/K| below 1%), mean I/K and the
    serial correlation of I/K across consecutive years, over firm-years with capital.

    The serial correlation is Pearson's on rates winsorised at their 1st and 99th
    percentiles: a firm with almost no capital can have a rate in the hundreds, which would
    decide the correlation alone.
    """
    y = years[years["k_start"] > 0]
    ik = y["ik"]
    pair = y[y["ik_before"].notna()]
    serial = float("nan")
    if len(pair) > 2:
        lo, hi = np.percentile(ik, [1.0, 99.0])
        serial = float(np.corrcoef(pair["ik"].clip(lo, hi), pair["ik_before"].clip(lo, hi))[0, 1])
    return {"spike_rate": float((ik > SPIKE).mean()),
            "inaction_rate": float((ik.abs() < 0.01).mean()),
            "mean_investment_rate": float(ik.mean()), "serial_correlation": serial}


def _lumpy(over: dict, seed: int) -> tuple[dict, dict]:
    years = firm_years(panel_for(over, seed)[0])
    return investment_moments(years), {"ik": years["ik"].to_numpy()}


def _lumpy_criteria(d: pd.DataFrame) -> list[Check]:
    return [
        Check(f"share of firm-years with an investment spike (I/K > {SPIKE:g})",
              d["spike_rate"].mean(), ">", 0.1),
        Check("serial correlation of yearly investment rates", d["serial_correlation"].mean(),
              "<", 0.3),
    ]


FACTS: tuple[Fact, ...] = (
    Fact(
        "firm_sizes",
        "Firm sizes become right-skewed and heavy-tailed",
        "Firm size distributions are right-skewed with a Pareto upper tail of index near 1 "
        "(Axtell 2001, Science 293; Zipf's law for firms); a small top of firms makes a large "
        "share of output.",
        f"Value added per firm in 2035Q4, baseline at {FACT_ENTERPRISES:,} enterprises started "
        "from a thin-tailed size distribution (population.size_tail = 4, Hill index about 3 at "
        "the end of 2021), so the tail must be made by the model. Top-1% share above 10% (what "
        "a Pareto tail of index 2, the edge of infinite variance, gives), skewness of log "
        "value added above 0, Hill index on the top 5% below 2.",
        "The same thin start with the dynamics that move sizes off: no market selection "
        "(replicator speed 0), no order shocks, no entry or exit, no technical change.",
        THIN_START, DYNAMICS_OFF, _sizes, _sizes_criteria,
    ),
    Fact(
        "growth_rates",
        "Firm growth rates are fat-tailed",
        "Yearly log growth rates of firms have fat tails: a tent-shaped (Laplace) density with "
        "excess kurtosis about 3, not a normal one (Stanley et al. 1996, Nature 379; Bottazzi "
        "and Secchi 2006).",
        f"Yearly log growth of firms' value added 2022-2035 (firms present all year in both "
        f"years), net of the chain-year mean, baseline at {FACT_ENTERPRISES:,} enterprises "
        "with Gaussian order shocks of the same variance for every firm "
        "(markets.volatility_spread = 0), so the tails are not given by the shocks. Excess "
        "kurtosis above 2 (the normal has 0, the Laplace 3).",
        "Gaussian shocks and no market selection (replicator speed 0): growth is then the "
        "shocks' normal plus capacity and price effects.",
        GAUSSIAN_SHOCKS, {"markets.replicator_speed": 0.0}, _growth, _growth_criteria,
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
        "Imitation at once (technology.imitation_hazard = 1): every firm imitates the best "
        "practice each quarter, so laggards catch up and dispersion collapses.",
        {}, {"technology.imitation_hazard": 1.0}, _productivity, _productivity_criteria,
    ),
    Fact(
        "digital_adoption",
        "Adoption of a new technology follows a Bass S-curve",
        "A new process technology spreads along an S-curve: slow start, acceleration as "
        "adopters are imitated, saturation (Griliches 1957; Bass 1969). Across many "
        "technologies the Bass coefficients average about p = 0.03 (innovation) and q = 0.38 "
        "(imitation) a year (Sultan, Farley and Lehmann 1990, JMR 27).",
        f"Share of the 2021 cohort ({S_CURVE_ENTERPRISES:,} enterprises, baseline extended to "
        f"{S_CURVE_END_YEAR}) that has made its first digital upgrade, each year end, a "
        "discrete adoption event. Least-squares Bass fit: the curve is S-shaped only if the "
        "imitation coefficient exceeds the innovation coefficient (q over p above 1).",
        "No adoption from digital peers (adoption.digital_imitation = 0).",
        {"population.enterprises": S_CURVE_ENTERPRISES, "horizon.end_year": S_CURVE_END_YEAR},
        {"adoption.digital_imitation": 0.0}, _adoption, _adoption_criteria, expected=False,
    ),
    Fact(
        "decoupling",
        "Firms' own savings lower energy per unit of output while emissions still grow",
        "In Chongqing and China energy and CO2 per unit of output have fallen for decades "
        "while total emissions kept rising (relative decoupling; energy intensity -2.7% in "
        "2022; 14th five-year plan -14% by 2025). Part of the fall is structural change, part "
        "is firms' own savings.",
        f"Baseline at {FACT_ENTERPRISES:,} enterprises with the exogenous energy paths held "
        "flat (grid emission factor and autonomous efficiency gain), so what falls is what "
        "firms choose: clean and digital capacity. Log-linear trend 2021-2035 of each "
        "chain's energy per unit of real output "
        "(structural change between chains removed), averaged with the chains' 2021 output "
        f"shares: below {DECOUPLING_TREND:g} in every seed; CO2 trend above 0 in every "
        "seed. (Energy intensity of value added is a calibration moment, so it is not used "
        "here.)",
        "Clean and digital capacity save no energy or CO2: what remains is the reshuffling "
        "of output between firms of a chain.",
        FLAT_PATHS, SAVINGS_OFF, _decoupling, _decoupling_criteria, expected=False,
    ),
    Fact(
        "net_entry",
        "Net entry carries most of TFP growth",
        "In Chinese manufacturing 1998-2007 net entry contributed over two thirds of TFP "
        "growth (Brandt, Van Biesebroeck and Zhang 2012, JDE 97); reallocation and net entry "
        "carry a large part of it in other countries too (Foster, Haltiwanger and Krizan "
        "2001).",
        f"Melitz-Polanec decomposition of the growth of value-added-weighted log TFP from "
        f"2021Q4 to 2030Q4 within each chain (firms followed by their permanent agent slot), "
        f"summed with the chains' value-added shares, baseline at {FACT_ENTERPRISES:,} "
        "enterprises: net entry (entry plus exit) must give more than two thirds.",
        "No entry and no exit inside the horizon.",
        {}, NO_ENTRY_EXIT, _net_entry, _net_entry_criteria, expected=False,
    ),
    Fact(
        "rd_return",
        "R&D pays: firms that spend more on it raise their productivity faster",
        "Across firms, R&D spending is followed by faster productivity growth: estimated gross "
        "rates of return to R&D cluster at 20-30% a year, most between 10% and 50% (Griliches "
        "1979; Hall, Mairesse and Mohnen 2010, Handbook of the Economics of Innovation).",
        f"Firm-years of the baseline at {FACT_ENTERPRISES:,} enterprises, 2021-2034: the "
        "least-squares slope of the next year's log-TFP growth on the year's R&D over value "
        "added, both net of their chain-year means (the primal rate-of-return regression). "
        "The rate must lie between 0.1 and 0.6.",
        "R&D buys nothing: no own innovation (technology.innovation_hazard = 0) and own "
        "knowledge adds nothing to absorptive capacity (technology.knowledge_absorption = 0); "
        "any slope left is selection on firms that happen to spend.",
        {}, RD_CHANNELS_OFF, _rd, _rd_criteria,
    ),
    Fact(
        "lumpy_investment",
        "Investment is lumpy",
        "Plants invest in bursts: in US manufacturing 18.6% of plant-years have an investment "
        "spike (investment above 20% of capital), 8.1% are inactive, and yearly investment "
        "rates are nearly uncorrelated over time (0.058; Cooper and Haltiwanger 2006, REStud "
        "73, from the LRD; Doms and Dunne 1998).",
        f"Firm-years of the baseline at {FACT_ENTERPRISES:,} enterprises without promoted "
        "projects (policy.promoted_investment = 0, since projects land in lumps by "
        "construction), 2021-2035: the share of firm-years with investment above 20% of the "
        "capital at the start of the year must exceed 10%, and the correlation of a firm's "
        "investment rate with its rate the year before (rates winsorised at their 1st and "
        "99th percentiles) must be below 0.3.",
        "No idiosyncratic order shocks (markets.demand_noise = 0): capital then follows "
        "smooth demand.",
        NO_PROJECTS, NO_ORDER_SHOCKS, _lumpy, _lumpy_criteria, expected=False,
    ),
)
"""The stylised facts, in the order of docs/VALIDATION.md."""


def fact(name: str) -> Fact:
    """The fact called ``name``."""
    for f in FACTS:
        if f.name == name:
            return f
    raise KeyError(name)
