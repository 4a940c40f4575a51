"""The 2017-2019 hindcast: the calibrated model started from 2017, against what happened.

The scenario ``hindcast_2017`` is the baseline's parameters, nothing refitted, started from
Chongqing's 2017 state (``scenarios/data/state_2017.toml``) and given one event, the 2018
automobile slump (orders of the automobile chain 17.3% lower, 2018Q1-2019Q4). Its checks are
the rows of ``scenarios/data/hindcast.csv`` (same columns as the calibration's
``moments.csv``): industrial value-added growth of 0.5% in 2018 and 6.2% in 2019.

A check passes when the mean over seeds lies within its tolerance of the observed figure, as
a calibration moment does. Beside it the page shows the seed band (5th to 95th percentile of
the seeds) and the slump's own effect: the paired difference, seed by seed, between the
hindcast and its control, the same 2017 state without the slump.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from chainshift.experiments.bands import quantiles
from chainshift.experiments.moments import DATA_DIR, Moment, load_moments, simulated

CHECKS_FILE = DATA_DIR / "hindcast.csv"
"""The hindcast's checks: observed figures after the start, measured on the run as moments."""
SCENARIO = "hindcast_2017"
CONTROL = DATA_DIR / "state_2017.toml"
"""The 2017 state without the slump: the hindcast's control."""
BAND = quantiles()
"""Quantiles of the seeds shown as the seed band (the project's 90% seed band)."""


