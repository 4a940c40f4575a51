"""Run a planned study through an executor, streaming results into a results folder.

:func:`start` makes a folder for a spec and :func:`resume` reopens one; both return a
:class:`Study`, whose :meth:`Study.run` executes the runs that have no results yet.

Faults: a run that raises is recorded in errors.jsonl and the rest go on; Ctrl-C or SIGTERM
(or ``stop_after``) stops submitting, lets running runs finish and keeps them; when a local
worker process dies the pool is recreated and the runs it took down are retried once, one at a
time, so a run that kills its worker again is the only one recorded as failed. When the folder
cannot be written (a full disk), the session stops with :class:`WriteFailed`; every batch
written before is kept and a resume continues from there.

A study holds its folder's lock (:class:`experiments.folders.FolderLock`) from
:func:`start` or :func:`resume` until :meth:`Study.close`, so a second process cannot resume
the same folder at the same time.
"""

from __future__ import annotations

import math
import os
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from chainshift.experiments.design import plan
from chainshift.experiments.executors import Pool
from chainshift.experiments.folders import FolderError, FolderLock, reserve_folder
from chainshift.experiments.limits import MAX_RUNS
from chainshift.experiments.runner import Job, RunResult, execute
from chainshift.experiments.spec import SweepSpec, check_size, load_spec
from chainshift.experiments.store import Store, code_fingerprint
from chainshift.scenarios.loader import ScenarioError

FLUSH_RUNS = 256
"""Finished runs kept in memory before they are written as a batch."""

FLUSH_SECONDS = 10.0
"""Longest time finished runs wait in memory before they are written (environment variable
CHAINSHIFT_FLUSH_SECONDS; Ctrl-C writes them at once, only a hard kill loses them)."""

FLUSH_RANGE = (0.05, 3600.0)
"""Allowed values of CHAINSHIFT_FLUSH_SECONDS."""


def env_flush_seconds() -> float:
    """CHAINSHIFT_FLUSH_SECONDS, checked (default :data:`FLUSH_SECONDS`).

    Raises:
        ScenarioError: one line when the variable is not a number of seconds in range.
    """
    text = os.environ.get("CHAINSHIFT_FLUSH_SECONDS")
    if text is None or not text.strip():
        return FLUSH_SECONDS
    lo, hi = FLUSH_RANGE
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not lo <= value <= hi:  # also refuses nan and inf
        raise ScenarioError(f"environment variable CHAINSHIFT_FLUSH_SECONDS={text}: not a number "
                            f"of seconds from {lo:g} to {hi:g}; allowed: e.g. 10 (or unset it)")
    return value

WORKER_DIED = "WorkerDied: the worker process running this run died twice"

MAX_BREAKS = 3
"""Pool breakdowns in a row, with no run finishing in between, before the sweep gives up."""


class WorkersFailing(RuntimeError):
    """Worker processes keep dying before any run finishes (e.g. they cannot start)."""


class WriteFailed(Exception):
    """The results folder could not be written (disk full, read-only, ...).

    Attributes:
        folder: the results folder.
        kept: finished runs written before the failure (all kept).
        error: the OSError.
    """

    def __init__(self, folder: Path, kept: int, error: OSError) -> None:
        where = f"{error.filename}: " if error.filename else ""
        super().__init__(f"cannot write {where}{error.strerror or error}")
        self.folder = folder
        self.kept = kept
        self.error = error


@dataclass
class Progress:
    """Counts passed to the progress callback after every finished run.

    Attributes:
        total: runs in the plan.
        finished: runs with results (including earlier sessions).
        failed: runs that raised in this session.
        last: the latest result.
    """

    total: int
    finished: int
    failed: int
    last: RunResult | None = None


@dataclass
class Report:
    """What a session did.

    Attributes:
        folder: the results folder.
        total: runs in the plan.
        finished: runs with results in the folder.
        failed: runs without results after this session (see errors.jsonl).
        ran: runs executed in this session (finished or failed).
        status: ``complete``, ``incomplete`` (some runs failed) or ``interrupted``.
        wall_s: duration of the session.
        run_s: summed run times in the workers.
        errors: one line per failed run.
        signal: "SIGTERM" when a terminate signal stopped the session, else "".
    """

    folder: Path
    total: int
    finished: int
    failed: int
    ran: int
    status: str
    wall_s: float
    run_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    signal: str = ""


