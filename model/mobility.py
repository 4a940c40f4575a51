"""Who moved where: R&D staff moves from a named firm to a named firm.

The R&D labour market (``model/labour.py``) sets each firm's R&D staff from its budget. The
openings are the rise of staff at growing firms, ``rise_j = max(H'_j - H_j, 0)``; they are
filled first by staff released elsewhere (this module), then by new talent, then from the
labour pool (``labour.hire_sources``). Released staff come from

- firms whose staff fell, ``fall_i = max(H_i - H'_i, 0)``, and
- the firms that closed last quarter, all their staff (:class:`Departed`).

They are placed first within their chain (skills are chain-specific), then across chains, by
the north-west-corner rule on a random order of origins and of openings (:func:`match`): each
origin's staff fill the next openings in turn, so both margins hold and there are at
most ``origins + openings`` moves (the margins hold up to rounding, about 1e-7 of an entry at
100,000 origins). Staff released beyond the openings leave industry; the talent stock does not
count them back (its attrition and inflow are set in ``model/labour.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chainshift.model.groups import group_sum


@dataclass(frozen=True)
class Departed:
    """The staff of the firms that closed, kept from exit (phase 10) to the next quarter's
    labour market (phase 4a), where they are re-employed or leave industry.

    Attributes:
        ids: the closed firms' permanent ids.
        staff: their R&D staff (persons).
        chain: their chains.
        tfp: their TFP when they closed.
    """

    ids: np.ndarray
    staff: np.ndarray
    chain: np.ndarray
    tfp: np.ndarray

    @classmethod
    def none(cls) -> Departed:
        """No closed firms."""
        return cls(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.intp), np.zeros(0))

    @classmethod
    def of(cls, firms, rows: np.ndarray) -> Departed:
        """The firms in ``rows``, before they are removed."""
        return cls(firms.slot[rows].astype(np.int64), firms.H[rows].copy(),
                   firms.chain[rows].copy(), firms.A[rows].copy())


@dataclass(frozen=True)
class Moves:
    """Named moves of one quarter.

    Attributes:
        origin: index of each move's origin (into the origins given to :func:`place_staff`).
        destination: row of each move's destination firm.
        amount: persons.
    """

    origin: np.ndarray
    destination: np.ndarray
    amount: np.ndarray


def match(supply: np.ndarray, demand: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """North-west-corner plan between two lists with equal totals.

    The cumulative sums of ``supply`` and ``demand`` cut ``[0, total]`` into segments; each
    segment lies in one supplier's and one demander's share, and is one move. The two sorted
    lists of cuts are merged (a stable sort of two runs, linear), and a segment's supplier is
    the number of supply cuts at or below its start.

    Returns:
        (supplier index, demander index, amount) of every move
    """
    total = float(supply.sum())
    if total <= 0 or demand.sum() <= 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0)
    cs = np.cumsum(supply)
    cd = np.cumsum(demand) * (total / float(demand.sum()))
    cs[-1] = cd[-1] = total
    both = np.concatenate((cs, cd))
    order = np.argsort(both, kind="stable")
    cuts = both[order]
    from_supply = order < cs.size
    amount = np.diff(cuts, prepend=0.0)
    keep = np.flatnonzero(amount > 1e-12 * total)
    # cuts strictly before segment k: how many suppliers and demanders are used up
    used_s = np.cumsum(from_supply) - from_supply
    used_d = np.arange(cuts.size) - used_s
    i = np.minimum(used_s[keep], supply.size - 1)
    j = np.minimum(used_d[keep], demand.size - 1)
    return i, j, amount[keep]


def place_staff(released: np.ndarray, origin_chain: np.ndarray, wanted: np.ndarray,
                chain: np.ndarray, n_chains: int, rng: np.random.Generator) -> Moves:
    """Place released staff at the firms that want them, within chains first.

    Args:
        released: staff each origin releases (persons).
        origin_chain: chain of each origin.
        wanted: moved staff each firm wants (persons; 0 for firms not growing).
        chain: chain of each firm.
        n_chains: number of chains.
        rng: the draws of the random orders.

    Returns:
        the named moves; their total is ``min(sum released, sum wanted)``
    """
    origins = np.flatnonzero(released > 0)
    takers = np.flatnonzero(wanted > 0)
    # a random order within each chain: shuffle, then a stable (radix) sort by chain
    origins = origins[rng.permutation(origins.size)]
    takers = takers[rng.permutation(takers.size)]
    origins = origins[np.argsort(origin_chain[origins].astype(np.int16), kind="stable")]
    takers = takers[np.argsort(chain[takers].astype(np.int16), kind="stable")]
    o_chain, t_chain = origin_chain[origins], chain[takers]
    o_amount, t_amount = released[origins], wanted[takers]
    s_c = group_sum(o_amount, o_chain, n_chains)
    d_c = group_sum(t_amount, t_chain, n_chains)
    m_c = np.minimum(s_c, d_c)
    out_s = o_amount * np.divide(m_c, s_c, out=np.zeros(n_chains), where=s_c > 0)[o_chain]
    out_d = t_amount * np.divide(m_c, d_c, out=np.zeros(n_chains), where=d_c > 0)[t_chain]
    i, j, amount = match(out_s, out_d)
    parts = [(origins[i], takers[j], amount)]
    # across chains: what is left on both sides
    rest_s, rest_d = o_amount - out_s, t_amount - out_d
    across = min(float(rest_s.sum()), float(rest_d.sum()))
    if across > 1e-12 * max(float(released.sum()), 1.0):
        rest_s *= across / rest_s.sum()
        rest_d *= across / rest_d.sum()
        shuffle = rng.permutation(origins.size)
        i, j, amount = match(rest_s[shuffle], rest_d)
        parts.append((origins[shuffle][i], takers[j], amount))
    return Moves(*(np.concatenate(col) for col in zip(*parts, strict=True)))
