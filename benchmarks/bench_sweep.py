"""Sweep benchmarks, run by hand: parallel speed-up, parent memory, Dask overhead.

    python benchmarks/bench_sweep.py speedup   # 200 runs at Chongqing scale, 1 vs 2 workers
    python benchmarks/bench_sweep.py memory    # parent peak RSS, 100 vs 1,000 short runs
    python benchmarks/bench_sweep.py dask      # Dask LocalCluster vs the process pool
    python benchmarks/bench_sweep.py all --runs 50 --repeat 3

Timed sweeps run on warm pools (workers started beforehand) and alternate between the
configurations, so load from other work on a shared machine hits each alike; the median of
the paired ratios is the figure to quote.

Goals (docs/DESIGN.md section 7): speed-up >= 1.7 from 1 to 2 workers; parent memory flat in
the number of runs; Dask overhead < 10% of the process pool's time. Each measurement prints
the load average before and after, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chainshift.experiments.executors import open_pool  # noqa: E402
from chainshift.experiments.spec import parse_spec  # noqa: E402
from chainshift.experiments.sweep import start  # noqa: E402


def spec(runs: int, enterprises: int, quarters: int):
    """A one-parameter grid of ``runs`` points (1 replication each)."""
    return parse_spec({
        "sweep": {"name": f"bench{runs}", "seed": 1, "quarters": quarters, "replications": 1},
        "fixed": {"population.enterprises": enterprises},
        "parameters": {"policy.coupling": {"low": 0.0, "high": 1.0, "steps": runs}},
    }, "bench.toml")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


BUSY: dict[int, list[float]] = {}
"""Worker utilisation of each timed sweep by pool: summed run time / (wall x workers)."""


def timed_sweep(pool, runs: int, enterprises: int, quarters: int) -> float:
    """Wall time of one sweep on an open pool (utilisation goes to BUSY)."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        report = start(spec(runs, enterprises, quarters), Path(tmp)).run(pool)
        wall = time.perf_counter() - t0
    assert report.status == "complete", report
    BUSY.setdefault(id(pool), []).append(report.run_s / (wall * pool.workers))
    return wall


def alternate(pools: dict, runs: int, repeat: int) -> dict[str, list[float]]:
    """Time Chongqing-scale sweeps on warm pools, alternating so shared load hits all alike."""
    for pool in pools.values():
        timed_sweep(pool, 2 * pool.workers, 7100, 8)  # start and warm the workers
    times: dict[str, list[float]] = {name: [] for name in pools}
    for _ in range(repeat):
        for name, pool in pools.items():
            times[name].append(timed_sweep(pool, runs, 7100, 60))
            print(f"  {name}: {times[name][-1]:.1f} s ({runs / times[name][-1]:.2f} runs/s, "
                  f"workers busy {100 * BUSY[id(pool)][-1]:.0f}%); {load()}")
    return times


def ratios(times: dict[str, list[float]], a: str, b: str) -> tuple[float, float]:
    """(median of the paired ratios a/b, ratio of the best times)."""
    pairs = sorted(x / y for x, y in zip(times[a], times[b], strict=True))
    return pairs[len(pairs) // 2], min(times[a]) / min(times[b])


def speedup(runs: int, repeat: int) -> dict:
    print(f"speed-up: {runs} runs x 7,100 enterprises x 60 quarters, {repeat} alternations; "
          f"{load()}")
    pools = {"1 worker": open_pool(1), "2 workers": open_pool(2)}
    try:
        times = alternate(pools, runs, repeat)
    finally:
        for pool in pools.values():
            pool.close()
    median, best = ratios(times, "1 worker", "2 workers")
    print(f"  speed-up: median of pairs {median:.2f}, best times {best:.2f} (goal >= 1.7)")
    return {"runs": runs, "times": times, "speedup_median": median, "speedup_best": best}


def memory_child(runs: int) -> None:
    """Run a short sweep in this process and print its own peak RSS (MiB) as JSON."""
    pool = open_pool(2)
    try:
        wall = timed_sweep(pool, runs, 300, 8)  # includes starting the workers
    finally:
        pool.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"runs": runs, "peak_rss_mib": peak, "wall_s": wall}))


def memory() -> list[dict]:
    print(f"parent peak RSS: short runs (300 enterprises, 8 quarters), 2 workers; {load()}")
    out = []
    for runs in (100, 1000):
        line = subprocess.run([sys.executable, __file__, "memory-child", "--runs", str(runs)],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        result = json.loads(line.stdout.strip().splitlines()[-1])
        out.append(result)
        print(f"  {runs:>5} runs: peak RSS {result['peak_rss_mib']:.0f} MiB "
              f"({result['wall_s']:.1f} s); {load()}")
    return out


def dask(runs: int, repeat: int) -> dict:
    """Warm process pool vs warm Dask LocalCluster, both with 2 worker processes."""
    from distributed import LocalCluster

    print(f"Dask overhead: {runs} runs x 7,100 enterprises x 60 quarters, 2 workers, {repeat} "
          f"alternations; {load()}")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        pools = {"processes": open_pool(2), "dask": open_pool(scheduler=cluster.scheduler_address)}
        try:
            times = alternate(pools, runs, repeat)
        finally:
            for pool in pools.values():
                pool.close()
    median, best = ratios(times, "dask", "processes")
    print(f"  Dask overhead: median of pairs {100 * (median - 1):+.1f}%, best times "
          f"{100 * (best - 1):+.1f}% (goal < 10%)")
    return {"runs": runs, "times": times, "overhead_median": median - 1,
            "overhead_best": best - 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("speedup", "memory", "dask", "all", "memory-child"))
    parser.add_argument("--runs", type=int, default=200, help="runs per timed sweep")
    parser.add_argument("--repeat", type=int, default=1, help="alternations (median of pairs)")
    args = parser.parse_args()
    if args.what == "memory-child":
        memory_child(args.runs)
        return
    print(f"{os.cpu_count()} cores; {load()}")
    if args.what in ("speedup", "all"):
        speedup(args.runs, args.repeat)
    if args.what in ("memory", "all"):
        memory()
    if args.what in ("dask", "all"):
        dask(args.runs, args.repeat)


if __name__ == "__main__":
    main()
