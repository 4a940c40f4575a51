"""Phases 4 and 6 — R&D as a firm decision, and the search for better technology: imitation
of the rivals' frontier and own innovation.

Distance to the frontier (Acemoglu, Aghion and Zilibotti 2006): each firm's log gap
``D_i = max(0, ln T_c - ln A_i)`` to its chain's best practice (the rivals' productivity
frontier, or Chongqing's own leading edge once it has passed it: :func:`best_practice`) sets
the return to imitation, ``d ln A = zeta D_i`` on a success; innovation's return,
``ln(1 + x)`` with ``x ~ Exp(mu)``, does not depend on the gap. Firms split their R&D effort
between the two in proportion to expected returns (:func:`imitation_effort_share`), so far
from the frontier imitation (and embodied renovation, :mod:`model.investment`) carry much of
TFP growth, and as the gap closes search shifts to innovation. Both searches draw once per
firm per quarter (K+S-style hazards):

- imitation: ``p_m = 1 - exp(-lambda_m a_i (1 + sp S_park) (1 + phi_i effort_i))``;
- innovation: ``p_n = 1 - exp(-lambda_n a_i (1 + sp S_park) (1 - phi_i) effort_i)``,
  ``effort_i = (H_i / y_i)
  / h0`` the firm's R&D staff per unit of output relative to industry's at the start.

Absorptive capacity ``a_i`` rises with own knowledge and digital level (Cohen and Levinthal
1990), so R&D also speeds imitation.

The R&D budget is ``RD_i = min(rho_eff p y, max(0, GOS)) + g [specialized] p y / 4``: the
seedling grant ``g`` (earmarked for R&D) plus the propensity
``rho_eff = min(0.15, rho_i (1 + r_s s) (1 + b [specialized] (1 + [little giant])))`` of sales,
bounded by the quarter's gross operating surplus before R&D (finance). Each year a firm whose
profit rate is below its chain's moves its ``rho`` toward the propensity of the chain's more
profitable firms (:func:`adapt_propensity`): R&D spreads where it pays.
"""

from __future__ import annotations

import numpy as np

from chainshift.model import contracts
from chainshift.model.arrays import blockwise, ratio_or_zero
from chainshift.model.groups import group_argmax, group_sum

RHO_MAX = 0.15
"""Largest R&D spending over sales a firm chooses."""


def absorptive_capacity(digital, knowledge, sales, specialized,
                        weight: float = 0.3) -> np.ndarray:
    """``a = (0.3 + 0.4 d + w_k min(1, k / (0.4 p y))) (1 + 0.2 [specialized])``, with ``k`` the
    firm's R&D knowledge stock, ``p y`` its quarterly sales and ``w_k`` the weight of own
    knowledge (``technology.knowledge_absorption``; 0 cuts R&D's channel into imitation and
    transfer).
    """
    ratio = ratio_or_zero(knowledge, 0.4 * sales)
    ratio = np.minimum(1.0, ratio, out=ratio)
    ratio *= weight
    out = 0.4 * digital
    out += 0.3
    out += ratio
    out *= 1.0 + 0.2 * specialized
    return out


def rd_propensity(rho, subsidy: float, response: float, bonus: float, specialized, giant):
    """``rho_eff = min(0.15, rho (1 + r_s s) (1 + b [specialized] (1 + [little giant])))``.

    The factor of each of the four statuses is computed once and looked up.
    """
    spec, big = np.array([0.0, 0.0, 1.0, 1.0]), np.array([0.0, 1.0, 0.0, 1.0])
    factor = (1.0 + response * subsidy) * (1.0 + bonus * spec * (1.0 + big))
    code = specialized.view(np.int8) * 2 + giant.view(np.int8)
    out = np.multiply(rho, factor.take(code))
    return np.minimum(RHO_MAX, out, out=out)


def rd_budget(propensity, sales, surplus) -> np.ndarray:
    """``RD = min(rho_eff p y, max(0, GOS))``: R&D cannot exceed the operating surplus."""
    out = propensity * sales
    return np.minimum(out, np.maximum(surplus, 0.0), out=out)


def frontier_gap(log_frontier, log_tfp) -> np.ndarray:
    """``D_i = max(0, ln F_c - ln A_i)``."""
    return np.maximum(0.0, log_frontier - log_tfp)


