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

from chainshift.experiments import fit_uncertainty, hindcast
from chainshift.experiments.facts import FACTS, FactResult
from chainshift.experiments.moments import Moment, load_moments, simulated
from chainshift.experiments.runner import simulate
from chainshift.experiments.stylised import DECOMPOSITION, bass
from chainshift.scenarios.schema import Scenario

NOTHING_FAILS = "Nothing at these seeds."

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
    for case, colour, label in (("setting", "#4c78a8", "firms, 2035Q4"),
                                ("control", "#9d9d9d", "control: dynamics off")):
        va = np.sort(r.figure[case]["va"])[::-1]
        ax.loglog(np.arange(1, len(va) + 1), va, ".", ms=3, color=colour, label=label)
    va = np.sort(r.figure["setting"]["va"])[::-1]
    rank = np.arange(1, len(va) + 1)
    ax.loglog(rank, va[0] * rank.astype(float) ** -1.0, "--", color="#e45756", lw=1,
              label="Zipf (tail index 1)")
    ax.set_xlabel("rank")
    ax.set_ylabel("value added, 100m yuan/quarter")
    ax.legend(fontsize=8, frameon=False, loc="lower left")


def _growth_rates_plot(ax, r: FactResult) -> None:
    lo = hi = None
    for case, colour, label in (("setting", "#4c78a8", "model"),
                                ("control", "#9d9d9d", "control: no selection")):
        g = r.figure[case]["growth"]
        hist, edges = np.histogram(g, bins=60, density=True)
        mids = (edges[:-1] + edges[1:]) / 2
        ax.semilogy(mids[hist > 0], hist[hist > 0], "o", ms=3, color=colour, label=label)
        lo = hist[hist > 0].min() if lo is None else min(lo, hist[hist > 0].min())
        hi = hist.max() if hi is None else max(hi, hist.max())
    g = r.figure["setting"]["growth"]
    x = np.linspace(g.min(), g.max(), 200)
    ax.semilogy(x, stats.norm.pdf(x, *stats.norm.fit(g)), color="#e45756", lw=1,
                label="normal fit (model)")
    ax.set_ylim(lo / 3, hi * 3)
    ax.set_xlabel("yearly log growth of value added, net of chain-year mean")
    ax.set_ylabel("density (log scale)")
    ax.legend(fontsize=8, frameon=False, loc="upper left")


def _dispersion_plot(ax, r: FactResult) -> None:
    top = 0.0
    for case, colour, label in (("setting", "#4c78a8", "model"),
                                ("control", "#9d9d9d", "control: instant imitation")):
        years, sd = zip(*r.figure[case]["path"], strict=True)
        ax.plot(years, sd, "o-", ms=3, color=colour, label=label)
        top = max(top, max(sd))
    ax.set_ylim(0, top * 1.2)
    ax.set_xlabel("year")
    ax.set_ylabel("sd of log TFP within chains")
    ax.legend(fontsize=8, frameon=False, loc="lower left")


def _adoption_plot(ax, r: FactResult) -> None:
    for case, colour, label in (("setting", "#4c78a8", "model"),
                                ("control", "#9d9d9d", "control: no peer adoption")):
        path, fit = r.figure[case]["path"], r.figure[case]["fit"]
        t = path.index.to_numpy(dtype=float)
        ax.plot(t, path.to_numpy(), "o", ms=3, color=colour, label=label)
        ax.plot(t, bass(t - t.min(), fit["p"], fit["q"]), color=colour, lw=1)
    t = r.figure["setting"]["path"].index.to_numpy(dtype=float)
    ax.plot(t, bass(t - t.min(), 0.03, 0.38), "--", color="#e45756", lw=1,
            label="Bass, p = 0.03, q = 0.38")
    ax.set_xlabel("year")
    ax.set_ylabel("share of the 2021 cohort upgraded")
    ax.legend(fontsize=8, frameon=False, loc="lower right")


