"""The tile grid: one cell per provincial-level division, each in its approximate place."""

from __future__ import annotations

from planmon.framework import load_framework
from planmon.geo.tilegrid import TILES, tile, tile_geojson


def test_34_divisions_each_once_no_two_in_one_cell() -> None:
    assert len(TILES) == 34  # 23 provinces + 5 autonomous regions + 4 municipalities + 2 SARs
    assert len({t.code for t in TILES}) == 34
    assert len({(t.col, t.row) for t in TILES}) == 34
    provinces = {u.id for u in load_framework().provinces()}
    assert provinces | {"710000", "810000", "820000"} == {t.code for t in TILES}


def test_neighbours_are_where_a_reader_expects() -> None:
    def at(code: str) -> tuple[int, int]:
        t = tile(code)
        return t.col, t.row

    # Xinjiang is west of Beijing; Heilongjiang is the north-east corner; Hainan is south of Guangdong
    assert at("650000")[0] < at("110000")[0]
    assert at("230000")[1] == min(t.row for t in TILES)
    assert at("460000")[1] > at("440000")[1]
    # Shanghai is east of Anhui and south of Jiangsu; Hong Kong east of Macao
    assert at("310000")[0] > at("340000")[0] and at("310000")[1] > at("320000")[1]
    assert at("810000")[0] > at("820000")[0]


def test_geojson_squares_keyed_by_code() -> None:
    gj = tile_geojson()
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 34
    f = next(f for f in gj["features"] if f["properties"]["name"] == "330000")
    ring = f["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    xs = {round(p[0], 6) for p in ring}
    ys = {round(p[1], 6) for p in ring}
    t = tile("330000")
    assert min(xs) > t.col and max(xs) < t.col + 1 and max(ys) < -t.row and min(ys) > -t.row - 1
    assert round(max(xs) - min(xs), 6) == round(max(ys) - min(ys), 6)  # square
