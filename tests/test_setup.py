import platform

import numpy as np

from chainshift.model.allocator import tune
from chainshift.model.setup import apportion, size_classes
from chainshift.model.streams import spawn_streams


def test_apportion_largest_remainder():
    assert apportion(10, [0.33, 0.33, 0.34]).tolist() == [3, 3, 4]
    assert apportion(7100, [0.2, 0.8]).sum() == 7100


def test_size_classes_by_rank():
    classes = size_classes(np.arange(100.0))
    assert (classes[98:] == 0).all() and (classes[87:98] == 1).all()
    assert (classes[30:87] == 2).all() and (classes[:30] == 3).all()
    assert size_classes(np.array([5.0])).tolist() == [0]


def test_size_classes_by_rank_on_large_populations():
    # above 131,072 firms the thresholds come from np.partition instead of a sort
    for n in (1000, 200_000):
        va = np.random.default_rng(n).pareto(1.0, n)
        rank = np.empty(n, dtype=int)
        rank[np.argsort(-va)] = np.arange(n)  # 0 = largest
        expected = np.searchsorted(np.array([0.02, 0.13, 0.70]) * n, rank, side="right")
        assert (size_classes(va) == expected).all()


def test_streams_are_independent_and_reproducible():
    a, b = spawn_streams(7), spawn_streams(7)
    assert a["demand"].random() == b["demand"].random()
    assert a["demand"].random() != a["innovation"].random()


def test_allocator_tuning_applies_on_glibc():
    glibc = platform.libc_ver()[0] == "glibc"
    assert tune() is glibc
    assert np.ones(2_000_000).sum() == 2_000_000


def test_every_firm_column_has_a_unit_and_a_description():
    from chainshift.model.setup import FIRM_COLUMN_DOCS, FIRM_COLUMNS

    assert list(FIRM_COLUMN_DOCS) == list(FIRM_COLUMNS)
    assert all(description for _, description in FIRM_COLUMN_DOCS.values())
