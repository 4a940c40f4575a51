"""The scenario schema: every parameter of the model with its type, unit, range and help.

This module is the single source of parameter names. The command line (`--set`), the
dashboard's lever controls, sweep specifications and `docs/PARAMETERS.md` all read it.

Each numeric parameter is declared with :func:`param`, which records the unit, the allowed
range and a one-line description; policy levers also carry the plan's capability they belong
to (coordination, digital, green, factor supply, services).
"""

from __future__ import annotations

import difflib
import math
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CAPABILITIES = ("coordination", "digital", "green", "factor_supply", "services")
"""The plan's five capabilities, the groups policy levers are shown in."""

INSTITUTE_KINDS = ("university", "research_institute", "innovation_centre", "design_centre")
PARK_KINDS = ("national_high_tech", "national_economic", "municipal")
SIZE_CLASSES = ("large", "medium", "small", "micro")


def param(
    default: Any,
    lo: float | None,
    hi: float | None,
    unit: str,
    help: str,
    capability: str | None = None,
    zh: str | None = None,
) -> Any:
    """Declare a numeric parameter.

    Args:
        default: Default value (its type is the field's type).
        lo: Smallest allowed value (inclusive), or None.
        hi: Largest allowed value (inclusive), or None.
        unit: Unit shown to users ("1" for dimensionless, "0-1" for a share).
        help: One line saying what the parameter does.
        capability: For policy levers, the plan's capability group.
        zh: Chinese label, the plan's own term where it has one.

    Returns:
        A pydantic ``Field`` carrying the metadata in ``json_schema_extra``.
    """
    extra: dict[str, Any] = {"unit": unit}
    if capability is not None:
        assert capability in CAPABILITIES, capability
        extra["capability"] = capability
    if zh is not None:
        extra["zh"] = zh
    return Field(default, ge=lo, le=hi, description=help, json_schema_extra=extra)


