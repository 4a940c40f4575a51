"""Growth accounting and productivity decomposition for the model's yearly output.

Three pieces, all pure vectorised numpy functions of arrays the caller hands in (no state, no
per-firm Python loops):

1. A Tornqvist index of real value added across chains (:func:`tornqvist_log_change`,
   :func:`chained_levels`). The Tornqvist index is exact for a translog aggregator and hence
   superlative (Diewert 1976).
2. Growth accounting with Tornqvist averages of *cost* shares (:func:`growth_accounting`,
   :func:`innovation_share`). With cost shares rather than revenue shares the residual is
   invariant to market power under constant returns (Hall 1990): shares sum to one by
   construction, which imposes constant returns, and markups do not leak into the residual.
   The residual is still a residual: whatever the listed inputs do not measure (utilisation the
   caller did not adjust for, returns to scale, mismeasured inputs) ends up in it.
3. The dynamic Olley-Pakes decomposition of productivity growth with entry and exit
   (Melitz and Polanec 2015) within chains, aggregated over chains with a Bennet (symmetric)
   split that adds a chain-composition term (:func:`melitz_polanec`).

Units: every contribution is in percentage points of log growth, i.e. 100 x a log change.
:func:`tornqvist_log_change` itself returns a plain log change (not x100).

References:
    Diewert, W. E. (1976). Exact and superlative index numbers. Journal of Econometrics 4(2),
    115-145.

    Hall, R. E. (1990). Invariance properties of Solow's productivity residual. In P. Diamond
    (ed.), Growth, Productivity, Unemployment, MIT Press; see also Hall (1988), "The relation
    between price and marginal cost in U.S. industry", Journal of Political Economy 96(5).

    Melitz, M. J. and Polanec, S. (2015). Dynamic Olley-Pakes productivity decomposition with
    entry and exit. RAND Journal of Economics 46(2), 362-375.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Snapshot",
    "Window",
    "chained_levels",
    "growth_accounting",
    "innovation_share",
    "melitz_polanec",
    "tornqvist_log_change",
]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _div(num: np.ndarray, den: np.ndarray, fill: float | np.ndarray = 0.0) -> np.ndarray:
    """``num / den`` where ``den != 0``, ``fill`` elsewhere (no warnings)."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    shape = num.shape if num.shape == den.shape else np.broadcast_shapes(num.shape, den.shape)
    if np.ndim(fill) == 0:
        out = np.full(shape, fill, dtype=float)
    else:
        out = np.array(np.broadcast_to(fill, shape), dtype=float)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _gsum(groups: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Per-group sum of ``weights`` (count if None) over groups ``0..n-1``, as floats."""
    return np.bincount(groups, weights=weights, minlength=n).astype(float, copy=False)


def _tornqvist_rows(q0: np.ndarray, q1: np.ndarray, v0: np.ndarray, v1: np.ndarray) -> np.ndarray:
    """Row-wise Tornqvist log change of arrays of shape (T, n); see tornqvist_log_change."""
    keep = (q0 > 0) & (q1 > 0)
    v0k = np.where(keep, v0, 0.0)
    v1k = np.where(keep, v1, 0.0)
    tot0 = v0k.sum(axis=1, keepdims=True)
    tot1 = v1k.sum(axis=1, keepdims=True)
    ok0, ok1 = tot0 > 0, tot1 > 0
    s0 = _div(v0k, tot0)
    s1 = _div(v1k, tot1)
    # both dates priced: average; one date: that date's shares; neither: undefined (NaN below)
    sbar = np.where(ok0 & ok1, 0.5 * (s0 + s1), np.where(ok0, s0, s1))
    dlog = np.log(_div(np.where(keep, q1, 1.0), np.where(keep, q0, 1.0), fill=1.0))
    out = (sbar * dlog).sum(axis=1)
    bad = ~(ok0 | ok1) | np.isnan(tot0) | np.isnan(tot1)
    out[bad[:, 0]] = np.nan
    return out


# --------------------------------------------------------------------------------------------
# 1. Tornqvist index of real value added across chains
# --------------------------------------------------------------------------------------------


def tornqvist_log_change(q0: np.ndarray, q1: np.ndarray, v0: np.ndarray, v1: np.ndarray) -> float:
    """Tornqvist log change of real value added across chains between two dates.

    ``dlnQ = sum_{c in K} 0.5 (w0_c + w1_c) ln(q1_c / q0_c)``,
    ``wt_c = vt_c / sum_{k in K} vt_k``,

    where the sums run over the set ``K`` of chains with ``q0 > 0`` and ``q1 > 0``. A chain that
    does not produce at one of the dates (or has a missing, NaN, quantity) has no log change and
    is left out; the nominal shares are renormalised over the remaining chains at each date so
    that they still sum to one. If the remaining chains have zero nominal value added at one
    date, the other date's shares are used alone.

    Args:
        q0: Chain real quantities at the first date, shape (n_chains,).
        q1: Chain real quantities at the second date, shape (n_chains,).
        v0: Chain nominal value added at the first date (>= 0), shape (n_chains,).
        v1: Chain nominal value added at the second date (>= 0), shape (n_chains,).

    Returns:
        The log change (not x100). NaN when no chain produces at both dates, when the
        remaining chains have no nominal value added at either date, or when a remaining
        chain's nominal value added is NaN.

    Raises:
        ValueError: If the four arrays are not 1-D of the same length.
    """
    arrs = [np.asarray(a, dtype=float) for a in (q0, q1, v0, v1)]
    if any(a.ndim != 1 for a in arrs) or len({a.shape for a in arrs}) != 1:
        raise ValueError("q0, q1, v0 and v1 must be 1-D arrays of the same length")
    return _tornqvist_pair(*arrs)


def _tornqvist_pair(q0: np.ndarray, q1: np.ndarray, v0: np.ndarray, v1: np.ndarray) -> float:
    """:func:`tornqvist_log_change` of 1-D float arrays of equal length (not checked): the
    same operations as :func:`_tornqvist_rows` on one row, without its 2-D bookkeeping.
    """
    keep = (q0 > 0) & (q1 > 0)
    v0k = np.where(keep, v0, 0.0)
    v1k = np.where(keep, v1, 0.0)
    tot0, tot1 = v0k.sum(), v1k.sum()
    ok0, ok1 = tot0 > 0, tot1 > 0
    if not (ok0 or ok1) or math.isnan(tot0) or math.isnan(tot1):
        return math.nan
    if ok0 and ok1:
        sbar = 0.5 * (v0k / tot0 + v1k / tot1)
    else:  # one date priced: that date's shares
        sbar = v0k / tot0 if ok0 else v1k / tot1
    dlog = np.log(np.where(keep, q1, 1.0) / np.where(keep, q0, 1.0))
    return float((sbar * dlog).sum())


def chained_levels(q: np.ndarray, v: np.ndarray, base: float) -> np.ndarray:
    """Chain-linked Tornqvist index of real value added.

    ``level_0 = base``, ``level_t = level_{t-1} exp(dlnQ_t)`` with
    ``dlnQ_t = tornqvist_log_change(q[t-1], q[t], v[t-1], v[t])``.
    The links are computed for all periods at once. A NaN link (no chain produces at both
    dates) makes that level and every later one NaN: the chain of links is broken.

    Args:
        q: Chain real quantities, shape (T, n_chains).
        v: Chain nominal value added, shape (T, n_chains).
        base: The level at the first period.

    Returns:
        Levels, shape (T,), starting at ``base`` (empty when T is 0).

    Raises:
        ValueError: If ``q`` and ``v`` are not 2-D arrays of the same shape.
    """
    q = np.asarray(q, dtype=float)
    v = np.asarray(v, dtype=float)
    if q.ndim != 2 or q.shape != v.shape:
        raise ValueError("q and v must be 2-D arrays of the same shape (T, n_chains)")
    if q.shape[0] == 0:
        return np.zeros(0)
    links = _tornqvist_rows(q[:-1], q[1:], v[:-1], v[1:])
    return float(base) * np.exp(np.concatenate(([0.0], np.cumsum(links))))


# --------------------------------------------------------------------------------------------
# 2. Growth accounting with Tornqvist cost shares (Hall 1990)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Window:
    """Totals over one accounting window (e.g. a year), the input of :func:`growth_accounting`.

    ``eq=False``: windows compare by identity (field-wise ``==`` on arrays is ambiguous).

    Attributes:
        q: Chain real value added summed over the window, shape (n_chains,).
        v: Chain nominal value added summed over the window, shape (n_chains,).
        inputs: Input name -> quantity summed over the window, e.g. ``{"capital": ...,
            "labour": ..., "rd_staff": ...}``. A value may be a number or an array (e.g. one
            entry per chain), which is summed.
        costs: Input name -> cost summed over the window, the same keys as ``inputs`` (e.g.
            user cost times utilisation-adjusted capital, the wage bill, the R&D wage bill).
            Numbers or arrays, summed; costs are expected to be >= 0.
    """

    q: np.ndarray
    v: np.ndarray
    inputs: dict[str, float | np.ndarray]
    costs: dict[str, float | np.ndarray]

    def __post_init__(self) -> None:
        object.__setattr__(self, "q", np.asarray(self.q, dtype=float))
        object.__setattr__(self, "v", np.asarray(self.v, dtype=float))
        if set(self.inputs) != set(self.costs):
            raise ValueError(
                f"inputs and costs must have the same keys: {sorted(self.inputs)} vs "
                f"{sorted(self.costs)}"
            )


def _total(x: float | np.ndarray) -> float:
    """A window's quantity or cost as one number (arrays, e.g. one entry per chain, summed)."""
    return x if type(x) is float else float(np.sum(x))


def _log_ratio(x1: float, x0: float) -> float:
    """``ln(x1 / x0)`` as numpy computes it (NaN for a negative ratio, no warnings)."""
    r = x1 / x0
    if r > 0 and r != math.inf:
        return math.log(r)  # the C library's log, as np.log
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.log(np.float64(r)))


