"""Results folders on disk: checked before any work, created without races, locked while a
process writes them.

- :func:`check_out_dir` and :func:`check_file_target` find out, before a command simulates
  anything, whether its output can be written (a file in the way, no permission, a read-only
  file system), by making and removing a hidden probe in the nearest existing folder.
- :func:`reserve_folder` makes ``parent/name`` (or ``name-2``, ``name-3``, ...) with one
  atomic ``mkdir``, so two processes started in the same second get two folders.
- :class:`ResultsFolder` writes a command's outputs to a private hidden folder and renames it
  into place only when everything is written.
- :class:`FolderLock` is an advisory lock (``fcntl.flock`` on ``DIR/.lock``, the holder's PID
  written inside) held by the one process that runs a sweep folder; the operating system
  releases it when that process ends, however it ends, so a crash leaves no stale lock.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from chainshift.scenarios.loader import ScenarioError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: folders are not locked
    fcntl = None

LOCK_NAME = ".lock"
"""The lock file inside a locked results folder."""


class FolderError(ScenarioError):
    """A results folder or output path that cannot be used; the message is one line."""


class FolderBusy(FolderError):
    """Another process holds the folder's lock."""


def _nearest_existing(path: Path) -> Path:
    p = Path(path)
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _probe(folder: Path) -> None:
    """Make and remove a hidden folder in ``folder``; raises OSError if that fails."""
    Path(tempfile.mkdtemp(prefix=".chainshift-probe-", dir=folder)).rmdir()


def check_out_dir(out: Path, option: str = "--out") -> None:
    """Raise a one-line FolderError unless results folders can be made under ``out``.

    ``out`` need not exist (it is made when the results are written); nothing is left behind.
    """
    out = Path(out)
    where = f"{option} {out}"
    if out.exists() and not out.is_dir():
        raise FolderError(f"{where}: is a file, not a folder; allowed: a folder (it is made "
                          "if missing)")
    base = _nearest_existing(out)
    if not base.is_dir():
        raise FolderError(f"{where}: {base} is a file, so no folder can be made under it; "
                          "allowed: a folder (it is made if missing)")
    try:
        _probe(base)
    except OSError as err:
        raise FolderError(f"{where}: cannot write in {base} ({err.strerror}); allowed: a "
                          "folder you can write to") from None


def check_file_target(path: Path, option: str) -> None:
    """Raise a one-line FolderError unless the file ``path`` can be written (nothing is made)."""
    path = Path(path)
    where = f"{option} {path}"
    if path.is_dir():
        raise FolderError(f"{where}: is a folder; allowed: a file path")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise FolderError(f"{where}: the folder {parent} does not exist; allowed: a file in an "
                          "existing folder")
    try:
        _probe(parent)
    except OSError as err:
        raise FolderError(f"{where}: cannot write in {parent} ({err.strerror}); allowed: a "
                          "file in a folder you can write to") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise FolderError(f"{where}: the file exists and is read-only; allowed: a file you can "
                          "write")


def reserve_folder(parent: Path, name: str) -> Path:
    """Make the new folder ``parent/name``, or ``name-2``, ``name-3``, ... if taken.

    Each try is one ``mkdir``, which either makes the folder or fails because it exists, so
    concurrent callers never share a folder.
    """
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    suffix = 1
    while True:
        candidate = parent / (name if suffix == 1 else f"{name}-{suffix}")
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            suffix += 1


class ResultsFolder:
    """A private temporary folder that becomes ``parent/name`` only if the ``with`` block
    succeeds.

    On error or Ctrl-C the temporary folder is removed, so no partial results are left.
    Inside the block write to ``.path``; afterwards ``.final`` is where the results are.
    The temporary folder's name is unique to this process, and the final name is reserved
    with :func:`reserve_folder` before the rename, so concurrent commands writing to the same
    parent each keep their results.
    """

    def __init__(self, parent: Path, name: str) -> None:
        self.parent = Path(parent)
        self.name = name
        self.path: Path | None = None
        self.final: Path | None = None

    def __enter__(self) -> ResultsFolder:
        self.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.name}.", suffix=".partial",
                                          dir=self.parent))
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        final = reserve_folder(self.parent, self.name)
        try:
            os.replace(self.path, final)  # onto the reserved, empty folder: atomic on POSIX
        except OSError:
            final.rmdir()
            shutil.rmtree(self.path, ignore_errors=True)
            raise
        self.final = final


class FolderLock:
    """An exclusive advisory lock on a results folder, held by one process at a time.

    Args:
        folder: the results folder (must exist).

    The lock is ``fcntl.flock`` on ``folder/.lock``; the holder writes its PID into the file
    so that a refused process can say who holds it. The file is left in place when the lock
    is released (deleting it would let two processes lock two different files).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self._fh = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fh is not None

    def acquire(self) -> FolderLock:
        """Take the lock, or raise :class:`FolderBusy` naming the holder's PID."""
        if self._fh is not None or fcntl is None:
            return self
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise FolderBusy(f"{self.folder}: in use by another chainshift process (PID "
                             f"{self.holder()}); wait until it ends or stop it, then try "
                             "again") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return self

    def holder(self, wait_s: float = 1.0) -> str:
        """The PID written by the lock's holder ('unknown' if it has not written it yet)."""
        deadline = time.monotonic() + wait_s
        while True:
            with contextlib.suppress(OSError):
                text = self.path.read_text(encoding="utf-8").strip()
                if text.isdigit():
                    return text
            if time.monotonic() > deadline:
                return "unknown"
            time.sleep(0.02)  # the holder writes its PID right after taking the lock

    def release(self) -> None:
        """Let the lock go (a no-op if it is not held)."""
        if self._fh is None:
            return
        with contextlib.suppress(OSError):
            self._fh.seek(0)
            self._fh.truncate()
        self._fh.close()  # closing the file releases the flock
        self._fh = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
