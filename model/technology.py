"""Phase 5 — the technology market: institutes, double-chain coupling, centres.

Double-chain coupling (双链融合): a share ``kappa`` of each institute's work follows what the
chains need (their share of enterprise R&D), the rest follows the institute's own interests,
of which only a share ``rho`` is usable by industry.
"""

from __future__ import annotations

import numpy as np

from chainshift.model.arrays import blockwise
from chainshift.model.groups import group_sum
from chainshift.model.innovation import absorptive_capacity


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


def coupling_index(transfers: np.ndarray, needs: np.ndarray) -> float:
    """How closely technology transfers follow chain needs: ``1 - 0.5 * sum_c |t_c - n_c|``.

    ``t_c`` is chain ``c``'s share of transferred technology, ``n_c`` its share of enterprise
    R&D; 1 means transfers follow needs exactly, 0 that they go entirely elsewhere.
    """
    total = transfers.sum()
    if total <= 0:
        return 0.0
    return float(1.0 - 0.5 * np.abs(transfers / total - needs).sum())


def fund_institutes(model) -> None:
    """Government funding and contract research paid to institutes this quarter.

    Government funds ``F(t) / 4`` with ``F(t) = F_0 (1 + g_F)^t`` (an exogenous path of the
    policy, ``g_F = 0`` holds it flat), split by researchers; contracts (a share
    ``finance.contract_share`` of enterprise R&D) go to institutes by their effective focus on
    the chains' R&D needs times researchers (:func:`focus_on`).
    """
    f, pol, inst = model.firms, model.policy, model.institutes
    nc = model.n_chains
    needs = group_sum(f.rd, f.chain, nc)
    total = needs.sum()
    model.needs = needs / total if total > 0 else np.full(nc, 1.0 / nc)
    contracts = model.config.finance.contract_share * total
    gov = pol.institute_funding / 4.0 * (1.0 + pol.institute_funding_growth) ** model.years
    w_gov = inst.researchers / inst.researchers.sum()
    served = focus_on(model.institute_focus, model.needs, pol.coupling, needs) * inst.researchers
    w_con = served / served.sum() if served.sum() > 0 else w_gov
    inst.funding = gov * w_gov + contracts * w_con
    model.ledger.add_pairs("capital", "government", "institute", gov * w_gov,
                           dst_rows=np.arange(len(inst)), total=gov)


def transfer_knowledge(model) -> None:
    """Phase 5: institutes make knowledge; transfers by coupling; common technology from
    innovation centres; design quality from design centres.

    Institute knowledge ``k' = k (1 - delta/4) + phi F``; a firm's TFP rises by
    ``dA/A = tau U_c a_i / sum_{j in c} a_j VA_j + kappa_C X_centres,c / VA_c``.
    """
    fund_institutes(model)
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
    usable = usable_knowledge(
        output[kinds.research], kinds.research_focus, model.needs, model.policy.coupling,
        tech.uncoupled_relevance,
    )
    eff = tech.transfer_efficiency
    centre = group_sum(output[kinds.centres], kinds.centre_chain, nc)
    common = tech.innovation_centre_effect * np.divide(
        centre, va_c, out=np.zeros(nc), where=va_c > 0
    )
    design_k = group_sum(output[kinds.design], kinds.design_chain, nc)
    dq_c = tech.design_effect * np.divide(design_k, va_c, out=np.zeros(nc), where=va_c > 0)
    model.tech_to_chain = eff * usable * (absorbing_va > 0)  # = sum_c gain VA
    rate = transfer_rate(usable, absorbing_va, eff)
    # each firm's share: (rate_c a_i + common_c + dq_c) VA_i, from its chain's institutes
    per_firm = (rate[f.chain] * model.absorptive + (common + dq_c)[f.chain]) * f.va
    model.ledger.add_pairs(
        "technology", "institute", "enterprise", per_firm, dst_rows=np.arange(len(f)),
        total=float(model.tech_to_chain.sum() + ((common + dq_c) * va_c).sum()),
    )
    blockwise(lambda rows: adopt_technology(model, rows, rate, common, dq_c), len(f))


def absorption(model, rows: slice) -> tuple[np.ndarray, np.ndarray]:
    """Absorptive capacity of the firms in ``rows`` (:func:`absorptive_capacity`).

    Returns:
        (``a_i``, ``a_i VA_i``)
    """
    f = model.firms
    ab = absorptive_capacity(f.d[rows], f.know[rows], model.quarter_values.sales[rows],
                             f.specialized[rows], model.config.technology.knowledge_absorption)
    return ab, ab * f.va[rows]


def adopt_technology(model, rows: slice, rate, common, design) -> tuple:
    """Transfers, common technology and design quality for the firms in ``rows``:
    ``dA/A = rate_c a_i + common_c`` (:func:`transfer_gain`), ``q' = q (1 - delta_q) + dq_c``.
    """
    f, tech = model.firms, model.config.technology
    chain = f.chain[rows]
    q = f.q[rows]
    q *= 1.0 - tech.design_decay
    q += design[chain]
    gain = rate[chain] * model.absorptive[rows]
    gain += common[chain]
    transfer = np.log1p(gain, out=gain)
    f.A[rows] *= np.exp(transfer)
    f.gain_transfer[rows] += transfer
    return ()
