"""model.accounting: hand-computed cases, identities and edge cases.

Expected numbers are written out from the formulas in the docstrings, not computed by the
functions under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from chainshift.model.accounting import (
    Snapshot,
    Window,
    chained_levels,
    growth_accounting,
    innovation_share,
    melitz_polanec,
    tornqvist_log_change,
)

TERMS = ("within", "reallocation", "entry", "exit", "composition")


def five_terms(r: dict[str, float]) -> float:
    return sum(r[k] for k in TERMS)


# ------------------------------------------------------------------------------------------
# 1. Tornqvist
# ------------------------------------------------------------------------------------------


def test_tornqvist_two_chains_by_hand():
    # shares v0 = [1, 3] -> [0.25, 0.75]; v1 = [2, 2] -> [0.5, 0.5]; average [0.375, 0.625]
    # quantity ratios 12/10 = 1.2 and 5/4 = 1.25
    got = tornqvist_log_change([10, 4], [12, 5], [1, 3], [2, 2])
    assert got == pytest.approx(0.375 * math.log(1.2) + 0.625 * math.log(1.25))


def test_tornqvist_drops_chain_not_producing_and_renormalises():
    # third chain has q0 = 0: dropped; the shares of the other two are renormalised at each
    # date: v0 = [1, 3] of 4 -> [0.25, 0.75], v1 = [2, 2] of 4 -> [0.5, 0.5] (not of 8)
    got = tornqvist_log_change([10, 4, 0], [12, 5, 7], [1, 3, 4], [2, 2, 4])
    assert got == pytest.approx(0.375 * math.log(1.2) + 0.625 * math.log(1.25))
    # a negative or NaN quantity is "not positive" too
    assert tornqvist_log_change([10, 4, -1], [12, 5, 7], [1, 3, 4], [2, 2, 4]) == pytest.approx(got)
    assert tornqvist_log_change([10, 4, np.nan], [12, 5, 7], [1, 3, 4], [2, 2, 4]) == (
        pytest.approx(got)
    )


def test_tornqvist_zero_nominal_at_one_date_uses_other_shares():
    # v1 all zero: only the first date's shares [0.25, 0.75] are used
    got = tornqvist_log_change([10, 4], [12, 5], [1, 3], [0, 0])
    assert got == pytest.approx(0.25 * math.log(1.2) + 0.75 * math.log(1.25))


def test_tornqvist_nan_when_nothing_to_compare():
    assert math.isnan(tornqvist_log_change([0, 0], [1, 1], [1, 1], [1, 1]))
    assert math.isnan(tornqvist_log_change([1, 1], [1, 1], [0, 0], [0, 0]))
    assert math.isnan(tornqvist_log_change([], [], [], []))
    assert math.isnan(tornqvist_log_change([1, 1], [2, 2], [np.nan, 1], [1, 1]))


def test_tornqvist_identities():
    rng = np.random.default_rng(1)
    q0, q1 = rng.uniform(1, 10, 7), rng.uniform(1, 10, 7)
    v0, v1 = rng.uniform(0, 5, 7), rng.uniform(0, 5, 7)
    # equal growth in every chain: the index grows at that rate, whatever the weights
    assert tornqvist_log_change(q0, 1.3 * q0, v0, v1) == pytest.approx(math.log(1.3))
    # time reversal
    assert tornqvist_log_change(q1, q0, v1, v0) == pytest.approx(
        -tornqvist_log_change(q0, q1, v0, v1)
    )
    # shares are scale-free in nominal values
    assert tornqvist_log_change(q0, q1, 3 * v0, 7 * v1) == pytest.approx(
        tornqvist_log_change(q0, q1, v0, v1)
    )
    assert isinstance(tornqvist_log_change(q0, q1, v0, v1), float)


def test_tornqvist_shape_mismatch_raises():
    with pytest.raises(ValueError):
        tornqvist_log_change([1, 2], [1, 2, 3], [1, 2], [1, 2])


def test_chained_levels_by_hand():
    q = [[10, 4], [12, 5], [12, 6]]
    v = [[1, 3], [2, 2], [3, 1]]
    # link 1: shares [0.25, 0.75] and [0.5, 0.5] -> [0.375, 0.625]; ratios 1.2, 1.25
    link1 = 0.375 * math.log(1.2) + 0.625 * math.log(1.25)
    # link 2: shares [0.5, 0.5] and [0.75, 0.25] -> [0.625, 0.375]; ratios 1, 1.2
    link2 = 0.625 * math.log(1.0) + 0.375 * math.log(1.2)
    got = chained_levels(q, v, 100.0)
    assert got.tolist() == pytest.approx(
        [100.0, 100.0 * math.exp(link1), 100.0 * math.exp(link1 + link2)]
    )


def test_chained_levels_edge_cases():
    assert chained_levels(np.zeros((0, 3)), np.zeros((0, 3)), 100.0).shape == (0,)
    assert chained_levels([[1.0, 2.0]], [[1.0, 1.0]], 5.0).tolist() == [5.0]
    # a broken link (nothing produces at both dates) makes that level and the rest NaN
    got = chained_levels([[1, 1], [0, 0], [1, 1]], [[1, 1], [1, 1], [1, 1]], 1.0)
    assert got[0] == 1.0 and np.isnan(got[1:]).all()
    with pytest.raises(ValueError):
        chained_levels([1, 2], [1, 2], 1.0)


# ------------------------------------------------------------------------------------------
# 2. Growth accounting
# ------------------------------------------------------------------------------------------


def window(q, v, capital, labour, c_capital, c_labour, **extra):
    inputs = {"capital": capital, "labour": labour}
    costs = {"capital": c_capital, "labour": c_labour}
    for name, (x, c) in extra.items():
        inputs[name], costs[name] = x, c
    return Window(q=np.array(q, float), v=np.array(v, float), inputs=inputs, costs=costs)


def test_growth_accounting_by_hand():
    prev = window([10, 4], [1, 3], 100.0, 50.0, 30.0, 70.0)  # shares 0.3, 0.7
    now = window([12, 5], [2, 2], 110.0, 51.0, 40.0, 60.0)  # shares 0.4, 0.6
    r = growth_accounting(prev, now)
    growth = 100 * (0.375 * math.log(1.2) + 0.625 * math.log(1.25))
    capital = 100 * 0.35 * math.log(110 / 100)
    labour = 100 * 0.65 * math.log(51 / 50)
    assert list(r) == ["growth", "capital_contribution", "labour_contribution", "tfp_contribution"]
    assert r["growth"] == pytest.approx(growth)
    assert r["capital_contribution"] == pytest.approx(capital)
    assert r["labour_contribution"] == pytest.approx(labour)
    assert r["tfp_contribution"] == pytest.approx(growth - capital - labour)
    assert all(type(x) is float for x in r.values())


def test_growth_accounting_per_chain_inputs_are_summed():
    prev = window([10, 4], [1, 3], np.array([60.0, 40.0]), 50.0, np.array([10.0, 20.0]), 70.0)
    now = window([12, 5], [2, 2], np.array([70.0, 40.0]), 51.0, np.array([25.0, 15.0]), 60.0)
    assert growth_accounting(prev, now)["capital_contribution"] == pytest.approx(
        100 * 0.35 * math.log(110 / 100)
    )


def test_input_with_zero_quantity_contributes_nothing():
    # R&D staff appear only in `now`; their cost still enters the shares of `now`:
    # prev shares capital 30/100, labour 70/100, rd 0; now 40/100, 50/100, 10/100
    prev = window([10, 4], [1, 3], 100.0, 50.0, 30.0, 70.0, rd_staff=(0.0, 0.0))
    now = window([12, 5], [2, 2], 110.0, 51.0, 40.0, 50.0, rd_staff=(2.0, 10.0))
    r = growth_accounting(prev, now)
    assert r["rd_staff_contribution"] == 0.0
    assert r["capital_contribution"] == pytest.approx(100 * 0.35 * math.log(1.1))
    assert r["labour_contribution"] == pytest.approx(100 * 0.60 * math.log(1.02))


def test_zero_total_cost_window_has_zero_shares():
    # prev shares all 0; now 25/100, 75/100 -> averages 0.125, 0.375
    prev = window([10, 4], [1, 3], 100.0, 50.0, 0.0, 0.0)
    now = window([12, 5], [2, 2], 110.0, 51.0, 25.0, 75.0)
    r = growth_accounting(prev, now)
    assert r["capital_contribution"] == pytest.approx(100 * 0.125 * math.log(1.1))
    assert r["labour_contribution"] == pytest.approx(100 * 0.375 * math.log(1.02))


def test_zero_output_gives_nan_growth_without_exception():
    prev = window([10, 4], [1, 3], 100.0, 50.0, 30.0, 70.0)
    now = window([0, 0], [0, 0], 110.0, 51.0, 40.0, 60.0)
    r = growth_accounting(prev, now)
    assert math.isnan(r["growth"]) and math.isnan(r["tfp_contribution"])
    assert r["capital_contribution"] == pytest.approx(100 * 0.35 * math.log(1.1))
    assert all(type(x) is float for x in r.values())


def test_contributions_sum_to_growth_on_random_data():
    rng = np.random.default_rng(7)
    names = ["capital", "labour", "rd_staff"]
    for _ in range(20):
        wins = []
        for _ in range(2):
            wins.append(Window(
                q=rng.uniform(0, 10, 11), v=rng.uniform(0, 10, 11),
                inputs={j: rng.uniform(0, 100) for j in names},
                costs={j: rng.uniform(0, 50) for j in names},
            ))
        r = growth_accounting(*wins)
        parts = sum(r[f"{j}_contribution"] for j in names) + r["tfp_contribution"]
        assert parts == pytest.approx(r["growth"], abs=1e-10)


def test_proportional_growth_leaves_no_residual():
    # constant returns: output and every input grow by 8%, any cost shares -> tfp = 0
    rng = np.random.default_rng(3)
    q0 = rng.uniform(1, 10, 5)
    prev = window(q0, rng.uniform(1, 5, 5), 100.0, 50.0, 20.0, 80.0, rd_staff=(3.0, 9.0))
    now = window(1.08 * q0, rng.uniform(1, 5, 5), 108.0, 54.0, 35.0, 60.0,
                 rd_staff=(3.24, 12.0))
    r = growth_accounting(prev, now)
    assert r["growth"] == pytest.approx(100 * math.log(1.08))
    assert r["tfp_contribution"] == pytest.approx(0.0, abs=1e-12)


def test_mismatched_inputs_raise():
    with pytest.raises(ValueError):
        Window(q=np.ones(2), v=np.ones(2), inputs={"capital": 1.0}, costs={"labour": 1.0})
    prev = window([1, 1], [1, 1], 1.0, 1.0, 1.0, 1.0)
    now = window([1, 1], [1, 1], 1.0, 1.0, 1.0, 1.0, rd_staff=(1.0, 1.0))
    with pytest.raises(ValueError):
        growth_accounting(prev, now)


def test_innovation_share():
    assert innovation_share([1, 2, 3], [4, 5, 6]) == pytest.approx(100 * 6 / 15)
    # contraction: the formula's sign is kept, 100 * 2 / -6
    assert innovation_share([1, 1], [-3, -3]) == pytest.approx(-100 / 3)
    # mean growth 0.5 < 1 point per year
    assert math.isnan(innovation_share([0.2, 0.2, 0.2], [0.5, 0.5, 0.5]))
    assert innovation_share([0.2, 0.2], [0.5, 0.5], min_growth=0.5) == pytest.approx(40.0)
    assert math.isnan(innovation_share([1, np.nan], [4, 5]))
    assert math.isnan(innovation_share([1, 2], [4, np.nan]))
    assert math.isnan(innovation_share([], []))
    assert math.isnan(innovation_share([1, 1], [1, -1], min_growth=0.0))
    with pytest.raises(ValueError):
        innovation_share([1, 2], [1, 2, 3])


# ------------------------------------------------------------------------------------------
# 3. Melitz-Polanec
# ------------------------------------------------------------------------------------------


def snap(rows) -> Snapshot:
    """Snapshot from rows (id, chain, phi, weight)."""
    if not rows:
        return Snapshot(np.zeros(0, np.int64), np.zeros(0, np.intp), np.zeros(0), np.zeros(0))
    ids, chain, phi, weight = zip(*rows, strict=True)
    return Snapshot(np.array(ids), np.array(chain), np.array(phi, float), np.array(weight, float))


# two chains, six firms; ids deliberately out of order
PREV = [  # (id, chain, phi, weight)
    (30, 0, 0.0, 1.0),  # exits
    (10, 0, 0.1, 1.0),
    (20, 0, 0.3, 3.0),
    (40, 1, 0.2, 2.0),
    (50, 1, 0.6, 2.0),
]
NOW = [
    (70, 0, 0.5, 1.0),  # enters
    (20, 0, 0.4, 2.0),
    (10, 0, 0.2, 2.0),
    (50, 1, 0.5, 2.0),
    (40, 1, 0.3, 6.0),
]
# Chain 0, prev: W = 5, shares 10: 0.2, 20: 0.6, 30: 0.2; Phi = 0.02 + 0.18 + 0 = 0.2
#   survivors s_S = 0.8, Phi_S = (0.02 + 0.18) / 0.8 = 0.25, mean 0.2, cov 0.05
#     (explicit: (0.25 - 0.5)(0.1 - 0.2) + (0.75 - 0.5)(0.3 - 0.2) = 0.025 + 0.025)
#   exiters s_X = 0.2, Phi_X = 0.0
# Chain 0, now: W = 5, shares 10: 0.4, 20: 0.4, 70: 0.2; Phi = 0.08 + 0.16 + 0.1 = 0.34
#   survivors s_S = 0.8, Phi_S = 0.24 / 0.8 = 0.3, mean 0.3, cov 0
#   entrants s_E = 0.2, Phi_E = 0.5
#   within = mean(0.1, 0.1) = 0.1, reallocation = 0 - 0.05 = -0.05
#   entry = 0.2 (0.5 - 0.3) = 0.04, exit = 0.2 (0.25 - 0.0) = 0.05; sum 0.14 = 0.34 - 0.2
# Chain 1, prev: W = 4, shares 0.5, 0.5; Phi = 0.4 = mean, cov 0
# Chain 1, now: W = 8, shares 40: 0.75, 50: 0.25; Phi = 0.225 + 0.125 = 0.35, mean 0.4,
#   cov -0.05; within = mean(0.1, -0.1) = 0, reallocation = -0.05
# Chain shares: prev [5/9, 4/9], now [5/13, 8/13]
SBAR = [(5 / 9 + 5 / 13) / 2, (4 / 9 + 8 / 13) / 2]
PHIBAR = [(0.2 + 0.34) / 2, (0.4 + 0.35) / 2]
DS = [5 / 13 - 5 / 9, 8 / 13 - 4 / 9]


def test_melitz_polanec_by_hand():
    r = melitz_polanec(snap(PREV), snap(NOW), 2)
    assert list(r) == ["within", "within_other", "reallocation", "entry", "exit", "composition",
                       "total"]
    assert r["within"] == pytest.approx(100 * (SBAR[0] * 0.1 + SBAR[1] * 0.0))
    assert r["within_other"] == pytest.approx(r["within"])
    assert r["reallocation"] == pytest.approx(100 * (SBAR[0] * -0.05 + SBAR[1] * -0.05))
    assert r["entry"] == pytest.approx(100 * SBAR[0] * 0.04)
    assert r["exit"] == pytest.approx(100 * SBAR[0] * 0.05)
    assert r["composition"] == pytest.approx(100 * (PHIBAR[0] * DS[0] + PHIBAR[1] * DS[1]))
    total = 100 * ((5 / 13 * 0.34 + 8 / 13 * 0.35) - (5 / 9 * 0.2 + 4 / 9 * 0.4))
    assert r["total"] == pytest.approx(total)
    assert five_terms(r) == pytest.approx(total)
    assert all(type(x) is float for x in r.values())


def test_melitz_polanec_sources_by_hand():
    # survivors' changes: 10: +0.1, 20: +0.1 (chain 0); 40: +0.1, 50: -0.1 (chain 1)
    # now order: 70, 20, 10, 50, 40; the entrant's (70) gains are ignored
    rd = np.array([9.9, 0.06, 0.04, -0.1, 0.1])  # chain means 0.05 and 0.0
    digital = np.array([5.0, 0.04, 0.06, 0.0, 0.0])  # chain means 0.05 and 0.0
    r = melitz_polanec(snap(PREV), snap(NOW), 2, sources={"rd": rd, "digital": digital})
    assert list(r)[:4] == ["within", "within_rd", "within_digital", "within_other"]
    assert r["within_rd"] == pytest.approx(100 * SBAR[0] * 0.05)
    assert r["within_digital"] == pytest.approx(100 * SBAR[0] * 0.05)
    assert r["within_other"] == pytest.approx(0.0, abs=1e-12)  # sources explain every change
    r = melitz_polanec(snap(PREV), snap(NOW), 2, sources={"rd": rd})
    assert r["within_other"] == pytest.approx(100 * SBAR[0] * 0.05)  # digital's part is left


def test_common_shift_at_now_is_within_growth():
    # every chain has survivors at both dates: +0.01 to every phi at `now` adds 1 point to
    # within (Sbar sums to 1) and to total; entry/exit compare with survivors, and
    # composition moves by 0.005 * sum(dS) = 0
    base = melitz_polanec(snap(PREV), snap(NOW), 2)
    moved = melitz_polanec(snap(PREV), snap([(i, c, p + 0.01, w) for i, c, p, w in NOW]), 2)
    assert moved["within"] == pytest.approx(base["within"] + 1.0)
    assert moved["total"] == pytest.approx(base["total"] + 1.0)
    for key in ("reallocation", "entry", "exit", "composition"):
        assert moved[key] == pytest.approx(base[key], abs=1e-10)


def test_chain_switcher_exits_old_chain_and_enters_new_one():
    prev = [(1, 0, 0.1, 1.0), (2, 0, 0.3, 1.0)]
    now = [(1, 0, 0.2, 1.0), (2, 1, 0.5, 1.0)]  # firm 2 moves to chain 1
    # chain 0: survivor 1 (0.1 -> 0.2), exiter 2 (s_X = 0.5, Phi_X = 0.3), Phi_S,0 = 0.1
    #   within 0.1, exit 0.5 (0.1 - 0.3) = -0.1; Phi_0: 0.2 -> 0.2
    # chain 1: absent at prev -> terms 0, Phi = 0.5 at both dates
    # shares prev [1, 0], now [0.5, 0.5]; Sbar [0.75, 0.25]
    r = melitz_polanec(snap(prev), snap(now), 2)
    assert r["within"] == pytest.approx(100 * 0.75 * 0.1)
    assert r["exit"] == pytest.approx(100 * 0.75 * -0.1)
    assert r["entry"] == pytest.approx(0.0) and r["reallocation"] == pytest.approx(0.0)
    assert r["composition"] == pytest.approx(100 * (0.2 * -0.5 + 0.5 * 0.5))
    assert r["total"] == pytest.approx(100 * ((0.5 * 0.2 + 0.5 * 0.5) - 0.2))
    # identical to the same firm exiting under one id and entering under another
    renamed = melitz_polanec(snap(prev), snap([(1, 0, 0.2, 1.0), (99, 1, 0.5, 1.0)]), 2)
    assert renamed == pytest.approx(r)


def test_chain_empty_at_one_date():
    # chain 0: one survivor 0.1 -> 0.2, weight 1; chain 1 exists only now (phi 0.6, weight 1);
    # chain 2 never exists. Chain 1's Phi at prev is taken as 0.6.
    # shares prev [1, 0, 0], now [0.5, 0.5, 0]; Sbar [0.75, 0.25, 0]
    # composition = 100 (0.15 * -0.5 + 0.6 * 0.5) = 22.5; total = 100 (0.4 - 0.1) = 30
    prev = [(1, 0, 0.1, 1.0)]
    now = [(1, 0, 0.2, 1.0), (2, 1, 0.6, 1.0)]
    r = melitz_polanec(snap(prev), snap(now), 3)
    assert r == pytest.approx({"within": 7.5, "within_other": 7.5, "reallocation": 0.0,
                               "entry": 0.0, "exit": 0.0, "composition": 22.5, "total": 30.0})
    # and empty at `now` (time reversed): every sign flips
    r = melitz_polanec(snap(now), snap(prev), 3)
    assert r == pytest.approx({"within": -7.5, "within_other": -7.5, "reallocation": 0.0,
                               "entry": 0.0, "exit": 0.0, "composition": -22.5, "total": -30.0})


def test_chain_with_only_zero_weights_counts_as_absent():
    prev = [(1, 0, 0.1, 1.0), (2, 1, 0.9, 0.0)]  # chain 1 has a firm, but no weight
    now = [(1, 0, 0.2, 1.0), (2, 1, 0.6, 1.0)]
    expected = melitz_polanec(snap([(1, 0, 0.1, 1.0)]), snap(now), 2)
    assert melitz_polanec(snap(prev), snap(now), 2) == pytest.approx(expected)


def test_chain_with_no_survivors():
    # one chain; prev firms 1, 2 (weights 1, 1; phi 0.0, 0.2) -> Phi_X = 0.1;
    # now firm 3 (weight 2, phi 0.5) -> Phi_E = 0.5; midpoint reference 0.3
    # entry = 0.5 - 0.3 = 0.2, exit = 0.3 - 0.1 = 0.2, total = 0.4
    prev = [(1, 0, 0.0, 1.0), (2, 0, 0.2, 1.0)]
    now = [(3, 0, 0.5, 2.0)]
    r = melitz_polanec(snap(prev), snap(now), 1, sources={"rd": np.array([7.0])})
    assert r == pytest.approx({"within": 0.0, "within_rd": 0.0, "within_other": 0.0,
                               "reallocation": 0.0, "entry": 20.0, "exit": 20.0,
                               "composition": 0.0, "total": 40.0})


@pytest.mark.filterwarnings("error")
def test_survivors_with_zero_weight_are_weighted_equally():
    # prev: survivors 1, 2 (weights 1, 1; phi 0.1, 0.3) -> Phi_S = mean = 0.2, cov 0
    # now: survivors weigh 0 (phi 0.2, 0.6) -> Phi_S := mean = 0.4, cov 0; entrant 3 weight 2,
    #   phi 0.7, s_E = 1
    # within = mean(0.1, 0.3) = 0.2; reallocation 0; entry = 1 (0.7 - 0.4) = 0.3; exit 0
    # total = Phi_now - Phi_prev = 0.7 - 0.2 = 0.5
    prev = [(1, 0, 0.1, 1.0), (2, 0, 0.3, 1.0)]
    now = [(1, 0, 0.2, 0.0), (2, 0, 0.6, 0.0), (3, 0, 0.7, 2.0)]
    r = melitz_polanec(snap(prev), snap(now), 1)
    assert r == pytest.approx({"within": 20.0, "within_other": 20.0, "reallocation": 0.0,
                               "entry": 30.0, "exit": 0.0, "composition": 0.0, "total": 50.0})


@pytest.mark.filterwarnings("error")
def test_entrants_with_zero_weight_change_nothing():
    base = melitz_polanec(snap(PREV), snap(NOW), 2)
    with_ghost = melitz_polanec(snap(PREV), snap([*NOW, (80, 1, 9.0, 0.0)]), 2)
    assert with_ghost == pytest.approx(base)
    # exiters with zero weight neither
    with_ghost = melitz_polanec(snap([*PREV, (90, 1, -9.0, 0.0)]), snap(NOW), 2)
    assert with_ghost == pytest.approx(base)


@pytest.mark.filterwarnings("error")
def test_all_weights_zero_gives_zeros():
    prev = [(1, 0, 0.1, 0.0), (2, 1, 0.3, 0.0)]
    now = [(1, 0, 0.2, 0.0), (3, 1, 0.6, 0.0)]
    r = melitz_polanec(snap(prev), snap(now), 2, sources={"rd": np.array([0.1, 0.2])})
    assert r == {"within": 0.0, "within_rd": 0.0, "within_other": 0.0, "reallocation": 0.0,
                 "entry": 0.0, "exit": 0.0, "composition": 0.0, "total": 0.0}


@pytest.mark.filterwarnings("error")
def test_no_firms_at_all_gives_zeros():
    r = melitz_polanec(snap([]), snap([]), 3, sources={"rd": np.zeros(0)})
    assert r == {"within": 0.0, "within_rd": 0.0, "within_other": 0.0, "reallocation": 0.0,
                 "entry": 0.0, "exit": 0.0, "composition": 0.0, "total": 0.0}
    assert melitz_polanec(snap([]), snap([]), 0)["total"] == 0.0


@pytest.mark.filterwarnings("error")
def test_no_firms_at_one_date_puts_the_level_in_composition():
    # prev empty: Phi_prev = 0 (empty sum); now Phi = 0.25 * 0.2 + 0.75 * 0.6 = 0.5
    now = [(1, 0, 0.2, 1.0), (2, 1, 0.6, 3.0)]
    r = melitz_polanec(snap([]), snap(now), 2)
    assert r == pytest.approx({"within": 0.0, "within_other": 0.0, "reallocation": 0.0,
                               "entry": 0.0, "exit": 0.0, "composition": 50.0, "total": 50.0})


def random_snapshots(rng: np.random.Generator, n: int = 300, n_chains: int = 6):
    """Random firms with entry, exit, chain switches, zero weights and empty chains:
    chain 3 has no firms at prev, chain 4 none at now, chain 5 none at either date, chain 2
    has no survivors."""
    ids0 = rng.permutation(np.arange(10 * n))[:n]
    c0 = rng.choice([0, 1, 2, 4], n)
    phi0 = rng.normal(0, 0.3, n)
    w0 = rng.exponential(1.0, n) * (rng.random(n) > 0.1)
    stay = (rng.random(n) < 0.7) & (c0 != 2) & (c0 != 4)
    k = int(stay.sum())
    c_stay = np.where(rng.random(k) < 0.05, 3, c0[stay])  # a few switch to chain 3
    n_new = n // 3
    ids1 = np.concatenate([ids0[stay], 10 * n + np.arange(n_new)])
    c1 = np.concatenate([c_stay, rng.choice([0, 1, 2, 3], n_new)])
    phi1 = np.concatenate([phi0[stay] + rng.normal(0.02, 0.05, k), rng.normal(0.1, 0.3, n_new)])
    w1 = rng.exponential(1.0, k + n_new) * (rng.random(k + n_new) > 0.1)
    perm = rng.permutation(k + n_new)
    prev = Snapshot(ids0, c0, phi0, w0)
    now = Snapshot(ids1[perm], c1[perm], phi1[perm], w1[perm])
    return prev, now, n_chains


@pytest.mark.parametrize("seed", range(10))
def test_terms_sum_to_total_on_random_data(seed):
    prev, now, n_chains = random_snapshots(np.random.default_rng(seed))
    r = melitz_polanec(prev, now, n_chains)
    assert np.isfinite(list(r.values())).all()
    assert five_terms(r) == pytest.approx(r["total"], abs=1e-10)
    assert r["entry"] != 0 and r["exit"] != 0 and r["composition"] != 0


@pytest.mark.parametrize("seed", range(5))
def test_time_reversal_and_normalisation_on_random_data(seed):
    prev, now, n_chains = random_snapshots(np.random.default_rng(seed))
    r = melitz_polanec(prev, now, n_chains)
    back = melitz_polanec(now, prev, n_chains)
    assert back["total"] == pytest.approx(-r["total"])
    assert back["within"] == pytest.approx(-r["within"])
    assert back["reallocation"] == pytest.approx(-r["reallocation"])
    assert back["entry"] == pytest.approx(-r["exit"])
    assert back["exit"] == pytest.approx(-r["entry"])
    assert back["composition"] == pytest.approx(-r["composition"])
    # shifting every phi by a constant at both dates changes nothing ...
    shift = lambda s, a: Snapshot(s.ids, s.chain, s.phi + a, s.weight)  # noqa: E731
    assert melitz_polanec(shift(prev, 1.5), shift(now, 1.5), n_chains) == pytest.approx(r)



@pytest.mark.parametrize("seed", range(5))
def test_sources_on_random_data(seed):
    rng = np.random.default_rng(seed)
    prev, now, n_chains = random_snapshots(rng)
    # each survivor's change, aligned with now.ids; garbage for non-survivors
    order = np.argsort(prev.ids)
    pos = np.minimum(np.searchsorted(prev.ids[order], now.ids), prev.ids.size - 1)
    match = (prev.ids[order][pos] == now.ids) & (prev.chain[order][pos] == now.chain)
    change = np.where(match, now.phi - prev.phi[order][pos], rng.normal(0, 5, now.ids.size))
    a = rng.random(now.ids.size)
    r = melitz_polanec(prev, now, n_chains, sources={"rd": a * change, "digital": (1 - a) * change})
    assert r["within_other"] == pytest.approx(0.0, abs=1e-10)
    assert r["within_rd"] + r["within_digital"] == pytest.approx(r["within"])
    r = melitz_polanec(prev, now, n_chains, sources={"rd": 0.5 * change})
    assert r["within_rd"] == pytest.approx(r["within"] / 2)
    assert r["within_other"] == pytest.approx(r["within"] / 2)


def test_already_sorted_ids_give_the_same_answer():
    prev, now, n_chains = random_snapshots(np.random.default_rng(11))
    sort = lambda s: Snapshot(*(x[np.argsort(s.ids)] for x in (s.ids, s.chain, s.phi,  # noqa: E731
                                                                   s.weight)))
    assert melitz_polanec(sort(prev), sort(now), n_chains) == pytest.approx(
        melitz_polanec(prev, now, n_chains))


def test_invalid_snapshots_raise():
    good = snap(PREV)
    with pytest.raises(ValueError, match="unique"):
        melitz_polanec(snap([(1, 0, 0.1, 1.0), (1, 0, 0.2, 1.0)]), good, 2)
    with pytest.raises(ValueError, match="unique"):
        melitz_polanec(good, snap([(2, 0, 0.1, 1.0), (1, 0, 0.2, 1.0), (2, 1, 0.3, 1.0)]), 2)
    with pytest.raises(ValueError, match="chain"):
        melitz_polanec(good, snap(NOW), 1)
    with pytest.raises(ValueError, match="weight"):
        melitz_polanec(snap([(1, 0, 0.1, -1.0)]), good, 2)
    with pytest.raises(ValueError, match="aligned"):
        melitz_polanec(good, snap(NOW), 2, sources={"rd": np.zeros(3)})
    with pytest.raises(ValueError, match="other"):
        melitz_polanec(good, snap(NOW), 2, sources={"other": np.zeros(5)})
    with pytest.raises(ValueError):
        Snapshot(np.arange(3), np.zeros(2, np.intp), np.zeros(3), np.zeros(3))
