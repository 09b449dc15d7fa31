"""Approved boundary files (GeoJSON keyed by GB/T 2260 code), supplied by an office.

Why only supplied: a published map of China needs an approved base map and its
approval number (审图号). planmon ships none; an office that has one passes the
file and its number, and the report draws a choropleth on it, registered in ECharts
under its own name (``planmon-approved``) so that nothing is added on top.
The optional ``cnmaps`` extra is not part of the default install (see docs/report.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planmon.i18n import Message
from planmon.refusal import Refusal

CODE_KEYS = ("code", "adcode", "gb2260", "GB2260", "name")


class BoundaryInvalid(Refusal):
    """The boundary file cannot be used; ``messages`` says where and why, in zh and en."""

    code = "boundary_invalid"

    def __init__(self, messages: list[Message]) -> None:
        super().__init__(messages)
        self.messages = messages


def _code(props: dict[str, Any]) -> str | None:
    for key in CODE_KEYS:
        v = props.get(key)
        if v is None:
            continue
        s = str(v).strip()
        if len(s) == 6 and s.isdigit():
            return s
    return None


def load_boundary(path: str | Path) -> dict[str, Any]:
    """Read and check a boundary GeoJSON; returns it with ``properties.name`` set to each feature's code."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryInvalid([Message(f"{p}：无法读取 GeoJSON（{exc}）", f"{p}: cannot read GeoJSON ({exc})")]) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryInvalid([Message(f"{p}：顶层必须是 FeatureCollection", f"{p}: the top level must be a FeatureCollection")])
    problems: list[Message] = []
    features = []
    for i, feat in enumerate(data.get("features") or []):
        props = (feat or {}).get("properties") or {}
        code = _code(props)
        geom = (feat or {}).get("geometry") or {}
        if code is None:
            problems.append(Message(f"{p}：features[{i}] 缺少六位 GB/T 2260 代码（属性 {'/'.join(CODE_KEYS)}）",
                                    f"{p}: features[{i}] has no six-digit GB/T 2260 code (property {'/'.join(CODE_KEYS)})"))
            continue
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(Message(f"{p}：features[{i}]（{code}）的几何类型必须是 Polygon 或 MultiPolygon",
                                    f"{p}: features[{i}] ({code}) geometry must be Polygon or MultiPolygon"))
            continue
        features.append({"type": "Feature", "properties": {**props, "name": code}, "geometry": geom})
    if not features and not problems:
        problems.append(Message(f"{p}：没有任何要素", f"{p}: no features"))
    if problems:
        raise BoundaryInvalid(problems)
    out: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if data.get("internal_use_only"):  # a file built by planmon.geo.cnmaps_export: keep its warning
        out["internal_use_only"] = str(data["internal_use_only"])
    return out
