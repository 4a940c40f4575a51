"""The what-if gap table: the run against its reference in the latest full year.

Yearly figures follow :func:`model.summary.annual` (flows summed over the year, counts at the
year's last quarter, shares averaged); the two run-level years follow the plan's questions:
when innovation passes half of growth, and when emissions peak.
"""

from __future__ import annotations

import math

import pandas as pd

from chainshift.experiments.columns import yearly_unit
from chainshift.viz.charts import emission_peak_year, rounded, yearly
from chainshift.viz.i18n import tr, unit_label

ROWS: tuple[str, ...] = (
    "value_added",
    "value_added_growth",
    "innovation_share",
    "rd_intensity",
    "co2",
    "carbon_intensity",
    "green_share",
    "digital_level",
    "strategic_emerging_share",
    "high_tech",
    "specialized_new",
    "enterprises",
)
"""Indicators of the table, each shown in the unit of its yearly figure in the output files
(:func:`experiments.columns.yearly_unit`)."""


def period_label(year: int, quarters: int, lang: str) -> str:
    """``2030`` for a full year, ``2030 (2 quarters)`` for a year in progress."""
    if quarters == 4:
        return str(year)
    if lang == "zh":
        return f"{year}（{quarters}个季度）"
    plural = "s" if quarters != 1 else ""
    return f"{year} ({quarters} {tr('quarter', lang)}{plural})"


def _year(ind: pd.DataFrame) -> tuple[pd.Series | None, pd.DataFrame]:
    """The latest full year of the run (the first year while it is still in progress)."""
    if not len(ind):
        return None, pd.DataFrame()
    years = yearly(ind)
    full = years[years["quarters"] == 4]
    return (full.iloc[-1] if len(full) else years.iloc[0]), years


def innovation_year(ind: pd.DataFrame) -> float:
    """First full year from which the yearly innovation share stays above 50% (NaN if none).

    The rule of ``model.summary.outcomes``, read from the cached yearly table.
    """
    years = yearly(ind)
    full = years[years["quarters"] == 4]
    above = (full["innovation_share"] > 50.0).to_numpy()
    for i in range(len(above)):
        if above[i:].all():
            return float(full["year"].iloc[i])
    return math.nan


def _run_years(ind: pd.DataFrame) -> tuple[float, float]:
    if not len(ind):
        return math.nan, math.nan
    innovation = innovation_year(ind)
    peak = emission_peak_year(ind)
    return innovation, (math.nan if peak is None else float(peak))


def indicator_table(ind: pd.DataFrame, ref: pd.DataFrame | None = None,
                    lang: str = "en") -> tuple[str, pd.DataFrame]:
    """The key figures of the run's latest full year (and of the reference, with the gap).

    A year still in progress is shown only while it is the first: growth rates of a part
    year against a full one would mislead.

    Returns:
        (period label, table) where the table has columns key, label, unit, run and, with a
        reference, reference, gap (run minus reference) and gap_pct (gap over |reference|, %).
        The last two rows are the innovation-majority year and the emission peak year (NaN
        when not reached within the quarters simulated).
    """
    last, _ = _year(ind)
    if last is None:
        return "", pd.DataFrame(columns=["key", "label", "unit", "run"])
    year, quarters = int(last["year"]), int(last["quarters"])
    ref_last = None
    if ref is not None and len(ref):
        _, ref_yearly = _year(ref)
        match = ref_yearly[ref_yearly["year"] == year]
        ref_last = match.iloc[0] if len(match) else None
    rows = []
    for key in ROWS:
        row = {"key": key, "label": tr(f"ind.{key}", lang),
               "unit": unit_label(yearly_unit(key), lang), "run": rounded(float(last[key]))}
        if ref is not None:
            row["reference"] = None if ref_last is None else rounded(float(ref_last[key]))
        rows.append(row)
    run_years = _run_years(ind)
    ref_years = _run_years(ref) if ref is not None else (math.nan, math.nan)
    for key, label, i in (("innovation_year", "innovation_year", 0), ("peak_year", "peak_year", 1)):
        row = {"key": key, "label": tr(label, lang), "unit": tr("year", lang),
               "run": run_years[i]}
        if ref is not None:
            row["reference"] = ref_years[i]
        rows.append(row)
    table = pd.DataFrame(rows)
    if ref is not None:
        run = pd.to_numeric(table["run"], errors="coerce")
        reference = pd.to_numeric(table["reference"], errors="coerce")
        table["gap"] = [rounded(v) for v in (run - reference)]
        table["gap_pct"] = [
            rounded(100.0 * g / abs(r), 3) if r and math.isfinite(r) and k not in
            ("innovation_year", "peak_year") else None
            for g, r, k in zip(run - reference, reference, table["key"], strict=True)
        ]
    return period_label(year, quarters, lang), table


def format_cell(value, key: str) -> str:
    """A table cell: years without separators, other numbers with thousands separators."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if key in ("innovation_year", "peak_year"):
        return f"{value:.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"


def table_html(period: str, table: pd.DataFrame, lang: str) -> str:
    """The table as a small HTML table (the dashboard and the brief show the same)."""
    cols = ["label", "unit", "reference", "run", "gap", "gap_pct"]
    cols = [c for c in cols if c in table.columns]
    head = {"label": f"{tr('indicator', lang)} ({period})", "unit": tr("unit", lang),
            "reference": tr("reference", lang), "run": tr("run", lang),
            "gap": tr("difference", lang), "gap_pct": tr("difference_pct", lang)}
    out = ['<table class="cs-table"><thead><tr>']
    out += [f"<th>{head[c]}</th>" for c in cols]
    out.append("</tr></thead><tbody>")
    for _, row in table.iterrows():
        cells = []
        for c in cols:
            if c in ("label", "unit"):
                cells.append(f"<td>{row[c]}</td>")
            else:
                text = format_cell(row[c], row["key"])
                value = row[c]
                if c in ("gap", "gap_pct") and isinstance(value, float) and value > 0:
                    text = "+" + text
                cells.append(f'<td class="num">{text}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


TABLE_CSS = """
.cs-table { border-collapse: collapse; font-size: 12px; width: 100%; line-height: 1.25; }
.cs-table th, .cs-table td { padding: 1px 5px; border-bottom: 1px solid #e2e8f0; }
.cs-table td:nth-child(2) { white-space: nowrap; }
.cs-table th { text-align: left; color: #4a5568; font-weight: 600; }
.cs-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
"""
"""Style of the table (shared by the dashboard and the brief)."""
