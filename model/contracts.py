"""The contract network: which institutes each enterprise contracts its research to.

A firm with R&D keeps up to ``technology.contract_partners`` contracts (at most
:data:`MAX_PARTNERS`). Its contracts are its own state, three firm columns per contract:
``contract<k>`` (the institute's slot + 1, 0 for none), ``contract_end<k>`` (the quarter its
term ends: it is paid in the quarters before and reviewed in that one) and
``contract_lead<k>`` (the firm's lead over its chain at signing, ``ln A_i - m_c``, with ``m_c``
the chain's median log TFP). A firm that closes ends its contracts.

Each quarter (phase 5, :func:`update_contracts`):

1. *Renewal* (SKIN, Gilbert, Pyka and Ahrweiler 2001): a contract that reaches its end is
   renewed when it succeeded, when the firm gained on its chain during it,
   ``ln A_i - m_c >= lead at signing``, and ends otherwise.
2. *Search*: a firm with R&D and a free contract slot signs one new contract. A share
   ``kappa`` (``policy.coupling``, double-chain coupling) of searches goes through the
   coupling platforms, which match a firm of chain ``c`` to institute ``r`` with probability
   ``P_rc ∝ R_r f_rc`` (researchers times the institute's own research focus on the chain);
   the others search near and by reputation, ``Q_rp ∝ R_r (1 + beta [park_r = p])`` for a firm
   in park ``p`` (``beta``: ``technology.colocation_bonus``; outside parks ``Q_r ∝ R_r``).
   The new contract runs ``l ~ U{1, ..., 2L - 1}`` quarters (mean ``L``,
   ``technology.contract_length``), so renewals do not come in waves. A draw of an institute
   the firm already works with signs nothing this quarter.

Payments and technology then flow along the contracts (``model/technology.py``): each firm
pays ``s R&D_i / k_i`` to each of its ``k_i`` partners (``s``: ``finance.contract_share``), and a
share ``theta`` (``technology.contract_channel``) of a research institute's knowledge usable
by a chain goes to its partners in that chain (:func:`route_knowledge`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_PARTNERS = 3
"""Contract slots per firm (columns ``contract0`` to ``contract2``)."""

NEVER = np.iinfo(np.int32).max
"""The end of an empty contract slot once a contract in it has ended."""

PARTNER = tuple(f"contract{k}" for k in range(MAX_PARTNERS))
END = tuple(f"contract_end{k}" for k in range(MAX_PARTNERS))
LEAD = tuple(f"contract_lead{k}" for k in range(MAX_PARTNERS))

CONTRACT_COLUMNS = {
    **{name: np.int64 for name in PARTNER},
    **{name: np.int32 for name in END},
    **{name: float for name in LEAD},
}
CONTRACT_COLUMN_DOCS = {
    **{name: ("", f"institute of the firm's contract {k}: its slot + 1 (0: no contract)")
       for k, name in enumerate(PARTNER)},
    **{name: ("quarter", f"quarter contract {k} is reviewed, the end of its term (renewed "
              "or ended before that quarter's payments)") for k, name in enumerate(END)},
    **{name: ("log points", f"firm's lead over its chain's median log TFP when contract {k} "
              "was signed") for k, name in enumerate(LEAD)},
}


@dataclass(frozen=True)
class Edges:
    """The live contracts as an edge list (one entry per contract).

    Attributes:
        firm: row of the firm.
        institute: row of the institute.
        slot: which of the firm's contract columns holds it (0 to :data:`MAX_PARTNERS` - 1).
    """

    firm: np.ndarray
    institute: np.ndarray
    slot: np.ndarray

    def __len__(self) -> int:
        return self.firm.shape[0]


def edges(firms, institutes) -> Edges:
    """The firms' live contracts, firm rows ascending within each contract slot."""
    rows, inst, slot = [], [], []
    for k, name in enumerate(PARTNER):
        col = getattr(firms, name)
        held = np.flatnonzero(col)
        rows.append(held)
        inst.append(institutes.row_of[col[held] - 1])
        slot.append(np.full(held.size, k, np.int8))
    return Edges(np.concatenate(rows), np.concatenate(inst), np.concatenate(slot))


def partners_held(firms) -> np.ndarray:
    """Number of contracts each firm holds, ``k_i``."""
    return sum((getattr(firms, name) > 0).astype(np.int64) for name in PARTNER)


