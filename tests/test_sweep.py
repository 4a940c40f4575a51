"""Sweeps: planning, streaming results, failures, worker loss, interruption and resume."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chainshift.experiments.design import plan, replication_seeds
from chainshift.experiments.executors import open_pool
from chainshift.experiments.faults import KillWorker, RaiseOn
from chainshift.experiments.spec import parse_spec
from chainshift.experiments.store import code_fingerprint
from chainshift.experiments.sweep import resume, start
from chainshift.scenarios.loader import ScenarioError

ROOT = Path(__file__).resolve().parent.parent

TINY = {
    "sweep": {"name": "tiny", "replications": 2, "seed": 11, "quarters": 8},
    "fixed": {"population.enterprises": 300},
    "parameters": {"policy.rd_subsidy": [0.0, 0.4], "policy.carbon_price": [0, 150, 300]},
}


def tiny_spec(**sweep):
    data = {**TINY, "sweep": {**TINY["sweep"], **sweep}}
    return parse_spec(data, "tiny.toml")


def timeseries(folder: Path) -> pd.DataFrame:
    ts = pd.read_parquet(folder / "timeseries")
    return ts.sort_values(["run_id", "step"]).reset_index(drop=True)


def same_runs(a: Path, b: Path) -> bool:
    """runs.parquet files are byte for byte identical."""
    return (a / "runs.parquet").read_bytes() == (b / "runs.parquet").read_bytes()


@pytest.fixture(scope="module")
def reference(pool, tmp_path_factory):
    """The uninterrupted sweep every other variant must reproduce."""
    report = start(tiny_spec(), tmp_path_factory.mktemp("ref")).run(pool)
    assert report.status == "complete"
    return report.folder


def test_plan_is_points_times_replications_with_spawned_seeds():
    jobs = plan(tiny_spec())
    assert len(jobs) == 2 * 3 * 2
    children = np.random.SeedSequence(11).spawn(2)
    seeds = [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]
    assert replication_seeds(11, 2) == seeds
    assert [j.run_id for j in jobs] == list(range(12))
    assert [(j.point, j.replication) for j in jobs[:4]] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [j.seed for j in jobs[:4]] == [seeds[0], seeds[1], seeds[0], seeds[1]]
    assert jobs[0].overrides == {"policy.rd_subsidy": 0.0, "policy.carbon_price": 0.0}
    assert jobs[-1].overrides == {"policy.rd_subsidy": 0.4, "policy.carbon_price": 300.0}


@pytest.mark.parametrize(("design", "runs"), [("lhs", 8), ("sobol", 8 * (2 + 2)),
                                              ("morris", 8 * (2 + 1))])
def test_sampled_designs_stay_in_range_and_have_the_salib_sizes(design, runs):
    data = {"sweep": {"design": design, "samples": 8, "seed": 3},
            "parameters": {"population.parks": {"low": 10, "high": 50},
                           "policy.coupling": {"low": 0.2, "high": 0.6}}}
    jobs = plan(parse_spec(data, "s.toml"))
    assert len(jobs) == runs
    parks = [j.overrides["population.parks"] for j in jobs]
    coupling = [j.overrides["policy.coupling"] for j in jobs]
    assert all(isinstance(p, int) and 10 <= p <= 50 for p in parks)
    assert all(0.2 <= c <= 0.6 for c in coupling)
    assert [j.overrides for j in plan(parse_spec(data, "s.toml"))] == [j.overrides for j in jobs]


def test_results_folder_holds_one_row_per_run_and_their_timeseries(reference):
    runs = pd.read_parquet(reference / "runs.parquet")
    assert list(runs["run_id"]) == list(range(12))
    assert list(runs.columns[:6]) == ["run_id", "point", "replication", "seed",
                                      "policy.rd_subsidy", "policy.carbon_price"]
    assert {"innovation_share_end", "emission_peak_year", "value_added_end"} <= set(runs)
    ts = timeseries(reference)
    assert len(ts) == 12 * 8
    assert sorted(ts["run_id"].unique()) == list(range(12))
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["planned_runs"] == 12 and manifest["finished_runs"] == 12
    assert manifest["executor"] == "processes" and manifest["workers"] == 2
    assert manifest["versions"]["mesa"] and manifest["git_commit"]
    assert manifest["spec"]["parameters"]["policy.carbon_price"] == [0, 150, 300]


def test_a_run_reproduces_outside_the_sweep(reference):
    """Row 5 of runs.parquet is a plain model run with that row's parameters and seed."""
    from chainshift.experiments.runner import apply_overrides, simulate

    row = pd.read_parquet(reference / "runs.parquet").iloc[5]
    spec = tiny_spec()
    scenario = apply_overrides(spec.base, {k: row[k] for k in spec.keys})
    outcomes, indicators = simulate(scenario, int(row["seed"]), 8)
    assert outcomes["value_added_end"] == row["value_added_end"]
    ts = timeseries(reference)
    mine = ts[ts["run_id"] == 5].drop(columns="run_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, indicators, check_dtype=False)


def test_the_indicators_by_chain_of_every_run_are_in_one_file(reference):
    from chainshift.experiments.runner import apply_overrides, run_model

    chains = pd.read_parquet(reference / "indicators_by_chain.parquet")
    assert list(chains.columns[:5]) == ["run_id", "step", "year", "quarter", "chain"]
    n_chains = chains["chain"].nunique()
    assert len(chains) == 12 * 8 * n_chains
    assert chains["run_id"].is_monotonic_increasing
    assert not chains.duplicated(["run_id", "step", "chain"]).any()
    # summed over chains, the economy-wide indicators of the same run and quarter
    sums = chains.groupby(["run_id", "step"], observed=True)[["co2", "enterprises"]].sum()
    ts = timeseries(reference).set_index(["run_id", "step"])
    np.testing.assert_allclose(sums["co2"], ts.loc[sums.index, "co2"], rtol=1e-10)
    assert (sums["enterprises"] == ts.loc[sums.index, "enterprises"]).all()
    row = pd.read_parquet(reference / "runs.parquet").iloc[5]
    spec = tiny_spec()
    scenario = apply_overrides(spec.base, {k: row[k] for k in spec.keys})
    mine = chains[chains["run_id"] == 5].drop(columns="run_id").reset_index(drop=True)
    direct = run_model(scenario, int(row["seed"]), 8).indicators_by_chain()
    pd.testing.assert_frame_equal(mine, direct, check_dtype=False, check_categorical=False)
    d = pd.read_csv(reference / "columns.csv", dtype=str, keep_default_na=False)
    assert set(chains.columns) <= set(d.loc[d["file"] == "indicators_by_chain.parquet",
                                            "column"])


def test_interrupted_then_resumed_equals_uninterrupted(pool, reference, tmp_path):
    first = start(tiny_spec(), tmp_path).run(pool, stop_after=3, flush_runs=1)
    assert first.status == "interrupted"
    assert 3 <= first.finished < 12
    kept = pd.read_parquet(first.folder / "runs.parquet")
    assert len(kept) == first.finished
    second = resume(first.folder).run(pool)
    assert second.status == "complete"
    assert second.ran == 12 - first.finished
    assert same_runs(first.folder, reference)
    pd.testing.assert_frame_equal(timeseries(first.folder), timeseries(reference))
    name = "indicators_by_chain.parquet"
    assert (first.folder / name).read_bytes() == (reference / name).read_bytes()
    sessions = json.loads((first.folder / "manifest.json").read_text())["sessions"]
    assert [s["status"] for s in sessions] == ["interrupted", "complete"]


def test_a_failing_run_is_recorded_and_the_rest_finish(pool, reference, tmp_path):
    report = start(tiny_spec(), tmp_path, fault=RaiseOn(frozenset({4}))).run(pool)
    assert report.status == "incomplete"
    assert (report.finished, report.failed) == (11, 1)
    lines = (report.folder / "errors.jsonl").read_text().splitlines()
    assert len(lines) == 1
    error = json.loads(lines[0])
    assert error["run_id"] == 4
    assert error["parameters"] == {"policy.rd_subsidy": 0.0, "policy.carbon_price": 300.0}
    assert error["error"] == "InjectedFault: injected failure in run 4"
    assert "Traceback" in error["traceback"] and "faults.py" in error["traceback"]
    assert 4 not in set(pd.read_parquet(report.folder / "runs.parquet")["run_id"])

    again = resume(report.folder).run(pool)  # the resumed study has no fault: run 4 succeeds
    assert (again.ran, again.status) == (1, "complete")
    assert (report.folder / "errors.jsonl").read_text() == ""
    assert same_runs(report.folder, reference)


def test_a_dead_worker_is_replaced_and_its_runs_retried(reference, tmp_path):
    p = open_pool(1)
    try:
        report = start(tiny_spec(), tmp_path, fault=KillWorker(6, str(tmp_path))).run(p)
    finally:
        p.close()
    assert report.status == "complete"
    assert (tmp_path / "killed-6").read_text() == "1"
    assert same_runs(report.folder, reference)


def test_a_run_that_kills_its_worker_twice_is_recorded_as_failed(tmp_path):
    p = open_pool(1)
    try:
        report = start(tiny_spec(), tmp_path, fault=KillWorker(6, str(tmp_path), times=2)).run(p)
    finally:
        p.close()
    assert (report.finished, report.failed) == (11, 1)
    error = json.loads((report.folder / "errors.jsonl").read_text())
    assert error["run_id"] == 6 and error["error"].startswith("WorkerDied")


def test_resume_refuses_a_different_spec(reference):
    with pytest.raises(ScenarioError, match="differs from the spec"):
        resume(reference, tiny_spec(seed=12))


def test_resuming_a_complete_folder_runs_nothing(pool, reference):
    before = (reference / "runs.parquet").read_bytes()
    report = resume(reference).run(pool)
    assert (report.ran, report.status) == (0, "complete")
    assert (reference / "runs.parquet").read_bytes() == before


SIGINT_SPEC = """
[sweep]
name = "longer"
replications = 2
seed = 5
quarters = 20
[fixed]
"population.enterprises" = 300
[parameters]
"policy.coupling" = { low = 0.0, high = 1.0, steps = 20 }
"""


def test_ctrl_c_keeps_finished_runs_and_resume_completes(pool, tmp_path):
    spec_path = tmp_path / "longer.toml"
    spec_path.write_text(SIGINT_SPEC)
    out = tmp_path / "cli"
    cmd = [sys.executable, str(ROOT / "run.py"), "sweep", str(spec_path), "--workers", "1",
           "--out", str(out), "--quiet"]
    env = {**os.environ, "CHAINSHIFT_FLUSH_SECONDS": "0.5"}
    # Ctrl-C as in a terminal: a suite started in the background (``pytest &``) ignores
    # SIGINT, and a child would inherit that and never see the signal
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob("*/parts/runs-*.parquet")) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "continue with: python run.py sweep --resume" in stdout
    (folder,) = out.iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert 0 < manifest["finished_runs"] < 40
    assert len(pd.read_parquet(folder / "runs.parquet")) == manifest["finished_runs"]

    done = subprocess.run([*cmd[:3], "--resume", str(folder), "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "40/40 runs finished" in done.stdout

    spec = parse_spec(tomllib.loads(SIGINT_SPEC), "longer.toml")
    full = start(spec, tmp_path / "api").run(pool)
    assert (folder / "runs.parquet").read_bytes() == (full.folder / "runs.parquet").read_bytes()
    pd.testing.assert_frame_equal(timeseries(folder), timeseries(full.folder))


def test_resume_notices_changed_model_code(reference, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(reference, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    assert manifest["code"] == manifest["sessions"][0]["code"]
    assert len(manifest["code"]) == 16
    for code, changed in ((code_fingerprint(), False), ("0" * 16, True)):
        manifest["code"] = code
        (copy / "manifest.json").write_text(json.dumps(manifest))
        assert resume(copy).code_changed() is changed
