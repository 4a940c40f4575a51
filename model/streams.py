"""Named random streams, one per mechanism, spawned from the model's single seed.

Two scenarios run with the same seed draw the same numbers in every mechanism whose calls
agree (common random numbers), because a change in one mechanism cannot shift the draws of
another.
"""

from __future__ import annotations

import numpy as np

MECHANISMS = (
    "setup",
    "demand",
    "innovation",
    "talent",
    "adoption",
    "selection",
    "entry",
    "exit",
    "institutes",
    "rd",
    "contracts",
    "mobility",
    "suppliers",
)


def spawn_streams(seed: int | np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One generator per mechanism in :data:`MECHANISMS`, spawned with ``SeedSequence.spawn``."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return {
        name: np.random.default_rng(child)
        for name, child in zip(MECHANISMS, ss.spawn(len(MECHANISMS)), strict=True)
    }