@dataclass(frozen=True)
class Hindcast:
    """The hindcast's checks on a set of seeds.

    Attributes:
        checks: the observed figures, as moments (``scenarios/data/hindcast.csv``).
        seeds: the seeds run.
        sims: the checks on the hindcast, one row per seed.
        control: the checks on its control (no slump), same seeds.
    """

    checks: tuple[Moment, ...]
    seeds: tuple[int, ...]
    sims: np.ndarray
    control: np.ndarray

    @property
    def observed(self) -> np.ndarray:
        """The observed figures, in the checks' order."""
        return np.array([c.observed for c in self.checks])

    @property
    def tolerance(self) -> np.ndarray:
        """The checks' tolerances (95% bands of the observed figures)."""
        return np.array([c.tolerance for c in self.checks])

    def mean(self, control: bool = False) -> np.ndarray:
        """Mean over seeds of each check (of the control run if ``control``)."""
        return (self.control if control else self.sims).mean(axis=0)

    def band(self, control: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The seed band: :data:`BAND` quantiles over seeds of each check."""
        x = self.control if control else self.sims
        lo, hi = np.quantile(x, BAND, axis=0)
        return lo, hi

    def passed(self, control: bool = False) -> np.ndarray:
        """Whether each check's seed mean lies within its tolerance of the observed figure."""
        return np.abs(self.mean(control) - self.observed) <= self.tolerance

    def effect(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The slump's effect on each check: mean of the paired differences hindcast -
        control and its t confidence interval, ``d_bar +- t_{n-1} s_d / sqrt(n)``.

        Returns:
            (mean, low, high); low and high are NaN with fewer than two seeds.
        """
        d = self.sims - self.control
        mean = d.mean(axis=0)
        n = len(d)
        if n < 2:
            nan = np.full_like(mean, np.nan)
            return mean, nan, nan
        half = stats.t.ppf(0.5 + level / 2, n - 1) * d.std(axis=0, ddof=1) / np.sqrt(n)
        return mean, mean - half, mean + half


def run_hindcast(seeds: Sequence[int], scenario=None, control=None) -> Hindcast:
    """Run the hindcast and its control on the same seeds and measure the checks.

    Args:
        seeds: the seeds (each runs both scenarios).
        scenario: the hindcast scenario (default :data:`SCENARIO`).
        control: the control scenario (default :data:`CONTROL`).
    """
    from chainshift.experiments.runner import simulate
    from chainshift.scenarios.loader import load_scenario

    checks = load_moments(CHECKS_FILE)
    scenario = scenario if scenario is not None else load_scenario(SCENARIO)
    control = control if control is not None else load_scenario(CONTROL)

    def measure(s) -> np.ndarray:
        return np.array([simulated(simulate(s, seed, s.horizon.quarters)[1], checks)
                         for seed in seeds])

    return Hindcast(checks, tuple(seeds), measure(scenario), measure(control))


def figure(result: Hindcast, path: Path) -> None:
    """One panel per check: observed with its tolerance, the hindcast's and the control's
    seeds with their means and seed bands.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(result.checks)
    fig, axes = plt.subplots(1, n, figsize=(3.6 * n, 3.2), layout="constrained", squeeze=False)
    runs = (("hindcast", result.sims, "#e45756"), ("no slump", result.control, "#9d9d9d"))
    for j, (ax, c) in enumerate(zip(axes.flat, result.checks, strict=True)):
        ax.axhspan(c.observed - c.tolerance, c.observed + c.tolerance, color="#4c78a8",
                   alpha=0.15, lw=0)
        ax.axhline(c.observed, color="#4c78a8", lw=1.5, label="observed")
        for x, (_, sims, colour) in enumerate(runs):
            col = sims[:, j]
            lo, hi = np.quantile(col, BAND)
            ax.vlines(x, lo, hi, color=colour, lw=6, alpha=0.35)
            ax.scatter(x + np.linspace(-0.1, 0.1, len(col)), col, s=10, color=colour)
            ax.hlines(col.mean(), x - 0.25, x + 0.25, color=colour, lw=2.5)
        ax.set_xticks(range(len(runs)), [r[0] for r in runs], fontsize=8)
        ax.set_xlim(-0.6, len(runs) - 0.4)
        ax.set_title(f"{c.label} ({c.unit})", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle("Hindcast from 2017: seeds, mean and 90% seed band against the data",
                 fontsize=9)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def section(result: Hindcast, figures: str, number: str = "3") -> list[str]:
    """The validation page's hindcast section (Markdown lines)."""
    mean, lo, hi = result.mean(), *result.band()
    cmean = result.mean(control=True)
    eff, elo, ehi = result.effect()
    ok = result.passed()
    lines = [
        f"## {number}. Hindcast 2017-2019 (not fitted)",
        "",
        "The calibrated parameters, nothing refitted, started from Chongqing's 2017 state "
        "(`scenarios/data/state_2017.toml`: 2017 enterprise count, value added, and chain shares "
        "with the strategic emerging chains at their 2017 share of 17.3%) and given one event, "
        "the 2018 automobile slump (the chain's orders 17.3% lower from 2018Q1 through 2019, "
        "when car output did not recover). `python run.py run hindcast_2017` runs it. A "
        "figure passes when the seed mean lies within its tolerance of what happened; the "
        "band is the 5th-95th percentile of "
        f"{len(result.seeds)} seeds. The control is the same start without the slump; the "
        "slump's effect is the paired difference, hindcast minus control, with its 95% "
        "interval.",
        "",
        "| figure | observed | tolerance | hindcast mean [90% seed band] | without the slump "
        "| slump's effect [95% CI] | result |",
        "|---|---:|---:|---|---:|---|---|",
    ]
    for j, c in enumerate(result.checks):
        lines.append(
            f"| {c.label} | {c.observed:.1f} | ±{c.tolerance:g} | {mean[j]:.1f} "
            f"[{lo[j]:.1f}, {hi[j]:.1f}] | {cmean[j]:.1f} | {eff[j]:+.1f} "
            f"[{elo[j]:+.1f}, {ehi[j]:+.1f}] | {'pass' if ok[j] else 'fail'} |")
    lines += [
        "",
        "What the hindcast is not given: 2018's other shocks (the national car market's first "
        "fall in decades, the trade dispute, mining value added -13%). The calibrated model "
        "keeps its input-output demand links off (suppliers.local_share = 0), so the slump "
        "reaches no supplier chain, while the labour and capital the automobile chain "
        "releases go to the other chains within the year.",
        "",
        f"![hindcast]({figures}/hindcast.png)",
        "",
    ]
    return lines


def failures(result: Hindcast) -> list[str]:
    """Lines for the page's "What fails" list: each check outside its tolerance."""
    mean, passed = result.mean(), result.passed()
    return [f"- Hindcast: {c.label} is {mean[j]:.1f} against {c.observed:.1f} observed "
            f"(tolerance {c.tolerance:g})."
            for j, c in enumerate(result.checks) if not passed[j]]