class Section(BaseModel):
    """Base of every scenario section: unknown keys and NaN are errors."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @model_validator(mode="before")
    @classmethod
    def _plain_numbers(cls, data: Any) -> Any:
        """Numbers must be written as finite numbers: not quoted, not true/false, not NaN/inf."""
        if not isinstance(data, dict):
            return data
        for name, value in data.items():
            field = cls.model_fields.get(name)
            number = (get_args(field.annotation) or (field.annotation,))[0] if field else None
            if number is bool and not isinstance(value, bool):
                raise ValueError(f"{name} = {value!r}: must be true or false (unquoted); "
                                 "allowed: true, false")
            if number not in (int, float):
                continue
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, bool | str) or (isinstance(v, float) and not math.isfinite(v)):
                    lo, hi = bounds(field)
                    kind = "a finite number" if isinstance(v, float) else "a number"
                    allowed = ("list of " if isinstance(value, list) else "") + number.__name__
                    if lo is not None or hi is not None:
                        allowed += f" from {lo} to {hi}"
                    shown = str(value).lower() if isinstance(value, bool) else repr(value)
                    raise ValueError(f"{name} = {shown}: must be {kind}; allowed: {allowed}")
        return data

    @model_validator(mode="after")
    def _finite(self) -> Section:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{name}: must be a finite number, got {value}")
        return self


class Horizon(Section):
    """Simulated period: one step is one quarter."""

    start_year: int = param(2021, 2000, 2060, "year", "First simulated year (starts in Q1)")
    end_year: int = param(2035, 2000, 2100, "year", "Last simulated year (ends in Q4)")

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.end_year < self.start_year:
            raise ValueError(
                f"end_year = {self.end_year}: before start_year {self.start_year}; "
                f"allowed: {self.start_year} or later"
            )
        return self

    @property
    def quarters(self) -> int:
        """Number of quarters from start to end inclusive."""
        return 4 * (self.end_year - self.start_year + 1)


class Population(Section):
    """How many agents of each type, where enterprises sit, and how they differ at the start."""

    enterprises: int = param(7100, 10, 2_000_000, "count", "Enterprises above designated size at start (also the model's resolution: money and people do not scale with it)")
    institutes: int = param(120, 4, 10_000, "count", "Research institutes of all four kinds at start")
    parks: int = param(43, 1, 1_000, "count", "Industrial parks (development zones)")
    institute_park_share: float = param(0.6, 0.0, 1.0, "0-1", "Share of institutes located in an industrial park; the others sit outside parks (assumption)")
    value_added_start: float = param(7100.0, 2000.0, 50_000.0, "100m yuan/year", "Annualised industrial value added when the spin-up year before the start begins")
    size_tail: float = param(1.15, 1.05, 4.0, "1", "Pareto tail index of initial firm size (lower = more skewed; above 1 so the mean exists)")
    tfp_dispersion: float = param(0.3, 0.0, 0.8, "log points", "Standard deviation of log TFP within a chain at start")
    state_owned_large: float = param(0.35, 0.0, 1.0, "0-1", "Probability a large or medium firm is state-owned")
    state_owned_small: float = param(0.03, 0.0, 1.0, "0-1", "Probability a small or micro firm is state-owned")
    park_membership_large: float = param(0.97, 0.0, 1.0, "0-1", "Probability a large firm sits in a park")
    park_membership_small: float = param(0.5048, 0.0, 1.0, "0-1", "Probability a small or micro firm sits in a park")
    park_land_slack: float = param(0.25, 0.0, 2.0, "0-1", "Free park land at start, as a share of initial tenants")
    institute_kind_shares: list[float] = Field(
        [0.20, 0.12, 0.05, 0.63],
        description="Shares of institutes by kind: university, research institute, "
        "manufacturing innovation centre, industrial design centre (sum to 1)",
        json_schema_extra={"unit": "0-1"},
    )
    park_kind_shares: list[float] = Field(
        [0.093, 0.093, 0.814],
        description="Shares of parks by kind: national high-tech zone, national economic zone, "
        "municipal park (sum to 1)",
        json_schema_extra={"unit": "0-1"},
    )

    @field_validator("institute_kind_shares", "park_kind_shares")
    @classmethod
    def _shares(cls, v: list[float], info) -> list[float]:
        n = 4 if info.field_name == "institute_kind_shares" else 3
        allowed = f"allowed: {n} shares >= 0 that sum to 1"
        if len(v) != n:
            raise ValueError(f"{info.field_name} = {v}: {len(v)} shares; {allowed}")
        if any((not math.isfinite(x)) or x < 0 for x in v):
            raise ValueError(f"{info.field_name} = {v}: a share is negative; {allowed}")
        if abs(sum(v) - 1.0) > 1e-6:
            raise ValueError(f"{info.field_name} = {v}: shares sum to {sum(v):.4g}; {allowed}")
        return v


class Chain(Section):
    """One industrial chain (产业链) and the outside market it sells on."""

    name: str = Field(description="Identifier used in events and output", pattern=r"^[a-z][a-z0-9_]*$")
    label_zh: str = Field("", description="Chinese name of the chain")
    strategic_emerging: bool = Field(False, description="Counts toward the strategic-emerging share")
    va_share: float = param(0.1, 0.0, 1.0, "0-1", "Share of industrial value added at start")
    firm_share: float = param(0.1, 0.0, 1.0, "0-1", "Share of enterprises at start")
    market_share: float = param(0.03, 0.001, 0.5, "0-1", "Chongqing's share of the chain's national and world market at start")
    market_growth: float = param(0.04, -0.1, 0.8, "1/year", "Growth of the chain's national and world market at the start (an exogenous path; 0 holds it flat)")
    market_maturity: float = param(1000.0, 2.0, 1000.0, "years", "Half-life of the market's growth rate as the market matures (1000: the rate stays)")
    trade_elasticity: float = param(5.0, 2.0, 10.0, "1", "eta: elasticity of the logit market share to relative price and quality; fixes the chain's markup 1 / (eta (1 - s0) - 1)")
    frontier_gap: float = param(0.35, 0.0, 1.5, "log points", "Distance of the chain's mean TFP below the rivals' productivity frontier at start")
    frontier_growth: float = param(0.015, -0.02, 0.06, "1/year", "Growth of the rivals' productivity frontier (an exogenous path)")
    rival_price_growth: float = param(-0.01, -0.06, 0.03, "1/year", "Growth of the rivals' quality-adjusted price (an exogenous path)")
    energy_intensity: float = param(0.7, 0.01, 5.0, "tce/10k yuan", "Energy per value added of a firm with no green or digital upgrade")
    rd_propensity: float = param(0.03, 0.0, 0.1, "0-1", "R&D spending over sales of a typical firm at start")

    @model_validator(mode="after")
    def _markup_defined(self) -> Chain:
        if self.trade_elasticity * (1.0 - self.market_share) < 1.5:
            raise ValueError(
                f"trade_elasticity = {self.trade_elasticity}: with market_share "
                f"{self.market_share} the markup 1 / (eta (1 - s) - 1) is above 2; "
                f"allowed: trade_elasticity * (1 - market_share) >= 1.5"
            )
        return self


class Markets(Section):
    """How shares of the chains' markets move."""

    share_adjustment: float = param(0.15, 0.0, 1.0, "1/quarter", "theta: share of the gap to the logit market share closed each quarter")
    replicator_speed: float = param(0.03, 0.0, 1.0, "1/quarter", "chi: firms' share response to their log competitiveness against the chain's")
    demand_noise: float = param(0.10, 0.0, 0.3, "1", "Std. dev. of idiosyncratic quarterly order shocks (log; normal scale mixture)")
    volatility_spread: float = param(1.0, 0.0, 1.0, "0-1", "w in v = (1 - w) + w |z|: spread of firms' yearly order volatility (1 = normal scale mixture, 0 = Gaussian shocks)")
    expectation_speed: float = param(0.25, 0.0, 1.0, "1/quarter", "Weight of the market's latest growth in firms' expected market growth")


