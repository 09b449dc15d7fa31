"""Transforms chosen by the analyst: a documented family with parameters (docs/index/07-transform.md).

A transform is a name (``log``) or a mapping ``{fn: log, shift: min, c: 1}``; with
``y = x − s + c`` (``s`` = the column minimum over all rows when ``shift: min``, else 0):

=========  ==========================================
``log``    ``ln y``
``log10``  ``log10 y``
``log1p``  ``ln(1 + y)``
``sqrt``   ``√y``
``boxcox`` ``(y^λ − 1)/λ``, ``ln y`` if λ = 0 (defaults ``shift: min``, ``c: 1``: COINr ``makepos``)
``log_ct`` ``ln(x − min + 0.01·(max − min))`` (COIN tool)
``square`` ``x²``; ``negate`` ``−x``; ``identity`` ``x``
=========  ==========================================

Applied to named indicators (``indicators: {x1: log}``), to all (``all: log1p``), or to
those that a skewness/kurtosis trigger selects (``when: {skew: 1, type: 2}`` with
``apply: {fn: log, shift: min, c: 1}``), the skewness definition named by its e1071 type.
Why explicit: published recipes state their shift and constant (``log(x − min + 1)``); a
transform that silently uses another one gives another index.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from planmon.index.context import StepContext
from planmon.index.errors import fail
from planmon.index.moments import kurtosis, skewness
from planmon.index.registry import register
from planmon.index.treat import log_ct

FNS = ("log", "log10", "log1p", "sqrt", "boxcox", "log_ct", "square", "negate", "identity")


class TransformSpec(BaseModel):
    """One transform with its parameters."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    fn: Literal["log", "log10", "log1p", "sqrt", "boxcox", "log_ct", "square", "negate", "identity"]
    shift: Literal["none", "min"] | None = None
    c: float | None = None
    lam: float = Field(0.0, alias="lambda")

    def resolved(self) -> tuple[str, float]:
        """The shift and the constant actually used (Box-Cox defaults to COINr's x − min + 1)."""
        if self.fn == "boxcox":
            return self.shift or "min", 1.0 if self.c is None else self.c
        return self.shift or "none", 0.0 if self.c is None else self.c

    def formula(self) -> str:
        shift, c = self.resolved()
        y = "x" + (" − min" if shift == "min" else "") + (f" + {c:g}" if c else "")
        return {"log": f"ln({y})", "log10": f"log10({y})", "log1p": f"ln(1 + {y})", "sqrt": f"√({y})",
                "boxcox": f"(({y})^{self.lam:g} − 1)/{self.lam:g}" if self.lam else f"ln({y})",
                "log_ct": "ln(x − min + 0.01·(max − min))", "square": "x²", "negate": "−x", "identity": "x"}[self.fn]


class When(BaseModel):
    """Trigger: transform an indicator whose |skewness| (and/or excess kurtosis) exceeds a threshold."""

    model_config = ConfigDict(extra="forbid")
    skew: float | None = None
    kurtosis: float | None = None
    type: Literal[1, 2, 3] = 2
    require: Literal["any", "all"] = "any"


def as_transform(v: Any) -> TransformSpec:
    return TransformSpec(fn=v) if isinstance(v, str) else TransformSpec.model_validate(v)


def apply_transform(col: np.ndarray, t: TransformSpec) -> np.ndarray:
    """The transform of one column (raises :class:`ValueError` with the first out-of-domain row)."""
    if t.fn == "log_ct":
        out: np.ndarray = log_ct(col[:, None])[:, 0]
        return out
    if t.fn == "square":
        return np.square(col)
    if t.fn == "negate":
        return np.negative(col)
    if t.fn == "identity":
        return col.copy()
    shift, c = t.resolved()
    y = col - (np.nanmin(col) if shift == "min" else 0.0) + c
    bad = np.flatnonzero(y <= -1 if t.fn == "log1p" else y < 0 if t.fn == "sqrt" else y <= 0)
    if bad.size:
        raise ValueError(int(bad[0]))
    if t.fn == "log":
        return np.log(y)
    if t.fn == "log10":
        return np.log10(y)
    if t.fn == "log1p":
        return np.log1p(y)
    if t.fn == "sqrt":
        return np.sqrt(y)
    return np.log(y) if t.lam == 0 else (y**t.lam - 1) / t.lam


@register("transform", "per_indicator")
def transform(x: np.ndarray, ctx: StepContext, indicators: dict[str, Any] | None = None, all: Any = None,
              when: When | None = None, apply: Any = None,
              exclude: list[str] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """Apply transforms to named indicators, to all, or to those a skew/kurtosis trigger selects."""
    plan: dict[str, TransformSpec] = {}
    info: dict[str, Any] = {}
    if all is not None:
        plan.update({c: as_transform(all) for c in ctx.columns})
    if when is not None:
        w = When.model_validate(when)
        if apply is None:
            raise fail("transform.when 需要 apply（要做的变换）", "transform.when needs apply (the transform to use)")
        if w.skew is None and w.kurtosis is None:
            raise fail("transform.when 需要 skew 或 kurtosis 阈值", "transform.when needs a skew or kurtosis threshold")
        sk, ku = skewness(x, w.type), kurtosis(x, w.type)
        tests = []
        if w.skew is not None:
            tests.append(np.abs(sk) > w.skew)
        if w.kurtosis is not None:
            tests.append(ku > w.kurtosis)
        hit = np.logical_and.reduce(tests) if w.require == "all" else np.logical_or.reduce(tests)
        t = as_transform(apply)
        plan.update({c: t for c, h in zip(ctx.columns, hit, strict=True) if h})
        info["trigger"] = {"skew_type": w.type, "require": w.require, "skew": dict(zip(ctx.columns, sk.tolist(), strict=True)),
                           "kurtosis": dict(zip(ctx.columns, ku.tolist(), strict=True))}
    elif apply is not None:
        raise fail("transform.apply 只与 when 一起使用", "transform.apply is used only with when")
    for code, v in (indicators or {}).items():
        if code not in ctx.columns:
            raise fail(f"规格 transform.indicators.{code}：没有这个指标", f"spec transform.indicators.{code}: no such indicator")
        plan[code] = as_transform(v)
    for code in exclude or []:
        plan.pop(code, None)
    out = x.copy()
    for code, t in plan.items():
        j = ctx.columns.index(code)
        try:
            out[:, j] = apply_transform(x[:, j], t)
        except ValueError as exc:
            i = int(exc.args[0])
            raise fail(f"transform：{t.formula()} 不能用于单位 {ctx.units[i]} 的指标 {code}（值 {x[i, j]:g}）",
                       f"transform: {t.formula()} is undefined for unit {ctx.units[i]}, indicator {code} "
                       f"(value {x[i, j]:g})") from exc
    info["transforms"] = {c: t.formula() for c, t in plan.items()}
    return out, info
