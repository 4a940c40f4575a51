"""Supplier links: coefficients, intermediate orders, named links, knowledge along them, and
what they must show (a demand shock reaches the suppliers; suppliers learn from customers)."""

import functools

import numpy as np
import pytest

from chainshift.model import TransitionModel
from chainshift.model import suppliers as sp
from chainshift.model.groups import group_sum
from chainshift.model.markets import orders
from chainshift.scenarios import load_scenario
from chainshift.scenarios.schema import default_chains

CHAINS = [c.name for c in default_chains()]


# -- the coefficients -------------------------------------------------------------------------
def test_coefficients_read_the_table_with_no_within_chain_flow(tmp_path):
    b = sp.coefficients(CHAINS)
    assert b.shape == (11, 11)
    assert np.all(np.diag(b) == 0) and np.all(b >= 0)
    # carmakers buy more from the materials chain than from any other (steel, aluminium,
    # glass and the rest of the metal and mineral sectors)
    car = CHAINS.index("automobile")
    assert CHAINS[int(np.argmax(b[:, car]))] == "materials"
    # a file naming a chain the scenario lacks, or one the scenario has but the file lacks
    path = tmp_path / "c.csv"
    path.write_text("supplier,buyer,coefficient\nsteel,cars,0.5\ncars,steel,0.1\n"
                    "cars,cars,0.3\nother,cars,0.2\n")
    assert sp.coefficients(["cars", "steel", "toys"], path).tolist() == [
        [0.0, 0.1, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.0]]


def test_real_coefficients_convert_value_added_to_output_units():
    b = np.array([[0.0, 0.5], [0.2, 0.0]])
    # v = VA / Y = (0.5, 0.8): a_01 = 0.5 * 0.8 / 0.5, a_10 = 0.2 * 0.5 / 0.8
    a = sp.real_coefficients(b, np.array([2.0, 4.0]), np.array([4.0, 5.0]))
    assert a == pytest.approx(np.array([[0.0, 0.8], [0.125, 0.0]]))
    # a chain without output neither supplies nor buys
    a = sp.real_coefficients(b, np.array([2.0, 0.0]), np.array([4.0, 0.0]))
    assert a.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_intermediate_orders_and_local_order_share():
    a = np.array([[0.0, 0.8], [0.125, 0.0]])
    orders = sp.intermediate_orders(a, 0.5, np.array([10.0, 20.0]))
    assert orders == pytest.approx([0.5 * 0.8 * 20.0, 0.5 * 0.125 * 10.0])
    iota = sp.local_order_share(np.array([2.0, 5.0, 1.0]), np.array([10.0, 5.0, 0.0]))
    assert iota.tolist() == [0.2, 0.9, 0.0]  # capped at 0.9; no orders, no share


def test_start_orders_are_the_same_whatever_the_local_share():
    from chainshift.model.setup import make_firms, make_parks

    def start(local):
        s = load_scenario("baseline", overrides={"population.enterprises": 500,
                                                 "suppliers.local_share": local})
        rng = np.random.default_rng(0)
        return make_firms(s, rng, make_parks(s, rng)).markets

    off, on = start(0.0), start(0.4)
    assert np.all(off.local_orders == 0) and np.all(on.local_orders[[6, 7]] > 0.2)
    # the first quarter's orders as phase 2 forms them, the outside market's plus local
    # customers', are the same with and without local customers
    theta = load_scenario("baseline").markets.share_adjustment

    def first_orders(m, local):
        outside = orders(m.share, m.target, theta) * (1 - m.local_orders) * m.market(0.0)
        return outside + sp.intermediate_orders(m.coefficients, local, m.output)

    assert first_orders(on, 0.4) == pytest.approx(first_orders(off, 0.0), rel=1e-12)


