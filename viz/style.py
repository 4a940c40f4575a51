"""The dashboard's fonts: a Chinese web font served from the installed package, so Chinese
renders on any machine, offline.

``viz/assets`` is added to the Solara server's asset folders (:func:`serve_assets`), which
serves ``viz/assets/fonts/*.woff2`` at ``/static/assets/fonts/``. :data:`FONT_CSS` declares the
font; every text of the page and of the charts names it after Roboto (the page's Latin font),
so the browser takes Latin letters from Roboto and Chinese characters from this font.
The one-page brief, a file opened anywhere, embeds the same font (:func:`embedded_font_css`).
"""

from __future__ import annotations

import base64
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
"""Files the dashboard's server serves at /static/assets/."""

FONT_NAME = "chainshift Noto Sans SC"
"""The CSS family name of the shipped Chinese font."""

FONT_WEIGHTS = (400, 700)

FONT_FAMILY = f"Roboto, '{FONT_NAME}', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', " \
              "sans-serif"
"""Font stack of every text: Latin from Roboto, Chinese from the shipped font."""


def font_file(weight: int) -> Path:
    """The shipped font file of a weight (400 or 700)."""
    return ASSETS / "fonts" / f"noto-sans-sc-chainshift-{weight}.woff2"


def _face(src: str, weight: int) -> str:
    return (f"@font-face {{ font-family: '{FONT_NAME}'; font-style: normal; "
            f"font-weight: {weight}; font-display: swap; src: {src} format('woff2'); }}")


FONT_CSS = "\n".join(_face(f"url('/static/assets/fonts/{font_file(w).name}')", w)
                     for w in FONT_WEIGHTS) + f"""
.v-application, .v-application .text-h6, .v-application .v-card__title, .v-btn, .v-label,
.v-select__selection, .v-list-item__title {{ font-family: {FONT_FAMILY} !important; }}
"""
"""The font faces and where the page uses them."""


def embedded_font_css() -> str:
    """:data:`FONT_CSS`'s faces with the font files inside (for a self-contained HTML file)."""
    return "\n".join(
        _face("url('data:font/woff2;base64,"
              f"{base64.b64encode(font_file(w).read_bytes()).decode()}')", w)
        for w in FONT_WEIGHTS)


def with_font(option: dict) -> dict:
    """An ECharts option whose texts use :data:`FONT_FAMILY`."""
    return {**option, "textStyle": {**option.get("textStyle", {}), "fontFamily": FONT_FAMILY}}


def serve_assets() -> None:
    """Let the Solara server serve :data:`ASSETS` at /static/assets/ (idempotent)."""
    from solara.server import settings

    folder = str(ASSETS)
    if folder not in settings.assets.extra_locations:
        settings.assets.extra_locations.append(folder)
