"""The dashboard's panels: Solara components SolaraViz lays out in its grid.

Each panel takes the model SolaraViz shows, subscribes to Mesa's update counter (so it redraws
after every step) and to the tab's language, and draws ECharts options built by the pure
functions of :mod:`viz.charts`, :mod:`viz.parkmap`, :mod:`viz.sankey` and :mod:`viz.whatif`.

Solara may render a panel several times for one step (the sidebar and the grid share one
layout); an option is therefore built once per quarter, language and choice
(:func:`use_spec`), and handed to the browser only when it changed (:func:`EChart`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import solara
from mesa.visualization.utils import update_counter
from solara.components.echarts import EchartsWidget

from chainshift.model.ledger import FACTORS
from chainshift.viz import charts, export, parkmap, sankey, style
from chainshift.viz import contracts as contract_view
from chainshift.viz.i18n import chain_label, quarter_label, tr, value_text
from chainshift.viz.levers import policy_levers
from chainshift.viz.whatif import TABLE_CSS, indicator_table, table_html

language = solara.reactive("en")
"""The interface language of this browser tab, "en" or "zh"."""

CHART_HEIGHT = "360px"


@dataclass(frozen=True, eq=False)
class Spec:
    """A built chart option, compared by identity.

    The renderer then neither walks nor diffs the (large) option when a panel renders again
    without a new quarter.
    """

    option: dict


def use_spec(build: Callable[[], dict], model, *choices) -> Spec:
    """The option ``build`` makes, rebuilt only for a new run, quarter, language or choice."""
    key = [id(model), model.t, language.value, *choices]
    return solara.use_memo(lambda: Spec(build()), key)


@solara.component
def EChart(spec: Spec, klass: str, height: str = CHART_HEIGHT, on_click=None,
           maps: dict | None = None):
    """One ECharts figure, resizing with its grid cell.

    The library is served by Solara from solara-assets; ``klass`` names the figure for the
    stylesheet and the tests (``cs-growth``); ``maps`` are GeoJSON maps the option draws on.
    """
    el = EchartsWidget.element(
        responsive=True, on_click=on_click, maps=maps or {},
        attributes={"style": f"height: {height}; width: 100%;", "class": f"cs-chart {klass}"})

    def push():
        solara.get_widget(el).option = style.with_font(spec.option)

    solara.use_effect(push, [spec])
    return el


def frames(model):
    """(run indicators, reference indicators or None) of the model on screen."""
    return model.indicator_frame(), model.reference_frame()


@solara.component
def GrowthPanel(model):
    """Industrial value-added growth against the target."""
    update_counter.get()
    target = charts.growth_target(model.config.targets)
    EChart(use_spec(lambda: charts.growth_chart(*frames(model), language.value, target=target,
                                                band=model.band_frame()), model), "cs-growth")


@solara.component
def AccountingPanel(model):
    """Growth accounting with the innovation share and its 50% line."""
    update_counter.get()
    EChart(use_spec(lambda: charts.accounting_chart(*frames(model), language.value,
                                                    band=model.band_frame()), model),
           "cs-accounting")


@solara.component
def EmissionsPanel(model):
    """CO2 and carbon intensity with the emission peak."""
    update_counter.get()
    EChart(use_spec(lambda: charts.emissions_chart(*frames(model), language.value,
                                                   band=model.band_frame()), model),
           "cs-emissions")


@solara.component
def SharesPanel(model):
    """Green and digital shares."""
    update_counter.get()
    EChart(use_spec(lambda: charts.shares_chart(*frames(model), language.value,
                                                band=model.band_frame()), model), "cs-shares")


@solara.component
def FirmsPanel(model):
    """High-tech, specialized-and-new and little-giant counts."""
    update_counter.get()
    EChart(use_spec(lambda: charts.firms_chart(*frames(model), language.value,
                                               band=model.band_frame()), model), "cs-firms")


def biggest_park(model) -> int | None:
    """The park with the largest output (shown until a park is picked)."""
    n = len(model.parks)
    return int(max(range(n), key=lambda i: model.parks.va[i])) if n else None


@solara.component
def MapPanel(model):
    """The park map; clicking a park (or picking it in the list) shows its tenants by chain."""
    update_counter.get()
    lang = language.value
    picked, set_picked = solara.use_state(None)
    selected = picked if picked is not None and picked < len(model.parks) else biggest_park(model)

    def on_click(event):
        park = parkmap.clicked_park(event)
        if park is not None:
            set_picked(park)

    items = solara.use_memo(
        lambda: [{"text": parkmap.park_name(model, i, lang), "value": i}
                 for i in range(len(model.parks))], [id(model), lang])
    park_map = use_spec(lambda: parkmap.park_map(model, lang, selected), model, selected)
    tenants = use_spec(lambda: parkmap.tenants_chart(model, selected, lang)
                       if selected is not None else {}, model, selected)
    with solara.Columns([3, 2], gutters_dense=True):
        EChart(park_map, "cs-map", on_click=on_click, maps=parkmap.maps())
        with solara.Column(gap="10px"):
            # its own row above the chart, so the picker never overlaps the chart's heading
            solara.v.Select(label=tr("park", lang), items=items, v_model=selected,
                            on_v_model=set_picked, dense=True, hide_details=True,
                            class_="cs-park-select", style_="margin-top: 8px")
            if selected is not None:
                EChart(tenants, "cs-tenants", height="220px")
                with solara.Column(gap="0px", classes=["cs-park-facts"],
                                   style={"font-size": "12px", "line-height": "1.3"}):
                    for line in parkmap.park_facts(model, selected, lang):
                        solara.Text(line)


def flow_views(model) -> tuple[str, ...]:
    """The views the flows panel offers: by kind always; by chain and by park, and the
    contract network, when the run keeps its ledger by pair of agents.
    """
    return (*sankey.VIEWS, "network") if model.ledger.pairs else ("kind",)


def flows_chart(model, factor: str, view: str, chain: int, lang: str) -> dict:
    """The flows panel's figure for a view."""
    if view == "kind":
        return sankey.sankey_chart(model.flow_frame(), factor, lang, model.reference_flow_frame())
    if view == "network":
        return contract_view.network_chart(model, chain, lang)
    return sankey.grouped_sankey_chart(model, model.flow_frame(view), factor, view, lang)


