import warnings

import numpy as np
import pandas as pd
import pytest

from chainshift.agents import Enterprise, IndustrialPark, ResearchInstitute
from chainshift.model import TransitionModel
from chainshift.model.indicators import INDICATORS, MAYBE_NAN, NAMED_MOVES
from chainshift.model.ledger import POOL
from chainshift.scenarios import load_scenario
from chainshift.scenarios.schema import EnergyShortage
from tests.conftest import baseline_run

REQUIRED = (
    "step year quarter value_added value_added_growth investment investment_growth "
    "capital_contribution labour_contribution tfp_contribution innovation_share rd_spending "
    "rd_intensity enterprises high_tech specialized_new little_giants entries exits "
    "strategic_emerging_share energy_use energy_intensity co2 carbon_intensity green_share "
    "digital_level park_output_share coupling_index"
).split()


def test_indicator_columns(baseline_model):
    df = baseline_model.indicators()
    assert set(REQUIRED) <= set(df.columns)
    assert list(df.columns) == list(INDICATORS)
    assert len(df) == 60
    assert df["year"].tolist()[:5] == [2021, 2021, 2021, 2021, 2022]
    assert df["quarter"].tolist()[:5] == [1, 2, 3, 4, 1]


def defined(df: pd.DataFrame) -> np.ndarray:
    """The indicators that are defined in every quarter (the yearly accounting is NaN in the
    first three quarters, the innovation share where growth is below 1% a year, the TFP
    decomposition outside fourth quarters)."""
    return df.drop(columns=[c for c in df.columns if c in MAYBE_NAN]).to_numpy(dtype=float)


def test_no_nan_or_inf_anywhere(baseline_model):
    df = baseline_model.indicators()
    assert np.isfinite(defined(df)).all()
    q4 = df[df.quarter == 4]
    assert np.isfinite(q4[[c for c in MAYBE_NAN if c != "innovation_share"]].to_numpy()).all()
    assert df.loc[df.quarter < 4, "tfp_within"].isna().all()
    assert df.loc[:2, "tfp_contribution"].isna().all()
    assert df.loc[3:, "tfp_contribution"].notna().all()
    flows = baseline_model.flows()
    assert np.isfinite(flows["amount"]).all() and (flows["amount"] > 0).all()
    f = baseline_model.firms
    for col in f.columns:
        assert np.isfinite(getattr(f, col).astype(float)).all(), col


def test_stocks_that_cannot_be_negative(baseline_model):
    f = baseline_model.firms
    for col in ("K", "Kp", "L", "H", "A", "y", "yd", "p", "c", "va", "rd", "energy", "co2",
                "share", "D", "M", "know"):
        assert (getattr(f, col) >= 0).all(), col
    assert ((f.d >= 0) & (f.d <= 1)).all() and ((f.g >= 0) & (f.g <= 1)).all()
    assert ((f.z >= 0) & (f.z <= 1)).all()
    assert (f.K + f.M - f.D >= 0).all()  # firms with negative net worth have exited
    df = baseline_model.indicators()
    counts = ["enterprises", "high_tech", "specialized_new", "little_giants", "entries", "exits"]
    assert (df[counts] >= 0).all().all()
    assert ((df["green_share"] >= 0) & (df["green_share"] <= 100)).all()
    assert baseline_model.talent >= 0 and baseline_model.wage > 0 and baseline_model.rd_wage > 0


def test_capital_flows_balance():
    """What enterprises and government pay institutes is what institutes receive."""
    m = TransitionModel(load_scenario("baseline"), rng=3)
    flows_in = []
    received = []
    for _ in range(8):
        m.step()
        received.append(m.institutes.funding.sum())
        fl = m.flows()
        step = fl[(fl.step == m.t - 1) & (fl.factor == "capital") & (fl.to_kind == "institute")]
        flows_in.append(step.amount.sum())
    assert np.allclose(flows_in, received)


def test_market_shares_sum_to_one_per_chain(baseline_model):
    f = baseline_model.firms
    assert np.allclose(np.bincount(f.chain, weights=f.share), 1.0)


