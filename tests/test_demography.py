import numpy as np

from chainshift.model.demography import entry_count, exits, pick_parents


def test_exit_rules():
    rng = np.random.default_rng(0)
    out = exits(rng, np.array([-1.0, 5.0, 5.0]), np.array([0, 8, 1]), 8, np.zeros(3))
    assert out.tolist() == [True, True, False]


def test_entry_count_mean():
    rng = np.random.default_rng(1)
    draws = [entry_count(rng, 1000, 0.01, 1.0) for _ in range(4000)]
    assert abs(np.mean(draws) - 10.0) < 0.3


def test_parents_drawn_by_weight():
    rng = np.random.default_rng(4)
    parents = pick_parents(rng, np.array([1.0, 0.0, 3.0]), 40_000)
    assert set(np.unique(parents)) == {0, 2}
    assert abs((parents == 2).mean() - 0.75) < 0.01
