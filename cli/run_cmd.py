"""``run.py run``: one run of a scenario, a yearly table while it runs, a results folder."""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from chainshift.cli.main import (
    UsageError,
    add_out_option,
    add_set_option,
    non_negative_int,
    positive_int,
)
from chainshift.cli.study import add_executor_options
from chainshift.experiments.columns import (
    FLOW_LEDGER,
    FLOW_PAIRS,
    RUN_IDS,
    Column,
    Dictionary,
    by_chain,
    by_park,
    described,
    firm_column,
    quarterly,
    write_parquet,
    yearly_unit,
)
from chainshift.experiments.columns import yearly as yearly_column
from chainshift.experiments.folders import ResultsFolder, check_out_dir
from chainshift.experiments.limits import check_runs
from chainshift.experiments.provenance import manifest, write_json
from chainshift.model import TransitionModel
from chainshift.model.indicators import LOWER_IS_BETTER
from chainshift.model.summary import annual, outcomes
from chainshift.scenarios.loader import dumps, load_scenario, parse_overrides, to_toml_dict

SNAPSHOTS = ("none", "yearly")
"""Values of ``--snapshot``: no firm table, or one at each year's last quarter."""


def snapshot_schedule(text: str) -> str:
    """Argparse type of ``--snapshot``."""
    if text not in SNAPSHOTS:
        raise argparse.ArgumentTypeError(f"'{text}' is not a snapshot schedule; allowed: "
                                         f"{', '.join(SNAPSHOTS)}")
    return text


YEAR_COLUMNS = (
    ("value_added_growth", "VA growth%", "{:.1f}"),
    ("innovation_share", "innovation%", "{:.0f}"),
    ("rd_intensity", "R&D/GDP%", "{:.2f}"),
    ("carbon_intensity", "tCO2/10k¥", "{:.3f}"),
    ("green_share", "green%", "{:.1f}"),
    ("enterprises", "enterprises", "{:,.0f}"),
)


def register(sub) -> None:
    """Add the ``run`` command."""
    p = sub.add_parser("run", help="run one scenario and write a results folder")
    p.add_argument("scenario", nargs="?", default="baseline", help="scenario name or TOML path")
    p.add_argument("--seed", type=non_negative_int, default=0, help="random seed (default 0)")
    p.add_argument("--seeds", type=positive_int, default=1, metavar="N",
                   help="run seeds SEED, SEED+1, ..., SEED+N-1 and print each year's mean "
                   "with its 90%% seed band (default 1: one run)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--until", type=positive_int, metavar="YEAR", help="stop after this year")
    group.add_argument("--steps", type=positive_int, metavar="N", help="quarters to simulate")
    add_set_option(p)
    add_out_option(p)
    add_executor_options(p)
    p.add_argument("--snapshot", type=snapshot_schedule, default="none",
                   metavar="{" + ",".join(SNAPSHOTS) + "}",
                   help="firm table to firms.parquet: none (default), or yearly, at each "
                   "year's last quarter (and the last quarter of a run that stops mid-year)")
    p.add_argument("--quiet", action="store_true", help="print only the results folder")
    p.set_defaults(func=run)


def quarters_to_run(scenario, until: int | None, steps: int | None) -> int:
    """Quarters to simulate from ``--until`` or ``--steps`` (default: the whole horizon)."""
    h = scenario.horizon
    if steps is not None:
        if steps > h.quarters:
            raise UsageError(
                f"run: --steps {steps}: the horizon has {h.quarters} quarters "
                f"({h.start_year}-{h.end_year})"
            )
        return steps
    if until is not None:
        if not h.start_year <= until <= h.end_year:
            raise UsageError(f"run: --until {until}: allowed years {h.start_year} to {h.end_year}")
        return 4 * (until - h.start_year + 1)
    return h.quarters


def year_header() -> str:
    """Header line of the yearly table."""
    return "year  " + "  ".join(f"{label:>11}" for _, label, _ in YEAR_COLUMNS)