# -- named links ------------------------------------------------------------------------------
def test_draw_suppliers_follows_coefficients_shares_and_colocation():
    # chain 0 buys from chains 1 (b = 0.3) and 2 (b = 0.1); chains 1 and 2 buy from nobody
    b = np.zeros((3, 3))
    b[1, 0], b[2, 0] = 0.3, 0.1
    chain = np.array([0, 1, 1, 1, 2, 2])
    park = np.array([0, 0, 1, -1, 0, 1])
    share = np.array([1.0, 0.5, 0.3, 0.2, 0.6, 0.4])
    beta, n = 2.0, 200_000
    rng = np.random.default_rng(1)
    pick = sp.draw_suppliers(rng, b, np.zeros(n, dtype=int), np.zeros(n, dtype=int), chain,
                             park, share, 2, beta)
    # P(j) ∝ b_{chain_j, 0} s_j (1 + beta [park_j = 0]), for a buyer of chain 0 in park 0
    w = b[chain, 0] * share * (1 + beta * (park == 0))
    assert np.bincount(pick, minlength=6) / n == pytest.approx(w / w.sum(), abs=0.004)
    # a buyer outside parks: no co-location weight
    pick = sp.draw_suppliers(rng, b, np.zeros(n, dtype=int), np.full(n, -1), chain, park,
                             share, 2, beta)
    w = b[chain, 0] * share
    assert np.bincount(pick, minlength=6) / n == pytest.approx(w / w.sum(), abs=0.004)
    # a chain that buys from no one draws no supplier
    none = sp.draw_suppliers(rng, b, np.array([1, 2]), np.array([0, 0]), chain, park, share,
                             2, beta)
    assert none.tolist() == [-1, -1]


@functools.cache
def small_model(seed: int = 0, quarters: int = 12, **overrides) -> TransitionModel:
    over = {"population.enterprises": 1500, **overrides}
    m = TransitionModel(load_scenario("baseline", overrides=over), rng=seed)
    m.run(quarters)
    return m


def test_links_join_live_firms_of_linked_chains_and_are_refilled():
    m = small_model()
    f = m.firms
    e = sp.links(f)
    assert len(e) > 2.5 * len(f)  # most firms hold all three links after three years
    assert np.all(f.chain[e.buyer] != f.chain[e.supplier])
    assert np.all(m.supplier_coefficients[f.chain[e.supplier], f.chain[e.buyer]] > 0)
    codes = np.stack([getattr(f, name) for name in sp.SUPPLIER], axis=1)
    for row in codes:  # no firm holds the same supplier twice
        held = row[row > 0]
        assert held.size == np.unique(held).size
    # close the ten firms with most customers: their links end and are drawn anew
    big = np.argsort(np.bincount(e.supplier, minlength=len(f)))[-10:]
    gone = set((f.slot[big] + 1).tolist())
    m.remove_firms(np.sort(big))
    sp.relink(m)
    codes = np.concatenate([getattr(m.firms, name) for name in sp.SUPPLIER])
    assert not gone & set(codes.tolist())
    e = sp.links(m.firms)
    assert len(e) == np.count_nonzero(codes)  # every link left is to a live firm


def test_agents_name_their_suppliers_and_customers():
    m = small_model()
    firms = [a for a in m.enterprise_by_slot if a is not None]
    buyer = next(a for a in firms if len(a.suppliers) == 3)
    assert all(s.chain != buyer.chain for s in buyer.suppliers)
    assert all(buyer in s.customers for s in buyer.suppliers)


def test_colocation_bonus_draws_suppliers_from_the_buyers_park():
    def colocated(beta: float, seed: int) -> float:
        m = small_model(seed, 4, **{"suppliers.colocation_bonus": beta})
        return float(m.indicators()["supplier_links_colocated"].iloc[-1])

    near = np.array([colocated(2.0, s) for s in range(3)])
    far = np.array([colocated(0.0, s) for s in range(3)])
    assert np.all(near > far + 1.0)  # percent of links inside one park


# -- knowledge along the links ----------------------------------------------------------------
def test_spillover_gains_by_hand():
    # leads g = (0.5, 0.0, 0.2); firm 1 buys from 0 and supplies firms 0 and 2
    e = sp.Links(buyer=np.array([0, 2, 1]), supplier=np.array([1, 1, 0]))
    gain = sp.spillover_gains(np.array([0.5, 0.0, 0.2]), e, 3, 0.1)
    # firm 1: 0.1 * mean(0.5 - 0, 0.2 - 0); firm 0's customer (1) is behind it; 2 sells nothing
    assert gain == pytest.approx([0.0, 0.035, 0.0])


