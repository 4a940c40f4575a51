"""Seed bands: the spread of an indicator's path over runs that differ only by their seed.

The band is the **5th to 95th percentile across seeds** (a 90% band), with the mean across
seeds as the central figure. Percentiles are numpy's default (linear interpolation between
order statistics, Hyndman and Fan's type 7), so with ``n`` seeds sorted ``x_(0) <= ... <=
x_(n-1)`` the low end is ``x_(k) + f * (x_(k+1) - x_(k))`` at position ``0.05 * (n - 1) = k + f``.
Runs whose figure is NaN (an innovation share where growth is too small, say) are left out.

It is the spread of the paths, not an interval for the mean: more seeds make it more precise,
not narrower. In a strongly skewed sample of many seeds the mean may fall outside it. ``run
--seeds N``, the ``compare`` tables and the dashboard's seed band all use this function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

LEVEL = 0.90
"""Share of the seeds' spread the band covers (5th to 95th percentile)."""

BAND_LABEL = "mean [5th, 95th percentile] over seeds"
"""How tables name the band."""


def quantiles(level: float = LEVEL) -> tuple[float, float]:
    """The band's lower and upper quantile: (0.05, 0.95) for the 90% band."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"band level {level}: allowed: above 0 and below 1")
    return (1.0 - level) / 2.0, (1.0 + level) / 2.0


def seed_band(values: Iterable[float], level: float = LEVEL) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of ``values`` across seeds; NaNs are left out.

    ``low`` and ``high`` are the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles
    (linear interpolation). With no finite value all three are NaN and n is 0; with one, the
    band is that value.
    """
    x = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float)
    x = x[np.isfinite(x)]
    if not len(x):
        return np.nan, np.nan, np.nan, 0
    lo, hi = np.quantile(x, quantiles(level))
    return float(x.mean()), float(lo), float(hi), len(x)


def band_table(frame: pd.DataFrame, indicators: Sequence[str], by: Sequence[str] = ("year",),
               level: float = LEVEL) -> pd.DataFrame:
    """The band of each indicator per group of ``by`` (one row per run and group in ``frame``).

    Returns:
        columns ``*by, indicator, mean, low, high, n``, sorted by ``by`` then indicator order.
    """
    rows = []
    for key, group in frame.groupby(list(by), sort=True):
        key = key if isinstance(key, tuple) else (key,)
        for ind in indicators:
            mean, lo, hi, n = seed_band(group[ind].to_numpy(dtype=float), level)
            rows.append({**dict(zip(by, key, strict=True)), "indicator": ind, "mean": mean,
                         "low": lo, "high": hi, "n": n})
    return pd.DataFrame(rows, columns=[*by, "indicator", "mean", "low", "high", "n"])


def wide_band(frame: pd.DataFrame, indicators: Sequence[str], by: Sequence[str] = ("year",),
              level: float = LEVEL) -> pd.DataFrame:
    """As :func:`band_table`, one row per group: ``<ind>``, ``<ind>_low``, ``<ind>_high``."""
    g = frame.groupby(list(by), sort=True)
    lo_q, hi_q = quantiles(level)
    out = g[list(indicators)].mean()
    low = g[list(indicators)].quantile(lo_q).add_suffix("_low")
    high = g[list(indicators)].quantile(hi_q).add_suffix("_high")
    return pd.concat([out, low, high], axis=1).reset_index()


def band_text(mean: float, low: float, high: float,
              fmt: str | Callable[[float], str] = "{:.1f}") -> str:
    """``8.4 [7.9, 8.9]`` (``n/a`` for NaN); ``fmt`` is a format string or a function."""
    if not np.isfinite(mean):
        return "n/a"
    f = fmt.format if isinstance(fmt, str) else fmt
    return f"{f(mean)} [{f(low)}, {f(high)}]"
