"""Where runs execute: local worker processes, or a Dask distributed cluster.

Both are ``concurrent.futures.Executor`` objects, so the sweep loop does not care which.
Local workers are started with the ``spawn`` method (no state inherited from the parent) and
ignore Ctrl-C, which the parent handles: it stops submitting, lets running runs finish and
keeps them. A worker also watches its parent: once the parent is gone (killed, even with
SIGKILL) the worker exits within :data:`ORPHAN_CHECK_S` seconds instead of finishing its run.

A Dask scheduler must answer the connection handshake within the timeout: a server that
accepts the connection but never answers is given up on, as is one that cannot be reached.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import re
import signal
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field

ORPHAN_CHECK_S = 0.5
"""How often a worker checks that its parent is still alive."""

CONNECT_TIMEOUT_S = 10.0
"""Longest wait for a Dask scheduler to accept the connection and answer its handshake."""


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(ORPHAN_CHECK_S)
        if os.getppid() != parent:  # re-parented: the sweep process has died
            os._exit(1)


def _worker_init(parent: int) -> None:
    """Worker initializer: Ctrl-C is the parent's business; exit when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="chainshift-parent-watch").start()


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
                               initializer=_worker_init, initargs=(os.getpid(),))


_ADDRESS = re.compile(r"(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[^\]]*\]|[^:/\[\]]+)"
                      r"(?::(?P<port>[^/]*))?/?")


def check_address(address: str) -> None:
    """Raise ValueError (one line) unless ``address`` looks like ``tcp://host:port``."""
    m = _ADDRESS.fullmatch(address.strip())
    if not m:
        raise ValueError("not an address; allowed: tcp://host:port, e.g. tcp://10.0.0.5:8786")
    if m["scheme"] not in (None, "tcp", "tls", "ws", "wss", "ucx"):
        raise ValueError(f"unknown protocol '{m['scheme']}'; allowed: tcp://host:port (or tls, "
                         "ws, wss, ucx)")
    port = m["port"]
    if port is not None and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"port '{port}' is not a port; allowed: tcp://host:port with port 1 "
                         "to 65535")


async def _handshake(address: str, timeout: float) -> None:
    from distributed.comm import connect

    comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout)
    await comm.close()


def probe_scheduler(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Connect to a Dask scheduler and complete the handshake, all within ``timeout`` seconds.

    Dask's own connect timeout covers opening the connection, not the reply to the
    handshake, so a server that accepts and stays silent would hang the client for ever.

    Raises:
        OSError: unreachable, or no answer within the timeout.
    """
    outcome: list[BaseException | None] = []

    def probe() -> None:
        try:
            asyncio.run(_handshake(address, timeout))
        except BaseException as err:  # handed to the calling thread
            outcome.append(err)
        else:
            outcome.append(None)

    # in a thread of its own: the caller may already run an event loop (a notebook)
    thread = threading.Thread(target=probe, daemon=True, name="chainshift-dask-probe")
    thread.start()
    thread.join(timeout + 5)
    error = outcome[0] if outcome else TimeoutError()
    if isinstance(error, TimeoutError):
        raise OSError(f"no answer within {timeout:g} s; is a Dask scheduler listening "
                      "there?") from None
    if error is not None:
        raise error


def open_pool(workers: int | None = None, scheduler: str | None = None,
              timeout: float = CONNECT_TIMEOUT_S) -> Pool:
    """Open local worker processes, or connect to a Dask scheduler.

    Args:
        workers: local worker processes (default: available cores); ignored with a scheduler.
        scheduler: address of a Dask scheduler, e.g. ``tcp://host:8786``.
        timeout: seconds the scheduler has to accept and answer the connection.

    Raises:
        ValueError: when the address is malformed (e.g. port 99999).
        OSError: when the scheduler cannot be reached or does not answer in time.
    """
    if scheduler is None:
        n = workers or default_workers()
        return Pool(process_executor(n), "processes", n, restartable=True)
    check_address(scheduler)
    from distributed import Client

    probe_scheduler(scheduler, timeout)
    client = Client(scheduler, timeout=f"{timeout}s")
    threads = sum(client.nthreads().values())
    return Pool(client.get_executor(pure=False), "dask", threads, address=scheduler,
                _client=client)
