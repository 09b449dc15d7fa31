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
    used: dict[str, str] = {c: d for c in ctx.columns if (d := mapping.get(c))}
    missing = sorted({d for d in used.values() if d not in ctx.idata.columns})
    if missing:
        raise fail(f"iData 缺少分母列 {', '.join(missing)}", f"iData lacks denominator columns {', '.join(missing)}")
    if used:
        names = sorted(set(used.values()))
        dm = ctx.columns_matrix(names)
        js = [ctx.columns.index(c) for c in used]
        den = dm[:, [names.index(used[c]) for c in used]]
        sf = np.array([scale.get(c, 1.0) if isinstance(scale, dict) else float(scale) for c in used])
        den = den / sf[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, js] = np.where(den == 0, np.nan, x[:, js] / den)
    return out, {"denominators": used}