def test_spill_knowledge_raises_suppliers_tfp_and_books_it_customer_to_supplier():
    m = TransitionModel(load_scenario("baseline", overrides={"population.enterprises": 1500}),
                        rng=0)
    m.run(8)
    f = m.firms
    e = sp.links(f)
    lead = np.log(f.A) - m.chain_log_tfp[f.chain]
    expected = sp.spillover_gains(lead, e, len(f), m.config.suppliers.spillover)
    before, value_added = np.log(f.A), f.va.copy()
    m.ledger.step = 10_000  # a step of its own, to find this call's records
    sp.spill_knowledge(m)
    assert np.log(f.A) - before == pytest.approx(expected, abs=1e-12)
    assert np.count_nonzero(expected) > 0.1 * len(f)
    flows = m.ledger.pair_frame()
    flows = flows[flows["step"] == 10_000]
    assert set(flows["factor"]) == {"technology"}
    booked = set(zip(flows["from_id"], flows["to_id"], strict=True))
    linked = set(zip(f.slot[e.buyer].tolist(), f.slot[e.supplier].tolist(), strict=True))
    assert booked <= linked  # from a customer to its supplier
    # the technology a supplier receives is its gain valued at its value added
    learned = expected > 0
    total = float((np.expm1(expected[learned]) * value_added[learned]).sum())
    assert flows["amount"].sum() == pytest.approx(total, rel=1e-9)


def test_no_spillover_leaves_the_suppliers_gain_at_zero():
    m = small_model(**{"suppliers.spillover": 0.0})
    assert (m.indicators()["tfp_within_suppliers"].fillna(0.0) == 0.0).all()
    assert (small_model().indicators()["tfp_within_suppliers"].dropna() > 0).any()


# -- what it must show ------------------------------------------------------------------------
SEEDS = range(10)
SHOCK_YEAR = 2024


def year_totals(name: str, seed: int, local_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Each chain's output and orders summed over the shock year (2,000 firms)."""
    over = {"population.enterprises": 2000, "suppliers.local_share": local_share}
    m = TransitionModel(load_scenario(name, overrides=over), rng=seed)
    y, d = np.zeros(m.n_chains), np.zeros(m.n_chains)
    while m.year < SHOCK_YEAR or m.t == 0:
        m.step()
    while m.year == SHOCK_YEAR:
        y += group_sum(m.firms.y, m.firms.chain, m.n_chains)
        d += m.chain_markets.demand
        m.step()
    return y, d


@functools.cache
def shock_effects(local_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Percent change of each chain's output and orders in 2024, auto_shock against baseline,
    one row per seed."""
    out, orders = [], []
    for seed in SEEDS:
        by, bd = year_totals("baseline", seed, local_share)
        sy, sd = year_totals("auto_shock", seed, local_share)
        out.append(100 * (sy / by - 1))
        orders.append(100 * (sd / bd - 1))
    return np.array(out), np.array(orders)


def interval(x: np.ndarray) -> tuple[float, float]:
    half = 2.262 * x.std(ddof=1) / np.sqrt(len(x))  # t(0.975, 9)
    return x.mean() - half, x.mean() + half


# automobiles buy more than 0.15 of their value added from materials and nothing from
# biomedicine (supplier_coefficients.csv)
LINKED, UNLINKED = CHAINS.index("materials"), CHAINS.index("biomedicine")


def test_auto_demand_shock_reaches_the_chains_that_supply_cars():
    """A 17% fall in automobile orders in 2024 (scenario auto_shock) lowers the orders and the
    output of the materials chain that year against the same shock without local supplier
    links (paired by seed, 10 seeds); biomedicine, which sells nothing to carmakers, is not
    touched. Both chains gain a little from the shock itself, with or without links, because
    the wage falls as carmakers lay off workers: the links' effect is the difference.
    """
    out, orders = shock_effects(0.4)
    out0, orders0 = shock_effects(0.0)
    # materials: the links turn part of the wage gain into a loss of orders and output
    assert interval(orders[:, LINKED] - orders0[:, LINKED])[1] < 0
    assert interval(out[:, LINKED] - out0[:, LINKED])[1] < 0
    # biomedicine: the links change nothing beyond noise
    lo, hi = interval(orders[:, UNLINKED] - orders0[:, UNLINKED])
    assert lo < 0 < hi
    # and the links cost the linked chain more than the unlinked one, seed by seed
    effect = (orders - orders0)[:, LINKED] - (orders - orders0)[:, UNLINKED]
    assert interval(effect)[1] < 0
