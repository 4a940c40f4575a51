"""The page rendered in-process (no browser): Mesa's controls, the levers, what-if, language."""

import ipyvuetify as v
import ipywidgets
import pytest
import solara
from reacton.find import Finder
from solara.components.echarts import EchartsWidget

from chainshift.viz import charts, panels
from chainshift.viz.app import Page


@pytest.fixture
def page():
    panels.language.set("en")
    box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    rc.box = box
    yield rc
    rc.close()
    panels.language.set("en")


def walk(widget):
    """Every widget below ``widget`` (children, grid items, ...), depth first."""
    yield widget
    for name in widget.keys:
        value = getattr(widget, name, None)
        for child in value if isinstance(value, list | tuple) else [value]:
            if isinstance(child, ipywidgets.Widget):
                yield from walk(child)


def chart(rc, name: str) -> dict:
    """The option of the chart whose element carries class ``cs-<name>``."""
    (w,) = [w for w in rc.find(EchartsWidget).widgets
            if f"cs-{name}" in (w.attributes or {}).get("class", "").split()]
    return w.option


def chart_widget(rc, name: str) -> EchartsWidget:
    (w,) = [w for w in rc.find(EchartsWidget).widgets
            if f"cs-{name}" in (w.attributes or {}).get("class", "").split()]
    return w


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def with_class(rc, cls, name: str) -> Finder:
    """Widgets of type ``cls`` carrying the CSS class ``name``."""
    return Finder([w for w in walk(rc.box)
                   if isinstance(w, cls) and name in (getattr(w, "class_", "") or "").split()])


def html_under(finder: Finder) -> list[str]:
    """The inner HTML of every solara.HTML below the found widget."""
    return [w.unsafe_innerHTML for w in walk(finder.widget) if hasattr(w, "unsafe_innerHTML")]


def open_lever_groups(rc) -> None:
    """Open every capability group of the lever panel (closed groups hold no sliders)."""
    (panels_widget,) = [w for w in walk(rc.box) if isinstance(w, v.ExpansionPanels)]
    panels_widget.v_model = list(range(5))


def slider(rc, lever: str) -> v.Slider:
    open_lever_groups(rc)
    (w,) = [w for w in walk(with_class(rc, v.Sheet, f"cs-lever-{lever}").widget)
            if isinstance(w, v.Slider)]
    return w


def growth(rc) -> list:
    return chart(rc, "growth")["series"][0]["data"]


def test_every_panel_is_drawn(page):
    for name in ("growth", "accounting", "emissions", "shares", "firms", "map", "tenants",
                 "sankey"):
        assert chart(page, name)["series"] is not None
    assert with_class(page, v.Sheet, "cs-whatif").widget is not None


def test_step_adds_a_quarter_to_every_time_chart(page):
    for _ in range(3):
        click(page, "Step")
    for name in ("growth", "accounting", "emissions", "shares", "firms"):
        assert chart(page, name)["xAxis"]["data"] == ["2021Q1", "2021Q2", "2021Q3"]


def test_a_lever_reruns_the_model_to_the_same_quarter(page):
    for _ in range(4):
        click(page, "Step")
    before = growth(page)
    slider(page, "carbon_price").fire_event("change", 250.0)
    after = growth(page)
    assert len(after) == 4 and after != before
    assert slider(page, "carbon_price").v_model == 250.0
    assert page.find(v.ExpansionPanelHeader, children=["Green (1 changed)"]).widget
    click(page, "Scenario values")
    assert growth(page) == before
    assert slider(page, "carbon_price").v_model == 50.0


def test_reset_starts_again_and_keeps_the_levers(page):
    slider(page, "coupling").fire_event("change", 1.0)
    for _ in range(2):
        click(page, "Step")
    changed = growth(page)
    click(page, "Reset")
    assert chart(page, "growth")["xAxis"]["data"] == []
    for _ in range(2):
        click(page, "Step")
    assert growth(page) == changed


def test_what_if_draws_the_reference_and_the_gap(page):
    slider(page, "carbon_price").fire_event("change", 250.0)
    page.find(v.Switch, class_="cs-compare").widget.v_model = True
    for _ in range(4):
        click(page, "Step")
    names = [s["name"] for s in chart(page, "growth")["series"]]
    assert names == ["Value-added growth", "Value-added growth (reference)"]
    run, ref = (s["data"] for s in chart(page, "emissions")["series"][:2])
    assert run != ref
    assert any("<th>Gap</th>" in h for h in html_under(with_class(page, v.Sheet, "cs-whatif")))