class Study:
    """A spec, its plan and its results folder.

    Attributes:
        spec: the validated spec.
        design: the design actually used (``sensitivity --method`` may override the spec's).
        jobs: every planned run.
        store: the results folder.
        kind: ``sweep`` or ``sensitivity`` (recorded in the manifest).
        lock: the folder's lock, held until :meth:`close`.
        notes: what opening the folder found and repaired (damaged parts moved aside).
    """

    def __init__(self, spec: SweepSpec, design: str, jobs: list[Job], store: Store,
                 kind: str, lock: FolderLock | None = None) -> None:
        self.spec = spec
        self.design = design
        self.jobs = jobs
        self.store = store
        self.kind = kind
        self.lock = lock

    @property
    def notes(self) -> list[str]:
        """What opening the folder found and repaired."""
        return self.store.notes

    def close(self) -> None:
        """Release the folder's lock (the study can no longer run)."""
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> Study:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def folder(self) -> Path:
        """The results folder."""
        return self.store.path

    def code_changed(self) -> bool:
        """True if the model's code differs from the code the folder's first runs used."""
        first = self.store.read_manifest().get("code")
        return first is not None and first != code_fingerprint()

    def missing(self) -> list[Job]:
        """Jobs without results yet, in run order."""
        done = self.store.finished_ids()
        return [j for j in self.jobs if j.run_id not in done]

    def run(self, pool: Pool, on_progress: Callable[[Progress], None] | None = None,
            stop_after: int | None = None, flush_runs: int = FLUSH_RUNS,
            flush_seconds: float | None = None) -> Report:
        """Execute the missing runs and consolidate the folder.

        Args:
            pool: where runs execute (:func:`experiments.executors.open_pool`).
            on_progress: called after each finished run.
            stop_after: stop as Ctrl-C would once this many runs finished in this session
                (lets tests interrupt a sweep at a known point).
            flush_runs: finished runs buffered before a batch is written.
            flush_seconds: longest a finished run waits in the buffer (default: the
                environment variable CHAINSHIFT_FLUSH_SECONDS, else 10).

        Returns:
            The session's :class:`Report`; ``status`` is ``interrupted`` after Ctrl-C or
            SIGTERM.

        Raises:
            WriteFailed: the folder could not be written; what was written before is kept.
            WorkersFailing: worker processes keep dying.
        """
        if self.lock is not None:
            self.lock.acquire()
        flush_s = flush_seconds if flush_seconds is not None else env_flush_seconds()
        session = {"id": uuid.uuid4().hex[:12], "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                   "executor": pool.kind, "workers": pool.workers, "address": pool.address,
                   "code": code_fingerprint(), "status": "running"}
        try:
            self._manifest(session)
        except OSError as err:
            raise WriteFailed(self.folder, len(self.store.finished_ids()), err) from None
        loop = _Loop(self.store, pool, self.missing(), len(self.jobs), on_progress, stop_after,
                     flush_runs, flush_s)
        t0 = time.perf_counter()
        interrupted = None  # stays None if the loop raises (WorkersFailing, WriteFailed)
        failure: OSError | None = None
        try:
            interrupted = loop.run()
        except _DiskError as err:
            failure = err.error
        finally:
            wall = time.perf_counter() - t0
            try:
                runs = self.store.consolidate()
                errors = self.store.errors()
                status = ("stopped" if interrupted is None else "interrupted" if interrupted
                          else "incomplete" if errors else "complete")
                session.update(finished=time.strftime("%Y-%m-%dT%H:%M:%S%z"), status=status,
                               runs_ran=loop.ran, wall_time_s=round(wall, 3),
                               run_time_s=round(loop.run_s, 3))
                if loop.signal:
                    session["signal"] = loop.signal
                self._manifest(session, status=status, finished_runs=len(runs),
                               failed_runs=len(errors))
            except OSError as err:
                failure = failure or err
        if failure is not None:
            raise WriteFailed(self.folder, len(self.store.finished_ids()), failure)
        return Report(self.folder, len(self.jobs), len(runs), len(errors), loop.ran, status,
                      wall, loop.run_s, [f"run {e['run_id']}: {e['error']}" for e in errors],
                      loop.signal)

    def _manifest(self, session: dict, **fields) -> None:
        s = self.spec
        static = dict(kind=self.kind, name=s.name, spec_file=s.source, spec=s.raw,
                      scenario=s.scenario, design=self.design, parameters=s.keys, fixed=s.fixed,
                      replications=s.replications, seed=s.seed, quarters=s.quarters,
                      planned_runs=len(self.jobs), code=session["code"])
        self.store.write_manifest(session, static, executor=session["executor"],
                                  workers=session["workers"], **fields)


