"""``run.py calibrate``: fit parameters to observed Chongqing 2021-2022 moments (simulated
method of moments, differential evolution).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from chainshift.cli.main import UsageError, non_negative_int, positive_int
from chainshift.cli.study import add_executor_options, connect, progress_bar
from chainshift.experiments.calibration import (
    DEFAULT_FREE,
    POPSIZE,
    PRECISION_SEEDS,
    calibrate,
    free_parameters,
    population_size,
)
from chainshift.experiments.calibration_report import (
    distance_note,
    extends_for,
    reproduce_command,
    scenario_text,
    stop_note,
    write_report,
)
from chainshift.experiments.folders import ResultsFolder, check_file_target, check_out_dir
from chainshift.experiments.limits import check_runs
from chainshift.experiments.provenance import manifest, write_json
from chainshift.scenarios.loader import load_scenario, parse_overrides, to_toml_dict


def register(sub) -> None:
    """Add the ``calibrate`` command."""
    p = sub.add_parser(
        "calibrate",
        help="fit parameters to Chongqing 2021-2022 (method of simulated moments)",
        description="Fit free parameters so the model's 2021-2022 moments (value-added "
        "growth, R&D intensity, strategic-emerging share, high-tech count growth, energy "
        "intensity, park share) match the observed ones in scenarios/data. Distance: "
        "squared gaps over squared tolerances, simulated moments averaged over common "
        "seeds; minimised by differential evolution.",
    )
    p.add_argument("--scenario", default="baseline", metavar="NAME_OR_PATH",
                   help="scenario whose other parameters stay fixed (default: baseline)")
    p.add_argument(
        "--free",
        metavar="KEY[=LO:HI],...",
        help="parameters to fit, comma-separated; range default: 0.5x to 2x the current "
        f"value within the schema range (default: {','.join(DEFAULT_FREE)})",
    )
    p.add_argument("--budget", type=positive_int, default=448, metavar="N",
                   help="most evaluations of the distance; each runs the model once per "
                   "seed (default 448)")
    p.add_argument("--seeds", type=positive_int, default=5, metavar="K",
                   help="common-random-number seeds per evaluation (default 5)")
    p.add_argument("--seed", type=non_negative_int, default=0,
                   help="root seed of the model seeds and the optimiser (default 0)")
    p.add_argument("--precision-seeds", type=positive_int, default=PRECISION_SEEDS, metavar="N",
                   help="seeds of the standard errors and identification check at the fitted "
                   f"values, the fit's seeds first (default {PRECISION_SEEDS})")
    p.add_argument("--popsize", type=positive_int, default=POPSIZE, metavar="P",
                   help=f"candidates per generation per free parameter (default {POPSIZE})")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="fix a parameter of the scenario during the fit, e.g. "
                   "--set population.enterprises=1000 (repeatable)")
    add_executor_options(p)
    p.add_argument("--out", type=Path, default=Path("results"),
                   help="parent folder of the results folder (default: results)")
    p.add_argument("--write-scenario", type=Path, metavar="PATH",
                   help="also write a scenario file (extends the scenario, holds the fitted "
                   "values) that loads with load_scenario(PATH)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run_calibrate)


def _check_scenario_path(path: Path | None) -> None:
    if path is None:
        return
    if path.suffix != ".toml":
        raise UsageError(f"calibrate: --write-scenario {path}: allowed: a path ending in .toml")
    check_file_target(path, "calibrate: --write-scenario")


def run_calibrate(args: argparse.Namespace) -> int:
    """Fit, write the results folder (and the scenario file), print the moments table."""
    fixed = parse_overrides(args.set)
    base = load_scenario(args.scenario, overrides=fixed)
    free = free_parameters(args.free, base)
    pop = population_size(len(free), args.popsize)
    if args.budget < pop:
        raise UsageError(f"calibrate: --budget {args.budget}: less than one population ({pop} "
                         f"= {args.popsize} x {len(free)} free parameters); allowed: at least "
                         f"{pop}")
    _check_scenario_path(args.write_scenario)
    check_out_dir(args.out)
    check_runs(args.budget * args.seeds, len(free), f"calibrate: --budget {args.budget}",
               f"{args.budget:,} evaluations x {args.seeds} seeds", args.max_runs)
    # piped or redirected output gets room for the moments table instead of 80 columns
    console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 120)
    serial = args.workers == 1 and args.scheduler is None
    pool = None if serial else connect("calibrate", args.workers, args.scheduler,
                                       args.oversubscribe, args.timeout)
    where = "this process" if pool is None else pool.describe()
    generations = args.budget // pop
    planned = generations * pop
    console.print(f"calibrating {len(free)} parameters of [bold]{base.name}[/bold]: "
                  f"{planned} evaluations ({generations} generations of {pop} candidates"
                  + (f"; budget {args.budget}" if planned != args.budget else "")
                  + f") x {args.seeds} seeds, then standard errors ({2 * len(free) + 1} points "
                  f"x {max(args.seeds, args.precision_seeds)} seeds) on {where}",
                  highlight=False)
    started = time.time()
    t0 = time.perf_counter()
    try:
        with progress_bar(console, "calibrate", planned, quiet=args.quiet,
                          unit="evaluations") as update:
            cal = calibrate(base, free, args.budget, seeds=args.seeds, seed=args.seed,
                            popsize=args.popsize, pool=pool, on_batch=update,
                            precision_seeds=args.precision_seeds)
    finally:
        if pool is not None:
            pool.close(wait=False)
    wall = time.perf_counter() - t0
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
    with ResultsFolder(args.out, f"calibrate-{base.name}-{stamp}") as folder:
        files = write_report(cal, folder.path, base.name,
                             extends_for(args.scenario, folder.path / "fitted.toml"), fixed,
                             scenario=args.scenario)
        write_json(folder.path / "manifest.json", manifest(
            kind="calibrate", scenario=to_toml_dict(base), overrides=fixed,
            free=[vars(p) for p in free], fitted=cal.fitted, seeds=cal.seeds,
            distance_start=cal.start_distance, distance_fitted=cal.fitted_distance,
            moments=cal.table().to_dict(orient="records"), settings=cal.settings,
            standard_errors=cal.precision.table().to_dict(orient="records"),
            identification_flags=cal.precision.flags(),
            reproduce=reproduce_command(cal, args.scenario, fixed),
            executor="serial" if pool is None else pool.kind,
            workers=1 if pool is None else pool.workers, wall_time_s=round(wall, 3),
            files={k: v.name for k, v in files.items()}))
    if args.write_scenario is not None:
        text = scenario_text(cal, extends_for(args.scenario, args.write_scenario), fixed,
                             name=args.write_scenario.stem, scenario=args.scenario)
        args.write_scenario.write_text(text, encoding="utf-8")
    console.print(_moments_table(cal))
    console.print(f"distance J: start {cal.start_distance:.3g}, fitted {cal.fitted_distance:.3g}"
                  f" ({cal.settings['evaluations']} evaluations in {wall:.1f} s)", highlight=False)
    for note in (distance_note(cal), stop_note(cal)):
        if note:
            console.print(f"  note: {note}", highlight=False)
    console.print(_precision_table(cal.precision))
    for flag in cal.precision.flags():
        console.print(f"  note: {flag}", highlight=False)
    console.print(f"results in {folder.final}")
    if args.write_scenario is not None:
        console.print(f"scenario: {args.write_scenario}")
    return 0


def _precision_table(pr) -> Table:
    table = Table(title=f"fitted parameters: standard errors and identification ({pr.seeds} "
                  f"seeds; identified: some moment moves with |t| > {pr.critical:.2f})",
                  title_justify="left")
    for col in ("parameter", "fitted", "se", "95% interval", "moves most", "t", "identified"):
        justify = "left" if col in ("parameter", "moves most") else "right"
        table.add_column(col, justify=justify, no_wrap=col == "parameter")
    for _, r in pr.table().iterrows():
        table.add_row(r["parameter"], f"{r['fitted']:.4g}", f"{r['se']:.2g}",
                      f"{r['ci_lo']:.3g} to {r['ci_hi']:.3g}", r["moves_most"],
                      f"{r['t']:.3g}", "yes" if r["identified"] else "no")
    return table


def _moments_table(cal) -> Table:
    table = Table(title="moments: observed against simulated (mean ± sd over seeds)",
                  title_justify="left")
    for col in ("moment", "observed", "tol", "start", "fitted", "inside"):
        if col == "moment":  # names are keys a user looks up: never cut them
            width = max(len(m.name) for m in cal.moments)
            table.add_column(col, no_wrap=True, min_width=width)
        else:
            table.add_column(col, justify="right")
    for _, r in cal.table().iterrows():
        table.add_row(r["moment"], f"{r['observed']:.3g}", f"{r['tolerance']:g}",
                      f"{r['start_mean']:.3g} ± {r['start_sd']:.2g}",
                      f"{r['fitted_mean']:.3g} ± {r['fitted_sd']:.2g}",
                      "yes" if r["fitted_inside"] else "no")
    return table
