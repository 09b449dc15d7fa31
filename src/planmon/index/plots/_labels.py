"""Names on the axes of the index plots: units, tree nodes and the uncertain choices, in zh or en.

A unit is shown by the name the caller gives (``labels``); a GB/T 2260 province code without one
by its short name on the tile grid (北京, 广东 …); any other code as it is. A tree node by its
``iName`` (cut to a readable length), else its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from planmon.plotting import shorten, t

if TYPE_CHECKING:
    from planmon.index.run import IndexRun


def unit_names(codes: Iterable[str], lang: str, labels: Mapping[str, str] | None = None) -> list[str]:
    """A display name for each unit code."""
    from planmon.geo.tilegrid import TILES, tile_label

    tiles = {tl.code: tile_label(tl, lang) for tl in TILES}
    given = labels or {}
    return [str(given.get(str(c)) or tiles.get(str(c)) or c) for c in codes]


def node_name(run: IndexRun, code: str, n: int = 28) -> str:
    """A tree node's name (``iName``), else its code, cut to ``n`` characters."""
    name = run.tree.names.get(code) or code
    return shorten(str(name) if name != "nan" else code, n)


# The uncertain inputs of a spec (``uncertainty:`` keys), as a reader calls them.
_STEPS = {
    "weights": ("权重扰动", "weights (noise)"), "aggregate": ("汇总方法", "aggregation method"),
    "normalise": ("标准化方法", "normalisation method"), "treat": ("异常值处理", "outlier treatment"),
    "impute": ("缺失值插补", "imputation"), "screen": ("单位筛选", "unit screening"),
    "transform": ("变换", "transformation"), "denominate": ("强度化", "denomination"),
    "exclude": ("剔除指标", "excluded indicator"),
}


def input_label(name: str, lang: str) -> str:
    """``treat.winmax`` → 异常值处理：winmax; ``aggregate`` → 汇总方法; an unknown key as it is."""
    step, _, param = name.partition(".")
    if step not in _STEPS:
        return name
    zh, en = _STEPS[step]
    base = t(lang, zh, en)
    return f"{base}{t(lang, '：', ': ')}{param}" if param else base