def _decoupling_plot(ax, r: FactResult) -> None:
    for case, style in (("setting", "-"), ("control", ":")):
        y = r.figure[case]["yearly"]
        for col, colour, label in (("carbon_intensity", "#54a24b", "CO2 per value added"),
                                   ("co2", "#e45756", "CO2")):
            ax.plot(y["year"], 100 * y[col] / y[col].iloc[0], style, color=colour,
                    label=label + (" (control: no savings)" if case == "control" else ""))
    ax.set_xlabel("year")
    ax.set_ylabel("index, 2021 = 100")
    ax.legend(fontsize=7, frameon=False, loc="upper left")


def _net_entry_plot(ax, r: FactResult) -> None:
    df = r.per_seed.groupby("case", sort=False)[list(DECOMPOSITION)].mean()
    colours = dict(zip(DECOMPOSITION, ("#9d9d9d", "#4c78a8", "#54a24b", "#e45756"), strict=True))
    cases = {"setting": "model", "control": "control: no entry or exit"}
    pos, neg = np.zeros(len(df)), np.zeros(len(df))
    for part in DECOMPOSITION:
        v = df[part].to_numpy()
        ax.bar([cases[c] for c in df.index], v, bottom=np.where(v >= 0, pos, neg),
               color=colours[part], label=part)
        pos += np.maximum(v, 0)
        neg += np.minimum(v, 0)
    ax.set_ylabel("log TFP growth 2021Q4-2030Q4")
    ax.legend(fontsize=8, frameon=False, loc="upper right")


def _rd_return_plot(ax, r: FactResult) -> None:
    cases = (("setting", "#4c78a8", "model"), ("control", "#9d9d9d", "control: R&D buys nothing"))
    for x, (case, colour, _) in enumerate(cases):
        rho = r.per_seed.loc[r.per_seed["case"] == case, "rd_return"].to_numpy()
        ax.scatter(x + np.linspace(-0.1, 0.1, len(rho)), rho, s=14, color=colour)
        ax.hlines(rho.mean(), x - 0.25, x + 0.25, color=colour, lw=2.5)
    ax.axhspan(0.2, 0.3, color="#e45756", alpha=0.15, lw=0,
               label="20-30%: where estimates cluster")
    ax.axhline(0.1, color="#e45756", lw=1, ls="--", label="criterion: 0.1 to 0.6")
    ax.axhline(0.6, color="#e45756", lw=1, ls="--")
    ax.set_xticks(range(len(cases)), [c[2] for c in cases])
    ax.set_xlim(-0.6, len(cases) - 0.4)
    ax.set_ylabel("gross rate of return to R&D, a year")
    ax.legend(fontsize=8, frameon=False, loc="upper right")


def _lumpy_plot(ax, r: FactResult) -> None:
    from chainshift.experiments.facts import SPIKE

    bins = np.linspace(-0.05, 0.8, 52)
    for case, colour, label in (("setting", "#4c78a8", "model"),
                                ("control", "#9d9d9d", "control: no order shocks")):
        ik = np.clip(r.figure[case]["ik"], bins[0], bins[-1])
        ax.hist(ik, bins=bins, density=True, histtype="step", lw=1.5, color=colour,
                label=label)
    ax.axvline(SPIKE, color="#e45756", lw=1, ls="--", label=f"spike: I/K > {SPIKE:g}")
    ax.set_yscale("log")
    ax.set_xlabel("investment over capital at the start of the year (clipped at 0.8)")
    ax.set_ylabel("density (log scale)")
    ax.legend(fontsize=8, frameon=False, loc="upper right")


