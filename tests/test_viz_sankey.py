import pandas as pd
import pytest

from chainshift.model.ledger import FACTORS, KINDS
from chainshift.viz import sankey
from chainshift.viz.sankey import recent_flows, sankey_chart
from chainshift.viz.workshop import RunSettings, WorkshopModel


def ledger(rows) -> pd.DataFrame:
    """A flow frame as ``model.flows()`` returns it."""
    df = pd.DataFrame(rows, columns=["step", "factor", "from_kind", "to_kind", "amount"])
    df["factor"] = pd.Categorical(df["factor"], FACTORS)
    df["from_kind"] = pd.Categorical(df["from_kind"], KINDS)
    df["to_kind"] = pd.Categorical(df["to_kind"], KINDS)
    df["unit"] = "x"
    return df


FLOWS = ledger([
    (0, "capital", "government", "enterprise", 100.0),   # too old: steps 2-5 are the last year
    (2, "capital", "government", "enterprise", 10.0),
    (3, "capital", "government", "enterprise", 5.0),
    (5, "capital", "enterprise", "finance", 7.0),
    (5, "capital", "enterprise", "institute", 2.0),
    (5, "talent", "enterprise", "enterprise", 3.0),
    (4, "talent", "institute", "enterprise", 40.0),
])


def test_recent_flows_sum_the_last_four_steps_by_pair():
    agg = recent_flows(FLOWS, "capital")
    got = {(r.from_kind, r.to_kind): r.amount for r in agg.itertuples()}
    assert got == {("government", "enterprise"): 15.0, ("enterprise", "finance"): 7.0,
                   ("enterprise", "institute"): 2.0}
    assert list(agg["amount"]) == [15.0, 7.0, 2.0]


def test_sankey_links_senders_to_receivers_each_node_named_once():
    opt = sankey_chart(FLOWS, "capital", "en")
    s = opt["series"][0]
    links = {(lk["source"], lk["target"]): lk["value"] for lk in s["links"]}
    assert links == {("Government", "Enterprises"): 15.0, ("Enterprises", "Finance"): 7.0,
                     ("Enterprises", "Institutes"): 2.0}
    names = [n["name"] for n in s["data"]]
    assert sorted(names) == ["Enterprises", "Finance", "Government", "Institutes"]
    assert len(names) == len(set(names))


def test_money_is_in_yuan():
    opt = sankey_chart(FLOWS, "capital", "en")
    assert opt["title"]["subtext"] == "Capital: total 2.4 billion yuan"
    assert "100m" not in str(opt)
    tips = [lk["tooltip"]["formatter"] for lk in opt["series"][0]["links"]]
    assert "Government → Enterprises: 1.5 billion yuan" in tips
    assert sankey_chart(FLOWS, "capital", "zh")["title"]["subtext"] == "资本：合计 24 亿元"


def test_flows_within_a_kind_are_told_under_the_title():
    opt = sankey_chart(FLOWS, "talent", "zh")
    pairs = {(lk["source"], lk["target"]) for lk in opt["series"][0]["links"]}
    assert pairs == {("科研院所", "企业")}
    assert opt["title"]["subtext"] == "人才：合计 43 人\n企业内部：3 人"
    assert sankey_chart(FLOWS, "talent")["title"]["subtext"].endswith(
        "\nwithin enterprises: 3 persons")


def test_a_cycle_splits_only_the_kinds_in_it_and_names_their_roles():
    both_ways = ledger([(5, "capital", "finance", "enterprise", 5.0),
                        (5, "capital", "enterprise", "finance", 3.0),
                        (5, "capital", "government", "enterprise", 1.0)])
    s = sankey_chart(both_ways, "capital", "en")["series"][0]
    names = sorted(n["name"] for n in s["data"])
    assert names == ["Enterprises (receiving)", "Enterprises (sending)", "Finance (receiving)",
                     "Finance (sending)", "Government"]
    assert len(names) == len(set(names))


def test_reference_total_in_what_if_mode():
    ref = ledger([(5, "capital", "government", "enterprise", 30.0)])
    assert sankey_chart(FLOWS, "capital", "en", ref)["title"]["subtext"].endswith(
        "\nReference 3 billion yuan")


def test_unknown_factor_is_refused():
    with pytest.raises(ValueError, match="allowed talent"):
        sankey_chart(FLOWS, "goodwill")


def test_every_factor_of_a_model_run_draws():
    m = WorkshopModel(RunSettings(enterprises=500), rng=0).replay(5)
    flows = m.flows()
    for factor in FACTORS:
        s = sankey_chart(flows, factor)["series"][0]
        expected = flows[(flows["step"] >= 1) & (flows["factor"] == factor)]["amount"].sum()
        own = flows[(flows["step"] >= 1) & (flows["factor"] == factor)
                    & (flows["from_kind"] == flows["to_kind"])]["amount"].sum()
        assert sum(lk["value"] for lk in s["links"]) == pytest.approx(expected - own, rel=1e-3)


def test_no_flows_yet():
    m = WorkshopModel(RunSettings(enterprises=500), rng=0)
    opt = sankey_chart(m.flows(), "talent")
    assert opt["series"][0]["links"] == []
    assert opt["title"]["subtext"] == "Press Step or Play to simulate."


def test_flows_between_chains_and_parks_of_a_run():
    from chainshift.viz.workshop import RunSettings, WorkshopModel

    m = WorkshopModel(RunSettings(enterprises=600), rng=4).replay(4)
    for by in ("chain", "park"):
        frame = m.flow_frame(by)
        opt = sankey.grouped_sankey_chart(m, frame, "talent", by, "en")
        series = opt["series"][0]
        names = {d["name"] for d in series["data"]}
        assert all(link["source"] in names and link["target"] in names
                   for link in series["links"])
        assert all(link["source"].endswith(" ›") and link["target"].startswith("› ")
                   for link in series["links"])  # senders left, receivers right: no cycle
        assert 0 < len(series["links"]) <= sankey.TOP_LINKS
        drawn = sum(link["value"] for link in series["links"])
        total = sankey.grouped_flows(frame, "talent", by)["amount"].sum()
        assert drawn <= total * (1 + 1e-6)
    assert "Outside parks" in str(sankey.grouped_sankey_chart(m, m.flow_frame("park"),
                                                              "talent", "park", "en"))


def test_grouped_view_must_be_chain_or_park():
    with pytest.raises(ValueError, match="allowed chain, park"):
        sankey.grouped_sankey_chart(None, pd.DataFrame(), "talent", "kind")
