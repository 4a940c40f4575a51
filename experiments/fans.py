"""Parameter uncertainty on the headline path: runs drawn from the fit's distribution.

The fitted parameters are uncertain (:mod:`experiments.precision`): asymptotically
``theta ~ N(theta_hat, V)``. A fan draws ``n`` parameter vectors from that normal. A draw
outside the search range of the fit is drawn again (the range is the support the fit
searched). Each draw is run over the whole horizon with its own model seed ``s_i``. The
*seed band* runs the fitted values on the same seeds ``s_i``, so the two fans differ only by
the parameters: what the fan adds to the seed band is parameter uncertainty.

Quantiles over runs per year (5, 25, 50, 75, 95%) are what the fan charts show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chainshift.experiments.design import replication_seeds
from chainshift.experiments.precision import Precision
from chainshift.experiments.runner import apply_overrides, simulate
from chainshift.scenarios.schema import Scenario

HEADLINE = ("value_added_growth", "innovation_share", "co2", "green_share")
"""Indicators the fan charts show (yearly, ``model.summary.annual``)."""

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles over runs shown per year."""

MAX_REDRAWS = 1000
"""Draws tried per accepted vector before giving up on the search range."""


def draw_parameters(precision: Precision, lo: Sequence[float], hi: Sequence[float], n: int,
                    seed: int = 0) -> np.ndarray:
    """``n`` vectors from ``N(theta_hat, V)`` inside ``[lo, hi]`` (n x parameters).

    Raises:
        ValueError: when ``V`` is not finite (no standard errors), or when the range holds
            too little of the normal to draw from.
    """
    cov = precision.covariance
    if not np.isfinite(cov).all():
        raise ValueError("the fit has no standard errors (G'WG singular): no fan to draw")
    rng = np.random.default_rng(seed)
    lo_a, hi_a = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    out: list[np.ndarray] = []
    tries = 0
    while len(out) < n:
        batch = rng.multivariate_normal(precision.theta, cov, size=n, method="eigh")
        ok = ((batch >= lo_a) & (batch <= hi_a)).all(axis=1)
        out += list(batch[ok][: n - len(out)])
        tries += n
        if tries > MAX_REDRAWS * n:
            raise ValueError("the search range holds too little of the fitted distribution")
    return np.array(out)


@dataclass
class Fan:
    """Yearly headline indicators of the drawn runs and of the seed band.

    Attributes:
        draws: the parameter vectors (runs x parameters).
        keys: the parameters.
        seeds: the model seed of run ``i`` (shared by the drawn and the fitted run ``i``).
        drawn: yearly indicators of the drawn runs, with a ``run`` column.
        fitted: yearly indicators of the fitted values on the same seeds, with ``run``.
    """

    draws: np.ndarray
    keys: tuple[str, ...]
    seeds: list[int]
    drawn: pd.DataFrame
    fitted: pd.DataFrame

    def quantiles(self, which: str, indicator: str) -> pd.DataFrame:
        """Quantiles over runs per year of one indicator (``which``: drawn or fitted)."""
        frame = self.drawn if which == "drawn" else self.fitted
        q = frame.groupby("year")[indicator].quantile(list(QUANTILES)).unstack()
        q.columns = [f"q{round(100 * c):02d}" for c in q.columns]
        return q

    def table(self, years: Sequence[int]) -> pd.DataFrame:
        """Median and 90% band per indicator and year, drawn against seed only."""
        rows = []
        for ind in HEADLINE:
            d, f = self.quantiles("drawn", ind), self.quantiles("fitted", ind)
            for y in years:
                if y in d.index:
                    rows.append({"indicator": ind, "year": y, "median": d.loc[y, "q50"],
                                 "lo": d.loc[y, "q05"], "hi": d.loc[y, "q95"],
                                 "seed_lo": f.loc[y, "q05"], "seed_hi": f.loc[y, "q95"]})
        return pd.DataFrame(rows)


def _yearly(scenario: Scenario, seed: int, run: int) -> pd.DataFrame:
    from chainshift.model.summary import annual

    _, indicators = simulate(scenario, seed, scenario.horizon.quarters)
    yearly = annual(indicators)[["year", *HEADLINE]]
    yearly.insert(0, "run", run)
    return yearly


def fan(base: Scenario, precision: Precision, lo: Sequence[float], hi: Sequence[float],
        n: int = 40, seed: int = 0,
        progress: Callable[[int], None] | None = None) -> Fan:
    """Run ``n`` draws of the fitted parameters and the fitted values on the same seeds.

    Args:
        base: the fitted scenario (its values of ``precision.keys`` are replaced per draw).
        precision: the fit's standard errors.
        lo: lower ends of the fit's search range.
        hi: upper ends of the fit's search range.
        n: runs per fan.
        seed: root of the draws and of the model seeds.
        progress: called with the number of runs done.
    """
    draws = draw_parameters(precision, lo, hi, n, seed)
    seeds = replication_seeds(seed, n)
    drawn, fitted = [], []
    for i, (x, s) in enumerate(zip(draws, seeds, strict=True)):
        overrides = dict(zip(precision.keys, (float(v) for v in x), strict=True))
        drawn.append(_yearly(apply_overrides(base, overrides), s, i))
        fitted.append(_yearly(base, s, i))
        if progress is not None:
            progress(i + 1)
    return Fan(draws, precision.keys, seeds, pd.concat(drawn, ignore_index=True),
               pd.concat(fitted, ignore_index=True))
