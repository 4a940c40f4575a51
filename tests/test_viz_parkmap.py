import functools

import numpy as np
import pytest

from viz import parkmap
from viz.workshop import RunSettings, WorkshopModel


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
    for i, item in enumerate(data):
        x, y, green, va, index = item["value"]
        assert index == i
        assert x == pytest.approx(m.parks.x[i], rel=1e-5)
        assert y == pytest.approx(m.parks.y[i], rel=1e-5)
        assert green == pytest.approx(m.parks.green_share[i], abs=1e-3)
        assert va == pytest.approx(m.parks.va[i], rel=1e-3)
    biggest = int(np.argmax(m.parks.va))
    assert data[biggest]["symbolSize"] == parkmap.MAX_SIZE
    assert opt["visualMap"]["dimension"] == 2  # colour = green share


def test_the_selected_park_is_outlined():
    opt = parkmap.park_map(run(), "en", selected=3)
    outlined = [i for i, d in enumerate(opt["series"][0]["data"]) if "itemStyle" in d]
    assert outlined == [3]


def test_clicked_park_reads_the_park_index_from_the_event():
    event = {"seriesType": "scatter", "dataIndex": 7,
             "data": {"name": "Park 8", "value": [106.5, 29.5, 0.2, 30.0, 7]}}
    assert parkmap.clicked_park(event) == 7
    assert parkmap.clicked_park({"seriesType": "scatter", "dataIndex": 2}) == 2
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
