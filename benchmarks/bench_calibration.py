"""Calibration speed: one evaluation of the distance, and a short fit in this process against
worker processes (same fitted values either way).

Run by hand: ``python benchmarks/bench_calibration.py [--workers 2] [--generations 2]``.
"""

from __future__ import annotations

import argparse
import time

from chainshift.experiments.calibration import (
    Objective,
    calibrate,
    free_parameters,
    population_size,
    quarters_needed,
)
from chainshift.experiments.design import replication_seeds
from chainshift.experiments.executors import open_pool
from chainshift.experiments.moments import load_moments
from chainshift.scenarios import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--generations", type=int, default=2)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()

    base = load_scenario("baseline")
    free = free_parameters(None, base)
    objective = Objective(base.model_dump(), tuple(p.key for p in free),
                          tuple(replication_seeds(0, args.seeds)),
                          quarters_needed(base, load_moments()))
    x = [p.start for p in free]
    objective(x)  # warm up imports and caches
    t0 = time.perf_counter()
    reps = 5
    for _ in range(reps):
        objective(x)
    one = (time.perf_counter() - t0) / reps
    print(f"one evaluation ({args.seeds} runs of 7,100 enterprises x 8 quarters): {one:.3f} s")

    budget = args.generations * population_size(len(free))
    t0 = time.perf_counter()
    serial = calibrate(base, free, budget, seeds=args.seeds)
    t_serial = time.perf_counter() - t0
    pool = open_pool(args.workers)
    try:
        t0 = time.perf_counter()
        parallel = calibrate(base, free, budget, seeds=args.seeds, pool=pool)
        t_parallel = time.perf_counter() - t0
    finally:
        pool.close()
    assert parallel.fitted == serial.fitted
    print(f"fit, budget {budget}: this process {t_serial:.1f} s, {args.workers} workers "
          f"{t_parallel:.1f} s (speed-up {t_serial / t_parallel:.2f}, pool start included); "
          "same fitted values")


if __name__ == "__main__":
    main()
