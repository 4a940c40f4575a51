"""Results folders: written to a hidden temporary folder and renamed when complete, with a
manifest of versions, git commit, resolved scenario, seeds and times.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def versions() -> dict[str, str]:
    """Versions of Python and the packages results depend on."""
    out = {"python": platform.python_version()}
    for pkg in (
        "chainshift",
        "mesa",
        "numpy",
        "pandas",
        "pyarrow",
        "scipy",
        "pydantic",
        "dask",
        "distributed",
        "SALib",
        "solara",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[pkg] = metadata.version(pkg)
    return out


def git_commit() -> str:
    """Commit of the source tree (with '+dirty' when it has uncommitted changes)."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def manifest(**fields) -> dict:
    """A manifest dict: versions, commit, host, command line, plus the given fields."""
    return {
        "versions": versions(),
        "git_commit": git_commit(),
        "platform": platform.platform(),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **fields,
    }


def write_json(path: Path, data: dict) -> None:
    """Write JSON atomically (temporary file, then rename)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


class ResultsFolder:
    """A temporary folder that becomes ``parent/name`` only if the ``with`` block succeeds.

    On error or Ctrl-C the temporary folder is removed, so no partial results are left.
    Inside the block write to ``.path``; afterwards ``.final`` is where the results are.
    """

    def __init__(self, parent: Path, name: str) -> None:
        self.parent = Path(parent)
        self.name = name
        self.path: Path | None = None
        self.final: Path | None = None

    def __enter__(self) -> ResultsFolder:
        self.parent.mkdir(parents=True, exist_ok=True)
        self.path = self.parent / f".{self.name}.partial"
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        final = self.parent / self.name
        suffix = 1
        while final.exists():
            suffix += 1
            final = self.parent / f"{self.name}-{suffix}"
        os.replace(self.path, final)
        self.final = final
