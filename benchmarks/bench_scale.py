"""Speed and memory of the model at Chongqing scale and at 1,000,000 enterprises.

Run by hand:
``python benchmarks/bench_scale.py [--enterprises N] [--quarters Q] [--profile | --phases]``.
Prints set-up time, run time (wall clock), the process's CPU time (less sensitive to other
load on the machine), agent-steps per second and peak memory (maximum resident set size);
``--phases`` adds the time of each phase of the quarter.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import time

from model import TransitionModel
from scenarios import load_scenario


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


PHASES = (
    "demand_phase",
    "production_phase",
    "capital_market",
    "talent_market",
    "technology_market",
    "innovation_phase",
    "investment_phase",
    "adoption_phase",
    "policy_selection",
    "entry_and_exit",
)


def time_phases(model: TransitionModel) -> dict[str, float]:
    """Wrap the model's phases and its recording with timers; returns the running totals (s)."""
    totals = dict.fromkeys((*PHASES, "record"), 0.0)

    def timed(name, method):
        def run(*args, **kwargs):
            t0 = time.perf_counter()
            out = method(*args, **kwargs)
            totals[name] += time.perf_counter() - t0
            return out

        return run

    for name in PHASES:
        setattr(model, name, timed(name, getattr(model, name)))
    model.recorder.record = timed("record", model.recorder.record)
    model.datacollector.collect = timed("record", model.datacollector.collect)
    return totals


def measure(
    enterprises: int, quarters: int, seed: int = 0, phases: bool = False
) -> dict[str, float]:
    """Build and run the baseline at the given scale; return timings (and, with ``phases``,
    milliseconds per quarter of each phase).
    """
    scenario = load_scenario("baseline", overrides={"population.enterprises": enterprises})
    t0, c0 = time.perf_counter(), time.process_time()
    model = TransitionModel(scenario, rng=seed)
    totals = time_phases(model) if phases else {}
    t1 = time.perf_counter()
    model.run(steps=quarters)
    t2, c2 = time.perf_counter(), time.process_time()
    model.indicators()
    model.flows()
    firms = model.indicators()["enterprises"].mean()
    per_phase = {f"{k} (ms/quarter)": 1000 * v / quarters for k, v in totals.items()}
    return per_phase | {
        "enterprises": enterprises,
        "quarters": quarters,
        "setup_s": t1 - t0,
        "run_s": t2 - t1,
        "total_s": t2 - t0,
        "cpu_s": c2 - c0,
        "agent_steps_per_s": firms * quarters / (t2 - t1),
        "peak_rss_mb": peak_rss_mb(),
    }


def main() -> None:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--enterprises", type=int, default=1_000_000)
    p.add_argument("--quarters", type=int, default=60)
    p.add_argument("--profile", action="store_true", help="print the top functions by time")
    p.add_argument("--phases", action="store_true", help="time each phase of the quarter")
    args = p.parse_args()
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
    result = measure(args.enterprises, args.quarters, phases=args.phases)
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    for key, value in result.items():
        print(f"{key:>34}: {value:,.2f}")


if __name__ == "__main__":
    main()
