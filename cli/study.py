"""Terminal side of the experiment commands: executor and limit options, progress bar,
summaries.
"""

from __future__ import annotations

import contextlib
import sys
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

from chainshift.cli.main import UsageError, positive_int, seconds
from chainshift.experiments.executors import CONNECT_TIMEOUT_S, Pool, default_workers, open_pool
from chainshift.experiments.limits import MAX_RUNS
from chainshift.experiments.sweep import Report, Study, WriteFailed


def add_executor_options(p) -> None:
    """--workers, --oversubscribe, --scheduler, --timeout and --max-runs, shared by sweep,
    sensitivity, compare and calibrate.
    """
    p.add_argument("--workers", type=positive_int, metavar="N",
                   help="local worker processes (default: the available cores; more than the "
                   "cores only with --oversubscribe)")
    p.add_argument("--oversubscribe", action="store_true",
                   help="start --workers N processes even if N is above the available cores")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster instead, e.g. tcp://host:8786")
    p.add_argument("--timeout", type=seconds, default=CONNECT_TIMEOUT_S, metavar="S",
                   help="seconds a Dask scheduler has to answer (default "
                   f"{CONNECT_TIMEOUT_S:g})")
    p.add_argument("--max-runs", type=positive_int, default=MAX_RUNS, metavar="N",
                   help=f"refuse studies planning more runs (default {MAX_RUNS:,})")


def worker_count(command: str, workers: int | None, oversubscribe: bool) -> int | None:
    """``--workers``, capped at the available cores unless ``--oversubscribe`` (with a notice)."""
    cores = default_workers()
    if workers is None or workers <= cores or oversubscribe:
        return workers
    print(f"notice: {command}: --workers {workers}: using {cores}, the cores available (add "
          f"--oversubscribe to start {workers})", file=sys.stderr, flush=True)
    return cores


def connect(command: str, workers: int | None, scheduler: str | None,
            oversubscribe: bool = False, timeout: float = CONNECT_TIMEOUT_S) -> Pool:
    """Open the executor, turning an unreachable scheduler into a one-line usage error."""
    if scheduler is not None and workers is not None:
        raise UsageError(f"{command}: --workers applies to local processes; a Dask cluster has "
                         "its own workers (give one of --workers, --scheduler)")
    try:
        return open_pool(worker_count(command, workers, oversubscribe), scheduler, timeout)
    except ModuleNotFoundError:
        raise UsageError(f"{command}: --scheduler needs Dask; install it with: "
                         "pip install -e '.[experiments]'") from None
    except ValueError as err:
        raise UsageError(f"{command}: --scheduler {scheduler}: {err}") from None
    except (OSError, TypeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UsageError(f"{command}: --scheduler {scheduler}: cannot connect ({reason})") from None


@contextlib.contextmanager
def progress_bar(console: Console, description: str, total: int, completed: int = 0,
                 quiet: bool = False, unit: str = "runs") -> Iterator:
    """A rich progress bar with ETA; yields a function ``update(finished, failed)``."""
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn(unit), TextColumn("{task.fields[failed]}"), TimeElapsedColumn(),
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
                  + (f"{todo} to run on {pool.describe()}" if todo else "nothing left to run"))
    console.print(f"results: {study.folder}")
    for note in study.notes:
        console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    if todo and study.code_changed():
        console.print("[yellow]warning:[/yellow] the model code changed since this folder was "
                      "started; its runs will mix results of two versions (start a new study "
                      "to avoid that)")
    report = None
    try:
        with progress_bar(console, study.spec.name, total, total - todo, quiet or not todo) \
                as update:
            report = study.run(pool, on_progress=lambda p: update(p.finished, p.failed))
    finally:
        pool.close(wait=report is not None and report.status != "interrupted")
    return report


def resume_command(command: str, folder: Path) -> str:
    """The command that continues a results folder."""
    return f"python run.py {command} --resume {folder}"


def write_failed(err: WriteFailed, command: str) -> UsageError:
    """The one line for a results folder that could not be written (a full disk, say)."""
    return UsageError(f"{command}: {err}; the {err.kept} finished runs already written are "
                      f"kept; make room, then continue with: "
                      f"{resume_command(command, err.folder)}")


def summary(console: Console, report: Report, command: str) -> int:
    """Print what happened and how to continue; returns the exit code."""
    if report.ran:
        rate = report.ran / report.wall_s if report.wall_s > 0 else 0.0
        console.print(f"{report.finished}/{report.total} runs finished, {report.failed} failed; "
                      f"{report.ran} ran in {report.wall_s:.1f} s ({rate:.1f} runs/s)")
    else:
        console.print(f"{report.finished}/{report.total} runs finished, {report.failed} failed; "
                      "nothing was left to run")
    for line in report.errors[:5]:
        console.print(f"[red]failed[/red] {line}", highlight=False)
    if len(report.errors) > 5:
        console.print(f"... {len(report.errors) - 5} more in {report.folder / 'errors.jsonl'}")
    resume = resume_command(command, report.folder)
    if report.status == "interrupted":
        how = f" ({report.signal})" if report.signal else ""
        console.print(f"interrupted{how}: finished runs are kept; continue with: {resume}")
        return 143 if report.signal == "SIGTERM" else 130
    if report.failed:
        console.print(f"failures are in {Path(report.folder) / 'errors.jsonl'}; "
                      f"retry them with: {resume}")
        return 1
    return 0
