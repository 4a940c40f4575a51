"""Initial population: enterprises, institutes and parks drawn from the scenario.

All draws come from the model's ``setup`` stream. Calibration targets at the start: value
added by chain (``va_share``), number of firms by chain (``firm_share``), Pareto firm sizes,
about 85% of output inside parks, R&D and energy intensities by chain.
"""

from __future__ import annotations

import numpy as np

from model.table import Table
from scenarios.schema import INSTITUTE_KINDS, PARK_KINDS, Scenario

FIRM_COLUMNS = {
    "chain": np.intp,
    "park": np.intp,
    "hood": np.intp,
    "size": np.int8,
    "K": float,
    "L": float,
    "H": float,
    "A": float,
    "q": float,
    "know": float,
    "d": float,
    "g": float,
    "share": float,
    "va": float,
    "wanted": float,
    "rd": float,
    "rho": float,
    "z": float,
    "e": float,
    "energy": float,
    "co2": float,
    "vol": float,
    "nw": float,
    "debt": float,
    "profit": float,
    "inv": float,
    "age": np.int32,
    "losses": np.int32,
    "high_tech": bool,
    "specialized": bool,
    "little_giant": bool,
    "leading": bool,
}
INSTITUTE_COLUMNS = {
    "kind": np.int8,
    "researchers": float,
    "funding": float,
    "know": float,
    "transfer": float,
    "incubator": float,
    "home_chain": np.intp,
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
}

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

    Thresholds are order statistics (a sort up to 131,072 firms, ``np.partition`` in linear
    time above); ties at a threshold go to the larger class.
    """
    n = va.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int8)
    kth = np.clip(n - (np.array(SIZE_CUTS) * n).astype(int), 0, n - 1)
    # value of the smallest firm in each larger class: large, medium, small
    cuts = np.sort(va)[kth] if n <= 1 << 17 else np.partition(va, kth)[kth]
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
        },
        n,
    )
    for col in ("service", "digital", "green"):
        setattr(t, col, np.clip(getattr(t, col), 0.0, 1.0))
    return t


def make_firms(s: Scenario, rng: np.random.Generator, parks: Table) -> Table:
    """Enterprises with Pareto sizes, chain-specific productivity, R&D and energy use."""
    n = s.population.enterprises
    chains = s.chains
    nc = len(chains)
    counts = apportion(n, [c.firm_share for c in chains])
    chain = rng.permutation(np.repeat(np.arange(nc), counts)).astype(np.intp)
    x = 1.0 + rng.pareto(s.population.size_tail, n)
    x_sum = np.bincount(chain, weights=x, minlength=nc)
    share = x / x_sum[chain]
    va_chain = s.population.value_added_start / 4.0 * np.array([c.va_share for c in chains])
    va = va_chain[chain] * share
    size = size_classes(va)

    tech = s.technology
    alpha = tech.capital_elasticity
    lp = np.array([c.labour_productivity for c in chains])[chain]
    workers = va * 1e4 / lp * np.exp(0.2 * rng.standard_normal(n))
    capital = tech.capital_output_ratio * 4.0 * va * np.exp(0.3 * rng.standard_normal(n))
    se = np.array([c.strategic_emerging for c in chains])[chain]
    digital = rng.beta(2.0, 6.0, n) * np.where(se, 1.3, 1.0)
    green = rng.beta(1.2, 6.0, n)
    digital = np.clip(digital, 0.0, 1.0)
    bonus = 1.0 + tech.digital_bonus * digital
    tfp = va / (capital**alpha * workers ** (1 - alpha) * bonus)
    z = capital * tfp * bonus / va

    active = rng.random(n) < np.array([0.95, 0.8, 0.5, 0.35])[size]
    rho = (
        np.array([c.rd_propensity for c in chains])[chain]
        * np.exp(0.5 * rng.standard_normal(n) - 0.125)
        * np.where(active, 1.0, 0.1)
    )
    e_chain = np.array([c.energy_intensity for c in chains])[chain]
    energy_int = (
        e_chain
        * np.exp(0.3 * rng.standard_normal(n) - 0.045)
        / ((1 - tech.green_energy_saving * green) * (1 - tech.digital_energy_saving * digital))
    )

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

    t = Table(FIRM_COLUMNS, int(n * 1.3))
    t.append(
        {
            "chain": chain,
            "park": park,
            "hood": neighbourhood(park, chain, len(parks)),
            "size": size,
            "K": capital,
            "L": workers,
            "A": tfp,
            "d": digital,
            "g": green,
            "share": share,
            "va": va,
            "wanted": va,
            "rho": rho,
            "z": z,
            "e": energy_int,
            "nw": 0.5 * capital,
            "debt": 0.5 * capital,
            "age": rng.integers(4, 120, n),
        },
        n,
    )
    return t


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
