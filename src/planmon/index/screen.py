"""Screening units by data availability and share of non-zero values (COINr ``Screen``, methods.md §1.4)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.registry import register


def availability(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: share of available values and share of non-zero among the available."""
    k = x.shape[1]
    n_na = np.isnan(x).sum(axis=1)
    n_zero = (x == 0).sum(axis=1)
    dat = 1 - n_na / k
    with np.errstate(divide="ignore", invalid="ignore"):
        nz = np.where(k - n_na > 0, 1 - n_zero / (k - n_na), 0.0)
    return dat, nz


@register("screen", "byNA", "byzeros", "byNAandzeros")
def screen(x: np.ndarray, ctx: StepContext, min_availability: float = 2 / 3, min_nonzero: float = 0.05,
           rule: Literal["byNA", "byzeros", "byNAandzeros"] = "byNA", force: dict[str, bool] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """Return the boolean mask of rows kept; ``force`` maps uCode → keep regardless."""
    if rule not in ("byNA", "byzeros", "byNAandzeros"):
        raise fail(f"screen.rule 只能是 byNA、byzeros 或 byNAandzeros，而非 {rule}",
                   f"screen.rule must be byNA, byzeros or byNAandzeros, not {rule}")
    dat, nz = availability(x)
    keep = np.ones(x.shape[0], dtype=bool)
    if rule in ("byNA", "byNAandzeros"):
        keep &= dat >= min_availability
    if rule in ("byzeros", "byNAandzeros"):
        keep &= nz >= min_nonzero
    for code, inc in (force or {}).items():
        keep[ctx.units == code] = bool(inc)
    removed = sorted({str(u) for u in ctx.units[~keep]})
    return keep, {"removed": removed, "min_availability": min_availability, "rule": rule}
