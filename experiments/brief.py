"""Outputs of a comparison for a policy team: a trajectories chart and a Markdown brief."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from chainshift.experiments.bands import band_text
from chainshift.experiments.compare import CONFIDENCE, KEY_INDICATORS, Comparison

COLOURS = {"A": "#4c78a8", "B": "#e45756"}


def bands(annual: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Mean and 95% interval of the mean per scenario and year (for the chart)."""
    g = annual.groupby(["scenario", "year"])[indicator]
    out = g.agg(["mean", "std", "count"]).reset_index()
    t = stats.t.ppf((1 + CONFIDENCE) / 2, np.maximum(out["count"] - 1, 1))
    half = t * out["std"].fillna(0.0) / np.sqrt(out["count"])
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    return out


def trajectories_chart(c: Comparison, path: Path, names: tuple[str, str] = ("A", "B")) -> Path:
    """Both scenarios' yearly key indicators, mean with 95% band, one panel each (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(4, 2, figsize=(10, 11), layout="constrained")
    for ax, (ind, label) in zip(axes.flat, KEY_INDICATORS.items(), strict=False):
        b = bands(c.annual, ind)
        for key, name in zip(("A", "B"), names, strict=True):
            s = b[b["scenario"] == key]
            ax.plot(s["year"], s["mean"], color=COLOURS[key], lw=1.8, label=name)
            ax.fill_between(s["year"], s["low"], s["high"], color=COLOURS[key], alpha=0.2, lw=0)
        ax.set_title(label, fontsize=10)
        ax.grid(alpha=0.3)
    legend_ax = axes.flat[-1]
    legend_ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    legend_ax.legend(handles, labels, loc="center", frameon=False, title=(
        f"mean of {len(set(c.annual['replication']))} runs per scenario,\n"
        "band: 95% confidence interval of the mean"))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def number_text(x: float) -> str:
    """A figure for a table: whole with separators from 100, two decimals from 1, else three."""
    if not np.isfinite(x):
        return "n/a"
    a = abs(x)
    if a >= 100:
        return f"{x:,.0f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}" if a >= 0.01 else f"{x:.2g}"


def _band(row, mean: str, prefix: str) -> str:
    """``8.42 [7.95, 8.90]``: a scenario's mean and its seed band in a table cell."""
    return band_text(row[mean], row[f"{prefix}_low"], row[f"{prefix}_high"], number_text)


def milestone_years(years: list[int]) -> list[int]:
    """First year, 2025 and 2030 when covered, and the last year."""
    keep = [years[0], *[y for y in (2025, 2030) if years[0] < y < years[-1]], years[-1]]
    return sorted(set(keep))


def brief_markdown(c: Comparison, names: tuple[str, str], chart: str | None,
                   quarters: int | None = None, years: list[int] | None = None,
                   note: str = "") -> str:
    """The comparison as a short Markdown brief: setup, key table, chart, how to read it.

    Args:
        c: the comparison.
        names: names of A and B.
        chart: file name of the trajectories chart, or None.
        quarters: quarters simulated, if fewer than the horizon.
        years: years in the table (default: :func:`milestone_years`).
        note: a line on how the runs were aligned (horizons that differ).
    """
    t = c.table
    years = years or milestone_years(sorted(t["year"].unique()))
    n = int(t["n"].min()) if len(t) else 0
    method = ("paired t over common random numbers" if c.paired
              else "Welch t over independent seeds")
    lines = [
        f"# {names[1]} vs {names[0]}",
        "",
        f"**A** = {names[0]}, **B** = {names[1]}. {n} runs each, "
        f"{'the same seeds for A and B' if c.paired else 'different seeds for A and B'}; "
        f"{c.a.population.enterprises:,} enterprises at start"
        + (f", {quarters} quarters" if quarters else "") + ".",
        f"The table gives the mean of each yearly indicator over the runs with its 90% seed "
        f"band in brackets (5th to 95th percentile over the runs: the spread of the path), "
        f"and the difference B - A with its 95% confidence interval ({method}). `*` marks "
        f"intervals that exclude 0. The chart's shaded bands are the 95% confidence intervals "
        f"of each scenario's mean."
        + (f" Note: {note}." if note else ""),
        "",
        "| indicator | year | A [90% seed band] | B [90% seed band] | B - A | 95% CI |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for ind, label in KEY_INDICATORS.items():
        rows = t[(t["indicator"] == ind) & (t["year"].isin(years))]
        for _, r in rows.iterrows():
            star = " *" if r["significant"] else ""
            lines.append(f"| {label} | {int(r['year'])} | {_band(r, 'mean_a', 'a')} | "
                         f"{_band(r, 'mean_b', 'b')} | {number_text(r['diff'])}{star} | "
                         f"[{number_text(r['ci_low'])}, {number_text(r['ci_high'])}] |")
    if chart:
        lines += ["", "![Both scenarios' trajectories, mean and 95% interval of the mean]"
                  f"({chart})"]
    lines += ["", "Every year of every indicator is in `differences.csv`; yearly values of each "
              "run are in `annual.parquet`."]
    if c.failed:
        lines += ["", f"{len(c.failed)} runs failed and their pairs are left out: "
                  + "; ".join(c.failed[:5])]
    return "\n".join(lines) + "\n"
