"""The results folder of a sweep, written while runs finish so nothing is lost on a stop.

Layout::

    DIR/manifest.json         what ran, where, when, with which versions; status
    DIR/spec.toml             the effective spec (scenario replaced by scenario.toml)
    DIR/scenario.toml         the resolved base scenario, [fixed] overrides applied
    DIR/plan.parquet          every planned run: run_id, point, replication, seed, parameters
    DIR/parts/runs-*.parquet  one row per finished run, one file per flushed batch
    DIR/timeseries/*.parquet  quarterly indicators of finished runs, with a run_id column
    DIR/by_chain/*.parquet    their quarterly indicators by chain, with a run_id column
    DIR/errors.jsonl          runs without results: parameters, error, traceback (empty if none)
    DIR/runs.parquet          all finished runs, sorted by run_id (rebuilt from the parts)
    DIR/indicators_by_chain.parquet  their indicators by chain, sorted by run_id and step
                              (rebuilt from by_chain/)
    DIR/columns.csv           unit and description of every column of every file
    DIR/damaged/              files a resume could not use (their runs ran again)
    DIR/.lock                 held by the process running the folder (experiments.folders)

A batch writes its by-chain part first, its timeseries part second and its runs part last,
each atomically (a hidden temporary file renamed into place), so a run counts as finished only
when all three exist. On resume every batch is checked (all readable, the same runs, a full
time series and one by chain for each); a batch that fails, a timeseries or by-chain part
without its runs part, and a part repeating runs of an earlier one are moved to ``damaged/``
and their runs run again. ``runs.parquet`` and ``indicators_by_chain.parquet`` are rebuilt
from the parts sorted by run id, so an interrupted and resumed sweep ends with the same files
as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import tomli_w

from chainshift.experiments.columns import (
    Dictionary,
    by_chain_column,
    described,
    run_column,
    timeseries_column,
    write_parquet,
)
from chainshift.experiments.folders import FolderError
from chainshift.experiments.provenance import manifest, portable_traceback, write_json
from chainshift.experiments.runner import Job, RunResult
from chainshift.scenarios.loader import dumps

ROOT = Path(__file__).resolve().parent.parent
MODEL_PACKAGES = ("model", "agents", "scenarios")
"""Source folders whose code determines a run's results."""

RUN_COLUMNS = ("run_id", "point", "replication", "seed")
"""Identifying columns that lead every row of runs.parquet and plan.parquet."""

DAMAGED = "damaged"
"""Subfolder for files a resume could not use."""

BY_CHAIN = "indicators_by_chain.parquet"
"""The consolidated indicators by chain of every finished run."""


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


