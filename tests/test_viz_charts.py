import functools
import math

import numpy as np
import pandas as pd
import pytest

from chainshift.model.summary import annual
from chainshift.viz import charts
from chainshift.viz.workshop import BAND_INDICATORS, RunSettings, SeedBand, WorkshopModel


@functools.cache
def what_if_run() -> WorkshopModel:
    """Twelve quarters of a small run with a higher carbon price, against the baseline."""
    settings = RunSettings(enterprises=500, levers={"carbon_price": 200.0}, reference="baseline")
    return WorkshopModel(settings, rng=2).replay(12)


def frames():
    m = what_if_run()
    return m.indicator_frame(), m.reference_frame()


def yearly_co2_frame(yearly_co2: list[float], extra_quarters: list[float] = ()) -> pd.DataFrame:
    """Indicators with the given yearly CO2 (spread evenly over four quarters)."""
    rows = []
    for i, total in enumerate(yearly_co2):
        for q in range(1, 5):
            rows.append({"year": 2021 + i, "quarter": q, "co2": total / 4})
    for q, value in enumerate(extra_quarters, start=1):
        rows.append({"year": 2021 + len(yearly_co2), "quarter": q, "co2": value})
    df = pd.DataFrame(rows)
    df["step"] = range(len(df))
    for col in ("value_added", "investment", "energy_use"):
        df[col] = 100.0
    for col in ("value_added_growth", "investment_growth"):
        df[col] = 5.0
    df["carbon_intensity"] = df["co2"] / df["value_added"]
    return df


def series(option: dict, name: str) -> dict:
    (found,) = [s for s in option["series"] if s["name"] == name]
    return found


def test_growth_chart_has_the_run_and_the_target_line():
    run, _ = frames()
    opt = charts.growth_chart(run, lang="en", target=6.0)
    assert opt["xAxis"]["data"] == [f"{y}Q{q}" for y in (2021, 2022, 2023) for q in (1, 2, 3, 4)]
    line = series(opt, "Value-added growth")
    assert line["data"] == [charts.rounded(v) for v in run["value_added_growth"]]
    (mark,) = line["markLine"]["data"]
    assert mark["yAxis"] == 6.0 and mark["name"] == "Target 6%"


def test_growth_target_comes_from_the_scenario():
    m = what_if_run()
    assert charts.growth_target(m.config.targets) == 6.0  # baseline.toml: 6.0 in 2022
    assert charts.growth_target([]) == charts.PLAN_GROWTH_TARGET
    opt = charts.growth_chart(m.indicator_frame(), target=7.5)
    assert opt["series"][0]["markLine"]["data"][0]["yAxis"] == 7.5


def test_what_if_adds_a_dashed_reference_line_in_the_same_colour():
    run, ref = frames()
    opt = charts.growth_chart(run, ref)
    solid, dashed = opt["series"]
    assert dashed["name"] == "Value-added growth (reference)"
    assert dashed["lineStyle"]["type"] == "dashed" and solid["lineStyle"]["type"] == "solid"
    assert dashed["color"] == solid["color"]
    assert dashed["data"] == [charts.rounded(v) for v in ref["value_added_growth"]]
    assert opt["legend"]["data"] == ["Value-added growth"]
    assert opt["title"]["subtext"].endswith("dashed: reference")


def test_accounting_bars_add_up_to_the_yearly_growth_of_real_value_added():
    run, _ = frames()
    opt = charts.accounting_chart(run)
    bars = [s for s in opt["series"] if s["type"] == "bar"]
    assert [b["name"] for b in bars] == ["Capital", "Labour", "R&D staff", "TFP (innovation)"]
    assert {b["stack"] for b in bars} == {"growth"}
    assert all(b["data"][q] is None for b in bars for q in range(3))  # no year before yet
    total = np.sum([[np.nan if v is None else v for v in b["data"]] for b in bars], axis=0)
    # the four quarters ending in each fourth quarter against the four before: the
    # chain-linked Tornqvist growth of the calendar year's real value added
    y = annual(run).set_index("year")
    q4 = [i for i, q in enumerate(run["quarter"]) if q == 4][1:]
    growth = 100 * np.log(y["value_added"].to_numpy()[1:] / y["value_added"].to_numpy()[:-1])
    np.testing.assert_allclose(total[q4], growth, atol=0.05)


def test_accounting_shows_the_innovation_share_and_its_50_percent_line():
    run, ref = frames()
    opt = charts.accounting_chart(run, ref)
    share = series(opt, "Innovation share of growth")
    assert share["yAxisIndex"] == 1
    assert share["markLine"]["data"][0]["yAxis"] == 50.0
    assert opt["yAxis"][1]["max"] == 100
    assert series(opt, "Innovation share of growth (reference)")["lineStyle"]["type"] == "dashed"


@pytest.mark.parametrize(("yearly", "extra", "peak"), [
    ([100, 120, 110, 90], [], 2022),
    ([100, 110, 120], [], None),          # the highest year is the last full one: no peak yet
    ([100, 120, 110], [500, 500], 2022),  # a year in progress does not count
    ([130, 120, 110], [], 2021),
    ([100], [], None),
])
def test_emission_peak_year(yearly, extra, peak):
    assert charts.emission_peak_year(yearly_co2_frame(yearly, extra)) == peak


