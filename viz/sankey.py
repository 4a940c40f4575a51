"""A Sankey diagram of one innovation factor's flows over the last four quarters.

The flows come from the ledger (``model.flows()``) and run between kinds of agents.

The four factors have different units (persons, 100 million yuan, ...), so one diagram shows
one factor; the dashboard offers all four. Senders stand on the left, receivers on the right:
a kind that both sends and receives (enterprises hire each other's staff) appears on both sides.
"""

from __future__ import annotations

import pandas as pd

from model.ledger import FACTORS, UNITS
from viz.charts import rounded
from viz.i18n import tr, unit_label

KIND_COLORS = {
    "enterprise": "#2b6cb0",
    "institute": "#6b46c1",
    "park": "#38a169",
    "government": "#c53030",
    "finance": "#b7791f",
}

RECEIVER_MARK = "\u200b"
"""Appended to a receiver's node name so that it differs from the same kind as sender
(ECharts needs unique node names and no cycles); it is invisible."""

WINDOW = 4
"""Quarters summed: the last year."""


def recent_flows(flows: pd.DataFrame, factor: str, window: int = WINDOW) -> pd.DataFrame:
    """``factor``'s flows summed by (from_kind, to_kind) over the last ``window`` recorded steps.

    Returns:
        DataFrame with columns from_kind, to_kind, amount (positive amounts only), largest first.
    """
    if flows.empty:
        return pd.DataFrame({"from_kind": [], "to_kind": [], "amount": []})
    last = int(flows["step"].max())
    sel = flows[(flows["step"] > last - window) & (flows["factor"] == factor)]
    out = (sel.groupby(["from_kind", "to_kind"], observed=True)["amount"].sum()
           .reset_index())
    out["from_kind"] = out["from_kind"].astype(str)
    out["to_kind"] = out["to_kind"].astype(str)
    out = out[out["amount"] > 0]
    return out.sort_values("amount", ascending=False).reset_index(drop=True)


def sankey_chart(flows: pd.DataFrame, factor: str, lang: str = "en",
                 ref_flows: pd.DataFrame | None = None) -> dict:
    """ECharts Sankey option for ``factor``'s flows of the last year.

    In what-if mode the subtitle adds the reference run's total.
    """
    if factor not in FACTORS:
        raise ValueError(f"factor '{factor}': allowed {', '.join(FACTORS)}")
    agg = recent_flows(flows, factor)
    unit = unit_label(UNITS[factor], lang)
    nodes, links = [], []
    seen = set()

    def node(kind: str, receiver: bool) -> str:
        name = tr(f"kind.{kind}", lang) + (RECEIVER_MARK if receiver else "")
        if name not in seen:
            seen.add(name)
            nodes.append({"name": name, "itemStyle": {"color": KIND_COLORS[kind]}})
        return name

    for row in agg.itertuples(index=False):
        links.append({"source": node(row.from_kind, False), "target": node(row.to_kind, True),
                      "value": rounded(float(row.amount), 4)})
    total = float(agg["amount"].sum())
    subtitle = f"{tr(f'factor.{factor}', lang)}: {tr('total', lang)} {rounded(total, 4):,g} {unit}"
    if ref_flows is not None:
        ref_total = float(recent_flows(ref_flows, factor)["amount"].sum())
        subtitle += f"  ({tr('reference', lang)} {rounded(ref_total, 4):,g})"
    if not links:
        subtitle = tr("not_started", lang)
    return {
        "animation": False,
        "title": {"text": tr("flows", lang), "subtext": subtitle, "left": 0, "top": 0,
                  "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item"},
        "series": [{
            "type": "sankey", "name": tr(f"factor.{factor}", lang), "top": 64, "bottom": 16,
            "left": 8, "right": 110, "nodeWidth": 14, "nodeGap": 12, "draggable": False,
            "emphasis": {"focus": "adjacency"},
            "lineStyle": {"color": "gradient", "opacity": 0.45, "curveness": 0.5},
            "label": {"fontSize": 12},
            "data": nodes, "links": links,
        }],
    }
