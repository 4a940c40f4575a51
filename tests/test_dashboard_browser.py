"""The dashboard in a real Chromium, with every request that leaves 127.0.0.1 blocked.

Starts ``python run.py viz`` on a free port, then plays a short workshop: step, move a lever,
step, play and pause, switch what-if on, click a park, download the CSV and the brief, reset,
switch to Chinese.
Fails on any console error and on any attempt to reach another host.

A second session checks what a room sees: Chinese throughout, drawn with the shipped web font
(this Chromium has no Chinese fonts of its own), Mesa's controls translated, the quarter
reached, lever values in words, nothing overlapping, the map outline, the Sankey's names.

Set CHAINSHIFT_DOCS_SCREENSHOT=docs/dashboard.png to also write the README's screenshot.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:", "file://")

CHART_JS = """el => {
  // the ECharts instance of the Vue component whose root element is el
  const find = vm => vm && (vm.chart || vm.$children.map(find).find(c => c));
  return el && el.__vue__ ? find(el.__vue__) : null;
}"""

OPTION_JS = """name => {
  const chart = (""" + CHART_JS + """)(document.querySelector('.cs-' + name));
  if (!chart) return null;
  const o = chart.getOption();
  return {x: o.xAxis ? o.xAxis[0].data : null, title: o.title[0].text,
          subtext: o.title[0].subtext,
          series: o.series.map(s => ({name: s.name, data: s.data}))};
}"""


TEXTS_JS = """name => {
  // every text ECharts drew on the chart's canvas, with its colour and box on the page
  const chart = (""" + CHART_JS + """)(document.querySelector('.cs-' + name));
  const box = chart.getDom().getBoundingClientRect();
  return chart.getZr().storage.getDisplayList().filter(d => d.style && d.style.text).map(d => {
    const r = d.getBoundingRect().clone();
    if (d.transform) r.applyTransform(d.transform);
    return {text: d.style.text, fill: d.style.fill, x: box.x + r.x, y: box.y + r.y,
            w: r.width, h: r.height, chartW: box.width, chartH: box.height};
  });
}"""


@dataclass
class Server:
    url: str
    log: Path


def launch(playwright):
    """Debian's Chromium, headless, with nothing that reaches the network on its own."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CHAINSHIFT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and CHAINSHIFT_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "run.py", "viz", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited ({proc.returncode}):\n{log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not listen within 60 s:\n{log.read_text()}")
                time.sleep(0.2)
        yield Server(f"http://127.0.0.1:{port}/", log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def settled_box(page, locator, tries: int = 50) -> dict:
    """The element's bounding box once it has stopped moving."""
    box = locator.bounding_box()
    for _ in range(tries):
        page.wait_for_timeout(100)
        now = locator.bounding_box()
        if now == box:
            return now
        box = now
    return box


def pause(page) -> None:
    """Click pause until play is offered again (a click while the page redraws may be lost)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(5):
        try:
            page.get_by_role("button", name="❚❚").click(timeout=5_000)
        except PlaywrightTimeout:
            pass  # already paused
        try:
            page.get_by_role("button", name="▶").wait_for(timeout=5_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError("the run did not pause")


def test_a_workshop_offline(server, tmp_path):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    errors: list[str] = []

    def only_local(route):
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport={"width": 1500, "height": 1900},
                                          accept_downloads=True)
            context.route("**/*", only_local)
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            page.set_default_timeout(30_000)

            def option(name: str) -> dict | None:
                return page.evaluate(OPTION_JS, name)

            def wait_for(predicate_js: str, arg=None) -> None:
                # false, not an error, while a chart is between two drawings
                page.wait_for_function(f"arg => {{ const opt = {OPTION_JS}; "
                                       f"try {{ return ({predicate_js}); }} "
                                       "catch (e) { return false; } }", arg=arg)

            page.goto(server.url)
            wait_for("opt('growth') !== null && opt('map') !== null")

            # step three quarters: every time chart grows
            step = page.get_by_role("button", name="Step")
            for _ in range(3):
                step.click()
            wait_for("opt('growth').x.length === 3 && opt('emissions').x.length === 3")
            co2_before = option("emissions")["series"][0]["data"]

            # raise the carbon price: the run is redone to the same quarter
            page.locator(".cs-cap-green .v-expansion-panel-header").click()
            lever = page.locator(".cs-lever-carbon_price")
            track = lever.locator(".v-slider")
            track.wait_for(state="visible")
            for _ in range(3):  # a click during the opening animation may miss the track
                track.scroll_into_view_if_needed()
                box = settled_box(page, track)
                page.mouse.click(box["x"] + 0.96 * box["width"], box["y"] + box["height"] / 2)
                try:
                    lever.get_by_text("•").wait_for(timeout=5_000)
                    break
                except PlaywrightTimeout:
                    continue
            wait_for("JSON.stringify(opt('emissions').series[0].data) !== JSON.stringify(arg)"
                     " && opt('emissions').x.length === 3", arg=co2_before)
            assert option("emissions")["series"][0]["data"] != co2_before
            assert "•" in lever.inner_text()

            for _ in range(2):
                step.click()
            wait_for("opt('growth').x.length === 5")

            # play a few quarters, then pause
            page.get_by_role("button", name="▶").click()
            wait_for("opt('growth').x.length >= 8")
            pause(page)

            # what-if: the baseline as a dashed reference, the gap in the table
            page.locator(".cs-compare").click()
            wait_for("opt('growth').series.length === 2 && opt('emissions').series.length === 4")
            names = [s["name"] for s in option("emissions")["series"]]
            assert "CO2 emissions (reference)" in names
            run_co2, ref_co2 = option("emissions")["series"][0]["data"], option(
                "emissions")["series"][names.index("CO2 emissions (reference)")]["data"]
            assert len(run_co2) == len(ref_co2) >= 8 and run_co2 != ref_co2
            page.locator(".cs-gap-table").get_by_text("Gap", exact=True).wait_for()

            # click a park on the map: its tenants by chain appear
            target = page.evaluate("""() => {
              const chart = (""" + CHART_JS + """)(document.querySelector('.cs-map'));
              const data = chart.getOption().series[0].data;
              const i = data.length - 1;   // drawn last, so on top
              const [x, y] = chart.convertToPixel({seriesIndex: 0}, data[i].value.slice(0, 2));
              return {park: data[i].value[4], x, y};
            }""")
            canvas = page.locator(".cs-map").bounding_box()
            page.mouse.click(canvas["x"] + target["x"], canvas["y"] + target["y"])
            wait_for("opt('tenants').subtext.startsWith(arg)", arg=f"Park {target['park'] + 1} ·")
            # ... and its budget, land price and partners
            page.get_by_text("Land price index").wait_for()
            page.get_by_text("Institutes its tenants work with").wait_for()

            # the flows between chains and between parks, and one chain's contract network
            page.locator(".cs-view-chain").click()
            wait_for("opt('sankey').title === 'Flows between chains, last four quarters'"
                     " && opt('sankey').series[0].data.length > 0")
            page.locator(".cs-view-park").click()
            wait_for("opt('sankey').title === 'Flows between parks, last four quarters'")
            page.locator(".cs-view-network").click()
            wait_for("opt('sankey').title.startsWith('Contracts of')"
                     " && opt('sankey').series[0].data.length > 0")
            page.locator(".cs-view-kind").click()
            wait_for("opt('sankey').title.startsWith('Innovation-factor flows')")

            # exports: the indicators as CSV and the one-page brief
            with page.expect_download() as csv_download:
                page.get_by_text("Indicators (CSV)").click()
            csv_path = tmp_path / "indicators.csv"
            csv_download.value.save_as(csv_path)
            header = csv_path.read_text(encoding="utf-8").splitlines()[0]
            assert header.startswith("run,scenario,step,year,quarter,value_added")
            with page.expect_download() as brief_download:
                page.get_by_text("One-page brief (HTML)").click()
            brief_path = tmp_path / "brief.html"
            brief_download.value.save_as(brief_path)
            brief = context.new_page()
            brief.on("pageerror", lambda e: errors.append(f"brief: {e}"))
            brief.goto(brief_path.as_uri())
            brief.wait_for_selector("#chart0 svg")
            assert brief.locator(".chart svg").count() == 7
            brief.close()

            page.locator(".cs-whatif").evaluate("el => { el.scrollTop = 0; }")
            page.screenshot(path=tmp_path / "dashboard.png")
            docs_shot = os.environ.get("CHAINSHIFT_DOCS_SCREENSHOT")
            if docs_shot:
                page.screenshot(path=ROOT / docs_shot)

            # Reset: back to the first quarter, the lever and what-if kept
            page.get_by_role("button", name="Reset").click()
            wait_for("opt('growth').x.length === 0")
            assert "•" in page.locator(".cs-lever-carbon_price").inner_text()
            step.click()
            wait_for("opt('growth').x.length === 1 && opt('growth').series.length === 2")

            # Chinese: the plan's own terms
            page.locator(".cs-lang-zh").click()
            wait_for("opt('growth').title === '规上工业增加值增速'")
            assert "全要素生产率（创新）" in [x["name"] for x in option("accounting")["series"]]
            assert "绿色发展能力" in page.locator(".cs-cap-green").inner_text()
            page.screenshot(path=tmp_path / "dashboard-zh.png")
        finally:
            browser.close()

    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == [], f"browser console errors: {errors}"


def test_the_room_sees_it_in_chinese_with_nothing_overlapping(server):
    from playwright.sync_api import sync_playwright

    from chainshift.viz.i18n import MESA_TEXT, SCENARIO_ZH

    outside: list[str] = []
    errors: list[str] = []
    fonts: list[str] = []

    def only_local(route):
        url = route.request.url
        if url.startswith(LOCAL):
            if "/static/assets/fonts/" in url:
                fonts.append(url)
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport={"width": 1500, "height": 1900})
            context.route("**/*", only_local)
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            page.set_default_timeout(30_000)

            def wait_for(predicate_js: str, arg=None) -> None:
                # false, not an error, while a chart is between two drawings
                page.wait_for_function(f"arg => {{ const opt = {OPTION_JS}; "
                                       f"try {{ return ({predicate_js}); }} "
                                       "catch (e) { return false; } }", arg=arg)

            page.goto(server.url)
            wait_for("opt('growth') !== null && opt('map') !== null")
            assert "runs on Solara" not in page.inner_text("body")  # no floating banner

            # English: the quarter reached, not Mesa's step count; lever values in words
            step = page.get_by_role("button", name="Step")
            for _ in range(6):
                step.click()
            wait_for("opt('growth').x.length === 6")
            sidebar = page.locator(".v-navigation-drawer").inner_text()
            assert "Simulated to 2022Q2" in sidebar and "Time:" not in sidebar
            page.locator(".cs-lever-coupling").wait_for()  # coordination is open at start
            assert "0.50 (share)" in page.locator(".cs-lever-coupling").inner_text()
            assert "0.02 of VA a year" in page.locator(".cs-lever-seedling_support").inner_text()
            assert "1 centre a year" in page.locator(
                ".cs-lever-innovation_centres_new").inner_text()

            # help lines keep clear of the next lever
            levers = page.locator(".cs-cap-coordination .cs-lever")
            for i in range(levers.count() - 1):
                help_box = settled_box(page, levers.nth(i).locator(".cs-lever-help"))
                below = levers.nth(i + 1).bounding_box()
                assert help_box["y"] + help_box["height"] + 4 <= below["y"], i

            # the park picker stands clear of the tenants chart's heading
            picker = page.locator(".cs-park-select").bounding_box()
            tenants = page.locator(".cs-tenants").bounding_box()
            assert picker["y"] + picker["height"] <= tenants["y"]

            # the map draws the municipality's outline under the parks
            assert page.evaluate("""() => {
              const chart = (""" + CHART_JS + """)(document.querySelector('.cs-map'));
              const o = chart.getOption();
              return o.geo[0].map === 'chongqing' && o.series[0].coordinateSystem === 'geo';
            }""")

            # Chinese throughout, drawn with the shipped font
            page.locator(".cs-lang-zh").click()
            wait_for("opt('growth').title === '规上工业增加值增速'")
            page.get_by_role("button", name="单步").click()
            wait_for("opt('growth').x.length === 7")
            body = page.inner_text("body")
            for english in (*MESA_TEXT, "Time:", "Simulated to", "Policy levers", "Scenario"):
                assert english not in body, english
            for zh in ("运行控制", "播放间隔（毫秒）", "重置", "单步", "模型参数",
                       "已模拟至 2022Q3", SCENARIO_ZH["baseline"][1][:12], "0.50（比例）"):
                assert zh in body, zh
            assert "双链融合：科研院所按产业链需求开展研究的比例" in page.locator(
                ".cs-lever-coupling").inner_text()
            assert fonts, "the Chinese web font was not requested"
            cdp = context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
            header = cdp.send("DOM.querySelector", {
                "nodeId": root, "selector": ".cs-cap-green .v-expansion-panel-header"})["nodeId"]
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": header})["fonts"]
            assert any(f["isCustomFont"] and f["familyName"].startswith("Noto Sans SC")
                       for f in used), used
            title = [t for t in page.evaluate(TEXTS_JS, "growth")
                     if t["text"] == "规上工业增加值增速"]
            assert title and title[0]["w"] > 0
            assert "chainshift Noto Sans SC" in page.evaluate(
                "() => (" + CHART_JS + ")(document.querySelector('.cs-growth'))"
                ".getOption().textStyle.fontFamily")

            # what-if in Chinese: the gap table fits its panel, nothing cut off
            page.locator(".cs-compare").click()
            wait_for("opt('growth').series.length === 2")
            page.locator(".cs-gap-table").get_by_text("差值", exact=True).wait_for()
            fit = page.evaluate("""() => {
              const table = document.querySelector('.cs-gap-table');
              const cell = table.closest('.vue-grid-item').firstElementChild;
              return {w: table.scrollWidth <= table.clientWidth + 1,
                      h: cell.scrollHeight <= cell.clientHeight + 1};
            }""")
            assert fit == {"w": True, "h": True}, fit

            # the Sankey names each node once
            names = [t["text"] for t in page.evaluate(TEXTS_JS, "sankey")
                     if t["text"] in ("企业", "科研院所", "政府", "园区", "金融机构")]
            assert names and len(names) == len(set(names)), names

            # play on: whenever the chart marks an emission peak, its label is drawn legibly
            page.get_by_role("button", name="▶").click()
            wait_for("opt('growth').x.length >= 24")
            pause(page)
            marked = page.evaluate("() => !!((" + CHART_JS + ")(document.querySelector("
                                   "'.cs-emissions')).getOption().series[0].markArea || {}).data")
            peak = [t for t in page.evaluate(TEXTS_JS, "emissions")
                    if t["text"].startswith("达峰")]
            assert bool(peak) == marked
            for label in peak:
                assert label["fill"] == "#c53030" and label["w"] > 0
                top = page.locator(".cs-emissions").bounding_box()["y"]
                assert 0 <= label["y"] - top <= label["chartH"]
            page.screenshot(path=Path(os.environ.get("TMPDIR", "/tmp")) / "dashboard-zh.png")
        finally:
            browser.close()

    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == [], f"browser console errors: {errors}"
    assert "samesite" not in server.log.read_text().lower()