def test_same_seed_same_output_different_seed_differs():
    a = TransitionModel(load_scenario("baseline"), rng=11).run(steps=12)
    b = TransitionModel(load_scenario("baseline"), rng=11).run(steps=12)
    c = TransitionModel(load_scenario("baseline"), rng=12).run(steps=12)
    pd.testing.assert_frame_equal(a.indicators(), b.indicators())
    pd.testing.assert_frame_equal(a.flows(), b.flows())
    assert not a.indicators()["value_added"].equals(c.indicators()["value_added"])


def test_agents_are_mesa_agents_viewing_columns():
    m = baseline_run(0)
    f = m.firms
    firms = m.agents_by_type[Enterprise]
    assert len(firms) == len(f)
    assert len(m.agents_by_type[IndustrialPark]) == len(m.parks)
    assert len(m.agents_by_type[ResearchInstitute]) == len(m.institutes)
    e = next(iter(firms))
    row = f.row(e.slot)
    assert e.tfp == f.A[row] and e.capital == f.K[row]
    assert e.chain in m.chain_names
    park = m.park_agents[0]
    assert sum(park.tenants_by_chain().values()) == len(park.tenants)
    assert all(t.park is park for t in park.tenants)


def test_writing_an_agent_attribute_writes_the_column():
    m = TransitionModel(load_scenario("baseline", overrides={"population.enterprises": 200}), rng=1)
    e = next(iter(m.agents_by_type[Enterprise]))
    e.green = 0.75
    assert m.firms.g[m.firms.row(e.slot)] == 0.75


def test_exited_firms_leave_the_model():
    m = baseline_run(0, steps=60)
    assert m.indicators()["exits"].sum() > 0
    dead = sum(a is None for a in m.enterprise_by_slot)
    assert dead >= m.indicators()["exits"].sum()
    assert dead + len(m.firms) == len(m.enterprise_by_slot)
    alive = m.agents_by_type[Enterprise]
    assert len(alive) == len(m.firms) and all(a.alive for a in alive)


def _agent_register(m):
    """(type, unique id, slot) of every agent in the order Mesa holds them, overall and by
    type."""
    def row(a):
        return type(a).__name__, a.unique_id, a.slot, a.pos, a.model is m

    return ([row(a) for a in m.agents],
            {t.__name__: [row(a) for a in s] for t, s in m.agents_by_type.items()},
            m.agent_id_counter)


def test_batch_registration_matches_mesa_one_by_one():
    """Entrants and leavers are (de)registered in batches; with an observer of Mesa's agent
    signals every agent takes Mesa's own path. Both give the same agents, ids and order, and
    the observer sees every addition and removal."""
    from mesa.experimental.mesa_signals import ModelSignals

    scenario = load_scenario("baseline", overrides={"population.enterprises": 300})
    fast = TransitionModel(scenario, rng=3).run(steps=8)

    class Observed(TransitionModel):
        def __init__(self, *args, **kwargs):
            self.seen = []
            super().__init__(*args, **kwargs)

        def _init_institutes(self):  # runs before the first agent is made
            self.handler = lambda s: self.seen.append(s.signal_type)  # held: weakly observed
            for signal in (ModelSignals.AGENT_ADDED, ModelSignals.AGENT_REMOVED):
                self.observe("agents", signal, self.handler)
            super()._init_institutes()

    slow = Observed(scenario, rng=3).run(steps=8)
    assert _agent_register(fast) == _agent_register(slow)
    entries, exits = (int(fast.indicators()[k].sum()) for k in ("entries", "exits"))
    added = slow.seen.count(ModelSignals.AGENT_ADDED)
    created = len(slow.enterprise_by_slot) + len(slow.park_agents) + len(slow.institute_by_slot)
    assert added == created
    assert slow.seen.count(ModelSignals.AGENT_REMOVED) >= exits > 0 and entries > 0
    pd.testing.assert_frame_equal(fast.indicators(), slow.indicators())


def test_run_stops_at_horizon():
    s = load_scenario(
        "baseline", overrides={"population.enterprises": 200, "horizon.end_year": 2022}
    )
    m = TransitionModel(s, rng=0)
    m.run()
    assert m.finished and not m.running and len(m.indicators()) == 8
    m.step()
    assert len(m.indicators()) == 8


def test_flows_cover_all_four_factors(baseline_model):
    fl = baseline_model.flows()
    assert set(fl["factor"]) == {"talent", "capital", "technology", "data"}
    last = fl[fl.step == fl.step.max()]
    assert set(last["factor"]) == {"talent", "capital", "technology", "data"}


