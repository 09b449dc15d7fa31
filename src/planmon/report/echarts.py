"""ECharts options for the interactive HTML report, built from the model.

Why options in Python: the HTML file carries data and options as JSON and one
small script; the same numbers as the static charts, so the HTML and the PDF agree.
The map is registered under its own name (``planmon-tilegrid`` or ``planmon-approved``),
never as 'china', so ECharts adds nothing of its own (such as a South China Sea inset).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planmon.geo.tilegrid import TILEGRID_MAP_NAME, TILES, tile_geojson, tile_label
from planmon.periods import Period
from planmon.report.charts import ACTUAL, NO_DATA, PLAN, STATUS_COLOURS, bbox_area
from planmon.report.model import IndicatorBlock, ReportModel

ECHARTS_FILE = Path(__file__).resolve().parents[1] / "assets" / "vendor" / "echarts-6.1.0.min.js"
APPROVED_MAP_NAME = "planmon-approved"
PALETTE = ["#ffffd9", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"]


def echarts_js() -> str:
    """The vendored ECharts, safe to inline in a <script> element."""
    return ECHARTS_FILE.read_text(encoding="utf-8").replace("</script", "<\\/script")


def dumps(obj: Any) -> str:
    """Deterministic JSON, safe inside <script>."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")


def _x(period: str) -> float:
    return round(Period.parse(period).time, 4)


def indicator_option(block: IndicatorBlock, lang: str) -> dict[str, Any]:
    en = lang == "en"
    series: list[dict[str, Any]] = []
    if block.trajectory:
        series.append({"name": "plan trajectory" if en else "规划轨迹", "type": "line", "color": PLAN,
                       "lineStyle": {"type": "dashed"}, "symbol": "none",
                       "data": [[_x(p), v] for p, v in block.trajectory]})
    if block.ind.target is not None:
        series.append({"name": "target" if en else "目标", "type": "scatter", "color": PLAN, "symbol": "diamond",
                       "symbolSize": 12, "data": [[_x(block.ind.target.period), block.ind.target.value]]})
    series.append({"name": "actual" if en else "实际值", "type": "line", "color": ACTUAL, "symbolSize": 6,
                   "data": [[_x(p.period), p.value, p.period] for p in block.series]})
    # Layout with no overlap by construction: the unit (y-axis name) sits above the plot at the left,
    # the status at the top right, the legend in its own band under the x axis.
    option: dict[str, Any] = {
        "animation": False,
        "grid": {"left": 56, "right": 16, "top": 40, "bottom": 56},
        "legend": {"bottom": 0, "left": "center", "itemGap": 24},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "value", "min": "dataMin", "max": "dataMax", "minInterval": 1, "yearAxis": True},
        "yAxis": {"type": "value", "name": block.unit(lang), "scale": True, "nameLocation": "end",
                  "nameGap": 12, "nameTextStyle": {"align": "left"}},
        "series": series,
    }
    if block.status_label:
        option["title"] = {"text": ("Status: " if en else "状态：") + block.status_label, "right": 0, "top": 0,
                           "textStyle": {"fontSize": 12, "color": STATUS_COLOURS.get(block.status or "", "#555")}}
    return option


def _largest_first(boundary: dict[str, Any]) -> dict[str, Any]:
    """Draw order: an enclave after what surrounds it (see :func:`planmon.report.charts.boundary_map`)."""
    return {**boundary, "features": sorted(boundary.get("features", []), key=bbox_area, reverse=True)}


def map_payload(model: ReportModel) -> dict[str, Any] | None:
    """Layers, names and the map geometry for the HTML map (None when there is nothing to draw)."""
    reg = model.regional
    if not reg.layers:
        return None
    approved = model.boundary is not None
    layers = []
    for layer in reg.layers:
        vals = [v for v in layer.values.values()]
        lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
        span = hi - lo if hi > lo else 1.0
        # white labels on the darker half of the palette, dark ones on the light half
        data = [{"name": c, "value": round(v, 4), "label": {"color": "#fff" if (v - lo) / span > 0.45 else "#111"}}
                for c, v in sorted(layer.values.items())]
        layers.append({"key": layer.key, "title": layer.title, "unit": layer.unit, "decimals": layer.decimals(),
                       "min": round(lo, 4), "max": round(hi, 4), "data": data})
    return {
        "mapName": APPROVED_MAP_NAME if approved else TILEGRID_MAP_NAME,
        "geo": _largest_first(model.boundary) if model.boundary is not None else tile_geojson(),
        "aspectScale": 0.75 if approved else 1,
        "labels": {t.code: tile_label(t, model.lang) for t in TILES},
        "layers": layers,
        "palette": PALETTE,
        "noData": NO_DATA,
        "caption": model.approval_no,
        "default": reg.layers.index(reg.default_layer) if reg.default_layer is not None else 0,
    }
