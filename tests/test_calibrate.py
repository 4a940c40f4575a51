"""Calibration by simulated moments: data tracing, moments, distance, free parameters, the
optimiser's reproducibility, the written scenario, and the ``calibrate`` command.

Runs are tiny (300 enterprises, 8 quarters, 2 seeds, budgets of one or two generations).
"""

import fnmatch
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chainshift.cli.main import main
from chainshift.experiments.calibration import (
    Objective,
    calibrate,
    free_parameter,
    free_parameters,
    population_size,
    quarters_needed,
)
from chainshift.experiments.calibration_report import extends_for, scenario_text, write_report
from chainshift.experiments.executors import open_pool
from chainshift.experiments.moments import (
    DATA_DIR,
    Moment,
    distance,
    load_moments,
    observed_data,
    read_observed,
)
from chainshift.experiments.runner import apply_overrides
from chainshift.scenarios import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parent.parent
TINY = {"population.enterprises": 300}
FREE = "technology.innovation_hazard,energy.other_rd_share"


@pytest.fixture(scope="module")
def tiny_base():
    return load_scenario("baseline", overrides=TINY)


# -- data -------------------------------------------------------------------------------------
def test_observed_moments_come_from_the_data_rows():
    m = {x.name: x for x in load_moments()}
    assert m["va_growth_2021"].observed == 10.7
    assert m["va_growth_2022"].observed == 4.5  # Jan-Oct 2022, the full year was not found
    assert m["rd_intensity_2022"].observed == 2.36
    # the all-sector high-tech count enters as a growth rate: 5,109 -> 6,348
    assert m["high_tech_growth_2022"].observed == pytest.approx(100 * (6348 / 5109 - 1))
    assert m["energy_intensity_change_2022"].observed == -2.7
    assert m["park_share_2022"].observed == 85
    assert all(x.weight == pytest.approx(1 / x.tolerance**2) for x in m.values())


def test_every_observed_figure_has_unit_source_and_use():
    df = observed_data()
    assert df[["unit", "source", "use"]].notna().all().all()
    assert (df["year"].dropna() <= 2022).all()
    fitted = df[df["use"].str.startswith("fit")]
    assert len(fitted) >= len(load_moments())


def test_figures_after_2022_are_refused(tmp_path):
    path = tmp_path / "late.csv"
    path.write_text("indicator,year,value,unit,use,note,source\n"
                    "gdp,2022,1,x,context,,a\nmanufacturing_innovation_centres,2023,11,count,"
                    "context,,b\n")
    with pytest.raises(ValueError, match="manufacturing_innovation_centres 2023"):
        read_observed(path)


def test_data_files_ship_with_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["chainshift.scenarios"]
    files = [p.relative_to(ROOT / "scenarios").as_posix() for p in DATA_DIR.iterdir()
             if p.is_file()]
    assert files
    for name in files:
        assert any(fnmatch.fnmatch(name, pat) for pat in patterns), name


# -- moments and distance ---------------------------------------------------------------------
def _moment(statistic: str, observed: float = 0.0, tolerance: float = 1.0) -> Moment:
    return Moment("m", "x", 2022, statistic, observed, tolerance, "percent", "m", "src", "why")


def test_moment_value_and_percent_change_on_a_yearly_table():
    yearly = pd.DataFrame({"x": [200.0, 250.0]}, index=[2021, 2022])
    assert _moment("value").measure(yearly) == 250.0
    assert _moment("pct_change").measure(yearly) == pytest.approx(25.0)
    assert math.isnan(_moment("pct_change").measure(yearly.loc[[2022]]))


def test_distance_is_mean_squared_gap_in_tolerances_of_the_seed_mean():
    moments = (_moment("value", observed=10.0, tolerance=2.0),
               _moment("value", observed=0.0, tolerance=0.5))
    sims = np.array([[11.0, 1.0], [13.0, 0.0]])  # seed means 12 and 0.5
    # ((12 - 10) / 2)^2 = 1 and ((0.5 - 0) / 0.5)^2 = 1, averaged over 2 moments
    assert distance(sims, moments) == pytest.approx(1.0)
    assert distance(np.array([[np.nan, 0.0]]), moments) == math.inf


