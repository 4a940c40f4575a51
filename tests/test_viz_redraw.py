"""A Step click renders the dashboard once, not once per panel (viz/redraw.py)."""

import ipyvuetify as v
import reacton.core
import solara

from chainshift.viz import redraw
from chainshift.viz.app import Page
from chainshift.viz.panels import language


def renders_per_click(monkeypatch, clicks: int = 3) -> float:
    calls = []
    original = reacton.core._RenderContext._render_once

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(reacton.core._RenderContext, "_render_once", counted)
    language.set("en")
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    step = rc.find(v.Btn, children=["Step"]).widget
    step.click()
    calls.clear()
    for _ in range(clicks):
        step.click()
    quarter = rc.find(v.Html, class_="cs-quarter-reached").widget.children[0]
    rc.close()
    return len(calls) / clicks, quarter


def test_a_step_renders_the_page_once_and_shows_the_new_quarter(monkeypatch):
    once, quarter = renders_per_click(monkeypatch)
    assert quarter == "Simulated to 2021Q4"
    # the control: Mesa's own force_update renders once per listening panel
    monkeypatch.setattr("mesa.visualization.solara_viz.force_update",
                        redraw.mesa_force_update)
    per_panel, quarter = renders_per_click(monkeypatch)
    assert quarter == "Simulated to 2021Q4"
    assert once <= 2 < per_panel
