"""Zero and negative values, and natural limits, as each publisher defines them.

The vectorised pass (:mod:`planmon.monitor.assess`) computes compound growth where it is
defined and, by default before issue 20, switched to linear measures elsewhere. That is
planmon's own variant (``edge_rule="linear"``). By default each scheme now follows its
publisher (``edge_rule="publisher"``):

- ``opensdg`` (open-sdg docs/progress-methodology.md, "Special considerations for the base value
  and the target value" and "Minimum data requirements"): a base or target of 0 is replaced by
  0.001 (``zero_replacement``) and compound growth is kept; all values must share one sign, or
  the series is "unable to assess"; when all are negative the direction is flipped
  (R = s·d·CAGR_a/|CAGR_r|, g = s·d·CAGR_a with s = −1). A natural limit scales the positive
  no-target thresholds by C (:func:`planmon.monitor.growth.limit_factor`); it is not used when
  the series has a target.
- ``unsd`` (2023 Progress Chart note as adopted by Eustat): compound growth
  CAGR_a = (v_t/v_b)^(1/(t−b)) − 1 and its extrapolation only; the note defines no replacement or
  sign rule, so where the CAGR is undefined (a base ≤ 0, a negative latest value) no status is
  given, and the note says so.
- ``ndrc`` and ``sdsn`` measure linear distances (progress share, normalised gain): zero and
  negative values need no special rule; their growth columns keep the linear fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from planmon.monitor import growth
from planmon.monitor.growth import FloatArray
from planmon.monitor.notes import NoteBook
from planmon.monitor.panel import Panel

BoolArray = NDArray[np.bool_]


@dataclass
class Edge:
    """The publisher's growth measures, one element per series, replacing the generic ones."""

    cagr_actual: FloatArray
    cagr_required: FloatArray
    ratio: FloatArray
    growth: FloatArray
    cagr_projection: FloatArray  # NaN where extrapolating makes no sense (a replaced zero base)
    unrated: BoolArray  # no measure by the publisher's rule (a status only if the target is met)
    scale: FloatArray | None


def publisher(scheme: str, sp: dict[str, Any], panel: Panel, *, vb: FloatArray, vt: FloatArray, vT: FloatArray,
              years: FloatArray, span_t: FloatArray, d: FloatArray, has_target: BoolArray, needs_growth: BoolArray,
              notes: NoteBook) -> Edge | None:
    """The publisher's rules for ``scheme``, or None where the generic measures apply."""
    if sp.get("edge_rule", "publisher") != "publisher":
        return None
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if scheme == "opensdg":
            return _opensdg(sp, panel, vb, vt, vT, years, span_t, d, has_target, needs_growth, notes)
        if scheme == "unsd":
            return _unsd(vb, vt, vT, years, span_t, d, has_target, needs_growth, notes)
    return None