def year_row(row) -> str:
    """One line of the yearly table."""
    cells = "  ".join(f"{fmt.format(row[c]):>11}" for c, _, fmt in YEAR_COLUMNS)
    return f"{int(row['year']):>4}  {cells}"


def meets(target, values):
    """Whether each value meets the target: at most it for indicators where lower is better,
    at least it otherwise.
    """
    return values <= target.value if target.indicator in LOWER_IS_BETTER else values >= target.value


def target_lines(scenario, yearly) -> list[str]:
    """'achieved vs target' for each of the scenario's targets within the run."""
    lines = []
    for t in scenario.targets:
        row = yearly[yearly["year"] == t.year]
        if not len(row) or t.indicator not in row:
            continue
        got = float(row[t.indicator].iloc[0])
        mark = "met" if meets(t, got) else "missed"
        lines.append(f"target {t.indicator} {t.year}: {got:.2f} vs {t.value:.2f} ({mark})")
    return lines


def header(scenario, model, seed: int, quarters: int) -> str:
    """The run's first line: the agents simulated from the first quarter, and why they differ
    from the scenario's counts (the unrecorded spin-up year before the start).
    """
    pop = scenario.population
    start = scenario.horizon.start_year
    return (f"[bold]{scenario.name}[/bold] seed {seed}: {len(model.firms):,} enterprises, "
            f"{len(model.institutes):,} institutes, {len(model.parks):,} parks in {start}Q1, "
            f"{quarters} quarters (the scenario's {pop.enterprises:,}, {pop.institutes:,} and "
            f"{pop.parks:,} start the unrecorded spin-up year {start - 1})")


def snapshot(model) -> pd.DataFrame:
    """The firm table now, led by the quarter's year, quarter and step."""
    frame = model.firm_table()
    frame.insert(0, "step", model.t - 1)
    frame.insert(0, "quarter", model.quarter)
    frame.insert(0, "year", model.year)
    return frame


