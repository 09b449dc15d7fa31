"""Assessment of every indicator × unit against its baseline and target (methods.md §3.7).

One vectorised pass over a (series × points) panel computes, per series with
baseline (b, v_b), target (T, v*), direction d and latest (t, v_t):

- progress share p = (v_t − v_b)/(v* − v_b); time share τ = (t − b)/(T − b);
- expected value on the trajectory (linear, compound or points) and the gap v_t − e_t;
- CAGR_a, CAGR_r and their ratio (linear pace ratio p/τ where CAGR is undefined);
- projection to T by compound extrapolation (UNSD) and, with ≥ 3 points, by the
  ESCAP-style time-weighted regression; projected share (v̂_T − v_b)/(v* − v_b);
- the status under the chosen scheme, with its parameters recorded in every row;
- notes stating every hard case (zh and en), never a silent NaN.

Times are on the continuous year axis of :mod:`planmon.periods` (2024-10 → 2023.83),
so a month value of a stock indicator sits where it belongs on the path.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planmon.framework.model import Indicator
from planmon.monitor import growth, projection, trajectory
from planmon.monitor.notes import NoteBook
from planmon.monitor.panel import PERIOD_LEN, InputError, Panel, build_panel, indicator_specs, normalise_observations
from planmon.monitor.params import record, resolve
from planmon.monitor.schemes import STATUS_LABELS, Measures, classify
from planmon.periods import Period, PeriodError

#: The contract columns, in order (JSON keys of ``planmon progress``).
CONTRACT_COLUMNS = [
    "indicator", "unit", "direction", "baseline_period", "baseline", "target_period", "target", "latest_period",
    "latest", "progress_share", "time_share", "expected", "cagr_actual", "cagr_required", "growth_ratio",
    "projected", "projected_share", "status", "scheme", "notes",
]
EXTRA_COLUMNS = [
    "status_zh", "status_en", "notes_zh", "note_codes", "achieved", "kind", "attribute", "proxy", "trajectory",
    "gap", "gap_to_target", "growth_method", "projected_regression", "projected_share_regression",
    "n_observations", "stale", "age_periods", "reference_period", "name_zh", "name_en", "scheme_params",
]


def _only(mask: np.ndarray[Any, Any], values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``values`` where ``mask``, None elsewhere (an object column, so JSON shows null)."""
    out = np.full(len(mask), None, dtype=object)
    out[mask] = np.asarray(values, dtype=object)[mask]
    return out


def _is_text(v: Any) -> bool:
    return isinstance(v, str | list | type(None)) or getattr(v, "dtype", None) is np.dtype(object)


def _as_of_time(as_of: str | None) -> float | None:
    if as_of is None or str(as_of).strip() == "":
        return None
    try:
        return Period.parse(str(as_of)).time
    except PeriodError as exc:
        raise InputError([exc.message_zh], [exc.message_en]) from None


