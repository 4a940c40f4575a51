"""Provenance of a results folder: versions, git commit, command line, and paths that stay
meaningful when the folder is copied to another machine.

Every command that writes a results folder (run, sweep, sensitivity, compare, calibrate)
records a manifest made by :func:`manifest`. Paths in it are relative to the results folder or
to the project (:func:`portable_path`), and tracebacks name project files by their path in the
project and installed packages as ``<site-packages>/...`` (:func:`portable_traceback`).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import subprocess
import sys
import sysconfig
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project folder (where run.py is)."""

PACKAGES = ("chainshift", "mesa", "numpy", "pandas", "pyarrow", "scipy", "pydantic", "dask",
            "distributed", "SALib", "solara")
"""Packages whose versions results depend on."""


def versions() -> dict[str, str]:
    """Versions of Python and the packages results depend on."""
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[pkg] = metadata.version(pkg)
    return out


def git_commit() -> str:
    """Commit of the source tree (with '+dirty' when it has uncommitted changes)."""
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def portable_path(path: str | Path, folder: Path | None = None) -> str:
    """``path`` relative to the results folder if inside it, else to the project if inside it,
    else relative to the folder (``../...``) when both are on one file system; as given if
    it is already relative.
    """
    p = Path(path)
    if not p.is_absolute():
        return str(p)
    real = Path(os.path.abspath(p))
    for base in (folder, ROOT):
        if base is not None and real.is_relative_to(Path(os.path.abspath(base))):
            return str(real.relative_to(Path(os.path.abspath(base))))
    if folder is not None:
        with contextlib.suppress(ValueError):
            return os.path.relpath(real, os.path.abspath(folder))
    return str(p)


def _install_prefixes() -> list[tuple[str, str]]:
    """(absolute folder, its portable name), longest first."""
    paths = sysconfig.get_paths()
    named = [(paths.get("purelib"), "<site-packages>"), (paths.get("platlib"), "<site-packages>"),
             (paths.get("stdlib"), "<python>"), (paths.get("platstdlib"), "<python>"),
             (str(ROOT), "")]
    out = [(os.path.abspath(p).rstrip(os.sep) + os.sep, name) for p, name in named if p]
    return sorted(set(out), key=lambda x: -len(x[0]))


def portable_traceback(text: str | None) -> str | None:
    """A traceback with project files relative to the project and installed packages as
    ``<site-packages>/...`` or ``<python>/...``, so it names no folder of this machine.
    """
    if text is None:
        return None
    for prefix, name in _install_prefixes():
        text = re.sub(re.escape(prefix), (name + "/") if name else "", text)
    return text


def command_line() -> str:
    """The command as typed, with ``run.py`` named without its folder."""
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])


def manifest(folder: Path | None = None, **fields) -> dict:
    """A manifest dict: versions, commit, host, command line, plus the given fields.

    Args:
        folder: the results folder, to which ``spec_file`` and ``scenario_file`` fields are
            made relative (:func:`portable_path`).
        **fields: what the command records.
    """
    for key in ("spec_file", "scenario_file"):
        if isinstance(fields.get(key), str | Path) and fields[key]:
            fields[key] = portable_path(fields[key], folder)
    return {
        "versions": versions(),
        "git_commit": git_commit(),
        "platform": platform.platform(),
        "command": command_line(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **fields,
    }


def write_json(path: Path, data: dict) -> None:
    """Write JSON atomically (a temporary file in the same folder, then rename)."""
    path = Path(path)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        tmp.write_text(json.dumps(data, indent=2, default=str, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
