"""TransitionModel: Chongqing's industry moving from factor-input- to innovation-driven growth.

One step is one quarter. ``step`` reads as the schedule of docs/ODD.md section 3; each phase
calls pure array functions (one module per mechanism) on the agents' columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from mesa import Model
from mesa.datacollection import DataCollector

from agents import Enterprise, IndustrialPark, ResearchInstitute
from model import (
    adoption,
    demand,
    demography,
    innovation,
    investment,
    production,
    selection,
    talent,
    technology,
)
from model.calendar import EventBook
from model.groups import group_mean, group_sum
from model.indicators import INDICATORS, Recorder
from model.ledger import FlowLedger
from model.setup import (
    REFERENCE_FIRMS,
    REFERENCE_INSTITUTES,
    make_firms,
    make_institutes,
    make_parks,
    neighbourhood,
    new_institute_columns,
    size_classes,
)
from model.streams import spawn_streams
from scenarios.schema import Scenario

SPINUP_QUARTERS = 4
"""Unrecorded quarters run before the start; they are the base of the first year's growth."""

NO_PROJECTS = (np.zeros(0, dtype=np.intp), np.zeros(0))
"""Rows receiving promoted-project capital this quarter, and the capital: none."""


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

    Attributes:
        config: the scenario the model runs.
        policy: the policy block in force (timed policy changes update it).
        firms, institutes, parks: column tables of agent state.
        ledger: the innovation-factor flow ledger (see :meth:`flows`).
        chain_va: value added by chain (100m yuan per quarter), kept current after production
            and after entry and exit.
    """

    def __init__(self, scenario: Scenario | None = None, rng: int | None = 0) -> None:
        super().__init__(rng=rng)
        self.config = scenario if scenario is not None else Scenario()
        self.seed = rng
        s = self.config
        self.chain_names = s.chain_names
        self.n_chains = len(self.chain_names)
        self.streams = spawn_streams(np.random.SeedSequence(0 if rng is None else int(rng)))
        self.policy = s.policy.model_copy()
        self.horizon = s.horizon.quarters
        self.events = EventBook.build(s, self.horizon)
        self.ledger = FlowLedger()
        self.t = -SPINUP_QUARTERS

        self._chain_se = np.array([c.strategic_emerging for c in s.chains])
        self._chain_growth = np.array([c.demand_growth for c in s.chains])
        self._chain_elasticity = np.array([c.price_elasticity for c in s.chains])
        self._chain_rd = np.array([c.rd_propensity for c in s.chains])

        setup = self.streams["setup"]
        self.parks = make_parks(s, setup)
        self.firms = make_firms(s, setup, self.parks)
        self.institutes, self.institute_focus = make_institutes(s, setup)
        self._institute_kinds = InstituteKinds.of(self.institutes, self.institute_focus)
        self._initial_incubators = float(self.institutes.incubator.sum())
        # each simulated firm stands for REFERENCE_FIRMS / enterprises real ones: quotas that
        # count firms scale with it; money, people and value added do not (value_added_start
        # fixes the size of the industry whatever the number of simulated firms)
        self.firm_scale = s.population.enterprises / REFERENCE_FIRMS
        self.institute_scale = s.population.institutes / REFERENCE_INSTITUTES
        self._quota_carry = {"seedling": 0.0, "giant": 0.0, "design": 0.0, "innovation": 0.0}

        f = self.firms
        self.chain_demand = group_sum(f.va, f.chain, self.n_chains)
        self.chain_va = self.chain_demand.copy()
        self._cost_index = self._chain_cost_index()[0]
        self.pool = 0.0
        self._init_rd_state()
        self._initial_selection()

        self.park_agents = [IndustrialPark(self, slot) for slot in self.parks.slot]
        self.enterprise_by_slot: list[Enterprise | None] = [
            Enterprise(self, slot) for slot in f.slot
        ]
        self.institute_by_slot = [ResearchInstitute(self, slot) for slot in self.institutes.slot]

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

        An industry whose every firm has exited stays empty (entry scales with the number of
        firms); its quarters are recorded with zero output.
        """
        self.ledger.step = self.t
        recorded = self.t >= 0
        self.apply_policy_events()
        if len(self.firms):
            self.demand_phase()
            self.production_phase()
            self.capital_market()
            self.talent_market()
            self.technology_market()
            self.innovation_phase()
            self.investment_phase()
            self.adoption_phase()
            if self.t % 4 == 3:
                self.policy_selection()
            self.entry_and_exit()
            self.chain_va = group_sum(self.firms.va, self.firms.chain, self.n_chains)
        else:
            self.chain_va = np.zeros(self.n_chains)
        self.t += 1
        if recorded:
            self.recorder.record()
        else:
            self.recorder.remember()
        self._entries = self._exits = 0

    # -- phases -------------------------------------------------------------------------------
    def apply_policy_events(self) -> None:
        """Switch levers whose timed policy change starts this quarter."""
        if self.t < 0:
            return
        for lever, value in self.events.policy.get(self.t, []):
            setattr(self.policy, lever, value)

    @property
    def trend_growth(self) -> np.ndarray:
        """Chains' trend demand growth this quarter: ``g_c 0.5^(years / half-life)``."""
        years = (self.t + SPINUP_QUARTERS) / 4.0
        return self._chain_growth * 0.5 ** (years / self.config.technology.trend_halflife)

    def _shock(self) -> np.ndarray:
        return self.events.demand[self.t] if 0 <= self.t < self.horizon else np.ones(self.n_chains)

    def _chain_cost_index(self, cost=None, quality=None) -> tuple[np.ndarray, np.ndarray]:
        """Log unit cost of each chain, ``ln(1 + cbar_c) - mean_c(ln A + ln(1 + q))``, and its
        share-weighted mean competitiveness ``mean_c(ln A + ln(1 + q)) - cbar_c``.
        """
        f, nc = self.firms, self.n_chains
        cost = self._cost_share() if cost is None else cost
        quality = demand.log_quality(np.log(f.A), f.q) if quality is None else quality
        # market shares sum to 1 in every chain here (an empty chain's sums are 0), so the
        # share-weighted sums are the means
        mean_quality = group_sum(quality * f.share, f.chain, nc)
        cbar = group_sum(cost * f.share, f.chain, nc)
        return np.log1p(cbar) - mean_quality, mean_quality - cbar

    def _cost_share(self) -> np.ndarray:
        """Energy and carbon cost per unit of value added: ``c = e (p_E + f (1 - c_g g) p_C)``."""
        f, en = self.firms, self.config.energy
        carbon = self.policy.carbon_price * 1e-4 * self._emission_factor()
        return f.e * (en.energy_price + carbon * (1.0 - en.green_emission_cut * f.g))

    def _emission_factor(self) -> float:
        en = self.config.energy
        years = (self.t + SPINUP_QUARTERS) / 4.0
        return en.emission_factor * (1.0 - en.grid_decarbonisation) ** years

    def demand_phase(self) -> None:
        """Phase 1: chain demand (trend, cost pass-through, shocks) and replicator shares."""
        f, tech = self.firms, self.config.technology
        cost = self._cost_share()
        self._log_a = np.log(f.A)  # TFP does not change again before the talent market
        quality = demand.log_quality(self._log_a, f.q)
        index, mean_comp = self._chain_cost_index(cost, quality)
        self.chain_demand = demand.chain_demand(
            self.chain_demand,
            self.trend_growth,
            np.exp(self._cost_index - index),
            self._chain_elasticity,
        )
        self._cost_index = index
        self._add_promoted_projects()
        comp = demand.competitiveness(quality, cost)
        if self.t % 4 == 0:
            f.vol = demand.yearly_volatility(self.streams["demand"], len(f))
        noise = demand.order_shocks(self.streams["demand"], f.vol, tech.demand_noise)
        f.share = demand.replicator_shares(
            f.share, comp, f.chain, self.n_chains, tech.replicator_speed, noise, mean_comp
        )
        f.wanted = f.share * (self.chain_demand * self._shock())[f.chain]

    def _add_promoted_projects(self) -> None:
        """Promoted investment projects add demand to their chain, captured by its leaders.

        Output value ``P`` per year at value-added ratio 0.25 adds ``0.25 P / 4`` to chain
        demand per quarter, allocated to chains by value added (strategic-emerging chains
        double). Within a chain the leading and large firms take it in proportion to their
        value added (all firms by market share where a chain has neither); capital for it,
        ``z VA_extra / (A (1 + b d))``, is installed at the receiving firms.
        """
        f, nc = self.firms, self.n_chains
        w = self.chain_va * (1.0 + self._chain_se)  # value added by chain last quarter
        added = 0.25 * self.policy.promoted_investment / 4.0 / 4.0 * w / w.sum()
        if self.t >= 0:
            for c, amount in self.events.projects.get(self.t, []):
                added[c] += 0.25 * amount / 4.0
        self._promoted = NO_PROJECTS
        if not added.any():
            return
        receivers = f.leading | (f.size == 0)
        rows = np.flatnonzero(receivers)
        wsum = group_sum(f.va[rows], f.chain[rows], nc)
        inv_wsum = np.divide(1.0, wsum, out=np.zeros(nc), where=wsum > 0)
        if (wsum <= 0).any():  # a chain with no leader or large firm: all its firms share
            rows = np.arange(len(f))
            weight = np.where(wsum[f.chain] > 0, f.va * receivers * inv_wsum[f.chain], f.share)
        else:
            weight = f.va[rows] * inv_wsum[f.chain[rows]]
        chain = f.chain[rows]
        # the new demand persists: it is added to the chain's demand path. Shares become
        # (s D + extra) / D, which sum to (D + added) / D in each chain; the replicator step
        # that follows normalises them (a factor common to a chain cancels there)
        extra_va = added[chain] * weight
        demand_c = self.chain_demand
        per_demand = np.divide(1.0, demand_c, out=np.zeros(nc), where=demand_c > 0)
        f.share[rows] += extra_va * per_demand[chain]
        self.chain_demand = demand_c + added
        bonus = self.config.technology.digital_bonus
        self._promoted = (rows, f.z[rows] * extra_va / (f.A[rows] * (1 + bonus * f.d[rows])))

    def production_phase(self) -> None:
        """Phase 2: employment, value added, energy use and CO2 (with any energy shortage)."""
        f, s = self.firms, self.config
        tech, en = s.technology, s.energy
        rows, capital = self._promoted
        f.K[rows] += capital
        va, workers = production.produce(
            f.wanted,
            f.A,
            f.K,
            f.L,
            f.d,
            tech.capital_elasticity,
            tech.digital_bonus,
            s.finance.hiring_limit,
        )
        energy = production.energy_use(
            va, f.e, f.g, f.d, tech.green_energy_saving, tech.digital_energy_saving
        )
        cut = self.events.energy_cut[self.t] if 0 <= self.t < self.horizon else 0.0
        if cut > 0:
            va = production.ration_energy(va, cut)
            energy = production.energy_use(
                va, f.e, f.g, f.d, tech.green_energy_saving, tech.digital_energy_saving
            )
            workers = np.minimum(
                workers,
                production.labour_needed(
                    np.maximum(va, 1e-12),
                    f.A,
                    f.K,
                    f.d,
                    tech.capital_elasticity,
                    tech.digital_bonus,
                ),
            )
        f.va, f.L = va, workers
        self.chain_va = group_sum(va, f.chain, self.n_chains)
        f.energy = energy
        f.co2 = production.emissions(
            energy,
            self._emission_factor(),
            f.g,
            en.green_emission_cut,
            production.park_kept(self.parks.green, en.park_green_cut)[f.park],
        )

    def capital_market(self) -> None:
        """Phase 3a: R&D budgets, subsidies, contract research, institute funding, profit.

        ``RD_i = rho_i (1 + r_s s) (1 + 0.3 [specialized]) VA_i``; government refunds ``s RD``;
        a share ``c`` of RD is paid to institutes as contracts. Profit
        ``pi = (1 - tax) VA - wL - delta K/4 - r D/4 - (1 - s) RD - p_C CO2 + support``
        (energy is an intermediate input, already netted out of value added).
        """
        f, s, pol = self.firms, self.config, self.policy
        fin = s.finance
        # R&D per value added, kept for the effort of the innovation phase
        ratio = self._rd_ratio = (
            (1.0 + pol.rd_subsidy_response * pol.rd_subsidy) * (1.0 + 0.3 * f.specialized) * f.rho
        )
        f.rd = ratio * f.va
        support = (pol.seedling_support / 4.0 * f.va) * f.specialized
        debt = f.debt
        f.profit = (
            f.va * ((1.0 - fin.tax_share) - (1.0 - pol.rd_subsidy) * ratio)
            - (fin.wage * 1e-4) * f.L
            - (fin.depreciation / 4.0) * f.K
            - (fin.interest_rate / 4.0) * debt
            - (pol.carbon_price * 1e-4) * f.co2
            + support
        )
        f.nw += (1.0 - fin.payout) * f.profit
        f.losses = (f.losses + 1) * (f.profit < 0)
        needs = group_sum(f.rd, f.chain, self.n_chains)
        rd_total, debt_total = needs.sum(), debt.sum()
        f.debt *= 0.95  # 5% of debt repaid a quarter
        led = self.ledger
        led.add("capital", "government", "enterprise", pol.rd_subsidy * rd_total + support.sum())
        led.add("capital", "enterprise", "finance", (fin.interest_rate / 4.0 + 0.05) * debt_total)
        contracts = fin.contract_share * rd_total
        led.add("capital", "enterprise", "institute", contracts)

        # institutes: government funding by researchers, contracts by chain needs and focus
        inst = self.institutes
        years = max(self.t, 0) / 4.0
        gov = pol.institute_funding / 4.0 * (1 + pol.institute_funding_growth) ** years
        w_gov = inst.researchers / inst.researchers.sum()
        self.needs = (
            needs / rd_total if rd_total > 0 else np.full(self.n_chains, 1 / self.n_chains)
        )
        served = technology.focus_on(self.institute_focus, self.needs, pol.coupling, needs)
        w_con = served * inst.researchers
        w_con = w_con / w_con.sum()
        inst.funding = gov * w_gov + contracts * w_con
        led.add("capital", "government", "institute", gov)

    def talent_market(self) -> None:
        """Phase 3b: graduates and introduced talent join the pool; firms hire R&D staff;
        staff move toward more productive firms.
        """
        f, pol, fin = self.firms, self.policy, self.config.finance
        grads = pol.graduates / 4.0
        intro = pol.talent_introduction / 4.0
        self.pool = 0.95 * self.pool + grads + intro
        self.staff_wanted = talent.staff_wanted(f.rd, fin.rd_wage)
        f.H *= 0.98
        before = self.pool
        f.H, hired, released = talent.hire(f.H, self.staff_wanted, self.pool)
        self.pool = max(0.0, self.pool - hired + released)
        new = grads + intro
        if hired > 0 and new > 0:  # hires come from the pool's sources in proportion
            self.ledger.add("talent", "institute", "enterprise", min(hired * grads / new, before))
            self.ledger.add("talent", "government", "enterprise", hired * intro / new)
        log_a = self._log_a  # ln A from the demand phase: TFP has not changed since
        nc = self.n_chains
        count = np.bincount(f.chain, minlength=nc)
        self._inv_chain_firms = np.divide(1.0, count, out=np.zeros(nc), where=count > 0)  # 1 / N_c
        self._log_a_mean = group_sum(log_a, f.chain, nc) * self._inv_chain_firms
        gap = self._log_a_mean[f.chain] - log_a
        f.H, moved = talent.mobility(f.H, gap, 0.01)
        self.ledger.add("talent", "enterprise", "enterprise", moved)

    def technology_market(self) -> None:
        """Phase 3c: institutes make knowledge; transfers by coupling; common technology from
        innovation centres; design quality from design centres; imitation of the frontier.

        Institute knowledge ``k' = k (1 - delta/4) + phi F``.
        """
        f, inst, tech = self.firms, self.institutes, self.config.technology
        nc = self.n_chains
        inst.know = (
            inst.know * (1.0 - tech.knowledge_depreciation / 4.0)
            + tech.institute_productivity * inst.funding
        )
        output = inst.know * inst.transfer
        ab = innovation.absorptive_capacity(f.d, f.know, f.va, f.specialized)
        self._absorptive = ab
        va_c = self.chain_va  # this quarter's, from production
        absorbing_va = group_sum(ab * f.va, f.chain, nc)

        kinds = self._institute_kinds
        usable = technology.usable_knowledge(
            output[kinds.research],
            kinds.research_focus,
            self.needs,
            self.policy.coupling,
            tech.uncoupled_relevance,
        )
        eff = tech.transfer_efficiency
        gain = technology.transfer_gain(usable, f.chain, ab, absorbing_va, eff)
        centre = group_sum(output[kinds.centres], kinds.centre_chain, nc)
        common = tech.innovation_centre_effect * np.divide(
            centre, va_c, out=np.zeros(nc), where=va_c > 0
        )
        design_k = group_sum(output[kinds.design], kinds.design_chain, nc)
        dq_c = tech.design_effect * np.divide(design_k, va_c, out=np.zeros(nc), where=va_c > 0)

        self.tech_to_chain = eff * usable * (absorbing_va > 0)  # = sum_c gain VA
        self.ledger.add(
            "technology",
            "institute",
            "enterprise",
            self.tech_to_chain.sum() + ((common + dq_c) * va_c).sum(),
        )
        f.q *= 1.0 - tech.design_decay
        f.q += dq_c[f.chain]

        log_a, mean = self._log_a, self._log_a_mean  # A unchanged since the talent market
        mean_sq = group_sum(log_a * log_a, f.chain, nc) * self._inv_chain_firms
        sd = np.sqrt(np.maximum(mean_sq - mean**2, 0.0))
        frontier = mean + 1.64 * sd
        speed = technology.imitation_speed(
            tech.imitation_rate, tech.park_spillover, self.parks.service
        )[f.park]  # park index -1 takes the last entry: outside parks
        imit = technology.imitation_gain(log_a, frontier[f.chain], speed, ab)
        imitated = np.exp(imit)
        self.ledger.add("technology", "enterprise", "enterprise", ((imitated - 1.0) * f.va).sum())
        f.A *= (1.0 + common)[f.chain] + gain
        f.A *= imitated

    def innovation_phase(self) -> None:
        """Phase 4: own R&D succeeds with ``p = 1 - exp(-lambda e a)``; knowledge accumulates."""
        f, tech = self.firms, self.config.technology
        f.know *= 1.0 - tech.knowledge_depreciation / 4.0
        f.know += f.rd
        effort = innovation.rd_effort(self._rd_ratio, f.H, self.staff_wanted)
        p = innovation.success_probability(effort, self._absorptive, tech.innovation_hazard)
        rows, gain = innovation.innovate(
            self.streams["innovation"],
            p,
            tech.innovation_step,
            tech.radical_probability,
            tech.radical_step,
        )
        f.A[rows] *= 1.0 + gain

    def investment_phase(self) -> None:
        """Phase 5: investment toward expected demand, credit, technical renovation."""
        f, s, pol = self.firms, self.config, self.policy
        fin, tech = s.finance, s.technology
        growth = (1.0 + self.trend_growth)[f.chain]
        target = investment.capital_target(f.wanted * growth, f.A, f.d, tech.digital_bonus, f.z)
        desired = investment.desired_investment(
            target, f.K, fin.investment_speed, fin.depreciation / 4.0
        )
        sme = pol.sme_credit_access
        access = (sme + (1.0 - sme) * (f.size <= 1)) * (1.0 + 0.5 * f.specialized)
        limit = investment.credit_limit(
            f.nw, f.debt, f.K, fin.leverage_limit, fin.lending_cap, pol.credit_supply, access
        )
        internal = np.maximum(f.profit, 0.0) * (1.0 - fin.payout)
        inv, borrowed = investment.finance(desired, internal, limit)
        f.debt += borrowed
        tfp_factor, d_green, e_divisor = investment.renovation(
            inv, f.K, fin.renovation_share, fin.renovation_tfp, fin.renovation_green
        )
        f.A *= tfp_factor
        f.g = np.minimum(1.0, f.g + d_green * (1.0 - f.g))
        f.e /= e_divisor
        f.e *= 1.0 - tech.efficiency_gain / 4.0
        f.K *= 1.0 - fin.depreciation / 4.0
        f.K += inv
        rows, promoted = self._promoted
        f.inv = inv
        f.inv[rows] += promoted
        self.ledger.add("capital", "finance", "enterprise", borrowed.sum())
        self.ledger.add("capital", "government", "enterprise", 0.2 * promoted.sum())

    def adoption_phase(self) -> None:
        """Phase 6: Bass adoption of green processes and digital tools; park infrastructure."""
        f, parks, s, pol = self.firms, self.parks, self.config, self.policy
        ad = s.adoption
        rng = self.streams["adoption"]
        # neighbours: the firm's park, or its chain's firms outside parks
        hood = f.hood
        n_parks = len(parks)
        n_hoods = n_parks + self.n_chains
        hood_va = group_sum(f.va, hood, n_hoods)
        inv_hood_va = np.divide(1.0, hood_va, out=np.zeros(n_hoods), where=hood_va > 0)
        outside = np.zeros(self.n_chains)  # no park infrastructure outside parks
        # everything but the firm's own energy intensity is the same across a neighbourhood,
        # so the hazards are formed per neighbourhood and spread to firms with one gather:
        # h_g = (p + q peers) (M_0 + a_c P / 100 e / ebar), h_d = (p + q peers) M_d
        peer_g = group_sum(f.g * f.va, hood, n_hoods) * inv_hood_va
        bass_g = adoption.adoption_hazard(ad.green_innovation, ad.green_imitation, peer_g, 1.0)
        base_g = adoption.green_economics(
            pol.carbon_price,
            0.0,
            pol.green_subsidy,
            np.concatenate((parks.green, outside)),
            ad.carbon_price_response,
            ad.subsidy_response,
            ad.infrastructure_response,
        )
        per_e = ad.carbon_price_response * pol.carbon_price / 100.0  # times e_i / ebar
        per_e *= f.va.sum() / max((f.e * f.va).sum(), 1e-12)
        gi, dg = adoption.adopt(
            rng,
            f.g,
            (bass_g * base_g)[hood] + (bass_g * per_e)[hood] * f.e,
            ad.upgrade_step,
        )
        peer_d = group_sum(f.d * f.va, hood, n_hoods) * inv_hood_va
        bass_d = adoption.adoption_hazard(ad.digital_innovation, ad.digital_imitation, peer_d, 1.0)
        infra_d = np.concatenate((parks.digital, outside))
        m_d = adoption.digital_economics(
            pol.digital_support, infra_d, ad.subsidy_response, ad.infrastructure_response
        )
        di, dd = adoption.adopt(rng, f.d, (bass_d * m_d)[hood], ad.upgrade_step)

        # costs, subsidies and data flows concern only the firms that upgraded this quarter
        cost_g = 0.08 * dg * f.K[gi]
        cost_d = 0.05 * dd * f.K[di]
        f.nw[gi] -= (1.0 - pol.green_subsidy) * cost_g
        f.nw[di] -= (1.0 - pol.digital_support) * cost_d
        f.g[gi] += dg
        f.d[di] += dd
        led = self.ledger
        sub = pol.green_subsidy * cost_g.sum() + pol.digital_support * cost_d.sum()
        led.add("capital", "government", "enterprise", sub)
        # data flow dd * VA split by the parts of M_d = 1 + a_s s_d + a_i D: subsidy,
        # infrastructure, and (the 1) own effort, of which the peer part q peers / (p + q peers)
        hood_d = hood[di]
        data = dd * f.va[di] / m_d[hood_d]
        peer = peer_d[hood_d]
        f_peer = ad.digital_imitation * peer / (ad.digital_innovation + ad.digital_imitation * peer)
        led.add(
            "data",
            "government",
            "enterprise",
            ad.subsidy_response * pol.digital_support * data.sum(),
        )
        led.add("data", "park", "enterprise", ad.infrastructure_response * (data @ infra_d[hood_d]))
        led.add("data", "enterprise", "enterprise", (data * f_peer).sum())

        before = parks.green + parks.digital + parks.service
        parks.green = adoption.infrastructure(parks.green, pol.green_infrastructure)
        parks.digital = adoption.infrastructure(parks.digital, pol.digital_infrastructure)
        parks.service = adoption.infrastructure(parks.service, pol.park_services)
        spend = (
            s.finance.infrastructure_cost
            * (parks.green + parks.digital + parks.service - before)
        )
        led.add("capital", "government", "park", spend.sum())

    def policy_selection(self) -> None:
        """Phase 7 (each Q4): high-tech certification, leading enterprises, the seedling
        programme (specialized-and-new), little giants, new design and innovation centres,
        and size classes.
        """
        f, pol = self.firms, self.policy
        rng = self.streams["selection"]
        f.size = size_classes(f.va)
        f.high_tech = selection.high_tech(f.rd, f.va, f.H, f.L)
        f.leading = selection.leading(f.va, f.chain, self.n_chains, pol.leading_per_chain)
        mean_a = group_mean(f.A, f.chain, self.n_chains, weights=f.va)
        score = selection.innovation_score(f.rd, f.va, f.A, mean_a[f.chain], f.q)
        quota = self._take_quota("seedling", pol.seedling_quota * self.firm_scale)
        f.specialized = f.specialized | selection.pick_top(
            score, ~f.specialized & (f.size >= 1), quota
        )
        quota = self._take_quota("giant", pol.little_giant_quota * self.firm_scale)
        f.little_giant = f.little_giant | selection.pick_top(
            score, f.specialized & ~f.little_giant, quota
        )
        design = self._take_quota("design", pol.design_centres_new * self.institute_scale)
        centres = self._take_quota("innovation", pol.innovation_centres_new * self.institute_scale)
        if design + centres > 0:
            kinds = np.repeat(np.array([3, 2], dtype=np.int8), [design, centres])
            self._add_institutes(kinds, rng)

    def _take_quota(self, key: str, amount: float) -> int:
        """Whole number of picks this year; fractions carry over to later years."""
        total = self._quota_carry[key] + amount
        whole = int(np.floor(total + 1e-9))
        self._quota_carry[key] = total - whole
        return whole

    def _add_institutes(self, kinds: np.ndarray, rng: np.random.Generator) -> None:
        cols = new_institute_columns(self.config, rng, kinds, home_weights=self.needs)
        slots = self.institutes.append(cols, kinds.size)
        focus = np.zeros((kinds.size, self.n_chains))
        focus[np.arange(kinds.size), cols["home_chain"]] = 1.0
        self.institute_focus = np.vstack([self.institute_focus, focus])
        self._institute_kinds = InstituteKinds.of(self.institutes, self.institute_focus)
        self.institute_by_slot += [ResearchInstitute(self, slot) for slot in slots]

    def entry_and_exit(self) -> None:
        """Phase 8: exits (losses, negative net worth, random) then entry from incubation."""
        f, s = self.firms, self.config
        fin = s.finance
        hazard = fin.exit_hazard * (0.5 + (f.size >= 2))  # small and micro firms 1.5, others 0.5
        gone = demography.exits(self.streams["exit"], f.nw, f.losses, fin.exit_losses, hazard)
        self._exits = int(np.count_nonzero(gone))
        # each chain's total market share, 1 until firms leave or enter; renormalised at the end
        chain_share = None
        if self._exits:
            dead = np.flatnonzero(gone)
            chain_share = 1.0 - group_sum(f.share[dead], f.chain[dead], self.n_chains)
            for slot in f.drop(dead).tolist():
                agent = self.enterprise_by_slot[slot]
                agent.remove()
                self.enterprise_by_slot[slot] = None
        f.age += 1

        rng = self.streams["entry"]
        incubation = (
            self.policy.incubation * self.institutes.incubator.sum() / self._initial_incubators
        )
        k = demography.entry_count(rng, s.population.enterprises, fin.entry_rate, incubation)
        if len(f) == 0:  # no firm left to spin off from: the industry has died out
            k = 0
        self._entries = k
        if k > 0:
            parents = demography.pick_parents(
                rng, f.va * (1.0 + 5.0 * np.maximum(self.trend_growth, 0.0))[f.chain], k
            )
            if chain_share is None:
                chain_share = np.ones(self.n_chains)
            incubated = 0.5 * incubation / (0.5 + 0.5 * incubation)
            chain_share = chain_share + self._enter(parents, rng, incubated, chain_share)
        if chain_share is not None:
            f.share /= chain_share[f.chain]

    def _enter(
        self,
        parent: np.ndarray,
        rng: np.random.Generator,
        incubated: float,
        chain_share: np.ndarray,
    ) -> np.ndarray:
        """Add entrants, each carrying the technology of a parent firm of its chain.

        An entrant takes its parent's chain, digital level, green share, energy intensity and
        capital coefficient; its TFP is the parent's times ``exp(0.15 eps)``; its market share
        is ``entrant_size`` times its chain's mean share (``chain_share`` is each chain's total
        share before entry; the caller renormalises).

        Returns:
            The market share entrants add to each chain.
        """
        f, s = self.firms, self.config
        k = parent.size
        tech = s.technology
        chain = f.chain[parent]
        counts = np.bincount(f.chain, minlength=self.n_chains)
        tfp = f.A[parent] * np.exp(0.15 * rng.standard_normal(k))
        relative = s.finance.entrant_size / np.maximum(counts[chain], 1)  # of a normalised chain
        share = relative * chain_share[chain]
        d, g, z, e = f.d[parent], f.g[parent], f.z[parent], f.e[parent]
        va = relative * self.chain_demand[chain]
        capital = z * va / (tfp * (1.0 + tech.digital_bonus * d))
        workers = production.labour_needed(
            va, tfp, capital, d, tech.capital_elasticity, tech.digital_bonus
        )
        rho = 1.5 * self._chain_rd[chain] * np.exp(0.5 * rng.standard_normal(k) - 0.125)
        rd = rho * va
        staff = talent.staff_wanted(rd, s.finance.rd_wage)
        n_parks = len(self.parks)
        tenants = np.bincount(f.hood, minlength=n_parks + self.n_chains)[:n_parks]
        park = demography.choose_parks(
            rng, chain, self.parks.focus, self.parks.land - tenants, self.parks.service
        )
        slots = f.append(
            {
                "chain": chain,
                "park": park,
                "hood": neighbourhood(park, chain, len(self.parks)),
                "size": 3,
                "K": capital,
                "L": workers,
                "A": tfp,
                "d": d,
                "g": g,
                "share": share,
                "va": va,
                "wanted": va,
                "rd": rd,
                "rho": rho,
                "z": z,
                "e": e,
                "nw": 0.6 * capital,
                "debt": 0.4 * capital,
                "H": staff,
                "know": 20.0 * rd,
                "vol": demand.yearly_volatility(rng, k),
            },
            k,
        )
        self.enterprise_by_slot += [Enterprise(self, slot) for slot in slots.tolist()]
        self.ledger.add("technology", "institute", "enterprise", incubated * va.sum())
        self.ledger.add("talent", "institute", "enterprise", incubated * staff.sum())
        return group_sum(share, chain, self.n_chains)

    # -- setup helpers ------------------------------------------------------------------------
    def _init_rd_state(self) -> None:
        f, pol, fin = self.firms, self.policy, self.config.finance
        f.rd = f.rho * (1.0 + pol.rd_subsidy_response * pol.rd_subsidy) * f.va
        f.H = talent.staff_wanted(f.rd, fin.rd_wage)
        f.know = 20.0 * f.rd
        self.pool = 0.05 * f.H.sum()
        self.needs = group_sum(f.rd, f.chain, self.n_chains) / f.rd.sum()
        inst, tech = self.institutes, self.config.technology
        gov = pol.institute_funding / 4.0
        inst.funding = gov * inst.researchers / inst.researchers.sum()
        inst.know = tech.institute_productivity * inst.funding / (tech.knowledge_depreciation / 4.0)
        self._absorptive = innovation.absorptive_capacity(f.d, f.know, f.va, f.specialized)
        self.staff_wanted = f.H.copy()
        self.tech_to_chain = np.zeros(self.n_chains)
        self._promoted = NO_PROJECTS
        self._entries = self._exits = 0

    def _initial_selection(self) -> None:
        """Specialized-and-new firms, little giants, leaders and high-tech firms at the start."""
        f = self.firms
        f.high_tech = selection.high_tech(f.rd, f.va, f.H, f.L)
        f.leading = selection.leading(f.va, f.chain, self.n_chains, self.policy.leading_per_chain)
        mean_a = group_mean(f.A, f.chain, self.n_chains, weights=f.va)
        score = selection.innovation_score(f.rd, f.va, f.A, mean_a[f.chain], f.q)
        f.specialized = selection.pick_top(score, f.size >= 1, round(1500 * self.firm_scale))
        f.little_giant = selection.pick_top(score, f.specialized, round(120 * self.firm_scale))

    # -- output -------------------------------------------------------------------------------
    def indicators(self) -> pd.DataFrame:
        """One row per recorded quarter (columns and units: ``model.indicators.INDICATORS``)."""
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        for col in (
            "step",
            "year",
            "quarter",
            "enterprises",
            "high_tech",
            "specialized_new",
            "little_giants",
            "entries",
            "exits",
        ):
            df[col] = df[col].astype("int64")
        return df

    def flows(self) -> pd.DataFrame:
        """The innovation-factor flow ledger: (step, factor, from_kind, to_kind, amount, unit)."""
        df = self.ledger.frame()
        return df[df["step"] >= 0].reset_index(drop=True)

    @property
    def enterprises(self):
        """The Enterprise agents (a Mesa AgentSet)."""
        return self.agents_by_type[Enterprise]


def _reporter(name: str):
    def report(model: TransitionModel):
        return model.recorder.current[name]

    report.__name__ = name
    return report