class Technology(Section):
    """Production, innovation, imitation and knowledge."""

    capital_elasticity: float = param(0.45, 0.25, 0.65, "1", "alpha: output elasticity of capital in Y = A (zK)^alpha L^(1-alpha)")
    digital_bonus: float = param(0.08, 0.0, 0.3, "1", "Capacity gain of a fully digital firm (part of its effective TFP)")
    innovation_hazard: float = param(0.2558, 0.0, 2.0, "1/quarter", "lambda_n in p = 1 - exp(-lambda_n effort absorptive) for own innovation")
    innovation_step: float = param(0.015, 0.0, 0.08, "1", "Mean TFP gain of an incremental innovation")
    radical_probability: float = param(0.01, 0.0, 0.1, "0-1", "Share of successful innovations that are radical")
    radical_step: float = param(0.15, 0.0, 0.5, "1", "Mean TFP gain of a radical innovation")
    imitation_hazard: float = param(0.04, 0.0, 1.0, "1/quarter", "lambda_m in p = 1 - exp(-lambda_m absorptive (1 + park spillover)) for imitation")
    imitation_step: float = param(0.04, 0.0, 0.5, "0-1", "Share of the log gap to the rivals' frontier closed by one imitation")
    park_spillover: float = param(1.0, 0.0, 2.0, "1", "Extra imitation and innovation for firms inside a park, times the park's service level")
    institute_productivity: float = param(0.25, 0.0, 2.0, "knowledge/100m yuan", "Knowledge an institute makes per unit of funding")
    transfer_efficiency: float = param(0.04, 0.0, 0.2, "TFP/knowledge", "TFP gain per unit of knowledge transferred per unit of firm output")
    uncoupled_relevance: float = param(0.35, 0.0, 1.0, "0-1", "Share of institute knowledge usable by industry when not steered by chain needs")
    knowledge_depreciation: float = param(0.15, 0.05, 0.5, "1/year", "Depreciation of R&D knowledge stocks")
    knowledge_absorption: float = param(0.3, 0.0, 1.0, "1", "w_k in a = (0.3 + 0.4 d + w_k min(1, k / (0.4 p y))) (1 + 0.2 [specialized]): weight of a firm's own R&D knowledge in its absorptive capacity")
    innovation_centre_effect: float = param(0.02, 0.0, 0.1, "TFP/knowledge", "Common-technology gain a manufacturing innovation centre gives its chain per unit of knowledge over chain output")
    contract_partners: int = param(2, 0, 3, "count", "Contracts with institutes a firm with R&D keeps (at most 3)")
    contract_length: int = param(8, 1, 40, "quarters", "L: mean term of a contract with an institute, U{1..2L-1} quarters")
    colocation_bonus: float = param(10.0, 0.0, 20.0, "1", "beta: an institute in a firm's own park weighs 1 + beta when the firm searches near (assumption)")
    contract_channel: float = param(0.5, 0.0, 1.0, "0-1", "theta: share of a research institute's knowledge usable by a chain that goes to its contract partners in the chain (assumption)")
    design_effect: float = param(0.5, 0.0, 2.0, "quality/knowledge", "Design-quality gain of a chain per unit of design-centre knowledge over chain output")
    design_decay: float = param(0.08, 0.01, 0.5, "1/quarter", "Obsolescence of design quality")
    rd_adaptation: float = param(0.2, 0.0, 1.0, "1/year", "Speed at which a firm's R&D propensity moves toward that of its chain's more profitable firms")
    rd_mutation: float = param(0.1, 0.0, 0.5, "log points/year", "Std. dev. of the yearly random change of a firm's R&D propensity")
    efficiency_gain: float = param(0.009786, 0.0, 0.05, "1/year", "Autonomous energy-efficiency improvement (an exogenous path)")
    green_energy_saving: float = param(0.15, 0.0, 0.6, "0-1", "Energy saved by fully green capacity")
    digital_energy_saving: float = param(0.05, 0.0, 0.3, "0-1", "Energy saved by a fully digital firm")


class Labour(Section):
    """The labour market and the market for R&D staff, each cleared every quarter."""

    wage: float = param(3.0, 0.5, 10.0, "10k yuan/worker/quarter", "Labour cost per production worker at start (wages and social insurance)")
    labour_supply_elasticity: float = param(0.75, 0.2, 10.0, "1", "epsilon in w = w0 (L / Lbar)^(1/epsilon)")
    labour_supply_growth: float = param(-0.005, -0.05, 0.05, "1/year", "Growth of the labour supply at the start wage: migration and demography (an exogenous path)")
    rd_wage: float = param(2.848, 1.0, 20.0, "10k yuan/person/quarter", "Cost of one R&D person at start")
    rd_supply_elasticity: float = param(1.0, 0.2, 10.0, "1", "epsilon_R in w_R = w_R0 (H / Hbar)^(1/epsilon_R)")
    hiring_limit: float = param(0.25, 0.05, 1.0, "1/quarter", "Largest rise in a firm's workforce in one quarter")
    wage_expectation: float = param(0.25, 0.05, 1.0, "1/quarter", "Weight of the latest wage in the wage firms plan their factor mix on (adaptive expectation)")