def _cost_shares(costs: dict[str, float | np.ndarray], names: list[str]) -> dict[str, float]:
    """Cost shares ``cost_j / sum_k cost_k``; all zero when the total cost is zero."""
    c = {j: _total(costs[j]) for j in names}
    total = sum(c.values())
    if total == 0:
        return dict.fromkeys(names, 0.0)
    return {j: c[j] / total for j in names}


def growth_accounting(prev: Window, now: Window) -> dict[str, float]:
    """Growth accounting between two windows with Tornqvist cost shares (Hall 1990).

    * ``growth = 100 dlnQ``, the Tornqvist log change of real value added across chains
      (:func:`tornqvist_log_change` of ``q`` with nominal weights ``v``);
    * ``s_j,t = cost_j,t / sum_k cost_k,t`` in each window, ``sbar_j = (s_j,prev + s_j,now) / 2``;
    * ``<j>_contribution = 100 sbar_j ln(X_j,now / X_j,prev)``;
    * ``tfp_contribution = growth - sum_j <j>_contribution``.

    Cost shares sum to one, so constant returns are imposed and markups do not bias the
    residual (Hall's invariance argument); everything the inputs do not measure stays in
    ``tfp_contribution``.

    Conventions:
        * An input whose quantity is 0 in either window has no log change and contributes 0
          (its cost still counts in the other inputs' shares). A negative or NaN quantity gives
          a NaN contribution (and a NaN residual).
        * If the total cost of a window is 0, all of that window's shares are 0, so each
          ``sbar_j`` is half the other window's share.
        * Zero output (no chain with positive real value added in both windows) raises no
          exception: ``growth`` is NaN, and so is ``tfp_contribution``; the input
          contributions are still computed.

    Args:
        prev: The earlier window.
        now: The later window.

    Returns:
        ``{"growth": g, "<name>_contribution": ..., "tfp_contribution": tfp}`` in percentage
        points of log growth, all Python floats, inputs in the order of ``prev.inputs``.

    Raises:
        ValueError: If the two windows do not name the same inputs.
    """
    names = list(prev.inputs)
    if set(names) != set(now.inputs):
        raise ValueError(
            f"windows name different inputs: {sorted(prev.inputs)} vs {sorted(now.inputs)}"
        )
    growth = 100.0 * tornqvist_log_change(prev.q, now.q, prev.v, now.v)
    s_prev = _cost_shares(prev.costs, names)
    s_now = _cost_shares(now.costs, names)
    out: dict[str, float] = {"growth": float(growth)}
    total = 0.0
    for j in names:  # a handful of inputs, not firms
        x0 = _total(prev.inputs[j])
        x1 = _total(now.inputs[j])
        if x0 == 0 or x1 == 0:
            contribution = 0.0
        else:
            contribution = 100.0 * 0.5 * (s_prev[j] + s_now[j]) * _log_ratio(x1, x0)
        out[f"{j}_contribution"] = contribution
        total += contribution
    out["tfp_contribution"] = float(growth - total)
    return out


