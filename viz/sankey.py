"""A Sankey diagram of one innovation factor's flows over the last four quarters.

The flows come from the ledger (``model.flows()``) and run between kinds of agents.

The four factors have different units (persons, money), so one diagram shows one factor; the
dashboard offers all four. Money is shown in yuan (the ledger keeps 100 million yuan).

Each kind of agent is one node, named once. Flows within one kind (staff moving between
enterprises) cannot be drawn as a link to itself, so they are reported under the title.
When a kind both pays and receives (enterprises borrow from and repay banks), one node per
kind would make a cycle, which a Sankey cannot draw; only then are those kinds split into a
paying and a receiving node, each named with its role.
"""

from __future__ import annotations

import pandas as pd

from chainshift.model.ledger import FACTORS
from chainshift.viz.charts import rounded
from chainshift.viz.i18n import chain_label, money_text, tr

KIND_COLORS = {
    "enterprise": "#2b6cb0",
    "institute": "#6b46c1",
    "park": "#38a169",
    "government": "#c53030",
    "finance": "#b7791f",
}

MONEY = frozenset({"capital", "technology", "data"})
"""Factors the ledger keeps in 100 million yuan."""

WINDOW = 4
"""Quarters summed: the last year."""


def recent_flows(flows: pd.DataFrame, factor: str, window: int = WINDOW,
                 keys: tuple[str, ...] = ("from_kind", "to_kind")) -> pd.DataFrame:
    """``factor``'s flows summed by ``keys`` (by default (from_kind, to_kind)) over the last
    ``window`` recorded steps.

    Returns:
        DataFrame with the ``keys`` columns (kinds as strings) and amount (positive amounts
        only), largest first.
    """
    if flows.empty:
        return pd.DataFrame({**{k: [] for k in keys}, "amount": []})
    last = int(flows["step"].max())
    sel = flows[(flows["step"] > last - window) & (flows["factor"] == factor)]
    out = sel.groupby(list(keys), observed=True)["amount"].sum().reset_index()
    for k in ("from_kind", "to_kind"):
        out[k] = out[k].astype(str)
    out = out[out["amount"] > 0]
    return out.sort_values("amount", ascending=False).reset_index(drop=True)


def amount_text(factor: str, amount: float, lang: str, describe: bool = True) -> str:
    """An amount of a factor for people: persons, or yuan (with what the yuan measure)."""
    if factor not in MONEY:
        return f"{rounded(amount, 4):,.0f} 人" if lang == "zh" else \
            f"{rounded(amount, 4):,.0f} persons"
    text = money_text(amount, lang)
    what = tr(f"flowunit.{factor}", lang) if factor != "capital" and describe else ""
    if not what:
        return text
    return f"{text}（{what}）" if lang == "zh" else f"{text} {what}"


def _acyclic(links: list[tuple[str, str]]) -> bool:
    nodes = {n for link in links for n in link}
    incoming = {n: sum(1 for _, t in links if t == n) for n in nodes}
    ready = [n for n in nodes if incoming[n] == 0]
    seen = 0
    while ready:
        n = ready.pop()
        seen += 1
        for s, t in links:
            if s == n:
                incoming[t] -= 1
                if incoming[t] == 0:
                    ready.append(t)
    return seen == len(nodes)


def node_names(pairs: list[tuple[str, str]], lang: str) -> dict[tuple[str, str], str]:
    """The node name of each (kind, side) with side "from" or "to": a kind's own name, or,
    for the kinds a cycle forces apart, the name with its role.
    """
    split: set[str] = set()
    if not _acyclic(pairs):
        senders = {s for s, _ in pairs}
        split = {t for _, t in pairs if t in senders}
    out = {}
    for s, t in pairs:
        for kind, side in ((s, "from"), (t, "to")):
            name = tr(f"kind.{kind}", lang)
            if kind in split:
                role = tr(f"flows_{side}", lang)
                name = f"{name}（{role}）" if lang == "zh" else f"{name} ({role})"
            out[(kind, side)] = name
    return out


def sankey_chart(flows: pd.DataFrame, factor: str, lang: str = "en",
                 ref_flows: pd.DataFrame | None = None) -> dict:
    """ECharts Sankey option for ``factor``'s flows of the last year.

    In what-if mode the subtitle adds the reference run's total.
    """
    if factor not in FACTORS:
        raise ValueError(f"factor '{factor}': allowed {', '.join(FACTORS)}")
    agg = recent_flows(flows, factor)
    between = agg[agg["from_kind"] != agg["to_kind"]]
    within = agg[agg["from_kind"] == agg["to_kind"]]
    pairs = list(zip(between["from_kind"], between["to_kind"], strict=True))
    names = node_names(pairs, lang)
    nodes, links = {}, []
    for row in between.itertuples(index=False):
        source, target = names[(row.from_kind, "from")], names[(row.to_kind, "to")]
        add_link(nodes, links, (source, row.from_kind), (target, row.to_kind),
                 f"{source} → {target}", factor, float(row.amount), lang)
    notes = [tr("flows_within", lang).format(kind=tr(f"kind.{k}", lang).lower())
             + f"{colon(lang)}{amount_text(factor, float(a), lang, describe=False)}"
             for k, a in zip(within["from_kind"], within["amount"], strict=True)]
    if ref_flows is not None:
        ref_total = float(recent_flows(ref_flows, factor)["amount"].sum())
        notes.append(f"{tr('reference', lang)} {amount_text(factor, ref_total, lang, False)}")
    return sankey_option(tr("flows", lang), subtitle(factor, agg, notes, lang), factor, nodes,
                         links, lang)


