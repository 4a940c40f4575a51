"""The validation page: calibration targets and stylised facts, measured and judged, with plots.

``python run.py validate`` calls :func:`write_page`, which writes ``VALIDATION.md`` and its
figures (``validation/*.png``) into a docs folder. Everything on the page is computed when it
is written: the moments by :mod:`experiments.moments`, the facts by :mod:`experiments.facts`
(the same criteria ``tests/test_stylised_facts.py`` asserts).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from chainshift.experiments.facts import FACTS, FactResult
from chainshift.experiments.moments import Moment, load_moments, observed_data, simulated
from chainshift.experiments.runner import simulate
from chainshift.experiments.stylised import DECOMPOSITION, logistic
from chainshift.scenarios.schema import Scenario

FIGURES = "validation"
"""Folder of the page's figures, next to the page."""

CALIBRATED = Path(__file__).resolve().parent.parent / "scenarios" / "data" / "calibrated.toml"
"""The shipped fit of ``python run.py calibrate`` (shown beside the defaults when present)."""


@dataclass
class TargetResult:
    """Simulated moments of one scenario (seeds x moments)."""

    label: str
    sims: np.ndarray

    def mean(self) -> np.ndarray:
        """Mean over seeds."""
        return self.sims.mean(axis=0)

    def sd(self) -> np.ndarray:
        """Standard deviation over seeds."""
        return self.sims.std(axis=0, ddof=1) if len(self.sims) > 1 else np.zeros(self.sims.shape[1])


def target_moments(scenario: Scenario, seeds: Sequence[int], label: str,
                   moments: tuple[Moment, ...]) -> TargetResult:
    """The calibration moments of a scenario at full scale, one row per seed."""
    from chainshift.experiments.calibration import quarters_needed

    q = quarters_needed(scenario, moments)
    return TargetResult(label, np.array([simulated(simulate(scenario, s, q)[1], moments)
                                         for s in seeds]))


# -- figures ----------------------------------------------------------------------------------
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def targets_figure(moments: tuple[Moment, ...], results: list[TargetResult], path: Path) -> None:
    """One panel per moment: observed with tolerance band, each scenario's seeds and mean."""
    plt = _pyplot()
    cols = 3
    rows = int(np.ceil(len(moments) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2.7 * rows), layout="constrained")
    colours = ["#9d9d9d", "#e45756", "#54a24b"]
    for j, (ax, m) in enumerate(zip(axes.flat, moments, strict=False)):
        ax.axhspan(m.observed - m.tolerance, m.observed + m.tolerance, color="#4c78a8",
                   alpha=0.15, lw=0)
        ax.axhline(m.observed, color="#4c78a8", lw=1.5)
        for x, r in enumerate(results):
            col = r.sims[:, j]
            ax.scatter(x + np.linspace(-0.12, 0.12, len(col)), col, s=10, alpha=0.7,
                       color=colours[x % 3])
            ax.hlines(col.mean(), x - 0.25, x + 0.25, color=colours[x % 3], lw=2.5)
        ax.set_xticks(range(len(results)), [r.label for r in results], fontsize=8)
        ax.set_xlim(-0.6, len(results) - 0.4)
        ax.set_title(f"{m.label} ({m.unit})", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(moments):]:
        ax.axis("off")
    fig.suptitle("Calibration targets: observed (blue line, band = tolerance) and model "
                 "(dots = seeds, bar = mean)", fontsize=9)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _firm_sizes_plot(ax, r: FactResult) -> None:
    va = np.sort(r.figure["va"])[::-1]
    rank = np.arange(1, len(va) + 1)
    ax.loglog(rank, va, ".", ms=3, color="#4c78a8", label="firms, 2035Q4")
    ref = va[0] * rank.astype(float) ** -1.0
    ax.loglog(rank, ref, "--", color="#e45756", lw=1, label="Zipf (tail index 1)")
    ax.set_xlabel("rank")
    ax.set_ylabel("value added, 100m yuan/quarter")
    ax.legend(fontsize=8, frameon=False)


