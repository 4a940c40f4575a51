"""The model the dashboard runs, and its what-if reference run with the same seed.

The run is a scenario with the levers set in the room.

Mesa's SolaraViz rebuilds a model on Reset by calling its class with keyword arguments
(``_build_model_init_kwargs``). :class:`WorkshopModel` therefore takes the run's settings as one
keyword argument, which may be a function returning the settings in force: the dashboard passes
its lever panel's, so Reset rebuilds with the levers currently set.

Note: Mesa's ``Model.scenario`` is Mesa's own scenario object; the chainshift scenario a run
uses is ``model.config``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from chainshift.model import TransitionModel
from chainshift.scenarios.loader import load_scenario
from chainshift.scenarios.schema import Scenario


@dataclass(frozen=True)
class RunSettings:
    """What the room has chosen: a scenario, levers changed from it, a what-if reference.

    Attributes:
        scenario: name or path of the scenario run.
        levers: policy field -> value, for levers set away from the scenario's value.
        reference: scenario the run is compared with (what-if mode), or None.
        enterprises: population override (None: the scenario's own), for quick runs and tests.
        band_seeds: seeds of the seed band drawn around the run (and the reference): the run's
            seed and the next ``band_seeds - 1``; 0 or 1 draws none.
    """

    scenario: str = "baseline"
    levers: Mapping[str, float] = field(default_factory=dict)
    reference: str | None = None
    enterprises: int | None = None
    band_seeds: int = 0

    def overrides(self) -> dict[str, float]:
        """Dotted-key overrides for :func:`scenarios.loader.load_scenario`."""
        out: dict[str, float] = {f"policy.{k}": v for k, v in self.levers.items()}
        if self.enterprises is not None:
            out["population.enterprises"] = self.enterprises
        return out

    def with_lever(self, name: str, value: float, scenario_value: float) -> RunSettings:
        """These settings with one lever set.

        A lever set back to the scenario's own value is dropped from ``levers``.
        """
        levers = dict(self.levers)
        if abs(value - scenario_value) <= 1e-12 * max(1.0, abs(scenario_value)):
            levers.pop(name, None)
        else:
            levers[name] = value
        return replace(self, levers=levers)


SettingsSource = RunSettings | Callable[[], RunSettings] | None


def build_scenario(settings: RunSettings) -> Scenario:
    """The scenario of the run: the named scenario with the lever overrides.

    Raises:
        scenarios.loader.ScenarioError: for an unknown scenario or a lever out of range.
    """
    return load_scenario(settings.scenario, overrides=settings.overrides() or None)


def build_reference(settings: RunSettings) -> Scenario | None:
    """The reference scenario of a what-if comparison (the same population override), or None."""
    if settings.reference is None:
        return None
    pop = {"population.enterprises": settings.enterprises} if settings.enterprises else None
    return load_scenario(settings.reference, overrides=pop)


BAND_SEEDS = 5
"""Seeds of the dashboard's seed band when it is switched on."""

BAND_INDICATORS = ("value_added_growth", "innovation_share", "co2", "carbon_intensity",
                   "green_share", "digital_level", "high_tech", "specialized_new",
                   "little_giants")
"""Quarterly indicators the time charts draw as lines, so the ones a band is drawn for."""


@dataclass(frozen=True)
class SeedBand:
    """The spread of the run's path (and the reference's) over several seeds, per quarter.

    Attributes:
        seeds: the seeds run: the run's own seed and the ones after it.
        run: ``experiments.bands.wide_band`` of the run's quarterly indicators by year and
            quarter: ``year, quarter, <indicator>, <indicator>_low, <indicator>_high``.
        reference: the same for the reference scenario, or None outside what-if mode.
    """

    seeds: tuple[int, ...]
    run: pd.DataFrame
    reference: pd.DataFrame | None = None


def _band_of(scenario: Scenario, seeds: list[int]) -> pd.DataFrame:
    from chainshift.experiments.bands import wide_band
    from chainshift.experiments.batch import run_jobs
    from chainshift.experiments.runner import Job

    base = scenario.model_dump()
    jobs = [Job(run_id=i, point=0, replication=i, seed=s, overrides={},
                quarters=scenario.horizon.quarters, base=base) for i, s in enumerate(seeds)]
    results = run_jobs(jobs)
    failed = [r for r in results if not r.ok]
    if failed:
        raise ValueError(f"seed band: seed {failed[0].job.seed}: {failed[0].error}")
    stacked = pd.concat([r.indicators for r in results], ignore_index=True)
    return wide_band(stacked, list(BAND_INDICATORS), by=("year", "quarter"))


_BAND_CACHE: dict[tuple, SeedBand] = {}
_BAND_CACHE_SIZE = 8


def _band_key(settings: RunSettings, seed: int) -> tuple:
    return (settings.scenario, tuple(sorted(settings.levers.items())), settings.reference,
            settings.enterprises, settings.band_seeds, seed)


def seed_band(settings: RunSettings, seed: int) -> SeedBand | None:
    """The seed band of ``settings`` run from ``seed`` (None when ``band_seeds`` < 2).

    The seeds are ``seed, seed + 1, ..., seed + band_seeds - 1`` (as ``run --seed --seeds``
    reads them), each run over the whole horizon in this process, so the band is ready for
    every quarter the room steps to. The last few bands are kept: Reset, or going back to
    settings tried before, does not run them again.
    """
    if settings.band_seeds < 2:
        return None
    key = _band_key(settings, seed)
    hit = _BAND_CACHE.get(key)
    if hit is None:
        seeds = list(range(seed, seed + settings.band_seeds))
        ref = build_reference(settings)
        hit = SeedBand(tuple(seeds), _band_of(build_scenario(settings), seeds),
                       _band_of(ref, seeds) if ref is not None else None)
        while len(_BAND_CACHE) >= _BAND_CACHE_SIZE:
            _BAND_CACHE.pop(next(iter(_BAND_CACHE)))
        _BAND_CACHE[key] = hit
    return hit


class WorkshopModel(TransitionModel):
    """A :class:`TransitionModel` built from :class:`RunSettings`, with its reference run.

    The reference (same seed, so common random numbers) steps in lockstep with the run.

    Args:
        settings: the settings, or a function returning the settings in force.
        rng: seed of both runs.

    Attributes:
        settings: the settings the run was built with.
        reference: the what-if reference run, or None.
    """

    def __init__(self, settings: SettingsSource = None, rng: int | None = 0) -> None:
        if callable(settings):
            settings = settings()
        settings = settings if settings is not None else RunSettings()
        super().__init__(build_scenario(settings), rng=rng)
        self.settings = settings
        ref = build_reference(settings)
        self.reference = TransitionModel(ref, rng=rng) if ref is not None else None
        self._frames: dict[str, tuple[int, pd.DataFrame]] = {}

    def step(self) -> None:
        """One quarter of the run and of its reference."""
        super().step()
        ref = self.reference
        if ref is not None and not ref.finished and ref.t < self.t:
            ref.step()

    def replay(self, quarters: int) -> WorkshopModel:
        """Simulate ``quarters`` quarters (or until the run stops); returns self."""
        for _ in range(max(0, quarters)):
            if not self.running or self.finished:
                break
            self.step()
        return self

    def indicator_frame(self) -> pd.DataFrame:
        """``indicators()`` of the run, computed once per quarter simulated."""
        return self._cached("indicators", self)

    def reference_frame(self) -> pd.DataFrame | None:
        """``indicators()`` of the reference run, or None outside what-if mode."""
        return None if self.reference is None else self._cached("indicators", self.reference)

    def band_frame(self) -> SeedBand | None:
        """The seed band of the run's settings and seed, or None when it is off."""
        return seed_band(self.settings, int(self.seed or 0))

    def flow_frame(self, by: str = "kind") -> pd.DataFrame:
        """``flows(by)`` of the run, computed once per quarter simulated."""
        return self._cached("flows", self, by=by)

    def reference_flow_frame(self) -> pd.DataFrame | None:
        """``flows()`` of the reference run, or None outside what-if mode."""
        return None if self.reference is None else self._cached("flows", self.reference)

    def _cached(self, what: str, model: TransitionModel, **options) -> pd.DataFrame:
        key = f"{what}:{'run' if model is self else 'reference'}:{sorted(options.items())}"
        hit = self._frames.get(key)
        if hit is None or hit[0] != model.t:
            hit = (model.t, getattr(model, what)(**options))
            self._frames[key] = hit
        return hit[1]


def rebuild(settings: RunSettings, seed: int, quarters: int) -> WorkshopModel:
    """A new run with ``settings``, simulated to the same quarter as the one it replaces."""
    return WorkshopModel(settings, rng=seed).replay(quarters)
