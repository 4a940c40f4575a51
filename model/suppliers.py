"""Supplier links between the chains and between their firms, from China's input-output table.

Chains buy from each other (phase 2). Chain ``c``'s firms buy from Chongqing's firms of chain
``s`` the intermediate goods

    D^I_s(t) = l sum_{c != s} a_sc Y_c(t - 1),   a_sc = b_sc v_c / v_s,

where ``b_sc`` is the value added of chain ``s`` that one unit of chain ``c``'s value added
embodies (``scenarios/data/supplier_coefficients.csv``, from the NBS 2020 table), ``v`` a
chain's value added per unit of real output at the start, ``l`` the share of those purchases
made in Chongqing (``suppliers.local_share``) and ``Y_c(t - 1)`` what chain ``c`` produced
last quarter. The orders of chain ``s`` are then its outside market's
and its local customers':

    D_s = (1 - iota_s) (S_s + theta (S*_s - S_s)) M_s(t) shock_s(t) + D^I_s(t),

with ``iota_s = D^I_s(0) / D_s(0)`` the part of its start orders that came from local customers,
so the start is the observed one whatever ``l``. A shock to one chain's orders cuts its output,
and next quarter its suppliers' orders, and theirs the quarter after.

Firms keep named suppliers (phase 10, :func:`relink`): each firm holds up to
``suppliers.links`` (at most :data:`MAX_SUPPLIERS`) suppliers in other chains, columns
``supplier<k>`` (the supplier's slot + 1, 0 for none). A free link is filled with a firm of
chain ``s`` drawn with probability

    P(j) ∝ b_{s c} s_j (1 + beta [park_j = park_i])

for a buyer ``i`` of chain ``c`` (``s_j``: the supplier's share of its chain, so large suppliers
have many customers; ``beta``: ``suppliers.colocation_bonus``). A link ends when its supplier
closes; the buyer draws a new one the next quarter, as entrants draw theirs.

Knowledge flows along the links from customers to their suppliers (backward linkages:
customers teach suppliers to meet their standards; Javorcik 2004), at the start of phase 6
(:func:`spill_knowledge`):

    Delta ln A_j = gamma (1 / n_j) sum_{i buys from j} max(0, g_i - g_j),  g = ln A - m_c,

``g`` a firm's lead over its chain's median log TFP ``m_c``, ``n_j`` the number of the
supplier's customers and ``gamma`` ``suppliers.spillover`` a quarter.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chainshift.model import network
from chainshift.model.groups import group_sum

MAX_SUPPLIERS = 3
"""Supplier columns per firm (``supplier0`` to ``supplier2``)."""

SUPPLIER = tuple(f"supplier{k}" for k in range(MAX_SUPPLIERS))
SUPPLIER_COLUMNS = {name: np.int64 for name in SUPPLIER}
SUPPLIER_COLUMN_DOCS = {
    name: ("", f"the firm's supplier {k} in another chain: its slot + 1 (0: none)")
    for k, name in enumerate(SUPPLIER)
}

COEFFICIENTS = Path(__file__).resolve().parent.parent / "scenarios" / "data" / (
    "supplier_coefficients.csv")


def coefficients(chain_names: list[str], path: Path = COEFFICIENTS) -> np.ndarray:
    """``b[s, c]``: value added of supplier chain ``s`` per unit of buyer chain ``c``'s value
    added, for the scenario's chains (0 for a chain the table does not name, and on the
    diagonal). The file is read once per set of chains.
    """
    return _read_coefficients(tuple(chain_names), Path(path)).copy()


@functools.lru_cache(maxsize=8)
def _read_coefficients(chain_names: tuple[str, ...], path: Path) -> np.ndarray:
    index = {name: k for k, name in enumerate(chain_names)}
    b = np.zeros((len(chain_names), len(chain_names)))
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            s, c = index.get(row["supplier"]), index.get(row["buyer"])
            if s is not None and c is not None and s != c:
                b[s, c] = float(row["coefficient"])
    return b


def real_coefficients(b: np.ndarray, value_added: np.ndarray, output: np.ndarray) -> np.ndarray:
    """``a_sc = b_sc v_c / v_s``: real output of chain ``s`` a unit of chain ``c``'s real output
    needs, with ``v = VA / Y`` each chain's value added per unit of output at the start (a
    chain's output counts its energy too, so value-added coefficients do not apply to it
    directly). A chain without output supplies nothing.
    """
    v = np.divide(value_added, output, out=np.zeros_like(output), where=output > 0)
    inv = np.divide(1.0, v, out=np.zeros_like(v), where=v > 0)
    return b * v[None, :] * inv[:, None]


def intermediate_orders(a: np.ndarray, local_share: float, output: np.ndarray) -> np.ndarray:
    """``D^I_s = l sum_c a_sc Y_c``: local customers' orders to each chain (real units), with
    ``a`` from :func:`real_coefficients`.
    """
    return local_share * (a @ output)


def local_order_share(intermediate: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """``iota_s = D^I_s / D_s`` at the start (0 for a chain without orders), at most 0.9 so an
    outside market always remains.
    """
    iota = np.divide(intermediate, demand, out=np.zeros_like(demand), where=demand > 0)
    return np.minimum(iota, 0.9)


@dataclass(frozen=True)
class Links:
    """The live supplier links as an edge list (one entry per link).

    Attributes:
        buyer: row of the buying firm.
        supplier: row of its supplier.
    """

    buyer: np.ndarray
    supplier: np.ndarray

    def __len__(self) -> int:
        return self.buyer.shape[0]


def links(firms) -> Links:
    """The live links (a link to a firm that has closed is not one)."""
    buyers, suppliers = [], []
    for name in SUPPLIER:
        code = getattr(firms, name)
        held = np.flatnonzero(code > 0)
        rows = firms.row_of[code[held] - 1]
        live = rows >= 0
        buyers.append(held[live])
        suppliers.append(rows[live])
    return Links(np.concatenate(buyers), np.concatenate(suppliers))


def drop_closed(firms) -> None:
    """Empty the links whose supplier has closed."""
    for name in SUPPLIER:
        code = getattr(firms, name)
        held = np.flatnonzero(code > 0)
        code[held[firms.row_of[code[held] - 1] < 0]] = 0


def draw_suppliers(rng: np.random.Generator, b: np.ndarray, buyer_chain: np.ndarray,
                   buyer_park: np.ndarray, chain: np.ndarray, park: np.ndarray,
                   share: np.ndarray, n_parks: int, colocation_bonus: float) -> np.ndarray:
    """One supplier row for each buyer (-1 when its chain buys from no other chain).

    Draws from ``P(j) ∝ b_{chain_j, c} s_j (1 + beta [park_j = park_i])`` in two steps: the
    supplier chain ``s`` with probability ``∝ b_sc (W_s + beta W_sp)``, with ``W_s`` the share
    weight of chain ``s`` and ``W_sp`` that of its firms in the buyer's park ``p``; then the
    same-park component with probability ``beta W_sp / (W_s + beta W_sp)``, else the whole
    chain, and a firm in it by ``s_j``.

    Args:
        rng: the model's supplier stream.
        b: (supplier chain, buyer chain) coefficients.
        buyer_chain: each buyer's chain.
        buyer_park: each buyer's park (-1 outside parks).
        chain: every firm's chain.
        park: every firm's park.
        share: every firm's share of its chain.
        n_parks: number of parks.
        colocation_bonus: ``beta``.
    """
    n_chains = b.shape[0]
    n = buyer_chain.shape[0]
    u = rng.random((3, n))
    w_chain = group_sum(share, chain, n_chains)  # W_s
    in_park = park >= 0
    cell = chain * n_parks + np.where(in_park, park, 0)
    w_cell = np.bincount(cell[in_park], weights=share[in_park],
                         minlength=n_chains * n_parks).reshape(n_chains, n_parks)
    inside = buyer_park >= 0
    w_near = np.zeros((n, n_chains))
    w_near[inside] = colocation_bonus * w_cell[:, buyer_park[inside]].T  # beta W_sp
    weight = b[:, buyer_chain].T * (w_chain[None, :] + w_near)  # (buyer, supplier chain)
    total = weight.sum(axis=1)
    cdf = np.cumsum(weight, axis=1)
    pick_chain = (cdf < (u[0] * total)[:, None]).sum(axis=1).clip(0, n_chains - 1)
    near_w = w_near[np.arange(n), pick_chain]
    near = u[1] * (w_chain[pick_chain] + near_w) < near_w
    out = np.full(n, -1, dtype=np.int64)
    # the whole chain, by share
    order = _sorted_by(chain)
    far = np.flatnonzero(~near & (total > 0))
    out[far] = _draw_in_groups(share, chain, order, n_chains, pick_chain[far], u[2, far])
    close = np.flatnonzero(near & (total > 0))
    if close.size:
        cells = pick_chain[close] * n_parks + buyer_park[close]
        members = np.flatnonzero(in_park)
        order_c = members[_sorted_by(cell[members])]
        out[close] = _draw_in_groups(share, cell, order_c, n_chains * n_parks, cells,
                                     u[2, close])
    return out


def _sorted_by(group: np.ndarray) -> np.ndarray:
    """Rows sorted by a small non-negative group code (a radix sort on 16 bits when it fits)."""
    if group.size and int(group.max()) < np.iinfo(np.int16).max:
        return np.argsort(group.astype(np.int16), kind="stable")
    return np.argsort(group, kind="stable")


def _draw_in_groups(weight, group, order, n_groups: int, wanted: np.ndarray,
                    u: np.ndarray) -> np.ndarray:
    """A row of group ``wanted[k]`` for each ``k``, drawn by ``weight``; ``order`` lists the
    candidate rows sorted by group.
    """
    g = group[order]
    w = weight[order]
    cum = np.cumsum(w)
    start = np.searchsorted(g, np.arange(n_groups), side="left")
    end = np.searchsorted(g, np.arange(n_groups), side="right")
    base = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
    base[start == 0] = 0.0
    top = np.where(end > 0, cum[np.maximum(end - 1, 0)], 0.0)
    target = base[wanted] + u * (top[wanted] - base[wanted])
    pos = np.searchsorted(cum, target, side="right")
    pos = np.clip(pos, start[wanted], np.maximum(end[wanted] - 1, start[wanted]))
    return np.where(end[wanted] > start[wanted], order[np.minimum(pos, len(order) - 1)], -1)


def relink(model) -> int:
    """Phase 10: links to closed firms end; each firm with a free link (up to
    ``suppliers.links``) draws one new supplier. Returns the number of links drawn.
    """
    f, sp = model.firms, model.config.suppliers
    drop_closed(f)
    if len(f) == 0 or sp.links == 0:
        return 0
    held = np.zeros(len(f), dtype=np.int64)
    for name in SUPPLIER[: sp.links]:
        held += getattr(f, name) > 0
    rows = np.flatnonzero(held < sp.links)
    if rows.size == 0:
        return 0
    pick = draw_suppliers(model.streams["suppliers"], model.supplier_coefficients,
                          f.chain[rows], f.park[rows], f.chain, f.park, f.share,
                          len(model.parks), sp.colocation_bonus)
    # the first free column of each buyer; a draw of a supplier it already has signs nothing
    ok = pick >= 0
    slots = np.where(ok, f.slot[np.maximum(pick, 0)] + 1, 0)
    for name in SUPPLIER[: sp.links]:
        col = getattr(f, name)
        ok &= col[rows] != slots
    filled = np.zeros(rows.size, dtype=bool)
    for name in SUPPLIER[: sp.links]:
        col = getattr(f, name)
        free = ok & ~filled & (col[rows] == 0)
        col[rows[free]] = slots[free]
        filled |= free
    return int(filled.sum())


def spillover_gains(lead: np.ndarray, e: Links, n: int, gamma: float) -> np.ndarray:
    """``Delta ln A_j = gamma (1 / n_j) sum_i max(0, g_i - g_j)`` for every firm (0 for a firm
    without customers).
    """
    gap = np.maximum(0.0, lead[e.buyer] - lead[e.supplier])
    return gains_from_gaps(gap, e.supplier, np.bincount(e.supplier, minlength=n), gamma)[0]


def gains_from_gaps(gap: np.ndarray, supplier: np.ndarray, customers: np.ndarray,
                    gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """The gains of :func:`spillover_gains` from each link's gap ``max(0, g_i - g_j)`` and each
    firm's number of customers; also each firm's summed gap.
    """
    total = np.bincount(supplier, weights=gap, minlength=customers.shape[0])
    gain = np.divide(total, customers, out=np.zeros(customers.shape[0]), where=customers > 0)
    gain *= gamma
    return gain, total


def spill_knowledge(model) -> None:
    """Phase 6, before the search: suppliers learn from their customers
    (:func:`spillover_gains`, with the chain medians of last quarter's search), booked as
    technology from each customer to its supplier, valued at the gain times the supplier's
    value added and split by the customers' leads; and the supplier network's indicators.
    """
    f, gamma = model.firms, model.config.suppliers.spillover
    e = links(f)
    customers = np.bincount(e.supplier, minlength=len(f))
    model.network_values.update(network.supplier_measures(model, e, customers))
    if gamma <= 0 or len(e) == 0:
        return
    lead = np.log(f.A)
    lead -= model.chain_log_tfp[f.chain]
    gap = lead[e.buyer]
    gap -= lead[e.supplier]
    np.maximum(gap, 0.0, out=gap)
    gain, per_supplier = gains_from_gaps(gap, e.supplier, customers, gamma)
    learned = np.flatnonzero(gain > 0)
    if learned.size == 0:
        return
    f.A[learned] *= np.exp(gain[learned])
    f.gain_suppliers[learned] += gain[learned]
    keep = np.flatnonzero(gap > 0)
    to = e.supplier[keep]
    amount = np.expm1(gain[to]) * f.va[to] * gap[keep] / per_supplier[to]
    model.ledger.add_pairs("technology", "enterprise", "enterprise", amount,
                           src_rows=e.buyer[keep], dst_rows=to)


def customers_of(firms, row: int) -> np.ndarray:
    """Rows of the firms that buy from the firm in ``row``."""
    e = links(firms)
    return e.buyer[e.supplier == row]


