"""Dashboard speed: one quarter at Chongqing scale (7,100 enterprises), model plus redraw.

Measured server side, three ways, each over quarters 21-40 of the baseline (seed 0):

1. ``model``: ``model.step()`` alone;
2. ``charts``: the step plus building every panel's chart option (the five time charts, the
   park map and tenants, the Sankey, the gap table) and serialising them to JSON as they are
   sent to the browser;
3. ``page``: the whole page rendered in-process by Solara (Mesa's SolaraViz with all panels),
   timing a click on Mesa's Step button: the step, then Solara redrawing every panel.

Each is run alone and in what-if mode (a reference run stepping alongside). Goal: under 200 ms.
Run by hand: ``python benchmarks/bench_dashboard.py``.
"""

from __future__ import annotations

import json
import statistics
import time

import ipyvuetify as v
import solara

from chainshift.viz import charts, panels, parkmap, sankey
from chainshift.viz.whatif import indicator_table, table_html
from chainshift.viz.workshop import RunSettings, WorkshopModel

WARM = 20
QUARTERS = 20


def redraw(model: WorkshopModel, lang: str = "en") -> int:
    """Build and serialise every panel's content; returns the JSON size in bytes."""
    run, ref = model.indicator_frame(), model.reference_frame()
    park = int(model.parks.va.argmax())
    options = [
        charts.growth_chart(run, ref, lang, target=charts.growth_target(model.config.targets)),
        charts.accounting_chart(run, ref, lang),
        charts.emissions_chart(run, ref, lang),
        charts.shares_chart(run, ref, lang),
        charts.firms_chart(run, ref, lang),
        parkmap.park_map(model, lang, park),
        parkmap.tenants_chart(model, park, lang),
        sankey.sankey_chart(model.flow_frame(), "technology", lang, model.reference_flow_frame()),
    ]
    table = table_html(*indicator_table(run, ref, lang), lang)
    return len(json.dumps(options)) + len(table)


def summary(name: str, times: list[float]) -> str:
    ms = sorted(1000 * t for t in times)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    return (f"{name:<28} median {statistics.median(ms):6.1f} ms   p90 {p90:6.1f} ms   "
            f"max {ms[-1]:6.1f} ms")


def bench_model_and_charts(reference: str | None) -> tuple[list[float], list[float]]:
    model = WorkshopModel(RunSettings(reference=reference), rng=0).replay(WARM)
    step_only, with_charts = [], []
    for _ in range(QUARTERS // 2):
        t0 = time.perf_counter()
        model.step()
        step_only.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        model.step()
        redraw(model)
        with_charts.append(time.perf_counter() - t0)
    return step_only, with_charts


def bench_page(reference: bool) -> list[float]:
    from chainshift.viz.app import Page

    panels.language.set("en")
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    if reference:
        rc.find(v.Switch).widget.v_model = True
    step = rc.find(v.Btn, children=["Step"]).widget
    for _ in range(WARM):
        step.click()
    times = []
    for _ in range(QUARTERS):
        t0 = time.perf_counter()
        step.click()
        times.append(time.perf_counter() - t0)
    rc.close()
    return times


def main() -> None:
    """Print the timings."""
    for label, reference in (("", None), (" (what-if)", "baseline")):
        step_only, with_charts = bench_model_and_charts(reference)
        print(summary("model" + label, step_only))
        print(summary("model + charts" + label, with_charts))
        print(summary("page (Step click)" + label, bench_page(reference is not None)))


if __name__ == "__main__":
    main()
