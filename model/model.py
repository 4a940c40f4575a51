"""TransitionModel: Chongqing's industry moving from factor-input- to innovation-driven growth.

One step is one quarter. :meth:`TransitionModel._quarter` is the schedule of docs/ODD.md
section 3, one line per phase; each phase is a function of its mechanism's module, which holds
the mechanism's equations as pure array functions beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from mesa import Model
from mesa.datacollection import DataCollector

from chainshift.agents import Enterprise, IndustrialPark, ResearchInstitute
from chainshift.model import (
    adoption,
    contracts,
    demography,
    finance,
    innovation,
    investment,
    labour,
    markets,
    mobility,
    network,
    parks,
    pricing,
    production,
    selection,
    suppliers,
    technology,
)
from chainshift.model.calendar import EventBook
from chainshift.model.groups import group_sum
from chainshift.model.indicators import INDICATORS, Recorder
from chainshift.model.ledger import POOL, FlowLedger, summarise
from chainshift.model.quarter import QuarterValues
from chainshift.model.setup import (
    REFERENCE_FIRMS,
    REFERENCE_INSTITUTES,
    make_firms,
    make_institutes,
    make_parks,
    new_institute_columns,
    place_institutes,
)
from chainshift.model.streams import spawn_streams
from chainshift.scenarios.schema import Policy, Scenario

SPINUP_QUARTERS = 4
PAIR_LEDGER_LIMIT = 100_000
"""Above this many enterprises the flow ledger is kept by kind only unless asked for pairs:
at a million firms the pairs would take about 17 GB over 60 quarters."""
"""Unrecorded quarters run before the start; they are the base of the first year's growth."""


@dataclass(frozen=True)
class InstituteKinds:
    """Rows of the institutes by kind, kept while the institutes do not change."""

    research: np.ndarray  # universities and research institutes
    research_focus: np.ndarray  # their own focus over chains
    centres: np.ndarray  # innovation centres
    centre_chain: np.ndarray
    design: np.ndarray  # industrial design centres
    design_chain: np.ndarray

    @classmethod
    def of(cls, institutes, focus: np.ndarray) -> InstituteKinds:
        """Group the rows of ``institutes`` (a table with ``kind`` and ``home_chain``)."""
        research = np.flatnonzero(institutes.kind < 2)
        centres = np.flatnonzero(institutes.kind == 2)
        design = np.flatnonzero(institutes.kind == 3)
        home = institutes.home_chain
        return cls(research, focus[research], centres, home[centres], design, home[design])


