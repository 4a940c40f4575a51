"""Same spec and seed give identical results with 1 or 2 local workers and on Dask."""

from pathlib import Path

import pandas as pd
import pytest
from distributed import LocalCluster

from chainshift.experiments.executors import open_pool
from chainshift.experiments.spec import parse_spec
from chainshift.experiments.sweep import start

SPEC = {
    "sweep": {"name": "exec", "replications": 2, "seed": 99, "quarters": 8},
    "fixed": {"population.enterprises": 300},
    "parameters": {"policy.coupling": [0.1, 0.9], "policy.leading_per_chain": [2, 8]},
}


def sweep_with(pool, folder: Path) -> Path:
    try:
        report = start(parse_spec(SPEC, "exec.toml"), folder).run(pool)
    finally:
        pool.close()
    assert report.status == "complete" and report.finished == 8
    return report.folder


def outputs(folder: Path) -> tuple[bytes, pd.DataFrame]:
    ts = pd.read_parquet(folder / "timeseries").sort_values(["run_id", "step"])
    return (folder / "runs.parquet").read_bytes(), ts.reset_index(drop=True)


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    return sweep_with(open_pool(1), tmp_path_factory.mktemp("one"))


def test_two_workers_match_one(one_worker, tmp_path):
    two = sweep_with(open_pool(2), tmp_path)
    runs_1, ts_1 = outputs(one_worker)
    runs_2, ts_2 = outputs(two)
    assert runs_1 == runs_2
    pd.testing.assert_frame_equal(ts_1, ts_2)


def test_dask_cluster_matches_local_processes(one_worker, tmp_path):
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        pool = open_pool(scheduler=cluster.scheduler_address)
        assert pool.kind == "dask" and pool.workers == 2
        folder = sweep_with(pool, tmp_path)
    runs_1, ts_1 = outputs(one_worker)
    runs_d, ts_d = outputs(folder)
    assert runs_1 == runs_d
    pd.testing.assert_frame_equal(ts_1, ts_d)
    runs = pd.read_parquet(folder / "runs.parquet")
    assert runs["policy.leading_per_chain"].dtype.kind == "i"
    assert runs.groupby("point")["value_added_end"].nunique().eq(2).all()  # seeds differ


def test_different_parameters_give_different_results(one_worker):
    runs = pd.read_parquet(one_worker / "runs.parquet")
    same_seed = runs[runs["replication"] == 0]
    assert same_seed["value_added_end"].nunique() == 4


def silent_server():
    """A TCP server that accepts connections and never says anything."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return server, held


def test_a_scheduler_that_never_answers_is_exit_2_within_the_timeout(tmp_path):
    import subprocess
    import sys
    import time

    server, held = silent_server()
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    root = Path(__file__).resolve().parent.parent
    t0 = time.monotonic()
    try:
        out = subprocess.run([sys.executable, str(root / "run.py"), "compare", "baseline",
                              "green_push", "--scheduler", address, "--timeout", "3",
                              "--out", str(tmp_path / "out")],
                             capture_output=True, text=True, timeout=60)
    finally:
        server.close()
    elapsed = time.monotonic() - t0
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert f"--scheduler {address}: cannot connect (no answer within 3 s" in out.stderr
    assert held, "the client never connected"
    assert elapsed < 3 + 20  # the timeout plus start-up, never for ever
    assert not (tmp_path / "out").exists()


def test_the_whole_handshake_is_bounded_in_process():
    import time

    from chainshift.experiments.executors import probe_scheduler

    server, _ = silent_server()
    t0 = time.monotonic()
    try:
        with pytest.raises(OSError, match=r"no answer within 0\.5 s"):
            probe_scheduler(f"tcp://127.0.0.1:{server.getsockname()[1]}", timeout=0.5)
    finally:
        server.close()
    assert time.monotonic() - t0 < 3


@pytest.mark.parametrize(("address", "message"), [
    ("tcp://host:99999", "port '99999' is not a port"),
    ("tcp://host:http", "port 'http' is not a port"),
    ("ftp://host:21", "unknown protocol 'ftp'"),
])
def test_malformed_scheduler_addresses_are_refused_before_connecting(address, message):
    from chainshift.experiments.executors import check_address

    with pytest.raises(ValueError, match=message):
        check_address(address)
    check_address("tcp://10.0.0.5:8786")
    check_address("head:8786")


def test_the_probe_works_inside_a_running_event_loop():
    """A notebook runs an event loop; connecting from it must not fail on asyncio.run."""
    import asyncio

    from chainshift.experiments.executors import probe_scheduler

    server, _ = silent_server()

    async def inside():
        with pytest.raises(OSError, match="no answer"):
            probe_scheduler(f"tcp://127.0.0.1:{server.getsockname()[1]}", timeout=0.5)

    try:
        asyncio.run(inside())
    finally:
        server.close()
