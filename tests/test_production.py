import numpy as np
import pytest

from model.production import (
    capacity,
    emissions,
    energy_use,
    labour_needed,
    park_kept,
    produce,
    ration_energy,
)


def test_capacity_cobb_douglas():
    y = capacity(np.array([2.0]), np.array([16.0]), np.array([81.0]), np.array([0.5]), 0.5, 0.2)
    assert y[0] == pytest.approx(2.0 * 4.0 * 9.0 * 1.1)


def test_labour_needed_inverts_capacity():
    rng = np.random.default_rng(0)
    a, k, d = rng.uniform(0.5, 2, 50), rng.uniform(1, 100, 50), rng.uniform(0, 1, 50)
    y = rng.uniform(1, 10, 50)
    lab = labour_needed(y, a, k, d, 0.45, 0.12)
    assert np.allclose(capacity(a, k, lab, d, 0.45, 0.12), y)


def test_produce_respects_hiring_limit():
    a, k, d = np.array([1.0, 1.0]), np.array([1.0, 1.0]), np.zeros(2)
    # alpha = 0.5: output = sqrt(L); demand 2 needs L = 4; hiring limit from L = 1 -> 1.5
    va, workers = produce(np.array([2.0, 0.5]), a, k, np.array([1.0, 1.0]), d, 0.5, 0.0, 0.5)
    assert workers[0] == pytest.approx(1.5) and va[0] == pytest.approx(np.sqrt(1.5))
    assert workers[1] == pytest.approx(0.25) and va[1] == pytest.approx(0.5)


def test_energy_and_emissions():
    e = energy_use(np.array([10.0]), np.array([0.5]), np.array([0.4]), np.array([0.5]), 0.25, 0.1)
    assert e[0] == pytest.approx(10 * 0.5 * 0.9 * 0.95)
    kept = park_kept(np.array([0.5]), 0.2)  # one park with green infrastructure 0.5; outside
    assert kept.tolist() == pytest.approx([0.9, 1.0])
    c = emissions(e, 2.0, np.array([0.4]), 0.3, kept[[0]])
    assert c[0] == pytest.approx(e[0] * 2.0 * 0.88 * 0.9)


def test_rationing_cuts_output_and_energy_in_proportion():
    va = np.array([1.0, 4.0])
    assert ration_energy(va, 0.05).tolist() == pytest.approx([0.95, 3.8])
    assert np.array_equal(ration_energy(va, 0.0), va)
