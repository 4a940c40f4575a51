"""Indicators users read, one row per quarter (docs/ODD.md, section 7).

Growth rates and growth accounting are year on year: quarter ``t`` against quarter ``t - 4``.
The unrecorded spin-up year before the start is the base of the first year's rates.
"""

from __future__ import annotations

import math

import numpy as np

from model.groups import group_sum
from model.technology import coupling_index

INDICATORS: dict[str, str] = {
    "step": "quarter index from 0 at the first simulated quarter",
    "year": "calendar year",
    "quarter": "quarter of the year, 1-4",
    "value_added": "industrial value added, 100m yuan per quarter (real, start-year prices)",
    "value_added_growth": "value added, percent change on the same quarter a year before",
    "investment": "industrial investment incl. promoted projects, 100m yuan per quarter",
    "investment_growth": "investment, percent change on the same quarter a year before",
    "capital_contribution": "growth accounting: alpha * capital growth, percentage points (log)",
    "labour_contribution": "growth accounting: (1 - alpha) * labour growth, points (log)",
    "tfp_contribution": "growth accounting: TFP growth (the residual), percentage points (log)",
    "innovation_share": "TFP's share of growth, percent: max(tfp,0) / sum of max(contribution,0)",
    "rd_spending": "R&D of enterprises and institutes, 100m yuan per quarter",
    "rd_intensity": "R&D over GDP, percent, comparable with the official R&D/GDP figure",
    "enterprises": "enterprises above designated size, count",
    "high_tech": "certified high-tech enterprises, count",
    "specialized_new": "specialized-and-new (专精特新) enterprises, count",
    "little_giants": "little giant (小巨人) enterprises, count",
    "entries": "entrants this quarter, count",
    "exits": "exits this quarter, count",
    "strategic_emerging_share": "strategic-emerging chains' share of value added, percent",
    "energy_use": "energy use, 10k tce per quarter",
    "energy_intensity": "energy per value added, tce per 10k yuan",
    "co2": "CO2 emissions, 10k tonnes per quarter",
    "carbon_intensity": "CO2 per value added, tonnes per 10k yuan",
    "green_share": "green share of capacity, value-added weighted, 0-1",
    "digital_level": "digital level, value-added weighted, 0-1",
    "park_output_share": "share of value added made inside parks, percent",
    "output_per_park_land": "value added inside parks per plot of park land, 100m yuan per quarter",
    "coupling_index": "how closely institute technology transfers follow chain needs, 0-1",
    "top1_share": "share of value added of the largest 1% of enterprises, percent",
    "talent_flow": "R&D personnel moved this quarter (all talent flows), persons",
    "technology_flow": "technology transferred this quarter, 100m yuan of capacity",
}
"""Indicator columns and their units."""

INDICATOR_UNITS: dict[str, str] = {
    "step": "quarter",
    "year": "year",
    "quarter": "1-4",
    "value_added": "100m yuan/quarter",
    "value_added_growth": "percent",
    "investment": "100m yuan/quarter",
    "investment_growth": "percent",
    "capital_contribution": "percentage points",
    "labour_contribution": "percentage points",
    "tfp_contribution": "percentage points",
    "innovation_share": "percent",
    "rd_spending": "100m yuan/quarter",
    "rd_intensity": "percent of GDP",
    "enterprises": "count",
    "high_tech": "count",
    "specialized_new": "count",
    "little_giants": "count",
    "entries": "count",
    "exits": "count",
    "strategic_emerging_share": "percent",
    "energy_use": "10k tce/quarter",
    "energy_intensity": "tce/10k yuan",
    "co2": "10k t CO2/quarter",
    "carbon_intensity": "t CO2/10k yuan",
    "green_share": "0-1",
    "digital_level": "0-1",
    "park_output_share": "percent",
    "output_per_park_land": "100m yuan/quarter per plot",
    "coupling_index": "0-1",
    "top1_share": "percent",
    "talent_flow": "persons/quarter",
    "technology_flow": "100m yuan of capacity/quarter",
}
"""Unit of each indicator column (same keys as :data:`INDICATORS`)."""

LOWER_IS_BETTER = frozenset(
    {"energy_use", "energy_intensity", "co2", "carbon_intensity", "exits", "top1_share"}
)
"""Indicators whose target is a ceiling: a run meets it at or below the target value."""