def chain_median_log_tfp(log_tfp: np.ndarray, chain: np.ndarray, n_chains: int) -> np.ndarray:
    """Each chain's median log TFP ``m_c`` (0 for a chain without firms): a firm's lead over
    its chain is ``ln A_i - m_c``.

    The median, not the mean: TFP gains come in rare jumps (innovations, imitations), so the
    mean gain exceeds a typical firm's and against the mean most firms would fall behind in
    any quarter.
    """
    order = np.argsort(chain.astype(np.int16), kind="stable")
    counts = np.bincount(chain, minlength=n_chains)
    ends = np.cumsum(counts)
    out = np.zeros(n_chains)
    values = log_tfp[order]
    for c in np.flatnonzero(counts):
        part = values[ends[c] - counts[c]: ends[c]]
        out[c] = np.median(part)
    return out


def lead_of(firms, chain_median: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The firms' lead over their chain, ``ln A_i - m_c``."""
    return np.log(firms.A[rows]) - chain_median[firms.chain[rows]]


def renew_or_end(firms, t: int, chain_median: np.ndarray, draw_length) -> tuple[int, int]:
    """Renew the contracts that end this quarter and succeeded; end the others.

    A contract ending at ``t`` succeeded when the firm's lead over its chain
    (:func:`lead_of`) is at least its lead at signing; a renewed contract runs a new term
    (``draw_length(n)`` quarters) from the firm's lead now. An ended slot's end is set to
    :data:`NEVER`.

    Returns:
        (contracts renewed, contracts ended)
    """
    renewed = ended = 0
    for k in range(MAX_PARTNERS):
        partner, end, signed = (getattr(firms, c[k]) for c in (PARTNER, END, LEAD))
        due = np.flatnonzero(end <= t)
        due = due[partner[due] > 0]
        if due.size == 0:
            continue
        lead = lead_of(firms, chain_median, due)
        success = lead >= signed[due]
        keep, drop = due[success], due[~success]
        end[keep] = t + draw_length(keep.size)
        signed[keep] = lead[success]
        partner[drop] = 0
        end[drop] = NEVER
        renewed += keep.size
        ended += drop.size
    return renewed, ended


def draw_rows(weights: np.ndarray, group: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Draw one column per element from the row ``weights[group]``, by inverse CDF.

    All draws are one ``searchsorted`` on the rows' CDFs laid end to end, row ``g`` shifted
    by ``g``. Returns -1 where the row has no weight.

    Args:
        weights: (groups, options) non-negative weights.
        group: row of each draw.
        u: uniform draws in [0, 1), one per element of ``group``.
    """
    n_groups, n_options = weights.shape
    total = weights.sum(axis=1)
    cdf = np.cumsum(weights, axis=1)
    np.divide(cdf, total[:, None], out=cdf, where=total[:, None] > 0)
    flat = (cdf + np.arange(n_groups)[:, None]).ravel()
    pick = np.searchsorted(flat, group + u, side="right") - group * n_options
    # rounding near a row's end may step past its last weighted option
    last = n_options - 1 - np.argmax(weights[:, ::-1] > 0, axis=1)
    pick = np.clip(pick, 0, last[group])
    return np.where(total[group] > 0, pick, -1)


def search_weights(researchers: np.ndarray, focus: np.ndarray, park: np.ndarray,
                   n_parks: int, colocation_bonus: float) -> tuple[np.ndarray, np.ndarray]:
    """The two search channels' weights over institutes.

    Returns:
        (platform weights ``P`` of shape (chains, institutes), ``P_cr = R_r f_rc``; proximity
        weights ``Q`` of shape (parks + 1, institutes), ``Q_pr = R_r (1 + beta [park_r = p])``,
        the last row for firms outside parks, ``R_r``)
    """
    platform = (researchers[:, None] * focus).T
    near = np.tile(researchers, (n_parks + 1, 1))
    located = np.flatnonzero(park >= 0)
    near[park[located], located] *= 1.0 + colocation_bonus
    return platform, near


def match_partners(firms, institutes, focus, n_parks: int, wanted: int, coupling: float,
                   colocation_bonus: float, rng: np.random.Generator
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Institutes drawn for the firms that search this quarter: those with R&D and fewer than
    ``wanted`` contracts.

    Returns:
        (searching firms' rows, the slot of the institute each drew, -1 for none)
    """
    rows = np.flatnonzero((firms.rd > 0) & (partners_held(firms) < wanted))
    u = rng.random((2, rows.size))
    platform, near = search_weights(institutes.researchers, focus, institutes.park, n_parks,
                                    colocation_bonus)
    pick = np.empty(rows.size, np.int64)
    by_platform = u[0] < coupling
    at = np.flatnonzero(by_platform)
    pick[at] = draw_rows(platform, firms.chain[rows[at]], u[1, at])
    at = np.flatnonzero(~by_platform)
    park = firms.park[rows[at]]
    pick[at] = draw_rows(near, np.where(park >= 0, park, n_parks), u[1, at])
    return rows, np.where(pick >= 0, institutes.slot[np.maximum(pick, 0)], -1)


def sign(firms, rows: np.ndarray, institute_slots: np.ndarray, t: int, chain_median: np.ndarray,
         lengths: np.ndarray) -> int:
    """Write the new contracts into each firm's first free slot; a draw of an institute the
    firm already works with (or of none) signs nothing.

    Returns:
        contracts signed
    """
    code = institute_slots + 1
    ok = code > 0
    for name in PARTNER:
        ok &= getattr(firms, name)[rows] != code
    rows, code, lengths = rows[ok], code[ok], lengths[ok]
    free = np.full(rows.size, MAX_PARTNERS)
    for k in reversed(range(MAX_PARTNERS)):
        free = np.where(getattr(firms, PARTNER[k])[rows] == 0, k, free)
    for k in range(MAX_PARTNERS):
        at = free == k
        r = rows[at]
        getattr(firms, PARTNER[k])[r] = code[at]
        getattr(firms, END[k])[r] = t + lengths[at]
        getattr(firms, LEAD[k])[r] = lead_of(firms, chain_median, r)
    return int((free < MAX_PARTNERS).sum())


def contract_lengths(rng: np.random.Generator, mean_length: int, n: int) -> np.ndarray:
    """Terms of new contracts, ``U{1, ..., 2L - 1}`` quarters."""
    return rng.integers(1, max(2, 2 * mean_length), size=n, dtype=np.int32)


def payments(rd: np.ndarray, contract_share: float, e: Edges) -> np.ndarray:
    """What each contract pays this quarter, ``s R&D_i / k_i`` (100m yuan)."""
    k = np.bincount(e.firm, minlength=rd.shape[0])
    return contract_share * rd[e.firm] / k[e.firm]


def route_knowledge(usable: np.ndarray, e: Edges, chain: np.ndarray, absorbing: np.ndarray,
                    channel: float, research: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split each research institute's usable knowledge between its partners and its chains.

    Institute ``r``'s knowledge usable by chain ``c``, ``U_rc``, goes a share ``theta`` to its
    partners in ``c`` in proportion to their absorbing value added ``a_i VA_i``, and the rest
    (all of it where ``r`` has no partner in ``c`` that can absorb) to chain ``c`` as a whole:
    ``U_c^pool = sum_r U_rc - theta sum_r U_rc [S_rc > 0]`` with ``S_rc`` the partners'
    absorbing value added. Contracts with centres carry payments only: centres' technology
    is common to their chain.

    Args:
        usable: (institutes, chains) ``U_rc``, zero for centres.
        e: the contracts.
        chain: each firm's chain.
        absorbing: each firm's ``a_i VA_i``.
        channel: ``theta``.
        research: which institute rows are universities or research institutes.

    Returns:
        (each contract's knowledge per unit of its firm's absorbing value added,
        ``theta U_rc / S_rc`` (so the contract delivers it times ``a_i VA_i``); each chain's
        pooled knowledge ``U_c^pool``)
    """
    n_inst, n_chains = usable.shape
    key = e.institute * n_chains + chain[e.firm]
    on = research[e.institute]
    share = np.bincount(key[on], weights=absorbing[e.firm[on]], minlength=n_inst * n_chains)
    share = share.reshape(n_inst, n_chains)
    carried = channel * usable * (share > 0)
    rate = np.divide(carried, share, out=np.zeros_like(carried), where=share > 0).ravel()[key]
    return np.where(on, rate, 0.0), usable.sum(axis=0) - carried.sum(axis=0)
