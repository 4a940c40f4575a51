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
from chainshift.experiments.columns import (
    FLOW_LEDGER,
    Dictionary,
    by_chain,
    described,
    firm_column,
    quarterly,
    write_parquet,
)
from chainshift.experiments.columns import yearly as yearly_column
from chainshift.experiments.folders import ResultsFolder, check_out_dir
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
    group = p.add_mutually_exclusive_group()
    group.add_argument("--until", type=positive_int, metavar="YEAR", help="stop after this year")
    group.add_argument("--steps", type=positive_int, metavar="N", help="quarters to simulate")
    add_set_option(p)
    add_out_option(p)
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


def target_lines(scenario, yearly) -> list[str]:
    """'achieved vs target' for each of the scenario's targets within the run."""
    lines = []
    for t in scenario.targets:
        row = yearly[yearly["year"] == t.year]
        if not len(row) or t.indicator not in row:
            continue
        got = float(row[t.indicator].iloc[0])
        ceiling = t.indicator in LOWER_IS_BETTER
        mark = "met" if (got <= t.value if ceiling else got >= t.value) else "missed"
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


def write_results(d, scenario, indicators, flows, yearly, chains=None, firms=None) -> None:
    """The run's tables (Parquet with units in the schema, CSV) and its data dictionary.

    Args:
        d: the results folder.
        scenario: the resolved scenario (``scenario.toml``).
        indicators: the quarterly indicators (``indicators.parquet`` and ``.csv``).
        flows: the factor-flow ledger (``flows.parquet`` and ``.csv``).
        yearly: the yearly figures (``yearly.csv``).
        chains: the indicators by chain (``indicators_by_chain.parquet``), if given.
        firms: firm snapshots (``firms.parquet``), if given.
    """
    ind_cols = described(indicators, quarterly)
    flow_cols = described(flows, FLOW_LEDGER.get)
    year_cols = described(yearly, yearly_column)
    write_parquet(indicators, d / "indicators.parquet", ind_cols)
    write_parquet(flows, d / "flows.parquet", flow_cols)
    tables = {}
    if chains is not None:
        tables["indicators_by_chain.parquet"] = (chains, described(chains, by_chain))
    if firms is not None:
        tables["firms.parquet"] = (firms, described(firms, firm_column))
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
    check_out_dir(args.out)
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
    chains = model.indicators_by_chain()
    firms = pd.concat(snapshots, ignore_index=True) if snapshots else None
    yearly = annual(indicators)
    for line in target_lines(scenario, yearly):
        console.print(line)

    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
    with ResultsFolder(args.out, f"{scenario.name}-{stamp}") as folder:
        d = folder.path
        write_results(d, scenario, indicators, flows, yearly, chains, firms)
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
