"""Design points of a sweep, and the plan of runs: points x replications with their seeds.

Grid designs are the full factorial of the listed values. Sampled designs use SALib:
Latin hypercube (``samples`` points), Saltelli/Sobol' (``samples * (D + 2)`` points, first and
total order) and Morris (``samples`` trajectories of ``D + 1`` points, 4 levels), all seeded
from the spec's seed.

Seeds: ``numpy.random.SeedSequence(seed).spawn(replications)`` gives one seed per
replication, shared by every design point (common random numbers), so differences between
points are not blurred by different random draws.
"""

from __future__ import annotations

import itertools

import numpy as np

from chainshift.experiments.runner import Job
from chainshift.experiments.spec import SweepSpec

MORRIS_LEVELS = 4
"""Grid levels of the Morris design (SALib's default)."""


def problem(spec: SweepSpec) -> dict:
    """The SALib problem dict of a spec's ranges."""
    return {
        "num_vars": len(spec.factors),
        "names": spec.keys,
        "bounds": [[f.low, f.high] for f in spec.factors],
    }


def sample_matrix(spec: SweepSpec, design: str | None = None) -> np.ndarray:
    """Raw design matrix (points x factors) before casting to parameter types.

    Args:
        spec: the validated spec.
        design: override the spec's design (``sensitivity --method``).
    """
    design = design or spec.design
    if design == "grid":
        return np.array(list(itertools.product(*(f.values for f in spec.factors))), dtype=float)
    from SALib.sample import latin, morris, sobol

    prob = problem(spec)
    if design == "lhs":
        return latin.sample(prob, spec.samples, seed=spec.seed)
    if design == "sobol":
        return sobol.sample(prob, spec.samples, calc_second_order=False, seed=spec.seed)
    if design == "morris":
        return morris.sample(prob, spec.samples, num_levels=MORRIS_LEVELS, seed=spec.seed)
    raise ValueError(f"unknown design {design!r}")


def points(spec: SweepSpec, design: str | None = None) -> list[dict[str, int | float]]:
    """Design points as dicts of parameter values, cast to the schema's types."""
    matrix = sample_matrix(spec, design)
    return [{f.key: f.cast(x) for f, x in zip(spec.factors, row, strict=True)} for row in matrix]


def replication_seeds(seed: int, replications: int) -> list[int]:
    """One 32-bit model seed per replication, from ``SeedSequence(seed).spawn``."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]


def plan(spec: SweepSpec, design: str | None = None, fault=None) -> list[Job]:
    """Every run of the study in order: run ``i * replications + r`` is point i, replication r.

    Args:
        spec: the validated spec.
        design: override the spec's design.
        fault: optional test hook attached to every job (see :mod:`experiments.faults`).
    """
    base = spec.base.model_dump()
    seeds = replication_seeds(spec.seed, spec.replications)
    jobs = []
    for i, values in enumerate(points(spec, design)):
        for r, seed in enumerate(seeds):
            jobs.append(Job(run_id=len(jobs), point=i, replication=r, seed=seed,
                            overrides=values, quarters=spec.quarters, base=base, fault=fault))
    return jobs
