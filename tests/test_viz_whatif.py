import functools
import math

import pandas as pd
import pytest

from chainshift.model.summary import annual, outcomes
from chainshift.viz.whatif import (
    ROWS,
    format_cell,
    indicator_table,
    innovation_year,
    period_label,
    table_html,
)
from chainshift.viz.workshop import RunSettings, WorkshopModel


@functools.cache
def run(levers: tuple = (), quarters: int = 10) -> WorkshopModel:
    settings = RunSettings(enterprises=500, levers=dict(levers), reference="baseline")
    return WorkshopModel(settings, rng=1).replay(quarters)


def test_identical_runs_have_no_gap():
    m = run()
    period, table = indicator_table(m.indicator_frame(), m.reference_frame())
    assert period == "2022"  # ten quarters: the latest full year
    numeric = table[table["key"].isin(ROWS)]
    assert (numeric["gap"] == 0).all()
    assert (numeric["run"] == numeric["reference"]).all()


def test_gap_is_run_minus_reference_in_the_latest_year():
    m = run((("carbon_price", 250.0),), quarters=12)
    period, table = indicator_table(m.indicator_frame(), m.reference_frame())
    assert period == "2023"
    run_year = annual(m.indicator_frame()).iloc[-1]
    ref_year = annual(m.reference_frame()).iloc[-1]
    for key in ROWS:
        row = table[table["key"] == key].iloc[0]
        assert row["run"] == pytest.approx(run_year[key], rel=1e-3)
        assert row["reference"] == pytest.approx(ref_year[key], rel=1e-3)
        assert row["gap"] == pytest.approx(row["run"] - row["reference"], rel=1e-3, abs=1e-9)
    co2 = table[table["key"] == "co2"].iloc[0]
    assert co2["gap_pct"] == pytest.approx(100 * co2["gap"] / co2["reference"], rel=1e-2)


def test_units_are_those_of_the_output_files():
    from chainshift.experiments.columns import yearly_unit

    m = run()
    _, table = indicator_table(m.indicator_frame(), None, "en")
    units = dict(zip(table["key"], table["unit"], strict=True))
    for key in ROWS:
        assert units[key] == yearly_unit(key)


def test_without_a_reference_only_the_run_is_shown():
    m = run()
    _, table = indicator_table(m.indicator_frame(), None, "zh")
    assert list(table.columns) == ["key", "label", "unit", "run"]
    assert table.iloc[0]["label"] == "规上工业增加值"


def test_run_level_years_are_the_last_two_rows():
    m = run()
    _, table = indicator_table(m.indicator_frame(), m.reference_frame())
    assert list(table["key"].iloc[-2:]) == ["innovation_year", "peak_year"]
    yearly = annual(m.indicator_frame())
    co2 = dict(zip(yearly["year"], yearly["co2"], strict=True))
    peak = table.iloc[-1]["run"]
    if co2[2021] > co2[2022]:  # two full years: a peak shows only if the second is lower
        assert peak == 2021
    else:
        assert math.isnan(peak)


def test_the_first_year_shows_while_in_progress():
    m = WorkshopModel(RunSettings(enterprises=500), rng=0).replay(3)
    period, table = indicator_table(m.indicator_frame())
    assert period == "2021 (3 quarters)"
    growth = table[table["key"] == "value_added_growth"].iloc[0]["run"]
    assert growth == pytest.approx(m.indicator_frame()["value_added_growth"].mean(), rel=1e-3)


def test_before_the_first_step_the_table_is_empty():
    m = WorkshopModel(RunSettings(enterprises=500), rng=0)
    period, table = indicator_table(m.indicator_frame())
    assert period == "" and table.empty


def test_cells_and_periods():
    assert format_cell(float("nan"), "co2") == "—"
    assert format_cell(2031.0, "peak_year") == "2031"
    assert format_cell(12345.6, "co2") == "12,346"
    assert format_cell(1.23456, "carbon_intensity") == "1.23"
    assert period_label(2030, 4, "en") == "2030"
    assert period_label(2030, 1, "en") == "2030 (1 quarter)"
    assert period_label(2030, 3, "zh") == "2030（3个季度）"


def test_html_table_signs_the_gap():
    table = pd.DataFrame([
        {"key": "co2", "label": "CO2", "unit": "t", "reference": 100.0, "run": 90.0,
         "gap": -10.0, "gap_pct": -10.0},
        {"key": "green_share", "label": "Green", "unit": "%", "reference": 40.0, "run": 45.0,
         "gap": 5.0, "gap_pct": 12.5},
        {"key": "peak_year", "label": "Peak", "unit": "year", "reference": 2027.0,
         "run": 2027.0, "gap": 0.0, "gap_pct": None},
    ])
    html = table_html("2030", table, "en")
    assert html.count("<tr>") == 4
    assert "<th>Indicator (2030)</th>" in html and "<th>Gap</th>" in html
    rows = html.split("<tr>")[2:]
    assert '<td class="num">-10.0</td><td class="num">-10.0</td>' in rows[0]
    assert '<td class="num">+5</td><td class="num">+12.5</td>' in rows[1]
    assert '<td class="num">0</td><td class="num">—</td>' in rows[2]


def share_frame(yearly_share: list[float], extra: list[float] = ()) -> pd.DataFrame:
    """Indicators whose innovation share is constant within each year."""
    rows = [{"year": 2021 + i, "quarter": q, "innovation_share": v}
            for i, v in enumerate(yearly_share) for q in range(1, 5)]
    rows += [{"year": 2021 + len(yearly_share), "quarter": q, "innovation_share": v}
             for q, v in enumerate(extra, start=1)]
    df = pd.DataFrame(rows)
    df["step"] = range(len(df))
    for col in ("value_added", "investment", "energy_use", "co2"):
        df[col] = 100.0
    for col in ("value_added_growth", "investment_growth"):
        df[col] = 5.0
    return df


@pytest.mark.parametrize(("shares", "extra", "year"), [
    ([60, 40, 55, 70], [], 2023),
    ([60, 70, 80], [], 2021),
    ([60, 70, 40], [], None),
    ([40, 60], [10, 10], 2022),  # a year in progress does not count
])
def test_innovation_year_is_the_first_year_it_stays_above_half(shares, extra, year):
    got = innovation_year(share_frame(shares, extra))
    assert (year is None and math.isnan(got)) or got == year


def test_innovation_year_agrees_with_the_run_summary():
    m = run((("coupling", 1.0),), quarters=40)
    expected = outcomes(m.indicator_frame())["innovation_year"]
    got = innovation_year(m.indicator_frame())
    assert (math.isnan(expected) and math.isnan(got)) or got == expected