def test_horizon_must_cover_the_moments(tiny_base):
    assert quarters_needed(tiny_base, load_moments()) == 8
    late = load_scenario("baseline", overrides={"horizon.start_year": 2022})
    with pytest.raises(ScenarioError, match="2021-2022"):
        quarters_needed(late, load_moments())


# -- free parameters --------------------------------------------------------------------------
def test_default_range_is_half_to_double_within_the_schema(tiny_base):
    p = free_parameter("technology.innovation_hazard", tiny_base)
    assert (p.start, p.lo, p.hi) == (0.2558, pytest.approx(0.1279), pytest.approx(0.5116))
    p = free_parameter("finance.target_leverage", tiny_base)
    assert (p.lo, p.hi) == (0.3, 0.8)  # 0.5 x and 2 x 0.5634 lie outside the schema's 0.3-0.8


def test_negative_and_zero_values_and_explicit_ranges(tiny_base):
    p = free_parameter("chains.automobile.market_growth", tiny_base)  # -0.03
    assert (p.lo, p.hi) == (pytest.approx(-0.06), pytest.approx(-0.015))
    p = free_parameter("chains.electronics.market_growth", tiny_base)  # 0 by default
    assert (p.lo, p.hi) == (-0.1, 0.8)
    p = free_parameter("technology.innovation_hazard=0.1:0.3", tiny_base)
    assert (p.lo, p.hi) == (0.1, 0.3)


@pytest.mark.parametrize("spec, words", [
    ("technology.inovation_hazard", "did you mean 'technology.innovation_hazard'"),
    ("finance.exit_losses", "allowed: parameters of type float"),
    ("technology.innovation_hazard=0.3:0.1", "allowed: 0 <= lo < hi <= 2"),
    ("technology.innovation_hazard=a:b", "range does not parse"),
    ("chains.trucks.market_growth", "unknown chain parameter"),
    ("energy.other_rd_share,energy.other_rd_share", "given twice"),
])
def test_bad_free_parameters_are_one_line_errors(tiny_base, spec, words):
    with pytest.raises(ScenarioError, match=words.replace("(", r"\(")) as err:
        free_parameters(spec, tiny_base)
    assert "\n" not in str(err.value)


# -- the optimiser ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_fit(tiny_base):
    free = free_parameters(FREE, tiny_base)
    return calibrate(tiny_base, free, budget=2 * population_size(2), seeds=2, seed=3)


def test_same_budget_and_seed_give_the_same_fit(tiny_base, tiny_fit):
    again = calibrate(tiny_base, free_parameters(FREE, tiny_base), budget=16, seeds=2, seed=3)
    assert again.fitted == tiny_fit.fitted
    pd.testing.assert_frame_equal(again.history, tiny_fit.history)
    other = calibrate(tiny_base, free_parameters(FREE, tiny_base), budget=16, seeds=2, seed=4)
    assert other.history["distance"].tolist() != tiny_fit.history["distance"].tolist()


def test_worker_processes_give_the_same_fit_as_this_process(tiny_base, tiny_fit):
    pool = open_pool(2)
    try:
        parallel = calibrate(tiny_base, free_parameters(FREE, tiny_base), budget=16, seeds=2,
                             seed=3, pool=pool)
    finally:
        pool.close()
    assert parallel.fitted == tiny_fit.fitted
    pd.testing.assert_frame_equal(parallel.history, tiny_fit.history)


def test_budget_bounds_the_evaluations_and_the_start_is_a_candidate(tiny_fit):
    h = tiny_fit.history
    assert len(h) <= 16 and tiny_fit.settings["evaluations"] == len(h)
    # the start values are the first candidate, evaluated on the same seeds
    first = h.iloc[0]
    assert first["technology.innovation_hazard"] == 0.2558
    assert first["distance"] == pytest.approx(tiny_fit.start_distance)
    assert tiny_fit.settings["optimiser_best"] <= tiny_fit.start_distance
    assert tiny_fit.settings["optimiser_best"] == h["distance"].min()


def test_fitted_moments_are_those_of_the_fitted_values(tiny_base, tiny_fit):
    objective = Objective(tiny_base.model_dump(), tuple(tiny_fit.fitted), tuple(tiny_fit.seeds),
                          8)
    sims = objective.moments(list(tiny_fit.fitted.values()))
    np.testing.assert_allclose(sims, tiny_fit.fitted_moments)
    assert tiny_fit.fitted_distance == pytest.approx(distance(sims, load_moments()))