def innovation_share(tfp: np.ndarray, growth: np.ndarray, min_growth: float = 1.0) -> float:
    """TFP's share of growth over a multi-year window, percent.

    ``share = 100 sum_y tfp_y / sum_y growth_y``.

    The ratio is only meaningful when there is growth to share: it is NaN when
    ``abs(mean_y growth_y) < min_growth`` (mean growth, percentage points per year), when
    any value is NaN, when the window is empty, or when the sum of growth is exactly 0. With
    negative growth the sign follows the formula (positive TFP during a contraction gives a
    negative share).

    Args:
        tfp: Yearly ``tfp_contribution`` (percentage points), shape (n_years,).
        growth: Yearly ``growth`` (percentage points), shape (n_years,).
        min_growth: Smallest absolute mean growth, points per year, for a defined share.

    Returns:
        The share in percent, or NaN.

    Raises:
        ValueError: If ``tfp`` and ``growth`` differ in shape.
    """
    tfp = np.asarray(tfp, dtype=float).ravel()
    growth = np.asarray(growth, dtype=float).ravel()
    if tfp.shape != growth.shape:
        raise ValueError("tfp and growth must have the same length")
    if growth.size == 0 or np.isnan(tfp).any() or np.isnan(growth).any():
        return float("nan")
    g = growth.sum()
    if abs(growth.mean()) < min_growth or g == 0:
        return float("nan")
    return float(100.0 * tfp.sum() / g)


