"""Phase 5 — the technology market: institutes, double-chain coupling, centres.

Double-chain coupling (双链融合): a share ``kappa`` of each institute's work follows what the
chains need (their share of enterprise R&D), the rest follows the institute's own interests,
of which only a share ``rho`` is usable by industry.
"""

from __future__ import annotations

import numpy as np

from chainshift.model import contracts, network
from chainshift.model.arrays import blockwise
from chainshift.model.groups import group_sum
from chainshift.model.innovation import absorptive_capacity
from chainshift.model.network import coupling_index  # noqa: F401 (part of this phase's API)


def focus_on(
    own_focus: np.ndarray, needs: np.ndarray, coupling: float, weights: np.ndarray
) -> np.ndarray:
    """Each institute's effective focus applied to per-chain weights, ``sum_c F_rc w_c``.

    The effective focus over chains is ``F_rc = kappa * n_c + (1 - kappa) * f_rc`` (rows sum
    to 1), so ``sum_c F_rc w_c = kappa * (n . w) + (1 - kappa) * sum_c f_rc w_c``, computed
    without forming ``F``.
    """
    return coupling * float(needs @ weights) + (1.0 - coupling) * (own_focus @ weights)


def usable_knowledge(
    output: np.ndarray, own_focus: np.ndarray, needs: np.ndarray, coupling: float, relevance: float
) -> np.ndarray:
    """Knowledge usable by each chain this quarter.

    ``U_c = sum_r X_r * (kappa * n_c + (1 - kappa) * rho * f_rc)``

    with ``X_r`` the institute's transferable output (knowledge times transfer capacity).
    """
    return coupling * output.sum() * needs + (1.0 - coupling) * relevance * (output @ own_focus)


def usable_by_institute(output: np.ndarray, own_focus: np.ndarray, needs: np.ndarray,
                        coupling: float, relevance: float) -> np.ndarray:
    """Each research institute's knowledge usable by each chain,
    ``U_rc = X_r (kappa n_c + (1 - kappa) rho f_rc)``; summed over institutes it is
    :func:`usable_knowledge`.
    """
    return output[:, None] * (coupling * needs[None, :] + (1.0 - coupling) * relevance * own_focus)


def transfer_gain(
    usable: np.ndarray,
    chain: np.ndarray,
    absorptive: np.ndarray,
    chain_absorbing_va: np.ndarray,
    efficiency: float,
) -> np.ndarray:
    """Relative TFP gain of each firm from institute transfers.

    ``dA_i / A_i = tau * U_c * a_i / sum_{j in c} a_j VA_j``, which is
    ``tau * (U_c / VA_c) * (a_i / abar_c)`` with ``abar_c`` the value-added-weighted mean
    absorptive capacity: a chain's usable knowledge spread over its value added, more to firms
    with higher absorptive capacity ``a_i``. The capacity it adds, ``sum_i dA_i/A_i VA_i``, is
    ``tau U_c`` (nothing where no firm can absorb). ``chain_absorbing_va`` is
    ``sum_{j in c} a_j VA_j``.
    """
    return transfer_rate(usable, chain_absorbing_va, efficiency)[chain] * absorptive


def transfer_rate(usable: np.ndarray, chain_absorbing_va: np.ndarray, efficiency: float):
    """Each chain's TFP gain per unit of absorptive capacity, ``tau U_c / sum_{j in c} a_j
    VA_j`` (0 where no firm can absorb): :func:`transfer_gain` is it times ``a_i``.
    """
    return np.divide(efficiency * usable, chain_absorbing_va,
                     out=np.zeros_like(chain_absorbing_va), where=chain_absorbing_va > 0)


def fund_institutes(model) -> contracts.Edges:
    """Government funding and contract research paid to institutes this quarter.

    Government funds ``F(t) / 4`` with ``F(t) = F_0 (1 + g_F)^t`` (an exogenous path of the
    policy, ``g_F = 0`` holds it flat), split by researchers. Contracts (a share
    ``s = finance.contract_share`` of enterprise R&D) are paid along the contract network
    (``model/contracts.py``): each firm pays ``s R&D_i / k_i`` to each of its ``k_i`` partners.
    A firm with R&D and no partner (no institute could be drawn) pays the institutes by their
    effective focus on the chains' R&D needs times researchers (:func:`focus_on`).

    Returns:
        this quarter's contracts (after renewals and new signings)
    """
    f, pol, inst = model.firms, model.policy, model.institutes
    nc = model.n_chains
    needs = group_sum(f.rd, f.chain, nc)
    total = needs.sum()
    model.needs = needs / total if total > 0 else np.full(nc, 1.0 / nc)
    share = model.config.finance.contract_share
    gov = pol.institute_funding / 4.0 * (1.0 + pol.institute_funding_growth) ** model.years
    w_gov = inst.researchers / inst.researchers.sum()
    e = update_contracts(model)
    paid = contracts.payments(f.rd, share, e)
    on_contract = np.bincount(e.institute, weights=paid, minlength=len(inst))
    unmatched = share * f.rd
    unmatched[e.firm] = 0.0
    served = focus_on(model.institute_focus, model.needs, pol.coupling, needs) * inst.researchers
    w_con = served / served.sum() if served.sum() > 0 else w_gov
    inst.funding = gov * w_gov + on_contract + unmatched.sum() * w_con
    model.contract_paid = paid
    model.ledger.add_pairs("capital", "government", "institute", gov * w_gov,
                           dst_rows=np.arange(len(inst)), total=gov)
    model.ledger.add_pairs("capital", "enterprise", "institute", paid, src_rows=e.firm,
                           dst_rows=e.institute)
    model.ledger.add_pairs("capital", "enterprise", "institute", unmatched,
                           src_rows=np.arange(len(f)))
    return e


