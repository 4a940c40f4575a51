"""Exports of the run on screen: its indicators as CSV, and a one-page HTML brief.

The brief is one self-contained HTML file: the charts are the dashboard's own ECharts options,
drawn by the ECharts library embedded from the installed solara-assets package, so it opens
offline on any machine with a browser and prints on one landscape page.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import pandas as pd

from chainshift.viz.i18n import tr
from chainshift.viz.style import FONT_FAMILY, embedded_font_css, with_font
from chainshift.viz.whatif import TABLE_CSS, indicator_table, table_html

ECHARTS_VERSION = "5.4.0"


def indicators_csv(run: pd.DataFrame, ref: pd.DataFrame | None = None, scenario: str = "",
                   reference: str = "") -> bytes:
    """The run's quarterly indicators as UTF-8 CSV (and the reference run's, in what-if mode).

    The first two columns say which run ("run" or "reference") and which scenario a row is.
    """
    parts = [run.assign(run="run", scenario=scenario)]
    if ref is not None:
        parts.append(ref.assign(run="reference", scenario=reference))
    df = pd.concat(parts, ignore_index=True)
    df = df[["run", "scenario", *[c for c in run.columns]]]
    return df.to_csv(index=False).encode("utf-8")


def echarts_script() -> str:
    """The ECharts library shipped with solara-assets (the file Solara serves offline).

    Raises:
        FileNotFoundError: when solara-assets is not installed.
    """
    from solara.server.settings import assets

    path = Path(assets.proxy_cache_dir) / f"echarts@{ECHARTS_VERSION}" / "dist" / "echarts.min.js"
    if not path.exists():
        raise FileNotFoundError(f"{path}: ECharts not found; install solara-assets")
    return path.read_text(encoding="utf-8")


def _script_json(obj) -> str:
    """JSON safe to place inside a <script> element."""
    return json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")


BRIEF_CSS = """
body { font-family: FONTS; margin: 16px; color: #1a202c; }
h1 { font-size: 20px; margin: 0 0 4px 0; }
.meta { color: #4a5568; font-size: 13px; margin-bottom: 10px; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
.chart { height: 260px; border: 1px solid #e2e8f0; border-radius: 4px; padding: 4px; }
.side { grid-row: span 2; font-size: 13px; }
@page { size: A4 landscape; margin: 8mm; }
@media print { body { margin: 0; zoom: 0.62; } }
""".replace("FONTS", FONT_FAMILY)


def brief_html(charts: list[dict], run: pd.DataFrame, ref: pd.DataFrame | None, *,
               lang: str, scenario: str, reference: str | None, seed: int,
               lever_changes: list[str], reached: str, maps: dict | None = None) -> str:
    """A one-page brief: what was run, the key figures (and the what-if gap), the charts.

    Args:
        charts: ECharts options, as the dashboard draws them.
        run: quarterly indicators of the run.
        ref: those of the reference run, or None.
        lang: "en" or "zh".
        scenario: name of the scenario run.
        reference: name of the reference scenario, or None.
        seed: the runs' seed.
        lever_changes: one line per lever set away from the scenario's value.
        reached: the last quarter simulated, e.g. "2030Q4".
        maps: GeoJSON maps the charts draw on (the park map's outline), by name.

    The Chinese web font is embedded, so the file shows Chinese on any machine.
    """
    period, table = indicator_table(run, ref, lang)
    e = html.escape
    meta = [f"{tr('scenario', lang)}: <b>{e(scenario)}</b>"]
    if reference:
        meta.append(f"{tr('reference', lang)}: <b>{e(reference)}</b>")
    meta += [f"{tr('seed', lang)} {seed}", f"{tr('quarter_now', lang)} {e(reached)}",
             time.strftime("%Y-%m-%d %H:%M")]
    changes = "".join(f"<li>{e(c)}</li>" for c in lever_changes) or f"<li>{tr('none', lang)}</li>"
    divs = "".join(f'<div class="chart" id="chart{i}"></div>' for i in range(len(charts)))
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<title>{e(tr('brief_title', lang))}: {e(scenario)}</title>
<style>{embedded_font_css()}{BRIEF_CSS}{TABLE_CSS}</style>
<script>{echarts_script()}</script></head>
<body>
<h1>{e(tr('brief_title', lang))}</h1>
<div class="meta">{' · '.join(meta)}</div>
<div class="grid">
<div class="side">{table_html(period, table, lang)}
<p><b>{e(tr('lever_changes', lang))}</b></p><ul>{changes}</ul></div>
{divs}
</div>
<script>
const maps = {_script_json(maps or {})};
Object.keys(maps).forEach(name => echarts.registerMap(name, maps[name]));
const options = {_script_json([with_font(c) for c in charts])};
options.forEach((opt, i) => {{
  echarts.init(document.getElementById("chart" + i), null, {{renderer: "svg"}}).setOption(opt);
}});
</script>
</body></html>
"""
