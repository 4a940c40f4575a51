"""Run a short list of jobs and keep the results in memory (comparisons, small studies).

Long sweeps stream to disk instead (:mod:`experiments.sweep`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import as_completed

from chainshift.experiments.executors import Pool
from chainshift.experiments.runner import Job, RunResult, execute


def run_jobs(jobs: Iterable[Job], pool: Pool | None = None,
             on_result: Callable[[RunResult], None] | None = None) -> list[RunResult]:
    """Execute jobs and return their results in job order.

    Args:
        jobs: the jobs.
        pool: where to run them; None runs them one after another in this process.
        on_result: called as each result arrives (e.g. to advance a progress bar).
    """
    jobs = list(jobs)
    results: dict[int, RunResult] = {}
    if pool is None:
        for i, job in enumerate(jobs):
            results[i] = execute(job)
            if on_result is not None:
                on_result(results[i])
    else:
        futures = {pool.executor.submit(execute, job): i for i, job in enumerate(jobs)}
        try:
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if on_result is not None:
                    on_result(results[futures[fut]])
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
    return [results[i] for i in range(len(jobs))]