def update_contracts(model) -> contracts.Edges:
    """Renew or end the contracts due this quarter, then let firms with a free slot sign one
    (``model/contracts.py``).

    Returns:
        the contracts after renewals and signings
    """
    f, inst, tech = model.firms, model.institutes, model.config.technology
    rng = model.streams["contracts"]
    median = model.chain_log_tfp  # each chain's median log TFP at the last search
    length = tech.contract_length
    model.contracts_renewed, model.contracts_ended = contracts.renew_or_end(
        f, model.t, median, lambda n: contracts.contract_lengths(rng, length, n))
    rows, drawn = contracts.match_partners(
        f, inst, model.institute_focus, len(model.parks), tech.contract_partners,
        model.policy.coupling, tech.colocation_bonus, rng)
    model.contracts_signed = contracts.sign(
        f, rows, drawn, model.t, median, contracts.contract_lengths(rng, length, rows.size))
    model.contract_edges = e = contracts.edges(f, inst)
    return e


def transfer_knowledge(model) -> None:
    """Phase 5: institutes make knowledge; transfers by coupling, along contracts and to the
    chains; common technology from innovation centres; design quality from design centres.

    Institute knowledge ``k' = k (1 - delta/4) + phi F``; a firm's TFP rises by

    ``dA/A = tau a_i (U_c^pool / sum_{j in c} a_j VA_j + sum_{r partner of i} theta U_rc / S_rc)
    + kappa_C X_centres,c / VA_c``

    with ``U_rc`` research institute ``r``'s knowledge usable by chain ``c``
    (:func:`usable_by_institute`), a share ``theta`` of it carried by contracts to ``r``'s
    partners in ``c`` (absorbing value added ``S_rc``) and the rest pooled for the chain
    (:func:`contracts.route_knowledge`).
    """
    e = fund_institutes(model)
    f, inst, tech = model.firms, model.institutes, model.config.technology
    nc = model.n_chains
    inst.know = (
        inst.know * (1.0 - tech.knowledge_depreciation / 4.0)
        + tech.institute_productivity * inst.funding
    )
    output = inst.know * inst.transfer
    model.absorptive, absorbing = blockwise(lambda rows: absorption(model, rows), len(f))
    model.quarter_values.chain_va = va_c = group_sum(f.va, f.chain, nc)
    absorbing_va = group_sum(absorbing, f.chain, nc)
    kinds = model.institute_kinds
    by_institute = np.zeros((len(inst), nc))
    by_institute[kinds.research] = usable_by_institute(
        output[kinds.research], kinds.research_focus, model.needs, model.policy.coupling,
        tech.uncoupled_relevance,
    )
    research = np.zeros(len(inst), dtype=bool)
    research[kinds.research] = True
    per_contract, pooled = contracts.route_knowledge(
        by_institute, e, f.chain, absorbing, tech.contract_channel, research)
    usable = by_institute.sum(axis=0)
    eff = tech.transfer_efficiency
    centre = group_sum(output[kinds.centres], kinds.centre_chain, nc)
    common = tech.innovation_centre_effect * np.divide(
        centre, va_c, out=np.zeros(nc), where=va_c > 0
    )
    design_k = group_sum(output[kinds.design], kinds.design_chain, nc)
    dq_c = tech.design_effect * np.divide(design_k, va_c, out=np.zeros(nc), where=va_c > 0)
    model.tech_to_chain = eff * usable * (absorbing_va > 0)  # = sum_c gain VA
    rate = transfer_rate(pooled, absorbing_va, eff)
    contract_rate = eff * np.bincount(e.firm, weights=per_contract, minlength=len(f))
    model.contract_technology = carried = eff * per_contract * absorbing[e.firm]
    # each firm's share: (rate_c a_i + common_c + dq_c) VA_i from its chain's institutes as a
    # whole, and what each contract carries from its institute
    per_firm = (rate[f.chain] * model.absorptive + (common + dq_c)[f.chain]) * f.va
    model.ledger.add_pairs(
        "technology", "institute", "enterprise", per_firm, dst_rows=np.arange(len(f)),
        total=float(model.tech_to_chain.sum() + ((common + dq_c) * va_c).sum() - carried.sum()),
    )
    model.ledger.add_pairs("technology", "institute", "enterprise", carried,
                           src_rows=e.institute, dst_rows=e.firm)
    model.network_values.update(network.measures(model, e, carried))
    blockwise(lambda rows: adopt_technology(model, rows, rate, contract_rate, common, dq_c),
              len(f))


def absorption(model, rows: slice) -> tuple[np.ndarray, np.ndarray]:
    """Absorptive capacity of the firms in ``rows`` (:func:`absorptive_capacity`).

    Returns:
        (``a_i``, ``a_i VA_i``)
    """
    f = model.firms
    ab = absorptive_capacity(f.d[rows], f.know[rows], model.quarter_values.sales[rows],
                             f.specialized[rows], model.config.technology.knowledge_absorption)
    return ab, ab * f.va[rows]


def adopt_technology(model, rows: slice, rate, contract_rate, common, design) -> tuple:
    """Transfers, common technology and design quality for the firms in ``rows``:
    ``dA/A = (rate_c + contract_i) a_i + common_c`` (:func:`transfer_gain`, plus what the
    firm's contracts carry), ``q' = q (1 - delta_q) + dq_c``.
    """
    f, tech = model.firms, model.config.technology
    chain = f.chain[rows]
    q = f.q[rows]
    q *= 1.0 - tech.design_decay
    q += design[chain]
    gain = rate[chain] + contract_rate[rows]
    gain *= model.absorptive[rows]
    gain += common[chain]
    transfer = np.log1p(gain, out=gain)
    f.A[rows] *= np.exp(transfer)
    f.gain_transfer[rows] += transfer
    return ()
