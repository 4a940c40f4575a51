"""Shared fixtures: runs of the baseline are cached per session because several test modules
read the same seeds."""

from __future__ import annotations

import functools

import pytest

from model import TransitionModel
from scenarios import load_scenario


@functools.cache
def baseline_run(seed: int, steps: int = 16, enterprises: int | None = None) -> TransitionModel:
    """A baseline model run for ``steps`` quarters (cached; do not mutate)."""
    overrides = {"population.enterprises": enterprises} if enterprises else None
    return TransitionModel(load_scenario("baseline", overrides=overrides), rng=seed).run(
        steps=steps
    )


@pytest.fixture(scope="session")
def baseline_model() -> TransitionModel:
    """The baseline run to 2035 at seed 0."""
    return baseline_run(0, steps=60)
