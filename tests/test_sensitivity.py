"""Sensitivity analysis: SALib indices of known functions, and sobol/morris end to end."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chainshift.cli.main import main
from chainshift.experiments.design import sample_matrix
from chainshift.experiments.sensitivity import analyze, outcome_names, ranking_notes, with_tiers
from chainshift.experiments.spec import parse_spec
from chainshift.scenarios.loader import ScenarioError

RANGES = {"policy.coupling": {"low": 0.0, "high": 1.0},
          "policy.rd_subsidy": {"low": 0.0, "high": 0.4},
          "policy.carbon_price": {"low": 0.0, "high": 300.0}}


def spec_for(design: str, samples: int):
    return parse_spec({"sweep": {"design": design, "samples": samples, "seed": 4,
                                 "replications": 2},
                       "parameters": RANGES}, "s.toml")


def runs_of(spec, design: str, f) -> pd.DataFrame:
    """A runs table whose output is f(parameters); replications differ by +-1 around it."""
    x = sample_matrix(spec, design)
    y = f(x)
    rows = [{"point": i, "replication": r, "out": y[i] + (1.0 if r else -1.0)}
            for i in range(len(x)) for r in (0, 1)]
    return pd.DataFrame(rows).sample(frac=1.0, random_state=0)  # order must not matter


def test_morris_recovers_the_effects_of_a_linear_function():
    # y = 4 c + 10 s + 0 p over the ranges (1, 0.4, 300): SALib's elementary effects are
    # changes of y per unit of each parameter's normalised range, i.e. 4 * 1, 10 * 0.4 and 0.
    spec = spec_for("morris", 10)
    table = analyze(spec, "morris", runs_of(spec, "morris", lambda x: 4 * x[:, 0] + 10 * x[:, 1]),
                    "out").set_index("parameter")
    assert table.loc["policy.coupling", "mu_star"] == pytest.approx(4.0)
    assert table.loc["policy.rd_subsidy", "mu_star"] == pytest.approx(4.0)
    assert table.loc["policy.carbon_price", "mu_star"] == pytest.approx(0.0, abs=1e-9)
    assert table["sigma"].max() == pytest.approx(0.0, abs=1e-9)


def test_sobol_splits_variance_as_computed_by_hand():
    # y = 6 c + 5 s: Var = 36/12 + 25 * 0.16/12 = 3 + 1/3, so S_c = 0.9, S_s = 0.1, S_p = 0
    spec = spec_for("sobol", 512)
    table = analyze(spec, "sobol", runs_of(spec, "sobol", lambda x: 6 * x[:, 0] + 5 * x[:, 1]),
                    "out").set_index("parameter")
    assert list(table.index) == ["policy.coupling", "policy.rd_subsidy", "policy.carbon_price"]
    assert table.loc["policy.coupling", "S1"] == pytest.approx(0.9, abs=0.05)
    assert table.loc["policy.rd_subsidy", "S1"] == pytest.approx(0.1, abs=0.05)
    assert table.loc["policy.coupling", "ST"] == pytest.approx(0.9, abs=0.05)
    assert abs(table.loc["policy.carbon_price", "ST"]) < 0.02
    assert (table.loc[["policy.coupling", "policy.rd_subsidy"], "S1_conf"] > 0).all()


def test_a_point_without_results_is_an_error():
    spec = spec_for("morris", 4)
    runs = runs_of(spec, "morris", lambda x: x[:, 0])
    with pytest.raises(ScenarioError, match="design points have no value"):
        analyze(spec, "morris", runs[runs["point"] != 3], "out")


def test_outcome_names_follow_the_years_covered():
    short = parse_spec({"sweep": {"quarters": 8}, "parameters": {"policy.coupling": [0.1]}}, "x")
    full = parse_spec({"parameters": {"policy.coupling": [0.1]}}, "x")
    assert "innovation_share_2030" not in outcome_names(short)
    assert {"innovation_share_2030", "value_added_2035", "emission_peak_year"} <= set(
        outcome_names(full))


TINY = """
[sweep]
design = "{design}"
samples = 8
seed = 1
quarters = 8
[fixed]
"population.enterprises" = 300
[parameters]
"policy.carbon_price" = {{ low = 0, high = 400 }}
"policy.rd_subsidy" = {{ low = 0.0, high = 0.5 }}
"""


@pytest.mark.parametrize(("method", "runs", "columns"), [
    ("sobol", 4 * (2 + 2), ["parameter", "S1", "S1_conf", "ST", "ST_conf", "tier",
                            "above_zero"]),
    ("morris", 4 * (2 + 1), ["parameter", "mu_star", "mu_star_conf", "sigma", "mu", "tier",
                             "above_zero"]),
])
def test_cli_runs_end_to_end(tmp_path, capsys, method, runs, columns):
    spec = tmp_path / "tiny.toml"
    spec.write_text(TINY.format(design="lhs"))
    out = tmp_path / "results"
    code = main(["sensitivity", str(spec), "--method", method, "--samples", "4", "--output",
                 "innovation_share_end", "--workers", "2", "--out", str(out), "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0
    (folder,) = out.iterdir()
    assert len(pd.read_parquet(folder / "runs.parquet")) == runs
    table = pd.read_csv(folder / "sensitivity-innovation_share_end.csv")
    assert list(table.columns) == columns
    assert set(table["parameter"]) == {"policy.carbon_price", "policy.rd_subsidy"}
    assert np.isfinite(table[columns[1]]).all()
    png = folder / "sensitivity-innovation_share_end.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "sensitivity of innovation_share_end" in printed
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["kind"] == "sensitivity" and manifest["design"] == method
    assert manifest["analyses"]["innovation_share_end"]["method"] == method
    notes = manifest["analyses"]["innovation_share_end"]["notes"]
    assert printed.count("note: ") == len(notes)
    assert table["tier"].min() == 1

    # another output of the same runs: nothing is run again
    assert main(["sensitivity", "--resume", str(folder), "--output", "carbon_intensity_end",
                 "--quiet"]) == 0
    assert (folder / "sensitivity-carbon_intensity_end.csv").exists()
    assert "nothing left to run" in capsys.readouterr().out
    listed = pd.read_csv(folder / "columns.csv", keep_default_na=False)
    for name in ("sensitivity-innovation_share_end.csv", "sensitivity-carbon_intensity_end.csv",
                 "runs.parquet"):
        cols = set(listed.loc[listed["file"] == name, "column"])
        assert cols and cols >= set(pd.read_csv(folder / name, nrows=0).columns
                                    if name.endswith(".csv") else []), name
    assert main(["sensitivity", "--resume", str(folder), "--samples", "8"]) == 2
    assert "was sampled with 4" in capsys.readouterr().err


def test_cli_refuses_a_grid_and_an_unknown_output(tmp_path, capsys):
    spec = Path(tmp_path / "grid.toml")
    spec.write_text(TINY.format(design="grid").replace("{ low = 0, high = 400 }", "[0, 400]")
                    .replace("{ low = 0.0, high = 0.5 }", "[0.1]"))
    assert main(["sensitivity", str(spec), "--out", str(tmp_path / "r")]) == 2
    assert "sensitivity needs --method sobol or --method morris" in capsys.readouterr().err
    spec.write_text(TINY.format(design="morris"))
    assert main(["sensitivity", str(spec), "--output", "innovation_share_2030",
                 "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --output innovation_share_2030: not an outcome of these runs")
    assert main(["sensitivity", str(spec), "--method", "sobol", "--samples", "6",
                 "--out", str(tmp_path / "r")]) == 2
    assert "samples = 6: Sobol sampling needs a power of 2" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("method", ["morris", "sobol"])
def test_the_chart_legend_covers_no_bar(method):
    import matplotlib.pyplot as plt

    from chainshift.experiments.sensitivity import chart_figure

    spec = spec_for(method, 16 if method == "sobol" else 10)
    table = analyze(spec, method, runs_of(spec, method, lambda x: 4 * x[:, 0] + 10 * x[:, 1]),
                    "out")
    fig = chart_figure(table, method, "out")
    fig.canvas.draw()
    (legend,) = fig.legends
    (ax,) = fig.axes
    assert ax.get_legend() is None
    assert not legend.get_window_extent().overlaps(ax.get_window_extent())
    plt.close(fig)


def _morris(rows):
    return pd.DataFrame(rows, columns=["parameter", "mu_star", "mu_star_conf", "sigma", "mu"])


def test_tiers_count_the_intervals_wholly_above():
    # intervals a [8, 12], b [6, 10], c [1, 3], d [-0.5, 1.5]
    t = with_tiers(_morris([("a", 10, 2, 1, 10), ("b", 8, 2, 9, 8), ("c", 2, 1, 1, 2),
                            ("d", 0.5, 1, 0.2, 0.5)]), "mu_star")
    assert t["tier"].tolist() == [1, 1, 3, 3]  # c and d lie below both a and b, not each other
    assert t["above_zero"].tolist() == [True, True, True, False]
    notes = ranking_notes(t, "morris")
    assert notes == [
        "tier 1: a, b have overlapping 95% intervals of mu*; their order is not meaningful at "
        "this sample size",
        "tier 3: c, d have overlapping 95% intervals of mu*; their order is not meaningful at "
        "this sample size",
        "d: the 95% interval of mu* includes zero, so the effect is not shown to differ from "
        "none",
        "b: sigma above mu*, so the effect is non-linear or interacts with other parameters "
        "(mu* averages unlike effects)",
    ]


def test_a_ranking_that_cannot_tell_says_so_and_a_clear_one_says_nothing():
    # five levers with about the same mu* and wide intervals (the pattern of a noisy screen)
    same = with_tiers(_morris([(f"p{i}", 15 - i * 0.3, 6, 20, 1) for i in range(5)]), "mu_star")
    assert same["tier"].tolist() == [1] * 5
    assert ranking_notes(same, "morris")[0].startswith("no parameter can be ranked above")
    clear = with_tiers(_morris([("a", 10, 1, 1, 10), ("b", 5, 1, 1, 5), ("c", 1, 0.5, 0.1, 1)]),
                       "mu_star")
    assert clear["tier"].tolist() == [1, 2, 3]
    assert ranking_notes(clear, "morris") == []


def test_sobol_tiers_use_st_and_a_missing_interval_is_unbounded():
    t = pd.DataFrame({"parameter": ["a", "b"], "S1": [0.6, 0.1], "S1_conf": [0.1, 0.1],
                      "ST": [0.7, 0.1], "ST_conf": [0.1, np.nan]})
    t = with_tiers(t, "ST")
    assert t["tier"].tolist() == [1, 1] and t["above_zero"].tolist() == [True, False]