@solara.component
def FlowsPanel(model):
    """A Sankey of one innovation factor's flows over the last year (pick the factor), by
    kind of agent, by chain or by park; or one chain's contract network.
    """
    update_counter.get()
    lang = language.value
    factor, set_factor = solara.use_state("technology")
    view, set_view = solara.use_state("kind")
    chain, set_chain = solara.use_state(0)
    views = flow_views(model)
    view = view if view in views else "kind"
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        if view != "network":
            with solara.v.BtnToggle(v_model=factor, on_v_model=lambda f: set_factor(f or factor),
                                    mandatory=True, dense=True, class_="cs-factor"):
                for f in FACTORS:
                    solara.v.Btn(children=[tr(f"factor.{f}", lang)], value=f, small=True,
                                 class_=f"cs-factor-{f}")
        if len(views) > 1:
            with solara.v.BtnToggle(v_model=view, on_v_model=lambda v: set_view(v or view),
                                    mandatory=True, dense=True, class_="cs-flow-view"):
                for v in views:
                    solara.v.Btn(children=[tr(f"view.{v}", lang)], value=v, small=True,
                                 class_=f"cs-view-{v}")
        if view == "network":
            items = [{"text": chain_label(c.name, c.label_zh, lang), "value": i}
                     for i, c in enumerate(model.config.chains)]
            solara.v.Select(label=tr("chain", lang), items=items, v_model=chain,
                            on_v_model=set_chain, dense=True, hide_details=True,
                            class_="cs-chain-select", style_="max-width: 220px")
    EChart(use_spec(lambda: flows_chart(model, factor, view, chain, lang), model, factor,
                    view, chain), "cs-sankey", height="320px")


