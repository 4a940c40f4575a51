import functools

import numpy as np

from chainshift.model.contracts import edges
from chainshift.viz import contracts
from chainshift.viz.workshop import RunSettings, WorkshopModel


@functools.cache
def run() -> WorkshopModel:
    return WorkshopModel(RunSettings(enterprises=800), rng=2).replay(6)


def test_the_graph_holds_the_chains_live_contracts():
    m = run()
    e = edges(m.firms, m.institutes)
    chain = int(np.bincount(m.firms.chain[e.firm]).argmax())
    g = contracts.chain_contracts(m, chain, max_firms=10_000)
    mine = m.firms.chain[e.firm] == chain
    assert g.number_of_edges() == len({(int(a), int(b)) for a, b in zip(
        m.firms.slot[e.firm[mine]], m.institutes.slot[e.institute[mine]], strict=True)})
    firms = [n for n, d in g.nodes(data=True) if d["kind"] == "enterprise"]
    assert len(firms) == np.unique(e.firm[mine]).size
    assert all(g.degree(n) >= 1 for n in g)  # no node without a contract


def test_the_largest_holders_are_kept_when_the_chain_is_big():
    m = run()
    e = edges(m.firms, m.institutes)
    chain = int(np.bincount(m.firms.chain[e.firm]).argmax())
    g = contracts.chain_contracts(m, chain, max_firms=5)
    sizes = sorted((d["size"] for _, d in g.nodes(data=True) if d["kind"] == "enterprise"))
    held = np.unique(e.firm[m.firms.chain[e.firm] == chain])
    assert len(sizes) == 5
    np.testing.assert_allclose(sizes, np.sort(m.firms.va[held])[-5:])


def test_chart_draws_the_same_layout_twice_and_names_the_chain():
    m = run()
    a, b = contracts.network_chart(m, 0, "en"), contracts.network_chart(m, 0, "en")
    assert a == b
    series = a["series"][0]
    assert series["type"] == "graph" and len(series["links"]) > 0
    ids = {d["id"] for d in series["data"]}
    assert all(link["source"] in ids and link["target"] in ids for link in series["links"])
    assert m.config.chains[0].label_zh in contracts.network_chart(m, 0, "zh")["title"]["text"]