def _growth_rates_plot(ax, r: FactResult) -> None:
    g = r.figure["growth"]
    hist, edges = np.histogram(g, bins=60, density=True)
    mids = (edges[:-1] + edges[1:]) / 2
    ax.semilogy(mids[hist > 0], hist[hist > 0], "o", ms=3, color="#4c78a8", label="model")
    x = np.linspace(edges[0], edges[-1], 200)
    ax.semilogy(x, stats.norm.pdf(x, *stats.norm.fit(g)), color="#9d9d9d", label="normal fit")
    ax.semilogy(x, stats.laplace.pdf(x, *stats.laplace.fit(g)), color="#e45756",
                label="Laplace fit")
    ax.set_ylim(hist[hist > 0].min() / 3, hist.max() * 3)
    ax.set_xlabel("yearly log growth of value added, net of chain-year mean")
    ax.set_ylabel("density (log scale)")
    ax.legend(fontsize=8, frameon=False)


def _dispersion_plot(ax, r: FactResult) -> None:
    years, sd = zip(*r.figure["path"], strict=True)
    ax.plot(years, sd, "o-", color="#4c78a8")
    ax.set_ylim(0, max(sd) * 1.2)
    ax.set_xlabel("year")
    ax.set_ylabel("sd of log TFP within chains")


def _s_curve_plot(ax, r: FactResult) -> None:
    path, fit = r.figure["path"], r.figure["fit"]
    t = path.index.to_numpy(dtype=float)
    ax.plot(t, path.to_numpy(), "o", ms=3, color="#4c78a8", label="model")
    ax.plot(t, logistic(t, fit["level"], fit["rate"], fit["midpoint"]), color="#e45756",
            label="logistic fit")
    ax.plot(t, np.polyval(np.polyfit(t, path.to_numpy(), 1), t), "--", color="#9d9d9d",
            label="straight line")
    ax.set_xlabel("year")
    ax.set_ylabel("share of firms at least half green")
    ax.legend(fontsize=8, frameon=False)


def _energy_plot(ax, r: FactResult) -> None:
    y = r.figure["yearly"]
    for col, colour, label in (("energy_intensity", "#54a24b", "energy intensity"),
                               ("energy_use", "#e45756", "energy use")):
        ax.plot(y["year"], 100 * y[col] / y[col].iloc[0], "o-", ms=3, color=colour, label=label)
    ax.set_xlabel("year")
    ax.set_ylabel("index, 2021 = 100")
    ax.legend(fontsize=8, frameon=False)


def _selection_plot(ax, r: FactResult) -> None:
    df = r.per_seed
    cases = [c for c in ("base", "strong", "random_exit") if f"{c}_total" in df]
    labels = {"base": "baseline", "strong": "strong selection", "random_exit": "more random exit"}
    bottom_pos = np.zeros(len(cases))
    bottom_neg = np.zeros(len(cases))
    colours = dict(zip(DECOMPOSITION, ("#9d9d9d", "#4c78a8", "#54a24b", "#e45756"), strict=True))
    for part in DECOMPOSITION:
        v = np.array([df[f"{c}_{part}"].mean() for c in cases])
        base = np.where(v >= 0, bottom_pos, bottom_neg)
        ax.bar([labels[c] for c in cases], v, bottom=base, color=colours[part], label=part)
        bottom_pos += np.maximum(v, 0)
        bottom_neg += np.minimum(v, 0)
    ax.set_ylabel("log TFP growth 2021Q4-2030Q4")
    ax.legend(fontsize=8, frameon=False)


