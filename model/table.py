"""Struct-of-arrays storage for one agent type.

Each attribute is one numpy column; row ``i`` of every column is one agent. Agents keep a
permanent *slot*; ``row_of[slot]`` says where that agent's row is now, so removing rows
is one vectorised step and agent objects never need updating.
"""

from __future__ import annotations

import numpy as np


class Table:
    """Columns of equal length with append and removal of rows.

    Columns of one dtype are the rows of one 2-D block, so a removal moves every column of a
    dtype with one indexing operation.

    Args:
        columns: mapping of column name to dtype.
        capacity: rows to reserve.
    """

    def __init__(self, columns: dict[str, np.dtype | type], capacity: int = 16):
        self._dtypes = {k: np.dtype(v) for k, v in columns.items()}
        self._groups: dict[np.dtype, list[str]] = {}
        for k, t in self._dtypes.items():
            self._groups.setdefault(t, []).append(k)
        self.n = 0
        self._cap = 0
        self._blocks: dict[np.dtype, np.ndarray] = {}
        self._data: dict[str, np.ndarray] = {}
        self._allocate(max(int(capacity), 16))
        self._slot = np.zeros(self._cap, dtype=np.int64)
        self.row_of = np.full(self._cap, -1, dtype=np.int64)
        self._next_slot = 0
        self._refresh_views()

    def __len__(self) -> int:
        return self.n

    def __setattr__(self, name: str, value) -> None:
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            if value is self.__dict__[name]:  # updated in place (``t.x += ...``)
                return
            data[name][: self.n] = value  # write into storage; the view in __dict__ sees it
        else:
            super().__setattr__(name, value)

    def _allocate(self, cap: int) -> None:
        """(Re)allocate the blocks with room for ``cap`` rows, keeping the live rows."""
        for dtype, names in self._groups.items():
            block = np.zeros((len(names), cap), dtype=dtype)
            old = self._blocks.get(dtype)
            if old is not None:
                block[:, : self.n] = old[:, : self.n]
            self._blocks[dtype] = block
            for i, name in enumerate(names):
                self._data[name] = block[i]
        self._cap = cap

    def _refresh_views(self) -> None:
        """Expose each column's live rows as a plain attribute (fast reads on hot paths)."""
        for k, arr in self._data.items():
            self.__dict__[k] = arr[: self.n]

    @property
    def slot(self) -> np.ndarray:
        """Permanent slot of each row's agent."""
        return self._slot[: self.n]

    @property
    def columns(self) -> list[str]:
        """Column names."""
        return list(self._dtypes)

    def _grow(self, need: int) -> None:
        if need <= self._cap:
            return
        cap = max(need, int(self._cap * 1.5))
        self._allocate(cap)
        slot = np.zeros(cap, dtype=np.int64)
        slot[: self.n] = self._slot[: self.n]
        self._slot = slot

    def append(self, values: dict[str, np.ndarray | float], count: int) -> np.ndarray:
        """Append ``count`` rows; columns not given are zero.

        Returns:
            The new rows' slots.
        """
        self._grow(self.n + count)
        lo, hi = self.n, self.n + count
        for block in self._blocks.values():  # rows freed by drop() keep their old values
            block[:, lo:hi] = 0
        for k, v in values.items():
            self._data[k][lo:hi] = v
        slots = np.arange(self._next_slot, self._next_slot + count, dtype=np.int64)
        self._slot[lo:hi] = slots
        self._next_slot += count
        if self._next_slot > len(self.row_of):
            row_of = np.full(max(self._next_slot, 2 * len(self.row_of)), -1, dtype=np.int64)
            row_of[: len(self.row_of)] = self.row_of
            self.row_of = row_of
        self.row_of[slots] = np.arange(lo, hi)
        self.n = hi
        self._refresh_views()
        return slots

    def drop(self, dead: np.ndarray) -> np.ndarray:
        """Remove the rows ``dead`` (distinct, ascending).

        The last surviving rows are moved into the holes (swap-remove), so the cost grows with
        the number of rows removed, not with the table size; row order is not kept.

        Returns:
            The removed rows' slots.
        """
        if dead.size == 0:
            return dead.astype(np.int64)
        gone = self._slot[dead].copy()
        m = self.n - dead.size
        holes = dead[dead < m]
        survives = np.ones(self.n - m, dtype=bool)  # of the tail rows m..n-1
        survives[dead[dead >= m] - m] = False
        movers = np.flatnonzero(survives) + m
        for block in self._blocks.values():
            block[:, holes] = block[:, movers]
        self._slot[holes] = self._slot[movers]
        self.row_of[gone] = -1
        self.row_of[self._slot[holes]] = holes
        self.n = m
        self._refresh_views()
        return gone

    def row(self, slot: int) -> int:
        """Current row of an agent's slot.

        Raises:
            LookupError: when the agent has left the model.
        """
        r = int(self.row_of[slot]) if slot < len(self.row_of) else -1
        if r < 0:
            raise LookupError(f"agent slot {slot} is no longer in the model")
        return r


class Column:
    """Descriptor exposing one table column as an agent attribute (``enterprise.tfp``)."""

    def __init__(self, column: str, doc: str = ""):
        self.column = column
        self.__doc__ = doc

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        table = agent.table
        value = table._data[self.column][table.row(agent.slot)]
        return value.item()

    def __set__(self, agent, value):
        table = agent.table
        table._data[self.column][table.row(agent.slot)] = value
