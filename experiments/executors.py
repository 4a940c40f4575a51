"""Where runs execute: local worker processes, or a Dask distributed cluster.

Both are ``concurrent.futures.Executor`` objects, so the sweep loop does not care which.
Local workers are started with the ``spawn`` method (no state inherited from the parent) and
ignore Ctrl-C, which the parent handles: it stops submitting, lets running runs finish and
keeps them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field


def _ignore_sigint() -> None:
    """Worker initializer: Ctrl-C is the parent's business."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


@dataclass
class Pool:
    """An executor and what the manifest should say about it.

    Attributes:
        executor: the ``concurrent.futures.Executor``.
        kind: ``"processes"`` or ``"dask"``.
        workers: worker processes (local) or Dask worker threads in the cluster.
        address: the Dask scheduler address, if any.
        restartable: whether :meth:`restart` can replace a broken pool.
    """

    executor: Executor
    kind: str
    workers: int
    address: str | None = None
    restartable: bool = False
    _client: object = field(default=None, repr=False)

    def describe(self) -> str:
        """One phrase for messages: '2 worker processes' or 'Dask at tcp://...'."""
        if self.kind == "dask":
            return f"Dask cluster at {self.address} ({self.workers} worker threads)"
        return f"{self.workers} worker process{'es' if self.workers != 1 else ''}"

    def restart(self) -> None:
        """Replace a broken process pool by a fresh one."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = process_executor(self.workers)

    def close(self, wait: bool = True) -> None:
        """Shut the executor down (and disconnect from Dask)."""
        if self.kind == "dask":
            self.executor.shutdown(wait=wait)
            self._client.close()
        else:
            self.executor.shutdown(wait=wait, cancel_futures=True)


def process_executor(workers: int) -> ProcessPoolExecutor:
    """A local process pool using the 'spawn' start method."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_ignore_sigint)


def open_pool(workers: int | None = None, scheduler: str | None = None) -> Pool:
    """Open local worker processes, or connect to a Dask scheduler.

    Args:
        workers: local worker processes (default: available cores); ignored with a scheduler.
        scheduler: address of a Dask scheduler, e.g. ``tcp://host:8786``.

    Raises:
        ConnectionError: (OSError) when the scheduler cannot be reached.
    """
    if scheduler is None:
        n = workers or default_workers()
        return Pool(process_executor(n), "processes", n, restartable=True)
    from distributed import Client

    client = Client(scheduler, timeout="10s")
    threads = sum(client.nthreads().values())
    return Pool(client.get_executor(pure=False), "dask", threads, address=scheduler,
                _client=client)
