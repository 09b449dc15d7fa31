"""Denomination: divide indicators by a size variable (GDP, population, area…).

COINr ``Denominate``: ``x ← x / (d / scale)``; the denominator of each indicator comes
from iMeta ``Denominator`` unless the spec maps it explicitly (methods.md §1.3).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.registry import register


@register("denominate", "divide", "meta")
def denominate(x: np.ndarray, ctx: StepContext, denominators: dict[str, str] | None = None,
               scale: dict[str, float] | float = 1.0) -> tuple[np.ndarray, dict[str, Any]]:
    """Divide each indicator with a denominator by it; others pass unchanged."""
    mapping = dict(denominators) if denominators is not None else {
        c: d for c in ctx.columns if (d := ctx.tree.denominator.get(c))}
    out = x.copy()
    used: dict[str, str] = {}
    for j, code in enumerate(ctx.columns):
        d = mapping.get(code)
        if not d:
            continue
        if d not in ctx.idata.columns:
            raise fail(f"iData 缺少 {code} 的分母列 {d}", f"iData lacks denominator column {d} of {code}")
        sf = scale.get(code, 1.0) if isinstance(scale, dict) else float(scale)
        den = ctx.idata[d].to_numpy(dtype=float) / sf
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, j] = np.where(den == 0, np.nan, x[:, j] / den)
        used[code] = d
    return out, {"denominators": used}
