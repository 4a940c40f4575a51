"""Indicators users read, one row per quarter (docs/ODD.md, section 7.9).

Real value added is a chain-linked Tornqvist index of the chains' real output with nominal
value-added weights, in 100m yuan of start-year prices. Growth accounting is yearly: every
quarter, the four quarters ending with it against the four before (so a fourth quarter's row
holds the calendar year's accounting), with Tornqvist cost shares of capital services
(utilisation-adjusted capital at its user cost), workers and R&D staff (Hall 1990); the first
three quarters have no previous year and are NaN. The innovation share is the sum of TFP
contributions over the sum of growth across the last (up to) five yearly windows, NaN where
mean growth is below 1% a year. Each fourth quarter TFP growth within chains is decomposed
(Melitz and Polanec 2015; :func:`model.accounting.melitz_polanec`); the terms and the gap to
the Solow residual sum to ``tfp_contribution``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chainshift.model import accounting
from chainshift.model import parks as park_rules
from chainshift.model.groups import group_sum
from chainshift.model.production import effective_tfp
from chainshift.model.setup import GAIN_SOURCES
from chainshift.model.technology import coupling_index

INDICATORS: dict[str, str] = {
    "step": "quarter index from 0 at the first simulated quarter",
    "year": "calendar year",
    "quarter": "quarter of the year, 1-4",
    "value_added": "industrial value added, real (chain-linked Tornqvist, start-year prices)",
    "value_added_nominal": "industrial value added at current prices",
    "value_added_growth": "real value added, percent change on the same quarter a year before",
    "investment": "industrial investment incl. promoted projects",
    "investment_growth": "investment, percent change on the same quarter a year before",
    "capital_contribution": "growth accounting (last four quarters on the four before): "
    "cost share times log growth of utilisation-adjusted capital, points",
    "labour_contribution": "growth accounting: cost share times log growth of workers, points",
    "rd_staff_contribution": "growth accounting: cost share times log growth of R&D staff, points",
    "tfp_contribution": "growth accounting: TFP growth, the residual, points",
    "innovation_share": "TFP contributions over growth in the last (up to) five years, percent; "
    "NaN where mean growth is below 1% a year",
    "tfp_within": "within-firm TFP growth of surviving firms (Melitz-Polanec, fourth quarters)",
    "tfp_within_rd": "within-firm TFP growth from own innovation",
    "tfp_within_imitation": "within-firm TFP growth from imitation of the frontier",
    "tfp_within_transfer": "within-firm TFP growth from institute transfers and innovation "
    "centres",
    "tfp_within_suppliers": "within-firm TFP growth of suppliers learning from their customers",
    "tfp_within_renovation": "within-firm TFP growth from technical renovation (embodied)",
    "tfp_within_digital": "within-firm TFP growth from digital upgrades",
    "tfp_reallocation": "TFP growth from reallocation among surviving firms (covariance term)",
    "tfp_entry": "TFP growth from entrants",
    "tfp_exit": "TFP growth from exits",
    "tfp_composition": "TFP growth from shifts of value added between chains",
    "tfp_gap": "Solow residual less the decomposition's terms (aggregation, utilisation, "
    "timing)",
    "rd_spending": "R&D of enterprises and institutes",
    "rd_intensity": "R&D over GDP, comparable with the official R&D/GDP figure",
    "rd_staff": "R&D staff employed by enterprises",
    "rd_wage": "cost of one R&D person this quarter",
    "wage": "labour cost per worker this quarter",
    "employment": "production workers",
    "leverage": "liabilities over assets of enterprises (debt over capital plus cash)",
    "credit_granted": "share of credit requests banks granted this quarter",
    "utilisation": "capital-weighted utilisation of capital",
    "frontier_gap": "value-added-weighted log distance of firms' TFP below the rivals' frontier",
    "market_share": "Chongqing's value-weighted share of its chains' markets",
    "enterprises": "enterprises above designated size",
    "high_tech": "certified high-tech enterprises",
    "specialized_new": "specialized-and-new (专精特新) enterprises",
    "little_giants": "little giant (小巨人) enterprises",
    "entries": "entrants this quarter",
    "exits": "exits this quarter",
    "strategic_emerging_share": "strategic-emerging chains' share of value added",
    "energy_use": "energy use",
    "energy_intensity": "energy per unit of real value added",
    "co2": "CO2 emissions",
    "carbon_intensity": "CO2 per unit of real value added",
    "green_share": "clean share of capital",
    "digital_level": "digital level, value-added weighted",
    "park_output_share": "share of value added made inside parks",
    "output_per_park_land": "value added inside parks per plot of park land",
    "park_budgets": "parks' budgets: taxes kept and land sales not yet spent, all parks",
    "land_price": "parks' land price index, land-weighted mean (1 at the start)",
    "coupling_index": "how closely institute technology transfers follow chain needs",
    "contracts": "contracts between enterprises and institutes",
    "contract_coupling_index": "how closely the technology contracts carry follows chain needs",
    "contracts_need_matched": "contracts whose institute's own research covers the firm's chain "
                              "(focus at least an even share)",
    "contracts_colocated": "contracts joining a firm and an institute in the same park",
    "technology_within_parks": "share of the technology contracts carry that stays in a park",
    "contracts_top10_share": "share of contracts held by the 10% of institutes with most "
                             "partners",
    "supplier_links": "named supplier links between firms of different chains",
    "supplier_links_colocated": "supplier links joining two firms of the same park",
    "suppliers_top10_share": "share of supplier links held by the 10% of firms with most "
                             "customers",
    "intermediate_orders": "orders of Chongqing's firms to firms of other chains, share of "
                           "all orders",
    "talent_openings_from_firms": "share of R&D staff openings filled by staff that shrinking or "
                                  "closing firms released",
    "talent_to_more_productive": "share of named R&D staff moves to a firm further ahead of its "
                                 "chain's median TFP than the one left",
    "talent_from_closed_firms": "R&D staff of last quarter's closing firms re-employed by "
                                "other firms",
    "top1_share": "share of value added of the largest 1% of enterprises",
    "talent_flow": "R&D personnel moved this quarter (all talent flows)",
    "technology_flow": "technology transferred this quarter",
}
"""Indicator columns and what they mean."""

INDICATOR_UNITS: dict[str, str] = {
    "step": "quarter",
    "year": "year",
    "quarter": "1-4",
    "value_added": "100m yuan/quarter",
    "value_added_nominal": "100m yuan/quarter",
    "value_added_growth": "percent",
    "investment": "100m yuan/quarter",
    "investment_growth": "percent",
    "capital_contribution": "percentage points",
    "labour_contribution": "percentage points",
    "rd_staff_contribution": "percentage points",
    "tfp_contribution": "percentage points",
    "innovation_share": "percent",
    **{k: "percentage points" for k in (
        "tfp_within", "tfp_within_rd", "tfp_within_imitation", "tfp_within_transfer",
        "tfp_within_suppliers", "tfp_within_renovation", "tfp_within_digital",
        "tfp_reallocation", "tfp_entry", "tfp_exit", "tfp_composition", "tfp_gap",
    )},
    "rd_spending": "100m yuan/quarter",
    "rd_intensity": "percent of GDP",
    "rd_staff": "persons",
    "rd_wage": "10k yuan/person/quarter",
    "wage": "10k yuan/worker/quarter",
    "employment": "persons",
    "leverage": "percent",
    "credit_granted": "percent",
    "utilisation": "0-1",
    "frontier_gap": "log points",
    "market_share": "percent",
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
    "green_share": "percent",
    "digital_level": "0-1",
    "park_output_share": "percent",
    "output_per_park_land": "100m yuan/quarter per plot",
    "park_budgets": "100m yuan",
    "land_price": "index",
    "coupling_index": "0-1",
    "contracts": "count",
    "contract_coupling_index": "0-1",
    "contracts_need_matched": "percent",
    "contracts_colocated": "percent",
    "technology_within_parks": "percent",
    "contracts_top10_share": "percent",
    "supplier_links": "count",
    "supplier_links_colocated": "percent",
    "suppliers_top10_share": "percent",
    "intermediate_orders": "percent",
    "talent_openings_from_firms": "percent",
    "talent_to_more_productive": "percent",
    "talent_from_closed_firms": "persons/quarter",
    "top1_share": "percent",
    "talent_flow": "persons/quarter",
    "technology_flow": "100m yuan of capacity/quarter",
}
"""Unit of each indicator column (same keys as :data:`INDICATORS`)."""

BY_CHAIN: dict[str, str] = {
    "step": INDICATORS["step"],
    "year": INDICATORS["year"],
    "quarter": INDICATORS["quarter"],
    "chain": "industrial chain (the scenario's chain name)",
    "value_added": "the chain's real value added: its share of nominal value added times the "
    "chained real total, so the chains sum to the economy's value_added",
    "value_added_nominal": "the chain's value added at current prices",
    "value_added_growth": "the chain's real value added, percent change on the same quarter a "
    "year before; NaN where the chain had no value added then",
    "co2": "the chain's CO2 emissions",
    "energy_use": "the chain's energy use",
    "enterprises": "the chain's enterprises above designated size",
    "rd_spending": "R&D of the chain's enterprises and of institutes for it (each institute's "
    "funding split over chains by its own research focus)",
    "green_share": "clean share of the chain's capital",
}
"""Columns of the indicators by chain (:meth:`Recorder.by_chain`); units as in
:data:`INDICATOR_UNITS` (``chain`` has none)."""

BY_PARK: dict[str, str] = {
    "step": INDICATORS["step"],
    "year": INDICATORS["year"],
    "quarter": INDICATORS["quarter"],
    "park": "the park's id (its row; parks never close)",
    "kind": "national_high_tech, national_economic or municipal",
    "tenants": "enterprises in the park",
    "value_added_nominal": "the tenants' value added at current prices",
    "green_share": "clean share of the tenants' capital",
    "service": "the park's service level S",
    "digital": "the park's digital infrastructure D",
    "green": "the park's green infrastructure G (shared low-carbon energy)",
    "budget": "taxes kept and land sales not yet spent",
    "spent": "the park's own programme this quarter (besides the plan's)",
    "land_price": "the park's land price index (1 at the start)",
    "entrants": "entrants it admitted this quarter",
}
"""Columns of the indicators by park (:func:`by_park_frame`); units in :data:`PARK_UNITS` and
:data:`INDICATOR_UNITS`."""

PARK_UNITS = {"tenants": "count", "service": "0-1", "digital": "0-1", "green": "0-1",
              "budget": "100m yuan", "spent": "100m yuan/quarter", "land_price": "index",
              "entrants": "count/quarter"}
"""Units of the by-park columns not in :data:`INDICATOR_UNITS` (value added and green share
are in the indicators' units)."""

_PARK_VALUES = ("tenants", "value_added_nominal", "green_share", "service", "digital", "green",
                "budget", "spent", "land_price", "entrants")

CHAIN_SUMS = ("value_added", "value_added_nominal", "co2", "energy_use", "enterprises",
              "rd_spending")
"""By-chain columns that sum over chains to the economy-wide indicator of the same name."""

_CHAIN_VALUES = ("value_added", "value_added_nominal", "value_added_growth", "co2",
                 "energy_use", "enterprises", "rd_spending", "green_share")
"""Per-chain numbers, in the order of the rows of :attr:`Recorder.chain_rows`' arrays."""

DECOMPOSITION = (
    "tfp_within", *(f"tfp_within_{s}" for s in GAIN_SOURCES), "tfp_reallocation", "tfp_entry",
    "tfp_exit", "tfp_composition", "tfp_gap",
)
"""Columns of the yearly TFP decomposition (fourth quarters only)."""

ACCOUNTING = ("capital_contribution", "labour_contribution", "rd_staff_contribution",
              "tfp_contribution")
"""Growth-accounting contributions, which sum to real value-added growth."""

NAMED_MOVES = ("talent_to_more_productive", "talent_from_closed_firms")
"""Indicators of named staff moves: NaN when the ledger keeps kinds only (above
``PAIR_LEDGER_LIMIT`` enterprises unless ``pair_ledger=True``)."""

MAYBE_NAN = frozenset({*ACCOUNTING, "innovation_share", *DECOMPOSITION, *NAMED_MOVES})
"""Indicators that are NaN where they are undefined (see the module docstring)."""

LOWER_IS_BETTER = frozenset(
    {"energy_use", "energy_intensity", "co2", "carbon_intensity", "exits", "top1_share"}
)
"""Indicators whose target is a ceiling: a run meets it at or below the target value."""

SHARE_YEARS = 5
"""Length of the innovation-share window, years."""


@dataclass(slots=True)
class QuarterTotals:
    """Aggregates of one simulated quarter kept as growth bases.

    Attributes:
        qv: real output and nominal value added by chain, shape (2, n_chains).
        level: chained real value added.
        inv: investment.
        inputs: capital services, workers, R&D staff.
        costs: their costs (user cost of the services, wage bill, R&D wage bill).
    """

    qv: np.ndarray
    level: float
    inv: float
    inputs: tuple[float, float, float]
    costs: tuple[float, float, float]


INPUTS = ("capital", "labour", "rd_staff")
"""Inputs of the growth accounting, in the order of :attr:`QuarterTotals.inputs`."""


class Recorder:
    """Computes the indicator row of the current quarter from the model's columns."""

    def __init__(self, model) -> None:
        self.model = model
        self.quarters: list[QuarterTotals] = []  # aggregates of every simulated quarter
        self.yearly: list[tuple[float, float]] = []  # (growth, tfp) of each quarter's window
        self.level = 0.0  # chained real value added
        self.snapshot: accounting.Snapshot | None = None
        self.base_phi: np.ndarray | None = None
        self.current: dict[str, float] = {}
        self._windows: dict[int, accounting.Window] = {}  # by the number of quarters they end at
        # (step, year, quarter, values by chain) of every recorded quarter
        self.chain_rows: list[tuple[int, int, int, np.ndarray]] = []
        self.park_rows: list[tuple[int, int, int, np.ndarray]] = []

    def _aggregates(self) -> QuarterTotals:
        m = self.model
        f, nc = m.firms, m.n_chains
        qv = np.stack((group_sum(f.y, f.chain, nc), group_sum(f.va, f.chain, nc)))
        if not self.quarters:
            self.level = float(qv[1].sum())
        else:
            prev = self.quarters[-1].qv
            link = accounting.tornqvist_log_change(prev[0], qv[0], prev[1], qv[1])
            self.level *= (math.exp(link) if math.isfinite(link)
                           else (0.0 if not qv[0].any() else 1.0))
        services = f.z * f.K
        labour, staff = float(f.L.sum()), float(f.H.sum())
        return QuarterTotals(
            qv, self.level, float(f.inv.sum()), (float(services.sum()), labour, staff),
            (float((f.u / 4.0 * services).sum()), m.wage * 1e-4 * labour,
             m.rd_wage * 1e-4 * staff),
        )

    def remember(self) -> None:
        """Keep the aggregates of an unrecorded (spin-up) quarter as growth bases."""
        self.quarters.append(self._aggregates())
        self.yearly.append(self._accounting()[0:2] if len(self.quarters) >= 8 else (math.nan,) * 2)
        if self.model.quarter == 4:
            self._decompose()

    def _accounting(self) -> tuple[float, float, dict]:
        """Yearly growth accounting of the four quarters just ended against the four before."""
        end = len(self.quarters)
        now, prev = self._window(end), self._window(end - 4)
        out = accounting.growth_accounting(prev, now)
        return out["growth"], out["tfp_contribution"], out

    def _window(self, end: int) -> accounting.Window:
        """The accounting window of the four quarters ending with quarter ``end`` (counted
        from 1); a window is the later one of one year's accounting and the earlier one of the
        accounting four quarters on, so it is summed once and kept that long.
        """
        window = self._windows.pop(end, None)
        if window is None:
            window = _window(self.quarters[end - 4:end])
        self._windows[end] = window
        self._windows.pop(end - 8, None)
        return window

    def _decompose(self) -> dict[str, float]:
        """Melitz-Polanec decomposition against the previous fourth quarter; resets the
        firms' gains by source.
        """
        m = self.model
        f = m.firms
        bonus = m.config.technology.digital_bonus
        phi = np.log(effective_tfp(f.A, f.d, bonus))
        if self.base_phi is None:  # normalise ln A' by each chain's mean at the first snapshot
            w = group_sum(f.va, f.chain, m.n_chains)
            self.base_phi = np.divide(group_sum(phi * f.va, f.chain, m.n_chains), w,
                                      out=np.zeros(m.n_chains), where=w > 0)
        phi -= self.base_phi[f.chain]
        snap = accounting.Snapshot(f.slot.copy(), f.chain.copy(), phi, f.va.copy())
        out = {}
        if self.snapshot is not None:
            sources = {s: getattr(f, f"gain_{s}") for s in GAIN_SOURCES}
            out = accounting.melitz_polanec(self.snapshot, snap, m.n_chains, sources)
        self.snapshot = snap
        for s in GAIN_SOURCES:
            getattr(f, f"gain_{s}")[:] = 0.0
        return out

    def record(self) -> None:
        """Compute the indicators of the quarter just simulated into ``current``."""
        m = self.model
        f, s = m.firms, m.config
        agg = self._aggregates()
        self.quarters.append(agg)
        nan = math.nan
        growth_acc = dict.fromkeys(ACCOUNTING, nan)
        if len(self.quarters) >= 8:
            growth, tfp, out = self._accounting()
            for k in ACCOUNTING:
                growth_acc[k] = out[k]
        else:
            growth, tfp = nan, nan
        self.yearly.append((growth, tfp))
        window = [w for w in self.yearly[::-4][:SHARE_YEARS] if math.isfinite(w[0])]
        share = _innovation_share([w[1] for w in window], [w[0] for w in window])
        decomposition = dict.fromkeys(DECOMPOSITION, nan)
        if m.quarter == 4:
            mp = self._decompose()
            if mp:
                for src in GAIN_SOURCES:
                    decomposition[f"tfp_within_{src}"] = mp[f"within_{src}"]
                for k in ("within", "reallocation", "entry", "exit", "composition"):
                    decomposition[f"tfp_{k}"] = mp[k]
                parts = sum(mp[k] for k in ("within", "reallocation", "entry", "exit",
                                            "composition"))
                decomposition["tfp_gap"] = tfp - parts

        def yoy(now: float, key: str) -> float:
            if len(self.quarters) < 5:
                return nan
            base = getattr(self.quarters[-5], key)
            return 100.0 * (now / base - 1.0) if base > 0 else 0.0

        real = agg.level
        v = agg.qv[1]
        nominal = float(v.sum())
        per_real = 1.0 / real if real > 0 else 0.0
        per_nominal = 1.0 / nominal if nominal > 0 else 0.0
        energy = float(f.energy.sum())
        co2 = float(f.co2.sum())
        inst_rd = float(m.institutes.funding.sum())
        rd_total = float(f.rd.sum()) + inst_rd
        en = s.energy
        gdp = nominal / en.gdp_industry_share
        n_parks = len(m.parks)
        n_hoods = n_parks + m.n_chains  # parks first, then each chain's firms outside parks
        m.parks.va = group_sum(f.va, f.hood, n_hoods)[:n_parks]
        park_va = float(m.parks.va.sum())
        green_k = f.g * f.K
        m.parks.green_share = np.divide(
            group_sum(green_k, f.hood, n_hoods)[:n_parks],
            group_sum(f.K, f.hood, n_hoods)[:n_parks],
            out=np.zeros(n_parks),
            where=m.parks.va > 0,
        )
        k1 = max(1, len(f) // 100)
        top = np.partition(f.va, len(f) - k1)[len(f) - k1 :].sum() if len(f) else 0.0
        capital = float(f.K.sum())
        services, labour, staff = agg.inputs
        cm = m.chain_markets
        market = cm.market(m.years)
        gap = np.maximum(0.0, m.log_frontier()[f.chain] - np.log(f.A)) if len(f) else f.A
        step_flows = m.ledger.totals(m.t - 1)
        assets = capital + float(f.M.sum())
        self.current = {
            "step": m.t - 1,
            "year": m.year,
            "quarter": m.quarter,
            "value_added": real,
            "value_added_nominal": nominal,
            "value_added_growth": yoy(real, "level"),
            "investment": agg.inv,
            "investment_growth": yoy(agg.inv, "inv"),
            **growth_acc,
            "innovation_share": share,
            **decomposition,
            "rd_spending": rd_total,
            "rd_intensity": 100.0 * rd_total / (1.0 - en.other_rd_share) / gdp if gdp > 0 else 0.0,
            "rd_staff": staff,
            "rd_wage": m.rd_wage,
            "wage": m.wage,
            "employment": labour,
            "leverage": 100.0 * float(f.D.sum()) / assets if assets > 0 else 0.0,
            "credit_granted": 100.0 * m.credit_granted,
            "utilisation": services / capital if capital > 0 else 0.0,
            "frontier_gap": float((gap * f.va).sum()) * per_nominal,
            "market_share": 100.0 * float(cm.demand.sum()) / float(market.sum()),
            "enterprises": len(f),
            "high_tech": np.count_nonzero(f.high_tech),
            "specialized_new": np.count_nonzero(f.specialized),
            "little_giants": np.count_nonzero(f.little_giant),
            "entries": m.entries,
            "exits": m.exits,
            "strategic_emerging_share": 100.0 * float(v[m.chain_se].sum()) * per_nominal,
            "energy_use": energy,
            "energy_intensity": energy * per_real,
            "co2": co2,
            "carbon_intensity": co2 * per_real,
            "green_share": 100.0 * float(green_k.sum()) / capital if capital > 0 else 0.0,
            "digital_level": float((f.d * f.va).sum()) * per_nominal,
            "park_output_share": 100.0 * park_va * per_nominal,
            "output_per_park_land": park_va / float(m.parks.land.sum()),
            "park_budgets": float(m.parks.budget.sum()),
            "land_price": float(m.parks.land_price @ m.parks.land) / float(m.parks.land.sum()),
            "coupling_index": coupling_index(m.tech_to_chain, m.needs),
            **m.network_values,
            "top1_share": 100.0 * float(top) * per_nominal,
            "talent_flow": step_flows.get("talent", 0.0),
            "technology_flow": step_flows.get("technology", 0.0),
        }
        inst = m.institutes
        self.chain_rows.append((m.t - 1, m.year, m.quarter, chain_values(
            agg, self.quarters[-5] if len(self.quarters) >= 5 else None, f, m.n_chains,
            inst.funding @ m.institute_focus, green_k,
        )))
        p = m.parks
        self.park_rows.append((m.t - 1, m.year, m.quarter, np.stack((
            park_rules.tenants(m), p.va, 100.0 * p.green_share, p.service, p.digital, p.green,
            p.budget, p.spent, p.land_price, p.sold)).astype(float)))

    def by_chain(self, chain_names) -> pd.DataFrame:
        """The recorded quarters by chain: one row per (step, chain), columns :data:`BY_CHAIN`."""
        n = len(chain_names)
        k = len(self.chain_rows)
        values = (np.concatenate([r[3] for r in self.chain_rows], axis=1) if k
                  else np.zeros((len(_CHAIN_VALUES), 0)))
        frame = {
            key: np.repeat(np.array([r[i] for r in self.chain_rows], dtype=np.int64), n)
            for i, key in enumerate(("step", "year", "quarter"))
        }
        frame["chain"] = pd.Categorical(np.tile(np.asarray(chain_names, dtype=object), k),
                                        categories=list(chain_names))
        for i, key in enumerate(_CHAIN_VALUES):
            frame[key] = values[i]
        frame["enterprises"] = frame["enterprises"].astype(np.int64)
        return pd.DataFrame(frame, columns=list(BY_CHAIN))


def by_park_frame(rows, kinds: np.ndarray, kind_names) -> pd.DataFrame:
    """The recorded quarters by park: one row per (step, park), columns :data:`BY_PARK`."""
    n, k = kinds.size, len(rows)
    values = (np.concatenate([r[3] for r in rows], axis=1) if k
              else np.zeros((len(_PARK_VALUES), 0)))
    frame = {key: np.repeat(np.array([r[i] for r in rows], dtype=np.int64), n)
             for i, key in enumerate(("step", "year", "quarter"))}
    frame["park"] = np.tile(np.arange(n, dtype=np.int64), k)
    frame["kind"] = pd.Categorical.from_codes(np.tile(kinds.astype(np.int64), k),
                                              categories=list(kind_names))
    for i, key in enumerate(_PARK_VALUES):
        frame[key] = values[i]
    for key in ("tenants", "entrants"):
        frame[key] = frame[key].astype(np.int64)
    return pd.DataFrame(frame, columns=list(BY_PARK))


def chain_real(totals: QuarterTotals) -> np.ndarray:
    """Real value added by chain: each chain's share of nominal value added times the chained
    real total (zero in a quarter without value added).
    """
    v = totals.qv[1]
    nominal = float(v.sum())
    return v * (totals.level / nominal) if nominal > 0 else np.zeros_like(v)


def chain_values(totals: QuarterTotals, base: QuarterTotals | None, firms, n_chains: int,
                 institute_rd: np.ndarray, green_k: np.ndarray | None = None) -> np.ndarray:
    """The quarter's numbers by chain, shape ``(len(_CHAIN_VALUES), n_chains)``.

    Args:
        totals: this quarter's aggregates (value added by chain, the chained real total).
        base: the aggregates of the same quarter a year before (None: no base, growth NaN).
        firms: the firm table (columns ``chain``, ``co2``, ``energy``, ``rd``, ``g``, ``K``).
        n_chains: number of chains.
        institute_rd: institutes' R&D by chain.
        green_k: clean capital of each firm, ``g K`` (computed if not given).
    """
    f = firms
    chain = f.chain
    real = chain_real(totals)
    growth = np.full(n_chains, math.nan)
    if base is not None:
        before = chain_real(base)
        np.divide(real, before, out=growth, where=before > 0)
        growth = 100.0 * (growth - 1.0)  # NaN stays NaN where the chain had no base
    k = group_sum(f.K, chain, n_chains)
    green_k = f.g * f.K if green_k is None else green_k
    green = np.divide(100.0 * group_sum(green_k, chain, n_chains), k, out=np.zeros(n_chains),
                      where=k > 0)
    count = np.bincount(chain, minlength=n_chains)[:n_chains].astype(float)
    return np.stack((real, totals.qv[1], growth, group_sum(f.co2, chain, n_chains),
                     group_sum(f.energy, chain, n_chains), count,
                     group_sum(f.rd, chain, n_chains) + institute_rd, green))


def _window(quarters: list[QuarterTotals]) -> accounting.Window:
    """Four quarters' aggregates summed into one accounting window."""
    q, v = np.add.reduce([x.qv for x in quarters])  # in order, as a running sum
    return accounting.Window(
        q=q,
        v=v,
        inputs={k: sum(x.inputs[i] for x in quarters) for i, k in enumerate(INPUTS)},
        costs={k: sum(x.costs[i] for x in quarters) for i, k in enumerate(INPUTS)},
    )


def _running_sum(values: list[float]) -> float:
    """``x_1 + x_2 + ...`` left to right: numpy's sum of fewer than eight numbers (Python's
    ``sum`` of floats compensates rounding since 3.12, so it can differ in the last digit).
    """
    total = 0.0
    for x in values:
        total += x
    return total


def _innovation_share(tfp: list[float], growth: list[float]) -> float:
    """:func:`model.accounting.innovation_share` of the (at most five) yearly windows, in
    Python floats.
    """
    if not growth or any(map(math.isnan, tfp)) or any(map(math.isnan, growth)):
        return math.nan
    g = _running_sum(growth)
    if abs(g / len(growth)) < 1.0 or g == 0:
        return math.nan
    return 100.0 * _running_sum(tfp) / g
