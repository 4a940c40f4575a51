import numpy as np
import pytest

from chainshift.model.technology import (
    coupling_index,
    focus_on,
    transfer_gain,
    usable_knowledge,
)

OWN = np.array([[1.0, 0.0], [0.5, 0.5]])
NEEDS = np.array([0.2, 0.8])


def test_focus_on_weights_by_hand():
    # kappa 0.25: F = 0.25 n + 0.75 f = [[0.8, 0.2], [0.425, 0.575]]
    served = focus_on(OWN, NEEDS, 0.25, np.array([3.0, 5.0]))
    assert served.tolist() == pytest.approx([0.8 * 3 + 0.2 * 5, 0.425 * 3 + 0.575 * 5])
    for kappa in (0.0, 0.25, 1.0):  # the rows of F sum to 1
        assert focus_on(OWN, NEEDS, kappa, np.ones(2)) == pytest.approx([1.0, 1.0])


def test_usable_knowledge_by_coupling():
    out = np.array([10.0, 20.0])
    full = usable_knowledge(out, OWN, NEEDS, 1.0, 0.3)
    none = usable_knowledge(out, OWN, NEEDS, 0.0, 0.3)
    assert full.tolist() == pytest.approx([6.0, 24.0])  # all 30 units by needs
    assert none.tolist() == pytest.approx([0.3 * 20.0, 0.3 * 10.0])
    assert full.sum() > none.sum()


def test_transfer_gain_spreads_over_value_added():
    va = np.array([50.0, 50.0])  # chain value added 100, VA-weighted mean capacity 1
    ab = np.array([0.5, 1.5])
    gain = transfer_gain(np.array([4.0]), np.array([0, 0]), ab, np.array([(ab * va).sum()]), 0.5)
    # tau * U / VA * a / abar = 0.5 * 4 / 100 * a
    assert gain.tolist() == pytest.approx([0.5 * 0.04 * 0.5, 0.5 * 0.04 * 1.5])
    assert (gain * va).sum() == pytest.approx(0.5 * 4.0)  # all of tau U lands


def test_transfer_gain_is_zero_where_no_firm_absorbs():
    chain, ab = np.array([0, 1]), np.ones(2)
    gain = transfer_gain(np.array([4.0, 2.0]), chain, ab, np.array([0.0, 8.0]), 1.0)
    assert gain.tolist() == [0.0, 0.25]


def test_coupling_index():
    assert coupling_index(np.array([2.0, 8.0]), NEEDS) == pytest.approx(1.0)
    assert coupling_index(np.array([10.0, 0.0]), NEEDS) == pytest.approx(0.2)
    assert coupling_index(np.zeros(2), NEEDS) == 0.0
