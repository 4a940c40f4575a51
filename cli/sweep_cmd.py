"""``run.py sweep``: run a sweep spec (grid or sampled design) into a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from chainshift.cli.main import UsageError, add_out_option
from chainshift.cli.study import add_executor_options, connect, run_study, summary, write_failed
from chainshift.experiments.folders import check_out_dir
from chainshift.experiments.spec import load_spec
from chainshift.experiments.sweep import (
    WorkersFailing,
    WriteFailed,
    env_flush_seconds,
    resume,
    start,
)

HEADLINES = (
    ("innovation_share_2030", "innovation_share_end"),
    ("emission_peak_year",),
    ("value_added_2035", "value_added_end"),
)
"""Outcomes shown in the summary table: the first of each group the runs report."""


def register(sub) -> None:
    """Add the ``sweep`` command."""
    p = sub.add_parser(
        "sweep",
        help="run a parameter sweep from a spec file",
        description="Run every point of a sweep spec (TOML) with replications; "
        "results stream to a folder that --resume can continue.",
    )
    p.add_argument("spec", nargs="?", type=Path, help="sweep spec (TOML); optional with --resume")
    add_executor_options(p)
    add_out_option(p)
    p.add_argument(
        "--resume",
        type=Path,
        metavar="DIR",
        help="continue a results folder: run only the runs it lacks",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=sweep)


def open_study(
    args: argparse.Namespace,
    command: str,
    design: str | None = None,
    kind: str = "sweep",
    spec=None,
):
    """Validate the spec or folder, connect the executor, then make or reopen the folder.

    Everything that can be checked is checked before a worker starts or a file is written:
    the spec and its size, the output folder, CHAINSHIFT_FLUSH_SECONDS, the scheduler.
    A resumed folder is locked (and repaired) before the executor starts.

    ``spec`` is the already loaded (and possibly adjusted) spec of ``args.spec``.
    """
    if args.spec is None and args.resume is None:
        raise UsageError(f"{command}: give a spec file, or --resume DIR to continue a sweep")
    env_flush_seconds()
    if spec is None and args.spec is not None:
        spec = load_spec(args.spec, max_runs=args.max_runs)
    if args.resume is not None:
        study = resume(args.resume, spec, max_runs=args.max_runs)
        try:
            return study, connect(command, args.workers, args.scheduler, args.oversubscribe,
                                  args.timeout)
        except BaseException:
            study.close()
            raise
    check_out_dir(args.out)
    pool = connect(command, args.workers, args.scheduler, args.oversubscribe, args.timeout)
    try:
        return start(spec, args.out, design=design, kind=kind, max_runs=args.max_runs), pool
    except BaseException:
        pool.close(wait=False)
        raise


def headline_table(runs: pd.DataFrame, keys: list[str], limit: int = 20) -> Table | None:
    """Mean headline outcomes per design point (for up to ``limit`` points)."""
    if runs.empty or runs["point"].nunique() > limit:
        return None
    shown = [
        next(c for c in group if c in runs) for group in HEADLINES if any(c in runs for c in group)
    ]
    table = Table(title="mean over replications", title_justify="left")
    for k in [*keys, *shown]:
        table.add_column(k.replace("_", " ").replace(".", ". "), justify="right", overflow="fold")
    means = runs.groupby("point")[[*keys, *shown]].mean()
    for _, row in means.iterrows():
        table.add_row(*[f"{row[k]:g}" for k in keys], *[f"{row[c]:.1f}" for c in shown])
    return table


def sweep(args: argparse.Namespace) -> int:
    """Run (or resume) a sweep and print a summary."""
    study, pool = open_study(args, "sweep")
    console = Console(soft_wrap=True)
    try:
        report = run_study(study, pool, console, quiet=args.quiet)
    except WorkersFailing as err:
        console.print(f"error: {err}; continue with: python run.py sweep --resume {study.folder}")
        return 1
    except WriteFailed as err:
        raise write_failed(err, "sweep") from None
    finally:
        study.close()
    table = headline_table(pd.read_parquet(report.folder / "runs.parquet"), study.spec.keys)
    if table is not None and report.status != "interrupted":
        console.print(table)
    return summary(console, report, "sweep")
