"""The innovation-factor flow ledger, by kind of agent and by pair of agents.

Every transfer of talent, capital, technology or data is recorded twice:

- summed per step over agents of the same kinds, ``(step, factor, from_kind, to_kind, amount)``
  (:meth:`FlowLedger.frame`), a few dozen rows a quarter at any scale;
- by pair of agents, ``(step, factor, from_kind, from_id, to_kind, to_id, amount)``, with the
  chain and park of each end (:meth:`FlowLedger.pair_frame`), appended per step as columnar
  arrays. An end that is one agent carries its permanent id (an enterprise's or institute's
  slot, a park's index, 0 for the government and for finance); an end that is a pool rather
  than one agent (a chain's market for knowledge, the labour pool, the chain's best practice)
  carries :data:`POOL`.

The two views hold the same flows: summed by kind, the pairs give the kind-level ledger.

Units: talent in persons, capital in 100 million yuan, technology in 100 million yuan of
capacity (value added the transferred technology makes possible per quarter), data in 100
million yuan of digitalised value added (rise in digital level times the firm's value added).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

FACTORS = ("talent", "capital", "technology", "data")
KINDS = ("enterprise", "institute", "park", "government", "finance")
_FACTOR_CODE = {name: i for i, name in enumerate(FACTORS)}
_KIND_CODE = {name: i for i, name in enumerate(KINDS)}
UNITS = {
    "talent": "persons",
    "capital": "100m yuan",
    "technology": "100m yuan of capacity",
    "data": "100m yuan of digitalised value added",
}
POOL = -1
"""Id of an end that is a pool, not one agent; also the chain or park of an end that has none."""
SINGLE = ("government", "finance")
"""Kinds that are one agent each, id 0."""

Ids = Callable[[np.ndarray], np.ndarray]
"""``ids(rows)``: the permanent ids of the agents in rows of one kind's table."""
Places = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
"""``places(ids) -> (chains, parks)`` of agents of one kind by id (fixed for an agent's life)."""

PAIR_COLUMNS = ("step", "factor", "from_kind", "from_id", "from_chain", "from_park", "to_kind",
                "to_id", "to_chain", "to_park", "amount")


