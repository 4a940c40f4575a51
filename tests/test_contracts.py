"""The contract network's rules on small hand-made inputs (model/contracts.py)."""

from types import SimpleNamespace

import numpy as np
import pytest

from chainshift.model.contracts import (
    END,
    LEAD,
    NEVER,
    PARTNER,
    Edges,
    chain_median_log_tfp,
    contract_lengths,
    draw_rows,
    edges,
    lead_of,
    partners_held,
    payments,
    renew_or_end,
    route_knowledge,
    search_weights,
    sign,
)


def firm_columns(n: int, **given) -> SimpleNamespace:
    """A stand-in for the firm table: the contract columns, zero unless given."""
    cols = {name: np.zeros(n, np.int64) for name in PARTNER}
    cols |= {name: np.zeros(n, np.int32) for name in END}
    cols |= {name: np.zeros(n) for name in LEAD}
    cols |= {k: np.asarray(v) for k, v in given.items()}
    return SimpleNamespace(**cols)


def test_draw_rows_inverts_each_rows_cdf():
    weights = np.array([[1.0, 0.0, 3.0], [0.0, 0.0, 0.0], [2.0, 2.0, 0.0]])
    group = np.array([0, 0, 2, 1, 2, 2])
    u = np.array([0.1, 0.3, 0.6, 0.5, 0.4, 0.999])
    # row 0: cdf 0.25, 0.25, 1; row 1 has no weight; row 2: cdf 0.5, 1, 1
    assert draw_rows(weights, group, u).tolist() == [0, 2, 1, -1, 0, 1]


def test_draw_rows_frequencies_follow_the_weights():
    weights = np.array([[1.0, 2.0, 7.0]])
    u = np.random.default_rng(0).random(100_000)
    counts = np.bincount(draw_rows(weights, np.zeros(u.size, np.intp), u), minlength=3)
    assert counts / u.size == pytest.approx([0.1, 0.2, 0.7], abs=0.005)


def test_search_weights_by_hand():
    researchers = np.array([100.0, 50.0, 10.0])
    focus = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    park = np.array([1, -1, 0])
    platform, near = search_weights(researchers, focus, park, n_parks=2, colocation_bonus=4.0)
    assert platform.tolist() == [[100.0, 25.0, 0.0], [0.0, 25.0, 10.0]]
    # park 0 multiplies institute 2 by 1 + 4, park 1 institute 0; outside parks: researchers
    assert near.tolist() == [[100.0, 50.0, 50.0], [500.0, 50.0, 10.0], [100.0, 50.0, 10.0]]


def test_a_successful_contract_is_renewed_and_a_failed_one_ends():
    f = firm_columns(3, contract0=[4, 5, 6], contract_end0=[7, 7, 9],
                     contract_lead0=[0.1, 0.1, 0.1], A=np.exp([0.2, 0.0, 0.0]),
                     chain=np.zeros(3, np.intp))
    mean = np.array([0.0])  # firm 0 gained on its chain (lead 0.2), firm 1 fell back (0)
    renewed, ended = renew_or_end(f, 7, mean, lambda n: np.full(n, 3, np.int32))
    assert (renewed, ended) == (1, 1)
    assert f.contract0.tolist() == [4, 0, 6]  # firm 2's contract is not due
    assert f.contract_end0.tolist() == [10, NEVER, 9]
    assert f.contract_lead0[0] == pytest.approx(0.2)  # the next term is judged from here


def test_sign_fills_the_first_free_slot_and_skips_a_partner_already_held():
    f = firm_columns(3, contract0=[3, 0, 2], contract1=[0, 0, 5], A=np.exp([0.5, 0.6, 0.7]),
                     chain=np.array([0, 1, 1]))
    mean = np.array([0.0, 0.1])
    rows = np.array([0, 1, 2, 0])
    institute = np.array([6, 1, 7, 2])  # slots; codes are slot + 1: firm 0 already holds 3
    signed = sign(f, rows[:3], institute[:3], t=4, chain_median=mean,
                  lengths=np.array([2, 3, 4], np.int32))
    assert signed == 3
    assert f.contract1[0] == 7 and f.contract0[1] == 2 and f.contract2[2] == 8
    assert f.contract_end1[0] == 6 and f.contract_end0[1] == 7 and f.contract_end2[2] == 8
    assert f.contract_lead2[2] == pytest.approx(0.6)  # ln A - m_c = 0.7 - 0.1
    assert sign(f, rows[3:], institute[3:], 5, mean, np.array([1], np.int32)) == 0
    assert partners_held(f).tolist() == [2, 1, 3]
    assert sign(f, np.array([2]), np.array([0]), 5, mean, np.array([1], np.int32)) == 0