def test_budget_below_one_population_is_refused(tiny_base):
    with pytest.raises(ScenarioError, match="at least 8"):
        calibrate(tiny_base, free_parameters(FREE, tiny_base), budget=7, seeds=1)


def test_fit_has_standard_errors_from_the_jacobian_on_the_fits_seeds_first(tiny_base, tiny_fit):
    pr = tiny_fit.precision
    assert pr.keys == tuple(FREE.split(","))
    assert pr.fit_seeds == 2 and pr.seeds == 20
    # the fit's two seeds are the first of the precision seeds
    np.testing.assert_allclose(
        Objective(tiny_base.model_dump(), pr.keys, tuple(tiny_fit.seeds), 8).moments(pr.theta),
        tiny_fit.fitted_moments)
    assert np.isfinite(pr.se).all() and (pr.se > 0).all()
    # the R&D share moves R&D intensity, and nothing else: the test must see it
    j = [m.name for m in pr.moments].index("rd_intensity_2022")
    k = pr.keys.index("energy.other_rd_share")
    assert pr.jacobian[j, k] > 0 and abs(pr.t[j, k]) > pr.critical
    assert pr.identified[k]


# -- outputs ----------------------------------------------------------------------------------
def test_written_scenario_loads_as_base_plus_fitted_values(tmp_path, tiny_base, tiny_fit):
    path = tmp_path / "fit.toml"
    path.write_text(scenario_text(tiny_fit, extends_for("baseline", path), TINY))
    loaded = load_scenario(path)
    expected = apply_overrides(tiny_base, tiny_fit.fitted)
    skip = {"name", "description", "extends"}
    assert loaded.model_dump(exclude=skip) == expected.model_dump(exclude=skip)
    assert loaded.extends == "baseline"


def test_extends_of_a_path_is_relative_to_the_new_file(tmp_path):
    base = tmp_path / "a" / "mine.toml"
    assert extends_for(str(base), tmp_path / "b" / "fit.toml") == "../a/mine.toml"
    assert extends_for("baseline", tmp_path / "fit.toml") == "baseline"


def test_report_has_tables_a_plot_per_moment_and_the_scenario(tmp_path, tiny_fit):
    files = write_report(tiny_fit, tmp_path, "baseline", "baseline", TINY)
    table = pd.read_csv(files["moments"])
    assert list(table["moment"]) == [m.name for m in load_moments()]
    assert {"observed", "fitted_mean", "fitted_sd", "fitted_inside"} <= set(table.columns)
    for m in load_moments():
        png = tmp_path / f"moment-{m.name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = files["report"].read_text()
    assert "| parameter | start | range | fitted | unit |" in report
    assert "## Standard errors and identification" in report
    se = pd.read_csv(files["precision"])
    assert se["parameter"].tolist() == FREE.split(",")
    assert se["se"].tolist() == pytest.approx(tiny_fit.precision.se.tolist())
    jac = pd.read_csv(files["jacobian"])
    assert len(jac) == len(load_moments()) * 2
    assert load_scenario(files["scenario"]).population.enterprises == 300


# -- the command ------------------------------------------------------------------------------
def test_calibrate_command_writes_folder_and_scenario(tmp_path, capsys):
    out = tmp_path / "results"
    fit = tmp_path / "fit.toml"
    code = main(["calibrate", "--free", FREE, "--budget", "8", "--seeds", "2", "--set",
                 "population.enterprises=300", "--workers", "1", "--out", str(out),
                 "--write-scenario", str(fit), "--quiet"])
    assert code == 0
    (folder,) = out.iterdir()
    manifest = (folder / "manifest.json").read_text()
    assert '"kind": "calibrate"' in manifest and '"fitted"' in manifest
    assert (folder / "report.md").exists() and (folder / "convergence.png").exists()
    s = load_scenario(fit)
    assert s.population.enterprises == 300
    printed = capsys.readouterr().out
    assert "distance J" in printed
    assert "standard errors and identification" in printed
    assert '"standard_errors"' in manifest


