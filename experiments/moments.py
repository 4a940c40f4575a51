"""Observed Chongqing figures and the moments the model is fitted to.

The data ship in ``scenarios/data/`` (see its README): ``chongqing_in_sample.csv`` holds every
observed figure with its unit and source (nothing after 2022), and ``moments.csv`` says which
of them are calibration moments, how the same quantity is measured on a model run, and the
tolerance of each moment.

A moment is measured on the yearly table of a run (:func:`model.summary.annual`) in one of two
ways (``statistic``):

- ``value``: the yearly indicator in that year;
- ``pct_change``: its percent change on the year before, ``100 (x_y / x_{y-1} - 1)``.

The observed value is read the same way from the data (``data_statistic``), so growth of the
high-tech count is compared as a growth rate, never as a level.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "scenarios" / "data"
OBSERVED_FILE = DATA_DIR / "chongqing_in_sample.csv"
MOMENTS_FILE = DATA_DIR / "moments.csv"
LAST_IN_SAMPLE_YEAR = 2022
"""Nothing observed after this year goes into the fit."""

STATISTICS = ("value", "pct_change")


@dataclass(frozen=True)
class Moment:
    """One calibration moment.

    Attributes:
        name: identifier, e.g. ``va_growth_2021``.
        indicator: the model's indicator (a column of ``model.summary.annual``).
        year: the year it is measured in.
        statistic: ``value`` or ``pct_change`` of the model's yearly indicator.
        observed: the observed value, in ``unit``.
        tolerance: how far the simulated mean may sit from ``observed`` and still count as
            fitting: a 95% band of the observed figure (two of its standard errors, see
            :attr:`sd`); the moment's weight in the distance is ``1 / tolerance**2``.
        unit: unit of ``observed`` and of the simulated moment.
        label: words for tables and plots.
        source: the data rows and sources the observed value comes from.
        tolerance_reason: why the tolerance is what it is.
    """

    name: str
    indicator: str
    year: int
    statistic: str
    observed: float
    tolerance: float
    unit: str
    label: str
    source: str
    tolerance_reason: str

    @property
    def sd(self) -> float:
        """Standard error of the observed figure as a measure of the model's quantity
        (sampling, revision, and the gap between the data's concept and the model's):
        half the tolerance, which is a 95% band.
        """
        return self.tolerance / 2.0

    @property
    def weight(self) -> float:
        """Weight in the distance: inverse squared tolerance (the inverse of the observed
        figure's variance, ``1 / sd**2``, over 4).
        """
        return 1.0 / self.tolerance**2

    def measure(self, yearly: pd.DataFrame) -> float:
        """The moment on one run's yearly table (indexed by year); NaN if the year is missing."""
        if self.year not in yearly.index:
            return float("nan")
        value = float(yearly.loc[self.year, self.indicator])
        if self.statistic == "value":
            return value
        if self.year - 1 not in yearly.index:
            return float("nan")
        before = float(yearly.loc[self.year - 1, self.indicator])
        return 100.0 * (value / before - 1.0) if before != 0 else float("nan")


def read_observed(path: Path) -> pd.DataFrame:
    """Read a table of observed figures, refusing any figure after the in-sample period.

    Raises:
        ValueError: when a row's year is after :data:`LAST_IN_SAMPLE_YEAR`.
    """
    df = pd.read_csv(path, dtype={"year": "Int64"})
    late = df["year"].notna() & (df["year"] > LAST_IN_SAMPLE_YEAR)
    if late.any():
        first = df[late].iloc[0]
        raise ValueError(f"{path}: {first['indicator']} {first['year']}: after "
                         f"{LAST_IN_SAMPLE_YEAR}; allowed: in-sample figures only")
    return df


@cache
def observed_data() -> pd.DataFrame:
    """Every observed figure (``scenarios/data/chongqing_in_sample.csv``)."""
    return read_observed(OBSERVED_FILE)


def _observed_value(data: pd.DataFrame, indicator: str, year: int, statistic: str):
    """(value, source) of an observed statistic, from one row or two consecutive years."""

    def row(y: int) -> pd.Series:
        hit = data[(data["indicator"] == indicator) & (data["year"] == y)]
        if len(hit) != 1:
            raise ValueError(f"{OBSERVED_FILE}: no single row for {indicator} {y}")
        return hit.iloc[0]

    r = row(year)
    where = f"{indicator} {year} ({r['source']})"
    if statistic == "value":
        return float(r["value"]), where
    if statistic == "pct_change":
        b = row(year - 1)
        change = 100.0 * (float(r["value"]) / float(b["value"]) - 1.0)
        return change, f"{indicator} {year - 1} and {where}"
    raise ValueError(f"{MOMENTS_FILE}: data_statistic '{statistic}'; allowed: value, pct_change")


@cache
def load_moments(path: Path = MOMENTS_FILE) -> tuple[Moment, ...]:
    """Moments with their observed values: the calibration's (``scenarios/data/moments.csv``)
    or another table of the same columns, such as the hindcast's checks.
    """
    data = observed_data()
    spec = pd.read_csv(path)
    out = []
    for r in spec.itertuples(index=False):
        if r.statistic not in STATISTICS:
            raise ValueError(f"{path}: {r.moment}: statistic '{r.statistic}'")
        observed, source = _observed_value(data, r.data_indicator, int(r.year), r.data_statistic)
        out.append(
            Moment(
                name=r.moment,
                indicator=r.indicator,
                year=int(r.year),
                statistic=r.statistic,
                observed=observed,
                tolerance=float(r.tolerance),
                unit=r.unit,
                label=r.label,
                source=source,
                tolerance_reason=r.tolerance_reason,
            )
        )
    return tuple(out)


def last_year(moments: tuple[Moment, ...]) -> int:
    """The latest year any moment needs."""
    return max(m.year for m in moments)


def first_year(moments: tuple[Moment, ...]) -> int:
    """The earliest simulated year any moment needs (a percent change needs the year before)."""
    return min(m.year - (m.statistic == "pct_change") for m in moments)


def simulated(indicators: pd.DataFrame, moments: tuple[Moment, ...]) -> np.ndarray:
    """The moments of one run, from its quarterly indicators."""
    from chainshift.model.summary import annual

    yearly = annual(indicators).set_index("year")
    return np.array([m.measure(yearly) for m in moments])


def distance(sim: np.ndarray, moments: tuple[Moment, ...]) -> float:
    """Weighted distance of simulated moments from the observed ones.

    ``J = sum_m ((mbar_m - o_m) / tol_m)^2 / M`` where ``mbar_m`` is the simulated moment
    averaged over the seeds (``sim`` is seeds x moments, or one row), ``o_m`` the observed value
    and ``tol_m`` the moment's tolerance. ``J <= 1`` means the moments are on average inside
    their tolerances; a moment inside its tolerance adds at most ``1 / M``.
    """
    sim = np.atleast_2d(np.asarray(sim, dtype=float))
    mean = sim.mean(axis=0)
    obs = np.array([m.observed for m in moments])
    tol = np.array([m.tolerance for m in moments])
    if not np.isfinite(mean).all():
        return float("inf")
    return float(np.mean(((mean - obs) / tol) ** 2))
