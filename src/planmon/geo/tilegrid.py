"""A tile-grid map of the 34 provincial-level divisions (省级行政区), one square cell each.

Why a tile grid: a map of China that draws a border wrongly cannot be published, and
a map with borders needs an approved base map (审图号). A grid of equal cells, each at
the division's approximate place, draws no border at all: nothing to get wrong,
nothing to license. Every division has the same area, so a small province's colour
is as visible as a large one's.

``col`` grows eastwards and ``row`` southwards; the positions are approximate
(neighbours stay neighbours where a grid allows). The web app and the report share
this table; :func:`tile_geojson` turns it into a GeoJSON of squares that ECharts can
register as a map under its own name (:data:`TILEGRID_MAP_NAME`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

TILEGRID_MAP_NAME: Final = "planmon-tilegrid"


@dataclass(frozen=True)
class Tile:
    code: str  # GB/T 2260
    short_zh: str
    name_en: str
    col: int
    row: int


TILES: Final[tuple[Tile, ...]] = (
    Tile("230000", "黑龙江", "Heilongjiang", 8, 0),
    Tile("150000", "内蒙古", "Inner Mongolia", 5, 1),
    Tile("110000", "北京", "Beijing", 6, 1),
    Tile("210000", "辽宁", "Liaoning", 7, 1),
    Tile("220000", "吉林", "Jilin", 8, 1),
    Tile("650000", "新疆", "Xinjiang", 1, 2),
    Tile("640000", "宁夏", "Ningxia", 4, 2),
    Tile("140000", "山西", "Shanxi", 5, 2),
    Tile("130000", "河北", "Hebei", 6, 2),
    Tile("120000", "天津", "Tianjin", 7, 2),
    Tile("630000", "青海", "Qinghai", 2, 3),
    Tile("620000", "甘肃", "Gansu", 3, 3),
    Tile("610000", "陕西", "Shaanxi", 4, 3),
    Tile("410000", "河南", "Henan", 5, 3),
    Tile("370000", "山东", "Shandong", 6, 3),
    Tile("320000", "江苏", "Jiangsu", 7, 3),
    Tile("540000", "西藏", "Tibet", 2, 4),
    Tile("510000", "四川", "Sichuan", 3, 4),
    Tile("500000", "重庆", "Chongqing", 4, 4),
    Tile("420000", "湖北", "Hubei", 5, 4),
    Tile("340000", "安徽", "Anhui", 6, 4),
    Tile("310000", "上海", "Shanghai", 7, 4),
    Tile("530000", "云南", "Yunnan", 3, 5),
    Tile("520000", "贵州", "Guizhou", 4, 5),
    Tile("430000", "湖南", "Hunan", 5, 5),
    Tile("360000", "江西", "Jiangxi", 6, 5),
    Tile("330000", "浙江", "Zhejiang", 7, 5),
    Tile("450000", "广西", "Guangxi", 4, 6),
    Tile("440000", "广东", "Guangdong", 5, 6),
    Tile("350000", "福建", "Fujian", 6, 6),
    Tile("710000", "台湾", "Taiwan", 7, 6),
    Tile("460000", "海南", "Hainan", 4, 7),
    Tile("820000", "澳门", "Macao", 5, 7),
    Tile("810000", "香港", "Hong Kong", 6, 7),
)

N_COLS: Final = max(t.col for t in TILES) + 1
N_ROWS: Final = max(t.row for t in TILES) + 1


def tile(code: str) -> Tile:
    for t in TILES:
        if t.code == code:
            return t
    raise KeyError(f"no tile for region code '{code}'")


def tile_label(t: Tile, lang: str) -> str:
    return t.name_en if lang == "en" else t.short_zh


def tile_geojson(gap: float = 0.06) -> dict[str, Any]:
    """The grid as a GeoJSON FeatureCollection of squares, ``properties.name`` = GB/T 2260 code.

    Coordinates are grid units (x = col, y = -row), not degrees: register the map
    with ``aspectScale: 1`` so that cells stay square.
    """
    features = []
    for t in TILES:
        x0, y0 = t.col + gap, -t.row - gap
        x1, y1 = t.col + 1 - gap, -t.row - 1 + gap
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        features.append({
            "type": "Feature",
            "properties": {"name": t.code, "short_zh": t.short_zh, "name_en": t.name_en},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        })
    return {"type": "FeatureCollection", "features": features}
