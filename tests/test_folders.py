"""Results folders on disk: output checks before work, race-free creation, the folder lock."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from chainshift.experiments.folders import (
    FolderBusy,
    FolderError,
    FolderLock,
    ResultsFolder,
    check_file_target,
    check_out_dir,
    reserve_folder,
)

ROOT = Path(__file__).resolve().parent.parent


def test_out_dir_may_be_missing_and_nothing_is_left(tmp_path):
    check_out_dir(tmp_path / "a" / "b")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("where", "message"), [
    ("file", "is a file, not a folder"),
    ("file/sub", "is a file, so no folder can be made under it"),
    ("/dev/null", "is a file, not a folder"),
])
def test_out_dir_that_cannot_hold_folders_is_refused(tmp_path, where, message):
    (tmp_path / "file").write_text("x")
    with pytest.raises(FolderError, match=message):
        check_out_dir(tmp_path / where)


def test_out_dir_without_write_permission_is_refused(unwritable):
    with pytest.raises(FolderError, match="cannot write in"):
        check_out_dir(unwritable / "results")
    with pytest.raises(FolderError, match="cannot write in"):
        check_file_target(unwritable / "fit.toml", "--write-scenario")


def test_file_target_checks(tmp_path):
    check_file_target(tmp_path / "fit.toml", "--write-scenario")
    with pytest.raises(FolderError, match="does not exist"):
        check_file_target(tmp_path / "no" / "fit.toml", "--write-scenario")
    with pytest.raises(FolderError, match="is a folder"):
        check_file_target(tmp_path, "--write-scenario")
    assert list(tmp_path.iterdir()) == []


def test_reserve_folder_gives_every_caller_its_own_folder(tmp_path):
    got: list[Path] = []
    barrier = threading.Barrier(8)

    def take():
        barrier.wait()
        got.append(reserve_folder(tmp_path, "same"))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(got)) == 8
    assert {p.name for p in got} == {"same", *(f"same-{i}" for i in range(2, 9))}


def test_results_folders_written_at_once_keep_all_results(tmp_path):
    barrier = threading.Barrier(6)
    finals: list[Path] = []

    def write(i: int):
        with ResultsFolder(tmp_path, "run") as folder:
            barrier.wait()  # every writer is inside its temporary folder at the same time
            (folder.path / "manifest.json").write_text(str(i))
        finals.append(folder.final)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(finals)) == 6
    assert sorted(int((f / "manifest.json").read_text()) for f in finals) == list(range(6))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.name for f in finals)


def test_a_failed_block_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), ResultsFolder(tmp_path, "run") as folder:
        (folder.path / "x").write_text("partial")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_two_run_commands_into_one_folder_at_once_both_keep_their_results(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, str(ROOT / "run.py"), "run", "baseline", "--steps", "4", "--set",
           "population.enterprises=200", "--out", str(out), "--quiet"]
    procs = [subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [r[1] for r in results]
    folders = sorted(out.iterdir())
    assert len(folders) == 2 and all(not f.name.startswith(".") for f in folders)
    for f in folders:
        assert (f / "manifest.json").exists() and (f / "indicators.parquet").exists()


def test_lock_is_exclusive_and_names_the_holder(tmp_path):
    first = FolderLock(tmp_path).acquire()
    assert (tmp_path / ".lock").read_text().strip() == str(os.getpid())
    with pytest.raises(FolderBusy, match=f"in use by another chainshift process \\(PID "
                                         f"{os.getpid()}\\)"):
        FolderLock(tmp_path).acquire()
    first.release()
    with FolderLock(tmp_path) as again:
        assert again.held


def test_lock_of_a_killed_process_is_free_at_once(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; sys.path.insert(0, sys.argv[1]); "
         "from chainshift.experiments.folders import FolderLock; "
         "lock = FolderLock(sys.argv[2]).acquire(); "
         "print('locked', flush=True); time.sleep(600)", str(ROOT), str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(FolderBusy, match=f"PID {holder.pid}"):
            FolderLock(tmp_path).acquire()
        holder.kill()
        holder.wait(timeout=10)
        FolderLock(tmp_path).acquire().release()  # no stale lock after a crash
    finally:
        if holder.poll() is None:
            holder.kill()


def test_commands_refuse_an_unwritable_output_before_any_work(unwritable, tmp_path):
    cases = [
        ("run", "baseline", "--out", str(unwritable / "r")),
        ("compare", "baseline", "green_push", "--out", str(unwritable)),
        ("calibrate", "--write-scenario", str(unwritable / "fit.toml"), "--out",
         str(tmp_path / "ok")),
    ]
    for argv in cases:
        t0 = time.monotonic()
        out = subprocess.run([sys.executable, str(ROOT / "run.py"), *argv], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 2, (argv, out.stderr)
        assert out.stderr.count("\n") == 1 and "cannot write in" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr
        assert time.monotonic() - t0 < 30  # before the simulation, not after
    assert not (tmp_path / "ok").exists()
