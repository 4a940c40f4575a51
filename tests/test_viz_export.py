import functools
import io
import json
import re

import pandas as pd

from chainshift.viz import export, panels
from chainshift.viz.workshop import RunSettings, WorkshopModel


@functools.cache
def run() -> WorkshopModel:
    settings = RunSettings(enterprises=500, levers={"coupling": 0.9}, reference="baseline")
    return WorkshopModel(settings, rng=1).replay(6)


def test_csv_holds_the_run_then_the_reference():
    m = run()
    data = export.indicators_csv(m.indicator_frame(), m.reference_frame(), "baseline", "baseline")
    back = pd.read_csv(io.BytesIO(data))
    assert list(back.columns[:2]) == ["run", "scenario"]
    assert list(back["run"]) == ["run"] * 6 + ["reference"] * 6
    pd.testing.assert_frame_equal(
        back[back["run"] == "run"].drop(columns=["run", "scenario"]).reset_index(drop=True),
        m.indicator_frame(), check_dtype=False, rtol=1e-9)


def test_csv_of_a_single_run():
    m = run()
    back = pd.read_csv(io.BytesIO(export.indicators_csv(m.indicator_frame(), None, "baseline")))
    assert len(back) == 6 and set(back["run"]) == {"run"}


def test_echarts_comes_from_the_installed_assets():
    script = export.echarts_script()
    assert len(script) > 500_000
    assert "5.4.0" in script[:2000] or "5.4.0" in script


def brief_html(lang: str) -> str:
    return panels.brief(run(), lang).decode("utf-8")


def test_brief_is_self_contained_with_every_chart():
    html = brief_html("en")
    assert not re.search(r"""src=["']https?://""", html)  # nothing fetched from the network
    assert not re.search(r"""href=["']https?://""", html)
    options = json.loads(re.search(r"const options = (.*);\n", html).group(1))
    assert len(options) == len(panels.brief_charts(run(), "en")) == 7
    assert options[0]["title"]["text"] == "Industrial value-added growth"
    assert "Coupling: 0.50 (share) → 0.90 (share)" in html
    maps = json.loads(re.search(r"const maps = (.*);\n", html).group(1))
    assert list(maps) == ["chongqing"]  # the park map's outline travels with the file
    assert "Reference: <b>baseline</b>" in html
    assert "<th>Gap</th>" in html


def test_brief_in_chinese():
    html = brief_html("zh")
    assert '<html lang="zh-CN">' in html
    assert "双链融合: 0.50（比例） → 0.90（比例）" in html
    assert "chainshift 政策简报" in html
    # the Chinese font is inside the file, so it shows Chinese on any machine, offline
    assert "@font-face { font-family: 'chainshift Noto Sans SC'" in html
    assert "url('data:font/woff2;base64," in html


def test_script_json_cannot_close_the_script_element():
    assert "</script>" not in export._script_json({"text": "</script><b>"})
