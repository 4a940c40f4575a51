"""The results folder of a sweep, written while runs finish so nothing is lost on a stop.

Layout::

    DIR/manifest.json         what ran, where, when, with which versions; status
    DIR/spec.toml             the effective spec (scenario replaced by scenario.toml)
    DIR/scenario.toml         the resolved base scenario, [fixed] overrides applied
    DIR/plan.parquet          every planned run: run_id, point, replication, seed, parameters
    DIR/parts/runs-*.parquet  one row per finished run, one file per flushed batch
    DIR/timeseries/*.parquet  quarterly indicators of finished runs, with a run_id column
    DIR/errors.jsonl          runs without results: parameters, error, traceback
    DIR/runs.parquet          all finished runs, sorted by run_id (rebuilt from the parts)

A batch writes its timeseries part first and its runs part second, each atomically (a hidden
temporary file renamed into place), so a run counts as finished only when both exist. On
resume, timeseries parts without a runs part are removed and their runs run again.
``runs.parquet`` is rebuilt from the parts sorted by run id, so an interrupted and resumed
sweep ends with the same file as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import tomli_w

from cli.output import manifest, write_json
from experiments.runner import Job, RunResult
from scenarios.loader import ScenarioError, dumps

ROOT = Path(__file__).resolve().parent.parent
MODEL_PACKAGES = ("model", "agents", "scenarios")
"""Source folders whose code determines a run's results."""

RUN_COLUMNS = ("run_id", "point", "replication", "seed")
"""Identifying columns that lead every row of runs.parquet and plan.parquet."""


def _atomic_parquet(df: pd.DataFrame, path: Path) -> None:
    tmp = path.parent / f".{path.name}.tmp"
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def code_fingerprint() -> str:
    """A hash of the model's source (model/, agents/, scenarios/ Python files).

    Stored in the manifest so a resumed study can tell whether its runs come from the same
    code as those already in the folder.
    """
    digest = hashlib.sha256()
    for package in MODEL_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def unique_folder(parent: Path, name: str) -> Path:
    """``parent/name``, or ``parent/name-2``, ... if that exists."""
    final = parent / name
    suffix = 1
    while final.exists():
        suffix += 1
        final = parent / f"{name}-{suffix}"
    return final


