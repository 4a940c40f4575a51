"""Yearly figures and run-level outcomes derived from the quarterly indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd

from chainshift.model.accounting import innovation_share
from chainshift.model.indicators import ACCOUNTING, DECOMPOSITION

FLOW_COLUMNS = (
    "value_added",
    "value_added_nominal",
    "investment",
    "rd_spending",
    "energy_use",
    "co2",
    "entries",
    "exits",
    "talent_flow",
    "technology_flow",
    "talent_from_closed_firms",
)
"""Quarterly flows: a year's figure is their sum."""

STOCK_COLUMNS = ("enterprises", "high_tech", "specialized_new", "little_giants", "contracts",
                 "park_budgets")
"""Counts at the end of the quarter: a year's figure is the Q4 value."""

YEARLY_COLUMNS = (*ACCOUNTING, "innovation_share", *DECOMPOSITION)
"""Already yearly (four quarters against the four before, or the fourth-quarter
decomposition): a year's figure is its fourth quarter's."""


def annual(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per year: flows summed, counts and yearly accounting at Q4, the rest averaged.

    Growth rates are recomputed from the yearly sums (``value_added_growth`` of year y is
    ``100 * (VA_y / VA_{y-1} - 1)``); for the first year they are the mean of its quarterly
    year-on-year rates, which use the spin-up year as base. Intensities are ratios of the
    yearly sums. Growth-accounting contributions, the innovation share and the TFP
    decomposition are the fourth quarter's: the calendar year against the one before (NaN for
    a year without a fourth quarter).
    """
    df = indicators
    g = df.groupby("year", sort=True)
    out = g.mean(numeric_only=True)
    for col in FLOW_COLUMNS:
        if col in df:
            out[col] = g[col].sum()
    for col in STOCK_COLUMNS:
        if col in df:
            out[col] = g[col].last()
    q4 = df[df["quarter"] == 4].set_index("year")
    for col in YEARLY_COLUMNS:
        if col in df:
            out[col] = q4[col].reindex(out.index)
    for col, base in (("value_added_growth", "value_added"), ("investment_growth", "investment")):
        grown = 100.0 * (out[base] / out[base].shift(1) - 1.0)
        out[col] = grown.fillna(out[col])
    out["energy_intensity"] = out["energy_use"] / out["value_added"]
    out["carbon_intensity"] = out["co2"] / out["value_added"]
    out["quarters"] = g.size()
    out = out.drop(columns=["step", "quarter"], errors="ignore")
    return out.reset_index()


def window_shares(indicators: pd.DataFrame, windows=((2021, 2025), (2026, 2030), (2031, 2035))):
    """Innovation share of growth over fixed windows of years, percent:
    ``100 sum tfp_contribution / sum growth`` with growth the sum of the contributions, NaN
    where mean growth is below 1% a year (:func:`model.accounting.innovation_share`).

    Returns:
        dict ``"2021-2025" -> share`` for each window inside the run.
    """
    y = annual(indicators).set_index("year")
    out = {}
    for lo, hi in windows:
        years = [t for t in range(lo, hi + 1) if t in y.index]
        if len(years) < hi - lo + 1:
            continue
        part = y.loc[years, list(ACCOUNTING)]
        growth = part.sum(axis=1).to_numpy()
        out[f"{lo}-{hi}"] = innovation_share(part["tfp_contribution"].to_numpy(), growth)
    return out


def outcomes(indicators: pd.DataFrame) -> dict[str, float]:
    """Run-level outcomes: innovation-share crossing, emission peak, end-of-run levels.

    ``innovation_year``: first year from which the innovation share (of the last up to five
    years, :mod:`model.indicators`) stays above 50% (NaN if never; a year where it is
    undefined does not count as above). ``emission_peak_year``: year of the highest yearly CO2
    (the last year if emissions still grow at the end).
    """
    y = annual(indicators)
    full = y[y["quarters"] == 4]
    share = full["innovation_share"].to_numpy()
    years = full["year"].to_numpy()
    above = np.nan_to_num(share, nan=0.0) > 50.0
    crossing = np.nan
    for i in range(len(years)):
        if above[i:].all():
            crossing = float(years[i])
            break
    out: dict[str, float] = {
        "innovation_year": crossing,
        "emission_peak_year": float(years[int(np.argmax(full["co2"].to_numpy()))])
        if len(full)
        else np.nan,
    }
    last = full.iloc[-1] if len(full) else y.iloc[-1]
    for col in (
        "value_added",
        "innovation_share",
        "rd_intensity",
        "strategic_emerging_share",
        "carbon_intensity",
        "green_share",
        "enterprises",
        "leverage",
    ):
        out[f"{col}_end"] = float(last[col])
    for year in (2025, 2030, 2035):
        row = full[full["year"] == year]
        if len(row):
            for col in ("value_added", "innovation_share", "co2", "green_share"):
                out[f"{col}_{year}"] = float(row[col].iloc[0])
    return out