def search(rng, imitation_h, innovation_h, gap, zeta: float, step: float,
           radical_p: float, radical_step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One quarter of imitation and innovation; each firm draws two uniforms.

    With hazards ``h`` the success probabilities are ``p = 1 - exp(-h)``. Imitation succeeds
    when ``u_1 < p_m`` and gains ``zeta D_i`` in log TFP. Innovation succeeds when
    ``u_2 < p_n`` and gains :func:`innovation_gain`. Every firm draws whether or not it
    searches, so paired runs stay on aligned random streams (common random numbers).

    Returns:
        (rows of the successful imitators, their log gain, log gain from innovation of every
        firm)
    """
    n = gap.shape[0]
    u = rng.random((2, n))
    candidates = np.flatnonzero(u[0] < imitation_h)
    imitators = successes(u[0], candidates, imitation_h[candidates])[0]
    candidates = np.flatnonzero(u[1] < innovation_h)
    rows, p_innovate = successes(u[1], candidates, innovation_h[candidates])
    innovation = np.zeros(n)
    innovation[rows] = innovation_gain(u[1, rows], p_innovate, step, radical_p, radical_step)
    return imitators, zeta * gap[imitators], innovation


def successes(u: np.ndarray, candidates: np.ndarray, hazard: np.ndarray):
    """Rows with ``u < p = 1 - exp(-h)`` among ``candidates``, and their ``p``.

    Since ``p <= h``, only the rows with ``u < h`` can succeed: ``candidates`` are those rows
    and ``hazard`` their hazards, so ``p`` is formed for them alone.
    """
    p = -np.expm1(-hazard)
    hit = u[candidates] < p
    return candidates[hit], p[hit]


def innovation_gain(u, p, step: float, radical_p: float, radical_step: float) -> np.ndarray:
    """Log TFP gain of successful innovations (``u < p``): given success ``v = 1 - u / p`` is
    uniform on (0, 1] and independent of it: radical when ``v <= p_rad``, and the gain is
    exponential, ``x = -mu ln w`` with ``w = v / p_rad`` (radical, ``mu`` = ``radical_step``)
    or ``w = (v - p_rad) / (1 - p_rad)`` (incremental, ``mu`` = ``step``); the log gain is
    ``ln(1 + x)``.
    """
    v = 1.0 - u / p
    radical = v <= radical_p
    x = np.empty(v.size)
    x[radical] = -radical_step * np.log(v[radical] / radical_p)
    x[~radical] = -step * np.log((v[~radical] - radical_p) / (1.0 - radical_p))
    return np.log1p(x)


def adapt_propensity(rng, rho, profit_rate, weight, chain, n_chains: int, speed: float,
                     mutation: float) -> np.ndarray:
    """Yearly adaptation of R&D propensities toward successful peers.

    Firms whose profit rate is below their chain's value-added-weighted mean move a share
    ``nu`` of the way toward ``rho_hat_c``, the weighted mean propensity of the firms above it;
    every firm's propensity then changes by ``exp(sigma eps - sigma^2 / 2)`` (search noise).
    Bounded to ``[0, 0.15]``.
    """
    mean_rate = np.divide(
        group_sum(profit_rate * weight, chain, n_chains),
        group_sum(weight, chain, n_chains),
        out=np.zeros(n_chains),
        where=group_sum(weight, chain, n_chains) > 0,
    )
    above = profit_rate > mean_rate[chain]
    w_above = weight * above
    den = group_sum(w_above, chain, n_chains)
    target = np.divide(group_sum(rho * w_above, chain, n_chains), den, out=np.zeros(n_chains),
                       where=den > 0)
    has_target = den[chain] > 0
    follow = ~above & has_target
    out = np.where(follow, rho + speed * (target[chain] - rho), rho)
    out *= np.exp(mutation * rng.standard_normal(rho.shape[0]) - 0.5 * mutation**2)
    return np.clip(out, 0.0, RHO_MAX)


def set_rd_budgets(model) -> None:
    """Phase 4: each firm's R&D budget this quarter, from its propensity and its sales
    (:func:`rd_budgets`, on blocks of rows).

    Keeps sales, the energy bill and the carbon bill for the accounts (phase 4b).
    """
    qv = model.quarter_values
    qv.sales, qv.energy_bill, qv.carbon_bill, model.seedling_grant = blockwise(
        lambda rows: rd_budgets(model, rows), len(model.firms)
    )


def rd_budgets(model, rows: slice):
    """R&D budgets of the firms in ``rows`` (:func:`rd_budget` of :func:`rd_propensity`, with
    the gross operating surplus ``(1 - tax) p y - w L - p_E E - p_C CO2`` at last quarter's
    wage) plus the seedling grant.

    Returns:
        (sales, energy bill, carbon bill, seedling grant)
    """
    f, pol, fin = model.firms, model.policy, model.config.finance
    sales = f.p[rows] * f.y[rows]
    energy_bill = model.config.energy.energy_price * f.energy[rows]
    carbon_bill = pol.carbon_price * 1e-4 * f.co2[rows]
    surplus = sales * (1.0 - fin.tax_share)
    surplus -= model.wage * 1e-4 * f.L[rows]
    surplus -= energy_bill
    surplus -= carbon_bill
    specialized = f.specialized[rows]
    rho = rd_propensity(f.rho[rows], pol.rd_subsidy, pol.rd_subsidy_response,
                        fin.specialized_rd_bonus, specialized, f.little_giant[rows])
    # the seedling grant is earmarked for R&D: it adds to the budget of specialized firms
    grant = (pol.seedling_support / 4.0) * (sales * specialized)
    np.add(rd_budget(rho, sales, surplus), grant, out=f.rd[rows])
    return sales, energy_bill, carbon_bill, grant


def best_practice(log_frontier, log_tfp, chain, n_chains: int, count=None) -> np.ndarray:
    """Each chain's best-practice technology, the target of imitation and renovation:
    ``ln T_c = max(ln F_c(t), m_c + 1.64 s_c)``, the rivals' frontier or, once Chongqing's
    leaders have passed it, its own leading edge (``m_c``, ``s_c`` mean and standard deviation of
    the chain's log TFP; 1.64 s.d. is the 95th percentile of a normal). ``count``, if given,
    is the number of firms in each chain.
    """
    count = np.bincount(chain, minlength=n_chains) if count is None else count
    inv = np.divide(1.0, count, out=np.zeros(n_chains), where=count > 0)
    mean = group_sum(log_tfp, chain, n_chains) * inv
    var = np.maximum(group_sum(log_tfp * log_tfp, chain, n_chains) * inv - mean**2, 0.0)
    return np.maximum(log_frontier, mean + 1.64 * np.sqrt(var))


def imitation_effort_share(gap, imitation_hazard: float, imitation_step: float,
                           innovation_hazard: float, innovation_step: float) -> np.ndarray:
    """Share of R&D effort a firm puts into imitation, in proportion to expected returns:
    ``phi_i = r_m / (r_m + r_n)`` with ``r_m = lambda_m zeta D_i`` (imitation pays with the gap)
    and ``r_n = lambda_n mu`` (innovation does not depend on it). As the gap closes, search
    shifts to innovation (Acemoglu, Aghion and Zilibotti 2006).
    """
    r_m = imitation_hazard * imitation_step * gap
    r_n = innovation_hazard * innovation_step
    total = r_m + r_n
    return np.divide(r_m, total, out=np.zeros_like(gap), where=total > 0)


def search_phase(model) -> None:
    """Phase 6: knowledge stocks, imitation of best practice and own innovation.

    ``p_m = 1 - exp(-lambda_m a_i (1 + sp S_park) (1 + phi_i e_i))`` (imitation needs no R&D
    but R&D directed at it helps), ``p_n = 1 - exp(-lambda_n a_i (1 + sp S_park) (1 - phi_i)
    e_i)``: a park's services (shared labs, testing, the neighbours) speed both searches.
    Each firm draws two uniforms (:func:`search`); the hazards and the firms that can succeed
    are found on blocks of rows (:func:`search_hazards`). Keeps ``ln A`` and the gap to best
    practice after the search for renovation (phase 7).
    """
    f, tech, qv = model.firms, model.config.technology, model.quarter_values
    n = len(f)
    (log_a,) = blockwise(lambda rows: learn(model, rows), n)
    model.best_practice = best_practice(model.log_frontier(), log_a, f.chain, model.n_chains,
                                        qv.chain_firms)
    model.chain_log_tfp = contracts.chain_median_log_tfp(log_a, f.chain, model.n_chains)
    u = model.streams["innovation"].random((2, n))
    gap, imitating, h_imitate, innovating, h_innovate = blockwise(
        lambda rows: search_hazards(model, rows, log_a, u), n, ragged=4
    )
    imitators = successes(u[0], imitating, h_imitate)[0]
    leader = leaders(log_a, f.chain, f.park, model.n_chains, len(model.parks))[imitators]
    imitation = tech.imitation_step * imitation_gap(
        log_a[leader], model.best_practice[f.chain[imitators]], log_a[imitators])
    innovators, p_innovate = successes(u[1], innovating, h_innovate)
    innovation = innovation_gain(u[1, innovators], p_innovate, tech.innovation_step,
                                 tech.radical_probability, tech.radical_step)
    moved = np.zeros(n, dtype=bool)
    moved[imitators] = moved[innovators] = True
    moved = np.flatnonzero(moved)
    change = np.zeros(moved.size)  # ln A gains of the quarter: imitation plus innovation
    change[np.searchsorted(moved, imitators)] = imitation
    change[np.searchsorted(moved, innovators)] += innovation
    f.A[moved] *= np.exp(change)
    f.gain_imitation[imitators] += imitation
    f.gain_rd[innovators] += innovation
    log_a[moved] = np.log(f.A[moved])
    gap[moved] = frontier_gap(model.best_practice[f.chain[moved]], log_a[moved])
    qv.log_tfp, qv.gap = log_a, gap
    imitated = np.zeros(n)  # technology from imitation, summed as the whole column
    imitated[imitators] = np.expm1(imitation) * f.va[imitators]
    model.ledger.add_pairs("technology", "enterprise", "enterprise", imitated[imitators],
                           src_rows=leader, dst_rows=imitators)


def leaders(log_tfp, chain, park, n_chains: int, n_parks: int) -> np.ndarray:
    """The named firm each firm imitates: the most productive firm of its chain in its park
    when that firm is ahead of it, otherwise its chain's most productive firm (firms outside
    parks, and a park's own leader, look to the chain's).
    """
    chain_top = group_argmax(log_tfp, chain, n_chains)
    leader = chain_top[chain]
    inside = np.flatnonzero(park >= 0)
    if inside.size:
        key = park[inside] * n_chains + chain[inside]
        local = group_argmax(log_tfp[inside], key, n_parks * n_chains)[key]
        ahead = log_tfp[inside][local] > log_tfp[inside]
        leader[inside[ahead]] = inside[local[ahead]]
    return leader


def imitation_gap(log_leader, best_practice, log_tfp) -> np.ndarray:
    """What imitating a leader can close: ``max(0, min(ln A_L, ln B_c) - ln A_i)``, the gap to
    the leader, at most the gap to the chain's best practice ``B_c`` (what a firm can take in
    at once from any one leader).
    """
    return np.maximum(0.0, np.minimum(log_leader, best_practice) - log_tfp)


def learn(model, rows: slice) -> tuple[np.ndarray]:
    """Knowledge stocks of the firms in ``rows``, ``k' = k (1 - delta / 4) + RD``.

    Returns:
        (``ln A``,)
    """
    f, tech = model.firms, model.config.technology
    know = f.know[rows]
    know *= 1.0 - tech.knowledge_depreciation / 4.0
    know += f.rd[rows]
    return (np.log(f.A[rows]),)


def search_hazards(model, rows: slice, log_a: np.ndarray, u: np.ndarray):
    """Search hazards of the firms in ``rows`` and those that can succeed (``u < h``).

    Returns:
        (gap to best practice, imitation candidates, their hazards, innovation candidates,
        their hazards); candidates are rows of the whole table.
    """
    f, tech = model.firms, model.config.technology
    lo = rows.start
    gap = frontier_gap(model.best_practice[f.chain[rows]], log_a[rows])
    phi = imitation_effort_share(gap, tech.imitation_hazard, tech.imitation_step,
                                 tech.innovation_hazard, tech.innovation_step)
    spill = (1.0 + tech.park_spillover * np.append(model.parks.service, 0.0))[f.park[rows]]
    ab = model.absorptive[rows]
    effort = ratio_or_zero(f.H[rows], f.y[rows])
    effort /= model.staff_per_output  # R&D staff per unit of output relative to the start
    h_imitate = tech.imitation_hazard * ab * spill * (1.0 + phi * effort)
    h_innovate = tech.innovation_hazard * ab * spill * (1.0 - phi) * effort
    imitating = np.flatnonzero(u[0, rows] < h_imitate)
    innovating = np.flatnonzero(u[1, rows] < h_innovate)
    return (gap, imitating + lo, h_imitate[imitating], innovating + lo,
            h_innovate[innovating])


def adapt_rd(model) -> None:
    """Each fourth quarter: R&D propensities adapt toward the chain's more profitable firms."""
    f, tech = model.firms, model.config.technology
    rate = np.divide(f.profit_year, f.K, out=np.zeros_like(f.K), where=f.K > 0)
    f.rho = adapt_propensity(model.streams["rd"], f.rho, rate, f.va, f.chain, model.n_chains,
                             tech.rd_adaptation, tech.rd_mutation)
    f.profit_year = 0.0