def test_emissions_chart_shades_the_peak_year():
    opt = charts.emissions_chart(yearly_co2_frame([100, 120, 110, 90]), lang="zh")
    co2 = series(opt, "二氧化碳排放")
    start, end = co2["markArea"]["data"][0]
    assert (start["xAxis"], end["xAxis"]) == ("2022Q1", "2022Q4")
    assert start["name"] == "达峰 2022"
    label = co2["markArea"]["label"]  # legible: dark, above the pink band
    assert label["position"] == "top" and label["color"] == "#c53030"
    assert series(opt, "碳排放强度")["yAxisIndex"] == 1


def test_emissions_chart_without_a_peak_has_no_shading():
    opt = charts.emissions_chart(yearly_co2_frame([100, 110, 120]))
    assert "markArea" not in series(opt, "CO2 emissions")


def test_shares_chart_in_the_unit_of_the_indicator_files():
    from chainshift.model.indicators import INDICATOR_UNITS

    run, _ = frames()
    opt = charts.shares_chart(run)
    green = series(opt, "Green share of capacity")
    assert green["data"] == [charts.rounded(v) for v in run["green_share"]]
    assert series(opt, "Digital level")["data"][0] == charts.rounded(run["digital_level"][0])
    assert INDICATOR_UNITS["green_share"] == "percent" and INDICATOR_UNITS["digital_level"] == "0-1"
    assert (opt["yAxis"][0]["max"], opt["yAxis"][1]["max"]) == (100, 1)
    assert (green["yAxisIndex"], series(opt, "Digital level")["yAxisIndex"]) == (0, 1)


def test_firms_chart_counts():
    run, ref = frames()
    opt = charts.firms_chart(run, ref)
    names = [s["name"] for s in opt["series"]]
    assert names[:3] == ["High-tech enterprises", "Specialized-and-new firms", "Little giants"]
    assert len(names) == 6
    assert series(opt, "High-tech enterprises")["data"] == [float(v) for v in run["high_tech"]]


def test_charts_before_the_first_step_are_empty_and_say_so():
    m = WorkshopModel(RunSettings(enterprises=500), rng=0)
    for build in (charts.growth_chart, charts.accounting_chart, charts.emissions_chart,
                  charts.shares_chart, charts.firms_chart):
        opt = build(m.indicator_frame(), None, "en")
        assert opt["xAxis"]["data"] == []
        assert opt["title"]["subtext"] == "Press Step or Play to simulate."


def test_a_shorter_reference_is_padded_on_the_time_axis():
    run, ref = frames()
    opt = charts.growth_chart(run, ref.iloc[:5])
    assert len(opt["xAxis"]["data"]) == 12
    assert opt["series"][1]["data"][5:] == [None] * 7


def test_rounded():
    assert charts.rounded(123.456789) == 123.5
    assert charts.rounded(float("nan")) is None
    assert charts.rounded(math.inf) is None



def known_band(run: pd.DataFrame, offset: float = 1.0) -> SeedBand:
    """A band of known ends: each charted indicator of ``run`` minus/plus ``offset`` (times
    two above), so the shaded width is 3 * offset."""
    frame = run[["year", "quarter", *BAND_INDICATORS]].copy()
    for col in BAND_INDICATORS:
        frame[f"{col}_low"] = frame[col] - offset
        frame[f"{col}_high"] = frame[col] + 2 * offset
    return SeedBand((2, 3, 4), frame, frame)


def test_a_seed_band_is_shaded_around_its_line_and_kept_out_of_tooltip_and_legend():
    run, ref = frames()
    opt = charts.growth_chart(run, ref, lang="en", target=6.0, band=known_band(run))
    bands = [s for s in opt["series"] if charts.is_band(s)]
    assert [s["id"] for s in bands] == [
        "band:run:value_added_growth:low", "band:run:value_added_growth:width",
        "band:reference:value_added_growth:low", "band:reference:value_added_growth:width"]
    low, width = bands[0], bands[1]
    assert low["data"] == [charts.rounded(v - 1.0) for v in run["value_added_growth"]]
    assert width["data"] == pytest.approx([3.0] * len(run))
    assert low["stack"] == width["stack"] and low["stackStrategy"] == "all"
    assert "areaStyle" in width and "areaStyle" not in low
    assert all(s["tooltip"] == {"show": False} for s in bands)
    # the band is named like its line, so the line's legend entry toggles it too
    assert low["name"] == opt["series"][0]["name"] == "Value-added growth"
    assert opt["legend"]["data"] == ["Value-added growth"]
    assert "markLine" in opt["series"][0]  # the run's own line is still first
    assert "shaded: 5-95% of seeds 2-4" in opt["title"]["subtext"]


def test_every_time_chart_shades_each_line_it_draws():
    run, _ = frames()
    band = known_band(run)
    for build, cols in ((charts.accounting_chart, ["innovation_share"]),
                        (charts.emissions_chart, ["co2", "carbon_intensity"]),
                        (charts.shares_chart, ["green_share", "digital_level"]),
                        (charts.firms_chart, ["high_tech", "specialized_new", "little_giants"])):
        opt = build(run, None, "en", band=band)
        ids = [s["id"] for s in opt["series"] if charts.is_band(s)]
        assert ids == [f"band:run:{c}:{part}" for c in cols for part in ("low", "width")]
        assert not any(charts.is_band(s) for s in build(run, None, "en")["series"])


def test_without_a_band_the_live_chart_is_unchanged():
    run, ref = frames()
    assert charts.growth_chart(run, ref, "en", band=None) == charts.growth_chart(run, ref, "en")
