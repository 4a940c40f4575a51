"""What each column of an output file holds: its unit and description, for every results folder.

Units travel with the data twice: in each Parquet file's schema (field metadata ``unit`` and
``description``, read with ``pyarrow.parquet.read_schema(path).field(name).metadata``) and in
the folder's data dictionary ``columns.csv`` (file, column, unit, description), which also
covers the CSV files.

Everything is derived from the model's own declarations, so a new indicator gets its unit
here without a change to this module:

- quarterly indicators: ``model.indicators.INDICATORS`` (description) and ``INDICATOR_UNITS``;
- yearly figures (``model.summary.annual``): the quarterly unit, with ``/quarter`` read as
  ``/year`` for the flows a year sums (``model.summary.FLOW_COLUMNS``);
- run outcomes (``innovation_share_2030``, ``value_added_end``, ...): the yearly unit of the
  indicator they are taken from;
- varied parameters (``policy.carbon_price``): the scenario schema's unit and help;
- the factor-flow ledger: ``model.ledger.UNITS`` (one unit per factor, in its ``unit`` column);
- indicators by chain: ``model.indicators.BY_CHAIN`` with the units of ``INDICATOR_UNITS``;
- firm snapshots: ``model.setup.FIRM_COLUMN_DOCS``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

DICTIONARY = "columns.csv"
"""The data dictionary of a results folder."""


@dataclass(frozen=True)
class Column:
    """A column's unit ('' when it has none, e.g. a name) and description."""

    unit: str
    description: str


RUN_IDS: dict[str, Column] = {
    "run_id": Column("", "position of the run in the plan (0, 1, ...)"),
    "point": Column("", "index of the design point"),
    "replication": Column("", "index of the replication at its design point"),
    "seed": Column("", "the run's random seed"),
}
"""Columns that identify a run (sweeps, sensitivity studies, comparisons)."""

FLOW_LEDGER: dict[str, Column] = {
    "step": Column("quarter", "quarter index from 0 at the first simulated quarter"),
    "factor": Column("", "innovation factor: talent, capital, technology or data"),
    "from_kind": Column("", "kind of agent the flow leaves"),
    "to_kind": Column("", "kind of agent the flow reaches"),
    "amount": Column("see unit column", "amount moved in the quarter, in the row's unit"),
    "unit": Column("", "unit of amount for the row's factor"),
}
"""Columns of the factor-flow ledger (``flows.parquet``)."""

FLOW_PAIRS: dict[str, Column] = {
    **FLOW_LEDGER,
    "from_kind": Column("", "kind of agent the transfer leaves"),
    "to_kind": Column("", "kind of agent the transfer reaches"),
    "from_id": Column("", "permanent id of the sending agent (an enterprise's or institute's "
                      "slot, a park's index, 0 for government and finance; -1: a pool, not "
                      "one agent)"),
    "to_id": Column("", "permanent id of the receiving agent (as from_id)"),
    "from_chain": Column("", "chain index of the sending end (order of scenario.toml's "
                         "chains; -1: none)"),
    "to_chain": Column("", "chain index of the receiving end (-1: none)"),
    "from_park": Column("", "park index of the sending end (-1: none, or outside parks)"),
    "to_park": Column("", "park index of the receiving end (-1: none, or outside parks)"),
    "amount": Column("see unit column", "amount of the transfer in the quarter, in the row's "
                     "unit"),
}
"""Columns of the flow ledger by pair of agents (``flows_by_agent.parquet``)."""


def quarterly(name: str) -> Column | None:
    """A quarterly indicator column, from ``model.indicators``."""
    from chainshift.model.indicators import INDICATOR_UNITS, INDICATORS

    if name not in INDICATORS:
        return None
    return Column(INDICATOR_UNITS.get(name, ""), INDICATORS[name])


def by_chain(name: str) -> Column | None:
    """A column of the indicators by chain (``indicators_by_chain.parquet``)."""
    from chainshift.model.indicators import BY_CHAIN, INDICATOR_UNITS

    if name not in BY_CHAIN:
        return None
    return Column(INDICATOR_UNITS.get(name, ""), BY_CHAIN[name])


def by_park(name: str) -> Column | None:
    """A column of the indicators by park (``indicators_by_park.parquet``)."""
    from chainshift.model.indicators import BY_PARK, INDICATOR_UNITS, PARK_UNITS

    if name not in BY_PARK:
        return None
    return Column(PARK_UNITS.get(name, INDICATOR_UNITS.get(name, "")), BY_PARK[name])


SNAPSHOT_IDS: dict[str, Column] = {
    "year": Column("year", "calendar year of the snapshot"),
    "quarter": Column("1-4", "quarter of the snapshot: 4, or the run's last quarter in a year "
                      "it stops early"),
    "step": Column("quarter", "quarter index of the snapshot from 0 at the first simulated "
                   "quarter"),
    "id": Column("", "the firm's permanent id (its slot; ids are never reused)"),
}
"""Columns that lead every row of a firm snapshot (``firms.parquet``)."""


def firm_column(name: str) -> Column | None:
    """A column of a firm snapshot: the snapshot's ids and the firm table's columns."""
    from chainshift.model.setup import FIRM_COLUMN_DOCS

    if name in SNAPSHOT_IDS:
        return SNAPSHOT_IDS[name]
    doc = FIRM_COLUMN_DOCS.get(name)
    return Column(*doc) if doc else None


def yearly_unit(name: str) -> str:
    """The unit of an indicator's yearly figure (``model.summary.annual``)."""
    from chainshift.model.indicators import INDICATOR_UNITS
    from chainshift.model.summary import FLOW_COLUMNS

    unit = INDICATOR_UNITS.get(name, "")
    return unit.replace("/quarter", "/year") if name in FLOW_COLUMNS else unit