def write_results(d, scenario, indicators, flows, yearly, chains=None, firms=None,
                  pairs=None, parks=None) -> None:
    """The run's tables (Parquet with units in the schema, CSV) and its data dictionary.

    Args:
        d: the results folder.
        scenario: the resolved scenario (``scenario.toml``).
        indicators: the quarterly indicators (``indicators.parquet`` and ``.csv``).
        flows: the factor-flow ledger (``flows.parquet`` and ``.csv``).
        yearly: the yearly figures (``yearly.csv``).
        chains: the indicators by chain (``indicators_by_chain.parquet``), if given.
        firms: firm snapshots (``firms.parquet``), if given.
        pairs: the flow ledger by pair of agents (``flows_by_agent.parquet``), if given.
        parks: the indicators by park (``indicators_by_park.parquet``), if given.
    """
    ind_cols = described(indicators, quarterly)
    flow_cols = described(flows, FLOW_LEDGER.get)
    year_cols = described(yearly, yearly_column)
    write_parquet(indicators, d / "indicators.parquet", ind_cols)
    write_parquet(flows, d / "flows.parquet", flow_cols)
    tables = {}
    if chains is not None:
        tables["indicators_by_chain.parquet"] = (chains, described(chains, by_chain))
    if parks is not None:
        tables["indicators_by_park.parquet"] = (parks, described(parks, by_park))
    if firms is not None:
        tables["firms.parquet"] = (firms, described(firms, firm_column))
    if pairs is not None:
        tables["flows_by_agent.parquet"] = (pairs, described(pairs, FLOW_PAIRS.get))
    for name, (frame, cols) in tables.items():
        write_parquet(frame, d / name, cols)
    indicators.to_csv(d / "indicators.csv", index=False)
    flows.to_csv(d / "flows.csv", index=False)
    yearly.to_csv(d / "yearly.csv", index=False)
    dictionary = Dictionary()
    for name, cols in (("indicators", ind_cols), ("flows", flow_cols)):
        dictionary.add(f"{name}.parquet", cols)
        dictionary.add(f"{name}.csv", cols)
    dictionary.add("yearly.csv", year_cols)
    for name, (_, cols) in tables.items():
        dictionary.add(name, cols)
    dictionary.write(d)
    (d / "scenario.toml").write_text(dumps(scenario), encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    """Validate everything, run the model, then write the results folder in one go."""
    overrides = parse_overrides(args.set)
    scenario = load_scenario(args.scenario, overrides=overrides)
    n = quarters_to_run(scenario, args.until, args.steps)
    if args.seeds > 1:
        check_runs(args.seeds, 0, f"run: --seeds {args.seeds}", f"{args.seeds:,} seeds",
                   args.max_runs)
        if args.snapshot != "none":
            raise UsageError(f"run: --snapshot {args.snapshot} with --seeds {args.seeds}: "
                             "snapshots are of one run; allowed: --snapshot with one seed")
    check_out_dir(args.out)
    if args.seeds > 1:
        return run_seeds(args, scenario, overrides, n)
    console = Console(stderr=False, quiet=args.quiet, soft_wrap=True)
    started = time.time()
    t0 = time.perf_counter()
    model = TransitionModel(scenario, rng=args.seed)
    printed = set()
    snapshots = []

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} quarters"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=args.quiet,
    ) as progress:
        task = progress.add_task(f"{scenario.name} seed {args.seed}", total=n)
        console.print(header(scenario, model, args.seed, n))
        for i in range(n):
            model.step()
            progress.advance(task)
            if args.snapshot == "yearly" and (model.quarter == 4 or i == n - 1):
                snapshots.append(snapshot(model))
            if model.quarter == 4:
                row = annual(model.indicators()).iloc[-1]
                if not printed:
                    progress.console.print(year_header(), highlight=False)
                printed.add(int(row["year"]))
                progress.console.print(year_row(row), highlight=False)
    wall = time.perf_counter() - t0
    indicators = model.indicators()
    flows = model.flows()
    pairs = model.flows(by="agent") if model.ledger.pairs else None
    chains = model.indicators_by_chain()
    firms = pd.concat(snapshots, ignore_index=True) if snapshots else None
    yearly = annual(indicators)
    for line in target_lines(scenario, yearly):
        console.print(line)

    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
    with ResultsFolder(args.out, f"{scenario.name}-{stamp}") as folder:
        d = folder.path
        write_results(d, scenario, indicators, flows, yearly, chains, firms, pairs,
                      model.indicators_by_park())
        write_json(
            d / "manifest.json",
            manifest(
                scenario_name=scenario.name,
                scenario=to_toml_dict(scenario),
                seed=args.seed,
                overrides=overrides,
                quarters=n,
                wall_time_s=round(wall, 3),
                agent_steps_per_s=round(len(model.firms) * n / wall, 1),
                outcomes={
                    k: (None if isinstance(v, float) and np.isnan(v) else v)
                    for k, v in outcomes(indicators).items()
                },
            ),
        )
    console.print(f"{n} quarters in {wall:.1f} s; results in {folder.final}")
    if args.quiet:
        print(folder.final)
    return 0


def seed_list(seed: int, count: int) -> list[int]:
    """The seeds of ``run --seed SEED --seeds N``: SEED, SEED+1, ..., SEED+N-1.

    Seed ``s`` of the list is the very run ``run --seed s`` makes.
    """
    return list(range(seed, seed + count))


def band_header(columns, seeds: list[int], widths: list[int]) -> list[str]:
    """The two header lines of the yearly band table."""
    lines = [f"mean [5th, 95th percentile] over {len(seeds)} seeds "
             f"({seeds[0]}-{seeds[-1]}): the 90% seed band"]
    lines.append("year  " + "  ".join(f"{label:>{w}}" for (_, label, _), w
                                      in zip(columns, widths, strict=True)))
    return lines


def band_rows(wide, columns=YEAR_COLUMNS) -> tuple[list[int], list[list[str]]]:
    """(column widths, cells per year) of the band table, from :func:`bands.wide_band`."""
    from chainshift.experiments.bands import band_text

    rows = []
    for _, r in wide.iterrows():
        rows.append([band_text(r[c], r[f"{c}_low"], r[f"{c}_high"], fmt)
                     for c, _, fmt in columns])
    widths = [max([len(label), *(len(row[i]) for row in rows)])
              for i, (_, label, _) in enumerate(columns)]
    return widths, rows


