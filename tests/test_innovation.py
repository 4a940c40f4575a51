import numpy as np
import pytest

from chainshift.model.innovation import (
    RHO_MAX,
    absorptive_capacity,
    adapt_propensity,
    best_practice,
    frontier_gap,
    imitation_effort_share,
    imitation_gap,
    leaders,
    rd_budget,
    rd_propensity,
    search,
)


def test_absorptive_capacity():
    a = absorptive_capacity(np.array([1.0]), np.array([0.4]), np.array([1.0]), np.array([True]))
    assert a[0] == pytest.approx((0.3 + 0.4 + 0.3) * 1.2)
    # half the knowledge a full term needs (k / 0.4 p y = 0.5), own knowledge weighted 0.6 or 0
    half = (np.array([0.5]), np.array([0.2]), np.array([1.0]), np.array([False]))
    assert absorptive_capacity(*half, 0.6)[0] == pytest.approx(0.3 + 0.2 + 0.6 * 0.5)
    assert absorptive_capacity(*half, 0.0)[0] == pytest.approx(0.3 + 0.2)


def test_rd_propensity_responds_to_subsidy_and_status_and_is_capped():
    rho = rd_propensity(np.array([0.02, 0.02, 0.02, 0.5]), 0.1, 1.2, 0.3,
                        np.array([False, True, True, False]), np.array([False, False, True, False]))
    assert rho.tolist() == pytest.approx([0.02 * 1.12, 0.02 * 1.12 * 1.3, 0.02 * 1.12 * 1.6,
                                          RHO_MAX])


def test_rd_budget_cannot_exceed_the_operating_surplus():
    rd = rd_budget(np.array([0.05, 0.05, 0.05]), np.array([100.0] * 3), np.array([10.0, 2.0, -1.0]))
    assert rd.tolist() == pytest.approx([5.0, 2.0, 0.0])


def test_best_practice_is_the_frontier_or_the_chains_own_leading_edge():
    log_a = np.array([0.0, 0.2, 1.0, 1.4])
    chain = np.array([0, 0, 1, 1])
    t = best_practice(np.array([0.5, 0.5]), log_a, chain, 2)
    # chain 0: mean 0.1, sd 0.1: 0.264 < 0.5; chain 1: mean 1.2, sd 0.2: 1.528
    assert t.tolist() == pytest.approx([0.5, 1.2 + 1.64 * 0.2])
    assert frontier_gap(t[chain], log_a).tolist() == pytest.approx([0.5, 0.3, 0.528, 0.128])


def test_search_shifts_to_innovation_as_the_gap_closes():
    phi = imitation_effort_share(np.array([0.5, 0.1, 0.0]), 0.04, 0.05, 0.12, 0.015)
    r_n = 0.12 * 0.015
    assert phi[0] == pytest.approx(0.001 / (0.001 + r_n))
    assert phi[0] > phi[1] > phi[2] == 0.0


def test_search_gains():
    rng = np.random.default_rng(7)
    n = 200_000
    gap = np.full(n, 0.4)
    # hazards for success probabilities 0.1 and 0.25: p = 1 - exp(-h)
    h_imitate, h_innovate = np.full(n, -np.log1p(-0.1)), np.full(n, -np.log1p(-0.25))
    imitators, imitation, innovation = search(rng, h_imitate, h_innovate, gap, 0.05, 0.01,
                                              0.0, 0.5)
    assert imitators.size / n == pytest.approx(0.1, abs=0.003)
    assert imitation == pytest.approx(np.full(imitators.size, 0.02))  # zeta D
    won = innovation > 0
    assert won.mean() == pytest.approx(0.25, abs=0.004)
    x = np.expm1(innovation[won])
    assert x.mean() == pytest.approx(0.01, rel=0.03) and x.std() == pytest.approx(0.01, rel=0.03)


def test_radical_innovations_are_larger():
    rng = np.random.default_rng(8)
    n = 100_000
    # no imitation; innovation hazard infinite: every firm succeeds
    _, _, innovation = search(rng, np.zeros(n), np.full(n, np.inf), np.zeros(n), 0.05, 0.01,
                              0.1, 0.2)
    x = np.expm1(innovation)
    assert 0.05 < (x > 0.1).mean() < 0.07  # P(radical) P(Exp(0.2) > 0.1) = 0.1 e^-0.5
    assert x.mean() == pytest.approx(0.9 * 0.01 + 0.1 * 0.2, rel=0.04)


def test_propensities_move_toward_more_profitable_peers():
    rng = np.random.default_rng(0)
    rho = np.array([0.01, 0.05, 0.03, 0.02])
    rate = np.array([0.01, 0.10, 0.02, 0.05])
    weight = np.ones(4)
    chain = np.array([0, 0, 1, 1])
    out = adapt_propensity(rng, rho, rate, weight, chain, 2, speed=0.5, mutation=0.0)
    # chain 0: firm 1 is above the mean rate; firm 0 moves half way to 0.05
    # chain 1: firm 3 is above; firm 2 moves half way to 0.02
    assert out.tolist() == pytest.approx([0.03, 0.05, 0.025, 0.02])
    noisy = adapt_propensity(rng, np.full(10_000, 0.2), np.zeros(10_000), np.ones(10_000),
                             np.zeros(10_000, dtype=int), 1, 0.5, 0.3)
    assert noisy.max() <= RHO_MAX and noisy.min() >= 0.0


def test_leaders_are_the_best_of_the_park_and_chain_or_of_the_chain():
    log_a = np.array([0.0, 0.5, 0.2, 0.9, 0.1, 0.3])
    chain = np.array([0, 0, 0, 0, 1, 1])
    park = np.array([0, 0, -1, 1, 0, 0])
    # firm 0 looks to firm 1 (its park's best of chain 0); firm 1 leads its park, so it looks
    # to chain 0's best, firm 3; outside parks firm 2 looks to firm 3; firm 3 leads both
    assert leaders(log_a, chain, park, 2, 2).tolist() == [1, 3, 3, 3, 5, 5]


def test_imitation_closes_the_gap_to_the_leader_at_most_to_best_practice():
    gap = imitation_gap(np.array([0.5, 2.0, 0.1]), np.array([1.0, 1.0, 1.0]),
                        np.array([0.2, 0.2, 0.3]))
    assert gap.tolist() == pytest.approx([0.3, 0.8, 0.0])


def test_imitation_flows_name_a_leader_of_the_same_chain_and_mostly_the_same_park():
    from chainshift import TransitionModel, load_scenario

    # suppliers' learning from customers, the other firm-to-firm technology flow, is off
    model = TransitionModel(load_scenario("baseline", overrides={
        "population.enterprises": 2000, "suppliers.spillover": 0.0}), rng=1, pair_ledger=True)
    model.run(4)
    df = model.flows(by="agent")
    tech = df[(df.factor == "technology") & (df.from_kind == "enterprise")
              & (df.to_kind == "enterprise")]
    assert len(tech) > 50 and (tech.from_id != tech.to_id).all()
    assert (tech.from_chain == tech.to_chain).all()
    in_park = tech[tech.to_park >= 0]
    # most firms in parks learn from a leader next door; outside parks, from the chain's best
    assert (in_park.from_park == in_park.to_park).mean() > 0.5
    for firm in list(model.enterprises)[:50]:
        leader = firm.leader
        assert leader.chain == firm.chain and leader.tfp >= firm.tfp
        assert leader.park is firm.park or leader.tfp == max(
            f.tfp for f in model.enterprises if f.chain == firm.chain)
