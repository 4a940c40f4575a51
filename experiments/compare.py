"""Paired comparison of two scenarios with common random numbers.

Both scenarios run with the same seeds; the model draws each mechanism's randomness from its
own generator spawned from the seed, so run ``i`` of A and run ``i`` of B see the same shocks
wherever their states allow. The per-seed difference ``B - A`` then varies far less than
either scenario does, and its mean gets a narrow paired-t confidence interval.

Call :func:`paired` from Python (the dashboard does) or ``python run.py compare A B``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from chainshift.experiments.bands import seed_band
from chainshift.experiments.batch import run_jobs
from chainshift.experiments.columns import Column
from chainshift.experiments.design import replication_seeds
from chainshift.experiments.executors import Pool
from chainshift.experiments.runner import Job, RunResult
from chainshift.scenarios.loader import load_scenario
from chainshift.scenarios.schema import Scenario

ID_COLUMNS = ("scenario", "replication", "seed", "year")
"""Columns of the annual table that identify a row; every other column is compared."""

KEY_INDICATORS: dict[str, str] = {
    "value_added_growth": "value added growth, % on the year before",
    "innovation_share": "innovation share of growth (last five years), %",
    "tfp_contribution": "TFP contribution to growth, percentage points",
    "rd_intensity": "R&D over GDP, %",
    "carbon_intensity": "CO2 per value added, t per 10k yuan",
    "green_share": "clean share of capital, percent",
    "leverage": "liabilities over assets, %",
    "co2": "CO2, 10k t per year",
    "value_added": "value added, 100m yuan per year",
}
"""Yearly indicators shown in the terminal summary, the chart and the brief, with their units
(``differences.csv`` holds every indicator)."""

CONFIDENCE = 0.95

SCENARIO_COLUMN = {"scenario": Column("", "A (the reference scenario) or B")}

DIFFERENCE_COLUMNS: dict[str, Column] = {
    "indicator": Column("", "yearly indicator (model/indicators.py; yearly figures as in "
                        "model.summary.annual)"),
    "unit": Column("", "unit of the indicator's yearly figure; means, diff and interval are in it"),
    "year": Column("year", "calendar year"),
    "mean_a": Column("see unit column", "mean of A over its runs"),
    "mean_b": Column("see unit column", "mean of B over its runs"),
    "a_low": Column("see unit column", "5th percentile of A over its runs (lower end of A's "
                    "90% seed band)"),
    "a_high": Column("see unit column", "95th percentile of A over its runs (upper end of A's "
                     "90% seed band)"),
    "b_low": Column("see unit column", "5th percentile of B over its runs (lower end of B's "
                    "90% seed band)"),
    "b_high": Column("see unit column", "95th percentile of B over its runs (upper end of B's "
                     "90% seed band)"),
    "diff": Column("see unit column", "mean difference B - A"),
    "ci_low": Column("see unit column", "lower end of the 95% confidence interval of B - A"),
    "ci_high": Column("see unit column", "upper end of the 95% confidence interval of B - A"),
    "half_width": Column("see unit column", "half width of the 95% interval"),
    "n": Column("count", "pairs (paired) or smaller sample (unpaired) the interval uses"),
    "significant": Column("", "true when the 95% interval excludes 0"),
}
"""Columns of ``differences.csv``."""


@dataclass
class Comparison:
    """Result of a comparison of scenario B against scenario A.

    Attributes:
        a, b: the scenarios.
        seeds: the seeds (shared by A and B when paired).
        annual: yearly indicators per run: columns scenario ("A"/"B"), seed, year, ...
        table: one row per indicator and year: mean_a, mean_b, the seed bands a_low, a_high,
            b_low, b_high, diff, ci_low, ci_high, half_width, n, significant (the interval
            excludes 0).
        paired: True for common random numbers (paired t), False for independent seeds
            (Welch t).
        failed: errors of runs that failed (their pairs are left out).
    """

    a: Scenario
    b: Scenario
    seeds: list[int]
    annual: pd.DataFrame
    table: pd.DataFrame
    paired: bool = True
    failed: list[str] = field(default_factory=list)


def _scenario(x: Scenario | str | Path) -> Scenario:
    return x if isinstance(x, Scenario) else load_scenario(x)


def _jobs(scenario: Scenario, seeds: list[int], quarters: int, offset: int) -> list[Job]:
    base = scenario.model_dump()
    return [Job(run_id=offset + i, point=0, replication=i, seed=s, overrides={},
                quarters=quarters, base=base) for i, s in enumerate(seeds)]


def _annual(results: list[RunResult], label: str) -> pd.DataFrame:
    from chainshift.model.summary import annual

    frames = []
    for r in results:
        if not r.ok:
            continue
        yearly = annual(r.indicators.drop(columns="run_id"))
        yearly = yearly[yearly["quarters"] == 4].drop(columns="quarters")
        yearly.insert(0, "seed", r.job.seed)
        yearly.insert(0, "replication", r.job.replication)
        yearly.insert(0, "scenario", label)
        frames.append(yearly)
    return pd.concat(frames, ignore_index=True)


def simulate_annual(a: Scenario, b: Scenario, seeds_a: list[int], seeds_b: list[int],
                    quarters: int | None = None, pool: Pool | None = None,
                    on_result=None) -> tuple[pd.DataFrame, list[str]]:
    """Run A with ``seeds_a`` and B with ``seeds_b``; yearly key indicators per run.

    Returns:
        (annual table with columns scenario, replication, seed, year, indicators...,
        list of error lines of failed runs)
    """
    qa = a.horizon.quarters if quarters is None else min(quarters, a.horizon.quarters)
    qb = b.horizon.quarters if quarters is None else min(quarters, b.horizon.quarters)
    jobs_a, jobs_b = _jobs(a, seeds_a, qa, 0), _jobs(b, seeds_b, qb, len(seeds_a))
    results = run_jobs([*jobs_a, *jobs_b], pool, on_result)
    failed = [f"{'A' if r.job.run_id < len(seeds_a) else 'B'} seed {r.job.seed}: {r.error}"
              for r in results if not r.ok]
    table = pd.concat([_annual(results[:len(jobs_a)], "A"), _annual(results[len(jobs_a):], "B")],
                      ignore_index=True)
    return table, failed


def differences(annual: pd.DataFrame, paired: bool = True) -> pd.DataFrame:
    """Mean difference B - A per indicator and year with a 95% confidence interval, and each
    scenario's mean with its 90% seed band (5th-95th percentile over its runs,
    :func:`experiments.bands.seed_band`; over the complete pairs when paired).

    Paired: ``d_i = B_i - A_i`` over replications present in both; the interval is
    ``mean(d) +- t(0.975, n-1) * sd(d) / sqrt(n)``. Unpaired: Welch's interval for the
    difference of means of two independent samples. Every column besides
    :data:`ID_COLUMNS` is compared, and each row carries the unit of its indicator's yearly
    figure.
    """
    from chainshift.experiments.columns import yearly_unit

    indicators = [c for c in annual.columns if c not in ID_COLUMNS]
    a_all = annual[annual["scenario"] == "A"]
    b_all = annual[annual["scenario"] == "B"]
    years = sorted(set(a_all["year"]) & set(b_all["year"]))
    by_year = {}
    for year in years:
        a_y = a_all[a_all["year"] == year].set_index("replication")
        b_y = b_all[b_all["year"] == year].set_index("replication")
        if paired:
            common = a_y.index.intersection(b_y.index)
            a_y, b_y = a_y.loc[common], b_y.loc[common]
        by_year[year] = (a_y, b_y)
    rows = []
    for ind in indicators:
        for year, (a_y, b_y) in by_year.items():
            x, y = a_y[ind].to_numpy(float), b_y[ind].to_numpy(float)
            diff, half, n = _interval(x, y, paired)
            _, a_low, a_high, _ = seed_band(x)
            _, b_low, b_high, _ = seed_band(y)
            rows.append({"indicator": ind, "unit": yearly_unit(ind), "year": int(year),
                         "mean_a": x.mean(), "mean_b": y.mean(), "a_low": a_low,
                         "a_high": a_high, "b_low": b_low, "b_high": b_high,
                         "diff": diff, "ci_low": diff - half,
                         "ci_high": diff + half, "half_width": half, "n": n})
    table = pd.DataFrame(rows)
    table["significant"] = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    return table


def _interval(x: np.ndarray, y: np.ndarray, paired: bool) -> tuple[float, float, int]:
    """(mean difference, half width of the 95% interval, n)."""
    q = (1 + CONFIDENCE) / 2
    if paired:
        d = y - x
        n = len(d)
        if n < 2:
            return float(d.mean()) if n else np.nan, np.nan, n
        return float(d.mean()), float(stats.t.ppf(q, n - 1) * d.std(ddof=1) / np.sqrt(n)), n
    na, nb = len(x), len(y)
    if min(na, nb) < 2:
        return float(y.mean() - x.mean()), np.nan, min(na, nb)
    va, vb = x.var(ddof=1) / na, y.var(ddof=1) / nb
    se = np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1)) if se > 0 else na + nb - 2
    return float(y.mean() - x.mean()), float(stats.t.ppf(q, dof) * se), min(na, nb)


def paired(a: Scenario | str | Path, b: Scenario | str | Path, seeds: int = 30, *,
           seed: int = 0, quarters: int | None = None, pool: Pool | None = None,
           on_result=None) -> Comparison:
    """Compare B against A over ``seeds`` paired runs (common random numbers).

    Args:
        a: the reference scenario, or a name/path for :func:`scenarios.loader.load_scenario`.
        b: the scenario compared with A (likewise).
        seeds: number of seeds; seeds come from ``SeedSequence(seed).spawn(seeds)``.
        seed: root seed.
        quarters: simulate only this many quarters (default: each scenario's horizon).
        pool: executor (:func:`experiments.executors.open_pool`); None runs in this process.
        on_result: called after each run (progress).

    Returns:
        A :class:`Comparison` whose ``table`` holds B - A by indicator and year.
    """
    a, b = _scenario(a), _scenario(b)
    chosen = replication_seeds(seed, seeds)
    annual, failed = simulate_annual(a, b, chosen, chosen, quarters, pool, on_result)
    return Comparison(a, b, chosen, annual, differences(annual, paired=True), True, failed)


def unpaired(a: Scenario | str | Path, b: Scenario | str | Path, seeds: int = 30, *,
             seed: int = 0, quarters: int | None = None, pool: Pool | None = None,
             on_result=None) -> Comparison:
    """As :func:`paired`, but B runs with other seeds than A (independent samples, Welch t)."""
    a, b = _scenario(a), _scenario(b)
    chosen = replication_seeds(seed, 2 * seeds)
    annual, failed = simulate_annual(a, b, chosen[:seeds], chosen[seeds:], quarters, pool,
                                     on_result)
    return Comparison(a, b, chosen, annual, differences(annual, paired=False), False, failed)