class Recorder:
    """Computes the indicator row of the current quarter from the model's columns."""

    def __init__(self, model) -> None:
        self.model = model
        self.history: dict[str, list[float]] = {"va": [], "K": [], "L": [], "inv": []}
        self.current: dict[str, float] = {}

    def _totals(self) -> dict[str, float]:
        f = self.model.firms
        return {
            "va": float(f.va.sum()),
            "K": float(f.K.sum()),
            "L": float(f.L.sum()),
            "inv": float(f.inv.sum()),
        }

    def remember(self, totals: dict[str, float] | None = None) -> None:
        """Keep the aggregates of an unrecorded (spin-up) quarter as growth bases."""
        for k, v in (self._totals() if totals is None else totals).items():
            self.history[k].append(v)

    def record(self) -> None:
        """Compute the indicators of the quarter just simulated into ``current``."""
        m = self.model
        f, s = m.firms, m.config
        tot = self._totals()
        self.remember(tot)
        h = self.history
        alpha = s.technology.capital_elasticity

        def yoy(key: str) -> float:
            base = h[key][-5]
            return 100.0 * (tot[key] / base - 1.0) if base > 0 else 0.0

        def log_growth(key: str) -> float:
            base = h[key][-5]
            return 100.0 * math.log(tot[key] / base) if base > 0 and tot[key] > 0 else 0.0

        g_y = log_growth("va")
        cap = alpha * log_growth("K")
        lab = (1.0 - alpha) * log_growth("L")
        tfp = g_y - cap - lab
        pos = max(cap, 0.0) + max(lab, 0.0) + max(tfp, 0.0)
        va = tot["va"]
        per_va = 1.0 / va if va > 0 else 0.0  # an empty or idle industry reports 0 ratios
        energy = float(f.energy.sum())
        co2 = float(f.co2.sum())
        inst_rd = float(m.institutes.funding.sum())
        rd_total = float(f.rd.sum()) + inst_rd
        en = s.energy
        gdp = va / en.gdp_industry_share
        n_parks = len(m.parks)
        n_hoods = n_parks + m.n_chains  # parks first, then each chain's firms outside parks
        m.parks.va = group_sum(f.va, f.hood, n_hoods)[:n_parks]
        park_va = float(m.parks.va.sum())
        green_va = f.va * f.g
        m.parks.green_share = np.divide(
            group_sum(green_va, f.hood, n_hoods)[:n_parks],
            m.parks.va,
            out=np.zeros(n_parks),
            where=m.parks.va > 0,
        )
        k1 = max(1, len(f) // 100)
        top = np.partition(f.va, len(f) - k1)[len(f) - k1 :].sum() if len(f) else 0.0
        step_flows = m.ledger.totals(m.t - 1)
        self.current = {
            "step": m.t - 1,
            "year": m.year,
            "quarter": m.quarter,
            "value_added": va,
            "value_added_growth": yoy("va"),
            "investment": tot["inv"],
            "investment_growth": yoy("inv"),
            "capital_contribution": cap,
            "labour_contribution": lab,
            "tfp_contribution": tfp,
            "innovation_share": 100.0 * max(tfp, 0.0) / pos if pos > 0 else 0.0,
            "rd_spending": rd_total,
            "rd_intensity": 100.0 * rd_total / (1.0 - en.other_rd_share) / gdp if gdp > 0 else 0.0,
            "enterprises": len(f),
            "high_tech": np.count_nonzero(f.high_tech),
            "specialized_new": np.count_nonzero(f.specialized),
            "little_giants": np.count_nonzero(f.little_giant),
            "entries": m._entries,
            "exits": m._exits,
            "strategic_emerging_share": 100.0 * float(m.chain_va[m._chain_se].sum()) * per_va,
            "energy_use": energy,
            "energy_intensity": energy * per_va,
            "co2": co2,
            "carbon_intensity": co2 * per_va,
            "green_share": float(green_va.sum()) * per_va,
            "digital_level": float((f.d * f.va).sum()) * per_va,
            "park_output_share": 100.0 * park_va * per_va,
            "output_per_park_land": park_va / float(m.parks.land.sum()),
            "coupling_index": coupling_index(m.tech_to_chain, m.needs),
            "top1_share": 100.0 * float(top) * per_va,
            "talent_flow": step_flows.get("talent", 0.0),
            "technology_flow": step_flows.get("technology", 0.0),
        }

