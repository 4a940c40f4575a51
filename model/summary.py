"""Yearly figures and run-level outcomes derived from the quarterly indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd

FLOW_COLUMNS = (
    "value_added",
    "investment",
    "rd_spending",
    "energy_use",
    "co2",
    "entries",
    "exits",
    "talent_flow",
    "technology_flow",
)
"""Quarterly flows: a year's figure is their sum."""

STOCK_COLUMNS = ("enterprises", "high_tech", "specialized_new", "little_giants")
"""Counts at the end of the quarter: a year's figure is the Q4 value."""


def annual(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per year: flows summed, counts at Q4, shares and levels averaged.

    Growth rates are recomputed from the yearly sums (``value_added_growth`` of year y is
    ``100 * (VA_y / VA_{y-1} - 1)``); for the first year they are the mean of its quarterly
    year-on-year rates, which use the spin-up year as base. Intensities are ratios of the
    yearly sums. The innovation share of a year comes from the year's mean growth-accounting
    contributions, ``100 max(tfp, 0) / (max(cap, 0) + max(lab, 0) + max(tfp, 0))``, not from
    averaging quarterly shares.
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
    for col, base in (("value_added_growth", "value_added"), ("investment_growth", "investment")):
        grown = 100.0 * (out[base] / out[base].shift(1) - 1.0)
        out[col] = grown.fillna(out[col])
    if {"capital_contribution", "labour_contribution", "tfp_contribution"} <= set(out):
        parts = out[["capital_contribution", "labour_contribution", "tfp_contribution"]]
        positive = parts.clip(lower=0.0).sum(axis=1)
        share = 100.0 * out["tfp_contribution"].clip(lower=0.0) / positive.where(positive > 0)
        out["innovation_share"] = share.fillna(0.0)
    out["energy_intensity"] = out["energy_use"] / out["value_added"]
    out["carbon_intensity"] = out["co2"] / out["value_added"]
    out["quarters"] = g.size()
    out = out.drop(columns=["step", "quarter"], errors="ignore")
    return out.reset_index()


def outcomes(indicators: pd.DataFrame) -> dict[str, float]:
    """Run-level outcomes: innovation-share crossing, emission peak, end-of-run levels.

    ``innovation_year``: first year from which the yearly innovation share stays above 50%
    (NaN if never). ``emission_peak_year``: year of the highest yearly CO2 (the last year if
    emissions still grow at the end).
    """
    y = annual(indicators)
    full = y[y["quarters"] == 4]
    share = full["innovation_share"].to_numpy()
    years = full["year"].to_numpy()
    above = share > 50.0
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
    ):
        out[f"{col}_end"] = float(last[col])
    for year in (2025, 2030, 2035):
        row = full[full["year"] == year]
        if len(row):
            for col in ("value_added", "innovation_share", "co2", "green_share"):
                out[f"{col}_{year}"] = float(row[col].iloc[0])
    return out
