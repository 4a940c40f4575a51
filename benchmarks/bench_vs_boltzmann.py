"""Agent-steps per second of the baseline against Mesa's Boltzmann wealth example.

Both run in this process at the same agent count (the baseline's enterprises) for the same
number of steps, each with its data recording on. Run by hand:
``python benchmarks/bench_vs_boltzmann.py [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import math
import time

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

from model import TransitionModel
from scenarios import load_scenario


def chainshift_rate(quarters: int, seed: int) -> tuple[float, int]:
    """Agent-steps per second of a baseline run (enterprises only) and the agent count."""
    scenario = load_scenario("baseline")
    model = TransitionModel(scenario, rng=seed)
    t0 = time.process_time()
    model.run(steps=quarters)
    elapsed = time.process_time() - t0
    firms = model.indicators()["enterprises"].mean()
    return firms * quarters / elapsed, scenario.population.enterprises


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
    args = p.parse_args()
    ours, theirs = [], []
    for r in range(args.repeats):
        rate, agents = chainshift_rate(args.quarters, seed=r)
        ours.append(rate)
        theirs.append(boltzmann_rate(agents, args.quarters, seed=r))
    best_ours, best_theirs = max(ours), max(theirs)
    print(f"chainshift baseline: {best_ours:,.0f} agent-steps/s")
    print(f"Mesa Boltzmann wealth ({agents} agents): {best_theirs:,.0f} agent-steps/s")
    print(f"ratio: {best_ours / best_theirs:.1f}x")


if __name__ == "__main__":
    main()