@pytest.mark.parametrize("argv, words", [
    (["--budget", "3"], "--budget 3: less than one population"),
    (["--free", "policy.carbon_prize"], "did you mean 'policy.carbon_price'"),
    (["--write-scenario", "fit.txt"], "a path ending in .toml"),
    (["--set", "population.enterprises=0"], "population.enterprises = 0"),
])
def test_calibrate_command_bad_input_is_one_line(tmp_path, capsys, argv, words):
    code = main(["calibrate", "--out", str(tmp_path), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1 and words in err
    assert not any(tmp_path.iterdir())


def test_the_command_written_into_the_scenario_reproduces_the_fit(tmp_path):
    import json
    import shlex

    fit = tmp_path / "fit.toml"
    argv = ["calibrate", "--free", FREE, "--budget", "16", "--seeds", "1", "--set",
            "population.enterprises=300", "--write-scenario", str(fit), "--workers", "1",
            "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "first")]) == 0
    description = load_scenario(fit).description
    command = description.split(": python run.py ", 1)[1].split(" (distance")[0]
    again = shlex.split(command)
    assert again[0] == "calibrate" and "--free" in again and "--set" in again
    assert main([*again, "--workers", "1", "--quiet", "--out", str(tmp_path / "second")]) == 0

    def fitted(out):
        (folder,) = out.iterdir()
        return json.loads((folder / "manifest.json").read_text())["fitted"]

    assert fitted(tmp_path / "first") == fitted(tmp_path / "second")
    (folder,) = (tmp_path / "first").iterdir()
    assert f"`python run.py {command}`" in (folder / "report.md").read_text()


def test_piped_output_counts_evaluations_and_keeps_moment_names_whole(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "calibrate", "--free", FREE, "--budget", "12",
         "--seeds", "1", "--set", "population.enterprises=300", "--workers", "1", "--out",
         str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "8 evaluations (1 generations of 8 candidates; budget 12)" in out
    assert "8/8 evaluations" in out and "runs" not in out
    for m in load_moments():
        assert f" {m.name} " in out, m.name
    assert "…" not in out
    (folder,) = tmp_path.iterdir()
    data = pd.read_csv(folder / "columns.csv", keep_default_na=False)
    for name in ("moments.csv", "moments_per_seed.csv", "parameters.csv", "history.csv"):
        listed = set(data.loc[data["file"] == name, "column"])
        assert set(pd.read_csv(folder / name, nrows=0).columns) <= listed, name
    assert (data["description"] != "").all()


def test_a_distance_other_than_the_optimisers_best_is_explained(tiny_fit):
    from chainshift.experiments.calibration_report import distance_note, stop_note

    best = tiny_fit.settings["optimiser_best"]
    note = distance_note(tiny_fit)
    if abs(tiny_fit.fitted_distance - best) > 1e-9 * max(1.0, best):
        assert "rounded to 4 significant digits" in note and f"{best:.6g}" in note
    else:
        assert note == ""
    s = tiny_fit.settings
    assert s["planned_evaluations"] == s["population"] * (s["generations"] + 1)
    assert (stop_note(tiny_fit) == "") == (s["evaluations"] >= s["planned_evaluations"])


def legend_clear_of_the_data(fig) -> None:
    """The figure's legend sits outside every axes (so it can cover no data)."""
    fig.canvas.draw()
    (legend,) = fig.legends
    box = legend.get_window_extent()
    for ax in fig.axes:
        assert ax.get_legend() is None
        assert not box.overlaps(ax.get_window_extent()), "the legend overlaps the axes"


def test_moment_and_convergence_charts_keep_legends_off_the_data(tiny_fit):
    import matplotlib.pyplot as plt

    from chainshift.experiments.calibration_report import convergence_figure, moment_figure

    for j in range(len(tiny_fit.moments)):
        fig = moment_figure(tiny_fit, j)
        legend_clear_of_the_data(fig)
        plt.close(fig)
    fig = convergence_figure(tiny_fit)
    legend_clear_of_the_data(fig)
    ax = fig.axes[0]
    assert ax.get_title().startswith("Calibration of 2 parameters")
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all("$" not in t and "^" not in t for t in labels)
    assert all(float(t) > 0 for t in labels)
    plt.close(fig)