def _opensdg(sp: dict[str, Any], panel: Panel, vb: FloatArray, vt: FloatArray, vT: FloatArray, years: FloatArray,
             span_t: FloatArray, d: FloatArray, has_target: BoolArray, needs_growth: BoolArray,
             notes: NoteBook) -> Edge:
    zr = float(sp["zero_replacement"])
    zero_b = needs_growth & (vb == 0)
    zero_t = needs_growth & has_target & (vT == 0)
    b = np.where(vb == 0, zr, vb)
    tgt = np.where(vT == 0, zr, vT)
    mixed = needs_growth & growth.sign_mixed(panel.values, panel.mask, b, vt, str(sp["sign_check"]))
    other = needs_growth & has_target & ~mixed & (tgt * b < 0)
    s = np.where(b < 0, -1.0, 1.0)
    cagr_a = growth.same_sign_cagr(b, vt, years, needs_growth & ~mixed)
    cagr_r = growth.same_sign_cagr(b, tgt, span_t, has_target)
    # R = s·d·CAGR_a/|CAGR_r|: a base equal to the target (CAGR_r = 0) gives ±∞, as in the method.
    ratio = np.where(has_target & np.isfinite(cagr_a) & np.isfinite(cagr_r), s * d * cagr_a / np.abs(cagr_r), np.nan)
    g = s * d * cagr_a
    flipped = needs_growth & ~mixed & (b < 0)

    vz = zr
    notes.add("zero_base_replaced", zero_b, f"基期值为 0：按 Open SDG 方法以 {vz:g} 代替后计算复合增长率",
              f"base value 0 replaced by {vz:g} in the compound growth (Open SDG rule)")
    notes.add("zero_target_replaced", zero_t, f"目标值为 0：按 Open SDG 方法以 {vz:g} 代替后计算所需增长率",
              f"target 0 replaced by {vz:g} in the required growth (Open SDG rule)")
    notes.add("sign_change_not_assessed", mixed,
              "数值有正有负：Open SDG 方法要求全部同号，无法评价（除非已达目标）",
              "values change sign: the Open SDG method needs all values of one sign; unable to assess "
              "(unless the target is met)")
    notes.add("target_sign_differs_not_assessed", other,
              "目标值与基期值符号相反，所需复合增长率无定义：暂无法评估（除非已达目标）",
              "the target and the base have opposite signs: required compound growth undefined; unable to assess "
              "(unless the target is met)")
    notes.add("negative_values_direction_flipped", flipped,
              "全部为负值：按 Open SDG 方法翻转方向，以绝对值的复合增长率评价",
              "all values negative: direction flipped and compound growth of the magnitudes used (Open SDG rule)")

    lim = panel.series["natural_limit"].to_numpy(dtype=float) if "natural_limit" in panel.series.columns else None
    scale = None
    if lim is not None and np.isfinite(lim).any():
        has_lim = np.isfinite(lim)
        # Only a limit ahead of the base in the desired direction counts (a maximum when higher is better, a
        # minimum when lower is better); one behind it is "not considered" (the page, natural limits).
        behind = has_lim & np.isfinite(vb) & (d * (lim - vb) < 0)
        c = growth.limit_factor(vb, lim, float(sp["limit_exponent"]))
        applies = has_lim & ~behind & ~has_target & needs_growth
        scale = np.where(applies, c, 1.0)
        notes.add_rows("natural_limit_scaled", applies,
                       lambda i: (f"自然极限 {lim[i]:.6g}：无目标值时正的增速阈值乘以系数 C = {c[i]:.4g}（Open SDG）",
                                  f"natural limit {lim[i]:.6g}: the positive no-target growth thresholds are "
                                  f"multiplied by C = {c[i]:.4g} (Open SDG)"))
        notes.add("natural_limit_ignored_with_target", has_lim & has_target,
                  "有目标值：不使用自然极限（Open SDG）", "a target is set: the natural limit is not used (Open SDG)")
        notes.add_rows("base_beyond_natural_limit", behind,
                       lambda i: (f"自然极限 {lim[i]:.6g} 不在基期值 {vb[i]:.6g} 的期望方向前方：不使用（Open SDG），请核实极限",
                                  f"the natural limit {lim[i]:.6g} is not ahead of the base value {vb[i]:.6g} in the "
                                  "desired direction: not considered (Open SDG); check the limit"))
    return Edge(cagr_actual=cagr_a, cagr_required=cagr_r, ratio=ratio, growth=g,
                cagr_projection=np.where(zero_b, np.nan, cagr_a), unrated=mixed | other, scale=scale)


def _unsd(vb: FloatArray, vt: FloatArray, vT: FloatArray, years: FloatArray, span_t: FloatArray, d: FloatArray,
          has_target: BoolArray, needs_growth: BoolArray, notes: NoteBook) -> Edge:
    ok = needs_growth & (vb > 0) & (vt >= 0) & (years > 0)
    cagr_a = np.where(ok, np.power(vt / vb, 1.0 / years) - 1.0, np.nan)
    cagr_r = growth.cagr(vb, vT, span_t, (vb > 0) & (vT > 0) & has_target)
    undefined = needs_growth & ~ok
    notes.add("compound_undefined_not_assessed", undefined,
              "基期值不为正或最新值为负：UNSD 方法的复合增长率无定义，不给出状态（参数 edge_rule=linear 可改用线性增长）",
              "a base value that is not positive or a negative latest value: UNSD's compound growth is undefined, "
              "so no status (parameter edge_rule=linear uses linear growth instead)")
    return Edge(cagr_actual=cagr_a, cagr_required=cagr_r, ratio=growth.ratio(cagr_a, cagr_r), growth=d * cagr_a,
                cagr_projection=cagr_a, unrated=undefined, scale=None)
