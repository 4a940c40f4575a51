"""What a calibration leaves behind: tables, one plot per moment, a Markdown report and a
scenario file with the fitted values.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chainshift.experiments.calibration import PRECISION_SEEDS, Calibration
from chainshift.experiments.columns import Column, Dictionary, described, parameter
from chainshift.experiments.precision import CORRELATED, STEP, Precision
from chainshift.scenarios.loader import render

COLOURS = {"start": "#9d9d9d", "fitted": "#e45756", "observed": "#4c78a8"}

_ROW_UNIT = "see unit column"
_STATS = {"mean": "mean over seeds", "sd": "standard deviation over seeds",
          "min": "smallest over seeds", "max": "largest over seeds"}
CALIBRATION_COLUMNS: dict[str, Column] = {
    "moment": Column("", "moment name (scenarios/data/moments.csv)"),
    "label": Column("", "what the moment measures"),
    "unit": Column("", "unit of the moment's values in this row"),
    "observed": Column(_ROW_UNIT, "observed Chongqing value"),
    "tolerance": Column(_ROW_UNIT, "how far a simulated mean may be from the observed value"),
    **{f"{tag}_{stat}": Column(_ROW_UNIT, f"simulated moment at the {tag} values, {text}")
       for tag in ("start", "fitted") for stat, text in _STATS.items()},
    "start_inside": Column("", "the mean at the start values is within the tolerance"),
    "fitted_inside": Column("", "the mean at the fitted values is within the tolerance"),
    "values": Column("", "start or fitted parameter values"),
    "seed": Column("", "the run's random seed"),
    "simulated": Column(_ROW_UNIT, "the moment in this run (unit as in moments.csv)"),
    "parameter": Column("", "free parameter (dotted key)"),
    "start": Column(_ROW_UNIT, "value before fitting"),
    "lo": Column(_ROW_UNIT, "low end of the search range"),
    "hi": Column(_ROW_UNIT, "high end of the search range"),
    "fitted": Column(_ROW_UNIT, "fitted value (4 significant digits)"),
    "evaluation": Column("", "evaluation number, in the optimiser's order"),
    "generation": Column("", "generation of differential evolution (0: the initial population)"),
    "distance": Column("1", "distance J of the candidate (1: moments on average at their "
                       "tolerance)"),
    "se": Column(_ROW_UNIT, "standard error of the fitted value (MSM sandwich from the "
                 "moments' Jacobian, experiments/precision.py)"),
    "ci_lo": Column(_ROW_UNIT, "low end of the 95% interval, fitted - 1.96 se"),
    "ci_hi": Column(_ROW_UNIT, "high end of the 95% interval, fitted + 1.96 se"),
    "relative_se": Column("1", "standard error over the fitted value"),
    "moves_most": Column("", "the moment the parameter moves most clearly (largest |t|)"),
    "t": Column("1", "paired t-statistic over seeds of the moment's change across the "
                "parameter's central difference"),
    "moment_change_in_sd": Column("1", "that change of the moment, in standard errors of the "
                                  "observed figure (tolerance / 2)"),
    "identified": Column("", "the parameter moves at least one moment beyond seed noise "
                         "(t-test, Bonferroni over the moments, 5%)"),
    "jacobian": Column("moment unit per parameter unit", "derivative of the seed-mean moment "
                       "with respect to the parameter (central difference)"),
}
"""Columns of the calibration's CSV files (history.csv adds one per free parameter)."""


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


def _save(fig, path: Path) -> Path:
    fig.savefig(path, dpi=110)
    _pyplot().close(fig)
    return path


def moment_plot(cal: Calibration, j: int, path: Path) -> Path:
    """Write :func:`moment_figure` as PNG."""
    return _save(moment_figure(cal, j), path)