class _DiskError(Exception):
    """A batch could not be written; carries the OSError."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _Loop:
    """The submit / collect / flush loop of one session."""

    def __init__(self, store: Store, pool: Pool, todo: list[Job], total: int, on_progress,
                 stop_after, flush_runs: int, flush_seconds: float) -> None:
        self.store = store
        self.pool = pool
        self.pending = deque(todo)
        self.retry: deque[Job] = deque()
        self.retried: set[int] = set()
        self.inflight: dict[Future, Job] = {}
        self.buffer: list[RunResult] = []
        self.window = 2 * pool.workers
        self.total = total
        self.finished = total - len(todo)
        self.failed = 0
        self.ran = 0
        self.run_s = 0.0
        self.on_progress = on_progress
        self.stop_after = stop_after
        self.flush_runs = flush_runs
        self.flush_seconds = flush_seconds
        self.last_flush = time.monotonic()
        self.breaks = 0
        self.signal = ""
        self.write_error = False

    def run(self) -> bool:
        """Run until every job is done or a stop; True if stopped early."""
        try:
            while self.pending or self.retry or self.inflight:
                if self.stop_after is not None and self.ran >= self.stop_after:
                    raise KeyboardInterrupt
                self._submit()
                done, _ = wait(list(self.inflight), timeout=self.flush_seconds,
                               return_when=FIRST_COMPLETED)
                self._collect(done)
                self._flush()
            return False
        except KeyboardInterrupt as stop:
            self.signal = getattr(stop, "signal_name", "")
            self._drain()
            return True
        except _DiskError:
            for fut in self.inflight:  # nothing more can be written: stop at once
                fut.cancel()
            raise
        finally:
            if not self.write_error:
                self._flush(force=True)

    def _submit(self) -> None:
        if self.retry:
            if not self.inflight:  # suspects of a worker crash run alone
                job = self.retry.popleft()
                self.inflight[self.pool.executor.submit(execute, job)] = job
            return
        while self.pending and len(self.inflight) < self.window:
            job = self.pending.popleft()
            self.inflight[self.pool.executor.submit(execute, job)] = job

    def _collect(self, done) -> None:
        broken = []
        for fut in done:
            job = self.inflight.pop(fut)
            try:
                result = fut.result()
            except CancelledError:
                continue
            except BrokenProcessPool:
                broken.append(job)
                continue
            except Exception as err:  # e.g. Dask's KilledWorker: the run is lost
                result = _failure(job, f"{type(err).__name__}: {err}")
            self._record(result)
        if broken:
            self._recover(broken)

    def _recover(self, broken: list[Job]) -> None:
        """A worker died: collect the rest, recreate the pool, retry suspects once each."""
        rest, _ = wait(list(self.inflight))
        for fut in rest:
            job = self.inflight.pop(fut)
            if fut.exception() is None:
                self._record(fut.result())
            else:
                broken.append(job)
        self.breaks += 1
        if self.breaks >= MAX_BREAKS:
            raise WorkersFailing(f"worker processes died {self.breaks} times in a row without "
                                 "finishing a run; finished runs are kept")
        self.pool.restart()
        for job in sorted(broken, key=lambda j: j.run_id):
            if job.run_id in self.retried:
                self._record(_failure(job, WORKER_DIED))
            else:
                self.retried.add(job.run_id)
                self.retry.append(job)

    def _record(self, result: RunResult) -> None:
        self.ran += 1
        self.run_s += result.wall_s
        if result.ok:
            self.breaks = 0
            self.finished += 1
            self.buffer.append(result)
        else:
            self.failed += 1
            self.store.record_error(result)
        if self.on_progress is not None:
            self.on_progress(Progress(self.total, self.finished, self.failed, result))

    def _flush(self, force: bool = False) -> None:
        """Write the buffer when it is full, old enough, or ``force``d."""
        now = time.monotonic()
        if not self.buffer:
            self.last_flush = now
        elif force or len(self.buffer) >= self.flush_runs or \
                now - self.last_flush >= self.flush_seconds:
            try:
                self.store.write_batch(self.buffer)
            except OSError as err:
                self.write_error = True
                self.buffer = []  # these runs were not written; a resume runs them again
                raise _DiskError(err) from None
            self.buffer = []
            self.last_flush = now

    def _drain(self) -> None:
        """After a stop: cancel what has not started, keep what finishes; Ctrl-C again abandons."""
        for fut in self.inflight:
            fut.cancel()
        try:
            done, _ = wait(list(self.inflight))
            for fut in done:
                self.inflight.pop(fut)
                if fut.cancelled():
                    continue
                try:
                    self._record(fut.result())
                except Exception:  # a run lost to the stop runs again on resume
                    continue
        except KeyboardInterrupt:
            pass


def _failure(job: Job, message: str) -> RunResult:
    return RunResult(job, error=message, traceback=message)


def start(spec: SweepSpec, out: Path, design: str | None = None, kind: str = "sweep",
          fault=None, max_runs: int | None = MAX_RUNS) -> Study:
    """Plan a study and make its results folder ``out/<name>-<time>``.

    Args:
        spec: the validated spec.
        out: parent folder of results folders.
        design: override the spec's design (``sensitivity --method``).
        kind: ``sweep`` or ``sensitivity``.
        fault: optional test hook (:mod:`experiments.faults`).
        max_runs: most runs the plan may hold (:mod:`experiments.limits`).

    Raises:
        ScenarioError: when the design plans more runs than allowed.
    """
    design = design or spec.design
    check_size(spec, design, max_runs)
    jobs = plan(spec, design, fault=fault)
    folder = reserve_folder(Path(out), f"{spec.name}-{time.strftime('%Y%m%d-%H%M%S')}")
    lock = FolderLock(folder).acquire()
    return Study(spec, design, jobs, Store.create(folder, spec, design, jobs), kind, lock)


def resume(folder: Path, spec: SweepSpec | None = None, fault=None,
           max_runs: int | None = MAX_RUNS) -> Study:
    """Reopen a results folder to run what is missing, taking its lock.

    Args:
        folder: a folder made by :func:`start`.
        spec: if given, must plan the same runs as the folder's own spec.
        fault: optional test hook (:mod:`experiments.faults`).
        max_runs: most runs the folder's plan may hold.

    Raises:
        ScenarioError: when the folder is not a sweep results folder, is damaged beyond
            repair, is in use by another process (:class:`experiments.folders.FolderBusy`),
            or the spec differs.
    """
    folder = Path(folder)
    stored = folder / "spec.toml"
    if not folder.is_dir() or not stored.is_file() or not (folder / "plan.parquet").exists():
        raise FolderError(f"{folder}: not a sweep results folder (no spec.toml and "
                          "plan.parquet); --resume takes a folder made by sweep or sensitivity")
    lock = FolderLock(folder).acquire()
    try:
        own = load_spec(stored, max_runs=max_runs)
        design = own.design
        jobs = plan(own, design, fault=fault)
        if spec is not None:
            theirs = [(j.seed, j.overrides) for j in plan(spec, design)]
            if spec.quarters != own.quarters or theirs != [(j.seed, j.overrides) for j in jobs] \
                    or spec.base != own.base:
                raise ScenarioError(f"{spec.source}: differs from the spec {folder} was made "
                                    f"with; resume with: --resume {folder} (without a spec)")
        kind = Store(folder, own.keys).read_manifest().get("kind", "sweep")
        store = Store.open(folder, own.keys, jobs, own.quarters)
    except BaseException:
        lock.release()
        raise
    return Study(own, design, jobs, store, kind, lock)
