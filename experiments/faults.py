"""Fault injection for testing the sweep machinery (failure records, worker loss, resume).

A fault is a picklable callable attached to every :class:`experiments.runner.Job`; the worker
calls it just before the model runs. The model itself is untouched: runs that are not chosen
run for real.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class InjectedFault(RuntimeError):
    """Raised by :class:`RaiseOn` for the chosen runs."""


@dataclass(frozen=True)
class RaiseOn:
    """Make the chosen runs raise :class:`InjectedFault` (a run that fails)."""

    run_ids: frozenset[int]

    def __call__(self, job) -> None:
        """Raise for chosen runs."""
        if job.run_id in self.run_ids:
            raise InjectedFault(f"injected failure in run {job.run_id}")


@dataclass(frozen=True)
class KillWorker:
    """Kill the worker process running the chosen run (a crashed worker).

    With ``times=1`` the worker dies only the first time the run starts (a marker file in
    ``marker_dir`` remembers it), so the retry succeeds; with ``times=2`` the retry dies too.
    """

    run_id: int
    marker_dir: str
    times: int = 1

    def __call__(self, job) -> None:
        """Exit the process without cleanup for the chosen run, up to ``times`` times."""
        if job.run_id != self.run_id:
            return
        marker = Path(self.marker_dir) / f"killed-{job.run_id}"
        count = int(marker.read_text()) if marker.exists() else 0
        if count < self.times:
            marker.write_text(str(count + 1))
            os._exit(3)
