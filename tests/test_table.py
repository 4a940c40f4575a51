import numpy as np
import pytest

from model.table import Table


def make():
    t = Table({"x": float, "k": np.int32}, capacity=2)
    t.append({"x": [1.0, 2.0, 3.0], "k": [1, 2, 3]}, 3)
    return t


def test_append_grows_and_assigns_slots():
    t = make()
    slots = t.append({"x": [4.0, 5.0]}, 2)
    assert len(t) == 5
    assert list(slots) == [3, 4]
    assert t.x.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert t.k.tolist() == [1, 2, 3, 0, 0]


def test_compact_moves_tail_into_holes_and_updates_rows():
    t = make()
    t.append({"x": [4.0, 5.0]}, 2)  # slots 0..4 hold x = 1..5
    gone = t.compact(np.array([True, False, True, False, True]))
    assert sorted(gone.tolist()) == [1, 3]
    assert t.x.tolist() == [1.0, 5.0, 3.0]
    for slot, x in ((0, 1.0), (2, 3.0), (4, 5.0)):
        assert t.x[t.row(slot)] == x
    with pytest.raises(LookupError):
        t.row(1)


def test_compact_random_matches_filter():
    rng = np.random.default_rng(0)
    t = Table({"x": float}, 10)
    t.append({"x": np.arange(1000.0)}, 1000)
    keep = rng.random(1000) < 0.7
    t.compact(keep)
    assert sorted(t.x.tolist()) == np.arange(1000.0)[keep].tolist()
    assert all(t.x[t.row(s)] == s for s in t.slot)


def test_drop_by_rows_matches_compact_by_mask():
    rng = np.random.default_rng(3)
    a, b = Table({"x": float}, 10), Table({"x": float}, 10)
    for t in (a, b):
        t.append({"x": np.arange(500.0)}, 500)
    keep = rng.random(500) < 0.8
    keep[-3:] = False  # rows at the tail go too
    gone_a = a.compact(keep)
    gone_b = b.drop(np.flatnonzero(~keep))
    assert np.array_equal(gone_a, gone_b)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.slot, b.slot)
    assert all(b.x[b.row(s)] == s for s in b.slot)


def test_column_assignment_writes_through():
    t = make()
    t.x = t.x * 2
    assert t.x.tolist() == [2.0, 4.0, 6.0]
