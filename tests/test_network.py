"""What the contract network must show, over seeds, each against a control (model/network.py).

- co-located pairs are overrepresented against a degree-preserving shuffle, and are not when
  co-location carries no weight in the search;
- higher coupling raises the share of contracts whose institute works on the firm's chain
  beyond what the institutes' numbers of partners alone give (the shuffle);
- the number of partners per institute is right-skewed, unlike the same contracts spread
  evenly at random;
- flows along the contracts balance: every institute receives what its partners pay.
"""

import numpy as np
import pytest
from scipy import stats

from chainshift import TransitionModel, load_scenario
from chainshift.model import contracts, network
from chainshift.model.groups import top_share

SEEDS = range(10)
SHUFFLES = 200


def run(seed: int, quarters: int = 8, **overrides) -> TransitionModel:
    over = {"population.enterprises": 2000, **overrides}
    model = TransitionModel(load_scenario("baseline", overrides=over), rng=seed)
    model.run(quarters)
    return model


def live_edges(model) -> contracts.Edges:
    return contracts.edges(model.firms, model.institutes)


def colocation_excess(model, rng) -> tuple[float, float, float]:
    """(observed share of co-located contracts, 95th percentile and mean over shuffles)."""
    e = live_edges(model)
    f, inst = model.firms, model.institutes
    seen = network.colocated(e, f.park, inst.park).mean()
    null = [network.colocated(network.degree_preserving_shuffle(e, rng), f.park, inst.park).mean()
            for _ in range(SHUFFLES)]
    return float(seen), float(np.quantile(null, 0.95)), float(np.mean(null))


def test_colocated_pairs_are_overrepresented_and_not_without_the_colocation_weight():
    """Overrepresented: above the shuffles' 95th percentile and more than twice their mean.
    Without the weight, firms and institutes still sit in parks focused on their chains, so
    the share can come out a little above the shuffles' (which mix chains), but not twice."""
    rng = np.random.default_rng(0)
    for seed in SEEDS:
        seen, q95, mean = colocation_excess(run(seed), rng)
        assert seen > q95 and seen > 2.0 * mean
        seen, q95, mean = colocation_excess(run(seed, **{"technology.colocation_bonus": 0.0}), rng)
        assert seen < 2.0 * mean


def need_match_excess(model, rng) -> float:
    """Share of need-matched contracts minus its mean over degree-preserving shuffles."""
    e = live_edges(model)
    f, focus = model.firms, model.institute_focus
    seen = network.need_matched(e, f.chain, focus).mean()
    null = np.mean([network.need_matched(network.degree_preserving_shuffle(e, rng), f.chain,
                                         focus).mean() for _ in range(50)])
    return float(seen - null)


def test_higher_coupling_raises_the_share_of_contracts_that_match_the_chains_needs():
    rng = np.random.default_rng(1)
    low = np.array([need_match_excess(run(s, **{"policy.coupling": 0.2}), rng) for s in SEEDS])
    high = np.array([need_match_excess(run(s, **{"policy.coupling": 0.8}), rng) for s in SEEDS])
    diff = high - low  # paired: the same seed meets the same draws elsewhere
    half = stats.t.ppf(0.975, diff.size - 1) * diff.std(ddof=1) / np.sqrt(diff.size)
    assert diff.mean() - half > 0
    # the control: with no platform matching the pairing adds nothing to the match
    none = np.array([need_match_excess(run(s, **{"policy.coupling": 0.0}), rng) for s in SEEDS])
    assert abs(none.mean()) < 0.02


def test_partners_per_institute_are_right_skewed_unlike_an_even_random_spread():
    rng = np.random.default_rng(2)
    for seed in range(5):
        model = run(seed)
        degree = network.degrees(live_edges(model), len(model.institutes))
        assert stats.skew(degree) > 1.0
        assert np.mean(degree) > np.median(degree)
        assert top_share(degree, 0.1) > 0.3  # a tenth of the institutes hold 30% or more
        even = np.bincount(rng.integers(0, degree.size, degree.sum()), minlength=degree.size)
        # the same criteria fail for the same contracts spread evenly at random
        assert stats.skew(even) < 1.0 and top_share(even, 0.1) < 0.3


def test_every_institute_receives_what_its_partners_pay():
    model = run(3, quarters=4)
    e = model.contract_edges
    paid = model.contract_paid
    frame = model.flows(by="agent")
    last = frame[(frame.step == frame.step.max()) & (frame.factor == "capital")
                 & (frame.from_kind == "enterprise") & (frame.to_kind == "institute")]
    to_institutes = last[last.to_id >= 0].groupby("to_id").amount.sum()
    slots = model.institutes.slot[e.institute]
    expected = np.bincount(slots, weights=paid, minlength=int(slots.max()) + 1)
    got = np.zeros_like(expected)
    got[to_institutes.index.to_numpy()] = to_institutes.to_numpy()
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert (last.to_id >= 0).all()  # every firm with R&D found a partner: nothing pooled


def test_agents_answer_who_they_work_with():
    from chainshift.agents import Enterprise, ResearchInstitute

    model = run(4, quarters=6)
    firm = next(f for f in model.agents_by_type[Enterprise] if len(f.partners) == 2)
    for institute in firm.partners:
        assert isinstance(institute, ResearchInstitute)
        assert firm in institute.clients
        assert any(c["institute"] is institute and c["ends"] >= model.t - 1
                   for c in firm.contracts)
    counts = network.degrees(live_edges(model), len(model.institutes))
    busiest = model.institute_by_slot[int(model.institutes.slot[counts.argmax()])]
    assert len(busiest.clients) == counts.max()
    park = model.park_agents[int(np.bincount(model.firms.park[model.firms.park >= 0]).argmax())]
    tenants = set(park.tenants)
    held = sum(len(f.partners) for f in tenants)
    assert sum(park.partners.values()) == held > 0
    assert all(i.park_id == park.slot for i in park.institutes)
