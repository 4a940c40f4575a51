"""``run.py compare A B``: paired runs of two scenarios, differences with 95% CIs, a brief."""

from __future__ import annotations

import argparse
import time

from rich.console import Console

from chainshift.cli.main import UsageError, add_out_option, non_negative_int, positive_int
from chainshift.cli.study import add_executor_options, connect, progress_bar
from chainshift.experiments.brief import brief_markdown, milestone_years, trajectories_chart
from chainshift.experiments.columns import RUN_IDS, Dictionary, described, write_parquet
from chainshift.experiments.columns import yearly as yearly_column
from chainshift.experiments.compare import (
    DIFFERENCE_COLUMNS,
    KEY_INDICATORS,
    SCENARIO_COLUMN,
    paired,
)
from chainshift.experiments.folders import ResultsFolder, check_out_dir
from chainshift.experiments.limits import check_runs
from chainshift.experiments.provenance import manifest, write_json
from chainshift.scenarios.loader import dumps, load_scenario, parse_overrides, to_toml_dict


def register(sub) -> None:
    """Add the ``compare`` command."""
    p = sub.add_parser(
        "compare",
        help="compare two scenarios over paired seeds",
        description="Run scenarios A and B with the same seeds (common random "
        "numbers) and report B - A by year with 95% confidence intervals.",
    )
    p.add_argument("a", metavar="A", help="reference scenario (name or TOML path)")
    p.add_argument("b", metavar="B", help="scenario compared with A (name or TOML path)")
    p.add_argument("--seeds", type=positive_int, default=30, help="paired runs (default 30)")
    p.add_argument(
        "--seed",
        type=non_negative_int,
        default=0,
        help="root seed the run seeds are spawned from (default 0)",
    )
    p.add_argument(
        "--quarters", type=positive_int, metavar="N", help="simulate only the first N quarters"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter in both scenarios, e.g. "
        "--set population.enterprises=1000 (repeatable)",
    )
    p.add_argument("--years", type=years_list, metavar="Y1,Y2,...",
                   help="years shown in the summary and the brief (default: the last year in "
                   "the summary; the first, 2025, 2030 and the last in the brief)")
    add_executor_options(p)
    add_out_option(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=compare)