def lever_changes(model, lang: str) -> list[str]:
    """One line per lever set away from its scenario value:
    ``Carbon price: 50 yuan per t CO2 → 120 yuan per t CO2``.
    """
    from chainshift.scenarios.loader import load_scenario

    changed = model.settings.levers
    if not changed:
        return []
    base = load_scenario(model.settings.scenario).policy
    out = []
    for lever in policy_levers():
        if lever.name in changed:
            out.append(f"{lever.label(lang)}: "
                       f"{value_text(getattr(base, lever.name), lever.unit, lang)} → "
                       f"{value_text(changed[lever.name], lever.unit, lang)}")
    return out


def reached(model, lang: str = "en") -> str:
    """The last quarter simulated, or the start year before any step."""
    if model.t <= 0:
        return f"{model.config.horizon.start_year}Q1 ({tr('not_started', lang)})"
    return quarter_label(model.year, model.quarter)


def brief_charts(model, lang: str) -> list[dict]:
    """The charts of the one-page brief, as on screen."""
    run, ref = frames(model)
    target = charts.growth_target(model.config.targets)
    band = model.band_frame()
    return [
        charts.growth_chart(run, ref, lang, target=target, band=band),
        charts.accounting_chart(run, ref, lang, band=band),
        charts.emissions_chart(run, ref, lang, band=band),
        charts.shares_chart(run, ref, lang, band=band),
        charts.firms_chart(run, ref, lang, band=band),
        sankey.sankey_chart(model.flow_frame(), "technology", lang, model.reference_flow_frame()),
        parkmap.park_map(model, lang),
    ]


def brief(model, lang: str) -> bytes:
    """The one-page HTML brief of the run on screen."""
    run, ref = frames(model)
    return export.brief_html(
        brief_charts(model, lang), run, ref, lang=lang, scenario=model.settings.scenario,
        maps=parkmap.maps(),
        reference=model.settings.reference, seed=int(model.seed or 0),
        lever_changes=lever_changes(model, lang), reached=reached(model, lang),
    ).encode("utf-8")


@solara.component
def WhatIfPanel(model):
    """The latest year's key figures, the gap to the reference in what-if mode, and exports."""
    update_counter.get()
    lang = language.value
    run, ref = frames(model)
    table = solara.use_memo(lambda: table_html(*indicator_table(run, ref, lang), lang),
                            [id(model), model.t, lang])
    solara.Style(TABLE_CSS)
    with solara.Column(gap="6px", classes=["cs-whatif"]):
        title = tr("gap", lang) if ref is not None else tr("run", lang)
        solara.HTML(tag="div", unsafe_innerHTML=f"<b>{title}</b> · {tr('quarter_now', lang)} "
                    f"{reached(model, lang)}")
        if ref is None:
            solara.Text(tr("gap_off", lang), style={"color": "#4a5568", "font-size": "13px"})
        if len(run):
            solara.HTML(tag="div", unsafe_innerHTML=table, classes=["cs-gap-table"])
        stem = f"chainshift-{model.settings.scenario}-seed{model.seed}-{reached(model)[:6]}"
        with solara.Row():
            solara.FileDownload(
                lambda: export.indicators_csv(run, ref, model.settings.scenario,
                                              model.settings.reference or ""),
                filename=f"{stem}.csv", label=tr("export_csv", lang), mime_type="text/csv")
            solara.FileDownload(lambda: brief(model, lang), filename=f"{stem}-brief.html",
                                label=tr("export_brief", lang), mime_type="text/html")


PANELS = [GrowthPanel, AccountingPanel, EmissionsPanel, SharesPanel, FirmsPanel, MapPanel,
          FlowsPanel, WhatIfPanel]
"""The panels in grid order (two per row)."""
