"""Derive ``supplier_coefficients.csv`` from China's 2020 input-output table (153 sectors).

Source: National Bureau of Statistics of China, 2020 input-output table, 153 sectors, producers'
prices, 10,000 yuan (competitive-import table). Read here from the ``china_2020_153`` data set
of the ``ionet`` R package (Carol-seven/ionet, ``data/china_2020_153.rda``), which transcribes
the NBS table; any copy with the same layout (rows and columns coded 001-153, columns ``TIU``,
``TFU``, ``EX``, ``IM``, ``GO``, row ``TVA``) works.

Usage, in the installed project (needs ``pyreadr`` for an .rda file, or pandas for a .csv
export)::

    python scenarios/data/derive_supplier_coefficients.py china_2020_153.rda \
        > scenarios/data/supplier_coefficients.csv

What it computes. The 153 sectors are first summed into the eleven chains, with ``w_ci`` chain
c's share of sector i (a sector belongs to one chain, or is shared by an established chain and
its strategic-emerging twin -- vehicles, equipment, materials -- in proportion to their
value-added shares in Chongqing, ``scenarios/schema.py``):

    Z_sc = sum_{i, j} w_si d_i Z_ij w_cj,   GO_c = sum_i w_ci GO_i,   VA_c = sum_i w_ci VA_i,

with ``Z_ij`` sector i's output used by sector j and
``d_i = 1 - IM_i / (TIU_i + TFU_i - EX_i)`` the domestically made share of what sector i
supplies (the table counts imports in ``Z``). Then for supplier chain ``s`` and buyer chain
``c`` (``s != c``)

    b_sc = m_s Z_sc / VA_c,   m_s = (VA_s / GO_s) / (1 - Z_ss / GO_s),

``m_s`` the value added of chain s in a unit of its output, its own earlier stages included
(steel in the metal products a carmaker buys): the model's firms produce value added, and
what a chain buys from its own firms is inside its value added. ``b_sc`` is yuan of supplier
chain s's value added per yuan of buyer chain c's value added, at 2020 prices. What the
suppliers buy from third chains reaches those through the suppliers' own output in the
model, not through this coefficient. Sectors outside the eleven chains (farming, mining,
power, construction, services) are not Chongqing's industrial firms and are left out.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from chainshift.scenarios.schema import default_chains

CHAINS_OF_SECTORS = {
    # chain(s) sharing the sectors: sector codes of the 153-sector table
    ("automobile", "nev"): ["079", "080"],
    ("nev",): ["087"],
    ("electronics",): ["090", "091", "092", "093", "095"],
    ("ic_display",): ["094"],
    ("equipment", "smart_equipment"): [
        "067", "068", "069", "070", "071", "072", "073", "074", "075", "076", "078",
        "081", "082", "083", "084", "085", "086", "088", "089", "096", "099"],
    ("materials", "new_materials"): [
        "052", "053", "054", "055", "056", "057", "058", "059", "060", "061", "062", "063",
        "064", "065", "066"],
    ("consumer_goods",): [f"{k:03d}" for k in range(13, 41)] + ["049", "097", "098"],
    ("biomedicine",): ["050", "077"],
    ("energy_chemicals",): ["041", "042", "043", "044", "045", "046", "047", "048", "051"],
}

CHAIN_ORDER = [c.name for c in default_chains()]
VA_SHARE = {c.name: c.va_share for c in default_chains()}  # Chongqing's value-added shares


def read_table(path: str) -> pd.DataFrame:
    """The table as a frame with a ``Code`` column (an .rda via pyreadr, else a .csv)."""
    if path.endswith(".rda") or path.endswith(".RData"):
        import pyreadr

        return next(iter(pyreadr.read_r(path).values()))
    return pd.read_csv(path, dtype={"Code": str})


def weights(codes: list[str]) -> np.ndarray:
    """``w[c, i]``: chain c's share of sector i."""
    w = np.zeros((len(CHAIN_ORDER), len(codes)))
    index = {code: k for k, code in enumerate(codes)}
    for chains, sectors in CHAINS_OF_SECTORS.items():
        total = sum(VA_SHARE[c] for c in chains)
        for chain in chains:
            for sector in sectors:
                w[CHAIN_ORDER.index(chain), index[sector]] = VA_SHARE[chain] / total
    return w


def coefficients(table: pd.DataFrame) -> pd.DataFrame:
    """``b_sc`` for every pair of different chains with a positive flow (module docstring)."""
    codes = [c for c in table["Code"] if c.isdigit()]
    rows = table.set_index("Code")
    z = rows.loc[codes, codes].to_numpy(float)
    va = rows.loc["TVA", codes].to_numpy(float)
    use = rows.loc[codes, ["TIU", "TFU", "EX", "IM", "GO"]].to_numpy(float)
    domestic = 1.0 - use[:, 3] / (use[:, 0] + use[:, 1] - use[:, 2])
    w = weights(codes)
    z_chain = w @ (domestic[:, None] * z) @ w.T  # [supplier chain, buyer chain]
    go_chain, va_chain = w @ use[:, 4], w @ va
    content = (va_chain / go_chain) / (1.0 - np.diag(z_chain) / go_chain)
    b = content[:, None] * z_chain / va_chain[None, :]
    out = [
        (s, c, b[i, j])
        for j, c in enumerate(CHAIN_ORDER)
        for i, s in enumerate(CHAIN_ORDER)
        if i != j and b[i, j] > 0
    ]
    return pd.DataFrame(out, columns=["supplier", "buyer", "coefficient"])


def main(argv: list[str]) -> None:
    """Write the coefficients, with unit and source, as CSV to standard output."""
    frame = coefficients(read_table(argv[1]))
    frame["coefficient"] = frame["coefficient"].round(4)
    frame = frame[frame["coefficient"] > 0]
    frame["unit"] = "yuan of supplier value added per yuan of buyer value added"
    frame["source"] = ("NBS China 2020 input-output table, 153 sectors "
                       "(derive_supplier_coefficients.py)")
    frame.to_csv(sys.stdout, index=False, lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv)