class Finance(Section):
    """User cost of capital, investment, credit and balance sheets."""

    interest_rate: float = param(0.045, 0.0, 0.15, "1/year", "Interest rate on liabilities")
    depreciation: float = param(0.07, 0.03, 0.2, "1/year", "Depreciation of physical capital")
    tax_share: float = param(0.15, 0.0, 0.4, "0-1", "Taxes on production and profit, as a share of value added")
    payout: float = param(0.3, 0.0, 0.9, "0-1", "Share of positive profit paid out")
    target_leverage: float = param(0.5634, 0.3, 0.8, "0-1", "Liabilities over assets firms borrow up to and repay down to")
    loan_to_value: float = param(0.9, 0.3, 1.0, "0-1", "Largest debt over capital banks accept from a large private firm at normal credit supply")
    lending_capacity: float = param(0.015, 0.002, 0.1, "1/quarter", "New lending banks can make in a quarter, as a share of industry's capital, at normal credit supply (maturing loans within limits are rolled over on top)")
    debt_repayment: float = param(0.1, 0.01, 0.5, "1/quarter", "Share of a firm's debt above its ceiling (target leverage or loan-to-value) that banks call in each quarter; debt within it is rolled over")
    equity_issuance: float = param(0.3, 0.0, 1.0, "0-1", "Share of the investment finance holds back that owners and investors fund with new equity each quarter")
    cash_buffer: float = param(0.3, 0.0, 2.0, "quarters", "Cash firms keep, in quarters of operating costs; cash above twice it is paid out or repays debt")
    investment_speed: float = param(0.2381, 0.05, 1.0, "1/quarter", "Share of the gap to desired capital closed per quarter")
    capital_gap: float = param(0.3251, 0.0, 1.0, "log points", "Capital shortfall at start: ln(s* / s0), the share of its markets Chongqing's competitiveness warrants over the share its capacity serves (marginal return on capital above its user cost)")
    renovation_share: float = param(0.34, 0.0, 0.8, "0-1", "Technical renovation share of investment")
    renovation_catchup: float = param(0.1, 0.0, 1.0, "1", "Share of the log gap to the frontier closed per unit of capital renewed by renovation (embodied technology)")
    contract_share: float = param(0.12, 0.0, 0.5, "0-1", "Share of enterprise R&D contracted out to institutes")
    soe_credit_access: float = param(1.3, 1.0, 3.0, "1", "Loan-to-value of a state-owned firm relative to a private one")
    soe_tfp_gap: float = param(0.15, 0.0, 0.5, "log points", "TFP of state-owned firms below private ones of the same chain at start")
    specialized_rd_bonus: float = param(0.3, 0.0, 1.0, "1", "Extra R&D propensity of specialized-and-new firms (doubled for little giants)")
    specialized_credit_bonus: float = param(0.5, 0.0, 1.0, "1", "Extra loan-to-value of specialized-and-new firms")
    promoted_grant: float = param(0.2, 0.0, 0.5, "0-1", "Share of a promoted project's cost paid by government guidance funds: the user-cost wedge of promoted capital")
    infrastructure_cost: float = param(30.0, 0.0, 200.0, "100m yuan per park and unit level", "Cost of raising a park's infrastructure or service level")
    exit_losses: int = param(8, 2, 40, "quarters", "Consecutive loss quarters after which a firm exits")
    exit_hazard: float = param(0.009, 0.0, 0.03, "1/quarter", "Random exit probability of a small or micro firm (medium firms half of it, large firms a tenth)")
    entry_rate: float = param(0.012, 0.0, 0.03, "1/quarter", "Entries per quarter as a share of the starting number of enterprises, before incubation effects")
    entrant_size: float = param(0.15, 0.01, 2.0, "1", "Entrant size relative to the mean firm of its chain")


class Energy(Section):
    """Energy prices and emission factors."""

    energy_price: float = param(0.09, 0.01, 0.5, "100m yuan/10k tce", "Price of energy (about 900 yuan per tce)")
    emission_factor: float = param(2.05, 0.0, 4.0, "t CO2/tce", "CO2 per tonne of standard coal at start")
    green_emission_cut: float = param(0.3, 0.0, 1.0, "0-1", "Emission cut of fully green capacity from its own clean energy")
    grid_decarbonisation: float = param(0.02, -0.05, 0.1, "1/year", "Yearly fall of the emission factor from a cleaner grid (an exogenous path)")
    park_green_cut: float = param(0.25, 0.0, 1.0, "0-1", "Emission cut in a park with full green infrastructure (shared low-carbon energy)")
    reference_carbon_price: float = param(50.0, 0.0, 500.0, "yuan/t CO2", "Carbon price in the observed start state and in rivals' prices")
    gdp_industry_share: float = param(0.28, 0.1, 0.6, "0-1", "Industrial value added over GDP, to express R&D as a share of GDP")
    other_rd_share: float = param(0.3121, 0.0, 0.6, "0-1", "R&D outside industry and institutes, as a share of total R&D")


