"""``run.py sensitivity``: Sobol' or Morris global sensitivity of one outcome (SALib)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from chainshift.cli.main import add_out_option, positive_int
from chainshift.cli.study import add_executor_options, run_study, summary, write_failed
from chainshift.cli.sweep_cmd import open_study
from chainshift.experiments.columns import Dictionary, described
from chainshift.experiments.provenance import write_json
from chainshift.experiments.sensitivity import (
    INDEX_COLUMNS,
    METHODS,
    analyze,
    chart,
    check_method,
    check_output,
    ranking_notes,
    with_samples,
)
from chainshift.experiments.spec import check_size, load_spec
from chainshift.experiments.sweep import WorkersFailing, WriteFailed
from chainshift.scenarios.loader import ScenarioError


def register(sub) -> None:
    """Add the ``sensitivity`` command."""
    p = sub.add_parser(
        "sensitivity",
        help="global sensitivity of an outcome (Sobol', Morris)",
        description="Sample the spec's parameter ranges with SALib, run every "
        "sample, and rank the parameters by their effect on one outcome.",
    )
    p.add_argument(
        "spec", nargs="?", type=Path, help="sweep spec (TOML) with ranges; optional with --resume"
    )
    p.add_argument(
        "--method",
        choices=METHODS,
        help="sobol (first and total order) or morris (screening); default: the spec's design",
    )
    p.add_argument(
        "--samples",
        type=positive_int,
        metavar="N",
        help="Morris trajectories or Sobol' base samples (default: the spec's)",
    )
    p.add_argument(
        "--output",
        default="innovation_share_2030",
        metavar="OUTCOME",
        help="run outcome to analyse (default: innovation_share_2030)",
    )
    add_executor_options(p)
    add_out_option(p)
    p.add_argument(
        "--resume",
        type=Path,
        metavar="DIR",
        help="continue a results folder (or analyse another output of a finished one)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=sensitivity)


def ranked_table(table: pd.DataFrame, method: str, output: str) -> Table:
    """The indices as a rich table, most influential first."""
    out = Table(
        title=f"{'Sobol' if method == 'sobol' else 'Morris'} sensitivity of {output}",
        title_justify="left",
    )
    out.add_column("rank", justify="right")
    out.add_column("parameter")
    cols = (
        (("S1", "S1_conf"), ("ST", "ST_conf"))
        if method == "sobol"
        else (("mu_star", "mu_star_conf"), ("sigma", None))
    )
    for name, conf in cols:
        out.add_column(name + (" (95% CI)" if conf else ""), justify="right")
    out.add_column("tier", justify="right")
    for i, row in table.iterrows():
        cells = [f"{row[n]:.3g}" + (f" ± {row[c]:.2g}" if c else "") for n, c in cols]
        out.add_row(str(i + 1), row["parameter"], *cells, str(row["tier"]))
    return out


def _check(args: argparse.Namespace):
    """Validate spec, method, samples and output before anything runs.

    Returns:
        (the spec of ``args.spec`` with ``--samples`` applied, or None; the method)
    """
    if args.spec is None and args.resume is None:
        return None, None  # open_study reports it
    if args.resume is not None:
        stored = args.resume / "spec.toml"
        if not stored.exists():
            return None, None  # resume reports it
        own = load_spec(stored, max_runs=args.max_runs)
        if own.design not in METHODS:
            raise ScenarioError(
                f"--resume {args.resume}: a {own.design} design, not a sensitivity sample; "
                f"allowed: a folder sampled for {' or '.join(METHODS)} (made by sensitivity, "
                "or by a sweep with that design)"
            )
        if args.method and args.method != own.design:
            raise ScenarioError(
                f"--method {args.method}: {args.resume} was sampled for "
                f"{own.design}; allowed: --method {own.design}"
            )
        if args.samples is not None and args.samples != own.samples:
            raise ScenarioError(
                f"--samples {args.samples}: {args.resume} was sampled with "
                f"{own.samples}; start a new study to change it"
            )
        check_output(own, args.output)
    spec = (with_samples(load_spec(args.spec, max_runs=args.max_runs), args.samples)
            if args.spec is not None else None)
    if spec is None:
        return None, own.design
    method = check_method(spec, args.method)
    check_size(spec, method, args.max_runs)
    check_output(spec, args.output)
    return spec, method


def sensitivity(args: argparse.Namespace) -> int:
    """Run the samples (or resume them), then analyse and report."""
    spec, method = _check(args)
    study, pool = open_study(args, "sensitivity", design=method, kind="sensitivity", spec=spec)
    with study:
        return _run_and_analyse(args, study, pool)


def _run_and_analyse(args: argparse.Namespace, study, pool) -> int:
    console = Console(soft_wrap=True)
    try:
        report = run_study(study, pool, console, quiet=args.quiet)
    except WorkersFailing as err:
        console.print(
            f"error: {err}; continue with: python run.py sensitivity --resume {study.folder}"
        )
        return 1
    except WriteFailed as err:
        raise write_failed(err, "sensitivity") from None
    code = summary(console, report, "sensitivity")
    if code:
        return code
    runs = pd.read_parquet(report.folder / "runs.parquet")
    table = analyze(study.spec, study.design, runs, args.output)
    stem = f"sensitivity-{args.output}"
    table.to_csv(report.folder / f"{stem}.csv", index=False)
    dictionary = Dictionary.read(report.folder)
    dictionary.add(f"{stem}.csv", described(table, INDEX_COLUMNS.get))
    dictionary.write(report.folder)
    png = chart(table, study.design, args.output, report.folder / f"{stem}.png")
    notes = ranking_notes(table, study.design)
    manifest = study.store.read_manifest()
    manifest.setdefault("analyses", {})[args.output] = {
        "method": study.design,
        "table": f"{stem}.csv",
        "chart": png.name,
        "indices": table.to_dict(orient="records"),
        "notes": notes,
    }
    write_json(study.store.manifest_path, manifest)
    console.print(ranked_table(table, study.design, args.output))
    for note in notes:
        console.print(f"note: {note}", highlight=False)
    console.print(f"indices: {report.folder / (stem + '.csv')}\nchart:   {png}")
    return 0
