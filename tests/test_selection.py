import numpy as np

from chainshift.model.selection import high_tech, innovation_score, leading, pick_top


def test_pick_top_respects_eligibility_and_quota():
    score = np.array([5.0, 9.0, 1.0, 7.0, 3.0])
    eligible = np.array([True, False, True, True, True])
    chosen = pick_top(score, eligible, 2)
    assert np.flatnonzero(chosen).tolist() == [0, 3]
    assert pick_top(score, eligible, 10).sum() == 4
    assert pick_top(score, eligible, 0).sum() == 0


def test_leading_per_chain():
    va = np.array([1.0, 5.0, 3.0, 2.0, 8.0, 4.0])
    chain = np.array([0, 0, 0, 1, 1, 1])
    assert np.flatnonzero(leading(va, chain, 2, 2)).tolist() == [1, 2, 4, 5]


def test_leading_matches_a_search_chain_by_chain():
    rng = np.random.default_rng(4)
    n, n_chains = 5000, 12
    va = rng.pareto(1.0, n)
    # chain 11 is tiny and its firms small, so its leaders are outside the overall top firms
    chain = np.where(rng.random(n) < 0.01, 11, rng.integers(0, 11, n))
    va[chain == 11] *= 1e-3
    for per_chain in (1, 5, 60):
        expected = np.zeros(n, dtype=bool)
        for c in range(n_chains):
            idx = np.flatnonzero(chain == c)
            expected[idx[np.argsort(-va[idx])[:per_chain]]] = True
        assert (leading(va, chain, n_chains, per_chain) == expected).all()
    assert not leading(va[:0], chain[:0], n_chains, 5).any()


def test_high_tech_criteria():
    ht = high_tech(
        np.array([4.0, 4.0, 1.0]),
        np.array([100.0, 100.0, 100.0]),
        np.array([10.0, 1.0, 10.0]),
        np.array([90.0, 99.0, 90.0]),
    )
    assert ht.tolist() == [True, False, False]


def test_innovation_score():
    s = innovation_score(
        np.array([2.0]), np.array([100.0]), np.array([1.5]), np.array([1.0]), np.array([0.5])
    )
    assert s[0] == 0.02 * 1.5 * 1.5