class Adoption(Section):
    """Clean capital chosen at investment, and Bass-type adoption of digital tools."""

    clean_premium: float = param(0.15, 0.0, 1.0, "0-1", "Extra capital cost of clean capacity over dirty capacity of the same output")
    green_learning: float = param(0.5, 0.0, 1.0, "0-1", "Fall of the clean premium at a fully green neighbourhood (adoption spillover; 0 switches it off)")
    park_green_response: float = param(0.5, 0.0, 1.0, "0-1", "Fall of the clean premium in a park with full green infrastructure")
    green_choice_spread: float = param(0.05, 0.01, 1.0, "share of cost", "Spread of firms' assessments of the levelised-cost difference (logit scale)")
    digital_innovation: float = param(0.03, 0.0, 0.3, "1/year", "p: spontaneous digital adoption")
    digital_imitation: float = param(0.2, 0.0, 1.0, "1/year", "q: adoption from digital peers nearby")
    upgrade_step: float = param(0.25, 0.05, 1.0, "0-1", "Rise in digital level at one adoption")
    digital_cost: float = param(0.05, 0.0, 0.3, "share of capital", "Cost of a full digital upgrade")
    subsidy_response: float = param(4.0, 0.0, 10.0, "1", "Digital adoption gain per unit of digital subsidy rate")
    infrastructure_response: float = param(1.0, 0.0, 5.0, "1", "Digital adoption gain per unit of park digital infrastructure")


class Parks(Section):
    """Parks that decide: budget, spending, land price and admission (``model/parks.py``)."""

    tax_retention: float = param(0.01, 0.0, 1.0, "0-1", "tau: share of its tenants' taxes a park keeps for its budget (assumption)")
    plot_price: float = param(0.05, 0.0, 10.0, "100m yuan per plot", "v: price of an enterprise plot at land price index 1 (assumption)")
    spend_rate: float = param(0.25, 0.0, 1.0, "1/quarter", "sigma: share of its budget a park spends on services and infrastructure each quarter")
    price_response: float = param(0.2, 0.0, 2.0, "1/quarter", "phi: land price index moves by exp(phi (occupancy - target)) a quarter")
    target_occupancy: float = param(0.9, 0.1, 1.0, "0-1", "Occupancy of its land at which a park holds its land price")
    price_elasticity: float = param(1.0, 0.0, 5.0, "1", "epsilon: entrants' and promoted projects' weight on a park falls as land price^-epsilon (assumption)")
    green_standard: float = param(0.0, 0.0, 1.0, "0-1", "Lowest green share of capital an entrant needs to be admitted to a park (0 admits all)")
    tfp_standard: float = param(0.0, 0.0, 2.0, "ratio", "Lowest TFP, relative to its chain's median, an entrant needs to be admitted to a park (0 admits all)")
    focus_reserve: float = param(0.0, 0.0, 1.0, "0-1", "Share of a park's land it keeps for entrants of its focus chain")


class Suppliers(Section):
    """Supplier links between chains and firms, from China's 2020 input-output table (``model/suppliers.py``)."""

    local_share: float = param(0.0, 0.0, 1.0, "0-1", "l: share of a chain's purchases from the other chains made from Chongqing's firms; 0 (the calibrated baseline) cuts the demand links, 0.4 is a plausible value (assumption)")
    links: int = param(3, 0, 3, "firms", "Named suppliers a firm keeps in other chains")
    colocation_bonus: float = param(2.0, 0.0, 20.0, "1", "beta: extra weight of a supplier in the buyer's park (assumption)")
    spillover: float = param(0.01, 0.0, 0.2, "1/quarter", "gamma: share of its customers' mean lead a supplier learns a quarter (backward linkages; 0 switches it off)")


