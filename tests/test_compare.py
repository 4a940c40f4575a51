"""Paired comparisons: interval arithmetic, the gain from common random numbers, the CLI."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from chainshift.cli.main import main
from chainshift.experiments.bands import band_text
from chainshift.experiments.brief import number_text
from chainshift.experiments.compare import KEY_INDICATORS, differences, paired, unpaired
from chainshift.scenarios.loader import load_scenario


def annual_table(a: list[float], b: list[float]) -> pd.DataFrame:
    rows = [{"scenario": s, "replication": r, "seed": r, "year": 2021,
             **{k: v for k in KEY_INDICATORS}}
            for s, values in (("A", a), ("B", b)) for r, v in enumerate(values)]
    return pd.DataFrame(rows)


def test_paired_interval_by_hand():
    # d = (1, 2, 2): mean 5/3, sd = sqrt(1/3), se = 1/3, t(0.975, 2) = 4.302653
    row = differences(annual_table([1, 2, 3], [2, 4, 5]), paired=True).iloc[0]
    assert row["diff"] == pytest.approx(5 / 3)
    assert row["half_width"] == pytest.approx(4.302653 / 3, rel=1e-6)
    assert row["ci_low"] == pytest.approx(5 / 3 - 4.302653 / 3, rel=1e-6)
    assert row["n"] == 3 and bool(row["significant"])
    assert len(differences(annual_table([1, 2, 3], [2, 4, 5]))) == len(KEY_INDICATORS)


def test_each_scenario_has_its_seed_band_by_hand():
    # A = 1, 2, 3: the 5th percentile 1 + 0.1 * 1 = 1.1, the 95th 2 + 0.9 * 1 = 2.9;
    # B = 2, 4, 5: 2 + 0.1 * 2 = 2.2 and 4 + 0.9 * 1 = 4.9
    row = differences(annual_table([1, 2, 3], [2, 4, 5]), paired=True).iloc[0]
    assert (row["a_low"], row["a_high"]) == pytest.approx((1.1, 2.9))
    assert (row["b_low"], row["b_high"]) == pytest.approx((2.2, 4.9))
    assert row["a_low"] <= row["mean_a"] <= row["a_high"]
    assert row["b_low"] <= row["mean_b"] <= row["b_high"]


def test_unpaired_interval_is_welch():
    # var A = 1, var B = 7/3: se^2 = 1/3 + 7/9 = 10/9, dof = (10/9)^2 / ((1/3)^2/2 + (7/9)^2/2)
    row = differences(annual_table([1, 2, 3], [2, 4, 5]), paired=False).iloc[0]
    se = np.sqrt(10 / 9)
    dof = (10 / 9) ** 2 / ((1 / 3) ** 2 / 2 + (7 / 9) ** 2 / 2)
    assert row["diff"] == pytest.approx(5 / 3)
    assert row["half_width"] == pytest.approx(stats.t.ppf(0.975, dof) * se)
    assert not bool(row["significant"])


def test_paired_uses_only_complete_pairs():
    table = annual_table([1, 2, 3], [2, 4, 5])
    table = table[~((table["scenario"] == "B") & (table["replication"] == 2))]
    row = differences(table, paired=True).iloc[0]
    assert row["n"] == 2 and row["diff"] == pytest.approx(1.5)


def test_common_random_numbers_narrow_the_intervals():
    a = load_scenario("baseline", overrides={"population.enterprises": 300})
    b = load_scenario("baseline", overrides={"population.enterprises": 300,
                                             "policy.carbon_price": 300.0,
                                             "policy.rd_subsidy": 0.3})
    same = paired(a, b, seeds=10, quarters=12, seed=3)
    other = unpaired(a, b, seeds=10, quarters=12, seed=3)
    assert same.seeds == other.seeds[:10]
    both = same.table.merge(other.table, on=["indicator", "year"], suffixes=("_p", "_u"))
    assert len(both) == both["indicator"].nunique() * 3
    assert set(KEY_INDICATORS) < set(both["indicator"])
    assert (both["n_p"] == 10).all()
    ratio = both["half_width_p"] / both["half_width_u"]
    assert ratio.median() < 0.7
    assert (ratio < 1).mean() >= 0.75
    # the same policy effect is estimated: R&D intensity rises in both designs
    rd = both[both["indicator"] == "rd_intensity"]
    assert (rd["diff_p"] > 0).all() and (rd["diff_u"] > 0).all()


def test_cli_writes_table_chart_and_brief(tmp_path, capsys):
    b = tmp_path / "green.toml"
    b.write_text('extends = "baseline"\nname = "green"\n[policy]\ncarbon_price = 300.0\n')
    out = tmp_path / "results"
    code = main(["compare", "baseline", str(b), "--seeds", "4", "--quarters", "8",
                 "--set", "population.enterprises=300", "--workers", "2", "--out", str(out),
                 "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0
    (folder,) = out.iterdir()
    table = pd.read_csv(folder / "differences.csv")
    assert set(KEY_INDICATORS) < set(table["indicator"])
    assert sorted(table["year"].unique()) == [2021, 2022]
    assert (table["n"] == 4).all()
    brief = (folder / "brief.md").read_text()
    assert brief.startswith("# green vs baseline")
    assert "| indicator | year | A [90% seed band] | B [90% seed band] | B - A | 95% CI |" in brief
    assert "![" in brief and "(trajectories.png)" in brief
    assert (folder / "trajectories.png").read_bytes()[:4] == b"\x89PNG"
    assert len(pd.read_parquet(folder / "annual.parquet")) == 2 * 4 * 2
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["kind"] == "compare" and len(manifest["seeds"]) == 4
    assert "B - A in 2022" in printed and "co2" in printed
    # each scenario's path carries its seed band: in the table, the terminal and the brief
    assert {"a_low", "a_high", "b_low", "b_high"} < set(table.columns)
    assert (table["a_low"] <= table["a_high"]).all() and (table["b_low"] <= table["b_high"]).all()
    annual = pd.read_parquet(folder / "annual.parquet")
    co2 = table[(table["indicator"] == "co2") & (table["year"] == 2022)].iloc[0]
    b_co2 = annual[(annual["scenario"] == "B") & (annual["year"] == 2022)]["co2"].to_numpy()
    assert co2["b_low"] == pytest.approx(np.quantile(b_co2, 0.05))
    assert co2["b_high"] == pytest.approx(np.quantile(b_co2, 0.95))
    assert "the 90% seed band" in printed
    line = next(x for x in printed.splitlines() if x.startswith("  co2 "))
    assert band_text(co2["mean_b"], co2["b_low"], co2["b_high"], number_text) in line
    assert band_text(co2["mean_a"], co2["a_low"], co2["a_high"], number_text) in line
    columns = pd.read_csv(folder / "columns.csv")
    assert "b_high" in set(columns[columns["file"] == "differences.csv"]["column"])


def test_cli_bad_scenario_is_one_line(tmp_path, capsys):
    assert main(["compare", "baseline", "baselin", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: baselin: no such scenario") and err.count("\n") == 1
    assert not (tmp_path / "r").exists()


def test_cli_aligns_different_horizons_and_says_so(tmp_path, capsys):
    short = tmp_path / "short.toml"
    short.write_text('extends = "baseline"\nname = "short"\n[horizon]\nend_year = 2022\n')
    code = main(["compare", "baseline", str(short), "--seeds", "2", "--set",
                 "population.enterprises=100", "--workers", "1", "--out", str(tmp_path / "r"),
                 "--quiet", "--years", "2021,2022"])
    printed = capsys.readouterr().out
    assert code == 0
    assert ("note: the horizons differ (A 2021-2035, B 2021-2022): compared over their common "
            "years 2021-2022") in printed
    assert "B - A in 2021" in printed and "B - A in 2022" in printed
    assert "  co2 " in printed and "10k t CO2/year" in printed
    (folder,) = (tmp_path / "r").iterdir()
    table = pd.read_csv(folder / "differences.csv")
    assert sorted(table["year"].unique()) == [2021, 2022]
    assert len(set(table["indicator"])) > len(KEY_INDICATORS)
    brief = (folder / "brief.md").read_text()
    assert "Note: the horizons differ" in brief
