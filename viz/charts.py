"""Time charts of a run, as ECharts options (plain dicts; the browser draws them offline).

Each builder takes the run's quarterly indicators (``model.indicators()``), optionally those of
a what-if reference run (drawn dashed in the same colour), and the language. The x axis holds
quarters (``2021Q1``); a run that has not stepped yet gives empty series.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from chainshift.model.indicators import ACCOUNTING
from chainshift.model.summary import annual
from chainshift.viz.i18n import quarter_label, tr
from chainshift.viz.memo import per_frame

COLORS = {
    "value_added_growth": "#2b6cb0",
    "capital_contribution": "#a0785a",
    "labour_contribution": "#e0a526",
    "rd_staff_contribution": "#3182ce",
    "tfp_contribution": "#2f855a",
    "innovation_share": "#6b46c1",
    "co2": "#4a5568",
    "carbon_intensity": "#c05621",
    "green_share": "#38a169",
    "digital_level": "#3182ce",
    "high_tech": "#805ad5",
    "specialized_new": "#dd6b20",
    "little_giants": "#d53f8c",
    "target": "#e53e3e",
}
"""One colour per indicator; a reference run uses the same colour, dashed."""

yearly = per_frame(annual)
"""``model.summary.annual`` of an indicator frame, computed once per frame."""

PLAN_GROWTH_TARGET = 6.0
"""The plan's industrial value-added growth target, percent (used when a scenario has none)."""


def rounded(value: float, digits: int = 4) -> float | None:
    """``value`` to ``digits`` significant digits; None for NaN (a gap in the line)."""
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}")


def labels_of(ind: pd.DataFrame) -> list[str]:
    """Quarter labels of an indicator frame's rows."""
    return [quarter_label(y, q) for y, q in zip(ind["year"], ind["quarter"], strict=True)]


def time_axis(ind: pd.DataFrame, ref: pd.DataFrame | None = None) -> list[str]:
    """Quarter labels covering the run and the reference, in time order."""
    keys = set(zip(ind["year"], ind["quarter"], strict=True))
    if ref is not None:
        keys |= set(zip(ref["year"], ref["quarter"], strict=True))
    return [quarter_label(y, q) for y, q in sorted(keys)]


def column(ind: pd.DataFrame, col: str, axis: Sequence[str], scale: float = 1.0) -> list:
    """Values of ``col`` placed on ``axis`` (None where the frame has no such quarter)."""
    values = dict(zip(labels_of(ind), ind[col].to_numpy(dtype=float) * scale, strict=True))
    return [rounded(values[x]) if x in values else None for x in axis]


def ref_name(name: str, lang: str) -> str:
    """Legend name of a reference-run series."""
    ref = tr("ref_suffix", lang)
    return f"{name} ({ref})" if lang == "en" else f"{name}（{ref}）"


def line(name: str, data: list, color: str, axis: int = 0, dashed: bool = False) -> dict:
    """One line series."""
    return {
        "name": name, "type": "line", "data": data, "yAxisIndex": axis, "showSymbol": False,
        "color": color, "lineStyle": {"width": 2, "type": "dashed" if dashed else "solid"},
    }


BAND_OPACITY = {"run": 0.18, "reference": 0.08}
"""Opacity of the shaded seed band of the run and of the reference."""


def band_series(name: str, band: pd.DataFrame, col: str, axis_labels: Sequence[str],
                color: str, which: str, axis: int = 0, scale: float = 1.0) -> list[dict]:
    """The seed band of ``col`` as a shaded area: an invisible line at the 5th percentile and,
    stacked on it, the distance to the 95th, filled.

    Both series carry the name of the line they surround, so its legend entry shows and
    hides them with it; they stay out of the tooltip (which would show the distance, not the
    percentile) and out of the legend's list. ``stackStrategy: all`` stacks negative values
    too (growth below zero).
    """
    low = column(band, f"{col}_low", axis_labels, scale)
    spread = band[["year", "quarter"]].assign(width=band[f"{col}_high"] - band[f"{col}_low"])
    width = column(spread, "width", axis_labels, scale)
    common = {"name": name, "type": "line", "yAxisIndex": axis, "showSymbol": False,
              "symbol": "none", "silent": True, "color": color, "tooltip": {"show": False},
              "stack": f"band:{which}:{col}", "stackStrategy": "all",
              "lineStyle": {"width": 0, "opacity": 0}, "z": 1}
    return [{**common, "id": f"band:{which}:{col}:low", "data": low},
            {**common, "id": f"band:{which}:{col}:width", "data": width,
             "areaStyle": {"color": color, "opacity": BAND_OPACITY[which]}}]