class Policy(Section):
    """The plan's levers, grouped by the five capabilities. The defaults are the policy in force at the start, under which the initial state was observed."""

    rd_subsidy: float = param(0.10, 0.0, 0.5, "0-1", "Share of enterprise R&D spending refunded by government", "factor_supply", "研发费用补助")
    rd_subsidy_response: float = param(1.2, 0.0, 3.0, "1", "Rise in firms' R&D propensity per unit of subsidy rate", "factor_supply")
    talent_introduction: float = param(6000.0, 0.0, 50_000.0, "persons/year", "R&D personnel brought in by talent programmes", "factor_supply", "人才引进")
    graduates: float = param(14000.0, 0.0, 100_000.0, "persons/year", "University graduates entering industrial R&D", "factor_supply")
    credit_supply: float = param(1.0, 0.3, 2.0, "1", "Bank lending capacity relative to normal", "factor_supply", "金融供给")
    sme_credit_access: float = param(0.6, 0.2, 1.0, "0-1", "Loan-to-value of small and micro firms relative to large", "factor_supply")
    seedling_quota: float = param(300.0, 0.0, 1000.0, "firms/year", "Specialized-and-new firms selected each year (scaled to 7,100 firms)", "coordination", "专精特新")
    seedling_support: float = param(0.02, 0.0, 0.1, "0-1 of VA/year", "Government grant to a specialized-and-new firm per year, earmarked for R&D", "coordination")
    little_giant_quota: float = param(40.0, 0.0, 200.0, "firms/year", "Little giants selected each year among specialized-and-new firms (scaled to 7,100 firms)", "coordination", "小巨人")
    leading_per_chain: int = param(5, 0, 50, "firms", "Leading enterprises named per chain (they receive promoted projects)", "coordination", "龙头企业")
    design_centres_new: float = param(20.0, 0.0, 100.0, "centres/year", "New municipal industrial design centres a year", "coordination", "工业设计中心")
    innovation_centres_new: float = param(1.0, 0.0, 10.0, "centres/year", "New manufacturing innovation centres a year", "coordination", "制造业创新中心")
    coupling: float = param(0.5, 0.0, 1.0, "0-1", "Double-chain coupling: share of institute work steered by chain needs", "coordination", "双链融合")
    institute_funding: float = param(160.0, 0.0, 1000.0, "100m yuan/year", "Government funding of institutes", "factor_supply")
    institute_funding_growth: float = param(0.05, -0.05, 0.1, "1/year", "Growth of institute funding (a path; 0 holds it flat)", "factor_supply")
    promoted_investment: float = param(600.0, 0.0, 5000.0, "100m yuan/year", "Investment in promoted projects landing each year (稳投资 projects), part-financed by guidance funds", "coordination", "招商引资")
    carbon_price: float = param(50.0, 0.0, 1000.0, "yuan/t CO2", "Carbon price paid on emissions", "green", "碳价")
    green_subsidy: float = param(0.05, 0.0, 0.5, "0-1", "Share of the clean capital premium refunded", "green", "绿色补贴")
    green_infrastructure: float = param(0.04, 0.0, 0.2, "1/year", "Yearly rise of parks' green infrastructure level", "green", "绿色园区")
    digital_support: float = param(0.05, 0.0, 0.5, "0-1", "Share of digital upgrade cost refunded", "digital", "智能化改造")
    digital_infrastructure: float = param(0.05, 0.0, 0.2, "1/year", "Yearly rise of parks' digital infrastructure level", "digital", "新基建")
    park_services: float = param(0.03, 0.0, 0.2, "1/year", "Yearly rise of parks' service level", "services", "园区服务")
    incubation: float = param(1.0, 0.0, 3.0, "1", "Incubator capacity of institutes relative to today", "services", "孵化")


class DemandShock(Section):
    """A demand shock to one chain."""

    kind: Literal["demand_shock"]
    chain: str = Field(description="Chain hit")
    start: str = Field(description="First quarter hit, e.g. '2022Q3'")
    quarters: int = param(4, 1, 400, "quarters", "Length")
    size: float = param(-0.1, -0.6, 0.6, "1", "Relative change in the chain's orders (e.g. -0.17)")


class EnergyShortage(Section):
    """A power or energy shortage: available energy cut for a while."""

    kind: Literal["energy_shortage"]
    start: str = Field(description="First quarter hit, e.g. '2022Q3'")
    quarters: int = param(1, 1, 400, "quarters", "Length")
    cut: float = param(0.1, 0.0, 0.3, "0-1", "Share of output that cannot be produced for want of energy")


class PolicyChange(Section):
    """A policy lever set to a new value from a given quarter."""

    kind: Literal["policy_change"]
    start: str = Field(description="First quarter with the new value, e.g. '2025Q1'")
    lever: str = Field(description="Name of a field of [policy]")
    value: float = Field(description="New value (within the lever's range)")


class PromotedProject(Section):
    """A one-off promoted investment project in one chain."""

    kind: Literal["promoted_project"]
    chain: str = Field(description="Chain receiving the project")
    start: str = Field(description="Quarter the investment lands, e.g. '2023Q2'")
    amount: float = param(100.0, 0.0, 5000.0, "100m yuan", "Investment in the project, installed over one quarter")


Event = Annotated[
    DemandShock | EnergyShortage | PolicyChange | PromotedProject, Field(discriminator="kind")
]


class Target(Section):
    """A target an indicator is compared with."""

    indicator: str = Field(
        description="Indicator compared on its yearly value, e.g. value_added_growth "
        "(list in docs/PARAMETERS.md)"
    )
    year: int = param(2022, 2000, 2100, "year", "Year of the target")
    value: float = Field(description="Target value in the indicator's unit")

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, name: str) -> str:
        allowed = target_indicators()
        if name not in allowed:
            raise ValueError(
                f"unknown indicator{did_you_mean(name, allowed)}; allowed: {', '.join(allowed)}"
            )
        return name