# --------------------------------------------------------------------------------------------
# 3. Melitz-Polanec decomposition within chains, with chain composition
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Firms at one date, the input of :func:`melitz_polanec`.

    ``eq=False``: snapshots compare by identity (field-wise ``==`` on arrays is ambiguous).
    The fields are converted to the dtypes below (without copying when they already match).

    Attributes:
        ids: Permanent firm ids, int64, unique.
        chain: Chain index per firm, intp, in ``0..n_chains-1``.
        phi: Firm log productivity, float, already normalised by the caller.
        weight: Firm nominal value added, float, >= 0.
    """

    ids: np.ndarray
    chain: np.ndarray
    phi: np.ndarray
    weight: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", np.asarray(self.ids, dtype=np.int64))
        object.__setattr__(self, "chain", np.asarray(self.chain, dtype=np.intp))
        object.__setattr__(self, "phi", np.asarray(self.phi, dtype=float))
        object.__setattr__(self, "weight", np.asarray(self.weight, dtype=float))
        shapes = {a.shape for a in (self.ids, self.chain, self.phi, self.weight)}
        if len(shapes) != 1 or self.ids.ndim != 1:
            raise ValueError("ids, chain, phi and weight must be 1-D arrays of the same length")


def _sorted_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Ids in increasing order and the sorting permutation (None if already sorted).

    Raises:
        ValueError: If an id occurs twice.
    """
    if ids.size < 2 or bool(np.all(ids[1:] > ids[:-1])):
        return ids, None
    order = np.argsort(ids)  # ids are unique (checked below), so stability does not matter
    s = ids[order]
    if bool(np.any(s[1:] == s[:-1])):
        raise ValueError("firm ids must be unique within a snapshot")
    return s, order


DENSE_IDS = 4
"""Ids are matched through a lookup table when the largest is below this many times the
number of firms (model slots are: they count the firms ever created)."""