def is_band(series: dict) -> bool:
    """True for the two series that draw a seed band."""
    return str(series.get("id", "")).startswith("band:")


def lines(ind, ref, cols, lang, axis_labels, scale=1.0, axis=0, band=None) -> list[dict]:
    """Run series for ``cols`` and, in what-if mode, their dashed reference twins; with a
    :class:`viz.workshop.SeedBand`, each line's seed band shaded around it (after the lines).
    """
    out = [line(tr(f"ind.{c}", lang), column(ind, c, axis_labels, scale), COLORS[c], axis)
           for c in cols]
    if ref is not None:
        out += [line(ref_name(tr(f"ind.{c}", lang), lang), column(ref, c, axis_labels, scale),
                     COLORS[c], axis, dashed=True) for c in cols]
    if band is not None:
        for c in cols:
            out += band_series(tr(f"ind.{c}", lang), band.run, c, axis_labels, COLORS[c], "run",
                               axis, scale)
            if ref is not None and band.reference is not None:
                out += band_series(ref_name(tr(f"ind.{c}", lang), lang), band.reference, c,
                                   axis_labels, COLORS[c], "reference", axis, scale)
    return out


def band_note(band, lang: str) -> str:
    """The subtitle's note on the shaded band ('' without one)."""
    if band is None:
        return ""
    return tr("band_note", lang).format(first=band.seeds[0], last=band.seeds[-1])