def years_list(text: str) -> list[int]:
    """Argparse type for ``--years 2025,2030``."""
    try:
        years = sorted({int(y) for y in text.split(",") if y.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of years like 2025,2030") \
            from None
    if not years:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of years like 2025,2030")
    return years


def common_years(a, b, quarters: int | None) -> tuple[int, int, str]:
    """The calendar years both scenarios cover, and a note when their horizons differ.

    Raises:
        UsageError: when the scenarios start in different years (run i of A and of B would
            meet their random draws in different years, so the pairs would not match).
    """
    ha, hb = a.horizon, b.horizon
    span = f"A {ha.start_year}-{ha.end_year}, B {hb.start_year}-{hb.end_year}"
    if ha.start_year != hb.start_year:
        raise UsageError(f"compare: the horizons start in different years ({span}); allowed: "
                         "scenarios that start in the same year (their paired runs must meet "
                         "the same draws in the same quarters)")
    first = ha.start_year
    last = min(ha.end_year, hb.end_year)
    if quarters is not None:
        last = min(last, first + quarters // 4 - 1)
    note = ""
    if ha.end_year != hb.end_year:
        note = (f"the horizons differ ({span}): compared over their common years "
                f"{first}-{last}")
    return first, last, note


def compare(args: argparse.Namespace) -> int:
    """Run both scenarios, write differences, chart and brief, print the key differences."""
    overrides = parse_overrides(args.set)
    a = load_scenario(args.a, overrides=overrides)
    b = load_scenario(args.b, overrides=overrides)
    longest = min(a.horizon.quarters, b.horizon.quarters)
    if args.quarters is not None and args.quarters > longest:
        raise UsageError(
            f"compare: --quarters {args.quarters}: the horizons allow at most {longest}"
        )
    if args.quarters is not None and args.quarters < 4:
        raise UsageError(f"compare: --quarters {args.quarters}: yearly figures need at least 4")
    first, last, note = common_years(a, b, args.quarters)
    outside = [y for y in args.years or [] if not first <= y <= last]
    if outside:
        raise UsageError(f"compare: --years {outside[0]}: not a year both runs cover; allowed: "
                         f"{first} to {last}")
    check_runs(2 * args.seeds, 0, f"compare: --seeds {args.seeds}",
               f"{args.seeds:,} seeds x 2 scenarios", args.max_runs)
    check_out_dir(args.out)
    pool = connect("compare", args.workers, args.scheduler, args.oversubscribe, args.timeout)
    console = Console(soft_wrap=True)
    names = (a.name, b.name)
    console.print(
        f"[bold]{names[1]}[/bold] vs [bold]{names[0]}[/bold]: {args.seeds} paired "
        f"seeds, {2 * args.seeds} runs on {pool.describe()}"
    )
    if note:
        console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    started = time.time()
    t0 = time.perf_counter()
    done = {"n": 0, "failed": 0}
    try:
        with progress_bar(console, "compare", 2 * args.seeds, quiet=args.quiet) as update:

            def tick(result) -> None:
                done["n" if result.ok else "failed"] += 1
                update(done["n"], done["failed"])

            c = paired(
                a, b, args.seeds, seed=args.seed, quarters=args.quarters, pool=pool, on_result=tick
            )
    finally:
        pool.close(wait=False)
    wall = time.perf_counter() - t0
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
    with ResultsFolder(args.out, f"compare-{a.name}-{b.name}-{stamp}") as folder:
        d = folder.path
        c.table.to_csv(d / "differences.csv", index=False)
        annual_cols = described(c.annual, yearly_column, RUN_IDS | SCENARIO_COLUMN)
        write_parquet(c.annual, d / "annual.parquet", annual_cols)
        trajectories_chart(c, d / "trajectories.png", names)
        (d / "brief.md").write_text(
            brief_markdown(c, names, "trajectories.png", args.quarters, args.years, note),
            encoding="utf-8",
        )
        (d / "a.toml").write_text(dumps(a), encoding="utf-8")
        (d / "b.toml").write_text(dumps(b), encoding="utf-8")
        dictionary = Dictionary()
        dictionary.add("differences.csv", described(c.table, DIFFERENCE_COLUMNS.get))
        dictionary.add("annual.parquet", annual_cols)
        dictionary.write(d)
        write_json(
            d / "manifest.json",
            manifest(
                kind="compare",
                a=to_toml_dict(a),
                b=to_toml_dict(b),
                overrides=overrides,
                seeds=c.seeds,
                root_seed=args.seed,
                quarters=args.quarters,
                years=args.years,
                common_years=[first, last],
                executor=pool.kind,
                workers=pool.workers,
                wall_time_s=round(wall, 3),
                failed_runs=c.failed,
            ),
        )
    shown = args.years or [int(c.table["year"].max())]
    years = args.years or milestone_years(sorted(c.table["year"].unique()))
    for line in summary_lines(c, shown):
        console.print(line, highlight=False)
    console.print(f"years in the brief: {', '.join(map(str, years))}; results in {folder.final}")
    if c.failed:
        console.print(f"[red]{len(c.failed)} runs failed[/red]: {c.failed[0]}")
        return 1
    return 0


def summary_lines(c, years: list[int]) -> list[str]:
    """A and B of the key indicators in each of ``years``, each as mean [90% seed band], and
    B - A with its 95% interval, with the unit.
    """
    from chainshift.experiments.bands import band_text
    from chainshift.experiments.brief import number_text

    lines = []
    n = int(c.table["n"].min())
    width = max(len(k) for k in KEY_INDICATORS)
    for year in years:
        lines.append(f"B - A in {year} (95% CI, paired t over {n} seeds); A and B: mean [5th, "
                     "95th percentile] over the seeds, the 90% seed band:")
        rows = [c.table[(c.table["indicator"] == ind) & (c.table["year"] == year)].iloc[0]
                for ind in KEY_INDICATORS]
        a_cells = [band_text(r["mean_a"], r["a_low"], r["a_high"], number_text) for r in rows]
        b_cells = [band_text(r["mean_b"], r["b_low"], r["b_high"], number_text) for r in rows]
        wa = max(len(x) for x in a_cells)
        wb = max(len(x) for x in b_cells)
        for ind, r, a_cell, b_cell in zip(KEY_INDICATORS, rows, a_cells, b_cells, strict=True):
            mark = " *" if r["significant"] else "  "
            lines.append(f"  {ind:<{width}} A {a_cell:>{wa}}  B {b_cell:>{wb}}  B - A "
                         f"{r['diff']:>+10.4g} [{r['ci_low']:.4g}, {r['ci_high']:.4g}]{mark}  "
                         f"{r['unit']}")
    return lines