def moment_figure(cal: Calibration, j: int):
    """One moment: observed value with its tolerance band, and the simulated values of every
    seed (dots) and their mean (bar) at the start and fitted parameter values.
    """
    plt = _pyplot()
    m = cal.moments[j]
    fig, ax = plt.subplots(figsize=(4.2, 3.5), layout="constrained")
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
    # below the axes, so it never covers a dot or a band
    fig.legend(*ax.get_legend_handles_labels(), fontsize=7, loc="outside lower center",
               ncols=3, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return fig


def convergence_plot(cal: Calibration, path: Path) -> Path:
    """Write :func:`convergence_figure` as PNG."""
    return _save(convergence_figure(cal), path)


def convergence_figure(cal: Calibration):
    """Distance of every evaluated candidate and the best so far, by evaluation.

    The distance axis is logarithmic with plain-number ticks (0.5, 1, 2, 5, 10 ...).
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    plt = _pyplot()
    h = cal.history
    fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    ax.scatter(h["evaluation"], h["distance"], s=6, color="#9d9d9d", label="candidate")
    ax.plot(h["evaluation"], h["distance"].cummin(), color=COLOURS["fitted"], lw=2,
            label="best so far")
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_title(f"Calibration of {len(cal.parameters)} parameters: distance J by evaluation",
                 fontsize=10)
    ax.set_xlabel("evaluation")
    ax.set_ylabel("distance J (log scale)")
    fig.legend(*ax.get_legend_handles_labels(), fontsize=8, loc="outside lower center",
               ncols=2, frameon=False)
    ax.grid(alpha=0.3)
    return fig


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def distance_note(cal: Calibration) -> str:
    """Why the reported distance differs from the optimiser's best ('' when it does not)."""
    best = cal.settings.get("optimiser_best")
    if best is None or abs(cal.fitted_distance - best) <= 1e-9 * max(1.0, abs(best)):
        return ""
    return (f"the optimiser's best was {best:.6g}; the fitted values are rounded to 4 "
            "significant digits (as written to the scenario) and run again, which gives "
            f"{cal.fitted_distance:.6g}")


def stop_note(cal: Calibration) -> str:
    """Why differential evolution stopped before the budget ('' when it used it all)."""
    s = cal.settings
    planned = s.get("planned_evaluations", s["evaluations"])
    if s["evaluations"] >= planned:
        return ""
    return (f"stopped after {s['evaluations']} of {planned} evaluations: "
            f"{s.get('stop_reason', 'the population converged')}")


def report_markdown(cal: Calibration, base_name: str, plots: list[str],
                    command: str = "") -> str:
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
        f"**{cal.fitted_distance:.3g}**"
        + "".join(f" ({n})" for n in (distance_note(cal), stop_note(cal)) if n) + ".",
        "",
        *([f"Repeat it with: `{command}`", ""] if command else []),
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
    lines += ["", "Sources and tolerances: `scenarios/data/README.md`.", ""]
    if cal.precision is not None:
        lines += ["## Standard errors and identification", "",
                  *precision_lines(cal.precision), ""]
    lines += ["## Plots", ""]
    lines += [f"![{p}]({p})" for p in plots]
    return "\n".join(lines) + "\n"


def precision_lines(pr: Precision) -> list[str]:
    """Markdown: how the standard errors were computed, the table, and the flags."""
    lines = [
        f"Standard errors from the moments' Jacobian (central differences of ± "
        f"{100 * STEP:g}% on {pr.seeds} common seeds; sandwich with the observed moments' "
        f"variance, sd = tolerance / 2, and the seed variance of a {pr.fit_seeds}-seed mean; "
        "`experiments/precision.py`). A parameter is identified when it moves at least one "
        f"moment beyond seed noise: |t| above {pr.critical:.2f} (paired t-test over "
        f"{pr.seeds} seeds, 5%, Bonferroni over {len(pr.moments)} moments). Condition number "
        f"of G'WG (parameters scaled by their values): {pr.condition:.3g}.",
        "",
        "| parameter | fitted | standard error | 95% interval | moves most | t | change (sd) "
        "| identified |",
        "|---|---:|---:|---:|---|---:|---:|:---:|",
    ]
    for _, r in pr.table().iterrows():
        lines.append(
            f"| `{r['parameter']}` | {_fmt(r['fitted'])} | {_fmt(r['se'])} | "
            f"{_fmt(r['ci_lo'])} to {_fmt(r['ci_hi'])} | {r['moves_most']} | {r['t']:.3g} | "
            f"{r['moment_change_in_sd']:+.2f} | {'yes' if r['identified'] else '**no**'} |")
    flags = pr.flags()
    lines += ["", *(f"- {f}." for f in flags)] if flags else [
        "", "Every parameter is identified and no pair of estimates is correlated beyond "
        f"{CORRELATED:g}."]
    return lines


def jacobian_table(pr: Precision) -> pd.DataFrame:
    """The Jacobian and t-statistics, one row per (moment, parameter)."""
    return pd.DataFrame([
        {"moment": m.name, "parameter": key, "jacobian": float(pr.jacobian[j, k]),
         "t": float(pr.t[j, k])}
        for j, m in enumerate(pr.moments) for k, key in enumerate(pr.keys)])


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


def reproduce_command(cal: Calibration, scenario: str = "baseline",
                      fixed: dict[str, Any] | None = None) -> str:
    """The ``run.py calibrate`` command that repeats this fit: the same base scenario, fixed
    overrides, free parameters with their search ranges, budget, seeds and population.
    """
    s = cal.settings
    free = ",".join(f"{p.key}={p.lo!r}:{p.hi!r}" for p in cal.parameters)
    parts = ["python run.py calibrate"]
    if scenario != "baseline":
        parts.append(f"--scenario {shlex.quote(scenario)}")
    parts += [f"--set {shlex.quote(f'{k}={_toml_value(v)}')}" for k, v in (fixed or {}).items()]
    parts += [f"--free {free}", f"--budget {s['budget']}", f"--seeds {s['seeds']}",
              f"--seed {s['seed']}", f"--popsize {s['popsize']}"]
    if s.get("precision_seeds_asked", PRECISION_SEEDS) != PRECISION_SEEDS:
        parts.append(f"--precision-seeds {s['precision_seeds_asked']}")
    return " ".join(parts)


def _toml_value(v: Any) -> str:
    import tomli_w

    return tomli_w.dumps({"v": v}).removeprefix("v = ").strip()


def scenario_text(cal: Calibration, extends: str, fixed: dict[str, Any] | None = None,
                  name: str = "calibrated", scenario: str = "baseline") -> str:
    """A scenario file extending ``extends`` with the fixed overrides and the fitted values.

    It loads with ``load_scenario(path)`` and resolves to exactly what was calibrated; its
    description holds the command that repeats the fit (``scenario`` is the base scenario as
    given to ``--scenario``).
    """
    fixed = dict(fixed or {})
    desc = (f"{extends} with {', '.join(cal.fitted)} fitted to Chongqing 2021-2022 by the "
            f"method of simulated moments: {reproduce_command(cal, scenario, fixed)} (distance "
            f"{cal.fitted_distance:.3g}, {cal.start_distance:.3g} at the start values)")
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
                 fixed: dict[str, Any] | None = None,
                 scenario: str = "baseline") -> dict[str, Path]:
    """Write every output of a calibration into ``folder``; returns the files by role.

    ``scenario`` is the base scenario as given to ``--scenario`` (for the command that
    repeats the fit).
    """
    folder = Path(folder)
    files = {"moments": folder / "moments.csv", "per_seed": folder / "moments_per_seed.csv",
             "parameters": folder / "parameters.csv", "history": folder / "history.csv",
             "report": folder / "report.md", "scenario": folder / "fitted.toml"}
    dictionary = Dictionary()
    frames = [("moments", cal.table()), ("per_seed", per_seed_table(cal)),
              ("parameters", cal.parameter_table()), ("history", cal.history)]
    if cal.precision is not None:
        files |= {"precision": folder / "standard_errors.csv",
                  "jacobian": folder / "jacobian.csv"}
        frames += [("precision", cal.precision.table()),
                   ("jacobian", jacobian_table(cal.precision))]
    for role, frame in frames:
        frame.to_csv(files[role], index=False)
        dictionary.add(files[role].name,
                       described(frame, lambda c: CALIBRATION_COLUMNS.get(c) or parameter(c)))
    dictionary.write(folder)
    plots = []
    for j, m in enumerate(cal.moments):
        plots.append(moment_plot(cal, j, folder / f"moment-{m.name}.png").name)
    plots.append(convergence_plot(cal, folder / "convergence.png").name)
    command = reproduce_command(cal, scenario, fixed)
    files["report"].write_text(report_markdown(cal, base_name, plots, command),
                               encoding="utf-8")
    files["scenario"].write_text(scenario_text(cal, extends, fixed, scenario=scenario),
                                 encoding="utf-8")
    return files
