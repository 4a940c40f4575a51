"""Terminal side of the experiment commands: executor options, progress bar, summaries."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from experiments.executors import Pool, open_pool
from experiments.sweep import Report, Study


def add_executor_options(p) -> None:
    """--workers and --scheduler, shared by sweep, sensitivity and compare."""
    from cli.main import positive_int

    p.add_argument("--workers", type=positive_int, metavar="N",
                   help="local worker processes (default: the available cores)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster instead, e.g. tcp://host:8786")


def connect(command: str, workers: int | None, scheduler: str | None) -> Pool:
    """Open the executor, turning an unreachable scheduler into a one-line usage error."""
    from cli.main import UsageError

    if scheduler is not None and workers is not None:
        raise UsageError(f"{command}: --workers applies to local processes; a Dask cluster has "
                         "its own workers (give one of --workers, --scheduler)")
    try:
        return open_pool(workers, scheduler)
    except ModuleNotFoundError:
        raise UsageError(f"{command}: --scheduler needs Dask; install it with: "
                         "pip install -e '.[experiments]'") from None
    except (OSError, ValueError, TypeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UsageError(f"{command}: --scheduler {scheduler}: cannot connect ({reason})") from None


@contextlib.contextmanager
def progress_bar(console: Console, description: str, total: int, completed: int = 0,
                 quiet: bool = False) -> Iterator:
    """A rich progress bar over runs with ETA; yields a function ``update(finished, failed)``."""
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("runs"), TextColumn("{task.fields[failed]}"), TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False, disable=quiet) as progress:
        task = progress.add_task(description, total=total, completed=completed, failed="")

        def update(finished: int, failed: int = 0) -> None:
            progress.update(task, completed=finished + failed,
                            failed=f"[red]{failed} failed[/red]" if failed else "")

        yield update


def run_study(study: Study, pool: Pool, console: Console, quiet: bool = False) -> Report:
    """Run a study's missing runs with a progress bar, then close the pool."""
    todo = len(study.missing())
    total = len(study.jobs)
    reps = study.spec.replications
    console.print(f"[bold]{study.spec.name}[/bold]: {total} runs planned "
                  f"({total // reps} points x {reps} replication{'s' if reps > 1 else ''}, "
                  f"{study.design} design, {study.spec.quarters} quarters); "
                  f"{todo} to run on {pool.describe()}")
    console.print(f"results: {study.folder}")
    if todo and study.code_changed():
        console.print("[yellow]warning:[/yellow] the model code changed since this folder was "
                      "started; its runs will mix results of two versions (start a new study "
                      "to avoid that)")
    report = None
    try:
        with progress_bar(console, study.spec.name, total, total - todo, quiet) as update:
            report = study.run(pool, on_progress=lambda p: update(p.finished, p.failed))
    finally:
        pool.close(wait=report is not None and report.status != "interrupted")
    return report


def summary(console: Console, report: Report, command: str) -> int:
    """Print what happened and how to continue; returns the exit code."""
    rate = report.ran / report.wall_s if report.wall_s > 0 else 0.0
    console.print(f"{report.finished}/{report.total} runs finished, {report.failed} failed; "
                  f"{report.ran} ran in {report.wall_s:.1f} s ({rate:.1f} runs/s)")
    for line in report.errors[:5]:
        console.print(f"[red]failed[/red] {line}", highlight=False)
    if len(report.errors) > 5:
        console.print(f"... {len(report.errors) - 5} more in {report.folder / 'errors.jsonl'}")
    resume = f"python run.py {command} --resume {report.folder}"
    if report.status == "interrupted":
        console.print(f"interrupted: finished runs are kept; continue with: {resume}")
        return 130
    if report.failed:
        console.print(f"failures are in {Path(report.folder) / 'errors.jsonl'}; "
                      f"retry them with: {resume}")
        return 1
    return 0
