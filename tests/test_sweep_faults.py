"""Sweeps at the edges: concurrent resumes, killed and terminated parents, damaged folders,
a full disk, oversized plans, bad environment, as a user meets them (``run.py`` subprocesses).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pandas as pd
import psutil
import pytest

from chainshift.experiments.design import plan
from chainshift.experiments.folders import FolderBusy, FolderError
from chainshift.experiments.spec import parse_spec
from chainshift.experiments.sweep import resume, start
from chainshift.scenarios.loader import ScenarioError

ROOT = Path(__file__).resolve().parent.parent
RUN_PY = str(ROOT / "run.py")

SIXTY = """
[sweep]
name = "sixty"
replications = 2
seed = 1
quarters = 24
[fixed]
"population.enterprises" = 200
[parameters]
"policy.coupling" = { low = 0.0, high = 1.0, steps = 30 }
"""
"""60 runs, about 10 s on one worker process."""

TWENTY = SIXTY.replace('name = "sixty"', 'name = "twenty"').replace("steps = 30", "steps = 10")
"""20 runs."""

SMALL = {
    "sweep": {"name": "small", "replications": 2, "seed": 4, "quarters": 8},
    "fixed": {"population.enterprises": 200},
    "parameters": {"policy.carbon_price": [0, 100, 200]},
}
"""6 runs of 8 quarters."""


def cli(*args, env=None, timeout=300, cwd=None):
    return subprocess.run([sys.executable, RUN_PY, *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def popen(*args, env=None, **kw):
    return subprocess.Popen([sys.executable, RUN_PY, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, **kw)


def wait_until(condition, timeout: float = 60.0, proc=None) -> None:
    """Poll ``condition`` (a file appearing, a lock taken) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the process ended first: {proc.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting")
        time.sleep(0.05)


def one_error_line(out) -> str:
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    return lines[0]


def timeseries(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "timeseries").sort_values(["run_id", "step"]) \
        .reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(pool, tmp_path_factory):
    with start(parse_spec(SMALL, "small.toml"), tmp_path_factory.mktemp("ref")) as study:
        report = study.run(pool)
    assert report.status == "complete"
    return report.folder


@pytest.fixture
def copy(reference, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(reference, target)
    (target / ".lock").unlink(missing_ok=True)
    return target


# -- two processes, one folder ----------------------------------------------------------------
@pytest.mark.slow
def test_two_concurrent_resumes_one_is_refused_naming_the_holder_and_nothing_is_lost(tmp_path):
    spec_path = tmp_path / "sixty.toml"
    spec_path.write_text(SIXTY)
    with start(parse_spec(tomllib.loads(SIXTY), str(spec_path)),
               tmp_path / "out") as study:
        folder = study.folder  # made, nothing run yet
    first = popen("sweep", "--resume", str(folder), "--workers", "1", "--quiet")
    try:
        wait_until(lambda: (folder / ".lock").read_text().strip() == str(first.pid), proc=first)
        second = cli("sweep", "--resume", str(folder), "--workers", "1", "--quiet")
        assert first.poll() is None, "the first resume ended before the second was refused"
        line = one_error_line(second)
        assert f"in use by another chainshift process (PID {first.pid})" in line
        assert str(folder) in line
        _, stderr = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, stderr
    runs = pd.read_parquet(folder / "runs.parquet")
    assert list(runs["run_id"]) == list(range(60))
    ts = timeseries(folder)
    assert len(ts) == 60 * 24
    assert not ts.duplicated(["run_id", "step"]).any()
    assert json.loads((folder / "manifest.json").read_text())["status"] == "complete"


def test_a_study_holds_its_folder_until_closed(copy):
    study = resume(copy)
    with pytest.raises(FolderBusy, match=f"PID {os.getpid()}"):
        resume(copy)
    study.close()
    resume(copy).close()


# -- the parent dies or is asked to stop ------------------------------------------------------
@pytest.mark.slow
def test_workers_exit_when_the_parent_is_killed(tmp_path):
    spec_path = tmp_path / "sixty.toml"
    spec_path.write_text(SIXTY)
    parent = popen("sweep", str(spec_path), "--workers", "2", "--out", str(tmp_path / "out"),
                   "--quiet")
    me = psutil.Process(parent.pid)

    def workers():
        return [p for p in me.children(recursive=True)
                if "multiprocessing.spawn" in " ".join(p.cmdline())]

    descendants = []
    try:
        wait_until(lambda: len(workers()) >= 2 and list((tmp_path / "out").glob("*/plan.parquet")),
                   proc=parent)
        descendants = me.children(recursive=True)  # workers and multiprocessing's helpers
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        _, alive = psutil.wait_procs(descendants, timeout=10)
        assert alive == [], f"still running 10 s after the parent was killed: {alive}"
    finally:
        for p in [parent, *descendants]:
            try:
                p.kill()
            except (psutil.NoSuchProcess, ProcessLookupError):
                pass


@pytest.mark.slow
def test_sigterm_keeps_finished_runs_like_ctrl_c_and_resume_completes(tmp_path):
    spec_path = tmp_path / "twenty.toml"
    spec_path.write_text(TWENTY)
    out = tmp_path / "out"
    proc = popen("sweep", str(spec_path), "--workers", "1", "--out", str(out), "--quiet",
                 env={"CHAINSHIFT_FLUSH_SECONDS": "0.2"})
    try:
        wait_until(lambda: list(out.glob("*/parts/runs-*.parquet")), proc=proc)
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, stderr
    assert "interrupted (SIGTERM): finished runs are kept; continue with" in stdout
    (folder,) = out.iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert manifest["sessions"][-1]["signal"] == "SIGTERM"
    assert 0 < manifest["finished_runs"] < 20
    assert len(pd.read_parquet(folder / "runs.parquet")) == manifest["finished_runs"]
    done = cli("sweep", "--resume", str(folder), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "20/20 runs finished" in done.stdout


# -- damaged folders --------------------------------------------------------------------------
def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_truncated_timeseries_part_is_run_again_never_complete_as_is(copy, reference):
    truncate(copy / "timeseries" / "part-000001.parquet")
    out = cli("sweep", "--resume", str(copy), "--workers", "1")
    assert out.returncode == 0, out.stderr
    assert "moved parts/runs-000001.parquet, timeseries/part-000001.parquet" in out.stdout
    assert "6 to run" in out.stdout and "6/6 runs finished" in out.stdout
    assert (copy / "runs.parquet").read_bytes() == (reference / "runs.parquet").read_bytes()
    pd.testing.assert_frame_equal(timeseries(copy), timeseries(reference))
    assert sorted(p.name for p in (copy / "damaged").iterdir()) == [
        "by_chain-part-000001.parquet", "parts-runs-000001.parquet",
        "timeseries-part-000001.parquet"]
    assert same_by_chain(copy, reference)


def same_by_chain(a: Path, b: Path) -> bool:
    """indicators_by_chain.parquet files are byte for byte identical."""
    name = "indicators_by_chain.parquet"
    return (a / name).read_bytes() == (b / name).read_bytes()


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_damaged_by_chain_part_is_run_again_with_its_batch(copy, reference, pool, damage):
    part = copy / "by_chain" / "part-000001.parquet"
    truncate(part) if damage == "truncate" else part.unlink()
    with resume(copy) as study:
        assert len(study.missing()) == 6
        assert any("by_chain/part-000001.parquet" in note for note in study.notes)
        report = study.run(pool)
    assert report.status == "complete" and report.ran == 6
    assert (copy / "runs.parquet").read_bytes() == (reference / "runs.parquet").read_bytes()
    assert same_by_chain(copy, reference)


@pytest.mark.parametrize("damage", ["truncate runs part", "delete parts", "delete timeseries",
                                    "garbage errors"])
def test_damaged_parts_are_moved_aside_and_their_runs_run_again(copy, reference, pool, damage):
    if damage == "truncate runs part":
        truncate(copy / "parts" / "runs-000001.parquet")
    elif damage == "delete parts":
        shutil.rmtree(copy / "parts")
    elif damage == "delete timeseries":
        shutil.rmtree(copy / "timeseries")
    else:
        (copy / "errors.jsonl").write_text('{"run_id": 3, "error": "x"\n\x00\x01garbage\n')
    with resume(copy) as study:
        expect = 0 if damage == "garbage errors" else 6
        assert len(study.missing()) == expect
        assert study.notes
        report = study.run(pool)
    assert report.status == "complete" and report.ran == expect
    assert (copy / "runs.parquet").read_bytes() == (reference / "runs.parquet").read_bytes()
    pd.testing.assert_frame_equal(timeseries(copy), timeseries(reference))
    assert same_by_chain(copy, reference)
    assert (copy / "errors.jsonl").read_text() == ""


@pytest.mark.parametrize(("name", "message"), [
    ("plan.parquet", "plan.parquet: damaged"),
    ("manifest.json", "manifest.json: damaged"),
])
def test_a_damaged_plan_or_manifest_is_one_line_and_exit_2(copy, name, message):
    before = (copy / "runs.parquet").read_bytes()
    truncate(copy / name)
    line = one_error_line(cli("sweep", "--resume", str(copy)))
    assert message in line and "allowed:" in line
    assert (copy / "runs.parquet").read_bytes() == before


def test_errors_jsonl_is_always_written(reference):
    assert (reference / "errors.jsonl").read_text() == ""


def test_a_resume_with_nothing_left_says_so(copy):
    out = cli("sweep", "--resume", str(copy))
    assert out.returncode == 0, out.stderr
    assert "nothing left to run" in out.stdout
    assert "6/6 runs finished, 0 failed; nothing was left to run" in out.stdout
    assert "ETA" not in out.stdout and "runs/s" not in out.stdout


def test_sensitivity_refuses_to_resume_a_grid_folder(copy):
    line = one_error_line(cli("sensitivity", "--resume", str(copy), "--output",
                              "value_added_end"))
    assert "a grid design, not a sensitivity sample" in line


# -- a full disk ------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_full_disk_keeps_what_was_written_and_says_how_to_resume(small_disk, tmp_path):
    disk, remount = small_disk
    remount("160k")
    spec_path = tmp_path / "twenty.toml"
    spec_path.write_text(TWENTY)
    out = cli("sweep", str(spec_path), "--workers", "1", "--out", str(disk), "--quiet",
              env={"CHAINSHIFT_FLUSH_SECONDS": "0.05"})
    line = one_error_line(out)
    (folder,) = [p for p in disk.iterdir() if not p.name.startswith(".")]
    assert "No space left on device" in line
    assert "finished runs already written are kept" in line
    assert f"continue with: python run.py sweep --resume {folder}" in line
    remount("8m")
    done = cli("sweep", "--resume", str(folder), "--quiet")
    assert done.returncode == 0, done.stderr
    assert list(pd.read_parquet(folder / "runs.parquet")["run_id"]) == list(range(20))
    assert not timeseries(folder).duplicated(["run_id", "step"]).any()


# -- too big to plan --------------------------------------------------------------------------
@pytest.mark.parametrize(("sweep", "parameters", "message"), [
    ({"replications": 10**9}, {"policy.coupling": [0.1]}, "plans 1,000,000,000 runs"),
    ({}, {"policy.coupling": {"low": 0, "high": 1, "steps": 10**9}}, "steps = 1,000,000,000"),
    ({"design": "sobol", "samples": 2**40}, {"policy.coupling": {"low": 0, "high": 1}},
     "plans 3,298,534,883,328 runs"),
    ({"design": "lhs", "samples": 10**9}, {"policy.coupling": {"low": 0, "high": 1}},
     "plans 1,000,000,000 runs"),
])
def test_oversized_plans_are_refused_before_anything_is_planned(sweep, parameters, message):
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError, match=message) as err:
        parse_spec({"sweep": sweep, "parameters": parameters}, "big.toml")
    assert time.perf_counter() - t0 < 5
    assert "allowed: at most 1,000,000 runs (raise the limit with --max-runs N)" in str(err.value)


def test_a_billion_run_spec_exits_2_at_once(tmp_path):
    spec = tmp_path / "big.toml"
    spec.write_text('[sweep]\nreplications = 1000\n[parameters]\n'
                    '"policy.coupling" = { low = 0.0, high = 1.0, steps = 1000 }\n'
                    '"policy.carbon_price" = { low = 0.0, high = 100.0, steps = 1000 }\n')
    t0 = time.perf_counter()
    line = one_error_line(cli("sweep", str(spec), "--out", str(tmp_path / "out")))
    assert time.perf_counter() - t0 < 30
    assert "plans 1,000,000,000 runs (1,000,000 points x 1,000 replications)" in line
    assert not (tmp_path / "out").exists()


def test_max_runs_sets_the_limit(tmp_path):
    spec = tmp_path / "small.toml"
    spec.write_text('[sweep]\nreplications = 2\nquarters = 4\n[fixed]\n'
                    '"population.enterprises" = 100\n[parameters]\n'
                    '"policy.coupling" = [0.1, 0.2]\n')
    line = one_error_line(cli("sweep", str(spec), "--max-runs", "3", "--out", str(tmp_path)))
    assert "plans 4 runs" in line and "at most 3 runs" in line
    data = tomllib.loads(spec.read_text())
    assert len(plan(parse_spec(data, "small.toml", max_runs=4))) == 4


# -- workers and environment ------------------------------------------------------------------
def test_more_workers_than_cores_are_capped_with_a_notice(tmp_path):
    spec = tmp_path / "small.toml"
    spec.write_text('[sweep]\nquarters = 4\n[fixed]\n"population.enterprises" = 100\n'
                    '[parameters]\n"policy.coupling" = [0.1, 0.2]\n')
    out = cli("sweep", str(spec), "--workers", "1000", "--quiet", "--out", str(tmp_path / "o"))
    assert out.returncode == 0, out.stderr
    cores = len(os.sched_getaffinity(0))
    assert out.stderr.strip() == (f"notice: sweep: --workers 1000: using {cores}, the cores "
                                  "available (add --oversubscribe to start 1000)")
    (folder,) = (tmp_path / "o").iterdir()
    assert json.loads((folder / "manifest.json").read_text())["workers"] == cores


@pytest.mark.parametrize("value", ["abc"])
def test_a_bad_flush_interval_is_one_line_before_anything_runs(tmp_path, value):
    spec = tmp_path / "small.toml"
    spec.write_text('[sweep]\nquarters = 4\n[parameters]\n"policy.coupling" = [0.1]\n')
    env = {"CHAINSHIFT_FLUSH_SECONDS": value}
    line = one_error_line(cli("sweep", str(spec), "--out", str(tmp_path / "out"), env=env))
    assert f"CHAINSHIFT_FLUSH_SECONDS={value}: not a number of seconds" in line
    assert not (tmp_path / "out").exists()
    assert cli("show", "baseline", env=env).returncode == 0  # other commands are unaffected


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1", "1e9"])
def test_flush_interval_must_be_a_sensible_number_of_seconds(monkeypatch, value):
    from chainshift.experiments.sweep import env_flush_seconds

    monkeypatch.setenv("CHAINSHIFT_FLUSH_SECONDS", value)
    with pytest.raises(ScenarioError, match=r"not a number of seconds from 0\.05 to 3600"):
        env_flush_seconds()
    monkeypatch.setenv("CHAINSHIFT_FLUSH_SECONDS", "2.5")
    assert env_flush_seconds() == 2.5


def test_resume_of_something_else_is_one_line(tmp_path):
    with pytest.raises(FolderError, match="not a sweep results folder"):
        resume(tmp_path)
