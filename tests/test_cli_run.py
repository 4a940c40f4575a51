"""``run.py run`` end to end: the results folder, its manifest, and bad input."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd):
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_run_writes_results_folder(tmp_path):
    r = run_cli(
        "run",
        "baseline",
        "--seed",
        "3",
        "--until",
        "2022",
        "--set",
        "population.enterprises=500",
        "--out",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    (folder,) = list((tmp_path / "out").iterdir())
    assert folder.name.startswith("baseline-")
    names = {p.name for p in folder.iterdir()}
    assert {
        "indicators.parquet",
        "flows.parquet",
        "indicators.csv",
        "flows.csv",
        "manifest.json",
        "scenario.toml",
        "indicators_by_chain.parquet",
        "indicators_by_park.parquet",
        "flows_by_agent.parquet",
    } <= names
    assert "firms.parquet" not in names  # --snapshot none, the default
    pairs = pd.read_parquet(folder / "flows_by_agent.parquet")
    kinds = pd.read_parquet(folder / "flows.parquet")
    assert pairs["amount"].sum() == pytest.approx(kinds["amount"].sum(), rel=1e-12)
    assert {"from_id", "to_id", "from_chain", "to_chain", "from_park", "to_park"} <= set(pairs)
    listed = pd.read_csv(folder / "columns.csv", keep_default_na=False)
    assert set(listed.loc[listed["file"] == "flows_by_agent.parquet", "column"]) == set(pairs)
    parks = pd.read_parquet(folder / "indicators_by_park.parquet")
    assert set(listed.loc[listed["file"] == "indicators_by_park.parquet", "column"]) == set(parks)
    assert pq.read_schema(folder / "indicators_by_park.parquet").field(
        "budget").metadata[b"unit"] == b"100m yuan"
    ind = pd.read_parquet(folder / "indicators.parquet")
    assert len(ind) == 8 and ind["year"].max() == 2022
    pd.testing.assert_frame_equal(ind, pd.read_csv(folder / "indicators.csv"), check_dtype=False)
    flows = pd.read_parquet(folder / "flows.parquet")
    assert set(flows["factor"]) == {"talent", "capital", "technology", "data"}
    man = json.loads((folder / "manifest.json").read_text())
    assert man["seed"] == 3
    assert man["scenario"]["population"]["enterprises"] == 500
    assert {"python", "mesa", "numpy", "chainshift"} <= set(man["versions"])
    assert man["git_commit"] and man["wall_time_s"] > 0
    assert "2021" in r.stdout and "2022" in r.stdout  # the yearly table


def test_same_seed_same_files(tmp_path):
    for out in ("a", "b"):
        r = run_cli(
            "run",
            "--steps",
            "6",
            "--set",
            "population.enterprises=300",
            "--out",
            str(tmp_path / out),
            "--quiet",
            cwd=tmp_path,
        )
        assert r.returncode == 0, r.stderr
    a = pd.read_parquet(next((tmp_path / "a").iterdir()) / "indicators.parquet")
    b = pd.read_parquet(next((tmp_path / "b").iterdir()) / "indicators.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_bad_input_exits_2_with_one_line_and_no_folder(tmp_path):
    cases = [
        ("run", "no_such_scenario"),
        ("run", "--set", "policy.carbon_prize=10"),
        ("run", "--set", "policy.carbon_price=-1"),
        ("run", "--seed", "-4"),
        ("run", "--until", "2050"),
        ("run", "--snapshot", "monthly"),
    ]
    for args in cases:
        r = run_cli(*args, "--out", str(tmp_path / "out"), cwd=tmp_path)
        assert r.returncode == 2, (args, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:"), (args, r.stderr)
        assert "Traceback" not in r.stderr
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_bad_snapshot_schedule_names_the_allowed_values(tmp_path):
    r = run_cli("run", "--snapshot", "monthly", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == ("error: run.py run: argument --snapshot: 'monthly' is not a "
                                "snapshot schedule; allowed: none, yearly")


def test_yearly_snapshots_hold_the_firm_table_at_each_years_last_quarter(tmp_path):
    from chainshift.model.setup import FIRM_COLUMNS

    r = run_cli("run", "--steps", "10", "--snapshot", "yearly", "--set",
                "population.enterprises=300", "--out", str(tmp_path / "out"), "--quiet",
                cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (folder,) = (tmp_path / "out").iterdir()
    firms = pd.read_parquet(folder / "firms.parquet")
    ind = pd.read_parquet(folder / "indicators.parquet")
    assert list(firms.columns) == ["year", "quarter", "step", "id", *FIRM_COLUMNS]
    # one block per simulated year: 2021 and 2022 at their fourth quarter, 2023 at the run's
    # last quarter (the run stops in 2023Q2)
    blocks = firms.groupby(["year", "quarter", "step"]).size()
    assert blocks.index.tolist() == [(2021, 4, 3), (2022, 4, 7), (2023, 2, 9)]
    counts = ind.set_index("step")["enterprises"]
    assert blocks.tolist() == counts.loc[[3, 7, 9]].tolist()
    assert not firms.duplicated(["year", "id"]).any()
    assert (firms["K"] > 0).all() and firms["chain"].notna().all()
    d = pd.read_csv(folder / "columns.csv", dtype=str, keep_default_na=False)
    listed = d[d["file"] == "firms.parquet"].set_index("column")
    assert list(listed.index) == list(firms.columns)
    assert (listed["description"] != "").all()
    assert listed.loc["K", "unit"] == "100m yuan"


def test_the_header_explains_the_counts_after_the_spin_up_year(tmp_path):
    r = run_cli("run", "baseline", "--steps", "4", "--set", "population.enterprises=500",
                "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    head = r.stdout.splitlines()[0]
    assert "in 2021Q1, 4 quarters" in head
    assert "(the scenario's 500, 120 and 43 start the unrecorded spin-up year 2020)" in head


def test_the_calibrated_scenario_runs_by_name(tmp_path):
    r = run_cli("run", "calibrated", "--steps", "4", "--set", "population.enterprises=300",
                "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("calibrated seed 0")


SMALL = ("--steps", "8", "--set", "population.enterprises=300")


def only_folder(out):
    (folder,) = list(out.iterdir())
    return folder


def test_seeds_write_every_seed_a_manifest_and_bands(tmp_path):
    r = run_cli("run", "--seed", "2", "--seeds", "3", *SMALL, "--workers", "2",
                "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    folder = only_folder(tmp_path / "out")
    names = {p.name for p in folder.iterdir()}
    assert {"indicators.parquet", "indicators.csv", "yearly.csv", "bands.csv", "manifest.json",
            "scenario.toml", "columns.csv"} <= names
    ind = pd.read_parquet(folder / "indicators.parquet")
    assert ind.columns[0] == "seed"
    assert sorted(ind["seed"].unique()) == [2, 3, 4]
    assert (ind.groupby("seed").size() == 8).all()
    man = json.loads((folder / "manifest.json").read_text())
    assert man["seeds"] == [2, 3, 4] and man["seed"] == 2 and man["failed_seeds"] == []
    assert man["band"]["low_quantile"] == 0.05 and man["band"]["high_quantile"] == 0.95
    assert set(man["outcomes"]) == {"2", "3", "4"}
    bands = pd.read_csv(folder / "bands.csv")
    assert (bands["n"] == 3).all()
    assert (bands["low"] <= bands["mean"] + 1e-9).all()
    assert (bands["mean"] <= bands["high"] + 1e-9).all()
    yearly = pd.read_csv(folder / "yearly.csv")
    vag = yearly[yearly["year"] == 2022]["value_added_growth"].to_numpy()
    row = bands[(bands["year"] == 2022) & (bands["indicator"] == "value_added_growth")].iloc[0]
    assert row["mean"] == pytest.approx(vag.mean())
    assert row["low"] == pytest.approx(np.quantile(vag, 0.05))
    assert row["high"] == pytest.approx(np.quantile(vag, 0.95))
    # the table prints the mean and the band of each full year
    out = r.stdout
    assert "mean [5th, 95th percentile] over 3 seeds (2-4): the 90% seed band" in out
    line = next(x for x in out.splitlines() if x.startswith("2022 "))
    assert f"{row['mean']:.1f} [{row['low']:.1f}, {row['high']:.1f}]" in line
    assert "met in" in out and "of 3 seeds" in out
    chains = pd.read_parquet(folder / "indicators_by_chain.parquet")
    assert chains.columns[0] == "seed" and sorted(chains["seed"].unique()) == [2, 3, 4]
    total = chains.groupby(["seed", "step"])["value_added"].sum()
    np.testing.assert_allclose(total.to_numpy(),
                               ind.set_index(["seed", "step"]).loc[total.index,
                                                                   "value_added"].to_numpy())


def test_a_snapshot_of_several_seeds_is_refused(tmp_path):
    r = run_cli("run", "--seeds", "2", "--snapshot", "yearly", *SMALL,
                "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == ("error: run: --snapshot yearly with --seeds 2: snapshots are of "
                                "one run; allowed: --snapshot with one seed")
    assert not (tmp_path / "out").exists()


def test_each_seed_is_its_single_run_on_any_number_of_workers(tmp_path):
    for out, extra in (("one", ("--seed", "4")), ("w1", ("--seeds", "3", "--seed", "3",
                                                         "--workers", "1")),
                       ("w2", ("--seeds", "3", "--seed", "3", "--workers", "2"))):
        r = run_cli("run", *extra, *SMALL, "--out", str(tmp_path / out), "--quiet", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    w1 = pd.read_parquet(only_folder(tmp_path / "w1") / "indicators.parquet")
    w2 = pd.read_parquet(only_folder(tmp_path / "w2") / "indicators.parquet")
    pd.testing.assert_frame_equal(w1, w2)
    one = pd.read_parquet(only_folder(tmp_path / "one") / "indicators.parquet")
    seed4 = w2[w2["seed"] == 4].drop(columns="seed").reset_index(drop=True)
    pd.testing.assert_frame_equal(seed4, one)


def test_one_seed_is_the_single_run_unchanged(tmp_path):
    for out, extra in (("plain", ()), ("one", ("--seeds", "1"))):
        r = run_cli("run", "--seed", "5", *extra, *SMALL, "--out", str(tmp_path / out),
                    cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    plain, one = only_folder(tmp_path / "plain"), only_folder(tmp_path / "one")
    assert {p.name for p in plain.iterdir()} == {p.name for p in one.iterdir()}
    assert "bands.csv" not in {p.name for p in one.iterdir()}
    for name in ("indicators.parquet", "flows.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(plain / name), pd.read_parquet(one / name))
    a = json.loads((plain / "manifest.json").read_text())
    b = json.loads((one / "manifest.json").read_text())
    assert set(a) == set(b) and "seeds" not in b and b["seed"] == 5


@pytest.mark.parametrize("bad", ["0", "-1", "two"])
def test_bad_seeds_is_one_line_and_exit_2(tmp_path, bad):
    r = run_cli("run", "--seeds", bad, *SMALL, "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "--seeds" in lines[0]
    assert not (tmp_path / "out").exists()
