"""Sidebar controls: language, scenario, what-if reference and the policy levers.

Every change builds a new run with the new settings and simulates it to the quarter the
room had reached (:func:`viz.workshop.rebuild`), so the charts show at once what the change
does over the same years. Mesa's Reset then starts that run again from the first quarter.
"""

from __future__ import annotations

from dataclasses import replace

import solara
from mesa.visualization.utils import force_update

from chainshift.scenarios.loader import ScenarioError, available, load_scenario
from chainshift.viz.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    lever_help,
    scenario_label,
    scenario_question,
    tr,
    value_text,
)
from chainshift.viz.levers import Lever, levers_by_capability
from chainshift.viz.panels import language
from chainshift.viz.workshop import BAND_SEEDS, RunSettings, rebuild

error = solara.reactive("")
"""The last settings error shown in the sidebar (one line), or ""."""


def apply(model: solara.Reactive, settings: RunSettings) -> None:
    """Replace the run on screen by one with ``settings``, simulated to the same quarter."""
    old = model.value
    try:
        new = rebuild(settings, seed=int(old.seed or 0), quarters=old.t)
    except (ScenarioError, ValueError) as err:  # a broken scenario file, a value out of range
        error.set(str(err).splitlines()[0])
        return
    error.set("")
    model.value = new
    force_update()


@solara.component
def LanguagePicker():
    """English / 中文."""
    with solara.v.BtnToggle(v_model=language.value, on_v_model=lambda v: language.set(v or "en"),
                            mandatory=True, dense=True, class_="cs-language"):
        for code in LANGUAGES:
            solara.v.Btn(children=[LANGUAGE_NAMES[code]], value=code, small=True,
                         class_=f"cs-lang-{code}")


def scenario_items(lang: str = "en") -> list[dict]:
    """Select items for the shipped scenarios (named in ``lang``)."""
    return [{"text": scenario_label(name, lang), "value": name} for name in available()]


@solara.component
def ScenarioPanel(model: solara.Reactive):
    """The scenario picker with the question each scenario answers."""
    lang = language.value
    settings = model.value.settings
    with solara.Card(tr("scenario", lang), margin=0, classes=["cs-scenario-card"]):
        solara.v.Select(label=tr("scenario", lang), items=scenario_items(lang),
                        v_model=settings.scenario, dense=True, hide_details=True,
                        on_v_model=lambda s: apply(model, replace(settings, scenario=s, levers={})),
                        class_="cs-scenario")
        question = scenario_question(settings.scenario,
                                     available().get(settings.scenario, ""), lang)
        if question:
            solara.Text(question, style={"font-size": "12px", "color": "#4a5568"})
        if error.value:
            solara.Error(error.value)


@solara.component
def WhatIfControls(model: solara.Reactive):
    """Switch what-if mode on and pick the reference scenario."""
    lang = language.value
    settings = model.value.settings
    on = settings.reference is not None
    with solara.Card(tr("whatif", lang), margin=0, classes=["cs-whatif-card"]):
        solara.v.Switch(label=tr("compare_with", lang), v_model=on, hide_details=True,
                        dense=True, class_="cs-compare",
                        on_v_model=lambda v: apply(model, replace(
                            settings, reference="baseline" if v else None)))
        if on:
            solara.v.Select(label=tr("reference", lang), items=scenario_items(lang),
                            v_model=settings.reference, dense=True, hide_details=True,
                            class_="cs-reference mt-4",
                            on_v_model=lambda s: apply(model, replace(settings, reference=s)))
        solara.Text(tr("whatif_note", lang), style={"font-size": "12px", "color": "#4a5568"})
        band = settings.band_seeds > 1
        solara.v.Switch(label=tr("seed_band", lang).format(n=BAND_SEEDS), v_model=band,
                        hide_details=True, dense=True, class_="cs-band",
                        on_v_model=lambda v: apply(model, replace(
                            settings, band_seeds=BAND_SEEDS if v else 0)))
        if band:
            solara.Text(tr("band_help", lang), classes=["cs-band-help"],
                        style={"font-size": "11px", "color": "#718096", "line-height": "1.3"})