class TransitionModel(Model):
    """Enterprises, research institutes and industrial parks exchanging innovation factors.

    Args:
        scenario: a validated :class:`scenarios.schema.Scenario` (``load_scenario(...)``).
        rng: seed of the run; every draw comes from generators spawned from it.
        pair_ledger: keep the flow ledger by pair of agents as well as by kind (None: when
            the scenario has at most :data:`PAIR_LEDGER_LIMIT` enterprises).

    Attributes:
        config: the scenario the model runs.
        policy: the policy block in force (timed policy changes update it).
        firms, institutes, parks: column tables of agent state.
        chain_markets: Chongqing's share of each chain's market and the outside paths.
        wage, rd_wage: this quarter's clearing wages (10k yuan per person per quarter).
        talent: the R&D talent stock (persons willing to work at the start R&D wage).
        ledger: the innovation-factor flow ledger (see :meth:`flows`).
    """

    def __init__(self, scenario: Scenario | None = None, rng: int | None = 0,
                 pair_ledger: bool | None = None) -> None:
        super().__init__(rng=rng)
        self.config = s = scenario if scenario is not None else Scenario()
        self.seed = rng
        self.chain_names = s.chain_names
        self.n_chains = len(self.chain_names)
        self.chain_se = np.array([c.strategic_emerging for c in s.chains])
        self.streams = spawn_streams(np.random.SeedSequence(0 if rng is None else int(rng)))
        self.policy = s.policy.model_copy()
        self.horizon = s.horizon.quarters
        self.events = EventBook.build(s, self.horizon)
        pairs = (s.population.enterprises <= PAIR_LEDGER_LIMIT if pair_ledger is None
                 else pair_ledger)
        self.ledger = FlowLedger(pairs=pairs)
        self.t = -SPINUP_QUARTERS

        setup = self.streams["setup"]
        self.parks = make_parks(s, setup)
        start = make_firms(s, setup, self.parks)
        self.firms, self.chain_markets = start.firms, start.markets
        self.supplier_coefficients = suppliers.coefficients(self.chain_names)
        self._slot_place = (np.zeros(0, np.int32), np.zeros(0, np.int32))
        self._remember_places(self.firms.slot)
        self.institutes, self.institute_focus = make_institutes(s, setup)
        self.institutes.park = place_institutes(s, self.streams["institutes"], self.parks,
                                                self.institutes.home_chain)
        self.institute_kinds = InstituteKinds.of(self.institutes, self.institute_focus)
        self.ledger.ids = {"enterprise": self._firm_ids, "institute": self._institute_ids,
                           "park": _park_ids}
        self.ledger.places = {"enterprise": self._firm_places,
                              "institute": self._institute_places}
        self.initial_incubators = float(self.institutes.incubator.sum())
        # each simulated firm stands for REFERENCE_FIRMS / enterprises real ones: quotas that
        # count firms scale with it; money, people and output do not
        self.firm_scale = s.population.enterprises / REFERENCE_FIRMS
        self.institute_scale = s.population.institutes / REFERENCE_INSTITUTES
        self._quota_carry = {"seedling": 0.0, "giant": 0.0, "design": 0.0, "innovation": 0.0}

        self.wage, self.rd_wage = s.labour.wage, s.labour.rd_wage
        self.planning_wage = self.wage  # the wage firms plan their factor mix on
        self._labour_supply0 = start.labour_supply
        self.talent = start.talent
        reference = Policy()
        inflow = reference.graduates + reference.talent_introduction
        # the talent stock is stationary under the policy in force at the start
        self.talent_attrition = min(1.0, inflow / self.talent) if self.talent > 0 else 0.2
        self.staff_per_output = start.staff_per_output
        self.credit_granted = 1.0
        self.seedling_grant = np.zeros(len(self.firms))
        self.closed_staff = mobility.Departed.none()
        self.entries = self.exits = 0
        self.quarter_values = QuarterValues()
        self._init_institutes()
        self._initial_selection()
        self.competitiveness = pricing.competitiveness(self.firms.p, self.firms.q)
        self.best_practice = innovation.best_practice(
            self.log_frontier(), np.log(self.firms.A), self.firms.chain, self.n_chains
        )
        self.chain_log_tfp = contracts.chain_median_log_tfp(np.log(self.firms.A), self.firms.chain,
                                                  self.n_chains)

        for _ in range(s.suppliers.links):
            suppliers.relink(self)  # each firm's named suppliers at the start
        self.park_agents = IndustrialPark.create_batch(self, self.parks.slot)
        self.enterprise_by_slot: list[Enterprise | None] = Enterprise.create_batch(
            self, self.firms.slot
        )
        self.institute_by_slot = ResearchInstitute.create_batch(self, self.institutes.slot)

        self.recorder = Recorder(self)
        self.datacollector = DataCollector(
            model_reporters={name: _reporter(name) for name in INDICATORS}
        )
        for _ in range(SPINUP_QUARTERS):
            self._quarter()
        self.running = True

    # -- time ---------------------------------------------------------------------------------
    @property
    def year(self) -> int:
        """Calendar year of the quarter last simulated."""
        return self.config.horizon.start_year + (self.t - 1) // 4

    @property
    def quarter(self) -> int:
        """Quarter (1-4) last simulated."""
        return (self.t - 1) % 4 + 1

    @property
    def years(self) -> float:
        """Years from the initial state to the start of the quarter being simulated; every
        exogenous path is a function of this, never of the calendar year.
        """
        return (self.t + SPINUP_QUARTERS) / 4.0

    @property
    def finished(self) -> bool:
        """True once the horizon's last quarter has been simulated."""
        return self.t >= self.horizon

    def step(self) -> None:
        """Simulate one quarter and record it."""
        if self.finished:
            self.running = False
            return
        self._quarter()
        self.datacollector.collect(self)
        if self.finished:
            self.running = False

    def run(self, steps: int | None = None, progress=None) -> TransitionModel:
        """Run ``steps`` quarters (default: to the end of the horizon)."""
        steps = self.horizon - self.t if steps is None else steps
        for _ in range(steps):
            self.step()
            if progress is not None:
                progress(self)
        return self

    def _quarter(self) -> None:
        """The schedule of one quarter (docs/ODD.md, section 3).

        An industry whose every firm has exited stays empty; its quarters are recorded with
        zero output.
        """
        self.ledger.step = self.t
        self.quarter_values = QuarterValues()  # values phases of this quarter share
        self.network_values = dict(network.EMPTY)
        self.apply_policy_events()
        if len(self.firms):
            pricing.set_prices(self)  # 1 prices from last quarter's unit costs
            markets.clear_goods_markets(self)  # 2 market shares and demand
            production.production_phase(self)  # 3 output, employment, energy, CO2
            innovation.set_rd_budgets(self)  # 4 R&D budgets
            labour.clear_labour_markets(self)  # 4a wages, R&D staff, talent
            finance.settle_accounts(self)  # 4b profit, cash, unit costs
            technology.transfer_knowledge(self)  # 5 institutes, transfers, centres
            suppliers.spill_knowledge(self)  # 6 suppliers learn from their customers
            innovation.search_phase(self)  # 6 imitation and innovation
            investment.invest(self)  # 7 investment, credit, renovation, clean capital
            adoption.adopt_digital(self)  # 8 digital adoption
            parks.decide(self)  # 8b park budgets, services, infrastructure, land prices
            if self.t % 4 == 3:
                selection.select(self)  # 9 yearly selections
                innovation.adapt_rd(self)  # 9 R&D propensities adapt
            demography.exit_and_enter(self)  # 10 exit and entry
            suppliers.relink(self)  # 10 supplier links to closed firms end, free links filled
        self.t += 1
        if self.t > 0:
            self.recorder.record()
        else:
            self.recorder.remember()
        self.entries = self.exits = 0

    # -- exogenous paths and events -----------------------------------------------------------
    def apply_policy_events(self) -> None:
        """Switch levers whose timed policy change starts this quarter."""
        if self.t < 0:
            return
        for lever, value in self.events.policy.get(self.t, []):
            setattr(self.policy, lever, value)

    def shock(self) -> np.ndarray:
        """Demand multipliers of the chains this quarter (1 = no shock)."""
        return self.events.demand[self.t] if 0 <= self.t < self.horizon else np.ones(self.n_chains)

    def energy_cut(self, t: int | None = None) -> float:
        """Share of energy unavailable this quarter (or in quarter ``t``)."""
        t = self.t if t is None else t
        return float(self.events.energy_cut[t]) if 0 <= t < self.horizon else 0.0

    def project_events(self) -> list[tuple[int, float]]:
        """One-off promoted projects landing this quarter: (chain, investment this quarter)."""
        return self.events.projects.get(self.t, []) if self.t >= 0 else []

    def emission_factor(self) -> float:
        """Grid emission factor ``f(t) = f_0 (1 - d)^t`` (t CO2 per tce)."""
        en = self.config.energy
        return en.emission_factor * (1.0 - en.grid_decarbonisation) ** self.years

    def labour_supply(self) -> float:
        """Workers willing to work at the start wage, ``Lbar(t) = Lbar_0 (1 + n)^t``."""
        return self._labour_supply0 * (1.0 + self.config.labour.labour_supply_growth) ** self.years

    def log_frontier(self) -> np.ndarray:
        """Log of each chain's rivals' productivity frontier this quarter."""
        return self.chain_markets.log_frontier(self.years)

    def park_kept(self) -> np.ndarray:
        """Share of emissions each park's shared low-carbon energy leaves (last entry: 1)."""
        return production.park_kept(self.parks.green, self.config.energy.park_green_cut)

    def clean_premium(self) -> np.ndarray:
        """Each firm's net extra capital cost of clean capacity (:func:`adoption.clean_premium`)."""
        return self.clean_premium_by_hood()[self.firms.hood]

    def clean_premium_by_hood(self) -> np.ndarray:
        """The net extra capital cost of clean capacity in each neighbourhood.

        A neighbourhood is a park or a chain's firms outside parks, so the premium is one value
        per neighbourhood (a firm's is ``clean_premium_by_hood()[hood]``). Keeps the
        neighbourhoods' value added for adoption (phase 8).
        """
        f, ad, qv = self.firms, self.config.adoption, self.quarter_values
        n_hoods = len(self.parks) + self.n_chains
        qv.hood_va = group_sum(f.va, f.hood, n_hoods)
        hood_green = adoption.neighbourhood_mean(f.g, f.va, f.hood, n_hoods, qv.hood_va)
        park_green = np.concatenate((self.parks.green, np.zeros(self.n_chains)))
        return adoption.clean_premium(ad.clean_premium, ad.green_learning, hood_green,
                                      ad.park_green_response, park_green)

    # -- population ---------------------------------------------------------------------------
    def remove_firms(self, rows: np.ndarray) -> None:
        """Remove the firms in ``rows`` (ascending) and their Mesa agents."""
        lookup = self.enterprise_by_slot
        gone = self.firms.drop(rows).tolist()
        Enterprise.remove_batch(self, [lookup[slot] for slot in gone])
        for slot in gone:
            lookup[slot] = None

    def add_firms(self, columns: dict, count: int) -> None:
        """Append ``count`` firms with the given column values and make their Mesa agents."""
        slots = self.firms.append(columns, count)
        self._remember_places(slots)
        self.enterprise_by_slot += Enterprise.create_batch(self, slots.tolist())

    def take_quota(self, key: str, amount: float) -> int:
        """Whole number of picks this year; fractions carry over to later years."""
        total = self._quota_carry[key] + amount
        whole = int(np.floor(total + 1e-9))
        self._quota_carry[key] = total - whole
        return whole

    def add_institutes(self, kinds: np.ndarray) -> None:
        """Found new design (kind 3) and innovation (kind 2) centres, each serving a chain
        drawn by the chains' R&D needs.
        """
        cols = new_institute_columns(self.config, self.streams["selection"], kinds,
                                     home_weights=self.needs)
        cols["park"] = place_institutes(self.config, self.streams["institutes"], self.parks,
                                        cols["home_chain"])
        slots = self.institutes.append(cols, kinds.size)
        focus = np.zeros((kinds.size, self.n_chains))
        focus[np.arange(kinds.size), cols["home_chain"]] = 1.0
        self.institute_focus = np.vstack([self.institute_focus, focus])
        self.institute_kinds = InstituteKinds.of(self.institutes, self.institute_focus)
        self.institute_by_slot += ResearchInstitute.create_batch(self, slots)

    # -- setup helpers ------------------------------------------------------------------------
    def _init_institutes(self) -> None:
        """Government funding split by researchers; knowledge at its steady state."""
        f, inst, tech, pol = self.firms, self.institutes, self.config.technology, self.policy
        needs = np.bincount(f.chain, weights=f.rd, minlength=self.n_chains)
        total = needs.sum()
        self.needs = needs / total if total > 0 else np.full(self.n_chains, 1 / self.n_chains)
        gov = pol.institute_funding / 4.0
        inst.funding = gov * inst.researchers / inst.researchers.sum()
        inst.know = tech.institute_productivity * inst.funding / (tech.knowledge_depreciation / 4.0)
        self.tech_to_chain = np.zeros(self.n_chains)
        self.absorptive = innovation.absorptive_capacity(f.d, f.know, f.p * f.y, f.specialized,
                                                         tech.knowledge_absorption)

    def _initial_selection(self) -> None:
        """Specialized-and-new firms, little giants, leaders and high-tech firms at the start."""
        f = self.firms
        f.high_tech = selection.high_tech(f.rd, f.va, f.H, f.L)
        f.leading = selection.leading(f.va, f.chain, self.n_chains, self.policy.leading_per_chain)
        mean_a = np.bincount(f.chain, weights=f.A * f.va, minlength=self.n_chains) / np.maximum(
            np.bincount(f.chain, weights=f.va, minlength=self.n_chains), 1e-300
        )
        score = selection.innovation_score(f.rd, f.va, f.A, mean_a[f.chain], f.q)
        f.specialized = selection.pick_top(score, f.size >= 1, round(1500 * self.firm_scale))
        f.little_giant = selection.pick_top(score, f.specialized, round(120 * self.firm_scale))

    # -- output -------------------------------------------------------------------------------
    def indicators(self) -> pd.DataFrame:
        """One row per recorded quarter (columns and units: ``model.indicators.INDICATORS``)."""
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        for col in (
            "step", "year", "quarter", "enterprises", "high_tech", "specialized_new",
            "little_giants", "entries", "exits",
        ):
            df[col] = df[col].astype("int64")
        return df

    def indicators_by_chain(self) -> pd.DataFrame:
        """One row per recorded quarter and chain (columns and units:
        ``model.indicators.BY_CHAIN``); value added, CO2, energy, enterprises and R&D sum over
        chains to the quarter's indicators.
        """
        return self.recorder.by_chain(self.chain_names)

    def indicators_by_park(self) -> pd.DataFrame:
        """One row per recorded quarter and park (columns ``model.indicators.BY_PARK``, units
        ``model.indicators.PARK_UNITS``): tenants, their value added and green share, the
        park's levels, budget, own spending, land price and entrants admitted.
        """
        from chainshift.model.indicators import by_park_frame
        from chainshift.scenarios.schema import PARK_KINDS

        return by_park_frame(self.recorder.park_rows, np.asarray(self.parks.kind), PARK_KINDS)

    def firm_table(self) -> pd.DataFrame:
        """The enterprises now: one row per firm, ``id`` (its permanent slot) and every column
        of the firm table (``model.setup.FIRM_COLUMNS``), ``chain`` by name.
        """
        f = self.firms
        frame = {"id": f.slot.copy()}
        for name in f.columns:
            frame[name] = getattr(f, name).copy()
        frame["chain"] = pd.Categorical.from_codes(f.chain.astype(np.int64),
                                                   categories=list(self.chain_names))
        return pd.DataFrame(frame)

    def flows(self, by: str = "kind") -> pd.DataFrame:
        """The innovation-factor flow ledger of the recorded quarters.

        Args:
            by: ``kind`` (step, factor, from_kind, to_kind, amount, unit); ``agent``, every
                transfer with the id, chain and park of both ends (``model.ledger``); or
                ``chain`` or ``park``, the transfers summed by the chain or park of the ends
                (:data:`model.ledger.POOL` where an end has none).

        Raises:
            ValueError: for another ``by``, or a by-agent view of a ledger kept by kind only.
        """
        if by == "kind":
            df = self.ledger.frame()
        elif by in ("agent", "chain", "park"):
            df = self.ledger.pair_frame()
            if by != "agent":
                df = summarise(df[df["step"] >= 0], by)
        else:
            raise ValueError(f"flows(by={by!r}): allowed: 'kind', 'agent', 'chain', 'park'")
        return df[df["step"] >= 0].reset_index(drop=True)

    def _firm_ids(self, rows: np.ndarray) -> np.ndarray:
        return self.firms.slot[rows]

    def _institute_ids(self, rows: np.ndarray) -> np.ndarray:
        return self.institutes.slot[rows]

    def _firm_places(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Chain and park of firms by slot, live or gone (neither changes in a firm's life)."""
        return self._slot_place[0][slots], self._slot_place[1][slots]

    def _institute_places(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        inst = self.institutes
        chain = np.full(inst.row_of.shape[0], POOL, np.int32)
        live = inst.row_of >= 0
        park = np.full(inst.row_of.shape[0], POOL, np.int32)
        chain[live] = inst.home_chain[inst.row_of[live]]  # institutes never close
        park[live] = inst.park[inst.row_of[live]]
        return chain[slots], park[slots]

    def _remember_places(self, slots: np.ndarray) -> None:
        """Keep the chain and park of new firms by slot (for the pair ledger's views)."""
        f = self.firms
        rows = f.row_of[slots]
        chain, park = self._slot_place
        need = int(slots.max()) + 1 if len(slots) else 0
        if need > len(chain):
            size = max(need, 2 * len(chain))
            chain = np.concatenate([chain, np.full(size - len(chain), POOL, np.int32)])
            park = np.concatenate([park, np.full(size - len(park), POOL, np.int32)])
        chain[slots], park[slots] = f.chain[rows], f.park[rows]
        self._slot_place = (chain, park)

    @property
    def enterprises(self):
        """The Enterprise agents (a Mesa AgentSet)."""
        return self.agents_by_type[Enterprise]


def _park_ids(rows: np.ndarray) -> np.ndarray:
    return np.asarray(rows, dtype=np.int64)  # a park's row is its index, and parks never close


def _reporter(name: str):
    def report(model: TransitionModel):
        return model.recorder.current[name]

    report.__name__ = name
    return report