FACT_PLOTS: dict[str, Callable] = {
    "firm_sizes": _firm_sizes_plot,
    "growth_rates": _growth_rates_plot,
    "productivity_dispersion": _dispersion_plot,
    "digital_adoption": _adoption_plot,
    "decoupling": _decoupling_plot,
    "net_entry": _net_entry_plot,
    "rd_return": _rd_return_plot,
    "lumpy_investment": _lumpy_plot,
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


def verdict(fact, result: FactResult) -> str:
    """``shown`` (holds, and fails in its control), or why not."""
    if result.shown:
        return "shown"
    if not result.passed:
        return "**FAIL**" + ("" if fact.expected else " (known)")
    return "**control does not fail**"


def fact_section(i: int, fact, result: FactResult, seeds: int) -> list[str]:
    """Markdown of one stylised fact: the criteria in its setting and in its control."""
    lines = [
        f"### 2.{i} {fact.title}: {verdict(fact, result)}",
        "",
        f"*The regularity.* {fact.statement}",
        "",
        f"*How it is measured.* {fact.method} Mean over {seeds} seeds unless stated.",
        "",
        f"*Negative control.* {fact.control_text}",
        "",
        "| criterion | required | model | control |",
        "|---|---:|---:|---:|",
    ]
    for c, k in zip(result.checks, result.control_checks, strict=True):
        lines.append(f"| {c.name} | {c.op} {c.threshold:.4g} | {c.value:.4g} "
                     f"{'pass' if c.passed else '**FAIL**'} | {k.value:.4g} "
                     f"{'pass' if k.passed else 'fail'} |")
    lines += ["", f"![{fact.title}]({FIGURES}/{result.name}.png)", ""]
    note = FACT_NOTES.get(result.name)
    if note is not None:
        lines += [note(result), ""]
    return lines


def _case(r: FactResult, case: str):
    return r.per_seed[r.per_seed["case"] == case]


def _per_seed(values, digits: int = 2) -> str:
    """Per-seed values as a comma-separated list."""
    return ", ".join(f"{v:.{digits}f}" for v in values)


def _sizes_note(r: FactResult) -> str:
    s = _case(r, "setting")
    return (f"The start is thin-tailed: Hill index {s['hill_2021'].mean():.2f} at the end of "
            f"2021 (per seed in 2035: {_per_seed(s['hill_index'])}).")


def _growth_note(r: FactResult) -> str:
    s, c = _case(r, "setting"), _case(r, "control")
    return (f"Per seed: excess kurtosis {_per_seed(s['excess_kurtosis'])} "
            f"(control {_per_seed(c['excess_kurtosis'])}). The tails are "
            "fat, but the shape is not a tent: under Gaussian shocks a Laplace fit does not "
            "beat a normal one (log-likelihood gain per firm-year "
            f"{s['ll_gain_per_obs'].mean():.3f}; {int(s['n'].mean()):,} firm-years per seed). "
            "The baseline's tent shape comes from its order-volatility mixture "
            "(markets.volatility_spread = 1), an assumption, not a result.")


def _adoption_note(r: FactResult) -> str:
    s, c = _case(r, "setting"), _case(r, "control")
    return (f"Fitted Bass coefficients, per year: p = {s['p'].mean():.3f}, q = "
            f"{s['q'].mean():.3f} (control: p = {c['p'].mean():.3f}, q = {c['q'].mean():.3f}); "
            "the literature's means are p = 0.03 and q = 0.38. Peer adoption is there (q "
            "rises from the control's) but adoption on one's own dominates: the yearly hazard "
            "(p + q peers) M_d is multiplied by the subsidy and park-infrastructure term M_d, "
            "and peers are measured by the neighbourhood's digital level, not by the share of "
            f"adopters. {s['adopted_2035'].mean():.0%} of the cohort has upgraded by 2035.")


def _decoupling_note(r: FactResult) -> str:
    s, c = _case(r, "setting"), _case(r, "control")
    return (f"Within-chain energy per unit of output: {s['within_chain_energy_trend'].mean():.2f}"
            f"%/year (control {c['within_chain_energy_trend'].mean():.2f}). CO2 per value "
            f"added falls {-s['carbon_intensity_trend'].mean():.1f}%/year even in the control "
            f"({-c['carbon_intensity_trend'].mean():.1f}): most of that fall is structural "
            "change between chains and prices, which is why the criterion is within chains. "
            "The baseline adds an autonomous efficiency gain of about 1%/year and a cleaner "
            "grid (exogenous paths).")


def _net_entry_note(r: FactResult) -> str:
    s = _case(r, "setting")
    return (f"Decomposition of {s['total'].mean():.3f} log points of TFP growth: within firms "
            f"{s['within'].mean():.3f}, reallocation {s['between'].mean():.3f}, entry "
            f"{s['entry'].mean():.3f}, exit {s['exit'].mean():.3f}. Net entry gives "
            f"{s['net_entry_share'].mean():.0%}, far below the two thirds of Chinese "
            "manufacturing 1998-2007, a decade of mass entry and state-enterprise exit; the "
            "model's entrants are few (1.2% of the starting count a quarter) and start near "
            "their parents' productivity.")


def _rd_return_note(r: FactResult) -> str:
    s, c = _case(r, "setting"), _case(r, "control")
    return (f"Per seed: {_per_seed(s['rd_return'], 3)} (t statistics "
            f"{_per_seed(s['rd_return_t'], 0)}); control {_per_seed(c['rd_return'], 3)}.")


def _lumpy_note(r: FactResult) -> str:
    s, c = _case(r, "setting"), _case(r, "control")
    return (f"Also measured, not judged: inaction (|I/K| below 1%) in "
            f"{100 * s['inaction_rate'].mean():.0f}% of firm-years against 8.1% observed "
            f"(control {100 * c['inaction_rate'].mean():.0f}%), and a mean investment rate of "
            f"{100 * s['mean_investment_rate'].mean():.1f}% against 12.2%. Firms adjust capital "
            "part of the way to its target each quarter and cannot sell it, so they sit still "
            "when orders fall and invest several years running when they grow: spikes come, "
            "but not the alternation of bursts and pauses that fixed adjustment costs make.")


FACT_NOTES: dict[str, Callable[[FactResult], str]] = {
    "rd_return": _rd_return_note,
    "lumpy_investment": _lumpy_note,
    "firm_sizes": _sizes_note,
    "growth_rates": _growth_note,
    "digital_adoption": _adoption_note,
    "decoupling": _decoupling_note,
    "net_entry": _net_entry_note,
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
        lines.append(f"| {f.title} | {verdict(f, res)} |")
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
        if res.passed and not res.control_failed:
            lines.append(f"- {f.title}: holds in its control too ({f.control_text}).")
    return lines or [NOTHING_FAILS]


def write_page(out: Path, seeds: int = 5, calibrated: Path | None = CALIBRATED,
               progress: Callable[[str], None] | None = None, draws: int = 40) -> Path:
    """Measure everything and write ``out/VALIDATION.md`` and ``out/validation/*.png``.

    Args:
        out: the docs folder.
        seeds: seeds per scenario and fact (seeds 0 .. seeds-1).
        calibrated: a calibrated scenario to show beside the defaults (skipped if missing).
        progress: called with a short message before each step.
        draws: runs of the parameter fan (parameters drawn from the fit's distribution).

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
    fitted = (load_scenario(calibrated) if calibrated is not None and Path(calibrated).exists()
              else load_scenario("baseline"))
    uncertainty = fit_uncertainty.measure(fitted, draws, progress=say)
    if uncertainty.fan is not None:
        fit_uncertainty.fan_figure(uncertainty.fan, figures / "fan.png")
    say("hindcast 2017-2019")
    past = hindcast.run_hindcast(seed_list)
    hindcast.figure(past, figures / "hindcast.png")
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
        "the ones `tests/test_stylised_facts.py` asserts. Every fact is measured twice: in "
        "the setting that should produce it and in a negative control with its mechanism "
        "switched off; a fact is *shown* when it holds in the first and fails in the second. "
        "A failing fact is reported here, not hidden. The calibration itself is rerun with "
        "`python run.py calibrate` "
        "(method in `experiments/calibration.py`, report in its results folder).",
        "",
        *summary_lines(moments, results, facts),
        "",
        *targets_section(moments, results, seeds),
        *cal_note,
        *fit_uncertainty.precision_section(uncertainty, fitted.name),
        "## 2. Stylised facts (not fitted)",
        "",
    ]
    for i, (f, res) in enumerate(facts, start=1):
        lines += fact_section(i, f, res, seeds)
    lines += hindcast.section(past, FIGURES, "3")
    lines += fit_uncertainty.fan_section(uncertainty, FIGURES, "4")
    flags = [f"- The fit: {flag}." for flag in uncertainty.precision.flags()]
    failed = failures(moments, results, facts)
    if (flags or hindcast.failures(past)) and failed == [NOTHING_FAILS]:
        failed = []
    lines += ["## 5. What fails", "", *failed, *hindcast.failures(past), *flags]
    wall = time.perf_counter() - t0
    page = out / "VALIDATION.md"
    page.write_text("\n".join(lines).replace("{wall}", f"{wall:.0f}") + "\n", encoding="utf-8")
    return page