def effective_spec(raw: dict[str, Any], design: str) -> dict[str, Any]:
    """The spec as stored in a results folder: it points at the folder's scenario.toml."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in raw.items()}
    out["sweep"] = {**raw.get("sweep", {}), "scenario": "scenario.toml", "design": design}
    return out


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


class Store:
    """Reads and writes one results folder.

    Args:
        path: the folder (must exist).
        keys: the varied parameters, in spec order (columns after the identifying ones).
        quarters: quarters each run simulates (rows of its time series).
    """

    def __init__(self, path: Path, keys: list[str], quarters: int | None = None) -> None:
        self.path = Path(path)
        self.keys = list(keys)
        self.quarters = quarters
        self.parts = self.path / "parts"
        self.timeseries = self.path / "timeseries"
        self.by_chain = self.path / "by_chain"
        self.errors_path = self.path / "errors.jsonl"
        self.manifest_path = self.path / "manifest.json"
        self.notes: list[str] = []
        self._batch = self._last_batch()

    # -- creating and opening ------------------------------------------------------------------
    @classmethod
    def create(cls, folder: Path, spec, design: str, jobs: list[Job]) -> Store:
        """Fill a new (empty) results folder with the spec, scenario, plan and errors.jsonl."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "parts").mkdir()
        (folder / "timeseries").mkdir()
        (folder / "by_chain").mkdir()
        (folder / "scenario.toml").write_text(dumps(spec.base), encoding="utf-8")
        stored = effective_spec(spec.raw, design)
        stored["sweep"]["name"] = spec.name
        (folder / "spec.toml").write_text(tomli_w.dumps(stored), encoding="utf-8")
        (folder / "errors.jsonl").write_text("", encoding="utf-8")
        store = cls(folder, spec.keys, spec.quarters)
        plan = store.plan_frame(jobs)
        write_parquet(plan, folder / "plan.parquet", described(plan, run_column), atomic=True)
        return store

    @classmethod
    def open(cls, folder: Path, keys: list[str], jobs: list[Job], quarters: int) -> Store:
        """Open an existing folder to resume it; the plan must match the stored one.

        The manifest, the plan and every part are checked; damaged parts are moved to
        ``damaged/`` (their runs run again), see :attr:`notes`.

        Raises:
            FolderError: when the plan or the manifest cannot be read, or the plan differs.
        """
        store = cls(folder, keys, quarters)
        store.read_manifest()  # raises if damaged
        plan_path = folder / "plan.parquet"
        try:
            stored = pd.read_parquet(plan_path)
        except Exception as err:  # pyarrow raises several types for a damaged file
            raise FolderError(f"{plan_path}: damaged ({_first_line(err)}); allowed: the plan "
                              "the sweep wrote (restore it from a copy, or start a new "
                              "study)") from None
        planned = store.plan_frame(jobs)
        if list(stored.columns) != list(planned.columns) or not stored.equals(planned):
            raise FolderError(f"{folder}: its plan.parquet differs from the plan of its spec "
                              "(spec or code changed since it was made); start a new sweep")
        store.parts.mkdir(exist_ok=True)
        store.timeseries.mkdir(exist_ok=True)
        store.by_chain.mkdir(exist_ok=True)
        store.check_parts()
        store.errors()  # notes damaged lines
        return store

    def plan_frame(self, jobs: list[Job]) -> pd.DataFrame:
        """The plan as a table: identifying columns and parameter values."""
        rows = [{"run_id": j.run_id, "point": j.point, "replication": j.replication,
                 "seed": j.seed, **j.overrides} for j in jobs]
        return pd.DataFrame(rows, columns=[*RUN_COLUMNS, *self.keys])

    # -- checking -----------------------------------------------------------------------------
    def _quarantine(self, paths: list[Path], why: str) -> None:
        target = self.path / DAMAGED
        target.mkdir(exist_ok=True)
        moved = []
        for p in paths:
            if p.exists():
                dest = target / f"{p.parent.name}-{p.name}"
                n = 1
                while dest.exists():
                    n += 1
                    dest = target / f"{p.parent.name}-{p.stem}-{n}{p.suffix}"
                shutil.move(str(p), dest)
                moved.append(f"{p.parent.name}/{p.name}")
        if moved:
            self.notes.append(f"moved {', '.join(moved)} to {target} ({why}); their runs run "
                              "again")

    def check_parts(self) -> None:
        """Move unusable parts to ``damaged/``: unreadable or truncated files, a batch whose
        files disagree, a timeseries or by-chain part without its runs part, repeated runs.
        """
        for p in self._unfinished():
            p.unlink()  # a write that never finished
        seen: set[int] = set()
        runs_parts = {p.stem.split("-")[-1]: p for p in sorted(self.parts.glob("runs-*.parquet"))}
        for number, runs_part in runs_parts.items():
            series = self.timeseries / f"part-{number}.parquet"
            chains = self.by_chain / f"part-{number}.parquet"
            problem = (self._pair_problem(runs_part, series, seen)
                       or self._chain_problem(series, chains))
            if problem:
                self._quarantine([runs_part, series, chains], problem)
            else:
                seen |= set(pq.read_table(runs_part, columns=["run_id"]).column(0).to_pylist())
        for p in self._companions():
            if p.stem.split("-")[-1] not in runs_parts:
                self._quarantine([p], "no runs part: its batch was stopped half-written, or "
                                 "parts/ was changed")

    def _unfinished(self) -> list[Path]:
        """Hidden temporary files of writes that never finished."""
        return [p for d in (self.parts, self.timeseries, self.by_chain) for p in d.glob(".*.tmp")]

    def _companions(self) -> list[Path]:
        """The timeseries and by-chain parts, which belong to the runs part of their number."""
        return [*sorted(self.timeseries.glob("part-*.parquet")),
                *sorted(self.by_chain.glob("part-*.parquet"))]

    def _chain_problem(self, series: Path, chains: Path) -> str:
        """Why a by-chain part cannot be used with its (good) timeseries part ('' if it can):
        missing, unreadable, other runs, or not one row per quarter and chain of each run.
        """
        if not chains.exists():
            return f"by_chain/{chains.name} missing"
        try:
            table = pq.read_table(chains, columns=["run_id", "step", "chain"]).to_pandas()
        except Exception as err:
            return f"by_chain/{chains.name} unreadable: {_first_line(err)}"
        steps = pq.read_table(series, columns=["run_id", "step"]).to_pandas()
        n_chains = table["chain"].nunique()
        if set(table["run_id"]) != set(steps["run_id"]) or \
                len(table) != len(steps) * n_chains or \
                table.duplicated(["run_id", "step", "chain"]).any():
            return (f"by_chain/{chains.name} does not hold one row per quarter and chain of the "
                    f"runs of timeseries/{series.name}")
        return ""

    def _pair_problem(self, runs_part: Path, series: Path, seen: set[int]) -> str:
        """Why a runs part and its timeseries part cannot be used ('' if they can)."""
        try:
            ids = pq.read_table(runs_part, columns=["run_id"]).column(0).to_pylist()
        except Exception as err:
            return f"parts/{runs_part.name} unreadable: {_first_line(err)}"
        if not series.exists():
            return f"timeseries/{series.name} missing"
        try:
            meta = pq.ParquetFile(series).metadata
            ts_ids = pq.read_table(series, columns=["run_id"]).column(0).to_pylist()
        except Exception as err:
            return f"timeseries/{series.name} unreadable: {_first_line(err)}"
        if len(set(ids)) != len(ids) or set(ids) & seen:
            return f"parts/{runs_part.name} repeats runs of another part"
        if set(ts_ids) != set(ids):
            return f"timeseries/{series.name} holds other runs than parts/{runs_part.name}"
        if self.quarters is not None and meta.num_rows != len(ids) * self.quarters:
            return (f"timeseries/{series.name} has {meta.num_rows} rows, not {len(ids)} runs x "
                    f"{self.quarters} quarters")
        return ""

    # -- batches ------------------------------------------------------------------------------
    def _last_batch(self) -> int:
        numbers = [int(p.stem.split("-")[-1]) for d in (self.parts, self.timeseries,
                                                         self.by_chain)
                   if d.exists() for p in d.glob("*.parquet") if p.stem.split("-")[-1].isdigit()]
        return max(numbers, default=0)

    def remove_orphans(self) -> None:
        """Move aside timeseries and by-chain parts whose runs part was never written (stopped
        mid-batch).
        """
        self.by_chain.mkdir(exist_ok=True)
        done = {p.stem.split("-")[-1] for p in self.parts.glob("runs-*.parquet")}
        orphans = [p for p in self._companions() if p.stem.split("-")[-1] not in done]
        self._quarantine(orphans, "no runs part: its batch was stopped half-written")
        for p in self._unfinished():
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
        """Write finished runs: by-chain part first, then the timeseries part, then the runs
        part (the one that marks the batch finished).
        """
        if not results:
            return
        self._batch += 1
        name = f"{self._batch:06d}"
        chains = pd.concat([r.by_chain for r in results], ignore_index=True)
        series = pd.concat([r.indicators for r in results], ignore_index=True)
        rows = pd.DataFrame([self.row(r) for r in results])
        written = []
        try:
            for frame, path, describe in (
                (chains, self.by_chain / f"part-{name}.parquet", by_chain_column),
                (series, self.timeseries / f"part-{name}.parquet", timeseries_column),
                (rows, self.parts / f"runs-{name}.parquet", run_column),
            ):
                write_parquet(frame, path, described(frame, describe), atomic=True)
                written.append(path)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise

    def record_error(self, result: RunResult) -> None:
        """Append a failed run to errors.jsonl (paths in its traceback made portable)."""
        j = result.job
        line = {"run_id": j.run_id, "point": j.point, "replication": j.replication,
                "seed": j.seed, "parameters": j.overrides, "error": result.error,
                "traceback": portable_traceback(result.traceback),
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        with self.errors_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def errors(self) -> list[dict[str, Any]]:
        """Failure records in errors.jsonl; damaged lines are skipped (and noted once)."""
        if not self.errors_path.exists():
            return []
        try:
            lines = self.errors_path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise FolderError(f"{self.errors_path}: cannot be read ({_first_line(err)}); "
                              "allowed: the errors.jsonl the sweep wrote (delete it: its runs "
                              "have no results and run again)") from None
        out, bad = [], 0
        for line in lines:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                int(record["run_id"])
                out.append(record)
            except (ValueError, KeyError, TypeError):
                bad += 1
        note = (f"errors.jsonl: {bad} damaged line{'s' if bad != 1 else ''} ignored (failed runs "
                "have no results, so they run again)")
        if bad and note not in self.notes:
            self.notes.append(note)
        return out

    # -- consolidation ------------------------------------------------------------------------
    def consolidate(self) -> pd.DataFrame:
        """Rebuild runs.parquet from the parts (sorted by run id), tidy errors.jsonl and write
        the data dictionary.

        errors.jsonl keeps the latest failure of each run that still has no results (and is
        written empty when there is none).
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
        runs_columns = described(runs, run_column)
        write_parquet(runs, self.path / "runs.parquet", runs_columns, atomic=True)
        done = set(runs["run_id"].tolist())
        self.write_by_chain(done)
        latest = {e["run_id"]: e for e in self.errors() if e["run_id"] not in done}
        tmp = self.path / ".errors.jsonl.tmp"
        tmp.write_text("".join(json.dumps(latest[k], ensure_ascii=False) + "\n"
                               for k in sorted(latest)), encoding="utf-8")
        os.replace(tmp, self.errors_path)
        self.write_dictionary(runs_columns)
        return runs

    def write_by_chain(self, done: set[int]) -> None:
        """Rebuild indicators_by_chain.parquet from the by-chain parts of the runs in ``done``,
        sorted by run id and step (chains in the scenario's order).
        """
        frames = [pd.read_parquet(p) for p in sorted(self.by_chain.glob("part-*.parquet"))]
        if frames:
            chains = pd.concat(frames, ignore_index=True)
            chains = chains[chains["run_id"].isin(done)]
            chains = chains.sort_values(["run_id", "step"], kind="stable").reset_index(drop=True)
        else:
            from chainshift.model.indicators import BY_CHAIN as CHAIN_COLUMNS

            chains = pd.DataFrame(columns=["run_id", *CHAIN_COLUMNS])
        write_parquet(chains, self.path / BY_CHAIN, described(chains, by_chain_column),
                      atomic=True)

    def write_dictionary(self, runs_columns) -> None:
        """columns.csv: runs.parquet, plan.parquet, the indicators by chain and the timeseries
        and by-chain parts (the entries of other files, such as sensitivity tables, are kept).
        """
        from chainshift.model.indicators import BY_CHAIN as CHAIN_COLUMNS
        from chainshift.model.indicators import INDICATORS

        d = Dictionary.read(self.path)
        d.add("runs.parquet", runs_columns)
        d.add("plan.parquet", described([*RUN_COLUMNS, *self.keys], run_column))
        d.add("timeseries/part-*.parquet", described(["run_id", *INDICATORS], timeseries_column))
        chain_columns = described(["run_id", *CHAIN_COLUMNS], by_chain_column)
        d.add(BY_CHAIN, chain_columns)
        d.add("by_chain/part-*.parquet", chain_columns)
        d.write(self.path)

    # -- manifest -----------------------------------------------------------------------------
    def read_manifest(self) -> dict[str, Any]:
        """The manifest, or an empty dict before the first is written.

        Raises:
            FolderError: when the file is not a JSON object.
        """
        if not self.manifest_path.exists():
            return {}
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as err:
            data, reason = None, _first_line(err)
        else:
            reason = "not a JSON object"
        if not isinstance(data, dict):
            raise FolderError(f"{self.manifest_path}: damaged ({reason}); allowed: the manifest "
                              "the sweep wrote (restore it from a copy, or delete it: a resume "
                              "then writes a new one without the earlier sessions)")
        return data

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
            data = manifest(folder=self.path, **static, **latest, sessions=sessions)
        write_json(self.manifest_path, data)
