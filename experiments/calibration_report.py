"""What a calibration leaves behind: tables, one plot per moment, a Markdown report and a
scenario file with the fitted values.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration import Calibration
from scenarios.loader import render

COLOURS = {"start": "#9d9d9d", "fitted": "#e45756", "observed": "#4c78a8"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def per_seed_table(cal: Calibration) -> pd.DataFrame:
    """Every simulated moment: one row per (values, seed, moment)."""
    rows = []
    for tag, sims in (("start", cal.start_moments), ("fitted", cal.fitted_moments)):
        for i, seed in enumerate(cal.seeds):
            for j, m in enumerate(cal.moments):
                rows.append({"values": tag, "seed": seed, "moment": m.name,
                             "simulated": sims[i, j], "observed": m.observed})
    return pd.DataFrame(rows)


def moment_plot(cal: Calibration, j: int, path: Path) -> Path:
    """One moment: observed value with its tolerance band, and the simulated values of every
    seed (dots) and their mean (bar) at the start and fitted parameter values.
    """
    plt = _pyplot()
    m = cal.moments[j]
    fig, ax = plt.subplots(figsize=(4.2, 3.2), layout="constrained")
    ax.axhspan(m.observed - m.tolerance, m.observed + m.tolerance, color=COLOURS["observed"],
               alpha=0.15, lw=0, label=f"observed ± {m.tolerance:g}")
    ax.axhline(m.observed, color=COLOURS["observed"], lw=1.5)
    for x, (tag, sims) in enumerate((("start", cal.start_moments),
                                     ("fitted", cal.fitted_moments))):
        col = sims[:, j]
        jitter = np.linspace(-0.12, 0.12, len(col)) if len(col) > 1 else np.zeros(1)
        ax.scatter(x + jitter, col, s=14, color=COLOURS[tag], alpha=0.7, zorder=3)
        ax.hlines(col.mean(), x - 0.25, x + 0.25, color=COLOURS[tag], lw=2.5, zorder=4,
                  label=f"{tag}: {col.mean():.3g}")
    ax.set_xticks([0, 1], ["start", "fitted"])
    ax.set_xlim(-0.6, 1.6)
    ax.set_title(m.label, fontsize=9)
    ax.set_ylabel(m.unit, fontsize=8)
    ax.legend(fontsize=7, loc="best", frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def convergence_plot(cal: Calibration, path: Path) -> Path:
    """Distance of every evaluated candidate and the best so far, by evaluation."""
    plt = _pyplot()
    h = cal.history
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    ax.scatter(h["evaluation"], h["distance"], s=6, color="#9d9d9d", label="candidate")
    ax.plot(h["evaluation"], h["distance"].cummin(), color=COLOURS["fitted"], lw=2,
            label="best so far")
    ax.set_yscale("log")
    ax.set_xlabel("evaluation")
    ax.set_ylabel("distance J")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def report_markdown(cal: Calibration, base_name: str, plots: list[str]) -> str:
    """The calibration report: method, parameters, moments observed against simulated."""
    s = cal.settings
    t = cal.table()
    lines = [
        f"# Calibration of {base_name} to Chongqing 2021-2022",
        "",
        "Method of simulated moments: minimise "
        "`J = (1/M) sum_m ((mean over seeds of simulated m - observed m) / tolerance_m)^2` "
        f"over {len(cal.parameters)} free parameters with differential evolution "
        f"(seed {s['seed']}, {s['evaluations']} evaluations of {len(cal.seeds)} common-seed "
        f"runs each, population {s['population']}, {s['generations']} generations, no polish). "
        "`J <= 1` means the moments are on average inside their tolerances.",
        "",
        f"Distance at the start values: **{cal.start_distance:.3g}**; at the fitted values: "
        f"**{cal.fitted_distance:.3g}**.",
        "",
        "## Parameters",
        "",
        "| parameter | start | range | fitted | unit |",
        "|---|---:|---:|---:|---|",
    ]
    for _, r in cal.parameter_table().iterrows():
        lines.append(f"| `{r['parameter']}` | {_fmt(r['start'])} | {_fmt(r['lo'])} to "
                     f"{_fmt(r['hi'])} | **{_fmt(r['fitted'])}** | {r['unit']} |")
    lines += [
        "",
        f"## Moments (mean ± sd over {len(cal.seeds)} seeds; inside = mean within tolerance)",
        "",
        "| moment | observed | tolerance | start | fitted | inside (start / fitted) |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for _, r in t.iterrows():
        lines.append(
            f"| {r['label']} ({r['unit']}) | {_fmt(r['observed'])} | ± {_fmt(r['tolerance'])} "
            f"| {r['start_mean']:.3g} ± {r['start_sd']:.2g} "
            f"| {r['fitted_mean']:.3g} ± {r['fitted_sd']:.2g} "
            f"| {'yes' if r['start_inside'] else 'no'} / "
            f"{'yes' if r['fitted_inside'] else 'no'} |")
    lines += ["", "Sources and tolerances: `scenarios/data/README.md`.", "", "## Plots", ""]
    lines += [f"![{p}]({p})" for p in plots]
    return "\n".join(lines) + "\n"


def _nest(values: dict[str, Any]) -> dict[str, Any]:
    """Dotted keys to the nested tables of a scenario file."""
    out: dict[str, Any] = {}
    for key, v in values.items():
        parts = key.split(".")
        if parts[0] == "chains":
            out.setdefault("chains", {}).setdefault(parts[1], {})[parts[2]] = v
        elif len(parts) == 2:
            out.setdefault(parts[0], {})[parts[1]] = v
        else:
            out[key] = v
    return out


def scenario_text(cal: Calibration, extends: str, fixed: dict[str, Any] | None = None,
                  name: str = "calibrated") -> str:
    """A scenario file extending ``extends`` with the fixed overrides and the fitted values.

    It loads with ``load_scenario(path)`` and resolves to exactly what was calibrated.
    """
    fixed = dict(fixed or {})
    s = cal.settings
    desc = (f"{extends} with {', '.join(cal.fitted)} fitted to Chongqing 2021-2022 by the "
            f"method of simulated moments: python run.py calibrate --budget {s['budget']} "
            f"--seeds {s['seeds']} --seed {s['seed']} --popsize {s['popsize']} (distance "
            f"{cal.fitted_distance:.3g}, {cal.start_distance:.3g} at the start values)")
    if fixed:
        desc += "; fixed: " + ", ".join(f"{k} = {v}" for k, v in fixed.items())
    body = {"extends": extends, "name": name, "description": desc,
            **_nest({**fixed, **cal.fitted})}
    header = f"What does the model say with parameters fitted to Chongqing 2021-2022 ({extends})?"
    return render(body, header)


def extends_for(base: str, out: Path) -> str:
    """What ``extends`` must say in a file at ``out`` to name the base scenario ``base``.

    A shipped scenario's name stays a name; a path becomes relative to the new file.
    """
    p = Path(base)
    if p.suffix != ".toml" and "/" not in base and "\\" not in base:
        return base
    return os.path.relpath(p.resolve(), Path(out).resolve().parent)


def write_report(cal: Calibration, folder: Path, base_name: str, extends: str,
                 fixed: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write every output of a calibration into ``folder``; returns the files by role."""
    folder = Path(folder)
    files = {"moments": folder / "moments.csv", "per_seed": folder / "moments_per_seed.csv",
             "parameters": folder / "parameters.csv", "history": folder / "history.csv",
             "report": folder / "report.md", "scenario": folder / "fitted.toml"}
    cal.table().to_csv(files["moments"], index=False)
    per_seed_table(cal).to_csv(files["per_seed"], index=False)
    cal.parameter_table().to_csv(files["parameters"], index=False)
    cal.history.to_csv(files["history"], index=False)
    plots = []
    for j, m in enumerate(cal.moments):
        plots.append(moment_plot(cal, j, folder / f"moment-{m.name}.png").name)
    plots.append(convergence_plot(cal, folder / "convergence.png").name)
    files["report"].write_text(report_markdown(cal, base_name, plots), encoding="utf-8")
    files["scenario"].write_text(scenario_text(cal, extends, fixed), encoding="utf-8")
    return files