def set_lever(model: solara.Reactive, lever: Lever, value: float) -> None:
    """Set one lever of the run on screen (and rerun it to the same quarter)."""
    settings = model.value.settings
    base = scenario_policy(settings.scenario)
    apply(model, settings.with_lever(lever.name, lever.snap(value), getattr(base, lever.name)))


def scenario_policy(name: str):
    """The ``[policy]`` block of a scenario as its file sets it."""
    return load_scenario(name).policy


@solara.component
def LeverSlider(lever: Lever, value: float, scenario_value: float, model: solara.Reactive):
    """One lever: label, value with its unit in words; a slider that applies on release; the
    help line.
    """
    lang = language.value
    changed = abs(value - scenario_value) > 1e-12 * max(1.0, abs(scenario_value))
    with solara.Column(gap="0px", classes=["cs-lever", f"cs-lever-{lever.name}"],
                       style={"padding-bottom": "12px"}):
        weight = "600" if changed else "400"
        mark = " •" if changed else ""
        solara.HTML(tag="div", unsafe_innerHTML=(
            f'<span style="font-weight:{weight}">{lever.label(lang)}{mark}</span>'
            f'<span class="cs-lever-value" style="margin-left:auto; text-align:right">'
            f'{value_text(value, lever.unit, lang)}</span>'),
            style={"font-size": "13px", "display": "flex", "flex-wrap": "wrap",
                   "column-gap": "8px"})
        # a scenario may set a lever beyond the slider's usual span: widen it to hold the value
        slider = solara.v.Slider(v_model=value, min=min(lever.lo, value), max=max(lever.hi, value),
                                 step=lever.step, dense=True, hide_details=True,
                                 class_="cs-slider")
        solara.v.use_event(slider, "change", lambda *args: set_lever(model, lever, args[-1]))
        solara.Text(lever_help(lever.name, lever.help, lang), classes=["cs-lever-help"],
                    style={"font-size": "11px", "color": "#718096", "line-height": "1.3",
                           "display": "block"})


@solara.component
def LeverPanel(model: solara.Reactive):
    """The policy levers from the scenario schema, grouped by the plan's five capabilities."""
    lang = language.value
    settings = model.value.settings
    base = solara.use_memo(lambda: scenario_policy(settings.scenario), [settings.scenario])
    open_groups, set_open_groups = solara.use_state([0])

    with solara.Card(tr("levers", lang), margin=0, classes=["cs-levers"]):
        solara.Text(tr("levers_note", lang), style={"font-size": "12px", "color": "#4a5568"})
        with solara.v.ExpansionPanels(multiple=True, accordion=True, v_model=open_groups,
                                      on_v_model=set_open_groups):
            groups = [(cap, group) for cap, group in levers_by_capability().items() if group]
            for index, (cap, group) in enumerate(groups):
                n = sum(1 for lv in group if lv.name in settings.levers)
                head = tr(f"cap.{cap}", lang) + (f" ({n} {tr('changed', lang)})" if n else "")
                with solara.v.ExpansionPanel(class_=f"cs-cap-{cap}"):
                    solara.v.ExpansionPanelHeader(children=[head])
                    with solara.v.ExpansionPanelContent():
                        # only open groups hold sliders: fewer widgets to redraw each quarter
                        for lever in group if index in (open_groups or []) else []:
                            scenario_value = float(getattr(base, lever.name))
                            value = float(settings.levers.get(lever.name, scenario_value))
                            LeverSlider(lever, value, scenario_value, model)
        solara.Button(tr("reset_levers", lang), text=True, small=True,
                      disabled=not settings.levers, classes=["cs-reset-levers"],
                      on_click=lambda: apply(model, replace(settings, levers={})))
