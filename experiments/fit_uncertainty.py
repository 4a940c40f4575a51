"""The validation page's account of how uncertain the fit is: standard errors and
identification of the shipped calibration, and fan charts of the headline path 2021-2035 under
runs drawn from the fitted parameters' distribution (:mod:`experiments.fans`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chainshift.experiments.calibration import (
    PRECISION_SEEDS,
    FreeParameter,
    free_parameters,
    precision_of,
)
from chainshift.experiments.calibration_report import precision_lines
from chainshift.experiments.fans import HEADLINE, Fan, fan
from chainshift.experiments.precision import Precision
from chainshift.scenarios.schema import Scenario

FAN_YEARS = (2025, 2030, 2035)
"""Years the fan table reports."""

LABELS = {
    "value_added_growth": ("industrial value added growth", "%"),
    "innovation_share": ("innovation share of growth", "%"),
    "co2": ("CO2 emissions", "10k t a year"),
    "green_share": ("clean share of capital", "%"),
}
"""Panel titles and units of the headline indicators."""

DEFAULT_FIT_SEEDS = 5
"""Seeds of a fit whose description does not say (``run.py calibrate``'s default)."""


@dataclass
class FitUncertainty:
    """What the page reports about the fit's uncertainty."""

    precision: Precision
    free: list[FreeParameter]
    fan: Fan | None
    fan_error: str = ""


def fit_seeds(scenario: Scenario) -> int:
    """The ``--seeds`` of the fit recorded in a calibrated scenario's description."""
    hit = re.search(r"--seeds (\d+)", scenario.description or "")
    return int(hit.group(1)) if hit else DEFAULT_FIT_SEEDS


def measure(fitted: Scenario, draws: int, seed: int = 0,
            progress: Callable[[str], None] | None = None) -> FitUncertainty:
    """Standard errors at the fitted values and the fan of ``draws`` runs.

    The free parameters are the default ones (``calibration.DEFAULT_FREE``), their range 0.5
    to 2 times the fitted value (what a new fit from here would search).
    """
    say = progress or (lambda _m: None)
    free = free_parameters(None, fitted)
    say(f"standard errors of the fit ({PRECISION_SEEDS} seeds)")
    pr, _ = precision_of(fitted, free, fit_seeds(fitted))
    say(f"parameter fan 2021-{fitted.horizon.end_year} ({draws} draws)")
    try:
        f = fan(fitted, pr, [p.lo for p in free], [p.hi for p in free], n=draws, seed=seed)
    except ValueError as err:
        return FitUncertainty(pr, free, None, str(err))
    return FitUncertainty(pr, free, f)


def fan_figure(f: Fan, path: Path) -> None:
    """One panel per headline indicator: the drawn runs' 5-95% and 25-75% bands and median,
    and the seed band of the fitted values (dashed).
    """
    from chainshift.experiments.validation import _pyplot

    plt = _pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.4), layout="constrained")
    for ax, ind in zip(axes.flat, HEADLINE, strict=True):
        d, s = f.quantiles("drawn", ind), f.quantiles("fitted", ind)
        years = d.index.to_numpy()
        ax.fill_between(years, d["q05"], d["q95"], color="#e45756", alpha=0.18, lw=0,
                        label="parameters drawn, 5-95%")
        ax.fill_between(years, d["q25"], d["q75"], color="#e45756", alpha=0.35, lw=0,
                        label="parameters drawn, 25-75%")
        ax.plot(years, d["q50"], color="#e45756", lw=1.8, label="median")
        ax.plot(years, s["q05"], color="#4c78a8", lw=1, ls="--",
                label="fitted values, seeds only, 5-95%")
        ax.plot(years, s["q95"], color="#4c78a8", lw=1, ls="--")
        title, unit = LABELS[ind]
        ax.set_title(f"{title} ({unit})", fontsize=9)
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=7, loc="best")
    fig.suptitle(f"Headline path under parameter uncertainty: {len(f.seeds)} runs drawn from "
                 "the fitted parameters' distribution, against the seed band of the fitted "
                 "values (same seeds)", fontsize=9)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def precision_section(u: FitUncertainty, label: str) -> list[str]:
    """Markdown: the fit's standard errors and identification."""
    return [
        "### 1.1 Standard errors and identification of the fit",
        "",
        f"At the fitted values of `{label}`, with the default free parameters "
        f"(`python run.py calibrate` computes the same table for any fit, in its report and "
        f"`standard_errors.csv`). The fit averaged {u.precision.fit_seeds} seeds.",
        "",
        *precision_lines(u.precision),
        "",
    ]


def fan_section(u: FitUncertainty, figures: str, number: str = "4") -> list[str]:
    """Markdown: the fan table and figure."""
    lines = [f"## {number}. Parameter uncertainty on the headline path", ""]
    if u.fan is None:
        return [*lines, f"No fan: {u.fan_error}.", ""]
    f = u.fan
    lines += [
        f"{len(f.seeds)} parameter vectors drawn from the fit's normal approximation "
        "N(fitted, V) (V from section 1.1; a draw outside 0.5 to 2 times the fitted value is "
        "drawn again), each run 2021-2035 at Chongqing scale on its own seed; the seed band "
        "runs the fitted values on the same seeds, so what the fan adds to it is parameter "
        "uncertainty (`experiments/fans.py`). Median and 5-95% band over runs:",
        "",
        "| indicator | year | median | 90% band, parameters drawn | 90% band, seeds only |",
        "|---|---:|---:|---:|---:|",
    ]
    for _, r in f.table(FAN_YEARS).iterrows():
        title, unit = LABELS[r["indicator"]]
        lines.append(f"| {title} ({unit}) | {r['year']} | {r['median']:.3g} | "
                     f"{r['lo']:.3g} to {r['hi']:.3g} | {r['seed_lo']:.3g} to "
                     f"{r['seed_hi']:.3g} |")
    lines += ["", f"![Parameter fan]({figures}/fan.png)", ""]
    return lines