def band_target_lines(scenario, yearly_by_seed) -> list[str]:
    """'achieved vs target' across seeds: mean, band and the seeds that meet it."""
    from chainshift.experiments.bands import band_text, seed_band

    lines = []
    for t in scenario.targets:
        rows = yearly_by_seed[yearly_by_seed["year"] == t.year]
        if not len(rows) or t.indicator not in rows:
            continue
        got = rows[t.indicator].to_numpy(dtype=float)
        mean, lo, hi, _ = seed_band(got)
        met = int(meets(t, got).sum())
        lines.append(f"target {t.indicator} {t.year}: {band_text(mean, lo, hi, '{:.2f}')} vs "
                     f"{t.value:.2f} (met in {met} of {len(got)} seeds)")
    return lines


def run_seeds(args: argparse.Namespace, scenario, overrides: dict, n: int) -> int:
    """``run --seeds N``: the runs of each seed on the executors, their indicators stacked
    with a ``seed`` column, the yearly bands and a manifest listing the seeds.

    Each seed's run is the one ``run --seed s`` makes, whatever the number of workers.
    """
    from chainshift.cli.study import connect, progress_bar
    from chainshift.experiments.bands import LEVEL, band_table, wide_band
    from chainshift.experiments.batch import run_jobs
    from chainshift.experiments.executors import default_workers
    from chainshift.experiments.runner import Job

    seeds = seed_list(args.seed, args.seeds)
    workers = args.workers or min(len(seeds), default_workers())
    pool = None
    if args.scheduler is not None or workers > 1:
        pool = connect("run", args.workers if args.scheduler else workers, args.scheduler,
                       args.oversubscribe, args.timeout)
    where = pool.describe() if pool is not None else "this process"
    console = Console(stderr=False, quiet=args.quiet, soft_wrap=True)
    console.print(f"[bold]{scenario.name}[/bold] seeds {seeds[0]}-{seeds[-1]}: "
                  f"{len(seeds)} runs of {n} quarters ({scenario.population.enterprises:,} "
                  f"enterprises at the start of the spin-up year) on {where}")
    base = scenario.model_dump()
    jobs = [Job(run_id=i, point=0, replication=i, seed=s, overrides={}, quarters=n, base=base)
            for i, s in enumerate(seeds)]
    started = time.time()
    t0 = time.perf_counter()
    done = {"n": 0, "failed": 0}
    try:
        with progress_bar(console, f"{scenario.name}", len(jobs), quiet=args.quiet) as update:

            def tick(result) -> None:
                done["n" if result.ok else "failed"] += 1
                update(done["n"], done["failed"])

            results = run_jobs(jobs, pool, tick)
    finally:
        if pool is not None:
            pool.close(wait=False)
    wall = time.perf_counter() - t0
    ok = [r for r in results if r.ok]
    failed = [f"seed {r.job.seed}: {r.error}" for r in results if not r.ok]
    if not ok:
        console.print(f"[red]every run failed[/red]: {failed[0]}", highlight=False)
        return 1
    frames, years, chains = [], [], []
    for r in ok:
        if r.by_chain is not None:
            by = r.by_chain.drop(columns="run_id")
            by.insert(0, "seed", r.job.seed)
            chains.append(by)
        ind = r.indicators.drop(columns="run_id")
        ind.insert(0, "seed", r.job.seed)
        frames.append(ind)
        yearly = annual(ind.drop(columns="seed"))
        yearly.insert(0, "seed", r.job.seed)
        years.append(yearly)
    indicators = pd.concat(frames, ignore_index=True)
    yearly = pd.concat(years, ignore_index=True)
    full = yearly[yearly["quarters"] == 4]
    shown = [c for c, _, _ in YEAR_COLUMNS]
    widths, cells = band_rows(wide_band(full, shown))
    for line in band_header(YEAR_COLUMNS, [r.job.seed for r in ok], widths):
        console.print(line, highlight=False)
    for year, row in zip(sorted(full["year"].unique()), cells, strict=True):
        console.print(f"{int(year):>4}  " + "  ".join(f"{c:>{w}}" for c, w in
                                                      zip(row, widths, strict=True)),
                      highlight=False)
    for line in band_target_lines(scenario, yearly):
        console.print(line, highlight=False)
    indicator_names = [c for c in yearly.columns if c not in ("seed", "year", "quarters")]
    bands = band_table(yearly, indicator_names)
    bands.insert(bands.columns.get_loc("mean"), "unit",
                 [yearly_unit(i) for i in bands["indicator"]])

    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
    with ResultsFolder(args.out, f"{scenario.name}-{stamp}") as folder:
        d = folder.path
        write_seed_results(d, scenario, indicators, yearly, bands,
                           pd.concat(chains, ignore_index=True) if chains else None)
        write_json(
            d / "manifest.json",
            manifest(
                scenario_name=scenario.name,
                scenario=to_toml_dict(scenario),
                seed=args.seed,
                seeds=seeds,
                failed_seeds=[r.job.seed for r in results if not r.ok],
                band={"level": LEVEL, "low_quantile": 0.05, "high_quantile": 0.95,
                      "of": "the runs' yearly figures per year (bands.csv)"},
                overrides=overrides,
                quarters=n,
                executor=pool.kind if pool is not None else "this process",
                workers=pool.workers if pool is not None else 1,
                wall_time_s=round(wall, 3),
                run_wall_time_s={str(r.job.seed): round(r.wall_s, 3) for r in ok},
                outcomes={str(r.job.seed): {
                    k: (None if isinstance(v, float) and np.isnan(v) else v)
                    for k, v in r.outcomes.items()} for r in ok},
                errors=failed,
            ),
        )
    console.print(f"{len(ok)} runs of {n} quarters in {wall:.1f} s; results in {folder.final}")
    if args.quiet:
        print(folder.final)
    if failed:
        console.print(f"[red]{len(failed)} runs failed[/red]: {failed[0]}", highlight=False)
        return 1
    return 0


