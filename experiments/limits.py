"""How big a study may be: its runs are counted, and its plan's memory estimated, before
anything is sampled or planned.

A plan holds one :class:`experiments.runner.Job` per run in memory (about 2 kB each, more with
many varied parameters), so a spec planning 10^9 runs would need terabytes before the first
run starts. Studies above :data:`MAX_RUNS` runs, or whose plan would not fit in half of this
machine's memory, are refused with one line; ``--max-runs N`` raises the first limit.
"""

from __future__ import annotations

import os

from chainshift.scenarios.loader import ScenarioError

MAX_RUNS = 1_000_000
"""Most runs a study may plan unless ``--max-runs`` raises the limit."""

BYTES_PER_RUN = 2_000
"""Memory of one planned run (its Job and its row of plan.parquet), measured with 3 varied
parameters; :data:`BYTES_PER_PARAMETER` more for each further one."""

BYTES_PER_PARAMETER = 200


def plan_bytes(runs: int, parameters: int) -> int:
    """Estimated memory of a plan of ``runs`` runs varying ``parameters`` parameters."""
    return runs * (BYTES_PER_RUN + BYTES_PER_PARAMETER * max(0, parameters - 3))


def physical_memory() -> int | None:
    """This machine's memory in bytes, if the system says."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return None


def size_text(n: float) -> str:
    """Bytes for people: '1.9 GB'."""
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} PB"  # pragma: no cover


def check_runs(runs: int, parameters: int, where: str, how: str,
               max_runs: int | None = MAX_RUNS) -> None:
    """Raise a one-line ScenarioError if a study of ``runs`` runs is too big to plan.

    Args:
        runs: runs the study would plan.
        parameters: parameters it varies.
        where: what the message starts with (the spec file, an option).
        how: how the count arises, e.g. ``"1,000 points x 3 replications"``.
        max_runs: the run limit (``--max-runs``); None for no limit on the count.
    """
    need = plan_bytes(runs, parameters)
    mem = physical_memory()
    if max_runs is not None and runs > max_runs:
        raise ScenarioError(
            f"{where}: plans {runs:,} runs ({how}), about {size_text(need)} of memory for the "
            f"plan alone; allowed: at most {max_runs:,} runs (raise the limit with --max-runs N)")
    if mem is not None and need > mem // 2:
        raise ScenarioError(
            f"{where}: plans {runs:,} runs ({how}), about {size_text(need)} of memory for the "
            f"plan alone; allowed: a plan that fits in half of this machine's "
            f"{size_text(mem)} of memory")
