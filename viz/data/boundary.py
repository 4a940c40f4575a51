"""Make ``chongqing.json``, the outline of Chongqing municipality drawn under the park map.

Run from the project folder (needs only the npm registry)::

    npm pack echarts@4.9.0                          # Apache-2.0, ships China's map data
    tar xzf echarts-4.9.0.tgz
    python viz/data/boundary.py package/map/json/china.json

The map data of ECharts 4 is stored compressed (``UTF8Encoding``): each ring is a string of
zig-zag, delta-encoded coordinates scaled by 1024. This script decodes the feature of
Chongqing (id 500000) into plain GeoJSON, with coordinates rounded to 0.001 degree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCALE = 1024.0


def decode_ring(text: str, offset: list[int]) -> list[list[float]]:
    """One encoded ring to ``[[lon, lat], ...]`` (ECharts 4's ``decodePolygon``)."""
    x0, y0 = offset
    out = []
    for i in range(0, len(text), 2):
        x = ord(text[i]) - 64
        y = ord(text[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))  # zig-zag
        y = (y >> 1) ^ (-(y & 1))
        x0, y0 = x0 + x, y0 + y  # deltas
        out.append([round(x0 / SCALE, 3), round(y0 / SCALE, 3)])
    return out


def decode_geometry(geometry: dict) -> dict:
    """An encoded Polygon or MultiPolygon to plain GeoJSON."""
    rings, offsets = geometry["coordinates"], geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        coords = [decode_ring(r, o) for r, o in zip(rings, offsets, strict=True)]
    else:
        coords = [[decode_ring(r, o) for r, o in zip(poly, offs, strict=True)]
                  for poly, offs in zip(rings, offsets, strict=True)]
    return {"type": geometry["type"], "coordinates": coords}


def main(china: Path) -> None:
    """Write chongqing.json from ECharts' china.json."""
    data = json.loads(Path(china).read_text(encoding="utf-8"))
    (feature,) = [f for f in data["features"] if f.get("id") == "500000"]
    out = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": "500000",
        "properties": {"name": "Chongqing", "name_zh": feature["properties"]["name"]},
        "geometry": decode_geometry(feature["geometry"])}]}
    path = HERE / "chongqing.json"
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")
    print(f"{path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
