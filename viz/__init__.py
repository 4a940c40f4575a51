"""The workshop dashboard: a Solara app on Mesa's SolaraViz (``python run.py viz``).

Modules, one idea each: :mod:`viz.i18n` (English and Chinese text), :mod:`viz.levers` (lever
controls from the scenario schema), :mod:`viz.workshop` (the model the dashboard runs and its
what-if reference), :mod:`viz.charts`, :mod:`viz.parkmap`, :mod:`viz.sankey` (chart options,
pure functions), :mod:`viz.whatif` (the gap table), :mod:`viz.memo` (results computed once per
quarter), :mod:`viz.export` (CSV and the one-page brief), :mod:`viz.panels` and
:mod:`viz.controls` (Solara components), :mod:`viz.app` (the page).
"""
