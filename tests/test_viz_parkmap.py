import functools

import numpy as np
import pytest

from chainshift.viz import parkmap
from chainshift.viz.workshop import RunSettings, WorkshopModel


@functools.cache
def run() -> WorkshopModel:
    return WorkshopModel(RunSettings(enterprises=500), rng=5).replay(4)


def test_marker_area_is_proportional_to_output():
    sizes = parkmap.marker_sizes(np.array([0.0, 25.0, 100.0]))
    lo, hi = parkmap.MIN_SIZE, parkmap.MAX_SIZE
    np.testing.assert_allclose(sizes, [lo, lo + (hi - lo) * 0.5, hi])
    np.testing.assert_allclose(parkmap.marker_sizes(np.zeros(3)), [lo] * 3)


def test_map_places_every_park_by_position_with_output_and_green_share():
    m = run()
    opt = parkmap.park_map(m, "en")
    data = opt["series"][0]["data"]
    assert len(data) == len(m.parks)
    assert sorted(item["value"][4] for item in data) == list(range(len(m.parks)))
    sizes = [item["symbolSize"] for item in data]
    assert sizes == sorted(sizes, reverse=True)  # small markers drawn last, on top
    for item in data:
        x, y, green, va, i = item["value"]
        assert x == pytest.approx(m.parks.x[i], rel=1e-5)
        assert y == pytest.approx(m.parks.y[i], rel=1e-5)
        assert green == pytest.approx(m.parks.green_share[i], abs=1e-3)
        assert va == pytest.approx(m.parks.va[i], rel=1e-3)
    assert data[0]["value"][4] == int(np.argmax(m.parks.va))
    assert data[0]["symbolSize"] == parkmap.MAX_SIZE
    assert opt["visualMap"]["dimension"] == 2  # colour = green share
    assert opt["series"][0]["coordinateSystem"] == "geo"


def test_the_parks_stand_on_the_outline_of_the_municipality():
    opt = parkmap.park_map(run(), "en")
    assert opt["geo"]["map"] == parkmap.MAP_NAME
    shape = parkmap.maps()[parkmap.MAP_NAME]
    (feature,) = shape["features"]
    assert feature["properties"]["name_zh"] == "重庆"
    points = [p for poly in feature["geometry"]["coordinates"] for ring in poly for p in ring]
    lon = [p[0] for p in points]
    lat = [p[1] for p in points]
    assert 105.2 < min(lon) < 105.4 and 110.1 < max(lon) < 110.3  # Chongqing's extent
    assert 28.1 < min(lat) < 28.2 and 32.1 < max(lat) < 32.3
    readme = (parkmap.BOUNDARY.parent / "README.md").read_text()
    assert "Apache License 2.0" in readme and "echarts" in readme


def test_the_selected_park_is_outlined():
    opt = parkmap.park_map(run(), "en", selected=3)
    outlined = [d["value"][4] for d in opt["series"][0]["data"] if "itemStyle" in d]
    assert outlined == [3]


def test_clicked_park_reads_the_park_index_from_the_event():
    event = {"seriesType": "scatter", "dataIndex": 7,
             "data": {"name": "Park 8", "value": [106.5, 29.5, 0.2, 30.0, 7]}}
    assert parkmap.clicked_park(event) == 7
    assert parkmap.clicked_park({"seriesType": "scatter", "dataIndex": 2}) is None
    assert parkmap.clicked_park({"seriesType": "bar", "dataIndex": 2}) is None
    assert parkmap.clicked_park(None) is None


def test_tenants_by_chain_counts_the_firms_in_the_park():
    m = run()
    park = int(np.argmax(m.parks.va))
    rows = parkmap.tenants_by_chain(m, park, "zh")
    in_park = m.firms.chain[m.firms.park == park]
    assert sum(k for _, k in rows) == len(in_park)
    labels = {c.label_zh: i for i, c in enumerate(m.config.chains)}
    for label, k in rows:
        assert k == int(np.sum(in_park == labels[label]))
    assert [k for _, k in rows] == sorted((k for _, k in rows), reverse=True)


def test_tenants_chart_lists_chains_with_their_counts():
    m = run()
    opt = parkmap.tenants_chart(m, 0, "en")
    rows = parkmap.tenants_by_chain(m, 0, "en")
    assert opt["yAxis"]["data"] == [r[0] for r in rows][::-1]
    assert opt["series"][0]["data"] == [r[1] for r in rows][::-1]
    assert opt["title"]["subtext"].startswith("Park 1 · ")


def test_park_facts_give_budget_land_price_free_plots_and_partners():
    m = run()
    p = int(np.argmax(m.parks.va))
    lines = parkmap.park_facts(m, p, "en")
    agent = m.park_agents[p]
    assert f"{agent.land_price:.2f}" in lines[1] and f"{agent.free_land:.0f}" in lines[1]
    partners = agent.partners
    assert partners  # the largest park's tenants hold contracts
    assert f"({max(partners.values())})" in lines[-1]
    assert "预算" in parkmap.park_facts(m, p, "zh")[0]
