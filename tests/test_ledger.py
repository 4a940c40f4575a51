import pytest

from chainshift.model.ledger import FlowLedger


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
