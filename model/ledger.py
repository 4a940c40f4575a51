"""The innovation-factor flow ledger.

Every transfer of talent, capital, technology or data is one record
``(step, factor, from_kind, to_kind, amount)``. Records are summed per step over agents of the
same kinds, so the ledger stays small (a few dozen rows a quarter) at any scale.

Units: talent in persons, capital in 100 million yuan, technology in 100 million yuan of
capacity (value added the transferred technology makes possible per quarter), data in 100
million yuan of digitalised value added (rise in digital level times the firm's value added).
"""

from __future__ import annotations

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


class FlowLedger:
    """Append-only ledger of factor flows with O(1) amortised appends."""

    def __init__(self) -> None:
        self._step: list[int] = []
        self._factor: list[int] = []
        self._src: list[int] = []
        self._dst: list[int] = []
        self._amount: list[float] = []
        self.step = 0
        self._latest_step: int | None = None  # the step of the newest record, and its totals
        self._latest: dict[str, float] = {}

    def add(self, factor: str, src: str, dst: str, amount: float) -> None:
        """Record one transfer this step. Zero amounts are skipped; negative ones are errors."""
        amount = float(amount)
        if amount == 0.0:
            return
        if not amount > 0.0:
            raise ValueError(f"flow {factor} {src}->{dst} must be positive, got {amount}")
        try:
            codes = _FACTOR_CODE[factor], _KIND_CODE[src], _KIND_CODE[dst]
        except KeyError as err:
            raise ValueError(
                f"flow {factor} {src}->{dst}: unknown {err}; allowed factors {FACTORS}, "
                f"kinds {KINDS}"
            ) from None
        self._step.append(self.step)
        self._factor.append(codes[0])
        self._src.append(codes[1])
        self._dst.append(codes[2])
        self._amount.append(amount)
        if self.step != self._latest_step:
            self._latest_step, self._latest = self.step, {}
        self._latest[factor] = self._latest.get(factor, 0.0) + amount

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