class FlowLedger:
    """Append-only ledger of factor flows with O(1) amortised appends.

    Args:
        pairs: keep the ledger by pair of agents too (False: by kind only, for very large
            populations).
    """

    def __init__(self, pairs: bool = True) -> None:
        self._step: list[int] = []
        self._factor: list[int] = []
        self._src: list[int] = []
        self._dst: list[int] = []
        self._amount: list[float] = []
        self.step = 0
        self._latest_step: int | None = None  # the step of the newest record, and its totals
        self._latest: dict[str, float] = {}
        self.pairs = pairs
        self._chunks: list[tuple] = []
        self.ids: dict[str, Ids] = {}
        self.places: dict[str, Places] = {}

    def _codes(self, factor: str, src: str, dst: str) -> tuple[int, int, int]:
        try:
            return _FACTOR_CODE[factor], _KIND_CODE[src], _KIND_CODE[dst]
        except KeyError as err:
            raise ValueError(
                f"flow {factor} {src}->{dst}: unknown {err}; allowed factors {FACTORS}, "
                f"kinds {KINDS}"
            ) from None

    def _record_kind(self, codes: tuple[int, int, int], factor: str, amount: float) -> None:
        self._step.append(self.step)
        self._factor.append(codes[0])
        self._src.append(codes[1])
        self._dst.append(codes[2])
        self._amount.append(amount)
        if self.step != self._latest_step:
            self._latest_step, self._latest = self.step, {}
        self._latest[factor] = self._latest.get(factor, 0.0) + amount

    def add(self, factor: str, src: str, dst: str, amount: float) -> None:
        """Record one transfer this step between a pool (or the single government or finance)
        and another. Zero amounts are skipped; negative ones are errors.
        """
        amount = float(amount)
        if amount == 0.0:
            return
        if not amount > 0.0:
            raise ValueError(f"flow {factor} {src}->{dst} must be positive, got {amount}")
        codes = self._codes(factor, src, dst)
        self._record_kind(codes, factor, amount)
        if self.pairs:
            self._chunks.append((self.step, codes, self._end(src, None), self._end(dst, None),
                                 np.array([amount])))

    def add_pairs(self, factor: str, src: str, dst: str, amounts: np.ndarray,
                  src_rows: np.ndarray | None = None, dst_rows: np.ndarray | None = None,
                  total: float | None = None, src_ids: np.ndarray | None = None,
                  dst_ids: np.ndarray | None = None) -> None:
        """Record transfers this step, one per element of ``amounts``.

        Args:
            factor: one of :data:`FACTORS`.
            src: kind of the paying or sending end (one of :data:`KINDS`).
            dst: kind of the receiving end.
            amounts: amount of each transfer (zeros are skipped; negatives are errors).
            src_rows: row of each transfer's sending agent in its kind's table (mapped to
                ids by ``ids``); None for the single government or finance, or for a pool.
            dst_rows: the same for the receiving end.
            total: the kind-level amount, when the caller sums it otherwise than
                ``amounts.sum()`` (it must equal that sum up to rounding).
            src_ids: the sending ends' permanent ids, instead of rows (for agents that have
                left the model, such as a firm that closed).
            dst_ids: the same for the receiving ends.
        """
        amounts = np.asarray(amounts, dtype=np.float64)
        codes = self._codes(factor, src, dst)
        if amounts.size == 0:
            return
        whole = float(amounts.sum())
        if not (amounts.min() >= 0 and np.isfinite(whole)):
            bad = amounts[(amounts < 0) | ~np.isfinite(amounts)][0]
            raise ValueError(f"flow {factor} {src}->{dst} must be positive, got {bad}")
        nonzero = np.count_nonzero(amounts)
        if nonzero == 0:
            return
        total = whole if total is None else float(total)
        if total > 0:
            self._record_kind(codes, factor, total)
        if not self.pairs:
            return
        if nonzero < amounts.size:  # keep only the transfers that happened
            keep = np.flatnonzero(amounts)
            amounts = amounts[keep]
            src_rows = None if src_rows is None else np.asarray(src_rows)[keep]
            dst_rows = None if dst_rows is None else np.asarray(dst_rows)[keep]
            src_ids = None if src_ids is None else np.asarray(src_ids)[keep]
            dst_ids = None if dst_ids is None else np.asarray(dst_ids)[keep]
        else:
            amounts = amounts.copy()  # the caller may reuse its array
        src_end = self._end(src, src_rows) if src_ids is None else np.asarray(src_ids, np.int64)
        dst_end = self._end(dst, dst_rows) if dst_ids is None else np.asarray(dst_ids, np.int64)
        self._chunks.append((self.step, codes, src_end, dst_end, amounts))

    def _end(self, kind: str, rows: np.ndarray | None) -> np.ndarray | int:
        """The ids of one end: an array, or one id for every transfer (a single agent or a
        pool), expanded only when the ledger is read.
        """
        if rows is None:
            return 0 if kind in SINGLE else POOL
        return self.ids[kind](rows)

    def __len__(self) -> int:
        return len(self._amount)

    def totals(self, step: int) -> dict[str, float]:
        """Amount recorded in ``step`` by factor (reads only the ledger's tail)."""
        if step == self._latest_step:
            return dict(self._latest)
        out: dict[str, float] = {}
        i = len(self._step) - 1
        while i >= 0 and self._step[i] == step:
            name = FACTORS[self._factor[i]]
            out[name] = out.get(name, 0.0) + self._amount[i]
            i -= 1
        return out

    def frame(self) -> pd.DataFrame:
        """All records, summed per (step, factor, from_kind, to_kind)."""
        df = pd.DataFrame(
            {
                "step": np.asarray(self._step, dtype=np.int64),
                "factor": pd.Categorical.from_codes(self._factor, FACTORS),
                "from_kind": pd.Categorical.from_codes(self._src, KINDS),
                "to_kind": pd.Categorical.from_codes(self._dst, KINDS),
                "amount": np.asarray(self._amount, dtype=np.float64),
            }
        )
        df = df.groupby(["step", "factor", "from_kind", "to_kind"], observed=True, as_index=False)[
            "amount"
        ].sum()
        df["unit"] = df["factor"].map(UNITS).astype(str)
        return df

    @property
    def pair_records(self) -> int:
        """Number of records of the ledger by pair."""
        return sum(len(c[4]) for c in self._chunks)

    def pair_frame(self) -> pd.DataFrame:
        """Every record by pair of agents: :data:`PAIR_COLUMNS` plus ``unit``.

        Raises:
            ValueError: when the ledger keeps kinds only (``pairs=False``).
        """
        if not self.pairs:
            raise ValueError("this ledger keeps flows by kind only (pairs=False); allowed: "
                             "flows(by='kind')")
        n = np.array([len(c[4]) for c in self._chunks], dtype=np.int64)
        step = np.repeat(np.array([c[0] for c in self._chunks], dtype=np.int32), n)
        codes = np.array([c[1] for c in self._chunks], dtype=np.int8).reshape(-1, 3)
        amount = (np.concatenate([c[4] for c in self._chunks]) if self._chunks
                  else np.zeros(0))
        df = pd.DataFrame({
            "step": step,
            "factor": pd.Categorical.from_codes(np.repeat(codes[:, 0], n), FACTORS),
        })
        for end, col in (("from", 2), ("to", 3)):
            kind = np.repeat(codes[:, col - 1], n)
            ids = np.concatenate([np.broadcast_to(np.asarray(c[col], np.int64), len(c[4]))
                                  for c in self._chunks]) if self._chunks else \
                np.zeros(0, np.int64)
            chain = np.full(len(ids), POOL, np.int32)
            park = np.full(len(ids), POOL, np.int32)
            for name, places in self.places.items():
                hit = (kind == _KIND_CODE[name]) & (ids >= 0)
                if hit.any():
                    chain[hit], park[hit] = places(ids[hit])
            if "park" not in self.places:  # a park end is its own park
                hit = (kind == _KIND_CODE["park"]) & (ids >= 0)
                park[hit] = ids[hit]
            df[f"{end}_kind"] = pd.Categorical.from_codes(kind, KINDS)
            df[f"{end}_id"] = ids
            df[f"{end}_chain"] = chain
            df[f"{end}_park"] = park
        df["amount"] = amount
        df["unit"] = pd.Categorical(df["factor"].map(UNITS).astype(str))
        return df


def summarise(pairs: pd.DataFrame, by: str) -> pd.DataFrame:
    """The pair ledger summed by chain or by park of the two ends.

    Args:
        pairs: :meth:`FlowLedger.pair_frame`.
        by: ``chain`` or ``park``; an end without one (a pool, the government, an institute
            for chains) is :data:`POOL`.
    """
    keys = ["step", "factor", "from_kind", f"from_{by}", "to_kind", f"to_{by}"]
    out = pairs.groupby(keys, observed=True, as_index=False)["amount"].sum()
    out["unit"] = out["factor"].map(UNITS).astype(str)
    return out
