"""The park map and the tenants of one park, as ECharts options.

Parks stand at their position on the outline of Chongqing municipality (``viz/data``, drawn
as an ECharts ``geo`` map), sized by output and coloured by green share; larger parks are
drawn first so that the smaller ones stay visible on top. A park's tenants are counted by
chain from its agent.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np

from chainshift.scenarios.schema import PARK_KINDS
from chainshift.viz.charts import rounded
from chainshift.viz.i18n import chain_label, money_text, tr

MIN_SIZE, MAX_SIZE = 6.0, 30.0
"""Marker diameters (px) of the smallest and the largest park by output (area ~ output)."""

MAP_NAME = "chongqing"
"""Name the outline is registered under in ECharts (``registerMap``)."""

BOUNDARY = Path(__file__).resolve().parent / "data" / "chongqing.json"
"""The municipality's outline (source and licence in ``viz/data/README.md``)."""

ASPECT = math.cos(math.radians(29.8))
"""Width of a degree of longitude over a degree of latitude at Chongqing's latitude."""


@functools.cache
def boundary() -> dict:
    """The outline of Chongqing municipality as GeoJSON."""
    return json.loads(BOUNDARY.read_text(encoding="utf-8"))


def maps() -> dict:
    """The maps the park map needs registered, for ``EchartsWidget(maps=...)``."""
    return {MAP_NAME: boundary()}

GREEN_SCALE = ["#b7791f", "#ecc94b", "#38a169"]
"""Colour ramp of green share, 0 to 1."""


def share_text(value: float) -> str:
    """A park's green share (a 0-1 column of the park) in percent, as the indicator files
    show the city's.
    """
    return f"{100 * value:.0f}%"


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
    """Parks on the outline of the municipality, the selected park outlined.

    Marker area is proportional to the value added of the park's tenants last quarter; colour
    is their value-added-weighted green share. Each item's value is ``[longitude, latitude,
    green share, value added, park index]``.
    """
    p = model.parks
    n = len(p)
    va = np.asarray(p.va[:n], dtype=float)
    green = np.asarray(p.green_share[:n], dtype=float)
    sizes = marker_sizes(va)
    data = []
    for i in sorted(range(n), key=lambda k: -sizes[k]):  # small markers drawn last, on top
        name = (f"{park_name(model, i, lang)} · {tr('output', lang)} "
                f"{money_text(va[i], lang)}{tr('per_quarter', lang)} · "
                f"{tr('green', lang)} {share_text(green[i])}")
        item = {"name": name, "value": [rounded(float(p.x[i]), 6), rounded(float(p.y[i]), 6),
                                        rounded(float(green[i]), 3), rounded(float(va[i]), 4), i],
                "symbolSize": round(float(sizes[i]), 1)}
        if i == selected:
            item["itemStyle"] = {"borderColor": "#1a202c", "borderWidth": 3, "opacity": 1}
        data.append(item)
    return {
        "animation": False,
        "title": {"text": tr("map", lang), "subtext": tr("map_hint", lang), "left": 0, "top": 0,
                  "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "geo": {"map": MAP_NAME, "roam": False, "silent": True, "aspectScale": ASPECT,
                "top": 64, "bottom": 8, "left": 8, "right": 8,
                "itemStyle": {"areaColor": "#f4f6f8", "borderColor": "#8a94a6",
                              "borderWidth": 1.2},
                "label": {"show": False}},
        "visualMap": {"type": "continuous", "dimension": 2, "min": 0, "max": 1,
                      "seriesIndex": 0, "orient": "horizontal", "right": 0, "top": 0,
                      "itemWidth": 10, "itemHeight": 80, "calculable": False,
                      "text": [f"{tr('green', lang)} {share_text(1.0)}", share_text(0.0)],
                      "inRange": {"color": GREEN_SCALE}},
        "series": [{"type": "scatter", "coordinateSystem": "geo", "name": tr("map", lang),
                    "data": data, "cursor": "pointer",
                    "itemStyle": {"opacity": 0.85, "borderColor": "#ffffff",
                                  "borderWidth": 0.6},
                    "emphasis": {"itemStyle": {"borderColor": "#1a202c", "borderWidth": 2}}}],
    }


def clicked_park(event: dict | None) -> int | None:
    """The park index of an ECharts click event on the map (None for other clicks).

    The index is read from the item's value, not its position in the series: the series is
    ordered by marker size.
    """
    if not event or event.get("seriesType") != "scatter":
        return None
    value = (event.get("data") or {}).get("value") or event.get("value")
    if isinstance(value, list) and len(value) >= 5 and isinstance(value[4], int | float) \
            and not math.isnan(value[4]):
        return int(value[4])
    return None


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


PARTNERS_SHOWN = 3
"""Institutes listed for a park: those with the most contracts with its tenants."""


def park_facts(model, park: int, lang: str = "en") -> list[str]:
    """Lines on a park from its agent: budget, land price, free plots, and the institutes its
    tenants hold contracts with (most contracts first).
    """
    agent = model.park_agents[park]
    colon = "：" if lang == "zh" else ": "
    partners = sorted(agent.partners.items(), key=lambda kv: (-kv[1], kv[0].unique_id))
    named = ", ".join(f"{tr('institute_one', lang)} {inst.slot} ({k})"
                      for inst, k in partners[:PARTNERS_SHOWN]) or tr("no_partners", lang)
    if len(partners) > PARTNERS_SHOWN:
        named += f", … (+{len(partners) - PARTNERS_SHOWN})"
    dot = "，" if lang == "zh" else " · "
    return [
        f"{tr('park_budget', lang)}{colon}{money_text(agent.budget, lang)}",
        f"{tr('land_price', lang)}{colon}{agent.land_price:.2f}{dot}"
        f"{tr('free_land', lang)}{colon}{agent.free_land:.0f}",
        f"{tr('park_partners', lang)}{colon}{named}",
    ]
