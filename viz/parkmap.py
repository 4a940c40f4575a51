"""The park map and the tenants of one park, as ECharts options.

Parks stand at their position, sized by output and coloured by green share; a park's tenants
are counted by chain from its agent.
"""

from __future__ import annotations

import math

import numpy as np

from scenarios.schema import PARK_KINDS
from viz.charts import rounded
from viz.i18n import chain_label, tr

MIN_SIZE, MAX_SIZE = 8.0, 46.0
"""Marker diameters (px) of the smallest and the largest park by output (area ~ output)."""

GREEN_SCALE = ["#b7791f", "#ecc94b", "#38a169"]
"""Colour ramp of green share, 0 to 1."""


def marker_sizes(output: np.ndarray) -> np.ndarray:
    """Marker diameters with area proportional to output (all equal when output is zero)."""
    output = np.maximum(np.asarray(output, dtype=float), 0.0)
    top = output.max() if len(output) else 0.0
    if top <= 0:
        return np.full(len(output), MIN_SIZE)
    return MIN_SIZE + (MAX_SIZE - MIN_SIZE) * np.sqrt(output / top)


def park_name(model, i: int, lang: str) -> str:
    """``Park 12 · national high-tech zone``."""
    kind = PARK_KINDS[int(model.parks.kind[i])]
    return f"{tr('park', lang)} {i + 1} · {tr(f'parkkind.{kind}', lang)}"


def park_map(model, lang: str = "en", selected: int | None = None) -> dict:
    """Scatter of parks by longitude and latitude, the selected park outlined.

    Marker area is proportional to the value added of the park's tenants last quarter; colour
    is their value-added-weighted green share.
    """
    p = model.parks
    n = len(p)
    va = np.asarray(p.va[:n], dtype=float)
    green = np.asarray(p.green_share[:n], dtype=float)
    sizes = marker_sizes(va)
    data = []
    for i in range(n):
        name = (f"{park_name(model, i, lang)} · {tr('output', lang)} {rounded(va[i], 3):g} · "
                f"{tr('green', lang)} {100 * green[i]:.0f}%")
        item = {"name": name, "value": [rounded(float(p.x[i]), 6), rounded(float(p.y[i]), 6),
                                        rounded(float(green[i]), 3), rounded(float(va[i]), 4), i],
                "symbolSize": round(float(sizes[i]), 1)}
        if i == selected:
            item["itemStyle"] = {"borderColor": "#1a202c", "borderWidth": 3}
        data.append(item)
    return {
        "animation": False,
        "title": {"text": tr("map", lang), "subtext": tr("map_hint", lang), "left": 0, "top": 0,
                  "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "grid": {"left": 56, "right": 24, "top": 70, "bottom": 30},
        "xAxis": {"type": "value", "scale": True, "splitNumber": 3,
                  "axisLabel": {"formatter": "{value}°E"}, "splitLine": {"show": False}},
        "yAxis": {"type": "value", "scale": True, "axisLabel": {"formatter": "{value}°N"},
                  "splitLine": {"show": False}},
        "visualMap": {"type": "continuous", "dimension": 2, "min": 0, "max": 1,
                      "seriesIndex": 0, "orient": "horizontal", "right": 0, "top": 0,
                      "itemWidth": 10, "itemHeight": 80, "calculable": False,
                      "text": [f"{tr('green', lang)} 100%", "0%"],
                      "inRange": {"color": GREEN_SCALE}},
        "series": [{"type": "scatter", "name": tr("map", lang), "data": data, "cursor": "pointer",
                    "emphasis": {"itemStyle": {"borderColor": "#1a202c", "borderWidth": 2}}}],
    }


def clicked_park(event: dict | None) -> int | None:
    """The park index of an ECharts click event on the map (None for other clicks)."""
    if not event or event.get("seriesType") != "scatter":
        return None
    value = (event.get("data") or {}).get("value") or event.get("value")
    if isinstance(value, list) and len(value) >= 5:
        return int(value[4])
    index = event.get("dataIndex")
    return int(index) if isinstance(index, int | float) and not math.isnan(index) else None


def tenants_by_chain(model, park: int, lang: str = "en") -> list[tuple[str, int]]:
    """(chain label, tenants) of a park, largest first, from the park agent."""
    labels = {c.name: chain_label(c.name, c.label_zh, lang) for c in model.config.chains}
    counts = model.park_agents[park].tenants_by_chain()
    return sorted(((labels[c], k) for c, k in counts.items()), key=lambda x: (-x[1], x[0]))


def tenants_chart(model, park: int, lang: str = "en") -> dict:
    """Horizontal bars: the park's tenants by chain."""
    rows = tenants_by_chain(model, park, lang)[::-1]
    return {
        "animation": False,
        "title": {"text": tr("tenants", lang), "subtext": park_name(model, park, lang),
                  "left": 0, "top": 0, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 130, "right": 30, "top": 56, "bottom": 24},
        "xAxis": {"type": "value", "minInterval": 1, "axisLabel": {"show": False},
                  "splitLine": {"show": False}},
        "yAxis": {"type": "category", "data": [r[0] for r in rows]},
        "series": [{"type": "bar", "name": tr("tenants", lang), "data": [r[1] for r in rows],
                    "color": "#2b6cb0", "label": {"show": True, "position": "right"}}],
    }
