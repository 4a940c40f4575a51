"""Agent-steps per second of the baseline against Mesa's Boltzmann wealth example.

Both run in this process for the same number of steps, each with its data recording on; the
Boltzmann model has as many agents as the baseline starts with. The baseline's agent-steps are
counted two ways: all its Mesa agents (enterprises, research institutes, industrial parks:
every one is updated every quarter) and enterprises alone. Run by hand:
``python benchmarks/bench_vs_boltzmann.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import math
import time

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

from chainshift.model import TransitionModel
from chainshift.scenarios import load_scenario


def chainshift_rate(quarters: int, seed: int, pairs: bool = True) -> tuple[float, float, int]:
    """Agent-steps per second of a baseline run (all agents, enterprises only) and the number
    of agents it starts with.
    """
    scenario = load_scenario("baseline")
    model = TransitionModel(scenario, rng=seed, pair_ledger=pairs)
    start = len(model.agents)
    agents: list[int] = []
    t0 = time.process_time()
    model.run(steps=quarters, progress=lambda m: agents.append(len(m.agents)))
    elapsed = time.process_time() - t0
    firms = model.indicators()["enterprises"].sum()
    return sum(agents) / elapsed, firms / elapsed, start


def boltzmann_rate(agents: int, steps: int, seed: int) -> float:
    """Agent-steps per second of Mesa's Boltzmann wealth model with ``agents`` agents."""
    side = math.ceil(math.sqrt(agents))  # one agent per cell, as in the example (100 on 10x10)
    model = BoltzmannWealth(BoltzmannScenario(n=agents, width=side, height=side, rng=seed))
    t0 = time.process_time()
    for _ in range(steps):
        model.step()
    return agents * steps / (time.process_time() - t0)


def main() -> None:
    """Run both models and print the ratio."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quarters", type=int, default=60)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--pair-ledger", choices=("on", "off"), default="on",
                   help="keep the flow ledger by pair of agents (on: the default at this scale)")
    args = p.parse_args()
    ours, ours_firms, theirs = [], [], []
    for r in range(args.repeats):
        rate, firm_rate, agents = chainshift_rate(args.quarters, seed=r,
                                                  pairs=args.pair_ledger == "on")
        ours.append(rate)
        ours_firms.append(firm_rate)
        theirs.append(boltzmann_rate(agents, args.quarters, seed=r))
    best_theirs = max(theirs)
    print(f"chainshift baseline, all agents: {max(ours):,.0f} agent-steps/s")
    print(f"chainshift baseline, enterprises only: {max(ours_firms):,.0f} agent-steps/s")
    print(f"Mesa Boltzmann wealth ({agents} agents): {best_theirs:,.0f} agent-steps/s")
    print(f"ratio, all agents: {max(ours) / best_theirs:.1f}x (best of {args.repeats} each)")
    print(f"ratio, enterprises only: {max(ours_firms) / best_theirs:.1f}x")
    pairs = sorted(a / b for a, b in zip(ours_firms, theirs, strict=True))
    print(f"ratio, enterprises only, run by run: median {pairs[len(pairs) // 2]:.1f}x")


if __name__ == "__main__":
    main()
