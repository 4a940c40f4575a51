"""Measures of the contract network (indicators and the tests of what it must show).

All take the edge list of :func:`model.contracts.edges` and plain arrays, so they apply to the
model's network as well as to a shuffled one (:func:`degree_preserving_shuffle`).
"""

from __future__ import annotations

import numpy as np

from chainshift.model.contracts import Edges
from chainshift.model.groups import top_share


def coupling_index(transfers: np.ndarray, needs: np.ndarray) -> float:
    """How closely technology transfers follow chain needs: ``1 - 0.5 * sum_c |t_c - n_c|``.

    ``t_c`` is chain ``c``'s share of transferred technology, ``n_c`` its share of enterprise
    R&D; 1 means transfers follow needs exactly, 0 that they go entirely elsewhere.
    """
    total = transfers.sum()
    if total <= 0:
        return 0.0
    return float(1.0 - 0.5 * np.abs(transfers / total - needs).sum())


def degrees(e: Edges, n_institutes: int) -> np.ndarray:
    """Each institute's number of partners."""
    return np.bincount(e.institute, minlength=n_institutes)


def colocated(e: Edges, firm_park: np.ndarray, institute_park: np.ndarray) -> np.ndarray:
    """Whether each contract joins a firm and an institute in the same park."""
    park = firm_park[e.firm]
    return (park >= 0) & (park == institute_park[e.institute])


def need_matched(e: Edges, firm_chain: np.ndarray, own_focus: np.ndarray) -> np.ndarray:
    """Whether each contract's institute works on the firm's chain: its own research focus on
    the chain at least an even share, ``f_rc >= 1 / C``.
    """
    n_chains = own_focus.shape[1]
    return own_focus[e.institute, firm_chain[e.firm]] >= 1.0 / n_chains


def degree_preserving_shuffle(e: Edges, rng: np.random.Generator) -> Edges:
    """The same firms and institutes with their numbers of contracts kept, partners permuted
    at random (the configuration-model null of a bipartite network; a pair may repeat).
    """
    return Edges(e.firm, e.institute[rng.permutation(len(e))], e.slot)


EMPTY = {"contracts": 0, "contract_coupling_index": 0.0, "contracts_need_matched": 0.0,
         "contracts_colocated": 0.0, "technology_within_parks": 0.0,
         "contracts_top10_share": 0.0, "supplier_links": 0, "supplier_links_colocated": 0.0,
         "suppliers_top10_share": 0.0, "intermediate_orders": 0.0,
         "talent_openings_from_firms": 0.0,
         "talent_to_more_productive": 0.0, "talent_from_closed_firms": 0.0}
"""The network indicators of a quarter without firms (phases fill them in)."""


CONTRACT_MEASURES = ("contracts", "contract_coupling_index", "contracts_need_matched",
                     "contracts_colocated", "technology_within_parks", "contracts_top10_share")
"""The indicators :func:`measures` sets."""


def supplier_measures(model, e, customers: np.ndarray) -> dict[str, float]:
    """This quarter's supplier-network indicators, from the links of
    :func:`model.suppliers.links`, each firm's number of customers and the chains' orders.
    """
    f, cm = model.firms, model.chain_markets
    n = len(e)
    park = f.park[e.buyer]
    near = (park >= 0) & (park == f.park[e.supplier])
    demand = float(cm.demand.sum())
    return {
        "supplier_links": n,
        "supplier_links_colocated": 100.0 * np.count_nonzero(near) / n if n else 0.0,
        "suppliers_top10_share": 100.0 * top_share(customers, 0.1) if n else 0.0,
        "intermediate_orders": 100.0 * float(cm.intermediate.sum()) / demand if demand > 0
        else 0.0,
    }


def measures(model, e: Edges, carried: np.ndarray) -> dict[str, float]:
    """This quarter's network indicators (see ``model/indicators.py``)."""
    f, inst = model.firms, model.institutes
    n = len(e)
    if n == 0:
        return {k: v for k, v in EMPTY.items() if k in CONTRACT_MEASURES}
    chain = f.chain[e.firm]
    near = colocated(e, f.park, inst.park)
    matched = need_matched(e, f.chain, model.institute_focus)
    total = float(carried.sum())
    by_chain = np.bincount(chain, weights=carried, minlength=model.n_chains)
    return {
        "contracts": n,
        "contract_coupling_index": coupling_index(by_chain, model.needs),
        "contracts_need_matched": 100.0 * np.count_nonzero(matched) / n,
        "contracts_colocated": 100.0 * np.count_nonzero(near) / n,
        "technology_within_parks": 100.0 * float(carried[near].sum()) / total if total > 0
        else 0.0,
        "contracts_top10_share": 100.0 * top_share(degrees(e, len(inst)), 0.1),
    }
