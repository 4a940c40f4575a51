"""``run.py run`` end to end: the results folder, its manifest, and bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

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
    } <= names
    assert "firms.parquet" not in names  # --snapshot none, the default
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
