"""Units travel with the data: Parquet field metadata and each folder's columns.csv."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from chainshift.experiments.columns import (
    outcome,
    parameter,
    quarterly,
    units_of,
    write_parquet,
    yearly,
    yearly_unit,
)
from chainshift.model.indicators import INDICATOR_UNITS, INDICATORS

ROOT = Path(__file__).resolve().parent.parent


def test_every_indicator_has_its_unit_from_the_model():
    for name in INDICATORS:
        col = quarterly(name)
        assert col.unit == INDICATOR_UNITS[name] and col.description == INDICATORS[name]


def test_yearly_figures_of_flows_are_per_year():
    assert yearly_unit("value_added") == "100m yuan/year"
    assert yearly_unit("co2") == INDICATOR_UNITS["co2"].replace("/quarter", "/year")
    assert yearly_unit("green_share") == INDICATOR_UNITS["green_share"]
    assert "sum over the year" in yearly("value_added").description
    assert yearly("quarters").unit == "count"


def test_outcomes_and_parameters_are_described():
    assert outcome("value_added_2030").unit == "100m yuan/year"
    assert outcome("green_share_end").unit == INDICATOR_UNITS["green_share"]
    assert outcome("emission_peak_year").unit == "year"
    assert parameter("policy.carbon_price").unit == "yuan/t CO2"
    assert parameter("chains.nev.market_growth").unit == "1/year"
    assert outcome("nonsense") is None and parameter("policy.nonsense") is None


def test_parquet_fields_carry_unit_and_description(tmp_path):
    frame = pd.DataFrame({"co2": [1.0], "other": [2]})
    write_parquet(frame, tmp_path / "x.parquet", {"co2": quarterly("co2")}, atomic=True)
    meta = units_of(tmp_path / "x.parquet")
    assert meta["co2"].unit == INDICATOR_UNITS["co2"]
    assert meta["co2"].description == INDICATORS["co2"]
    assert meta["other"].unit == ""
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "x.parquet"), frame)
    assert [p.name for p in tmp_path.iterdir()] == ["x.parquet"]


def check_dictionary(folder: Path) -> pd.DataFrame:
    """columns.csv describes every column of every data file in the folder."""
    d = pd.read_csv(folder / "columns.csv", dtype=str, keep_default_na=False)
    assert list(d.columns) == ["file", "column", "unit", "description"]
    assert (d["description"] != "").all(), d[d["description"] == ""]
    for path in [*folder.glob("*.parquet"), *folder.glob("*.csv")]:
        if path.name == "columns.csv":
            continue
        cols = (pq.read_schema(path).names if path.suffix == ".parquet"
                else list(pd.read_csv(path, nrows=0).columns))
        listed = list(d.loc[d["file"] == path.name, "column"])
        assert set(cols) <= set(listed), (path.name, set(cols) - set(listed))
        if path.suffix == ".parquet":
            meta = units_of(path)
            for _, row in d[d["file"] == path.name].iterrows():
                if row["column"] in meta:
                    assert meta[row["column"]].unit == row["unit"]
    return d


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", "baseline", "--steps",
                           "8", "--set", "population.enterprises=300", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (folder,) = out.iterdir()
    return folder, done.stdout


def test_a_run_folder_has_a_complete_data_dictionary(run_folder):
    folder, _ = run_folder
    d = check_dictionary(folder)
    units = dict(zip(d.loc[d["file"] == "yearly.csv", "column"],
                     d.loc[d["file"] == "yearly.csv", "unit"], strict=True))
    assert units["value_added"] == "100m yuan/year"
    assert units_of(folder / "indicators.parquet")["value_added"].unit == "100m yuan/quarter"
    assert units_of(folder / "flows.parquet")["unit"].description


def test_a_sweep_folder_has_a_complete_data_dictionary(tmp_path):
    from chainshift.experiments.executors import open_pool
    from chainshift.experiments.spec import parse_spec
    from chainshift.experiments.sweep import start

    spec = parse_spec({"sweep": {"quarters": 8}, "fixed": {"population.enterprises": 100},
                       "parameters": {"policy.carbon_price": [0, 100]}}, "s.toml")
    pool = open_pool(1)
    try:
        with start(spec, tmp_path) as study:
            folder = study.run(pool).folder
    finally:
        pool.close()
    d = check_dictionary(folder)
    assert set(pq.read_schema(next((folder / "timeseries").glob("*.parquet"))).names) <= \
        set(d.loc[d["file"] == "timeseries/part-*.parquet", "column"])
    runs = units_of(folder / "runs.parquet")
    assert runs["policy.carbon_price"].unit == "yuan/t CO2"
    assert runs["value_added_end"].unit == "100m yuan/year"


def test_a_compare_folder_has_units_per_row_and_a_data_dictionary(tmp_path):
    from chainshift.cli.main import main

    assert main(["compare", "baseline", "green_push", "--seeds", "2", "--quarters", "8",
                 "--set", "population.enterprises=100", "--workers", "1", "--out",
                 str(tmp_path), "--quiet"]) == 0
    (folder,) = tmp_path.iterdir()
    check_dictionary(folder)
    table = pd.read_csv(folder / "differences.csv")
    row = table[table["indicator"] == "co2"].iloc[0]
    assert row["unit"] == yearly_unit("co2")
    assert units_of(folder / "annual.parquet")["co2"].unit == yearly_unit("co2")
