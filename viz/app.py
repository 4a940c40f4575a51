"""The workshop dashboard page: Mesa's SolaraViz with chainshift's panels and controls.

Start it with ``python run.py viz`` (offline-safe settings, see docs/DASHBOARD.md) or
``solara run viz/app.py``.

SolaraViz gives the run controls (Play, Step, Reset, speed), the seed and the grid of panels;
the sidebar adds the language switch, the scenario picker, what-if mode and the policy levers.
"""

from __future__ import annotations

import warnings

import solara
from mesa.visualization import Slider, SolaraViz
from solara.server import settings as server_settings

from chainshift.viz import mesa_text, redraw, style
from chainshift.viz.controls import LanguagePicker, LeverPanel, ScenarioPanel, WhatIfControls
from chainshift.viz.i18n import tr
from chainshift.viz.panels import PANELS, language
from chainshift.viz.workshop import RunSettings, WorkshopModel

# No usage reports from a server started with ``solara run viz/app.py`` either (``run.py viz``
# turns them off before the server starts; see docs/DASHBOARD.md, "Offline").
server_settings.telemetry.mixpanel_enable = False
# Solara's floating "runs on Solara" banner would cover the last panel; the credit stands at
# the foot of the sidebar instead.
server_settings.theme.show_banner = False
server_settings.theme.title = "chainshift"
style.serve_assets()  # the Chinese web font, from the installed package
mesa_text.install()  # Mesa's run controls in the tab's language
redraw.install()  # one render of the page per Step, not one per panel

# Solara warns on each page load from a host other than "localhost" that a cross-site cookie
# needs https; the dashboard is never embedded in another site, so its fallback is right.
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https",
                        category=UserWarning)

PLAY_INTERVAL_MS = 150
"""Pause between quarters while playing: a 15-year run plays in about ten seconds."""

PAGE_CSS = style.FONT_CSS + """
.cs-lever-help { margin-top: 2px; }
.cs-credit { font-size: 11px; color: #718096; margin: 8px 4px; }
.cs-levers .v-expansion-panel-content__wrap { padding: 0 8px 8px 8px; }
.cs-levers .v-expansion-panel-header { min-height: 40px; padding: 8px 12px; font-size: 14px; }
.vue-grid-item > div { height: 100%; overflow: auto; }
.v-tabs:has(+ .v-window) { display: none; }
"""


def model_params(model: solara.Reactive, lang: str) -> dict:
    """SolaraViz's model parameters: the settings in force (fixed) and the seed (a slider).

    Mesa's Reset calls ``WorkshopModel(**params)``; ``settings`` is a function returning the
    settings of the run on screen, so Reset keeps the levers set in the sidebar.
    """
    return {
        "settings": lambda: model.value.settings,
        "rng": Slider(tr("seed_label", lang), value=0, min=0, max=99, step=1),
    }


@solara.component
def Page():
    """The dashboard."""
    lang = language.value
    initial = solara.use_memo(lambda: WorkshopModel(RunSettings(), rng=0), [])
    model = solara.use_reactive(initial)
    solara.Style(PAGE_CSS)
    SolaraViz(model, components=[(panel, 0) for panel in PANELS],
              model_params=model_params(model, lang), name=tr("title", lang),
              play_interval=PLAY_INTERVAL_MS)
    SidebarBelowMesa(model)


@solara.component
def SidebarControls(model: solara.Reactive):
    """Language, scenario, what-if and levers, in the sidebar."""
    with solara.Sidebar():
        with solara.Column(classes=["cs-sidebar"]):
            LanguagePicker()
            ScenarioPanel(model)
            WhatIfControls(model)
            LeverPanel(model)
            solara.Text(tr("credit", language.value), classes=["cs-credit"])


@solara.component
def SidebarBelowMesa(model: solara.Reactive):
    """The controls, one component level deeper than SolaraViz's own sidebar.

    Solara orders sidebar content by component depth: this puts them under Mesa's run controls.
    """
    SidebarControls(model)
