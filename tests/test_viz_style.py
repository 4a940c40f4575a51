"""The Chinese web font: shipped with its licence, covering every Chinese character shown,
served by the dashboard's own server (the browser test sees Chromium draw with it)."""

import tomllib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from chainshift.viz import style
from chainshift.viz.i18n import chinese_texts

ROOT = Path(__file__).resolve().parent.parent


def chinese(c: str) -> bool:
    """A Chinese character or punctuation mark (symbols such as ▶ come from other fonts)."""
    o = ord(c)
    return 0x3000 <= o <= 0x9FFF or 0xFF00 <= o <= 0xFFEF or c in "“”·"


@pytest.mark.parametrize("weight", style.FONT_WEIGHTS)
def test_the_font_covers_every_chinese_character_the_dashboard_shows(weight):
    font = TTFont(style.font_file(weight))
    cmap = font.getBestCmap()
    shown = {c for text in chinese_texts() for c in text if chinese(c)}
    missing = sorted(c for c in shown if ord(c) not in cmap)
    assert not missing, f"run viz/assets/fonts/subset.py: missing {''.join(missing)}"
    assert style.font_file(weight).stat().st_size < 150_000  # a subset, not the whole font


def test_the_font_ships_with_its_licence_and_source():
    fonts = style.ASSETS / "fonts"
    assert "SIL Open Font License" in (fonts / "OFL.txt").read_text()
    readme = (fonts / "README.md").read_text()
    assert "@fontsource/noto-sans-sc" in readme and "OFL" in readme
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = config["tool"]["setuptools"]["package-data"]["chainshift.viz"]
    assert {"assets/fonts/*.woff2", "assets/fonts/*.txt", "data/*.json"} <= set(data)


def test_the_page_declares_the_font_at_the_served_address():
    for weight in style.FONT_WEIGHTS:
        assert f"url('/static/assets/fonts/{style.font_file(weight).name}')" in style.FONT_CSS
    assert style.FONT_NAME in style.FONT_FAMILY
    assert style.with_font({"title": {}})["textStyle"]["fontFamily"] == style.FONT_FAMILY


def test_the_server_serves_the_package_assets():
    from solara.server import server, settings

    style.serve_assets()
    style.serve_assets()
    assert settings.assets.extra_locations.count(str(style.ASSETS)) == 1
    assert style.ASSETS in server.asset_directories()


def test_the_brief_embeds_the_font():
    css = style.embedded_font_css()
    assert css.count("data:font/woff2;base64,") == len(style.FONT_WEIGHTS)
