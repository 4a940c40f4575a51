import numpy as np
import pytest

from chainshift.model.table import Table


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


def test_drop_moves_tail_into_holes_and_updates_rows():
    t = make()
    t.append({"x": [4.0, 5.0]}, 2)  # slots 0..4 hold x = 1..5
    gone = t.drop(np.array([1, 3]))
    assert sorted(gone.tolist()) == [1, 3]
    assert t.x.tolist() == [1.0, 5.0, 3.0]
    for slot, x in ((0, 1.0), (2, 3.0), (4, 5.0)):
        assert t.x[t.row(slot)] == x
    with pytest.raises(LookupError):
        t.row(1)


def test_drop_random_matches_filter():
    rng = np.random.default_rng(0)
    t = Table({"x": float}, 10)
    t.append({"x": np.arange(1000.0)}, 1000)
    keep = rng.random(1000) < 0.7
    t.drop(np.flatnonzero(~keep))
    assert sorted(t.x.tolist()) == np.arange(1000.0)[keep].tolist()
    assert all(t.x[t.row(s)] == s for s in t.slot)


def test_drop_rows_at_the_tail_and_in_the_middle():
    t = Table({"x": float}, 10)
    t.append({"x": np.arange(10.0)}, 10)
    gone = t.drop(np.array([2, 8, 9]))  # two holes at the tail, one before it
    assert gone.tolist() == [2, 8, 9]
    assert t.x.tolist() == [0.0, 1.0, 7.0, 3.0, 4.0, 5.0, 6.0]  # row 7 moved into hole 2
    assert all(t.x[t.row(s)] == s for s in t.slot)
    assert t.drop(np.array([], dtype=np.intp)).size == 0 and len(t) == 7


def test_column_assignment_writes_through():
    t = make()
    t.x = t.x * 2
    assert t.x.tolist() == [2.0, 4.0, 6.0]


def test_append_after_drop_zeroes_columns_not_given():
    # rows freed by a drop keep the values of the agents that lived there; an entrant must
    # not inherit them (it once inherited a closed firm's contracts)
    t = make()
    t.drop(np.array([1, 2]))
    t.append({"x": [9.0, 8.0]}, 2)
    assert t.x.tolist() == [1.0, 9.0, 8.0]
    assert t.k.tolist() == [1, 0, 0]