def _chain_shock_plot(ax, r: FactResult) -> None:
    df = r.per_seed.groupby("chain", sort=False)[["first_order", "drop", "rebound"]].mean()
    x = np.arange(len(df))
    ax.bar(x - 0.25, df["first_order"], 0.25, color="#9d9d9d", label="share x shock")
    ax.bar(x, df["drop"], 0.25, color="#e45756", label="drop in growth, shock year")
    ax.bar(x + 0.25, df["rebound"], 0.25, color="#54a24b", label="rebound, next year")
    ax.set_xticks(x, df.index)
    ax.set_ylabel("percentage points of value-added growth")
    ax.legend(fontsize=8, frameon=False)


FACT_PLOTS: dict[str, Callable] = {
    "firm_sizes": _firm_sizes_plot,
    "growth_rates": _growth_rates_plot,
    "productivity_dispersion": _dispersion_plot,
    "green_s_curve": _s_curve_plot,
    "energy_decoupling": _energy_plot,
    "selection_tfp": _selection_plot,
    "chain_shock": _chain_shock_plot,
}
"""Figure of each fact."""


def fact_figure(result: FactResult, title: str, path: Path) -> None:
    """The figure of one fact (PNG)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    FACT_PLOTS[result.name](ax, result)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    fig.savefig(path, dpi=100)
    plt.close(fig)


# -- the page ---------------------------------------------------------------------------------
def _g(x: float) -> str:
    return f"{x:.3g}"


def targets_section(moments: tuple[Moment, ...], results: list[TargetResult],
                    seeds: int) -> list[str]:
    """Markdown of the calibration-target table."""
    head = "| moment | observed | tolerance | " + " | ".join(r.label for r in results) + " |"
    lines = [
        "## 1. Calibration targets (in sample, 2021-2022)",
        "",
        "Observed figures with unit and source are in `scenarios/data/chongqing_in_sample.csv`; "
        "which of them are moments, how each is measured on the model and why its tolerance "
        "is what it is, in `scenarios/data/moments.csv` (both described in "
        "`scenarios/data/README.md`). Nothing after 2022 is used. The model runs at Chongqing "
        f"scale (7,100 enterprises), 2021-2022, {seeds} seeds; a moment passes when the mean "
        "over seeds is within the tolerance of the observed value (the same rule "
        "`python run.py calibrate` reports).",
        "",
        head,
        "|---|---:|---:|" + "---:|" * len(results),
    ]
    for j, m in enumerate(moments):
        cells = []
        for r in results:
            inside = abs(r.mean()[j] - m.observed) <= m.tolerance
            cells.append(f"{_g(r.mean()[j])} ± {r.sd()[j]:.2g} {'pass' if inside else '**FAIL**'}")
        lines.append(f"| {m.label} ({m.unit}) | {_g(m.observed)} | ± {m.tolerance:g} | "
                     + " | ".join(cells) + " |")
    lines += _growth_gap(moments, results)
    lines += ["", "Why each tolerance:", ""]
    lines += [f"- *{m.label}* (± {m.tolerance:g}): {m.tolerance_reason}; source: {m.source}."
              for m in moments]
    lines += ["", f"![Calibration targets]({FIGURES}/targets.png)", ""]
    return lines


def _growth_gap(moments: tuple[Moment, ...], results: list[TargetResult]) -> list[str]:
    """A note on the fall of growth from 2021 to 2022, observed and simulated."""
    names = [m.name for m in moments]
    if "va_growth_2021" not in names or "va_growth_2022" not in names:
        return []
    a, b = names.index("va_growth_2021"), names.index("va_growth_2022")
    observed = moments[a].observed - moments[b].observed
    model = ", ".join(f"{r.mean()[a] - r.mean()[b]:.1f} ({r.label})" for r in results)
    return ["", f"Value-added growth fell by {observed:.1f} points from 2021 to 2022; in the "
            f"model it falls by {model}. The model's growth path is smooth: its spin-up year "
            "has no 2020 COVID slump to rebound from, and of 2022's disruptions only the "
            "August power rationing is an event of the baseline. A fit can therefore place "
            "the two years' growth between the observed values, not on both."]


def fact_section(i: int, fact, result: FactResult, seeds: int) -> list[str]:
    """Markdown of one stylised fact."""
    verdict = "pass" if result.passed else "**FAIL**"
    lines = [
        f"### 2.{i} {fact.title}: {verdict}",
        "",
        f"*The regularity.* {fact.statement}",
        "",
        f"*How it is measured.* {fact.method} Mean over {seeds} seeds unless stated.",
        "",
        "| criterion | model | required | result |",
        "|---|---:|---:|:---:|",
    ]
    for c in result.checks:
        lines.append(f"| {c.name} | {c.value:.4g} | {c.op} {c.threshold:g} | "
                     f"{'pass' if c.passed else '**FAIL**'} |")
    lines += ["", f"![{fact.title}]({FIGURES}/{result.name}.png)", ""]
    note = FACT_NOTES.get(result.name)
    if note is not None:
        lines += [note(result), ""]
    return lines


def _growth_note(r: FactResult) -> str:
    d = r.per_seed
    return (f"Per seed: excess kurtosis {', '.join(f'{v:.2f}' for v in d['excess_kurtosis'])}; "
            f"Laplace minus normal log-likelihood per firm-year "
            f"{', '.join(f'{v:.3f}' for v in d['ll_gain_per_obs'])} "
            f"({int(d['n'].mean()):,} firm-years per seed; sd of growth {d['sd'].mean():.3f}).")


def _selection_note(r: FactResult) -> str:
    d = r.per_seed
    text = (f"Share of TFP growth from reallocation and net entry: baseline "
            f"{d['base_selection_share'].mean():.2f}, strong selection "
            f"{d['strong_selection_share'].mean():.2f}. Net entry alone (entry + exit) gives "
            f"{((d['base_entry'] + d['base_exit']) / d['base_total']).mean():.1%} of the "
            "baseline's TFP growth, far below the two thirds Brandt, Van Biesebroeck and Zhang "
            "(2012) found for Chinese manufacturing 1998-2007, a decade of mass entry and state-"
            "enterprise exit.")
    if "random_exit_selection_share" in d:
        text += (f" Raising the random exit hazard instead (finance.exit_hazard = 0.03) gives "
                 f"{d['random_exit_selection_share'].mean():.2f}: those exits do not depend on "
                 "productivity, so they do not select.")
    return text


def _shock_note(r: FactResult) -> str:
    a = r.per_seed[r.per_seed["chain"] == "automobile"]
    data = observed_data()
    growth = data[data["indicator"] == "industrial_va_growth"].set_index("year")["value"]
    swing = float(growth.loc[2019] - growth.loc[2018])
    return (f"The automobile chain held {a['share_before'].mean():.1%} of value added in 2023; "
            f"its -17% shock cuts aggregate growth by {a['drop'].mean():.2f} points and growth "
            f"rebounds by {a['rebound'].mean():.2f} points the year after. In 2018, when car "
            f"output fell 17.3%, Chongqing's industrial growth was {growth.loc[2018]:g}%, "
            f"against {growth.loc[2019]:g}% in 2019 (scenarios/data): the model's direct effect "
            f"of a car slump is {a['drop'].mean() / swing:.0%} of that {swing:.1f}-point swing "
            "(out of sample: 2018-2019 is not fitted). The model's chains do not pass a shock "
            "on to their suppliers, which would add to it.")


FACT_NOTES: dict[str, Callable[[FactResult], str]] = {
    "growth_rates": _growth_note,
    "selection_tfp": _selection_note,
    "chain_shock": _shock_note,
}


def summary_lines(moments, results: list[TargetResult], facts: list[tuple]) -> list[str]:
    """The overview table at the top of the page."""
    lines = ["| check | result |", "|---|---|"]
    for r in results:
        inside = np.abs(r.mean() - np.array([m.observed for m in moments])) <= np.array(
            [m.tolerance for m in moments])
        lines.append(f"| calibration targets, {r.label} | {int(inside.sum())} of "
                     f"{len(moments)} inside their tolerance |")
    for f, res in facts:
        lines.append(f"| {f.title} | {'pass' if res.passed else '**FAIL**'} |")
    return lines


def failures(moments, results: list[TargetResult], facts: list[tuple]) -> list[str]:
    """Markdown list of every target outside its tolerance and every failing check."""
    lines = []
    for r in results:
        for j, m in enumerate(moments):
            if abs(r.mean()[j] - m.observed) > m.tolerance:
                lines.append(f"- {r.label}: {m.label} is {_g(r.mean()[j])} {m.unit} against "
                             f"{_g(m.observed)} ± {m.tolerance:g}.")
    for f, res in facts:
        lines += [f"- {f.title}: {c}." for c in res.checks if not c.passed]
    return lines or ["Nothing at these seeds."]


def write_page(out: Path, seeds: int = 5, calibrated: Path | None = CALIBRATED,
               progress: Callable[[str], None] | None = None) -> Path:
    """Measure everything and write ``out/VALIDATION.md`` and ``out/validation/*.png``.

    Args:
        out: the docs folder.
        seeds: seeds per scenario and fact (seeds 0 .. seeds-1).
        calibrated: a calibrated scenario to show beside the defaults (skipped if missing).
        progress: called with a short message before each step.

    Returns:
        The page's path.
    """
    from chainshift.scenarios import load_scenario

    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    out = Path(out)
    figures = out / FIGURES
    figures.mkdir(parents=True, exist_ok=True)
    seed_list = list(range(seeds))
    moments = load_moments()
    say("calibration targets")
    results = [target_moments(load_scenario("baseline"), seed_list, "baseline (defaults)",
                              moments)]
    if calibrated is not None and Path(calibrated).exists():
        results.append(target_moments(load_scenario(calibrated), seed_list,
                                      f"{Path(calibrated).stem}", moments))
    targets_figure(moments, results, figures / "targets.png")
    facts = []
    for f in FACTS:
        say(f.title)
        res = f.evaluate(seed_list)
        fact_figure(res, f.title, figures / f"{res.name}.png")
        facts.append((f, res))
    cal_note = []
    if len(results) > 1:
        cal_note = [
            f"The `{results[1].label}` column is `scenarios/data/{Path(calibrated).name}`, "
            "written by `python run.py calibrate --write-scenario` (it extends the baseline "
            "and holds only the fitted values; see its description line). The schema's "
            "defaults are not changed by it.",
            "",
        ]
    lines = [
        "# Validation",
        "",
        "How far chainshift's numbers can be traced to data and to known regularities: the "
        "Chongqing figures the baseline is fitted to (section 1) and stylised facts of "
        "industrial dynamics the model should reproduce without being fitted to them "
        "(section 2). Every number and figure on this page is computed by",
        "",
        "```bash",
        f"python run.py validate --seeds {seeds} --out docs",
        "```",
        "",
        f"(here {seeds} seeds; about {{wall}} s on two cores). The stylised-fact criteria are "
        "the ones `tests/test_stylised_facts.py` asserts; a failing fact is reported here, "
        "not hidden. The calibration itself is rerun with `python run.py calibrate` "
        "(method in `experiments/calibration.py`, report in its results folder).",
        "",
        *summary_lines(moments, results, facts),
        "",
        *targets_section(moments, results, seeds),
        *cal_note,
        "## 2. Stylised facts (not fitted)",
        "",
    ]
    for i, (f, res) in enumerate(facts, start=1):
        lines += fact_section(i, f, res, seeds)
    lines += ["## 3. What fails", "", *failures(moments, results, facts)]
    wall = time.perf_counter() - t0
    page = out / "VALIDATION.md"
    page.write_text("\n".join(lines).replace("{wall}", f"{wall:.0f}") + "\n", encoding="utf-8")
    return page

