"""Calibration by the method of simulated moments.

The free parameters ``theta`` are chosen to minimise the distance between the observed
Chongqing moments (:mod:`experiments.moments`) and the same moments simulated by the model::

    J(theta) = (1/M) sum_m ((mbar_m(theta) - o_m) / tol_m)^2,
    mbar_m(theta) = (1/S) sum_s m_m(theta, seed_s)

Each moment is weighted by its inverse squared tolerance: a tolerance is a 95% band of the
observed figure, so this is the inverse of the figure's variance up to a constant factor
(inverse-variance weights). ``mbar`` averages the simulated moment over S seeds, and every
candidate uses the same seeds (common random numbers), so differences between candidates are
not blurred by different random draws.

``J`` is minimised with ``scipy.optimize.differential_evolution`` (seeded, no gradient polish,
deferred updating): each generation's candidates are handed to a map-like callable that
evaluates them on the executor (:mod:`experiments.executors`) or one after another in this
process. Both give the same numbers, so a calibration is reproducible from its budget, seed
and settings whatever runs it. The current values of the free parameters are a member of
the first population, so the optimiser's best is never worse than where it started.

At the fitted values the moments' Jacobian gives the parameters' standard errors and an
identification check (:mod:`experiments.precision`; ``2 K`` more evaluations for ``K`` free
parameters).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import differential_evolution

from chainshift.experiments import precision as _precision
from chainshift.experiments.design import replication_seeds
from chainshift.experiments.executors import Pool
from chainshift.experiments.moments import (
    Moment,
    distance,
    first_year,
    last_year,
    load_moments,
    simulated,
)
from chainshift.experiments.precision import Precision
from chainshift.experiments.runner import Job, apply_overrides, execute
from chainshift.scenarios.loader import ScenarioError
from chainshift.scenarios.schema import Chain, Scenario, bounds, parameters

DEFAULT_FREE = (
    "finance.capital_gap",
    "technology.innovation_hazard",
    "energy.other_rd_share",
    "technology.efficiency_gain",
    "population.park_membership_small",
    "finance.target_leverage",
    "finance.investment_speed",
)
"""Parameters fitted by default, none of them a policy lever, each moving at least one moment
(screened one at a time at x0.5 and x2): value-added growth (the capital shortfall at the start
and the innovation hazard), R&D intensity (other R&D share), energy intensity (the
efficiency path), the park share (park membership of small firms), leverage (the target firms
borrow to) and investment growth (the speed of closing the capital gap).
``population.value_added_start`` is left out: it sets the level of value added, which the
observed 2020 level pins down. ``labour.rd_wage`` is held at 2.848 (an earlier fit's value):
fitted with the others, it moved no moment beyond seed noise at the fit (largest |t| 1.62 over
20 seeds, 3.25 needed), so the moments cannot tell its value."""

BOUND_FACTORS = (0.5, 2.0)
"""Default search range: the parameter's current value times these factors, within its
schema range."""

POPSIZE = 4
"""Population of differential evolution per free parameter (scipy's ``popsize``)."""

PRECISION_SEEDS = 20
"""Seeds the Jacobian, standard errors and identification check run on (the fit's seeds
first; at least as many as the fit's)."""

FAILED = 1e6
"""Distance given to a candidate whose runs fail (the model raised an error)."""


@dataclass(frozen=True)
class FreeParameter:
    """A parameter being fitted.

    Attributes:
        key: dotted key (``technology.innovation_hazard``, ``chains.nev.market_growth``).
        start: its value in the base scenario.
        lo, hi: the search range.
        unit, help: from the schema.
    """

    key: str
    start: float
    lo: float
    hi: float
    unit: str = ""
    help: str = ""


def _schema_field(key: str, base: Scenario) -> tuple[Any, Any]:
    """(pydantic field, current value) of a dotted key, or raise ScenarioError."""
    parts = key.split(".")
    if parts[0] == "chains" and len(parts) == 3:
        names = base.chain_names
        if parts[1] not in names or parts[2] not in Chain.model_fields:
            raise ScenarioError(f"--free: {key}: unknown chain parameter; allowed: "
                                f"chains.<name>.<field> with name one of {', '.join(names)}")
        chain = base.chains[names.index(parts[1])]
        return Chain.model_fields[parts[2]], getattr(chain, parts[2])
    known = {p["key"] for p in parameters()}
    if key not in known:
        from chainshift.scenarios.schema import did_you_mean

        raise ScenarioError(f"--free: {key}: unknown parameter{did_you_mean(key, known)}; "
                            "allowed: a dotted key of docs/PARAMETERS.md")
    section, name = parts
    return type(getattr(base, section)).model_fields[name], getattr(getattr(base, section), name)


def free_parameter(text: str, base: Scenario) -> FreeParameter:
    """Parse one ``key`` or ``key=lo:hi`` of ``--free`` against the base scenario.

    Without a range, the search runs from 0.5 to 2 times the current value (sorted for
    negative values), clipped to the schema's range; a parameter at 0 searches its whole
    schema range when that is finite.

    Raises:
        ScenarioError: unknown key, a non-float parameter, or a bad range (one line).
    """
    key, _, rng = text.partition("=")
    key = key.strip()
    fld, value = _schema_field(key, base)
    if fld.annotation is not float:
        kind = getattr(fld.annotation, "__name__", str(fld.annotation))
        raise ScenarioError(f"--free: {key}: of type {kind}, not continuous; allowed: "
                            "parameters of type float")
    lo_s, hi_s = bounds(fld)
    lo_s = -math.inf if lo_s is None else float(lo_s)
    hi_s = math.inf if hi_s is None else float(hi_s)
    where = f"--free: {text.strip()}"
    if rng:
        try:
            lo, hi = (float(x) for x in rng.split(":"))
        except ValueError:
            raise ScenarioError(f"{where}: range does not parse; allowed: key=lo:hi, "
                                "e.g. technology.innovation_hazard=0.1:0.5") from None
        if not (lo_s <= lo < hi <= hi_s):
            raise ScenarioError(f"{where}: range outside the schema or empty; allowed: "
                                f"{lo_s:g} <= lo < hi <= {hi_s:g}")
    elif value == 0:
        if not (math.isfinite(lo_s) and math.isfinite(hi_s)):
            raise ScenarioError(f"{where}: the current value is 0; allowed: give a range, "
                                f"{key}=lo:hi")
        lo, hi = lo_s, hi_s
    else:
        a, b = sorted(value * f for f in BOUND_FACTORS)
        lo, hi = max(a, lo_s), min(b, hi_s)
        if not lo < hi:
            raise ScenarioError(f"{where}: no room around {value:g} within the schema range "
                                f"{lo_s:g} to {hi_s:g}; allowed: give a range, {key}=lo:hi")
    extra = fld.json_schema_extra or {}
    return FreeParameter(key, float(value), lo, hi, extra.get("unit", ""), fld.description or "")


def free_parameters(spec: str | Sequence[str] | None, base: Scenario) -> list[FreeParameter]:
    """The free parameters of ``--free key1,key2=lo:hi,...`` (default :data:`DEFAULT_FREE`)."""
    items = spec.split(",") if isinstance(spec, str) else list(spec or DEFAULT_FREE)
    items = [i for i in (x.strip() for x in items) if i]
    if not items:
        raise ScenarioError("--free: no parameters; allowed: key1,key2,... (dotted keys)")
    out = [free_parameter(i, base) for i in items]
    keys = [p.key for p in out]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ScenarioError(f"--free: {', '.join(dup)} given twice; allowed: each key once")
    return out


# -- the objective ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Objective:
    """``J(theta)`` for one base scenario, moments and seeds; picklable for worker processes.

    Attributes:
        base: the base scenario (``Scenario.model_dump()``).
        keys: the free parameters' dotted keys, in the order of ``theta``.
        seeds: the common random-number seeds.
        quarters: quarters simulated per run.
    """

    base: dict[str, Any] = field(repr=False)
    keys: tuple[str, ...]
    seeds: tuple[int, ...]
    quarters: int

    def moments(self, theta: Sequence[float]) -> np.ndarray:
        """Simulated moments, seeds x moments (a failed run gives a row of NaN)."""
        moments = load_moments()
        overrides = dict(zip(self.keys, (float(v) for v in theta), strict=True))
        rows = []
        for i, seed in enumerate(self.seeds):
            result = execute(Job(i, 0, i, seed, overrides, self.quarters, self.base))
            rows.append(simulated(result.indicators, moments) if result.ok
                        else np.full(len(moments), np.nan))
        return np.array(rows)

    def __call__(self, theta: Sequence[float]) -> float:
        """The distance ``J`` (:data:`FAILED` when a run fails)."""
        d = distance(self.moments(theta), load_moments())
        return d if math.isfinite(d) else FAILED


class PoolMap:
    """A map-like callable for ``differential_evolution(workers=...)`` on an executor.

    Keeps every evaluated candidate and its distance, and reports each generation.

    Args:
        pool: the executor; None evaluates in this process, one candidate after another.
        on_batch: called with the number of candidates evaluated so far.
    """

    def __init__(self, pool: Pool | None = None,
                 on_batch: Callable[[int], None] | None = None) -> None:
        self.pool = pool
        self.on_batch = on_batch
        self.history: list[tuple[int, np.ndarray, float]] = []
        self.batches = 0

    def __call__(self, func: Callable[[np.ndarray], float], candidates) -> list[float]:
        """Evaluate ``func`` on every candidate, in order."""
        xs = [np.asarray(x, dtype=float) for x in candidates]
        if self.pool is None:
            values = [float(func(x)) for x in xs]
        else:
            values = [float(v) for v in self.pool.executor.map(func, xs)]
        self.history += [(self.batches, x, v) for x, v in zip(xs, values, strict=True)]
        self.batches += 1
        if self.on_batch is not None:
            self.on_batch(len(self.history))
        return values

    def evaluate(self, func: Callable[[np.ndarray], Any], points: list[np.ndarray]) -> list:
        """``func`` at every point, in order, on the executor (not counted in the history)."""
        if self.pool is None:
            return [func(x) for x in points]
        return list(self.pool.executor.map(func, points))


# -- result -----------------------------------------------------------------------------------
@dataclass
class Calibration:
    """A finished calibration.

    Attributes:
        parameters: the free parameters with their search ranges.
        fitted: fitted values (rounded to 4 significant digits; these are what the report's
            fitted moments and the written scenario use).
        moments: the moments.
        seeds: the common random-number seeds.
        start_moments, fitted_moments: simulated moments, seeds x moments, at the start values
            and at the fitted values.
        history: every evaluated candidate: generation, the parameters, distance.
        settings: budget, popsize, seed, quarters, evaluations, overrides of the base.
        precision: standard errors and identification at the fitted values
            (:mod:`experiments.precision`).
    """

    parameters: list[FreeParameter]
    fitted: dict[str, float]
    moments: tuple[Moment, ...]
    seeds: list[int]
    start_moments: np.ndarray
    fitted_moments: np.ndarray
    history: pd.DataFrame
    settings: dict[str, Any]
    precision: Precision | None = None

    @property
    def start(self) -> dict[str, float]:
        """The free parameters' values before fitting."""
        return {p.key: p.start for p in self.parameters}

    @property
    def start_distance(self) -> float:
        """``J`` at the start values."""
        return distance(self.start_moments, self.moments)

    @property
    def fitted_distance(self) -> float:
        """``J`` at the fitted values."""
        return distance(self.fitted_moments, self.moments)

    def table(self) -> pd.DataFrame:
        """Observed against simulated moments, start and fitted (mean, sd, min, max over seeds),
        and whether each mean is inside its tolerance.
        """
        rows = []
        for j, m in enumerate(self.moments):
            row = {"moment": m.name, "label": m.label, "unit": m.unit, "observed": m.observed,
                   "tolerance": m.tolerance}
            for tag, sims in (("start", self.start_moments), ("fitted", self.fitted_moments)):
                col = sims[:, j]
                row |= {f"{tag}_mean": col.mean(), f"{tag}_sd": col.std(ddof=1) if
                        len(col) > 1 else 0.0, f"{tag}_min": col.min(), f"{tag}_max": col.max(),
                        f"{tag}_inside": bool(abs(col.mean() - m.observed) <= m.tolerance)}
            rows.append(row)
        return pd.DataFrame(rows)

    def parameter_table(self) -> pd.DataFrame:
        """Free parameters: start value, search range, fitted value, unit."""
        return pd.DataFrame([{"parameter": p.key, "start": p.start, "lo": p.lo, "hi": p.hi,
                              "fitted": self.fitted[p.key], "unit": p.unit}
                             for p in self.parameters])


def round_sig(x: float, digits: int = 4) -> float:
    """``x`` rounded to ``digits`` significant digits."""
    return float(f"{x:.{digits}g}")


def quarters_needed(base: Scenario, moments: tuple[Moment, ...]) -> int:
    """Quarters from the horizon's start to the end of the last moment's year.

    Raises:
        ScenarioError: when the horizon does not cover the moments' years.
    """
    h = base.horizon
    if h.start_year > first_year(moments) or h.end_year < last_year(moments):
        raise ScenarioError(
            f"horizon {h.start_year}-{h.end_year}: the moments need "
            f"{first_year(moments)}-{last_year(moments)}; allowed: a scenario whose horizon "
            "covers them")
    return 4 * (last_year(moments) - h.start_year + 1)


def population_size(n_free: int, popsize: int = POPSIZE) -> int:
    """Candidates per generation of differential evolution (scipy: ``popsize * N``, >= 5)."""
    return max(5, popsize * n_free)


def calibrate(
    base: Scenario,
    free: list[FreeParameter],
    budget: int,
    seeds: int = 5,
    seed: int = 0,
    popsize: int = POPSIZE,
    pool: Pool | None = None,
    on_batch: Callable[[int], None] | None = None,
    precision_seeds: int = PRECISION_SEEDS,
) -> Calibration:
    """Fit the free parameters to the observed moments.

    Args:
        base: the scenario whose other parameters stay fixed.
        free: the free parameters (:func:`free_parameters`).
        budget: most evaluations of ``J`` (one evaluation runs the model once per seed);
            differential evolution gets ``budget // population - 1`` generations after the
            initial population.
        seeds: common random-number seeds per evaluation (from ``SeedSequence(seed)``).
        seed: root seed of the model seeds and of differential evolution.
        popsize: candidates per generation per free parameter.
        pool: the executor; None evaluates in this process.
        on_batch: progress callback, given the number of evaluations so far.
        precision_seeds: seeds of the standard errors and identification check at the
            fitted values (at least ``seeds`` are used; the fit's seeds come first).

    Raises:
        ScenarioError: when the budget is smaller than one population, or the base's horizon
            does not cover the moments.
    """
    moments = load_moments()
    quarters = quarters_needed(base, moments)
    pop = population_size(len(free), popsize)
    if budget < pop:
        raise ScenarioError(
            f"--budget {budget}: less than one population ({pop} = {popsize} x "
            f"{len(free)} free parameters); allowed: at least {pop}")
    generations = budget // pop - 1
    model_seeds = tuple(replication_seeds(seed, seeds))
    objective = Objective(base.model_dump(), tuple(p.key for p in free), model_seeds, quarters)
    mapper = PoolMap(pool, on_batch)
    x0 = np.array([p.start for p in free])
    result = differential_evolution(
        objective,
        bounds=[(p.lo, p.hi) for p in free],
        maxiter=generations,
        popsize=popsize,
        rng=np.random.default_rng(seed),
        polish=False,
        updating="deferred",
        workers=mapper,
        init="latinhypercube",
        x0=np.clip(x0, [p.lo for p in free], [p.hi for p in free]),
    )
    fitted = {p.key: min(max(round_sig(v), p.lo), p.hi)
              for p, v in zip(free, result.x, strict=True)}
    precision, at_theta = precision_of(apply_overrides(base, fitted), free, seeds,
                                       precision_seeds, seed, evaluate=mapper.evaluate)
    fitted_moments = at_theta[:seeds]  # the fit's seeds come first
    history = pd.DataFrame(
        [{"evaluation": i, "generation": g, **dict(zip(objective.keys, x, strict=True)),
          "distance": v} for i, (g, x, v) in enumerate(mapper.history)])
    return Calibration(
        parameters=free,
        fitted=fitted,
        moments=moments,
        seeds=list(model_seeds),
        start_moments=objective.moments(x0),
        fitted_moments=fitted_moments,
        history=history,
        settings={"budget": budget, "popsize": popsize, "population": pop,
                  "generations": generations, "evaluations": len(history), "seed": seed,
                  "seeds": seeds, "quarters": quarters, "optimiser_best": float(result.fun),
                  "planned_evaluations": pop * (generations + 1), "generations_run": result.nit,
                  "stop_reason": str(result.message),
                  "strategy": "best1bin", "updating": "deferred", "polish": False,
                  "difference_step": _precision.STEP,
                  "precision_seeds": max(seeds, precision_seeds),
                  "precision_seeds_asked": precision_seeds},
        precision=precision,
    )


def precision_of(fitted: Scenario, free: list[FreeParameter], fit_seeds: int,
                 precision_seeds: int = PRECISION_SEEDS, seed: int = 0,
                 evaluate: Callable | None = None) -> tuple[Precision, np.ndarray]:
    """Standard errors and identification of a fit (:mod:`experiments.precision`).

    Args:
        fitted: the scenario at the fitted values.
        free: the free parameters (their search ranges bound the central differences).
        fit_seeds: seeds the fit averaged (``S``).
        precision_seeds: seeds of the Jacobian (at least ``fit_seeds`` are used; the fit's
            seeds, ``replication_seeds(seed, ...)``, come first).
        seed: the fit's root seed.
        evaluate: maps a function over points (e.g. :meth:`PoolMap.evaluate`).

    Returns:
        The precision, and the simulated moments at the fitted values (seeds x moments).
    """
    moments = load_moments()
    keys = tuple(p.key for p in free)
    objective = Objective(fitted.model_dump(), keys,
                          tuple(replication_seeds(seed, max(fit_seeds, precision_seeds))),
                          quarters_needed(fitted, moments))
    flat = fitted.model_dump()
    theta = [_value(flat, k) for k in keys]
    at_theta = objective.moments(theta)
    pr = _precision.estimate(objective.moments, theta, [p.lo for p in free],
                             [p.hi for p in free], at_theta, keys, moments,
                             fit_seeds=fit_seeds, evaluate=evaluate)
    return pr, at_theta


def _value(dump: dict[str, Any], key: str) -> float:
    """The value of a dotted key in a scenario's ``model_dump()``."""
    parts = key.split(".")
    if parts[0] == "chains":
        chain = next(c for c in dump["chains"] if c["name"] == parts[1])
        return float(chain[parts[2]])
    return float(dump[parts[0]][parts[1]])


def fitted_scenario(base: Scenario, cal: Calibration) -> Scenario:
    """The base scenario with the fitted values applied."""
    return apply_overrides(base, cal.fitted)