def colon(lang: str) -> str:
    """The colon of a label: full-width in Chinese."""
    return "：" if lang == "zh" else ": "


def add_link(nodes: dict, links: list, source: tuple[str, str], target: tuple[str, str],
             label: str, factor: str, amount: float, lang: str) -> None:
    """Add a link from ``source`` to ``target``, each (node name, kind), and their nodes
    (coloured by kind, each named once); ``label`` opens the link's tooltip.
    """
    for name, kind in (source, target):
        nodes.setdefault(name, {"name": name, "itemStyle": {"color": KIND_COLORS[kind]}})
    links.append({"source": source[0], "target": target[0], "value": rounded(amount, 4),
                  "tooltip": {"formatter": f"{label}{colon(lang)}"
                              f"{amount_text(factor, amount, lang)}"}})


def subtitle(factor: str, agg: pd.DataFrame, notes: list[str], lang: str) -> str:
    """``Technology: total ...``, with the notes on a second line (one line would run out of
    the panel); before the first quarter, that nothing has run yet.
    """
    if not len(agg):
        return tr("not_started", lang)
    text = f"{tr(f'factor.{factor}', lang)}{colon(lang)}{tr('total', lang)} " \
           f"{amount_text(factor, float(agg['amount'].sum()), lang)}"
    if notes:
        text += "\n" + ("；" if lang == "zh" else "; ").join(notes)
    return text


def sankey_option(title: str, subtext: str, factor: str, nodes: dict, links: list, lang: str,
                  right: int = 150, node_width: int = 14, node_gap: int = 12,
                  font: int = 12) -> dict:
    """The ECharts option of a Sankey with these nodes and links."""
    return {
        "animation": False,
        "title": {"text": title, "subtext": subtext, "left": 0, "top": 0,
                  "textStyle": {"fontSize": 14}, "subtextStyle": {"lineHeight": 16}},
        "tooltip": {"trigger": "item"},
        "series": [{
            "type": "sankey", "name": tr(f"factor.{factor}", lang), "top": 80, "bottom": 16,
            "left": 8, "right": right, "nodeWidth": node_width,
            "nodeGap": node_gap, "draggable": False,
            "emphasis": {"focus": "adjacency"},
            "lineStyle": {"color": "gradient", "opacity": 0.45, "curveness": 0.5},
            "label": {"fontSize": font},
            "data": list(nodes.values()), "links": links,
        }],
    }

VIEWS = ("kind", "chain", "park")
"""What the Sankey's nodes are: kinds of agents, or the chains or parks of the two ends."""

TOP_LINKS = 20
"""Links drawn in the by-chain and by-park views; the rest are summed under the title."""


def grouped_flows(flows: pd.DataFrame, factor: str, by: str,
                  window: int = WINDOW) -> pd.DataFrame:
    """``factor``'s flows of ``model.flows(by=by)`` summed over the last ``window`` steps by
    (from_kind, from group, to_kind, to group), largest first.
    """
    return recent_flows(flows, factor, window, ("from_kind", f"from_{by}", "to_kind", f"to_{by}"))


def group_label(model, kind: str, group: int, by: str, lang: str) -> str:
    """A node's name: the chain or park of an end, or, for an end without one, its kind
    (enterprises outside parks are named so).
    """
    if group >= 0:
        if by == "chain":
            c = model.config.chains[group]
            return chain_label(c.name, c.label_zh, lang)
        from chainshift.viz.parkmap import park_name

        return park_name(model, group, lang)
    if by == "park" and kind == "enterprise":
        return tr("outside_parks", lang)
    return tr(f"kind.{kind}", lang)


def grouped_sankey_chart(model, flows: pd.DataFrame, factor: str, by: str,
                         lang: str = "en") -> dict:
    """ECharts Sankey of ``factor``'s flows of the last year between chains or parks.

    Senders stand on the left and receivers on the right (a chain both sends and receives
    talent, and a Sankey cannot draw a cycle); flows inside one chain or park, and the links
    beyond the :data:`TOP_LINKS` largest, are summed under the title.
    """
    if by not in VIEWS[1:]:
        raise ValueError(f"by '{by}': allowed chain, park")
    agg = grouped_flows(flows, factor, by)
    src, dst = f"from_{by}", f"to_{by}"
    same = (agg["from_kind"] == agg["to_kind"]) & (agg[src] == agg[dst]) & (agg[src] >= 0)
    between, within = agg[~same], float(agg.loc[same, "amount"].sum())
    drawn, rest = between.head(TOP_LINKS), float(between["amount"].iloc[TOP_LINKS:].sum())
    nodes, links = {}, []
    for row in drawn.itertuples(index=False):
        a = group_label(model, row.from_kind, int(getattr(row, src)), by, lang)
        b = group_label(model, row.to_kind, int(getattr(row, dst)), by, lang)
        add_link(nodes, links, (f"{a} ›", row.from_kind), (f"› {b}", row.to_kind), f"{a} → {b}",
                 factor, float(row.amount), lang)
    notes = []
    if within > 0:
        notes.append(tr(f"flows_within_{by}", lang) + colon(lang)
                     + amount_text(factor, within, lang, describe=False))
    if rest > 0:
        notes.append(tr("flows_rest", lang) + colon(lang)
                     + amount_text(factor, rest, lang, False))
    return sankey_option(tr(f"flows_by_{by}", lang), subtitle(factor, agg, notes, lang), factor,
                         nodes, links, lang, right=170, node_width=12, node_gap=6, font=11)
