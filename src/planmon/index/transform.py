"""Per-indicator transforms chosen by the analyst (e.g. log of a size variable).

Spec: ``transform: {indicators: {Gas: log, Flights: log1p}}`` or ``{all: sqrt}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.registry import register
from planmon.index.treat import boxcox, log_ct

TRANSFORMS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "log": np.log, "log10": np.log10, "log1p": np.log1p, "sqrt": np.sqrt, "square": np.square,
    "log_ct": log_ct, "boxcox": boxcox, "identity": lambda v: v, "negate": np.negative,
}
_DOMAIN = {"log": 0.0, "log10": 0.0, "log1p": -1.0, "sqrt": -1e-300}


@register("transform", "per_indicator")
def transform(x: np.ndarray, ctx: StepContext, indicators: dict[str, str] | None = None,
              all: str | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """Apply a named transform to chosen indicators; out-of-domain values are an error naming unit and indicator."""
    plan = {c: all for c in ctx.columns} if all else {}
    plan.update(indicators or {})
    out = x.copy()
    for code, name in plan.items():
        if code not in ctx.columns:
            raise fail(f"transform：没有指标 {code}", f"transform: no indicator {code}")
        if name not in TRANSFORMS:
            raise fail(f"transform：未知变换 {name}（可用：{', '.join(TRANSFORMS)}）",
                       f"transform: unknown transform {name} (known: {', '.join(TRANSFORMS)})")
        j = ctx.columns.index(code)
        col = x[:, j]
        if name in _DOMAIN:
            bad = np.flatnonzero(col <= _DOMAIN[name])
            if bad.size:
                u = ctx.units[bad[0]]
                raise fail(f"transform：{name} 不能用于单位 {u} 的指标 {code}（值 {col[bad[0]]}）",
                           f"transform: {name} undefined for unit {u}, indicator {code} (value {col[bad[0]]})")
        out[:, j] = TRANSFORMS[name](col[:, None])[:, 0] if name in ("log_ct", "boxcox") else TRANSFORMS[name](col)
    return out, {"transforms": plan}