def test_edges_map_institute_slots_to_rows():
    f = firm_columns(3, contract0=[2, 0, 1], contract2=[1, 0, 0])
    institutes = SimpleNamespace(row_of=np.array([1, 0]))  # slot 0 at row 1, slot 1 at row 0
    e = edges(f, institutes)
    assert e.firm.tolist() == [0, 2, 0] and e.slot.tolist() == [0, 0, 2]
    assert e.institute.tolist() == [0, 1, 1]


def test_payments_split_each_firms_contract_budget_over_its_partners():
    e = Edges(np.array([0, 0, 1]), np.array([0, 1, 1]), np.zeros(3, np.int8))
    paid = payments(np.array([2.0, 1.0, 5.0]), 0.1, e)
    assert paid.tolist() == pytest.approx([0.1, 0.1, 0.1])  # 0.1 x 2 / 2, 0.1 x 1 / 1
    assert paid.sum() == pytest.approx(0.1 * 3.0)  # firm 2 has none: it pays elsewhere


def test_route_knowledge_by_hand():
    # institute 0 (research) has partners 0 and 1 in chain 0; institute 1 (research) none;
    # institute 2 (a centre) has partner 2 in chain 1
    usable = np.array([[4.0, 2.0], [1.0, 3.0], [0.0, 0.0]])
    e = Edges(np.array([0, 1, 2]), np.array([0, 0, 2]), np.zeros(3, np.int8))
    chain = np.array([0, 0, 1])
    absorbing = np.array([1.0, 3.0, 2.0])
    rate, pooled = route_knowledge(usable, e, chain, absorbing, 0.5,
                                   np.array([True, True, False]))
    # theta U_00 = 2 over partners' absorbing value added 4: 0.5 per unit
    assert rate.tolist() == pytest.approx([0.5, 0.5, 0.0])
    assert (rate * absorbing[e.firm]).sum() == pytest.approx(2.0)
    assert pooled.tolist() == pytest.approx([4.0 + 1.0 - 2.0, 2.0 + 3.0])


def test_a_firms_lead_is_its_gap_to_its_chains_median():
    log_a, chain = np.array([0.0, 1.0, 1.0, 5.0, 2.0]), np.array([0, 0, 1, 0, 1])
    median = chain_median_log_tfp(log_a, chain, 3)
    assert median.tolist() == pytest.approx([1.0, 1.5, 0.0])  # chain 2 has no firms
    f = SimpleNamespace(A=np.exp(log_a), chain=chain)
    assert lead_of(f, median, np.arange(5)).tolist() == pytest.approx([-1.0, 0.0, -0.5, 4.0, 0.5])


def test_contract_lengths_average_the_mean_term():
    lengths = contract_lengths(np.random.default_rng(1), 8, 50_000)
    assert lengths.min() == 1 and lengths.max() == 15
    assert lengths.mean() == pytest.approx(8.0, abs=0.05)


def test_a_draw_near_one_never_lands_on_an_option_without_weight():
    weights = np.array([[1.0, 0.0, 3.0], [2.0, 2.0, 0.0], [0.0, 5.0, 0.0]])
    u = np.full(3, np.nextafter(1.0, 0.0))
    assert draw_rows(weights, np.arange(3), u).tolist() == [2, 1, 1]


def test_contracts_stay_with_their_firm_when_other_firms_leave():
    from chainshift import TransitionModel, load_scenario

    model = TransitionModel(load_scenario("baseline", overrides={"population.enterprises": 300}),
                            rng=2)
    model.run(3)
    f = model.firms
    before = {int(s): tuple(int(getattr(f, c)[r]) for c in PARTNER)
              for r, s in enumerate(f.slot.tolist())}
    assert any(any(v) for v in before.values())
    model.remove_firms(np.arange(0, len(f), 3))  # swap-remove a third of the rows
    after = {int(s): tuple(int(getattr(f, c)[r]) for c in PARTNER)
             for r, s in enumerate(f.slot.tolist())}
    assert after and all(after[s] == before[s] for s in after)
