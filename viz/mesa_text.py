"""Mesa's run controls in the dashboard's language, and the quarter in place of a step count.

Mesa 3.5's SolaraViz writes its sidebar ("Controls", "Play Interval (ms)", "Use Threads",
"Reset", "Step", "Model Parameters", "Information", "Time: 17.0") in English, with no option
to change it. :func:`install` lets Mesa's module see ``solara`` through :class:`Localised`,
whose Card, SliderInt, Checkbox, Button and Text put each of Mesa's texts in the tab's
language (:data:`viz.i18n.MESA_TEXT`), and replaces its step counter by the quarter reached
("Simulated to 2025Q2"). Everything else Mesa does is untouched.
"""

from __future__ import annotations

import solara
from mesa.visualization import solara_viz
from mesa.visualization.utils import update_counter

from chainshift.viz.i18n import mesa_text, tr


def _language() -> str:
    from chainshift.viz.panels import language

    return language.value


class Localised:
    """The ``solara`` module as Mesa's SolaraViz sees it: its texts in the tab's language."""

    def __init__(self, real) -> None:
        self._real = real

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def _t(self, text):
        return mesa_text(text, _language()) if isinstance(text, str) else text

    def Card(self, title=None, *args, **kwargs):
        """solara.Card with a translated title."""
        return self._real.Card(self._t(title), *args, **kwargs)

    def SliderInt(self, label, *args, **kwargs):
        """solara.SliderInt with a translated label."""
        return self._real.SliderInt(self._t(label), *args, **kwargs)

    def Checkbox(self, *args, label=None, **kwargs):
        """solara.Checkbox with a translated label."""
        return self._real.Checkbox(*args, label=self._t(label), **kwargs)

    def Button(self, label=None, *args, **kwargs):
        """solara.Button with a translated label."""
        return self._real.Button(self._t(label), *args, **kwargs)

    def Text(self, text, *args, **kwargs):
        """solara.Text, translated."""
        return self._real.Text(self._t(text), *args, **kwargs)


@solara.component
def QuarterReached(model):
    """The quarter the run has reached, where Mesa shows its step counter."""
    from chainshift.viz.panels import reached

    update_counter.get()
    lang = _language()
    return solara.Text(f"{tr('quarter_now', lang)} {reached(model, lang)}",
                       classes=["cs-quarter-reached"])


def install() -> None:
    """Put Mesa's sidebar in the dashboard's language (idempotent)."""
    if not isinstance(solara_viz.solara, Localised):
        solara_viz.solara = Localised(solara_viz.solara)
    solara_viz.ShowSteps = QuarterReached
