"""Initial population: enterprises, institutes and parks drawn from the scenario.

All draws come from the model's ``setup`` stream. Calibration targets at the start: value
added by chain (``va_share``), number of firms by chain (``firm_share``), Pareto firm sizes,
about 85% of output inside parks, R&D and energy intensities by chain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chainshift.model import innovation, markets, pricing, production, suppliers
from chainshift.model.contracts import CONTRACT_COLUMN_DOCS, CONTRACT_COLUMNS
from chainshift.model.groups import group_mean, group_sum
from chainshift.model.markets import ChainMarkets
from chainshift.model.suppliers import SUPPLIER_COLUMN_DOCS, SUPPLIER_COLUMNS
from chainshift.model.table import Table
from chainshift.scenarios.schema import INSTITUTE_KINDS, PARK_KINDS, Policy, Scenario

FIRM_COLUMNS = {
    "chain": np.intp,
    "park": np.intp,
    "hood": np.intp,
    "size": np.int8,
    "K": float,  # capital, 100m yuan
    "Kp": float,  # of which promoted-project capital
    "L": float,  # workers
    "H": float,  # R&D staff
    "A": float,  # TFP (disembodied and renovation)
    "q": float,  # design quality
    "know": float,
    "d": float,
    "g": float,  # clean share of capital
    "share": float,  # share of the chain's demand
    "y": float,  # real output, 100m yuan at start prices per quarter
    "yd": float,  # demand this quarter
    "p": float,  # price
    "c": float,  # unit cost last quarter
    "u": float,  # user cost of capital, per year
    "z": float,  # capital utilisation
    "rd": float,
    "rho": float,
    "e": float,  # energy per unit of output before green and digital savings
    "energy": float,
    "co2": float,
    "vol": float,
    "M": float,  # cash
    "D": float,  # liabilities
    "profit": float,
    "profit_year": float,
    "inv": float,
    "va": float,  # nominal value added
    "gain_rd": float,  # log-TFP gains by source since the last fourth quarter
    "gain_imitation": float,
    "gain_transfer": float,
    "gain_renovation": float,
    "gain_digital": float,
    "age": np.int32,
    "losses": np.int32,
    "soe": bool,
    "high_tech": bool,
    "specialized": bool,
    "little_giant": bool,
    "leading": bool,
    "gain_suppliers": float,
    **CONTRACT_COLUMNS,
    **SUPPLIER_COLUMNS,
}
FIRM_COLUMN_DOCS: dict[str, tuple[str, str]] = {
    "chain": ("", "industrial chain"),
    "park": ("", "row of the firm's park (-1 outside parks)"),
    "hood": ("", "neighbourhood watched when adopting: its park, or its chain's firms outside "
             "parks (number of parks + chain)"),
    "size": ("", "size class by value added: 0 large, 1 medium, 2 small, 3 entrant or smaller"),
    "K": ("100m yuan", "capital"),
    "Kp": ("100m yuan", "of which promoted-project capital"),
    "L": ("persons", "production workers"),
    "H": ("persons", "R&D staff"),
    "A": ("index", "TFP (disembodied and renovation)"),
    "q": ("index", "design quality"),
    "know": ("index", "knowledge stock"),
    "d": ("0-1", "digital level"),
    "g": ("0-1", "clean share of capital (green technology)"),
    "share": ("0-1", "share of the chain's demand"),
    "y": ("100m yuan/quarter", "real output, start-year prices"),
    "yd": ("100m yuan/quarter", "demand this quarter, start-year prices"),
    "p": ("index", "price"),
    "c": ("index", "unit cost last quarter"),
    "u": ("1/year", "user cost of capital"),
    "z": ("0-1", "capital utilisation"),
    "rd": ("100m yuan/quarter", "R&D spending"),
    "rho": ("0-1", "R&D propensity, share of sales"),
    "e": ("tce/10k yuan", "energy per unit of output before green and digital savings"),
    "energy": ("10k tce/quarter", "energy use"),
    "co2": ("10k t CO2/quarter", "CO2 emissions"),
    "vol": ("", "this year's demand volatility"),
    "M": ("100m yuan", "cash"),
    "D": ("100m yuan", "liabilities"),
    "profit": ("100m yuan/quarter", "profit this quarter"),
    "profit_year": ("100m yuan", "profit since the last yearly R&D adaptation"),
    "inv": ("100m yuan/quarter", "investment this quarter"),
    "va": ("100m yuan/quarter", "value added at current prices"),
    "gain_rd": ("log points", "log-TFP gain from own innovation since the last fourth quarter"),
    "gain_imitation": ("log points", "log-TFP gain from imitation since the last fourth quarter"),
    "gain_transfer": ("log points", "log-TFP gain from institute transfers and innovation "
                      "centres since the last fourth quarter"),
    "gain_renovation": ("log points", "log-TFP gain from technical renovation since the last "
                        "fourth quarter"),
    "gain_digital": ("log points", "log-TFP gain from digital upgrades since the last fourth "
                     "quarter"),
    "age": ("quarters", "age"),
    "losses": ("quarters", "loss-making quarters in a row"),
    "soe": ("", "state-owned"),
    "high_tech": ("", "certified high-tech enterprise"),
    "specialized": ("", "specialized-and-new (专精特新) enterprise"),
    "little_giant": ("", "little giant (小巨人) enterprise"),
    "leading": ("", "leading enterprise of its chain"),
    "gain_suppliers": ("log points", "log-TFP gain from customers' knowledge (supplier "
                       "links) since the last fourth quarter"),
    **CONTRACT_COLUMN_DOCS,
    **SUPPLIER_COLUMN_DOCS,
}
"""Unit and description of each firm column (same keys as :data:`FIRM_COLUMNS`)."""
GAIN_SOURCES = ("rd", "imitation", "transfer", "suppliers", "renovation", "digital")
"""Sources of within-firm TFP change, each a ``gain_<source>`` column."""
INSTITUTE_COLUMNS = {
    "kind": np.int8,
    "researchers": float,
    "funding": float,
    "know": float,
    "transfer": float,
    "incubator": float,
    "home_chain": np.intp,
    "park": np.intp,
}
PARK_COLUMNS = {
    "kind": np.int8,
    "x": float,
    "y": float,
    "land": float,
    "focus": np.intp,
    "service": float,
    "digital": float,
    "green": float,
    "va": float,
    "green_share": float,
    "budget": float,
    "land_price": float,
    "green_standard": float,
    "tfp_standard": float,
    "reserve": float,
    "sold": np.int64,
    "entrants": np.int64,
    "spent": float,
}

SIZE_TFP = 0.5
"""Correlation of initial log TFP with log firm size (larger firms are more productive)."""

REFERENCE_FIRMS = 7100
"""Enterprise count the policy quotas are stated for; quotas scale with the population."""

REFERENCE_INSTITUTES = 120
"""Institute count the yearly quotas of new design and innovation centres are stated for."""


def neighbourhood(park: np.ndarray, chain: np.ndarray, n_parks: int) -> np.ndarray:
    """Whom a firm watches when adopting: its park, or (outside parks) its chain's firms
    outside parks, numbered ``n_parks + chain``.
    """
    return np.where(park >= 0, park, n_parks + chain)


SIZE_CUTS = (0.02, 0.13, 0.70)
"""Cumulative shares of firms (by value added, largest first) that are large, medium, small."""


def apportion(total: int, shares) -> np.ndarray:
    """Split an integer total by shares with the largest-remainder method."""
    shares = np.asarray(shares, dtype=float)
    raw = total * shares / shares.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


def size_classes(va: np.ndarray) -> np.ndarray:
    """Size class by rank of value added: top 2% large, next 11% medium, next 57% small.

    Thresholds are order statistics (``np.partition``, linear time); ties at a threshold go to
    the larger class.
    """
    n = va.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int8)
    kth = np.clip(n - (np.array(SIZE_CUTS) * n).astype(int), 0, n - 1)
    # value of the smallest firm in each larger class: large, medium, small
    cuts = np.partition(va, kth)[kth]
    # a firm's class is 3 minus the number of thresholds it reaches
    return (3 - np.searchsorted(cuts[::-1], va, side="right")).astype(np.int8)


def make_parks(s: Scenario, rng: np.random.Generator) -> Table:
    """Parks by kind, placed on a map of Chongqing (longitude, latitude).

    National zones cluster around the main urban area (106.55 E, 29.57 N); municipal parks
    spread over the municipality.
    """
    n = s.population.parks
    kinds = np.repeat(np.arange(len(PARK_KINDS)), apportion(n, s.population.park_kind_shares))
    national = kinds < 2
    x = np.where(national, 106.55 + 0.18 * rng.standard_normal(n), rng.uniform(105.4, 108.6, n))
    y = np.where(national, 29.57 + 0.12 * rng.standard_normal(n), rng.uniform(28.5, 31.2, n))
    share = np.array([c.firm_share for c in s.chains])
    focus = rng.choice(len(share), size=n, p=share / share.sum())
    t = Table(PARK_COLUMNS, n)
    t.append(
        {
            "kind": kinds,
            "x": x,
            "y": y,
            "focus": focus,
            "service": np.where(national, 0.6, 0.35) + 0.05 * rng.standard_normal(n),
            "digital": np.where(national, 0.4, 0.2) + 0.05 * rng.standard_normal(n),
            "green": np.where(national, 0.25, 0.1) + 0.05 * rng.standard_normal(n),
            "land_price": 1.0,
            "green_standard": s.parks.green_standard,
            "tfp_standard": s.parks.tfp_standard,
            "reserve": s.parks.focus_reserve,
        },
        n,
    )
    for col in ("service", "digital", "green"):
        setattr(t, col, np.clip(getattr(t, col), 0.0, 1.0))
    return t


@dataclass
class StartState:
    """The observed start state the model is built from (see :func:`make_firms`)."""

    firms: Table
    markets: ChainMarkets
    labour_supply: float  # workers at the start wage
    talent: float  # R&D staff at the start R&D wage
    staff_per_output: float  # R&D staff per unit of output, industry-wide


def make_firms(s: Scenario, rng: np.random.Generator, parks: Table) -> StartState:
    """Enterprises and their chains' markets in the observed start state.

    The state is built under the policy in force at the start (the schema's policy defaults,
    with ``energy.reference_carbon_price``), so that a scenario's levers act from its first
    quarter. Per firm: a Pareto size ``x_i`` gives its nominal value added, ``VA_i = VA_c x_i / sum
    x``; relative TFP ``ln a_i = sigma (0.5 z_size + 0.87 z_i) - soe_gap [state-owned]`` (``z_size``
    the firm's standardised log size); it runs its capital at full capacity with the cost-minimising
    labour at the start wage and user cost; its unit cost ``c_i`` includes labour, capital, R&D
    staff (net of the subsidy), energy and carbon; its price is ``(1 + mu_c) c_i``. Each chain's TFP
    level is set so its share-weighted price is 1 (real units are start prices), and real output is
    ``y_i = VA_i / (p_i - p_E e_i')``. Chongqing's market share ``s_c0`` fixes the market size
    ``M_c0 = Y_c / s_c0`` and the markup. The capital shortfall: the share Chongqing's
    competitiveness warrants is ``s*_c0 = s_c0 e^gamma`` (``finance.capital_gap``), which fixes the
    rivals' competitiveness; orders exceed capacity accordingly, and the marginal return on capital
    is above its user cost until capacity catches up; the rivals' frontier is ``frontier_gap`` above
    the chain's mean log TFP. The labour and R&D-staff markets clear at the start wages.
    """
    n = s.population.enterprises
    chains = s.chains
    nc = len(chains)
    ref = Policy()
    tech, fin, lab, en = s.technology, s.finance, s.labour, s.energy
    alpha = tech.capital_elasticity
    counts = apportion(n, [c.firm_share for c in chains])
    chain = rng.permutation(np.repeat(np.arange(nc), counts)).astype(np.intp)
    x = 1.0 + rng.pareto(s.population.size_tail, n)
    x_sum = np.bincount(chain, weights=x, minlength=nc)
    weight = x / x_sum[chain]
    va_chain = s.population.value_added_start / 4.0 * np.array([c.va_share for c in chains])
    va = va_chain[chain] * weight
    size = size_classes(va)
    soe = rng.random(n) < np.where(
        size <= 1, s.population.state_owned_large, s.population.state_owned_small
    )

    se = np.array([c.strategic_emerging for c in chains])[chain]
    digital = np.clip(rng.beta(2.0, 6.0, n) * np.where(se, 1.3, 1.0), 0.0, 1.0)
    green = rng.beta(1.2, 6.0, n)
    active = rng.random(n) < np.array([0.95, 0.8, 0.5, 0.35])[size]
    rho = (
        np.array([c.rd_propensity for c in chains])[chain]
        * np.exp(0.5 * rng.standard_normal(n) - 0.125)
        * np.where(active, 1.0, 0.1)
    )
    # energy per unit of output without upgrades, from the chain's energy per value added
    e_va = np.array([c.energy_intensity for c in chains])[chain] * np.exp(
        0.3 * rng.standard_normal(n) - 0.045
    )
    e_out = e_va / (1.0 + en.energy_price * e_va)
    saving = (1 - tech.green_energy_saving * green) * (1 - tech.digital_energy_saving * digital)
    energy_int = e_out / saving  # so that the observed intensity holds after upgrades
    # larger firms are more productive: relative log TFP has correlation SIZE_TFP with log size
    log_x = np.log(x)
    size_z = (log_x - log_x.mean()) / max(float(log_x.std()), 1e-12)
    mix = SIZE_TFP * size_z + np.sqrt(1.0 - SIZE_TFP**2) * rng.standard_normal(n)
    log_a = s.population.tfp_dispersion * mix - fin.soe_tfp_gap * soe

    park = _place_in_parks(s, rng, parks, chain, size)
    kept = np.append(1.0 - en.park_green_cut * parks.green, 1.0)[park]

    eta = np.array([c.trade_elasticity for c in chains])
    s0 = np.array([c.market_share for c in chains])
    mu = pricing.markup(eta, s0)
    w = lab.wage * 1e-4
    u = fin.interest_rate + fin.depreciation
    kappa = production.factor_ratio(w, u / 4.0, alpha)
    gamma = fin.capital_gap * np.exp(0.3 * rng.standard_normal(n) - 0.045)
    # labour and capital cost per unit of output of a firm with A' = 1 at the cost-minimising mix
    kl = w * kappa ** (-alpha) / (1.0 - alpha)
    carbon = en.reference_carbon_price
    energy_unit = energy_int * saving * (
        en.energy_price + carbon * 1e-4 * en.emission_factor * (1 - en.green_emission_cut * green)
        * kept
    )
    rd_share = innovation.rd_propensity(rho, ref.rd_subsidy, ref.rd_subsidy_response, 0.0,
                                        np.zeros(n, bool), np.zeros(n, bool))
    m = (1.0 + mu)[chain]
    denom = 1.0 - m * (1.0 - ref.rd_subsidy) * rd_share
    a_rel = np.exp(log_a)
    # p_i = m (kl_i / (Lambda_c a_i) + b_i) / denom_i and sum_c w_i p_i = 1 per chain
    c_part = group_sum(weight * m * kl / (a_rel * denom), chain, nc)
    b_part = group_sum(weight * m * energy_unit / denom, chain, nc)
    if (b_part >= 1.0).any():
        bad = chains[int(np.argmax(b_part >= 1.0))].name
        raise ValueError(
            f"chains.{bad}: energy and carbon cost per unit of output exceed what the chain's "
            f"price (1) less its markup covers; lower chains.{bad}.energy_intensity, "
            "energy.energy_price or energy.reference_carbon_price"
        )
    level = (1.0 - b_part) / c_part  # A'_i = a_i / level_c
    a_eff = a_rel / level[chain]
    price = m * (kl / a_eff + energy_unit) / denom
    y = va / (price - en.energy_price * energy_int * saving)
    capital = y / a_eff * kappa ** (1.0 - alpha)  # at full capacity
    workers = y / a_eff * kappa ** (-alpha)
    # orders above capacity: customers move toward the larger share Chongqing's competitiveness
    # warrants, S* = S0 e^gamma, by theta a quarter (see markets.orders)
    theta = s.markets.share_adjustment
    demand = y * (1.0 + theta * np.expm1(gamma))
    tfp = a_eff / (1.0 + tech.digital_bonus * digital)
    rd = rd_share * price * y
    staff = (1.0 - fin.contract_share) * rd * 1e4 / lab.rd_wage
    cost = price / m
    cash = fin.cash_buffer * cost * y
    ltv = fin.loan_to_value * np.where(size >= 2, ref.sme_credit_access, 1.0) * np.where(
        soe, fin.soe_credit_access, 1.0
    )
    debt = np.minimum(fin.target_leverage * (capital + cash), ltv * capital)

    y_chain = group_sum(y, chain, nc)
    d_chain = group_sum(demand, chain, nc)
    share = demand / np.where(d_chain > 0, d_chain, 1.0)[chain]
    e_chain = group_sum(-np.log(price) * share, chain, nc)
    target = s0 * np.exp(fin.capital_gap)
    log_tfp_c = group_mean(np.log(tfp), chain, nc, weights=va)
    market = ChainMarkets(
        share=s0.copy(),
        target=target,
        market0=y_chain / s0,
        growth=np.array([c.market_growth for c in chains]),
        maturity=np.array([c.market_maturity for c in chains]),
        eta=eta,
        markup=mu,
        rivals0=e_chain - np.log(target / (1.0 - target)) / eta,
        rival_price_growth=np.array([c.rival_price_growth for c in chains]),
        log_frontier0=log_tfp_c + np.array([c.frontier_gap for c in chains]),
        frontier_growth=np.array([c.frontier_growth for c in chains]),
        expected_growth=np.array([c.market_growth for c in chains]),
        demand=d_chain.copy(),
    )
    # part of each chain's start orders comes from Chongqing's firms of other chains
    market.coefficients = suppliers.real_coefficients(
        suppliers.coefficients(s.chain_names), group_sum(va, chain, nc), y_chain)
    market.output = y_chain.copy()
    market.intermediate = suppliers.intermediate_orders(
        market.coefficients, s.suppliers.local_share, y_chain)
    # against the orders phase 2 forms in the first quarter, so they are the same for any l
    first = markets.orders(market.share, market.target, s.markets.share_adjustment)
    market.local_orders = suppliers.local_order_share(market.intermediate,
                                                      first * market.market0)

    t = Table(FIRM_COLUMNS, int(n * 1.3))
    t.append(
        {
            "chain": chain, "park": park, "hood": neighbourhood(park, chain, len(parks)),
            "size": size, "soe": soe, "K": capital, "L": workers, "H": staff, "A": tfp,
            "know": rd / (tech.knowledge_depreciation / 4.0), "d": digital, "g": green,
            "share": share, "y": y, "yd": demand,
            "p": price, "c": cost, "u": u, "z": 1.0, "rd": rd, "rho": rho, "e": energy_int,
            "M": cash, "D": debt, "va": va, "age": rng.integers(4, 120, n),
        },
        n,
    )
    staff_total = float(staff.sum())
    return StartState(
        firms=t,
        markets=market,
        labour_supply=float(workers.sum()),
        talent=staff_total,
        staff_per_output=staff_total / float(y.sum()) if staff_total > 0 else 1.0,
    )


def _place_in_parks(s: Scenario, rng, parks: Table, chain, size) -> np.ndarray:
    """Park of each initial firm (-1 outside parks); sets each park's land.

    Membership with probability ``park_membership_large`` (large and medium) or
    ``park_membership_small``; the park is drawn with weight 4 for national zones, times 3 for
    parks focused on the firm's chain; land is the number of initial tenants times
    ``1 + park_land_slack`` (at least 5 plots).
    """
    n, nc = chain.shape[0], len(s.chains)
    p_park = np.where(
        size <= 1, s.population.park_membership_large, s.population.park_membership_small
    )
    in_park = rng.random(n) < p_park
    park = np.full(n, -1, dtype=np.intp)
    kind_weight = np.where(parks.kind < 2, 4.0, 1.0)
    u = rng.random(n)
    for c in range(nc):
        w = kind_weight * (1.0 + 2.0 * (parks.focus == c))
        cdf = np.cumsum(w) / w.sum()
        sel = in_park & (chain == c)
        park[sel] = np.minimum(np.searchsorted(cdf, u[sel], side="right"), w.size - 1)
    tenants = np.bincount(park[park >= 0], minlength=len(parks))
    parks.land = np.maximum(5.0, np.ceil(tenants * (1.0 + s.population.park_land_slack)))
    return park


def make_institutes(s: Scenario, rng: np.random.Generator) -> tuple[Table, np.ndarray]:
    """Institutes by kind with researchers, knowledge and own research focus over chains.

    Returns:
        (table, own focus matrix of shape (institutes, chains), rows summing to 1)
    """
    m = s.population.institutes
    nc = len(s.chains)
    kinds = np.repeat(
        np.arange(len(INSTITUTE_KINDS)), apportion(m, s.population.institute_kind_shares)
    )
    t = Table(INSTITUTE_COLUMNS, m * 2)
    t.append(new_institute_columns(s, rng, kinds), m)
    focus = institute_focus(rng, kinds, t.home_chain, nc)
    return t, focus


def place_institutes(s: Scenario, rng: np.random.Generator, parks: Table,
                     home_chain: np.ndarray) -> np.ndarray:
    """Park of each institute (-1 outside parks).

    An institute sits in a park with probability ``population.institute_park_share``; the park
    is drawn as for firms, weight 4 for national zones times 3 for parks focused on the
    institute's home chain.
    """
    m = home_chain.shape[0]
    inside = rng.random(m) < s.population.institute_park_share
    u = rng.random(m)
    park = np.full(m, -1, dtype=np.intp)
    if len(parks) == 0:
        return park
    kind_weight = np.where(parks.kind < 2, 4.0, 1.0)
    for c in np.unique(home_chain[inside]):
        w = kind_weight * (1.0 + 2.0 * (parks.focus == c))
        cdf = np.cumsum(w) / w.sum()
        sel = inside & (home_chain == c)
        park[sel] = np.minimum(np.searchsorted(cdf, u[sel], side="right"), w.size - 1)
    return park


def new_institute_columns(
    s: Scenario, rng: np.random.Generator, kinds: np.ndarray, home_weights=None
) -> dict:
    """Column values for institutes of the given kinds (new or initial).

    The home chain is drawn with probability ``home_weights`` (default: the chains' shares of
    value added).
    """
    m = kinds.shape[0]
    if home_weights is None:
        home_weights = np.array([c.va_share for c in s.chains])
    researchers = np.array([800.0, 300.0, 150.0, 60.0])[kinds] * np.exp(
        0.5 * rng.standard_normal(m)
    )
    return {
        "kind": kinds,
        "researchers": researchers,
        "transfer": np.array([0.15, 0.25, 0.3, 0.3])[kinds],
        "incubator": np.array([3.0, 2.0, 1.0, 0.5])[kinds],
        "home_chain": rng.choice(len(home_weights), size=m, p=home_weights),
    }


def institute_focus(rng: np.random.Generator, kinds, home_chain, n_chains: int) -> np.ndarray:
    """Own research interests: Dirichlet(0.3) for universities and research institutes, all
    weight on the home chain for innovation and design centres.
    """
    m = kinds.shape[0]
    focus = rng.dirichlet(np.full(n_chains, 0.3), size=m)
    centre = kinds >= 2
    focus[centre] = 0.0
    focus[centre, home_chain[centre]] = 1.0
    return focus