@pytest.mark.parametrize("n", [50, 300])
def test_small_populations_run(n):
    m = TransitionModel(load_scenario("baseline", overrides={"population.enterprises": n}), rng=4)
    m.run(steps=20)
    assert np.isfinite(defined(m.indicators())).all()


def test_a_collapsing_industry_runs_without_errors():
    s = load_scenario(
        "baseline", overrides={"population.enterprises": 300, "finance.exit_losses": 2}
    )
    s.events.append(EnergyShortage(kind="energy_shortage", start="2021Q1", quarters=8, cut=0.3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = TransitionModel(s, rng=0).run(steps=8)
    df = m.indicators()
    assert df["exits"].sum() > 0.2 * df["enterprises"].iloc[0]  # the shortage kills firms
    assert np.isfinite(defined(df)).all()


def test_no_introduced_talent_gives_no_government_talent_flow():
    s = load_scenario(
        "baseline",
        overrides={"population.enterprises": 300, "policy.talent_introduction": 0.0},
    )
    fl = TransitionModel(s, rng=0).run(steps=8).flows()
    talent = fl[fl.factor == "talent"]
    assert not (talent.from_kind == "government").any()
    assert (talent.from_kind == "institute").any()


def test_an_industry_whose_firms_all_exit_at_once_stays_empty():
    m = TransitionModel(load_scenario("baseline", overrides={"population.enterprises": 200}), rng=2)
    m.firms.D = 1e9  # all insolvent: all exit this quarter, none is left to spin off
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.run(steps=4)
    df = m.indicators()
    assert (df["enterprises"] == 0).all() and (df["value_added"] == 0).all()
    assert df["exits"].iloc[0] > 100 and np.isfinite(defined(df)).all()
    assert len(m.agents_by_type[Enterprise]) == 0


def test_phases_on_row_blocks_give_the_same_run(monkeypatch):
    """Large populations are worked on in blocks of rows (model.arrays.blockwise): the run is
    bit for bit the one on whole columns, indicators and flows alike."""
    import chainshift.model.arrays as arrays_module

    scenario = load_scenario("baseline", overrides={"population.enterprises": 3000})
    whole = TransitionModel(scenario, rng=2).run(steps=12)
    monkeypatch.setattr(arrays_module, "BLOCK", 512)
    blocks = TransitionModel(scenario, rng=2).run(steps=12)
    pd.testing.assert_frame_equal(whole.indicators(), blocks.indicators(), check_exact=True)
    pd.testing.assert_frame_equal(whole.flows(), blocks.flows(), check_exact=True)


def test_row_blocks_on_one_or_two_threads_give_the_same_run(monkeypatch):
    """Row blocks run on threads (model.arrays.THREADS): one thread and two give the same run,
    bit for bit."""
    import threading

    import chainshift.model.arrays as arrays_module

    scenario = load_scenario("baseline", overrides={"population.enterprises": 3000})
    monkeypatch.setattr(arrays_module, "BLOCK", 256)
    runs = []
    for threads in (1, 2):
        monkeypatch.setattr(arrays_module, "THREADS", threads)
        runs.append(TransitionModel(scenario, rng=5).run(steps=8))
    assert any(t.name.startswith("chainshift-block") for t in threading.enumerate())
    pd.testing.assert_frame_equal(runs[0].indicators(), runs[1].indicators(), check_exact=True)
    pd.testing.assert_frame_equal(runs[0].flows(), runs[1].flows(), check_exact=True)


# -- the flow ledger by pair of agents --------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_pair_ledger_sums_to_the_kind_ledger_and_names_real_agents(seed):
    m = TransitionModel(load_scenario("baseline", overrides={"population.enterprises": 800}),
                        rng=seed)
    m.run(steps=12)
    pairs, kinds = m.flows(by="agent"), m.flows()
    assert (pairs["amount"] > 0).all() and np.isfinite(pairs["amount"]).all()
    keys = ["step", "factor", "from_kind", "to_kind"]
    summed = pairs.groupby(keys, observed=True)["amount"].sum().reset_index()
    both = kinds.merge(summed, on=keys, how="outer", suffixes=("_kind", "_pairs"))
    assert both.notna().all().all()
    np.testing.assert_allclose(both["amount_pairs"], both["amount_kind"], rtol=1e-12)
    # enterprise ends are firm slots that existed, with the chain and park they had
    f = m.firms
    for end in ("from", "to"):
        firms = pairs[(pairs[f"{end}_kind"] == "enterprise") & (pairs[f"{end}_id"] >= 0)]
        ids = firms[f"{end}_id"].to_numpy()
        assert ids.max() < len(f.row_of) and (ids >= 0).all()
        rows = f.row_of[ids]
        live = rows >= 0
        assert (f.chain[rows[live]] == firms[f"{end}_chain"].to_numpy()[live]).all()
        assert (f.park[rows[live]] == firms[f"{end}_park"].to_numpy()[live]).all()
    # what a firm pays institutes in the last quarter, over all its contracts, is its contract
    # share of its R&D
    # (R&D is set in phase 4 and not changed after it; firms that left since are not checked)
    last = pairs[(pairs["step"] == m.t - 1) & (pairs["from_kind"] == "enterprise")
                 & (pairs["to_kind"] == "institute")].groupby("from_id")["amount"].sum()
    rows = f.row_of[last.index.to_numpy()]
    live = rows >= 0
    paid = m.config.finance.contract_share * f.rd[rows[live]]
    np.testing.assert_allclose(last.to_numpy()[live], paid, rtol=1e-12)
    assert live.sum() > 0.9 * len(last)


def test_flows_by_chain_and_park_regroup_the_pairs():
    m = TransitionModel(load_scenario("baseline", overrides={"population.enterprises": 500}),
                        rng=0)
    m.run(steps=4)
    pairs = m.flows(by="agent")
    for by in ("chain", "park"):
        view = m.flows(by=by)
        assert view["amount"].sum() == pytest.approx(pairs["amount"].sum())
        assert set(view[f"to_{by}"]) <= set(pairs[f"to_{by}"])
    with pytest.raises(ValueError, match="allowed: 'kind', 'agent', 'chain', 'park'"):
        m.flows(by="district")


def test_a_large_population_keeps_the_ledger_by_kind_unless_asked(monkeypatch):
    import chainshift.model.model as model_module

    small = load_scenario("baseline", overrides={"population.enterprises": 200})
    assert TransitionModel(small, rng=0).ledger.pairs
    assert not TransitionModel(small, rng=0, pair_ledger=False).ledger.pairs
    monkeypatch.setattr(model_module, "PAIR_LEDGER_LIMIT", 199)  # 200 firms is now "large"
    assert not TransitionModel(small, rng=0).ledger.pairs
    assert TransitionModel(small, rng=0, pair_ledger=True).ledger.pairs
    m = TransitionModel(small, rng=0, pair_ledger=False)
    m.run(steps=2)
    with pytest.raises(ValueError, match="by kind only"):
        m.flows(by="agent")


def test_the_pair_ledger_changes_nothing_the_model_does():
    s = load_scenario("baseline", overrides={"population.enterprises": 600})
    a, b = TransitionModel(s, rng=4, pair_ledger=True), TransitionModel(s, rng=4,
                                                                       pair_ledger=False)
    a.run(steps=8)
    b.run(steps=8)
    named = list(NAMED_MOVES)  # staff moves are named only in the pair ledger
    pd.testing.assert_frame_equal(a.indicators().drop(columns=named),
                                  b.indicators().drop(columns=named))
    assert b.indicators()[named].isna().all().all()
    assert a.indicators()[named].notna().all().all()
    pd.testing.assert_frame_equal(a.flows(), b.flows())


def test_talent_moves_between_firms_are_recorded_where_staff_grew():
    m = TransitionModel(load_scenario("baseline", overrides={"population.enterprises": 800}),
                        rng=0)
    m.run(steps=6)
    moves = m.flows(by="agent")
    moves = moves[(moves["factor"] == "talent") & (moves["from_kind"] == "enterprise")]
    assert moves["amount"].sum() > 0  # staff do change employer
    assert (moves["to_id"] >= 0).all()  # to a named firm, from a named firm or the pool
    named = moves[moves["from_id"] != POOL]
    assert len(named) > 0 and (named["from_id"] != named["to_id"]).all()
