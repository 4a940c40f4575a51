import numpy as np
import pytest

from chainshift.model.ledger import POOL, UNITS, FlowLedger, summarise


def test_ledger_sums_per_step_and_kind():
    led = FlowLedger()
    led.step = 0
    led.add("capital", "government", "enterprise", 2.0)
    led.add("capital", "government", "enterprise", 3.0)
    led.add("talent", "institute", "enterprise", 10.0)
    led.add("data", "park", "enterprise", 0.0)  # skipped
    led.step = 1
    led.add("capital", "government", "enterprise", 1.0)
    df = led.frame()
    assert len(df) == 3
    row = df[(df.step == 0) & (df.factor == "capital")]
    assert row.amount.item() == 5.0 and row.unit.item() == "100m yuan"


def test_ledger_rejects_negative_and_unknown():
    led = FlowLedger()
    with pytest.raises(ValueError):
        led.add("capital", "government", "enterprise", -1.0)
    with pytest.raises(ValueError):
        led.add("money", "government", "enterprise", 1.0)


def test_totals_of_the_last_step():
    led = FlowLedger()
    led.step = 0
    led.add("talent", "institute", "enterprise", 4.0)
    led.step = 1
    led.add("capital", "government", "enterprise", 2.0)
    led.add("capital", "finance", "enterprise", 3.0)
    led.add("data", "park", "enterprise", 1.5)
    assert led.totals(1) == {"capital": 5.0, "data": 1.5}
    assert led.totals(7) == {}


# -- by pair of agents ------------------------------------------------------------------------
def _ledger():
    """A ledger over a toy world: firm rows 0-2 have slots 10-12, chains 0, 1, 1, parks 5, -1, 5."""
    led = FlowLedger()
    slots = np.array([10, 11, 12])
    chain, park = np.array([0, 1, 1]), np.array([5, -1, 5])
    led.ids = {"enterprise": lambda rows: slots[rows], "park": lambda rows: np.asarray(rows)}
    led.places = {"enterprise": lambda ids: (chain[ids - 10], park[ids - 10])}
    return led


def test_pairs_name_both_ends_and_sum_to_the_kind_ledger():
    led = _ledger()
    led.step = 3
    led.add_pairs("capital", "government", "enterprise", np.array([1.0, 0.0, 2.5]),
                  dst_rows=np.arange(3))
    led.add_pairs("capital", "enterprise", "finance", np.array([0.5, 0.25, 0.0]),
                  src_rows=np.arange(3))
    led.add_pairs("data", "park", "enterprise", np.array([0.2, 0.3]),
                  src_rows=np.array([5, 7]), dst_rows=np.array([0, 2]))
    led.add("talent", "institute", "enterprise", 4.0)  # from the pool to the pool
    pairs = led.pair_frame()
    assert len(pairs) == 2 + 2 + 2 + 1 and led.pair_records == 7
    gov = pairs[pairs["from_kind"] == "government"]
    assert gov["to_id"].tolist() == [10, 12] and gov["amount"].tolist() == [1.0, 2.5]
    assert gov["from_id"].tolist() == [0, 0] and gov["to_chain"].tolist() == [0, 1]
    assert gov["to_park"].tolist() == [5, 5]
    paid = pairs[pairs["to_kind"] == "finance"]
    assert paid["from_id"].tolist() == [10, 11] and paid["from_park"].tolist() == [5, POOL]
    data = pairs[pairs["factor"] == "data"]
    assert data["from_park"].tolist() == [5, 7] and data["from_chain"].tolist() == [POOL, POOL]
    pool = pairs[pairs["factor"] == "talent"]
    assert pool[["from_id", "to_id"]].values.tolist() == [[POOL, POOL]]
    by_kind = pairs.groupby(["step", "factor", "from_kind", "to_kind"], observed=True)[
        "amount"].sum().reset_index()
    merged = led.frame().merge(by_kind, on=["step", "factor", "from_kind", "to_kind"])
    assert len(merged) == len(led.frame()) == 4
    np.testing.assert_allclose(merged["amount_x"], merged["amount_y"])
    assert (pairs["unit"].astype(str) == pairs["factor"].map(UNITS)).all()


def test_summaries_by_chain_and_park():
    led = _ledger()
    led.step = 0
    led.add_pairs("capital", "government", "enterprise", np.array([1.0, 2.0, 4.0]),
                  dst_rows=np.arange(3))
    by_chain = summarise(led.pair_frame(), "chain")
    assert dict(zip(by_chain["to_chain"], by_chain["amount"], strict=True)) == {0: 1.0, 1: 6.0}
    by_park = summarise(led.pair_frame(), "park")
    assert dict(zip(by_park["to_park"], by_park["amount"], strict=True)) == {POOL: 2.0, 5: 5.0}


def test_an_explicit_total_is_the_kind_amount_and_bad_pairs_are_refused():
    led = _ledger()
    led.add_pairs("capital", "government", "enterprise", np.array([0.1, 0.2]),
                  dst_rows=np.arange(2), total=0.30000000000000004)
    assert led.totals(0) == {"capital": 0.30000000000000004}
    with pytest.raises(ValueError, match="must be positive"):
        led.add_pairs("capital", "government", "enterprise", np.array([1.0, -1.0]),
                      dst_rows=np.arange(2))
    with pytest.raises(ValueError, match="must be positive"):
        led.add_pairs("capital", "government", "enterprise", np.array([np.nan]),
                      dst_rows=np.arange(1))
    led.add_pairs("capital", "government", "enterprise", np.zeros(3), dst_rows=np.arange(3))
    assert led.pair_records == 2  # the zeros added nothing


def test_a_ledger_by_kind_only_keeps_no_pairs_and_says_so():
    led = FlowLedger(pairs=False)
    led.add_pairs("capital", "government", "enterprise", np.array([1.0]), dst_rows=np.arange(1))
    assert led.frame()["amount"].tolist() == [1.0] and led.pair_records == 0
    with pytest.raises(ValueError, match="by kind only"):
        led.pair_frame()