def yearly(name: str) -> Column | None:
    """A column of ``model.summary.annual``: flows summed, counts at Q4, the rest averaged."""
    from chainshift.model.summary import FLOW_COLUMNS, STOCK_COLUMNS

    if name == "quarters":
        return Column("count", "quarters of the year simulated (4 for a full year)")
    base = quarterly(name)
    if base is None or name in ("step", "quarter"):
        return None
    how = ("sum over the year's quarters" if name in FLOW_COLUMNS else
           "at the year's last quarter" if name in STOCK_COLUMNS else
           "yearly figure" if name == "year" else "the year's figure")
    text = base.description if name == "year" else f"{base.description} ({how})"
    return Column(yearly_unit(name), text)


_OUTCOME = re.compile(r"(?P<col>.+)_(?P<when>end|\d{4})")


def outcome(name: str) -> Column | None:
    """A run outcome of ``model.summary.outcomes``."""
    if name == "innovation_year":
        return Column("year", "first year from which the yearly innovation share stays above "
                      "50% (empty if never)")
    if name == "emission_peak_year":
        return Column("year", "year of the highest yearly CO2 (the last year if still rising)")
    m = _OUTCOME.fullmatch(name)
    base = quarterly(m["col"]) if m else None
    if base is None:
        return None
    when = "in the last full year" if m["when"] == "end" else f"in {m['when']}"
    return Column(yearly_unit(m["col"]), f"{base.description}; yearly figure {when}")


def parameter(key: str) -> Column | None:
    """A scenario parameter by dotted key (``policy.coupling``, ``chains.nev.demand_growth``)."""
    from chainshift.scenarios.schema import SECTIONS, Chain, field_info

    parts = key.split(".")
    if len(parts) == 2 and parts[0] in SECTIONS and parts[1] in SECTIONS[parts[0]].model_fields:
        info = field_info(SECTIONS[parts[0]], parts[1])
    elif len(parts) == 3 and parts[0] == "chains" and parts[2] in Chain.model_fields:
        info = field_info(Chain, parts[2])
    else:
        return None
    return Column(info["unit"], f"parameter {key}: {info['help']}")


def run_column(name: str) -> Column | None:
    """A column of ``runs.parquet`` or ``plan.parquet``: ids, parameters, outcomes."""
    return RUN_IDS.get(name) or parameter(name) or outcome(name)


def timeseries_column(name: str) -> Column | None:
    """A column of the quarterly time series of many runs (sweep ``timeseries/``)."""
    return RUN_IDS.get(name) or quarterly(name)


def by_chain_column(name: str) -> Column | None:
    """A column of the indicators by chain of many runs (sweep ``indicators_by_chain``)."""
    return RUN_IDS.get(name) or by_chain(name)


Describe = Callable[[str], Column | None]


def described(frame: pd.DataFrame | Iterable[str], describe: Describe,
              extra: Mapping[str, Column] | None = None) -> dict[str, Column]:
    """Every column of ``frame`` with its unit and description ('' where none is known)."""
    names = list(frame.columns) if isinstance(frame, pd.DataFrame) else list(frame)
    extra = extra or {}
    return {n: extra.get(n) or describe(str(n)) or Column("", "") for n in names}


def with_metadata(table: pa.Table, columns: Mapping[str, Column]) -> pa.Table:
    """``table`` with each field's unit and description in its metadata."""
    fields = []
    for f in table.schema:
        col = columns.get(f.name)
        meta = dict(f.metadata or {})
        if col is not None:
            meta[b"unit"] = col.unit.encode()
            meta[b"description"] = col.description.encode()
        fields.append(f.with_metadata(meta))
    schema = pa.schema(fields, metadata=table.schema.metadata)
    return pa.Table.from_arrays(table.columns, schema=schema)


def write_parquet(frame: pd.DataFrame, path: Path, columns: Mapping[str, Column],
                  atomic: bool = False) -> None:
    """Write ``frame`` (no index) with units and descriptions in the Parquet schema.

    Args:
        frame: the table.
        path: the file.
        columns: unit and description by column (see :func:`described`).
        atomic: write a hidden temporary file first and rename it into place.
    """
    path = Path(path)
    table = with_metadata(pa.Table.from_pandas(frame, preserve_index=False), columns)
    target = path.parent / f".{path.name}.{os.getpid()}.tmp" if atomic else path
    try:
        pq.write_table(table, target)
        if atomic:
            os.replace(target, path)
    finally:
        if atomic:
            target.unlink(missing_ok=True)


def units_of(path: Path) -> dict[str, Column]:
    """The units and descriptions stored in a Parquet file's schema."""
    out = {}
    for f in pq.read_schema(path):
        meta = f.metadata or {}
        out[f.name] = Column(meta.get(b"unit", b"").decode(),
                             meta.get(b"description", b"").decode())
    return out


class Dictionary:
    """The data dictionary of a results folder, built file by file."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    @classmethod
    def read(cls, folder: Path) -> Dictionary:
        """The folder's columns.csv, to add files to (empty if there is none)."""
        d = cls()
        path = Path(folder) / DICTIONARY
        if path.exists():
            d.rows = pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")
        return d

    def add(self, file: str, columns: Mapping[str, Column]) -> None:
        """Record the columns of ``file`` (a path relative to the folder)."""
        self.rows = [r for r in self.rows if r["file"] != file]
        self.rows += [{"file": file, "column": name, "unit": c.unit,
                       "description": c.description} for name, c in columns.items()]

    def write(self, folder: Path) -> Path:
        """Write ``folder/columns.csv``; returns its path."""
        path = Path(folder) / DICTIONARY
        frame = pd.DataFrame(self.rows, columns=["file", "column", "unit", "description"])
        frame.to_csv(path, index=False)
        return path
