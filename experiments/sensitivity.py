"""Global sensitivity of one run outcome to the spec's parameter ranges, with SALib.

Sobol' (Saltelli sampling, first- and total-order indices with 95% confidence intervals) or
Morris elementary effects (mu*, its confidence interval, sigma). With several replications,
the outcome of a design point is the mean over its replications (which share seeds across
points, so the indices are not inflated by seed noise).

A ranking is only as good as the intervals under it, so the table says when it cannot tell:
each parameter's ``tier`` is one plus the number of parameters whose 95% interval of the
ranking index (ST for Sobol', mu* for Morris) lies wholly above its own. Parameters of one
tier cannot be ranked against each other at this sample size; :func:`ranking_notes` puts
that, and indices not distinguishable from zero, into words.
"""

from __future__ import annotations

import dataclasses
import difflib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from chainshift.experiments.columns import Column
from chainshift.experiments.design import MORRIS_LEVELS, problem, sample_matrix
from chainshift.experiments.spec import SweepSpec
from chainshift.scenarios.loader import ScenarioError

METHODS = ("sobol", "morris")

INDEX_COLUMNS: dict[str, Column] = {
    "parameter": Column("", "the varied parameter (dotted key)"),
    "S1": Column("share of variance", "Sobol' first-order index: the parameter's own share of "
                 "the outcome's variance"),
    "S1_conf": Column("share of variance", "half width of the 95% confidence interval of S1"),
    "ST": Column("share of variance", "Sobol' total-order index: own share plus interactions"),
    "ST_conf": Column("share of variance", "half width of the 95% confidence interval of ST"),
    "mu_star": Column("unit of the outcome", "Morris mu*: mean absolute elementary effect"),
    "mu_star_conf": Column("unit of the outcome", "half width of the 95% confidence interval "
                           "of mu*"),
    "sigma": Column("unit of the outcome", "Morris sigma: spread of the elementary effects "
                    "(non-linearity and interactions)"),
    "mu": Column("unit of the outcome", "Morris mu: mean elementary effect (signed)"),
    "tier": Column("rank", "1 + the number of parameters whose 95% interval of the ranking "
                   "index (ST or mu*) lies wholly above this one's; one tier cannot be ranked "
                   "within itself"),
    "above_zero": Column("true/false", "the ranking index's 95% interval excludes zero"),
}
"""Columns of ``sensitivity-<output>.csv``."""


def outcome_names(spec: SweepSpec) -> list[str]:
    """Outcomes a run of this spec reports (``model.summary.outcomes`` keys).

    They depend on which years the runs cover, so they are read off ``outcomes`` applied
    to an all-zero indicator table of the spec's length.
    """
    from chainshift.model.indicators import INDICATORS
    from chainshift.model.summary import outcomes

    q = spec.quarters
    table = pd.DataFrame({c: np.zeros(q) for c in INDICATORS})
    table["step"] = np.arange(q)
    table["year"] = spec.base.horizon.start_year + np.arange(q) // 4
    table["quarter"] = np.arange(q) % 4 + 1
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return list(outcomes(table))


