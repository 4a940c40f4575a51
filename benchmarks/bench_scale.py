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
import importlib
import pstats
import resource
import time
from contextlib import contextmanager, nullcontext

from chainshift.model import TransitionModel
from chainshift.scenarios import load_scenario


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


PHASES = (
    ("prices", "pricing", "set_prices"),
    ("goods markets", "markets", "clear_goods_markets"),
    ("production", "production", "production_phase"),
    ("R&D budgets", "innovation", "set_rd_budgets"),
    ("labour markets", "labour", "clear_labour_markets"),
    ("accounts", "finance", "settle_accounts"),
    ("technology market", "technology", "transfer_knowledge"),
    ("suppliers learn", "suppliers", "spill_knowledge"),
    ("search", "innovation", "search_phase"),
    ("investment", "investment", "invest"),
    ("digital adoption", "adoption", "adopt_digital"),
    ("parks decide", "parks", "decide"),
    ("policy selection", "selection", "select"),
    ("R&D adaptation", "innovation", "adapt_rd"),
    ("exit and entry", "demography", "exit_and_enter"),
    ("supplier links", "suppliers", "relink"),
)
"""Phases of ``TransitionModel._quarter``: (label, module of ``model``, function)."""


@contextmanager
def time_phases(model: TransitionModel):
    """Wrap the schedule's phase functions and the model's recording with timers while the
    context is open; yields the running totals (s) by label.
    """
    totals = dict.fromkeys((*(label for label, _, _ in PHASES), "record"), 0.0)

    def timed(label, function):
        def run(*args, **kwargs):
            t0 = time.perf_counter()
            out = function(*args, **kwargs)
            totals[label] += time.perf_counter() - t0
            return out

        return run

    saved = []
    for label, module, name in PHASES:
        mod = importlib.import_module(f"chainshift.model.{module}")
        saved.append((mod, name, getattr(mod, name)))
        setattr(mod, name, timed(label, getattr(mod, name)))
    model.recorder.record = timed("record", model.recorder.record)
    model.datacollector.collect = timed("record", model.datacollector.collect)
    try:
        yield totals
    finally:
        for mod, name, function in saved:
            setattr(mod, name, function)


def measure(
    enterprises: int, quarters: int, seed: int = 0, phases: bool = False
) -> dict[str, float]:
    """Build and run the baseline at the given scale; return timings (and, with ``phases``,
    milliseconds per quarter of each phase).
    """
    scenario = load_scenario("baseline", overrides={"population.enterprises": enterprises})
    t0, c0 = time.perf_counter(), time.process_time()
    model = TransitionModel(scenario, rng=seed)
    t1 = time.perf_counter()
    with time_phases(model) if phases else nullcontext({}) as totals:
        model.run(steps=quarters)
    t2, c2 = time.perf_counter(), time.process_time()
    model.indicators()
    model.flows()
    firms = model.indicators()["enterprises"].mean()
    per_phase = {f"{k} (ms/quarter)": 1000 * v / quarters for k, v in totals.items()}
    if totals:
        per_phase["phases and record (ms/quarter)"] = 1000 * sum(totals.values()) / quarters
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
