"""A network view of one chain's institute-firm contracts.

Nodes are the chain's firms that hold a contract (sized by value added) and the institutes
they hold it with (sized by their number of partners in the chain); edges are the live
contracts (:func:`model.contracts.edges`). Positions come from networkx's spring layout with
a fixed seed, so the same state draws the same picture.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from chainshift.model.contracts import edges
from chainshift.viz.i18n import chain_label, tr
from chainshift.viz.sankey import KIND_COLORS

MAX_FIRMS = 150
"""Firms drawn: the chain's largest contract holders by value added (a readable picture)."""


def chain_contracts(model, chain: int, max_firms: int = MAX_FIRMS) -> nx.Graph:
    """The contract graph of ``chain``: nodes ``("firm", slot)`` and ``("institute", slot)``
    with attributes ``kind``, ``size`` and ``park``; one edge per live contract.
    """
    f, inst = model.firms, model.institutes
    e = edges(f, inst)
    mine = f.chain[e.firm] == chain
    firm_rows, inst_rows = e.firm[mine], e.institute[mine]
    keep = np.unique(firm_rows)
    if keep.size > max_firms:
        keep = keep[np.argsort(-f.va[keep], kind="stable")[:max_firms]]
        sel = np.isin(firm_rows, keep)
        firm_rows, inst_rows = firm_rows[sel], inst_rows[sel]
    g = nx.Graph()
    for r in np.unique(firm_rows).tolist():
        g.add_node(("firm", int(f.slot[r])), kind="enterprise", size=float(f.va[r]),
                   park=int(f.park[r]))
    degree = np.bincount(inst_rows, minlength=len(inst))
    for r in np.unique(inst_rows).tolist():
        g.add_node(("institute", int(inst.slot[r])), kind="institute", size=float(degree[r]),
                   park=int(inst.park[r]))
    g.add_edges_from(zip((("firm", int(s)) for s in f.slot[firm_rows]),
                         (("institute", int(s)) for s in inst.slot[inst_rows]), strict=True))
    return g


def network_chart(model, chain: int, lang: str = "en") -> dict:
    """ECharts graph option of :func:`chain_contracts`, laid out by networkx."""
    g = chain_contracts(model, chain)
    c = model.config.chains[chain]
    title = tr("contracts_of", lang).format(chain=chain_label(c.name, c.label_zh, lang))
    pos = nx.spring_layout(g, seed=0) if len(g) else {}
    firms = [n for n, d in g.nodes(data=True) if d["kind"] == "enterprise"]
    top = max((g.nodes[n]["size"] for n in firms), default=1.0) or 1.0
    data = []
    for n, d in g.nodes(data=True):
        x, y = pos[n]
        if d["kind"] == "enterprise":
            size = 5 + 15 * np.sqrt(d["size"] / top)
            name = f"{tr('kind.enterprise', lang)} {n[1]}"
        else:
            size = 8 + 3 * np.sqrt(d["size"])
            name = f"{tr('kind.institute', lang)} {n[1]}"
        data.append({"id": f"{n[0]}-{n[1]}", "name": name, "x": round(float(x) * 400, 1),
                     "y": round(float(y) * 400, 1), "symbolSize": round(float(size), 1),
                     "itemStyle": {"color": KIND_COLORS[d["kind"]]}})
    links = [{"source": f"{a[0]}-{a[1]}", "target": f"{b[0]}-{b[1]}"} for a, b in g.edges()]
    n_inst = len(g) - len(firms)
    sub = (f"{len(firms)} {tr('kind.enterprise', lang)} · {n_inst} "
           f"{tr('kind.institute', lang)} · {g.number_of_edges()} {tr('contracts', lang)}")
    return {
        "animation": False,
        "title": {"text": title, "subtext": sub, "left": 0, "top": 0,
                  "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item"},
        "series": [{
            "type": "graph", "layout": "none", "roam": True, "top": 60, "bottom": 10,
            "data": data, "links": links,
            "lineStyle": {"color": "#a0aec0", "opacity": 0.6, "width": 1},
            "emphasis": {"focus": "adjacency"},
        }],
    }