def check_output(spec: SweepSpec, output: str, option: str = "--output") -> None:
    """Raise a one-line ScenarioError unless ``output`` is an outcome of this spec's runs."""
    names = outcome_names(spec)
    if output in names:
        return
    close = difflib.get_close_matches(output, names, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise ScenarioError(f"{option} {output}: not an outcome of these runs{hint}; allowed: "
                        f"{', '.join(names)}")


def with_samples(spec: SweepSpec, samples: int | None) -> SweepSpec:
    """The spec with ``--samples`` in place of its own sample count (None: unchanged)."""
    if samples is None:
        return spec
    raw = {**spec.raw, "sweep": {**spec.raw.get("sweep", {}), "samples": samples}}
    return dataclasses.replace(spec, samples=samples, raw=raw)


def check_method(spec: SweepSpec, method: str | None) -> str:
    """The method to use: ``--method``, or the spec's design if it is sobol or morris."""
    method = method or spec.design
    if method not in METHODS:
        raise ScenarioError(f"{spec.source}: sweep.design = \"{spec.design}\": sensitivity needs "
                            "--method sobol or --method morris (or that design in the spec)")
    n = spec.samples
    if method == "sobol" and n & (n - 1):
        raise ScenarioError(f"{spec.source}: samples = {n}: Sobol sampling needs a power of 2; "
                            "allowed: 2, 4, 8, 16, 32, 64, ... (set it with --samples)")
    if method == "morris" and n < 2:
        raise ScenarioError(f"{spec.source}: samples = {n}: Morris needs at least 2 "
                            "trajectories (set it with --samples)")
    for f in spec.factors:
        if f.values is not None:
            raise ScenarioError(f'{spec.source}: parameters."{f.key}": sensitivity samples from '
                                f'ranges; write "{f.key}" = {{ low = ..., high = ... }}')
    return method


def point_means(runs: pd.DataFrame, output: str, n_points: int) -> np.ndarray:
    """The output per design point, averaged over replications.

    Raises:
        ScenarioError: when a point has no finished run or the output is missing.
    """
    if output not in runs:
        raise ScenarioError(f"--output {output}: not a column of runs.parquet")
    means = runs.groupby("point")[output].mean().reindex(range(n_points))
    missing = int(means.isna().sum())
    if missing:
        raise ScenarioError(f"--output {output}: {missing} of {n_points} design points have no "
                            "value (failed runs, or the outcome is undefined, e.g. a year never "
                            "reached); see errors.jsonl")
    return means.to_numpy()


def analyze(spec: SweepSpec, method: str, runs: pd.DataFrame, output: str) -> pd.DataFrame:
    """Sensitivity indices of ``output``, one row per parameter, most influential first.

    Args:
        spec: the spec the runs were planned from.
        method: ``sobol`` or ``morris``.
        runs: the study's runs.parquet.
        output: an outcome column.

    Returns:
        Sobol': columns parameter, S1, S1_conf, ST, ST_conf (ranked by ST).
        Morris: columns parameter, mu_star, mu_star_conf, sigma, mu (ranked by mu_star).
        ``*_conf`` is the half width of the 95% confidence interval.
    """
    from SALib.analyze import morris, sobol

    prob = problem(spec)
    x = sample_matrix(spec, method)
    y = point_means(runs, output, len(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "sobol":
            si = sobol.analyze(prob, y, calc_second_order=False, conf_level=0.95, seed=spec.seed)
            table = pd.DataFrame({"parameter": prob["names"], "S1": si["S1"],
                                  "S1_conf": si["S1_conf"], "ST": si["ST"],
                                  "ST_conf": si["ST_conf"]})
            rank = "ST"
        else:
            si = morris.analyze(prob, x, y, conf_level=0.95, num_levels=MORRIS_LEVELS,
                                seed=spec.seed)
            table = pd.DataFrame({"parameter": prob["names"], "mu_star": si["mu_star"],
                                  "mu_star_conf": si["mu_star_conf"], "sigma": si["sigma"],
                                  "mu": si["mu"]})
            rank = "mu_star"
    table = table.sort_values(rank, ascending=False, kind="stable").reset_index(drop=True)
    return with_tiers(table, rank)


RANKED_BY = {"sobol": "ST", "morris": "mu_star"}
"""The index each method ranks by."""


def with_tiers(table: pd.DataFrame, rank: str) -> pd.DataFrame:
    """Add ``tier`` and ``above_zero`` for the ranking index ``rank`` (see the module doc).

    ``tier_i = 1 + #{j : lo_j > hi_i}`` with ``lo, hi = index -+ half width`` of the 95%
    intervals; ``above_zero_i = lo_i > 0``. A NaN half width counts as an unbounded interval.
    """
    value = table[rank].to_numpy(float)
    half = np.nan_to_num(table[f"{rank}_conf"].to_numpy(float), nan=np.inf)
    lo, hi = value - half, value + half
    out = table.copy()
    out["tier"] = 1 + (lo[None, :] > hi[:, None]).sum(axis=1)
    out["above_zero"] = lo > 0
    return out


def ranking_notes(table: pd.DataFrame, method: str) -> list[str]:
    """What the ranking can and cannot tell, one sentence per finding.

    - parameters sharing a tier: their order is not meaningful at this sample size;
    - parameters whose interval includes zero: not shown to matter at all;
    - Morris: sigma above mu*, the effect is non-linear or interacts with other parameters.
    """
    rank = RANKED_BY[method]
    label = "ST" if method == "sobol" else "mu*"
    notes = []
    if len(table) > 1 and table["tier"].nunique() == 1:
        notes.append(f"no parameter can be ranked above another: the 95% intervals of {label} "
                     "leave none wholly above another; more samples or replications narrow "
                     "them")
    for tier, group in table.groupby("tier", sort=True):
        if 1 < len(group) < len(table):
            names = ", ".join(group["parameter"])
            notes.append(f"tier {tier}: {names} have overlapping 95% intervals of {label}; "
                         "their order is not meaningful at this sample size")
    zero = table.loc[~table["above_zero"], "parameter"].tolist()
    if zero:
        notes.append(f"{', '.join(zero)}: the 95% interval of {label} includes zero, so "
                     "the effect is not shown to differ from none")
    if method == "morris":
        wide = table.loc[table["sigma"] > table[rank], "parameter"].tolist()
        if wide:
            notes.append(f"{', '.join(wide)}: sigma above mu*, so the effect is non-linear "
                         "or interacts with other parameters (mu* averages unlike effects)")
    return notes


def chart(table: pd.DataFrame, method: str, output: str, path: Path) -> Path:
    """Write :func:`chart_figure` as PNG."""
    fig = chart_figure(table, method, output)
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def chart_figure(table: pd.DataFrame, method: str, output: str):
    """Horizontal bar chart of the indices with their 95% intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    order = table.iloc[::-1]
    y = np.arange(len(order))
    fig, ax = plt.subplots(figsize=(7.5, 1.6 + 0.45 * len(order)), layout="constrained")
    if method == "sobol":
        h = 0.38
        ax.barh(y + h / 2, order["ST"], h, xerr=order["ST_conf"], label="total order ST",
                color="#31688e", capsize=3)
        ax.barh(y - h / 2, order["S1"], h, xerr=order["S1_conf"], label="first order S1",
                color="#90d743", capsize=3)
        ax.set_xlabel("Sobol' index (share of output variance), 95% CI")
    else:
        ax.barh(y, order["mu_star"], 0.6, xerr=order["mu_star_conf"], color="#31688e",
                capsize=3, label="mu* (95% CI)")
        ax.scatter(order["sigma"], y, color="#e45756", zorder=3, label="sigma")
        ax.set_xlabel(f"Morris elementary effects on {output}")
    # below the axes, so it never covers a bar or a dot
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2,
               frameon=False)
    ticks = (order["parameter"] + "  [tier " + order["tier"].astype(str) + "]"
             if "tier" in order else order["parameter"])
    ax.set_yticks(y, ticks)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_title(f"Sensitivity of {output} ({'Sobol' if method == 'sobol' else 'Morris'})")
    return fig
