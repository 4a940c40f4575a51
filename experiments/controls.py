"""The README's control table: where the growth comes from, under every control scenario.

``python -m chainshift.experiments.controls`` runs the shipped control scenarios on common
seeds and prints, as Markdown, the innovation share of growth by five-year window (mean with
the 95% t interval of the mean) and the TFP contribution of 2031-35, then the paired
comparisons the README's text quotes (95% t intervals of per-seed differences). The
assertions on the same quantities are in ``tests/test_controls.py``; this module gives the
numbers, so the README can be regenerated whenever the model or its defaults change.
"""

from __future__ import annotations

import argparse
import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
from scipy import stats

from chainshift.model import TransitionModel
from chainshift.model.indicators import ACCOUNTING
from chainshift.model.summary import annual
from chainshift.scenarios import load_scenario

CONTROLS = ("baseline", "levers_off", "innovation_push", "factor_push", "flat_world",
            "balanced_start")
LEVERS = ("baseline", "levers_off", "innovation_push", "factor_push")
WINDOWS = ((2021, 2025), (2026, 2030), (2031, 2035))


def yearly(job: tuple[str, int]) -> pd.DataFrame:
    """The yearly table of one run (scenario, seed), indexed by year."""
    name, seed = job
    return annual(TransitionModel(load_scenario(name), rng=seed).run().indicators()).set_index(
        "year")


def run_all(names, seeds, workers: int) -> dict[str, list[pd.DataFrame]]:
    """Yearly tables of every scenario on every seed."""
    jobs = [(n, s) for n in names for s in seeds]
    with ProcessPoolExecutor(workers) as pool:
        tables = list(pool.map(yearly, jobs))
    out: dict[str, list[pd.DataFrame]] = {n: [] for n in names}
    for (n, _), t in zip(jobs, tables, strict=True):
        out[n].append(t)
    return out


def share(t: pd.DataFrame, years: tuple[int, int]) -> float:
    """Innovation share of growth over a span of years, percent."""
    part = t.loc[years[0]: years[1], list(ACCOUNTING)]
    return 100.0 * part["tfp_contribution"].sum() / part.sum(axis=1).sum()


def mean_of(t: pd.DataFrame, column: str, years: tuple[int, int]) -> float:
    """Mean of a yearly column over a span of years."""
    return float(t.loc[years[0]: years[1], column].mean())


def interval(values) -> tuple[float, float, float]:
    """Mean and its 95% t interval."""
    d = np.asarray(values, dtype=float)
    half = stats.t.ppf(0.975, d.size - 1) * d.std(ddof=1) / math.sqrt(d.size)
    return float(d.mean()), float(d.mean() - half), float(d.mean() + half)


def fmt(i: tuple[float, float, float], digits: int = 2, sign: str = "") -> str:
    """``mean [low, high]``."""
    return f"{i[0]:{sign}.{digits}f} [{i[1]:{sign}.{digits}f}, {i[2]:{sign}.{digits}f}]"


def table(runs: dict[str, list[pd.DataFrame]], seeds: int) -> str:
    """The Markdown table of innovation shares and late TFP contributions."""
    lines = ["| scenario | 2021-25 | 2026-30 | 2031-35 | TFP contribution 2031-35, points |",
             "|---|---:|---:|---:|---:|"]
    for name in CONTROLS:
        tables = runs[name][:seeds]
        cells = [fmt(interval([share(t, w) for t in tables]), 1) for w in WINDOWS]
        tfp = np.mean([mean_of(t, "tfp_contribution", WINDOWS[2]) for t in tables])
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {tfp:.2f} |")
    return "\n".join(lines)


def paired(a, b, column: str, years) -> str:
    """Mean of a column over years, A minus B per seed, with its 95% t interval."""
    return fmt(interval([mean_of(x, column, years) - mean_of(y, column, years)
                         for x, y in zip(a, b, strict=True)]), 2, "+")


def comparisons(runs: dict[str, list[pd.DataFrame]], none: list[pd.DataFrame]) -> list[str]:
    """The figures the README's text quotes."""
    late, early = WINDOWS[2], WINDOWS[0]
    base, off = runs["baseline"], runs["levers_off"]
    push, factor = runs["innovation_push"], runs["factor_push"]
    flat, balanced = runs["flat_world"], runs["balanced_start"]
    n = len(base)
    out = [
        "no_technology, Solow residual 2021-35 (mean of seeds): "
        + fmt(interval([mean_of(t, "tfp_contribution", (2021, 2035)) for t in none])),
        "no_technology, VA growth 2021-25: "
        + fmt(interval([mean_of(t, "value_added_growth", early) for t in none]), 1),
        f"baseline - levers_off, TFP contribution 2031-35 ({n} seeds): "
        + paired(base, off, "tfp_contribution", late),
        "  of which tfp_within_rd: " + paired(base, off, "tfp_within_rd", late),
        "  of which tfp_within: " + paired(base, off, "tfp_within", late),
        "  of which tfp_reallocation: " + paired(base, off, "tfp_reallocation", late),
        "innovation_push - baseline, TFP contribution 2031-35: "
        + paired(push, base, "tfp_contribution", late),
        "innovation_push - baseline, TFP contribution 2021-35: "
        + paired(push, base, "tfp_contribution", (2021, 2035)),
        "  of which tfp_entry 2031-35: " + paired(push, base, "tfp_entry", late),
        "  of which tfp_within_rd 2031-35: " + paired(push, base, "tfp_within_rd", late),
        "factor_push - baseline, TFP contribution 2031-35: "
        + paired(factor, base, "tfp_contribution", late),
    ]
    k = len(flat)
    out += [
        f"flat_world, share 2031-35 minus 2021-25 ({k} seeds): "
        + fmt(interval([share(t, late) - share(t, early) for t in flat]), 1, "+"),
        "flat_world, capital contribution 2021-25 -> 2031-35: "
        f"{np.mean([mean_of(t, 'capital_contribution', early) for t in flat]):.1f} -> "
        f"{np.mean([mean_of(t, 'capital_contribution', late) for t in flat]):.1f}",
        "flat_world, labour contribution 2021-25 -> 2031-35: "
        f"{np.mean([mean_of(t, 'labour_contribution', early) for t in flat]):.1f} -> "
        f"{np.mean([mean_of(t, 'labour_contribution', late) for t in flat]):.1f}",
        "flat_world, TFP contribution by window: " + ", ".join(
            f"{np.mean([mean_of(t, 'tfp_contribution', w) for t in flat]):.1f}" for w in WINDOWS),
        "balanced_start, share 2031-35 minus 2021-25: "
        + fmt(interval([share(t, late) - share(t, early) for t in balanced]), 1, "+"),
    ]
    return out


def main(argv=None) -> int:
    """Print the table and the comparisons."""
    p = argparse.ArgumentParser(prog="python -m chainshift.experiments.controls",
                                description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=10, help="seeds of the table (default 10)")
    p.add_argument("--paired-seeds", type=int, default=20,
                   help="seeds of the lever comparisons (default 20)")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    seeds = range(max(args.seeds, args.paired_seeds))
    runs = run_all(LEVERS, seeds, args.workers)
    runs |= run_all([n for n in CONTROLS if n not in LEVERS], range(args.seeds), args.workers)
    none = run_all(["no_technology"], range(args.seeds), args.workers)["no_technology"]
    print(table(runs, args.seeds))
    print()
    for line in comparisons({k: v[: args.paired_seeds] for k, v in runs.items()}, none):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