def frame(title: str, subtitle: str, axis_labels: list[str], y_axes: list[dict],
          series: list[dict], lang: str, band=None) -> dict:
    """The common option around a chart's series."""
    dashed = [s for s in series if s.get("lineStyle", {}).get("type") == "dashed"]
    if dashed:
        subtitle = " · ".join(x for x in (subtitle, tr("dashed_reference", lang)) if x)
    if any(is_band(s) for s in series):
        subtitle = " · ".join(x for x in (subtitle, band_note(band, lang)) if x)
    if not axis_labels:
        subtitle = tr("not_started", lang)
    return {
        "animation": False,
        "title": {"text": title, "subtext": subtitle, "left": 0, "top": 0,
                  "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        # the legend names the run's series; a dashed twin is the reference (see subtitle)
        "legend": {"top": 40, "left": 0, "type": "scroll",
                   "data": [s["name"] for s in series if s not in dashed and not is_band(s)]},
        "grid": {"left": 56, "right": 56, "top": 92, "bottom": 28},
        "xAxis": {"type": "category", "data": axis_labels, "boundaryGap": False},
        "yAxis": y_axes,
        "series": series,
    }


def value_axis(name: str, **extra) -> dict:
    """A value y axis."""
    return {"type": "value", "name": name, "scale": True, **extra}


def growth_target(targets: Sequence, default: float = PLAN_GROWTH_TARGET) -> float:
    """The value-added growth target among a scenario's targets (the plan's 6% if none)."""
    for t in targets:
        if t.indicator == "value_added_growth":
            return float(t.value)
    return default


def growth_chart(ind: pd.DataFrame, ref: pd.DataFrame | None = None, lang: str = "en",
                 target: float = PLAN_GROWTH_TARGET, band=None) -> dict:
    """Industrial value-added growth (year on year) against the growth target."""
    axis = time_axis(ind, ref)
    series = lines(ind, ref, ["value_added_growth"], lang, axis, band=band)
    label = f"{tr('target', lang)} {target:g}%"
    series[0]["markLine"] = {
        "silent": True, "symbol": "none",
        "lineStyle": {"color": COLORS["target"], "type": "dotted", "width": 2},
        "label": {"formatter": label, "position": "insideEndTop"},
        "data": [{"yAxis": target, "name": label}],
    }
    return frame(tr("growth", lang), tr("unit.yoy", lang), axis, [value_axis("%")], series, lang,
                 band)


def accounting_chart(ind: pd.DataFrame, ref: pd.DataFrame | None = None,
                     lang: str = "en", band=None) -> dict:
    """Growth accounting: stacked contributions, innovation share and its 50% line.

    Capital, labour, R&D-staff and TFP contributions of the last four quarters against the
    four before (percentage points, stacked bars; negative ones stack below zero; none in the
    first three quarters) and the innovation share of growth over the last five years
    (percent, right axis; none where growth is below 1% a year).
    """
    axis = time_axis(ind, ref)
    series = []
    for c in ACCOUNTING:
        series.append({
            "name": tr(f"ind.{c}", lang), "type": "bar", "stack": "growth",
            "data": column(ind, c, axis), "color": COLORS[c], "barCategoryGap": "20%",
        })
    share = lines(ind, ref, ["innovation_share"], lang, axis, axis=1, band=band)
    share[0]["markLine"] = {
        "silent": True, "symbol": "none",
        "lineStyle": {"color": COLORS["innovation_share"], "type": "dotted", "width": 2},
        "label": {"formatter": "50%", "position": "insideEndTop"},
        "data": [{"yAxis": 50.0, "name": "50%"}],
    }
    y_axes = [value_axis(tr("unit.pp", lang)),
              value_axis("%", min=0, max=100, scale=False, splitLine={"show": False})]
    return frame(tr("accounting", lang), tr("accounting_note", lang), axis, y_axes,
                 series + share, lang, band)


def emission_peak_year(ind: pd.DataFrame) -> int | None:
    """The year of the highest yearly CO2, once a later full year is lower; else None.

    Only full years count. A maximum in the last full year is not (yet) a peak.
    """
    if not len(ind):
        return None
    years = yearly(ind)
    full = years[years["quarters"] == 4]
    if len(full) < 2:
        return None
    i = int(np.argmax(full["co2"].to_numpy()))
    if i == len(full) - 1:
        return None
    return int(full["year"].iloc[i])


def emissions_chart(ind: pd.DataFrame, ref: pd.DataFrame | None = None,
                    lang: str = "en", band=None) -> dict:
    """CO2 emissions (left axis) and carbon intensity (right axis), the emission peak shaded."""
    axis = time_axis(ind, ref)
    series = lines(ind, ref, ["co2"], lang, axis, band=band) + lines(
        ind, ref, ["carbon_intensity"], lang, axis, axis=1, band=band)
    peak = emission_peak_year(ind)
    if peak is not None:
        label = f"{tr('peak', lang)} {peak}"
        series[0]["markArea"] = {
            "silent": True, "itemStyle": {"color": "rgba(229, 62, 62, 0.12)"},
            # dark text above the plot: inside the shaded band it would be pink on pink
            "label": {"formatter": label, "position": "top", "color": "#c53030",
                      "fontWeight": "bold", "fontSize": 12, "distance": 2},
            "data": [[{"name": label, "xAxis": quarter_label(peak, 1)},
                      {"xAxis": quarter_label(peak, 4)}]],
        }
    y_axes = [value_axis(tr("unit.co2", lang)),
              value_axis(tr("unit.carbon_intensity", lang), splitLine={"show": False})]
    return frame(tr("emissions", lang), "", axis, y_axes, series, lang, band)


def shares_chart(ind: pd.DataFrame, ref: pd.DataFrame | None = None, lang: str = "en",
                 band=None) -> dict:
    """Green share of capacity (percent, left axis) and digital level (an index 0-1, right
    axis), both value-added weighted and in the unit of the indicator files
    (``model.indicators.INDICATOR_UNITS``), as every other output shows them.
    """
    axis = time_axis(ind, ref)
    series = (lines(ind, ref, ["green_share"], lang, axis, axis=0, band=band)
              + lines(ind, ref, ["digital_level"], lang, axis, axis=1, band=band))
    return frame(tr("shares", lang), tr("shares_note", lang), axis,
                 [value_axis("%", min=0, max=100, scale=False),
                  value_axis(tr("index", lang), min=0, max=1, scale=False,
                             splitLine={"show": False})], series, lang, band)


def firms_chart(ind: pd.DataFrame, ref: pd.DataFrame | None = None, lang: str = "en",
                band=None) -> dict:
    """Counts of high-tech, specialized-and-new and little-giant enterprises."""
    axis = time_axis(ind, ref)
    series = lines(ind, ref, ["high_tech", "specialized_new", "little_giants"], lang, axis,
                   band=band)
    return frame(tr("firms", lang), tr("unit.firms", lang), axis,
                 [value_axis(tr("unit.firms", lang))], series, lang, band)
