"""One run of a sweep, as executed in a worker process: scenario + overrides + seed -> results.

Everything a worker needs travels in a :class:`Job` (the resolved scenario as a plain dict,
so remote Dask workers need no scenario files). :func:`execute` never raises for a model
error: it returns a :class:`RunResult` with the traceback, so one bad run cannot stop a sweep.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from chainshift.scenarios.loader import with_overrides
from chainshift.scenarios.schema import Scenario


@dataclass(frozen=True)
class Job:
    """Everything needed to reproduce one run.

    Attributes:
        run_id: position of the run in the plan (0, 1, ...).
        point: index of the design point.
        replication: index of the replication at that point.
        seed: the run's seed (from ``SeedSequence(spec.seed).spawn``).
        overrides: the varied parameters' values at this point.
        quarters: quarters to simulate.
        base: the resolved base scenario (``Scenario.model_dump()``).
        fault: optional test hook from :mod:`experiments.faults`, called before the model runs.
    """

    run_id: int
    point: int
    replication: int
    seed: int
    overrides: dict[str, Any]
    quarters: int
    base: dict[str, Any] = field(repr=False)
    fault: Any = None


@dataclass
class RunResult:
    """What a worker sends back: outcomes and indicators, or the error.

    Attributes:
        job: the job that ran (without its base scenario, to keep results small).
        outcomes: run-level outcomes (``model.summary.outcomes``), or None on error.
        indicators: quarterly indicators with a ``run_id`` column, or None on error.
        by_chain: quarterly indicators by chain with a ``run_id`` column, or None on error.
        error: one line ``ExceptionType: message`` on error.
        traceback: the formatted traceback on error.
        wall_s: seconds the run took in the worker.
    """

    job: Job
    outcomes: dict[str, float] | None = None
    indicators: pd.DataFrame | None = None
    by_chain: pd.DataFrame | None = None
    error: str | None = None
    traceback: str | None = None
    wall_s: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the run produced results."""
        return self.error is None


def apply_overrides(base: Scenario | dict[str, Any], overrides: dict[str, Any]) -> Scenario:
    """The base scenario with dotted-key overrides applied and validated.

    Args:
        base: a Scenario or its ``model_dump()``.
        overrides: ``{"policy.coupling": 1.0, "chains.nev.market_growth": 0.2, ...}``.

    Raises:
        ScenarioError: when a key is unknown or the result fails validation (one line).
    """
    return with_overrides(base, overrides, source="overrides")


def run_model(scenario: Scenario, seed: int, quarters: int):
    """The model run for ``quarters`` (at most its horizon)."""
    from chainshift.model import TransitionModel

    model = TransitionModel(scenario, rng=seed)
    return model.run(steps=min(quarters, model.horizon))


def simulate(scenario: Scenario, seed: int, quarters: int) -> tuple[dict[str, float], pd.DataFrame]:
    """Run the model and return its outcomes and quarterly indicators."""
    from chainshift.model.summary import outcomes

    indicators = run_model(scenario, seed, quarters).indicators()
    return outcomes(indicators), indicators


def execute(job: Job) -> RunResult:
    """Run one job in the current process; model errors are returned, not raised."""
    import time

    t0 = time.perf_counter()
    light = Job(job.run_id, job.point, job.replication, job.seed, job.overrides, job.quarters, {})
    try:
        if job.fault is not None:
            job.fault(job)
        from chainshift.model.summary import outcomes

        scenario = apply_overrides(job.base, job.overrides)
        model = run_model(scenario, job.seed, job.quarters)
        indicators, by_chain = model.indicators(), model.indicators_by_chain()
        results = outcomes(indicators)
    except Exception as err:
        return RunResult(light, error=f"{type(err).__name__}: {err}".splitlines()[0],
                         traceback=traceback.format_exc(), wall_s=time.perf_counter() - t0)
    indicators.insert(0, "run_id", job.run_id)
    by_chain.insert(0, "run_id", job.run_id)
    return RunResult(light, outcomes=results, indicators=indicators, by_chain=by_chain,
                     wall_s=time.perf_counter() - t0)