def _match_ids(ids0: np.ndarray, ids1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each id of ``ids1`` is in ``ids0``.

    Small non-negative ids (model slots) go through a lookup table, ``O(n)``; others are sorted
    once per snapshot (a no-op when already increasing) and searched with ``np.searchsorted``.

    Returns:
        (found, index in ``ids0``) for each id of ``ids1``; the index is meaningless where the id
        is not found.

    Raises:
        ValueError: If an id occurs twice within ``ids0`` or within ``ids1``.
    """
    n0, n1 = ids0.size, ids1.size
    if n0 == 0 or n1 == 0:
        for ids in (ids0, ids1):
            _sorted_ids(ids)  # uniqueness
        return np.zeros(n1, dtype=bool), np.zeros(n1, dtype=np.intp)
    low = min(int(ids0.min()), int(ids1.min()))
    top = max(int(ids0.max()), int(ids1.max())) + 1
    if low >= 0 and top <= DENSE_IDS * (n0 + n1) + 1024:
        row0 = np.full(top, -1, dtype=np.intp)
        row0[ids0] = np.arange(n0)
        if np.count_nonzero(row0 >= 0) != n0 or np.bincount(ids1, minlength=top).max() > 1:
            raise ValueError("firm ids must be unique within a snapshot")
        idx0 = row0[ids1]
        return idx0 >= 0, idx0
    sorted0, order0 = _sorted_ids(ids0)
    sorted1, order1 = _sorted_ids(ids1)
    # searching sorted ids in sorted ids keeps np.searchsorted cache-friendly; the matches are
    # scattered back to ids1's order
    pos = np.minimum(np.searchsorted(sorted0, sorted1), n0 - 1)
    found = sorted0[pos] == sorted1
    idx0 = pos if order0 is None else order0[pos]
    if order1 is not None:
        found_s, idx0_s = found, idx0
        found = np.empty_like(found_s)
        found[order1] = found_s
        idx0 = np.empty_like(idx0_s)
        idx0[order1] = idx0_s
    return found, idx0


def _check_snapshot(snap: Snapshot, n_chains: int, name: str) -> None:
    if snap.chain.size and (snap.chain.min() < 0 or snap.chain.max() >= n_chains):
        raise ValueError(f"{name}.chain must lie in 0..n_chains-1 = 0..{n_chains - 1}")
    if snap.weight.size and bool(np.any(snap.weight < 0)):
        raise ValueError(f"{name}.weight must be >= 0")


def melitz_polanec(
    prev: Snapshot, now: Snapshot, n_chains: int, sources: dict[str, np.ndarray] | None = None
) -> dict[str, float]:
    """Dynamic Olley-Pakes decomposition with entry and exit (Melitz and Polanec 2015).

    Within chain ``c``, at each date (0 = ``prev``, 1 = ``now``), firm shares and chain
    productivity are ``s_i = w_i / sum_{j in c} w_j`` and ``Phi_c = sum_{i in c} s_i phi_i``.
    Firms are survivors S (id in both snapshots and in the same chain), entrants E (only in
    ``now``) or exiters X (only in ``prev``); a firm whose chain differs between the snapshots
    exits its old chain and enters the new one. A group G has share ``s_G = sum_{i in G} s_i``
    and productivity ``Phi_G = sum_{i in G} (s_i / s_G) phi_i``. Then

    ``dPhi_c = (Phi_S,1 - Phi_S,0) + s_E,1 (Phi_E,1 - Phi_S,1) + s_X,0 (Phi_S,0 - Phi_X,0)``

    (survivors, entry, exit), and the survivors' term splits with the Olley-Pakes identity
    ``Phi_S,t = mean_{i in S} phi_i,t + cov_S,t``, where
    ``cov_S,t = sum_{i in S} (s_i / s_S - 1 / n_S) (phi_i,t - mean_{i in S} phi_i,t)``:

    * ``within_c = mean_{i in S} (phi_i,1 - phi_i,0)`` (unweighted),
    * ``reallocation_c = cov_S,1 - cov_S,0``.

    Across chains, with chain shares ``S_c`` of nominal value added in all chains and
    ``Phi = sum_c S_c Phi_c``, the Bennet (symmetric) split is exact:

    ``dPhi = sum_c Sbar_c dPhi_c + sum_c Phibar_c dS_c``, ``xbar = (x_0 + x_1) / 2``.

    The first sum gives ``within``, ``reallocation``, ``entry`` and ``exit`` (each
    ``sum_c Sbar_c x_c``); the second is ``composition``. Because ``sum_c dS_c = 0``,
    composition equals ``sum_c (Phibar_c - k) dS_c`` for any constant ``k``: it measures a
    shift of value added towards chains of above-average productivity and does not depend on
    how ``phi`` is normalised.

    Sources: ``sources[name]`` holds each firm's log-productivity gain from that source since
    ``prev``, aligned with ``now.ids`` (values of non-survivors are ignored). Then
    ``within_<name> = sum_c Sbar_c mean_{i in S_c} gain_i`` and ``within_other = within -
    sum_name within_<name>``, which is zero when the sources account for every survivor's
    change (and equals ``within`` when no sources are given).

    Conventions for the edge cases (each keeps ``total = within + reallocation + entry + exit
    + composition``):
        * A chain is absent at a date when its total weight is 0 (no firms, or only firms of
          zero weight). A chain absent at one date has no within-chain change to measure: its
          ``dPhi_c`` terms are all 0 and its missing ``Phi_c`` is set to the ``Phi_c`` of the
          date where it exists, so it enters ``composition`` as ``Phi_c dS_c``: a chain that
          appears (or disappears) changes the aggregate only through the mix of chains,
          weighted by the productivity it actually has. Any other value for the missing
          ``Phi_c`` would move an arbitrary amount between composition and the within-chain
          terms.
        * A chain present at both dates with no survivors: ``Phi_S`` is undefined and the
          entry/exit split depends on it (a negligible survivor of productivity ``p`` would
          give entry ``Phi_E,1 - p`` and exit ``p - Phi_X,0``). The midpoint
          ``p = (Phi_E,1 + Phi_X,0) / 2`` is used: entry and exit each get half of
          ``Phi_E,1 - Phi_X,0``, within and reallocation are 0. Like the decomposition
          itself, this is symmetric under reversing time (entry and exit swap, signs flip).
        * A group with zero total weight: entrants or exiters of zero total weight contribute
          0 (their term is multiplied by ``s_G = 0``). Survivors of zero total weight at a date
          (while the chain has weight) are weighted equally at that date: ``Phi_S,t`` is their
          mean and ``cov_S,t = 0`` (the limit of equal vanishing weights).
        * All weights zero, or no firms at all, at both dates: every term is 0 (not NaN). If
          the total weight is zero at only one date, ``Phi`` at that date is 0 (an empty
          sum), so ``total = composition = +-100 Phi`` of the other date, which depends on
          the normalisation of ``phi`` and should not be read as growth.

    Implementation: ``now`` is matched into ``prev`` through a lookup table of ids when they are
    small non-negative integers (model slots), else by sorting each snapshot's ids once (not at
    all when already increasing) and ``np.searchsorted`` (:func:`_match_ids`); all group sums are
    ``np.bincount(..., minlength=n_chains)``; there is no Python loop over firms or chains.

    Args:
        prev: Firms at the earlier date.
        now: Firms at the later date.
        n_chains: Number of chains; chain indices lie in ``0..n_chains-1``.
        sources: Optional name -> array aligned with ``now.ids`` of log-productivity gains by
            source since ``prev`` (e.g. "rd", "imitation", "transfer", "renovation",
            "digital").

    Returns:
        In percentage points (x100) and as Python floats, in this order: ``within``,
        ``within_<name>`` for each source, ``within_other``, ``reallocation``, ``entry``,
        ``exit``, ``composition`` and ``total = 100 (Phi_1 - Phi_0)``, which equals
        the sum of the five terms up to rounding.

    Raises:
        ValueError: If ids repeat within a snapshot, a chain index is out of range, a weight
            is negative, a source array does not match ``now.ids`` in length, or a source is
            named "other".
    """
    n = int(n_chains)
    _check_snapshot(prev, n, "prev")
    _check_snapshot(now, n, "now")
    sources = {} if sources is None else sources
    if "other" in sources:
        raise ValueError('a source may not be named "other" (within_other is the remainder)')
    gains = {}
    for name, g in sources.items():
        g = np.asarray(g, dtype=float)
        if g.shape != now.ids.shape:
            raise ValueError(f"sources[{name!r}] must be aligned with now.ids")
        gains[name] = g

    c0, phi0, w0 = prev.chain, prev.phi, prev.weight
    c1, phi1, w1 = now.chain, now.phi, now.weight
    n0 = prev.ids.size

    # ---- match now into prev: survivors keep their chain --------------------------------
    if n0:
        found, idx0 = _match_ids(prev.ids, now.ids)
        surv1 = found & (c0[idx0] == c1)
    else:
        _match_ids(prev.ids, now.ids)  # still checks that now's ids are unique
        surv1, idx0 = np.zeros(now.ids.size, dtype=bool), np.zeros(now.ids.size, dtype=np.intp)
    s1 = np.flatnonzero(surv1)  # survivors' rows in now
    j0 = idx0[s1]  # index in prev of each survivor, in now's order
    surv0 = np.zeros(n0, dtype=bool)
    surv0[j0] = True
    e1, x0 = np.flatnonzero(~surv1), np.flatnonzero(~surv0)  # entrants' and exiters' rows

    # ---- per-chain sums -------------------------------------------------------------------
    W0 = _gsum(c0, n, w0)
    W1 = _gsum(c1, n, w1)
    P0 = _gsum(c0, n, w0 * phi0)
    P1 = _gsum(c1, n, w1 * phi1)

    cs = c1[s1]  # survivors' chain (the same at both dates)
    phiS0, phiS1 = phi0[j0], phi1[s1]
    wS0, wS1 = w0[j0], w1[s1]
    nS = _gsum(cs, n)
    WS0, WS1 = _gsum(cs, n, wS0), _gsum(cs, n, wS1)
    PS0, PS1 = _gsum(cs, n, wS0 * phiS0), _gsum(cs, n, wS1 * phiS1)
    mS0, mS1 = _div(_gsum(cs, n, phiS0), nS), _div(_gsum(cs, n, phiS1), nS)
    within_c = _div(_gsum(cs, n, phiS1 - phiS0), nS)

    cE, wE = c1[e1], w1[e1]
    WE, PE = _gsum(cE, n, wE), _gsum(cE, n, wE * phi1[e1])
    cX, wX = c0[x0], w0[x0]
    WX, PX = _gsum(cX, n, wX), _gsum(cX, n, wX * phi0[x0])

    present = (W0 > 0) & (W1 > 0)
    has_s = nS > 0
    PhiE, PhiX = _div(PE, WE), _div(PX, WX)
    sE, sX = _div(WE, W1), _div(WX, W0)

    # survivors' aggregate: weighted; equally weighted if their weight is 0; midpoint if none
    mid = 0.5 * (PhiE + PhiX)
    PhiS0 = np.where(has_s, _div(PS0, WS0, fill=mS0), mid)
    PhiS1 = np.where(has_s, _div(PS1, WS1, fill=mS1), mid)
    cov0 = np.where(has_s, PhiS0 - mS0, 0.0)
    cov1 = np.where(has_s, PhiS1 - mS1, 0.0)

    zero = np.zeros(n)
    terms_c = {
        "within": np.where(present, within_c, zero),
        "reallocation": np.where(present, cov1 - cov0, zero),
        "entry": np.where(present, sE * (PhiE - PhiS1), zero),
        "exit": np.where(present, sX * (PhiS0 - PhiX), zero),
    }
    src_c = {
        name: np.where(present, _div(_gsum(cs, n, g[s1]), nS), zero)
        for name, g in gains.items()
    }

    # ---- across chains: Bennet split ------------------------------------------------------
    Phi0, Phi1 = _div(P0, W0), _div(P1, W1)
    only0, only1 = (W0 > 0) & ~(W1 > 0), (W1 > 0) & ~(W0 > 0)
    Phi1 = np.where(only0, Phi0, Phi1)
    Phi0 = np.where(only1, Phi1, Phi0)
    S0, S1 = _div(W0, W0.sum()), _div(W1, W1.sum())
    Sbar, Phibar = 0.5 * (S0 + S1), 0.5 * (Phi0 + Phi1)

    within = 100.0 * float(Sbar @ terms_c["within"])
    out: dict[str, float] = {"within": within}
    named = 0.0
    for name, x in src_c.items():  # a handful of sources, not firms
        out[f"within_{name}"] = 100.0 * float(Sbar @ x)
        named += out[f"within_{name}"]
    out["within_other"] = within - named
    for key in ("reallocation", "entry", "exit"):
        out[key] = 100.0 * float(Sbar @ terms_c[key])
    out["composition"] = 100.0 * float(Phibar @ (S1 - S0))
    out["total"] = 100.0 * float(S1 @ Phi1 - S0 @ Phi0)
    return out
