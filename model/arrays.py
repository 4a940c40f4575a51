"""Small array helpers shared by the phases."""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def ratio_or_zero(num: np.ndarray, den: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``num / den`` where ``den > 0``, 0 elsewhere (no warnings).

    The same numbers as ``np.divide(num, den, out=zeros, where=den > 0)``; when every ``den``
    is positive (the usual case) it is a plain division, which numpy does several times faster
    than a masked one.
    """
    positive = den > 0
    if positive.all():
        return np.divide(num, den, out=out)
    if out is None:
        out = np.zeros(np.broadcast_shapes(np.shape(num), den.shape))
    else:
        out[...] = 0.0
    return np.divide(num, den, out=out, where=positive)


BLOCK = 1 << 16
"""Rows a phase works on at a time when a population is large (see :func:`blockwise`)."""

def _threads_from_environment() -> int:
    """``CHAINSHIFT_THREADS`` if it is a whole number of at least 1, else up to two threads."""
    default = min(2, os.cpu_count() or 1)
    value = os.environ.get("CHAINSHIFT_THREADS", "")
    if not value:
        return default
    if value.isdigit() and int(value) >= 1:
        return int(value)
    warnings.warn(f"CHAINSHIFT_THREADS={value!r} is not a whole number of at least 1; "
                  f"using {default} threads", stacklevel=2)
    return default


THREADS = _threads_from_environment()
"""Threads that work on row blocks at once (environment ``CHAINSHIFT_THREADS``; default: up to
two, the cores of a small machine). numpy releases the interpreter lock inside array
operations, so blocks run in parallel; the results do not depend on the number of threads
(each block's numbers are computed alone and joined in row order)."""

_pool: tuple[int, ThreadPoolExecutor] | None = None  # (threads, pool)


def _forget_pool() -> None:
    global _pool
    _pool = None


# a forked sweep worker inherits the pool object but not its threads: it makes its own
os.register_at_fork(after_in_child=_forget_pool)


def _map(kernel, blocks: list[slice]) -> list:
    """``kernel`` over ``blocks``, in parallel where :data:`THREADS` > 1; results in order."""
    global _pool
    if THREADS <= 1 or len(blocks) < 2:
        return [kernel(rows) for rows in blocks]
    if _pool is None or _pool[0] != THREADS:
        _pool = (THREADS, ThreadPoolExecutor(THREADS, thread_name_prefix="chainshift-block"))
    return list(_pool[1].map(kernel, blocks))


def blockwise(kernel, n: int, size: int | None = None, ragged: int = 0):
    """The results of ``kernel(rows)`` over row blocks covering ``0..n-1``, joined.

    ``kernel`` takes a slice of rows and returns a tuple: arrays with one entry per row of the
    slice, then ``ragged`` arrays of any length (concatenated), then any numbers (summed over
    the blocks, left to right); it may also update columns in place for those rows.
    Elementwise work on a block of ``size`` rows (default :data:`BLOCK`) keeps its temporaries
    in the processor's cache: at a million firms a column is 8 MB, and a chain of operations on
    whole columns moves every temporary through main memory. The results are those of one call
    on all rows, which is what happens (without copying) when ``n <= size``; with several
    blocks a sum can differ from the sum of the whole column in the last digit (numpy sums
    pairwise), so a kernel returns sums only for what the model reports, not for what it
    computes with.
    """
    size = BLOCK if size is None else size
    if n <= size:
        return kernel(slice(0, n))
    rows_out: list[np.ndarray] = []
    joined: list[list[np.ndarray]] = [[] for _ in range(ragged)]
    sums: list = []
    blocks = [slice(lo, min(lo + size, n)) for lo in range(0, n, size)]
    for rows, part in zip(blocks, _map(kernel, blocks), strict=True):
        lo = rows.start
        per_row = sum(1 for a in part if np.ndim(a)) - ragged
        if lo == 0:
            rows_out = [np.empty((n, *a.shape[1:]), dtype=a.dtype) for a in part[:per_row]]
            sums = list(part[per_row + ragged:])
        else:
            sums = [total + x for total, x in zip(sums, part[per_row + ragged:], strict=True)]
        for full, a in zip(rows_out, part[:per_row], strict=True):
            full[rows] = a
        for pieces, a in zip(joined, part[per_row:per_row + ragged], strict=True):
            pieces.append(a)
    return (*rows_out, *(np.concatenate(pieces) for pieces in joined), *sums)