def target_indicators() -> list[str]:
    """Indicator names a target may name: the yearly columns of ``model.summary.annual``."""
    from chainshift.model.indicators import (
        INDICATORS,  # imported here: the model imports this module
    )

    return [k for k in INDICATORS if k not in ("step", "year", "quarter")]


def did_you_mean(word: str, options) -> str:
    """' (did you mean 'x'?)' for the closest option to a misspelt word, else ''."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def default_chains() -> list[Chain]:
    """Chongqing's key chains (the plan's 33 chains grouped into 11) and their markets.

    Market shares, market growth, frontier gaps and rivals' paths are assumptions of the
    calibration, documented in scenarios/data/README.md; value-added and firm shares, energy
    and R&D intensities are Chongqing's.
    """
    rows = [
        # name, zh, SE, va, firms, market share, market growth, maturity, eta, gap, frontier g,
        # rival p g, energy, rd
        ("automobile", "汽车", False, 0.17, 0.14, 0.08, -0.03, 1000, 5.0, 0.35, 0.015, -0.010, 0.28, 0.025),
        ("nev", "新能源及智能网联汽车", True, 0.045, 0.03, 0.03, 0.5, 4, 5.0, 0.30, 0.030, -0.020, 0.24, 0.040),
        ("electronics", "电子信息制造", False, 0.175, 0.08, 0.08, 0.0, 1000, 5.0, 0.35, 0.020, -0.015, 0.16, 0.020),
        ("ic_display", "集成电路与新型显示", True, 0.09, 0.03, 0.03, 0.15, 8, 5.0, 0.50, 0.030, -0.020, 0.30, 0.055),
        ("equipment", "装备制造", False, 0.08, 0.14, 0.02, 0.01, 1000, 5.0, 0.40, 0.015, -0.010, 0.35, 0.025),
        ("smart_equipment", "智能装备", True, 0.045, 0.05, 0.02, 0.12, 8, 5.0, 0.45, 0.025, -0.015, 0.30, 0.045),
        ("materials", "材料", False, 0.14, 0.16, 0.025, -0.01, 1000, 5.0, 0.25, 0.010, -0.005, 2.60, 0.012),
        ("new_materials", "新材料", True, 0.035, 0.04, 0.02, 0.12, 8, 5.0, 0.40, 0.025, -0.015, 1.50, 0.030),
        ("consumer_goods", "消费品", False, 0.135, 0.25, 0.02, 0.02, 1000, 5.0, 0.30, 0.010, -0.005, 0.45, 0.010),
        ("biomedicine", "生物医药", True, 0.045, 0.05, 0.015, 0.10, 10, 5.0, 0.50, 0.025, -0.015, 0.30, 0.060),
        ("energy_chemicals", "能源化工", False, 0.04, 0.03, 0.03, -0.02, 1000, 5.0, 0.25, 0.010, -0.005, 3.20, 0.010),
    ]
    return [
        Chain(
            name=n, label_zh=zh, strategic_emerging=se, va_share=va, firm_share=fs,
            market_share=ms, market_growth=mg, market_maturity=h, trade_elasticity=eta,
            frontier_gap=gap, frontier_growth=fg, rival_price_growth=pg, energy_intensity=e,
            rd_propensity=rd,
        )
        for n, zh, se, va, fs, ms, mg, h, eta, gap, fg, pg, e, rd in rows
    ]


def parse_quarter(text: str) -> tuple[int, int]:
    """Parse '2022Q3' into (2022, 3).

    Raises:
        ValueError: when the text is not a year followed by Q1-Q4.
    """
    t = text.strip().upper()
    if len(t) != 6 or t[4] != "Q" or not t[:4].isdigit() or t[5] not in "1234":
        raise ValueError(f"'{text}' is not a quarter like 2022Q3")
    return int(t[:4]), int(t[5])


class Scenario(Section):
    """A complete scenario: everything a run needs besides the seed."""

    name: str = Field("baseline", description="Scenario name")
    description: str = Field("", description="The question the scenario answers")
    extends: str | None = Field(None, description="Scenario this one inherits from (name or path)")
    horizon: Horizon = Field(default_factory=Horizon)
    population: Population = Field(default_factory=Population)
    chains: list[Chain] = Field(default_factory=default_chains)
    markets: Markets = Field(default_factory=Markets)
    technology: Technology = Field(default_factory=Technology)
    labour: Labour = Field(default_factory=Labour)
    finance: Finance = Field(default_factory=Finance)
    energy: Energy = Field(default_factory=Energy)
    adoption: Adoption = Field(default_factory=Adoption)
    parks: Parks = Field(default_factory=Parks)
    suppliers: Suppliers = Field(default_factory=Suppliers)
    policy: Policy = Field(default_factory=Policy)
    events: list[Event] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)

    @field_validator("chains")
    @classmethod
    def _chains(cls, chains: list[Chain]) -> list[Chain]:
        if not chains:
            raise ValueError("chains = []: no chains; allowed: one or more [chains.<name>]")
        names = [c.name for c in chains]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"chains: {', '.join(dup)} given twice; allowed: unique names")
        for share in ("va_share", "firm_share"):
            total = sum(getattr(c, share) for c in chains)
            if abs(total - 1.0) > 1e-3:
                given = ", ".join(f"{c.name} {getattr(c, share):g}" for c in chains)
                raise ValueError(
                    f"chains.*.{share} = [{given}]: shares sum to {total:.4g}; "
                    "allowed: shares that sum to 1"
                )
        return chains

    @model_validator(mode="after")
    def _events(self) -> Scenario:
        names = [c.name for c in self.chains]
        first = (self.horizon.start_year, 1)
        last = (self.horizon.end_year, 4)
        span = f"{first[0]}Q1 to {last[0]}Q4"
        for i, ev in enumerate(self.events):
            where = f"events[{i}]"
            if hasattr(ev, "chain") and ev.chain not in names:
                raise ValueError(
                    f"{where}.chain = '{ev.chain}': unknown chain{did_you_mean(ev.chain, names)}; "
                    f"allowed: {', '.join(names)}"
                )
            try:
                q = parse_quarter(ev.start)
            except ValueError:
                raise ValueError(
                    f"{where}.start = '{ev.start}': not a quarter like 2022Q3; allowed: {span}"
                ) from None
            if not first <= q <= last:
                raise ValueError(
                    f"{where}.start = '{ev.start}': outside the horizon; allowed: {span}"
                )
            length = getattr(ev, "quarters", 1)
            end_q = 4 * q[0] + q[1] - 1 + length - 1
            if end_q > 4 * last[0] + 3:
                raise ValueError(
                    f"{where}.quarters = {length}: the event would last until "
                    f"{end_q // 4}Q{end_q % 4 + 1}, after the horizon ends; "
                    f"allowed: 1 to {4 * last[0] + 3 - (4 * q[0] + q[1] - 1) + 1}"
                )
            if isinstance(ev, PolicyChange):
                field = Policy.model_fields.get(ev.lever)
                if field is None:
                    raise ValueError(
                        f"{where}.lever = '{ev.lever}': unknown lever"
                        f"{did_you_mean(ev.lever, Policy.model_fields)}; allowed: "
                        + ", ".join(Policy.model_fields)
                    )
                try:
                    Policy(**{ev.lever: ev.value})
                except ValueError:
                    lo, hi = bounds(field)
                    whole = field.annotation is int and not float(ev.value).is_integer()
                    raise ValueError(
                        f"{where}.value = {ev.value}: "
                        f"{'not a whole number' if whole else 'out of range'} for "
                        f"policy.{ev.lever}; allowed: {field.annotation.__name__} from {lo} to {hi}"
                    ) from None
        for i, t in enumerate(self.targets):
            if not self.horizon.start_year <= t.year <= self.horizon.end_year:
                raise ValueError(
                    f"targets[{i}].year = {t.year}: outside the horizon; "
                    f"allowed: {self.horizon.start_year} to {self.horizon.end_year}"
                )
        return self

    @property
    def chain_names(self) -> list[str]:
        """Chain identifiers in order."""
        return [c.name for c in self.chains]


def bounds(field) -> tuple[float | None, float | None]:
    """Return the (lower, upper) bounds declared on a pydantic field."""
    lo = hi = None
    for m in field.metadata:
        lo = getattr(m, "ge", lo)
        hi = getattr(m, "le", hi)
    return lo, hi


def field_info(section: type[BaseModel], name: str) -> dict[str, Any]:
    """Everything a user interface needs about one parameter.

    Returns:
        dict with keys name, type, default, lo, hi, unit, help, capability, zh.
    """
    f = section.model_fields[name]
    lo, hi = bounds(f)
    extra = f.json_schema_extra or {}
    return {
        "name": name,
        "type": f.annotation.__name__ if isinstance(f.annotation, type) else str(f.annotation),
        "default": f.default,
        "lo": lo,
        "hi": hi,
        "unit": extra.get("unit", ""),
        "help": f.description or "",
        "capability": extra.get("capability"),
        "zh": extra.get("zh"),
    }


SECTIONS: dict[str, type[Section]] = {
    "horizon": Horizon,
    "population": Population,
    "markets": Markets,
    "technology": Technology,
    "labour": Labour,
    "finance": Finance,
    "energy": Energy,
    "adoption": Adoption,
    "parks": Parks,
    "suppliers": Suppliers,
    "policy": Policy,
}
"""Sections holding scalar parameters addressable as dotted keys ('policy.coupling')."""


def parameters() -> list[dict[str, Any]]:
    """All scalar parameters as dotted keys with their metadata, in schema order."""
    out = []
    for sec, cls in SECTIONS.items():
        for name in cls.model_fields:
            info = field_info(cls, name)
            info["key"] = f"{sec}.{name}"
            out.append(info)
    return out
