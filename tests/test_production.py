import numpy as np
import pytest

from chainshift.model.production import (
    capacity,
    ceiling,
    effective_tfp,
    emissions,
    employ,
    energy_use,
    factor_ratio,
    kappa_power,
    park_kept,
    produce,
    ration_energy,
    serve_overflow,
)


def test_factor_ratio_is_the_cost_minimising_mix():
    # alpha 0.5: kappa = w / u
    assert factor_ratio(3.0, np.array([1.5]), 0.5)[0] == pytest.approx(2.0)


def test_kappa_power_equals_the_direct_power():
    u = np.array([0.03, 0.03, 0.02, 0.025])
    direct = factor_ratio(3e-4, u, 0.45) ** -0.55
    assert kappa_power(3e-4, u, 0.03, 0.45, -0.55) == pytest.approx(direct)


def test_capacity_uses_capital_at_the_cost_minimising_labour():
    # A' = 2, K = 16, kappa = 4, alpha = 0.5: L = K / kappa = 4, Y = 2 sqrt(16) sqrt(4) = 16
    assert capacity(np.array([2.0]), np.array([16.0]), np.array([4.0]), 0.5)[0] == \
        pytest.approx(16.0)


def test_produce_meets_demand_below_capacity_and_caps_it_above():
    a, k, kappa = np.full(3, 2.0), np.full(3, 16.0), np.full(3, 4.0)
    labour = np.array([4.0, 4.0, 1.0])
    y, workers, z = produce(np.array([8.0, 20.0, 20.0]), a, k, labour, kappa, 0.5, 0.5)
    # output per worker at the cost-minimising mix: 2 * 4^0.5 = 4; capacity 16
    assert y.tolist() == pytest.approx([8.0, 16.0, 6.0])  # hiring limit: 1.5 workers * 4
    assert workers.tolist() == pytest.approx([2.0, 4.0, 1.5])
    assert z.tolist() == pytest.approx([0.5, 1.0, 6.0 / 16.0])


def test_ceiling_and_employ():
    assert ceiling(np.array([10.0]), np.array([2.0]), np.array([3.0]), 0.25)[0] == 7.5
    _, workers, z = employ(np.array([6.0, 0.0]), np.array([2.0, 0.0]), np.array([12.0, 0.0]))
    assert workers.tolist() == [3.0, 0.0] and z.tolist() == [0.5, 0.0]


def test_unserved_orders_go_to_firms_with_spare_capacity_in_the_chain():
    demand = np.array([10.0, 2.0, 2.0, 5.0])
    most = np.array([6.0, 4.0, 6.0, 3.0])
    chain = np.array([0, 0, 0, 1])
    y = serve_overflow(demand, np.minimum(demand, most), most, chain, 2)
    # chain 0: 4 unserved, spare 2 + 4 = 6: each spare firm runs 2/3 of its spare capacity
    assert y.tolist() == pytest.approx([6.0, 2.0 + 4 / 3, 2.0 + 8 / 3, 3.0])
    assert y[:3].sum() == pytest.approx(demand[:3].sum())  # nothing lost in chain 0
    assert y[3] == 3.0  # chain 1 has no spare capacity: 2 lost to rivals


def test_effective_tfp():
    assert effective_tfp(np.array([2.0]), np.array([0.5]), 0.1)[0] == pytest.approx(2.1)


def test_energy_and_emissions():
    e = energy_use(np.array([10.0]), np.array([0.5]), np.array([0.4]), np.array([0.5]), 0.25, 0.1)
    assert e[0] == pytest.approx(10 * 0.5 * 0.9 * 0.95)
    kept = park_kept(np.array([0.5]), 0.2)  # one park with green infrastructure 0.5; outside
    assert kept.tolist() == pytest.approx([0.9, 1.0])
    c = emissions(e, 2.0, np.array([0.4]), 0.3, kept[[0]])
    assert c[0] == pytest.approx(e[0] * 2.0 * 0.88 * 0.9)


def test_rationing_cuts_output_and_energy_in_proportion():
    va = np.array([1.0, 4.0])
    assert ration_energy(va, 0.05).tolist() == pytest.approx([0.95, 3.8])
    assert np.array_equal(ration_energy(va, 0.0), va)


def test_a_long_power_cut_does_not_compound_through_the_hiring_limit():
    """Workers a cut lays off are recalled the next quarter: through eight quarters of a 25%
    shortage output holds near three quarters of orders instead of shrinking each quarter."""
    from chainshift import TransitionModel, load_scenario
    from chainshift.scenarios.schema import EnergyShortage

    s = load_scenario("baseline", overrides={"population.enterprises": 300})
    s.events.append(EnergyShortage(kind="energy_shortage", start="2021Q1", quarters=8, cut=0.25))
    m = TransitionModel(s, rng=0)
    output = []
    for _ in range(8):
        m.step()
        output.append(float(m.firms.y.sum()))
    assert min(output[1:]) > 0.9 * output[0]
    assert float(m.firms.y.sum()) < 0.8 * float(m.firms.yd.sum())  # still rationed
