"""Shared fixtures: runs of the baseline are cached per session because several test modules
read the same seeds."""

from __future__ import annotations

import functools

import pytest

from chainshift.model import TransitionModel
from chainshift.scenarios import load_scenario


@functools.cache
def baseline_run(seed: int, steps: int = 16, enterprises: int | None = None) -> TransitionModel:
    """A baseline model run for ``steps`` quarters (cached; do not mutate)."""
    overrides = {"population.enterprises": enterprises} if enterprises else None
    return TransitionModel(load_scenario("baseline", overrides=overrides), rng=seed).run(
        steps=steps
    )


@pytest.fixture(scope="module")
def pool():
    """A pool of two worker processes for a module's sweeps."""
    from chainshift.experiments.executors import open_pool

    p = open_pool(2)
    yield p
    p.close()


@pytest.fixture(scope="session")
def baseline_model() -> TransitionModel:
    """The baseline run to 2035 at seed 0."""
    return baseline_run(0, steps=60)


def _mount_tmpfs(path, options: str) -> bool:
    """Mount a tmpfs at ``path`` (needs root); True if it worked."""
    import subprocess

    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True)
    return done.returncode == 0


def _umount(path) -> None:
    import subprocess

    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def unwritable(tmp_path):
    """A folder nothing can be written in: a read-only tmpfs for root, else mode 0555."""
    import os

    folder = tmp_path / "locked"
    if os.geteuid() == 0:
        if not _mount_tmpfs(folder, "ro,size=64k"):
            pytest.skip("cannot mount a read-only tmpfs here")
        yield folder
        _umount(folder)
    else:
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


@pytest.fixture
def small_disk(tmp_path):
    """A mounted folder with little room (a 2 MB tmpfs; needs root); yields (path, remount)
    where ``remount(size)`` changes its size, e.g. to make room.
    """
    import os
    import subprocess

    folder = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount_tmpfs(folder, "size=2m"):
        pytest.skip("needs root to mount a small tmpfs")

    def remount(size: str) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=True)

    yield folder, remount
    _umount(folder)