def assess(observations: pd.DataFrame, indicators: pd.DataFrame | list[Indicator], *, as_of: str | None = None,
           scheme: str = "ndrc", params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Assess every indicator × unit; pure (no store), one row per series.

    ``indicators`` rows without a ``unit`` apply to every unit observed for the
    indicator; a row with a unit applies to that unit only. Observations after
    ``as_of`` are ignored. See the module docstring for the measures.
    """
    ap, sp = resolve(scheme, params)
    specs = indicator_specs(indicators)
    obs, _ = normalise_observations(observations)
    cut = _as_of_time(as_of)
    if cut is not None:
        obs = obs[obs["time"].to_numpy() <= cut + 1e-9]
    ref_time = cut if cut is not None else (float(obs["time"].max()) if len(obs) else np.nan)
    panel = build_panel(specs, obs)
    return _compute(panel, scheme, sp, ap, ref_time, as_of)


def _compute(panel: Panel, scheme: str, sp: dict[str, Any], ap: dict[str, Any], ref_time: float,
             as_of: str | None) -> pd.DataFrame:
    s = panel.series
    n = len(s)
    notes = NoteBook(n)
    d = s["sign"].to_numpy(dtype=float)
    vb = panel.values[:, 0]
    b = panel.times[:, 0]
    vT = s["target"].to_numpy(dtype=float)
    T = s["t_time"].to_numpy(dtype=float)
    has_base = panel.mask[:, 0]
    has_target = np.isfinite(vT) & np.isfinite(T)
    n_after = np.count_nonzero(panel.mask[:, 1:], axis=1)
    last = np.where(n_after > 0, n_after, 0)  # column of the latest point (0 = base)
    rows = np.arange(n)
    t = panel.times[rows, last]
    vt = panel.values[rows, last]
    latest_period = panel.periods[rows, last]
    latest_is_obs = (n_after > 0) | panel.base_from_obs
    kind = s["kind"].to_numpy(dtype=object)

    # --- hard cases that stop a measure -------------------------------------------------
    no_data = has_base & ~latest_is_obs
    notes.add("no_observation", no_data & ~np.isin(rows, list(panel.dropped_partial)),
              "基期之后没有观测值，无法评价", "no observation after the baseline: not assessed")
    notes.add("no_baseline_no_data", ~has_base,
              "未设基期值且没有观测值，无法评价", "no baseline and no observation: not assessed")
    notes.add_rows("baseline_from_first_observation", panel.base_from_obs & (n_after > 0),
                   lambda i: (f"未设基期值，以首个观测值（{panel.periods[i, 0]}：{vb[i]:.6g}）为基期",
                              f"no baseline declared: the first observation ({panel.periods[i, 0]}: {vb[i]:.6g}) is the base"))
    notes.add_rows("single_observation_is_base", panel.base_from_obs & (n_after == 0),
                   lambda i: (f"仅有一个观测值（{panel.periods[i, 0]}），且未设基期值：只判断是否已达目标，不计算增速和预测",
                              f"only one observation ({panel.periods[i, 0]}) and no baseline: only checked against the "
                              "target; no growth or projection"))
    notes.add("single_observation", has_base & ~panel.base_from_obs & (n_after == 1),
              "基期后仅有一个观测值：增速按基期值至该值计算，不做趋势回归",
              "only one observation after the baseline: growth measured from the baseline value; no trend regression")
    for i, pers in panel.dropped_partial.items():
        notes.add_one("flow_partial_year_ignored", i,
                      f"流量指标的年内数据（{'、'.join(pers)}）不与年度目标比较，已剔除",
                      f"partial-year values of a flow indicator ({', '.join(pers)}) are never compared with an annual "
                      "target: left out")
    stock_partial = panel.partial[rows, last] & (n_after > 0)
    notes.add_rows("partial_year_latest", stock_partial,
                   lambda i: (f"最新值为年内数据（{latest_period[i]}）：存量/比率指标按当期水平与目标比较",
                              f"the latest value is partial-year ({latest_period[i]}): a {kind[i]} indicator is "
                              "compared with the target at its level"))
    proxy = panel.any_proxy | s["proxy"].to_numpy(dtype=bool)
    notes.add("proxy_series", proxy, "采用替代指标（口径与规划指标不完全一致）",
              "proxy series: its definition differs from the plan's indicator")
    notes.add("no_target", ~has_target, "未设目标值：只按增长速度分类（opensdg、unsd），其他方案无法评价",
              "no target: only the growth classes of opensdg and unsd apply")

    # --- progress and time shares ---------------------------------------------------------
    span_v = vT - vb
    span_t = T - b
    same_value = has_target & has_base & (span_v == 0)
    same_time = has_target & has_base & (span_t == 0)
    notes.add("baseline_equals_target", same_value,
              "基期值等于目标值：目标为保持水平，进度比例无定义", "baseline equals target: the target is to hold the level; "
              "progress share undefined")
    notes.add("target_period_is_baseline_period", same_time, "目标期与基期相同：时间进度无定义",
              "target period equals baseline period: time share undefined")
    achieved = has_target & latest_is_obs & (d * (vt - vT) >= 0)
    beyond = has_target & has_base & ~panel.base_from_obs & (d * (vb - vT) > 0)
    notes.add("baseline_beyond_target", beyond, "基期值已优于目标值", "the baseline already beats the target")
    held_short = has_target & (same_value | beyond) & (n_after > 0) & ~achieved
    moved = n_after > 0  # shares need a latest value distinct from the base point
    progress_share = np.where(moved, growth.ratio(vt - vb, span_v), np.nan)
    time_share = np.where(moved, growth.ratio(t - b, span_t), np.nan)
    past_target = has_target & (t >= T) & (n_after > 0)
    notes.add("latest_past_target_period", past_target, "最新观测期已到或超过目标期",
              "the latest observation is at or after the target period")

    # --- growth -----------------------------------------------------------------------------
    years = t - b
    cagr_a = growth.cagr(vb, vt, years)
    cagr_r = np.where(has_target, growth.cagr(vb, vT, span_t), np.nan)
    compound_ok = growth.compound_defined(vb, vt) & (~has_target | growth.compound_defined(vb, vT))
    needs_growth = latest_is_obs & (n_after > 0)
    fallback = needs_growth & ~compound_ok
    notes.add("compound_undefined_linear_used", fallback,
              "存在零或负值，复合增长率无定义：改用线性增长", "zero or negative values: compound growth undefined, linear used")
    growth_ratio = growth.ratio(cagr_a, cagr_r)
    linear_ratio = growth.ratio(progress_share, time_share)
    growth_ratio = np.where(fallback, linear_ratio, growth_ratio)
    growth_method = np.where(fallback, "linear", "compound")
    rel_linear = growth.ratio(growth.linear_rate(vb, vt, years), np.abs(vb))
    signed_growth = d * np.where(fallback, rel_linear, cagr_a)

    # --- expected value on the trajectory ----------------------------------------------------
    method = s["trajectory"].fillna("linear").to_numpy(dtype=object)
    expected = trajectory.linear(vb, vT, b, T, t)
    comp = method == "compound"
    if comp.any():
        ce = trajectory.compound(vb, vT, b, T, t)
        bad = comp & ~np.isfinite(ce) & has_target
        notes.add("compound_trajectory_undefined", bad, "复合增长轨迹无定义（零或负值）：改用线性轨迹",
                  "compound trajectory undefined (zero or negative values): linear path used")
        expected = np.where(comp & np.isfinite(ce), ce, expected)
    pts = method == "points"
    if pts.any():
        for ind in pd.unique(s.loc[pts, "indicator"]):
            sel = pts & (s["indicator"].to_numpy() == ind)
            first = int(np.flatnonzero(sel)[0])
            declared = s["trajectory_points"].iloc[first]
            px = np.array([b[first], *(p[0] for p in declared), T[first]], dtype=float)
            py = np.array([vb[first], *(p[1] for p in declared), vT[first]], dtype=float)
            ok = np.isfinite(px) & np.isfinite(py)
            order = np.argsort(px[ok], kind="stable")
            expected[sel] = trajectory.points(px[ok][order], py[ok][order], t[sel])
    expected = np.where(has_target & latest_is_obs, expected, np.nan)

    # --- projection to the target period -----------------------------------------------------
    proj_c = np.where(fallback, projection.linear(vb, vt, b, t, T), projection.compound(vt, cagr_a, t, T))
    proj_c = np.where(past_target, vt, proj_c)
    proj_c = np.where(has_target & needs_growth, proj_c, np.nan)
    n_points = n_after + panel.mask[:, 0]
    reg = projection.weighted_regression(panel.times, panel.values, panel.mask, T, float(ap["regression_weight_power"]))
    reg_ok = has_target & (n_points >= int(ap["regression_min_points"])) & ~past_target
    proj_r = np.where(reg_ok, reg, np.nan)
    projected_share = growth.ratio(proj_c - vb, span_v)
    projected_share_r = growth.ratio(proj_r - vb, span_v)

    # --- stale data -----------------------------------------------------------------------------
    freq = s["frequency"].to_numpy(dtype=object)
    plen = np.ones(n)
    for f, length in PERIOD_LEN.items():
        plen[freq == f] = length
    age = (ref_time - t) / plen
    stale = latest_is_obs & np.isfinite(age) & (age > float(ap["stale_periods"]) + 1e-9)
    notes.add_rows("stale", stale,
                   lambda i: (f"数据陈旧：最新值（{latest_period[i]}）比参照期早 {age[i]:.3g} 个周期（阈值 {ap['stale_periods']:g}）",
                              f"stale data: the latest value ({latest_period[i]}) is {age[i]:.3g} periods older than "
                              f"the reference period (threshold {ap['stale_periods']:g})"))

    # --- status ------------------------------------------------------------------------------------
    assessable = latest_is_obs & has_base & ((n_after > 0) | achieved)
    m = Measures(achieved=achieved, has_target=has_target, assessable=assessable, held_short=held_short,
                 progress_share=progress_share, time_share=time_share, growth_ratio=growth_ratio,
                 projected_share=projected_share, growth=signed_growth)
    status = classify(scheme, m, sp)
    notes.add("status_not_assessed", (status == None) & latest_is_obs,  # noqa: E711  (object array)
              f"按方案 {scheme} 的所需数据不足，未给出状态", f"not enough data for a status under scheme {scheme}")
    notes.add("held_level_not_met", held_short & (status != None),  # noqa: E711
              "目标为保持水平而最新值未达到：按最差档评价", "the level to hold is not met: rated in the worst class")

    labels = STATUS_LABELS[scheme]
    zh = np.full(n, None, dtype=object)
    en = np.full(n, None, dtype=object)
    for code, (lz, le) in labels.items():
        hit = status == code
        zh[hit] = lz
        en[hit] = le
    params_json = record(scheme, sp, ap)
    ref_period = as_of if as_of else None
    columns = {
        "indicator": s["indicator"].to_numpy(dtype=object),
        "unit": _only(s["unit"].notna().to_numpy(), s["unit"].to_numpy(dtype=object)),
        "direction": np.where(d > 0, "increase", "decrease"),
        "baseline_period": _only(has_base, panel.periods[:, 0]),
        "baseline": np.where(has_base, vb, np.nan),
        "target_period": s["target_period"].to_numpy(dtype=object),
        "target": vT,
        "latest_period": _only(latest_is_obs, latest_period),
        "latest": np.where(latest_is_obs, vt, np.nan),
        "progress_share": progress_share,
        "time_share": time_share,
        "expected": expected,
        "cagr_actual": np.where(needs_growth, cagr_a, np.nan),
        "cagr_required": cagr_r,
        "growth_ratio": np.where(needs_growth, growth_ratio, np.nan),
        "projected": proj_c,
        "projected_share": projected_share,
        "status": status,
        "scheme": scheme,
        "notes": notes.text("en"),
        "status_zh": zh,
        "status_en": en,
        "notes_zh": notes.text("zh"),
        "note_codes": notes.codes(),
        "achieved": achieved,
        "kind": kind,
        "attribute": s["attribute"].to_numpy(dtype=object),
        "proxy": proxy,
        "trajectory": method,
        "gap": np.where(latest_is_obs, vt - expected, np.nan),
        "gap_to_target": np.where(latest_is_obs & has_target, vT - vt, np.nan),
        "growth_method": _only(needs_growth, growth_method),
        "projected_regression": proj_r,
        "projected_share_regression": projected_share_r,
        "n_observations": n_after + panel.base_from_obs.astype(int),
        "stale": stale,
        "age_periods": np.where(latest_is_obs, age, np.nan),
        "reference_period": ref_period,
        "name_zh": s["name_zh"].to_numpy(dtype=object),
        "name_en": s["name_en"].to_numpy(dtype=object),
        "scheme_params": params_json,
    }
    # Object columns stay object (None, not NaN, for a missing text; no per-row string conversion).
    index = pd.RangeIndex(n)
    out = pd.DataFrame({
        k: pd.Series(v, index=index, dtype=object if _is_text(v) else None, copy=False) for k, v in columns.items()
    }, index=index, copy=False)
    return out[CONTRACT_COLUMNS + EXTRA_COLUMNS]
