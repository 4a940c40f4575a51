"""Every policy lever moves some economic outcome: the schema's levers walked from the
minimum to the maximum of their range, paired on the same seeds.

A count of the lever's own status (specialized-and-new firms, little giants) does not count as
an outcome: the lever must change what the economy does. Runs at 2,000 enterprises to 2030
keep the walk quick; the difference must be clear (|t| above 3.5 over 10 seeds) in at least one of
the outcomes.
"""

from __future__ import annotations

import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from chainshift.model import TransitionModel
from chainshift.model.summary import annual
from chainshift.scenarios import load_scenario
from chainshift.scenarios.schema import parameters

LEVERS = [p for p in parameters() if p["key"].startswith("policy.")]
SEEDS = range(10)
OUTCOMES = ("value_added", "investment", "tfp_contribution", "rd_intensity", "co2",
            "green_share", "digital_level", "enterprises", "leverage", "rd_staff",
            "park_output_share", "coupling_index", "energy_use")
"""Yearly outcomes, averaged over 2021-2030."""


def _outcomes(args) -> np.ndarray:
    key, value, seed = args
    s = load_scenario("baseline", overrides={"population.enterprises": 2000,
                                             "horizon.end_year": 2030, key: value})
    y = annual(TransitionModel(s, rng=seed).run().indicators()).set_index("year")
    return y.loc[2021:2030, list(OUTCOMES)].mean().to_numpy()


@pytest.fixture(scope="module")
def walk() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    jobs = [(p["key"], p[end], seed) for p in LEVERS for end in ("lo", "hi") for seed in SEEDS]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        results = list(pool.map(_outcomes, jobs, chunksize=4))
    out, i = {}, 0
    for p in LEVERS:
        lo = np.array(results[i : i + len(SEEDS)])
        hi = np.array(results[i + len(SEEDS) : i + 2 * len(SEEDS)])
        out[p["key"]] = (lo, hi)
        i += 2 * len(SEEDS)
    return out


@pytest.mark.parametrize("key", [p["key"] for p in LEVERS])
def test_every_lever_moves_an_outcome(walk, key):
    lo, hi = walk[key]
    d = hi - lo
    sd = d.std(axis=0, ddof=1)
    t = np.divide(d.mean(axis=0), sd / math.sqrt(d.shape[0]), out=np.zeros(d.shape[1]),
                  where=sd > 0)
    t[(sd == 0) & (d.mean(axis=0) != 0)] = np.inf  # the same shift on every seed
    moved = {o: round(float(x), 1) for o, x in zip(OUTCOMES, t, strict=True) if abs(x) > 3.5}
    assert moved, f"{key}: no outcome moves between {lo.mean(axis=0)} and {hi.mean(axis=0)}"
