import numpy as np

from chainshift.model.demography import choose_parks, entry_count, exits, pick_parents


def test_exit_rules():
    rng = np.random.default_rng(0)
    out = exits(rng, np.array([-1.0, 5.0, 5.0]), np.array([0, 8, 1]), 8, np.zeros(3))
    assert out.tolist() == [True, True, False]


def test_entry_count_mean():
    rng = np.random.default_rng(1)
    draws = [entry_count(rng, 1000, 0.01, 1.0) for _ in range(4000)]
    assert abs(np.mean(draws) - 10.0) < 0.3


def test_parks_never_overfilled_and_prefer_focus():
    rng = np.random.default_rng(2)
    chains = np.zeros(500, dtype=np.intp)
    focus = np.array([0, 1, 1])
    land = np.array([100, 100, 0])
    parks = choose_parks(rng, chains, focus, land, np.zeros(3))
    counts = np.bincount(parks[parks >= 0], minlength=3)
    assert np.all(counts <= land)
    assert counts[2] == 0
    assert counts[0] == 100 and counts[1] == 100  # demand exceeds land: both fill up
    assert (parks == -1).sum() == 300


def test_parks_weighting_by_focus():
    rng = np.random.default_rng(3)
    parks = choose_parks(
        rng,
        np.zeros(3000, dtype=np.intp),
        np.array([0, 1]),
        np.array([10_000, 10_000]),
        np.zeros(2),
    )
    share = (parks == 0).mean()
    assert abs(share - 0.75) < 0.03  # weights 3:1


def test_parents_drawn_by_weight():
    rng = np.random.default_rng(4)
    parents = pick_parents(rng, np.array([1.0, 0.0, 3.0]), 40_000)
    assert set(np.unique(parents)) == {0, 2}
    assert abs((parents == 2).mean() - 0.75) < 0.01
