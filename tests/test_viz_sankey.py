import pandas as pd
import pytest

from model.ledger import FACTORS, KINDS
from viz.sankey import RECEIVER_MARK, recent_flows, sankey_chart
from viz.workshop import RunSettings, WorkshopModel


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


def test_sankey_links_senders_to_receivers():
    opt = sankey_chart(FLOWS, "capital", "en")
    s = opt["series"][0]
    links = {(lk["source"], lk["target"]): lk["value"] for lk in s["links"]}
    r = RECEIVER_MARK
    assert links == {("Government", f"Enterprises{r}"): 15.0, ("Enterprises", f"Finance{r}"): 7.0,
                     ("Enterprises", f"Institutes{r}"): 2.0}
    assert {n["name"] for n in s["data"]} == {"Government", "Enterprises", f"Enterprises{r}",
                                              f"Finance{r}", f"Institutes{r}"}
    assert "total 24 100m yuan" in opt["title"]["subtext"]


def test_a_kind_sending_to_itself_appears_on_both_sides():
    s = sankey_chart(FLOWS, "talent", "zh")["series"][0]
    pairs = {(lk["source"], lk["target"]) for lk in s["links"]}
    assert ("企业", f"企业{RECEIVER_MARK}") in pairs
    assert ("科研院所", f"企业{RECEIVER_MARK}") in pairs


def test_reference_total_in_what_if_mode():
    ref = ledger([(5, "capital", "government", "enterprise", 30.0)])
    assert "(Reference 30)" in sankey_chart(FLOWS, "capital", "en", ref)["title"]["subtext"]


def test_unknown_factor_is_refused():
    with pytest.raises(ValueError, match="allowed talent"):
        sankey_chart(FLOWS, "goodwill")


def test_every_factor_of_a_model_run_draws():
    m = WorkshopModel(RunSettings(enterprises=500), rng=0).replay(5)
    flows = m.flows()
    for factor in FACTORS:
        s = sankey_chart(flows, factor)["series"][0]
        expected = flows[(flows["step"] >= 1) & (flows["factor"] == factor)]["amount"].sum()
        assert sum(lk["value"] for lk in s["links"]) == pytest.approx(expected, rel=1e-3)


def test_no_flows_yet():
    m = WorkshopModel(RunSettings(enterprises=500), rng=0)
    opt = sankey_chart(m.flows(), "talent")
    assert opt["series"][0]["links"] == []
    assert opt["title"]["subtext"] == "Press Step or Play to simulate."
