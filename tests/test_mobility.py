"""Named R&D staff moves (model/mobility.py): the placement rule by hand, and what the moves
must show over seeds against a control."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from scipy import stats

from chainshift import TransitionModel, load_scenario
from chainshift.model.mobility import match, place_staff


def test_match_is_the_north_west_corner_plan():
    i, j, amount = match(np.array([3.0, 1.0, 2.0]), np.array([2.0, 4.0]))
    # cumulative supply 3, 4, 6 against demand 2, 6: segments 0-2, 2-3, 3-4, 4-6
    assert i.tolist() == [0, 0, 1, 2] and j.tolist() == [0, 1, 1, 1]
    assert amount.tolist() == pytest.approx([2.0, 1.0, 1.0, 2.0])
    assert match(np.zeros(2), np.ones(2))[2].size == 0


def test_staff_are_placed_within_their_chain_first():
    released = np.array([4.0, 0.0, 3.0])  # origins: chain 0, chain 0, chain 1
    origin_chain = np.array([0, 0, 1])
    wanted = np.array([0.0, 2.0, 5.0, 1.0])  # firms: chains 0, 0, 1, 1
    chain = np.array([0, 0, 1, 1])
    m = place_staff(released, origin_chain, wanted, chain, 2, np.random.default_rng(0))
    flow = np.zeros((3, 4))
    np.add.at(flow, (m.origin, m.destination), m.amount)
    # chain 0 releases 4 and wants 2: 2 stay in chain 0, the other 2 go to chain 1's
    # openings (6 wanted there, 3 filled from its own chain)
    assert flow[0, 1] == pytest.approx(2.0)
    assert flow[2, 2:].sum() == pytest.approx(3.0)
    assert flow[0, 2:].sum() == pytest.approx(2.0)
    assert m.amount.sum() == pytest.approx(min(released.sum(), wanted.sum()))
    received = np.bincount(m.destination, weights=m.amount, minlength=4)
    assert (received <= wanted + 1e-12).all()
    sent = np.bincount(m.origin, weights=m.amount, minlength=3)
    assert (sent <= released + 1e-12).all()


def test_staff_of_closing_firms_are_re_employed_by_named_firms():
    model = TransitionModel(load_scenario("baseline", overrides={"population.enterprises": 2000}),
                            rng=5)
    released = re_employed = 0.0
    for _ in range(12):
        model.step()
        closed = model.closed_staff  # set at exit, placed in the next quarter
        ids = set(closed.ids.tolist())
        released += float(closed.staff.sum())
        model.step()
        re_employed += model.network_values["talent_from_closed_firms"]
        if ids:
            pairs = model.flows(by="agent")
            last = pairs[(pairs.step == pairs.step.max()) & (pairs.factor == "talent")
                         & pairs.from_id.isin(ids)]
            assert len(last) > 0 and (last.to_id >= 0).all()
            assert not last.to_id.isin(ids).any()  # a closed firm hires no one
    assert released > 0
    assert re_employed > 0.5 * released


def _more_productive(args) -> float:
    seed, overrides = args
    m = TransitionModel(load_scenario("baseline", overrides=overrides or None), rng=seed)
    return float(m.run(60).indicators()["talent_to_more_productive"].iloc[4:].mean())


def test_staff_move_toward_more_productive_firms_because_markets_select():
    """Where staff go is the firms whose R&D budgets grow; market selection (the replicator)
    makes those the ones further ahead of their chain. Without it fewer than half the moves
    go to a firm further ahead than the one left."""
    seeds = range(10)
    with ProcessPoolExecutor(2) as pool:
        on = np.array(list(pool.map(_more_productive, [(s, {}) for s in seeds])))
        off = np.array(list(pool.map(
            _more_productive, [(s, {"markets.replicator_speed": 0.0}) for s in seeds])))
    assert (on > 50.0).all()  # more than half of the moves go to a firm further ahead
    assert off.mean() < 50.0  # the same criterion fails without selection
    diff = on - off
    half = stats.t.ppf(0.975, diff.size - 1) * diff.std(ddof=1) / np.sqrt(diff.size)
    assert diff.mean() - half > 0
