import numpy as np
import pytest

from model.talent import hire, mobility, staff_wanted


def test_staff_wanted_units():
    # 1 (100m yuan) a quarter, 60% personnel, 5 (10k yuan) per person -> 1,200 persons
    assert staff_wanted(np.array([1.0]), 5.0)[0] == pytest.approx(1200.0)


def test_hire_pro_rata_when_pool_is_short():
    staff = np.array([10.0, 0.0, 30.0])
    wanted = np.array([20.0, 30.0, 10.0])
    new, hired, released = hire(staff, wanted, pool=20.0)
    # vacancies 10 and 30 (total 40), pool 20 -> half filled
    assert new.tolist() == pytest.approx([15.0, 15.0, 10.0])
    assert hired == pytest.approx(20.0) and released == pytest.approx(20.0)


def test_hire_fills_all_when_pool_is_large():
    new, hired, _ = hire(np.array([1.0]), np.array([3.0]), pool=100.0)
    assert new[0] == pytest.approx(3.0) and hired == pytest.approx(2.0)


def test_mobility_conserves_staff_and_moves_up():
    staff = np.array([100.0, 100.0, 100.0])
    gap = np.array([0.5, 0.0, -0.5])  # first below the chain mean, last above
    new, moved = mobility(staff, gap, rate=0.1)
    assert new.sum() == pytest.approx(300.0)
    assert moved == pytest.approx(5.0)
    assert new.tolist() == pytest.approx([95.0, 100.0, 105.0])