def test_the_seed_band_switch_shades_the_time_charts(page):
    click(page, "Step")
    assert not any(charts.is_band(s) for s in chart(page, "growth")["series"])
    page.find(v.Switch, class_="cs-band").widget.v_model = True
    click(page, "Step")
    option = chart(page, "growth")
    ids = [s["id"] for s in option["series"] if charts.is_band(s)]
    assert ids == ["band:run:value_added_growth:low", "band:run:value_added_growth:width"]
    assert "shaded: 5-95% of seeds 0-4" in option["title"]["subtext"]
    assert option["series"][0]["data"] == growth(page)  # the live run is still drawn first
    assert len(option["series"][0]["data"]) == 2
    page.find(v.Switch, class_="cs-band").widget.v_model = False
    assert not any(charts.is_band(s) for s in chart(page, "growth")["series"])


def test_language_switch_redraws_in_chinese(page):
    click(page, "Step")
    with_class(page, v.BtnToggle, "cs-language").widget.v_model = "zh"
    assert chart(page, "growth")["title"]["text"] == "规上工业增加值增速"
    assert "全要素生产率（创新）" in [x["name"] for x in chart(page, "accounting")["series"]]
    assert page.find(v.Btn, children=["人才"]).widget is not None


def test_clicking_a_park_shows_its_tenants(page):
    click(page, "Step")
    chart_widget(page, "map").vue_on_click(
        {"seriesType": "scatter", "dataIndex": 5, "data": {"value": [0, 0, 0, 0, 5]}})
    assert chart(page, "tenants")["title"]["subtext"].startswith("Park 6 · ")
    assert page.find(v.Select, class_="cs-park-select").widget.v_model == 5


def test_exports_are_offered(page):
    names = {w.filename for w in page.find(solara.components.file_download.FileDownloadWidget)
             .widgets}
    assert names == {"chainshift-baseline-seed0-2021Q1.csv",
                     "chainshift-baseline-seed0-2021Q1-brief.html"}


def test_the_flow_panel_switches_factor(page):
    click(page, "Step")
    assert chart(page, "sankey")["title"]["subtext"].startswith("Technology: total")
    with_class(page, v.BtnToggle, "cs-factor").widget.v_model = "capital"
    assert chart(page, "sankey")["title"]["subtext"].startswith("Capital: total")


def test_picking_a_scenario_starts_from_its_own_levers(page):
    from chainshift.scenarios.loader import available, load_scenario

    others = [name for name in available() if name != "baseline"]
    if not others:
        pytest.skip("only the baseline scenario is shipped")
    name = others[0]
    slider(page, "coupling").fire_event("change", 0.0)
    with_class(page, v.Select, "cs-scenario").widget.v_model = name
    wanted = load_scenario(name).policy
    assert slider(page, "coupling").v_model == pytest.approx(wanted.coupling)
    assert slider(page, "carbon_price").v_model == pytest.approx(wanted.carbon_price)


def texts(rc) -> list[str]:
    """Every label, title and text of the page's widgets."""
    out = []
    for w in walk(rc.box):
        for name in ("label", "children", "value", "v_model", "unsafe_innerHTML"):
            value = getattr(w, name, None)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    out.append(item)
    return out


def test_mesas_controls_and_the_quarter_speak_the_tabs_language(page):
    from chainshift.viz.i18n import MESA_TEXT

    for _ in range(3):
        click(page, "Step")
    english = texts(page)
    assert "Simulated to 2021Q3" in english
    assert not any(t.startswith("Time:") for t in english)
    with_class(page, v.BtnToggle, "cs-language").widget.v_model = "zh"
    chinese = texts(page)
    for text in MESA_TEXT:
        assert text not in chinese, text
    for text in ("运行控制", "重置", "单步", "模型参数", "运行信息", "已模拟至 2021Q3"):
        assert text in chinese, text
    click(page, "单步")
    assert chart(page, "growth")["xAxis"]["data"][-1] == "2021Q4"


def test_levers_show_values_in_words_and_help_in_the_tabs_language(page):
    open_lever_groups(page)
    html = " ".join(html_under(with_class(page, v.Sheet, "cs-lever-coupling")))
    assert "0.50 (share)" in html
    with_class(page, v.BtnToggle, "cs-language").widget.v_model = "zh"
    open_lever_groups(page)
    html = " ".join(html_under(with_class(page, v.Sheet, "cs-lever-coupling")))
    assert "0.50（比例）" in html
    assert "双链融合：科研院所按产业链需求开展研究的比例" in texts(page)


def test_the_hindcast_runs_from_2017_in_the_dashboard(page):
    with_class(page, v.Select, "cs-scenario").widget.v_model = "hindcast_2017"
    for _ in range(5):
        click(page, "Step")
    assert "Simulated to 2018Q1" in texts(page)
    assert chart(page, "sankey")["title"]["subtext"]