def effective_spec(raw: dict[str, Any], design: str) -> dict[str, Any]:
    """The spec as stored in a results folder: it points at the folder's scenario.toml."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in raw.items()}
    out["sweep"] = {**raw.get("sweep", {}), "scenario": "scenario.toml", "design": design}
    return out


class Store:
    """Reads and writes one results folder.

    Args:
        path: the folder (must exist).
        keys: the varied parameters, in spec order (columns after the identifying ones).
    """

    def __init__(self, path: Path, keys: list[str]) -> None:
        self.path = Path(path)
        self.keys = list(keys)
        self.parts = self.path / "parts"
        self.timeseries = self.path / "timeseries"
        self.errors_path = self.path / "errors.jsonl"
        self.manifest_path = self.path / "manifest.json"
        self._batch = self._last_batch()

    # -- creating and opening ------------------------------------------------------------------
    @classmethod
    def create(cls, folder: Path, spec, design: str, jobs: list[Job]) -> Store:
        """Make a new results folder holding the spec, scenario and plan."""
        folder.mkdir(parents=True)
        (folder / "parts").mkdir()
        (folder / "timeseries").mkdir()
        (folder / "scenario.toml").write_text(dumps(spec.base), encoding="utf-8")
        stored = effective_spec(spec.raw, design)
        stored["sweep"]["name"] = spec.name
        (folder / "spec.toml").write_text(tomli_w.dumps(stored), encoding="utf-8")
        store = cls(folder, spec.keys)
        _atomic_parquet(store.plan_frame(jobs), folder / "plan.parquet")
        return store

    @classmethod
    def open(cls, folder: Path, keys: list[str], jobs: list[Job]) -> Store:
        """Open an existing folder to resume it; the plan must match the stored one.

        Raises:
            ScenarioError: when the folder is not a sweep results folder or its plan differs.
        """
        store = cls(folder, keys)
        stored = pd.read_parquet(folder / "plan.parquet")
        planned = store.plan_frame(jobs)
        if list(stored.columns) != list(planned.columns) or not stored.equals(planned):
            raise ScenarioError(f"{folder}: its plan.parquet differs from the plan of its spec "
                                "(spec or code changed since it was made); start a new sweep")
        store.remove_orphans()
        return store

    def plan_frame(self, jobs: list[Job]) -> pd.DataFrame:
        """The plan as a table: identifying columns and parameter values."""
        rows = [{"run_id": j.run_id, "point": j.point, "replication": j.replication,
                 "seed": j.seed, **j.overrides} for j in jobs]
        return pd.DataFrame(rows, columns=[*RUN_COLUMNS, *self.keys])

    # -- batches ------------------------------------------------------------------------------
    def _last_batch(self) -> int:
        numbers = [int(p.stem.split("-")[-1]) for d in (self.parts, self.timeseries)
                   if d.exists() for p in d.glob("*.parquet")]
        return max(numbers, default=0)

    def remove_orphans(self) -> None:
        """Delete timeseries parts whose runs part was never written (stopped mid-batch)."""
        done = {p.stem.split("-")[-1] for p in self.parts.glob("runs-*.parquet")}
        for p in self.timeseries.glob("part-*.parquet"):
            if p.stem.split("-")[-1] not in done:
                p.unlink()
        for p in [*self.parts.glob(".*.tmp"), *self.timeseries.glob(".*.tmp")]:
            p.unlink()

    def finished_ids(self) -> set[int]:
        """Run ids with results in the parts."""
        ids: set[int] = set()
        for p in self.parts.glob("runs-*.parquet"):
            ids.update(pq.read_table(p, columns=["run_id"]).column(0).to_pylist())
        return ids

    def row(self, result: RunResult) -> dict[str, Any]:
        """The runs.parquet row of a finished run."""
        j = result.job
        return {"run_id": j.run_id, "point": j.point, "replication": j.replication,
                "seed": j.seed, **j.overrides, **result.outcomes}

    def write_batch(self, results: list[RunResult]) -> None:
        """Write finished runs: timeseries part first, then the runs part."""
        if not results:
            return
        self._batch += 1
        name = f"{self._batch:06d}"
        series = pd.concat([r.indicators for r in results], ignore_index=True)
        rows = pd.DataFrame([self.row(r) for r in results])
        part = self.timeseries / f"part-{name}.parquet"
        _atomic_parquet(series, part)
        try:
            _atomic_parquet(rows, self.parts / f"runs-{name}.parquet")
        except BaseException:
            part.unlink(missing_ok=True)
            raise

    def record_error(self, result: RunResult) -> None:
        """Append a failed run to errors.jsonl."""
        j = result.job
        line = {"run_id": j.run_id, "point": j.point, "replication": j.replication,
                "seed": j.seed, "parameters": j.overrides, "error": result.error,
                "traceback": result.traceback, "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        with self.errors_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def errors(self) -> list[dict[str, Any]]:
        """Failure records in errors.jsonl."""
        if not self.errors_path.exists():
            return []
        lines = self.errors_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    # -- consolidation ------------------------------------------------------------------------
    def consolidate(self) -> pd.DataFrame:
        """Rebuild runs.parquet from the parts (sorted by run id) and tidy errors.jsonl.

        errors.jsonl keeps the latest failure of each run that still has no results.
        """
        self.remove_orphans()
        frames = [pd.read_parquet(p) for p in sorted(self.parts.glob("runs-*.parquet"))]
        if frames:
            runs = pd.concat(frames, ignore_index=True)
            runs = runs.drop_duplicates("run_id").sort_values("run_id", kind="stable")
            lead = [*RUN_COLUMNS, *self.keys]
            runs = runs[lead + [c for c in runs.columns if c not in lead]].reset_index(drop=True)
        else:
            runs = pd.DataFrame(columns=[*RUN_COLUMNS, *self.keys])
        _atomic_parquet(runs, self.path / "runs.parquet")
        done = set(runs["run_id"].tolist())
        latest = {e["run_id"]: e for e in self.errors() if e["run_id"] not in done}
        if self.errors_path.exists() or latest:
            tmp = self.path / ".errors.jsonl.tmp"
            tmp.write_text("".join(json.dumps(latest[k], ensure_ascii=False) + "\n"
                                   for k in sorted(latest)), encoding="utf-8")
            os.replace(tmp, self.errors_path)
        return runs

    # -- manifest -----------------------------------------------------------------------------
    def read_manifest(self) -> dict[str, Any]:
        """The manifest, or an empty dict before the first is written."""
        if not self.manifest_path.exists():
            return {}
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def write_manifest(self, session: dict[str, Any], static: dict[str, Any], **latest) -> None:
        """Write the manifest, adding or updating this session's record.

        Args:
            session: this session's record (id, times, executor, workers, status).
            static: fields fixed when the folder is made (spec, design, plan size ...); kept
                from the first session on resume.
            **latest: fields that describe the latest session (status, counts, executor).
        """
        old = self.read_manifest()
        sessions = [s for s in old.get("sessions", []) if s.get("id") != session["id"]]
        sessions.append(session)
        if old:
            data = {**old, **latest, "sessions": sessions}
        else:
            data = manifest(**static, **latest, sessions=sessions)
        write_json(self.manifest_path, data)
