"""``run.py compare A B``: paired runs of two scenarios, differences with 95% CIs, a brief."""

from __future__ import annotations

import argparse
import time

from rich.console import Console

from cli.main import UsageError, add_out_option, non_negative_int, positive_int
from cli.study import add_executor_options, connect, progress_bar
from experiments.brief import brief_markdown, milestone_years, trajectories_chart
from experiments.compare import KEY_INDICATORS, paired
from experiments.folders import ResultsFolder
from experiments.provenance import manifest, write_json
from scenarios.loader import dumps, load_scenario, parse_overrides, to_toml_dict


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
    add_executor_options(p)
    add_out_option(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=compare)


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
    pool = connect("compare", args.workers, args.scheduler)
    console = Console(soft_wrap=True)
    names = (a.name, b.name)
    console.print(
        f"[bold]{names[1]}[/bold] vs [bold]{names[0]}[/bold]: {args.seeds} paired "
        f"seeds, {2 * args.seeds} runs on {pool.describe()}"
    )
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
        c.annual.to_parquet(d / "annual.parquet", index=False)
        trajectories_chart(c, d / "trajectories.png", names)
        (d / "brief.md").write_text(
            brief_markdown(c, names, "trajectories.png", args.quarters), encoding="utf-8"
        )
        (d / "a.toml").write_text(dumps(a), encoding="utf-8")
        (d / "b.toml").write_text(dumps(b), encoding="utf-8")
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
                executor=pool.kind,
                workers=pool.workers,
                wall_time_s=round(wall, 3),
                failed_runs=c.failed,
            ),
        )
    last = int(c.table["year"].max())
    years = milestone_years(sorted(c.table["year"].unique()))
    console.print(f"B - A in {last} (95% CI, paired t over {int(c.table['n'].min())} seeds):")
    for ind in KEY_INDICATORS:
        r = c.table[(c.table["indicator"] == ind) & (c.table["year"] == last)].iloc[0]
        mark = " *" if r["significant"] else ""
        console.print(
            f"  {ind:<20} {r['diff']:>+12.4g}  [{r['ci_low']:.4g}, {r['ci_high']:.4g}]{mark}",
            highlight=False,
        )
    console.print(f"years in the brief: {', '.join(map(str, years))}; results in {folder.final}")
    if c.failed:
        console.print(f"[red]{len(c.failed)} runs failed[/red]: {c.failed[0]}")
        return 1
    return 0