BAND_COLUMNS: dict[str, Column] = {
    "indicator": Column("", "yearly indicator (model.summary.annual; units in yearly.csv)"),
    "unit": Column("", "unit of the indicator's yearly figure; mean, low and high are in it"),
    "mean": Column("see unit column", "mean over the seeds"),
    "low": Column("see unit column", "5th percentile over the seeds (lower end of the 90% "
                  "seed band)"),
    "high": Column("see unit column", "95th percentile over the seeds (upper end of the 90% "
                   "seed band)"),
    "n": Column("count", "seeds with a figure for this year (NaNs are left out)"),
}
"""Columns of ``bands.csv`` of a ``run --seeds N`` folder."""


def write_seed_results(d, scenario, indicators, yearly, bands, chains=None) -> None:
    """The tables of ``run --seeds N``: every seed's indicators, indicators by chain, yearly
    figures and bands.
    """
    ind_cols = described(indicators, quarterly, RUN_IDS)
    year_cols = described(yearly, yearly_column, RUN_IDS)
    band_cols = described(bands, BAND_COLUMNS.get, {"year": Column("year", "calendar year")})
    write_parquet(indicators, d / "indicators.parquet", ind_cols)
    indicators.to_csv(d / "indicators.csv", index=False)
    yearly.to_csv(d / "yearly.csv", index=False)
    bands.to_csv(d / "bands.csv", index=False)
    dictionary = Dictionary()
    dictionary.add("indicators.parquet", ind_cols)
    dictionary.add("indicators.csv", ind_cols)
    dictionary.add("yearly.csv", year_cols)
    dictionary.add("bands.csv", band_cols)
    if chains is not None:
        chain_cols = described(chains, by_chain, RUN_IDS)
        write_parquet(chains, d / "indicators_by_chain.parquet", chain_cols)
        dictionary.add("indicators_by_chain.parquet", chain_cols)
    dictionary.write(d)
    (d / "scenario.toml").write_text(dumps(scenario), encoding="utf-8")
