"""Quarters, years and the scenario's timed events."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chainshift.scenarios.schema import (
    DemandShock,
    EnergyShortage,
    PolicyChange,
    PromotedProject,
    parse_quarter,
)


def quarter_index(text: str, start_year: int) -> int:
    """Step index of a quarter such as '2022Q3' when step 0 is ``start_year``Q1."""
    y, q = parse_quarter(text)
    return 4 * (y - start_year) + (q - 1)


@dataclass
class EventBook:
    """Scenario events laid out by step, for O(1) look-up each quarter.

    Attributes:
        demand: array (steps, chains) of demand multipliers (1 = no shock).
        energy_cut: array (steps,) of the share of energy unavailable.
        policy: dict step -> list of (lever, value) switched on at that step.
        projects: dict step -> list of (chain index, amount).
    """

    demand: np.ndarray
    energy_cut: np.ndarray
    policy: dict[int, list[tuple[str, float]]]
    projects: dict[int, list[tuple[int, float]]]

    @classmethod
    def build(cls, scenario, steps: int) -> EventBook:
        """Lay out the scenario's events over ``steps`` quarters."""
        chains = scenario.chain_names
        start = scenario.horizon.start_year
        demand = np.ones((steps, len(chains)))
        cut = np.zeros(steps)
        policy: dict[int, list[tuple[str, float]]] = {}
        projects: dict[int, list[tuple[int, float]]] = {}
        for ev in scenario.events:
            t0 = quarter_index(ev.start, start)
            if isinstance(ev, DemandShock):
                demand[t0 : t0 + ev.quarters, chains.index(ev.chain)] *= 1.0 + ev.size
            elif isinstance(ev, EnergyShortage):
                cut[t0 : t0 + ev.quarters] = 1 - (1 - cut[t0 : t0 + ev.quarters]) * (1 - ev.cut)
            elif isinstance(ev, PolicyChange):
                policy.setdefault(t0, []).append((ev.lever, ev.value))
            elif isinstance(ev, PromotedProject):
                projects.setdefault(t0, []).append((chains.index(ev.chain), ev.amount))
        return cls(demand, cut, policy, projects)
