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

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from planmon.framework.model import Indicator
from planmon.framework.targets import basis_words
from planmon.monitor import edges, forms, growth, projection, trajectory
from planmon.monitor import series as several
from planmon.monitor.growth import FloatArray
from planmon.monitor.notes import NoteBook
from planmon.monitor.panel import InputError, Panel, build_panel, indicator_specs, normalise_observations
from planmon.monitor.params import record, resolve
from planmon.monitor.schemes import OFFICE_STATUS_LABELS, STATUS_LABELS, Coded, Measures, classify_codes, opensdg_score
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
    "series", "level", "score", "natural_limit", "limit_factor",
    "target_basis", "target_basis_zh", "target_basis_en", "target_source", "national_target", "national_baseline",
    # target forms and re-based baselines (issue 19)
    "target_form", "target_text_zh", "target_text_en", "achieved_change", "failed_periods", "baseline_printed",
    "baseline_printed_period",
]


@dataclass
class Core:
    """The numeric result of the vectorised pass, one element per series (see :func:`measures`)."""

    sign: FloatArray
    has_base: NDArray[np.bool_]
    latest_is_obs: NDArray[np.bool_]
    needs_growth: NDArray[np.bool_]
    last: NDArray[np.intp]
    baseline: FloatArray
    target: FloatArray
    latest: FloatArray
    progress_share: FloatArray
    time_share: FloatArray
    expected: FloatArray
    cagr_actual: FloatArray
    cagr_required: FloatArray
    growth_ratio: FloatArray
    projected: FloatArray
    projected_share: FloatArray
    status: Coded
    achieved: NDArray[np.bool_]
    proxy: NDArray[np.bool_]
    fallback: NDArray[np.bool_]
    gap: FloatArray
    gap_to_target: FloatArray
    projected_regression: FloatArray
    projected_share_regression: FloatArray
    n_observations: NDArray[np.intp]
    stale: NDArray[np.bool_]
    age_periods: FloatArray
    notes: NoteBook
    score: FloatArray | None = None  # Open SDG's −5…+5 score (issue 20); None for the other schemes
    scale: FloatArray | None = None  # Open SDG's natural-limit factor C; None where no limit applies


#: The two directions as a pandas text array (taken by index: no per-row string inference).
_DIRECTION = pd.Series(np.array(["decrease", "increase"])).array


def _only(mask: np.ndarray[Any, Any], values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``values`` where ``mask``, None elsewhere (an object column, so JSON shows null)."""
    out = np.array(values, dtype=object)  # a copy
    out[~mask] = None
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
    multi = several.has_series(obs, specs)
    if multi:
        obs, specs = several.fold(obs, specs)
    panel = build_panel(specs, obs, base_year=sp.get("base_year"), base_fallback=sp.get("base_year_fallback", "after"),
                        target_year=sp.get("target_year"))
    if multi:
        several.unfold(panel.series)
        return several.combine(_compute(panel, scheme, sp, ap, ref_time, as_of), scheme, sp)
    return _compute(panel, scheme, sp, ap, ref_time, as_of)


def measures(panel: Panel, scheme: str, sp: dict[str, Any], ap: dict[str, Any], ref_time: float) -> Core:
    """The numeric pass: float/bool arrays over all series, statuses as codes, notes as masks.

    No text is formatted and no object column is built here (see :func:`frame`).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _measures(panel, scheme, sp, ap, ref_time)


def _measures(panel: Panel, scheme: str, sp: dict[str, Any], ap: dict[str, Any], ref_time: float) -> Core:
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
    n_after = _count_after(panel.mask)
    moved = n_after > 0  # shares need a latest value distinct from the base point
    last = n_after  # column of the latest point (0 = base): the points after the base are packed from column 1
    # Flat positions of the latest points in the column-major arrays (one gather per array).
    at_last = last * n + np.arange(n)
    t = _latest(panel.times, at_last)
    vt = _latest(panel.values, at_last)
    base_from_obs = panel.base_from_obs
    latest_is_obs = moved | base_from_obs
    periods = panel.periods

    # --- hard cases that stop a measure -------------------------------------------------
    dropped = np.zeros(n, dtype=bool)
    dropped[list(panel.dropped_partial)] = True
    notes.add("no_observation", has_base & ~latest_is_obs & ~dropped,
              "基期之后没有观测值，暂无法评估", "no observation after the baseline: not assessed")
    notes.add("no_baseline_no_data", ~has_base & ~panel.no_base_in_window,
              "未设基期值且没有观测值，暂无法评估", "no baseline and no observation: not assessed")
    by = panel.base_year if panel.base_year is not None else np.nan
    notes.add("target_year_assumed", panel.target_year_assumed,
              f"目标值未注明目标期：按方案 {scheme} 的规则取 {sp.get('target_year') or 0:g} 年",
              f"the target has no period: {sp.get('target_year') or 0:g} by the rule of scheme {scheme}")
    notes.add("no_data_from_base_year", panel.no_base_in_window,
              f"未设基期值，且基准年 {by:g} 及以后没有观测值：暂无法评估",
              f"no baseline declared and no observation in or after the base year {by:g}: not assessed")
    notes.add_rows("baseline_from_base_year", panel.base_after_first & moved,
                   lambda i: (f"未设基期值：按基准年 {by:g} 规则，以 {periods[i, 0]} 的观测值（{vb[i]:.6g}）为基期",
                              f"no baseline declared: by the base-year rule ({by:g}), the observation of "
                              f"{periods[i, 0]} ({vb[i]:.6g}) is the base"))
    notes.add_rows("baseline_from_first_observation", base_from_obs & moved & ~panel.base_after_first,
                   lambda i: (f"未设基期值，以首个观测值（{periods[i, 0]}：{vb[i]:.6g}）为基期",
                              f"no baseline declared: the first observation ({periods[i, 0]}: {vb[i]:.6g}) is the base"))
    notes.add_rows("single_observation_is_base", base_from_obs & ~moved,
                   lambda i: (f"仅有一个观测值（{periods[i, 0]}），且未设基期值：只判断是否已达目标，不计算增速和预测",
                              f"only one observation ({periods[i, 0]}) and no baseline: only checked against the "
                              "target; no growth or projection"))
    notes.add("single_observation", has_base & ~base_from_obs & (n_after == 1),
              "基期后仅有一个观测值：增速按基期值至该值计算，不做趋势回归",
              "only one observation after the baseline: growth measured from the baseline value; no trend regression")
    dropped_partial = panel.dropped_partial
    notes.add_rows("flow_partial_year_ignored", dropped,
                   lambda i: (f"流量指标的年内数据（{'、'.join(dropped_partial[i])}）不与年度目标比较，已剔除",
                              f"partial-year values of a flow indicator ({', '.join(dropped_partial[i])}) are never "
                              "compared with an annual target: left out"))
    stock_partial = _latest(panel.partial, at_last) & moved
    notes.add_rows("partial_year_latest", stock_partial,
                   lambda i: (f"最新值为年内数据（{periods[i, last[i]]}）：存量/比率指标按当期水平与目标比较",
                              f"the latest value is partial-year ({periods[i, last[i]]}): a {s['kind'].iat[i]} "
                              "indicator is compared with the target at its level"))
    proxy = panel.any_proxy | s["proxy"].to_numpy(dtype=bool)
    notes.add("proxy_series", proxy, "采用替代指标（口径与规划指标不完全一致）",
              "proxy series: its definition differs from the plan's indicator")
    notes.add("no_target", ~has_target, "未设目标值：只按增长速度分类（opensdg、unsd），其他方案暂无法评估",
              "no target: only the growth classes of opensdg and unsd apply")

    # --- progress and time shares ---------------------------------------------------------
    span_v = vT - vb
    span_t = T - b
    target_and_base = has_target & has_base
    same_value = target_and_base & (span_v == 0)
    same_time = target_and_base & (span_t == 0)
    notes.add("baseline_equals_target", same_value,
              "基期值等于目标值：目标为保持水平，进度比例无定义", "baseline equals target: the target is to hold the level; "
              "progress share undefined")
    notes.add("target_period_is_baseline_period", same_time, "目标期与基期相同：时间进度无定义",
              "target period equals baseline period: time share undefined")
    achieved = has_target & latest_is_obs & (d * (vt - vT) >= 0)
    fp = panel.forms
    if fp is not None:  # a strict comparator (> 7) is not met exactly on it (issue 19)
        achieved &= ~forms.strict_miss(fp, d, vt, vT)
    beyond = target_and_base & ~base_from_obs & (d * (vb - vT) > 0)
    notes.add("baseline_beyond_target", beyond, "基期值已优于目标值", "the baseline already beats the target")
    held_short = has_target & (same_value | beyond) & moved & ~achieved
    years = t - b
    progress_share = growth.ratio(vt - vb, span_v, moved)
    if fp is not None:  # an annual-growth target: its share on the log scale (the required path is p = τ)
        progress_share = forms.log_share(fp, vb, vt, vT, progress_share, moved)
    time_share = growth.ratio(years, span_t, moved)
    past_target = has_target & (t >= T) & moved
    notes.add("latest_past_target_period", past_target, "最新观测期已到或超过目标期",
              "the latest observation is at or after the target period")

    # --- growth -----------------------------------------------------------------------------
    pos_b = vb > 0
    pos_t = pos_b & (vt > 0)
    pos_T = pos_b & (vT > 0)
    cagr_a = growth.cagr(vb, vt, years, pos_t)
    cagr_r = growth.cagr(vb, vT, span_t, pos_T & has_target)
    compound_ok = pos_t & (~has_target | pos_T)
    needs_growth = latest_is_obs & moved
    fallback = needs_growth & ~compound_ok
    growth_ratio = np.where(fallback, growth.ratio(progress_share, time_share), growth.ratio(cagr_a, cagr_r))
    rel_linear = growth.ratio(growth.linear_rate(vb, vt, years), np.abs(vb))
    signed_growth = d * np.where(fallback, rel_linear, cagr_a)
    cagr_proj = cagr_a
    # The publisher's own rules for zero and negative values and natural limits (opensdg, unsd; edges.py).
    edge = edges.publisher(scheme, sp, panel, vb=vb, vt=vt, vT=vT, years=years, span_t=span_t, d=d,
                           has_target=has_target, needs_growth=needs_growth, notes=notes)
    if edge is not None:
        cagr_a, cagr_r, growth_ratio, signed_growth = edge.cagr_actual, edge.cagr_required, edge.ratio, edge.growth
        cagr_proj = edge.cagr_projection
        fallback = np.zeros(n, dtype=bool)
        held_short &= ~edge.unrated
    notes.add("compound_undefined_linear_used", fallback,
              "存在零或负值，复合增长率无定义：改用线性增长", "zero or negative values: compound growth undefined, linear used")

    # --- expected value on the trajectory ----------------------------------------------------
    expected = trajectory.linear(vb, vT, b, T, t)
    comp = panel.compound_path
    if comp.any():
        ce = trajectory.compound(vb, vT, b, T, t)
        fin = np.isfinite(ce)
        notes.add("compound_trajectory_undefined", comp & ~fin & has_target, "复合增长轨迹无定义（零或负值）：改用线性轨迹",
                  "compound trajectory undefined (zero or negative values): linear path used")
        expected = np.where(comp & fin, ce, expected)
    pts = panel.points_path
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
    expected[~(has_target & latest_is_obs)] = np.nan

    # --- projection to the target period -----------------------------------------------------
    proj_c = np.where(fallback, projection.linear(vb, vt, b, t, T), projection.compound(vt, cagr_proj, t, T))
    proj_c = np.where(past_target, vt, proj_c)
    proj_c[~(has_target & needs_growth)] = np.nan
    n_points = n_after + has_base
    # The base point comes first and the later points are in time order: the first point is known.
    t_first = np.where(has_base, b, panel.times[:, 1]) if panel.times.shape[1] > 1 else np.where(has_base, b, np.inf)
    reg = projection.weighted_regression(panel.times, panel.values, panel.mask, T, float(ap["regression_weight_power"]),
                                         t_first)
    reg_ok = has_target & (n_points >= int(ap["regression_min_points"])) & ~past_target
    proj_r = np.where(reg_ok, reg, np.nan)
    projected_share = growth.ratio(proj_c - vb, span_v)
    projected_share_r = growth.ratio(proj_r - vb, span_v)

    # --- stale data -----------------------------------------------------------------------------
    age = (ref_time - t) / panel.period_len
    stale = latest_is_obs & np.isfinite(age) & (age > float(ap["stale_periods"]) + 1e-9)
    notes.add_rows("stale", stale,
                   lambda i: (f"数据陈旧：最新值（{periods[i, last[i]]}）比参照期早 {age[i]:.3g} 个周期（阈值 {ap['stale_periods']:g}）",
                              f"stale data: the latest value ({periods[i, last[i]]}) is {age[i]:.3g} periods older than "
                              f"the reference period (threshold {ap['stale_periods']:g})"))

    forms.note_rebased(panel, notes)

    # --- status ------------------------------------------------------------------------------------
    assessable = latest_is_obs & has_base & (moved | achieved)
    m = Measures(achieved=achieved, has_target=has_target, assessable=assessable, held_short=held_short,
                 progress_share=progress_share, time_share=time_share, growth_ratio=growth_ratio,
                 projected_share=projected_share, growth=signed_growth, scale=edge.scale if edge else None)
    status = classify_codes(scheme, m, sp)
    judged = None
    if fp is not None:  # bounds, relations, qualitative targets: their own rules (planmon.monitor.forms)
        judged = forms.judge(panel, fp, notes)
        status = forms.recode(status, judged, scheme)
        notes.drop(("no_target", "compound_undefined_linear_used", "baseline_from_first_observation", "partial_year_latest",
                    "single_observation_is_base", "single_observation"), judged.blank)
        achieved = achieved & ~judged.blank
        m.achieved = achieved
    rated = status.index >= 0
    notes.add("status_not_assessed", ~rated & latest_is_obs,
              f"按方案 {scheme} 的所需数据不足，未给出状态", f"not enough data for a status under scheme {scheme}")
    notes.add("held_level_not_met", held_short & rated,
              "目标为保持水平而最新值未达到：按最差档评价", "the level to hold is not met: rated in the worst class")

    nan_unless = _nan_unless
    if judged is not None and judged.blank.any():
        keep = ~judged.blank
        progress_share, time_share, expected = nan_unless(keep, progress_share), nan_unless(keep, time_share), \
            nan_unless(keep, expected)
        cagr_r, growth_ratio, proj_c = nan_unless(keep, cagr_r), nan_unless(keep, growth_ratio), nan_unless(keep, proj_c)
        projected_share, proj_r = nan_unless(keep, projected_share), nan_unless(keep, proj_r)
        projected_share_r = nan_unless(keep, projected_share_r)
        needs_growth = needs_growth & keep
    if fp is not None and fp.rates.any():  # an index chained from rates: its levels are not shown
        expected, proj_c, proj_r = nan_unless(~fp.rates, expected), nan_unless(~fp.rates, proj_c), \
            nan_unless(~fp.rates, proj_r)
        vT_gap = nan_unless(~fp.rates, vT)
    else:
        vT_gap = vT
    return Core(
        sign=d, has_base=has_base, latest_is_obs=latest_is_obs, needs_growth=needs_growth, last=last,
        baseline=nan_unless(has_base, vb), target=vT, latest=nan_unless(latest_is_obs, vt),
        progress_share=progress_share, time_share=time_share, expected=expected,
        cagr_actual=nan_unless(needs_growth, cagr_a), cagr_required=cagr_r,
        growth_ratio=nan_unless(needs_growth, growth_ratio), projected=proj_c, projected_share=projected_share,
        status=status, achieved=achieved, proxy=proxy, fallback=fallback,
        gap=nan_unless(latest_is_obs, vt - expected), gap_to_target=nan_unless(latest_is_obs & has_target, vT_gap - vt),
        projected_regression=proj_r, projected_share_regression=projected_share_r,
        n_observations=n_after + base_from_obs.astype(int), stale=stale, age_periods=nan_unless(latest_is_obs, age),
        notes=notes, score=_score(m, status, judged) if scheme == "opensdg" else None, scale=m.scale,
    )


def _score(m: Measures, status: Coded, judged: forms.Judged | None) -> FloatArray:
    """Open SDG's score; none for a bound, a relation or a qualitative target (no progress value)."""
    score = opensdg_score(m, status)
    return score if judged is None else np.where(judged.blank, np.nan, score)


def _count_after(mask: NDArray[np.bool_]) -> NDArray[np.intp]:
    """Points after the base per series: column sums in bytes (ten times cheaper than a row count)."""
    n, width = mask.shape
    if width < 2:
        return np.zeros(n, dtype=np.intp)
    acc = mask[:, 1].view(np.uint8).copy() if width <= 256 else mask[:, 1].astype(np.intp)
    for j in range(2, width):
        acc += mask[:, j].view(np.uint8)
    return acc.astype(np.intp)


def _latest(a: NDArray[Any], at: NDArray[np.intp]) -> NDArray[Any]:
    """``a[i, last[i]]`` for every row, given the flat column-major positions ``at``."""
    return np.take(a.T.ravel(), at)


def _nan_unless(keep: NDArray[np.bool_], values: FloatArray) -> FloatArray:
    out: FloatArray = np.where(keep, values, np.nan)
    return out


def frame(panel: Panel, core: Core, scheme: str, sp: dict[str, Any], ap: dict[str, Any],
          as_of: str | None) -> pd.DataFrame:
    """The output table: the numeric arrays plus the text columns, built once at the edge."""
    s = panel.series
    n = len(s)
    labels = {**STATUS_LABELS[scheme], **OFFICE_STATUS_LABELS}
    last = core.last
    # the target forms (issue 19): shown baseline, target and latest; the target as printed; changes achieved
    shown = forms.output_columns(panel, panel.forms, core.baseline, core.target, core.latest, core.cagr_actual, last)
    columns = {
        "indicator": s["indicator"].to_numpy(dtype=object),
        "unit": _only(s["unit"].notna().to_numpy(), s["unit"].to_numpy(dtype=object)),
        "direction": _DIRECTION.take((core.sign > 0).view(np.int8)),
        "baseline_period": _only(core.has_base, panel.periods[:, 0]),
        "baseline": shown["baseline"],
        "target_period": s["target_period"].to_numpy(dtype=object),
        "target": shown["target"],
        "latest_period": _only(core.latest_is_obs, _latest(panel.periods, last * n + np.arange(n))),
        "latest": shown["latest"],
        "progress_share": core.progress_share,
        "time_share": core.time_share,
        "expected": core.expected,
        "cagr_actual": core.cagr_actual,
        "cagr_required": core.cagr_required,
        "growth_ratio": core.growth_ratio,
        "projected": core.projected,
        "projected_share": core.projected_share,
        "status": core.status.take(),
        "scheme": scheme,
        "notes": core.notes.text("en"),
        "status_zh": core.status.take({c: lz for c, (lz, _le) in labels.items()}),
        "status_en": core.status.take({c: le for c, (_lz, le) in labels.items()}),
        "notes_zh": core.notes.text("zh"),
        "note_codes": core.notes.codes(),
        "achieved": core.achieved,
        "kind": s["kind"].to_numpy(dtype=object),
        "attribute": s["attribute"].to_numpy(dtype=object),
        "proxy": core.proxy,
        "trajectory": panel.trajectory,
        "gap": core.gap,
        "gap_to_target": core.gap_to_target,
        "growth_method": np.array([None, "compound", "linear"], dtype=object)[
            core.needs_growth.view(np.int8) + (core.needs_growth & core.fallback).view(np.int8)],
        "projected_regression": core.projected_regression,
        "projected_share_regression": core.projected_share_regression,
        "n_observations": core.n_observations,
        "stale": core.stale,
        "age_periods": core.age_periods,
        "reference_period": as_of if as_of else None,
        "name_zh": s["name_zh"].to_numpy(dtype=object),
        "name_en": s["name_en"].to_numpy(dtype=object),
        "scheme_params": record(scheme, sp, ap),
        "series": s["series"].to_numpy(dtype=object) if "series" in s.columns else None,
        "level": "indicator",
        "score": core.score if core.score is not None else np.nan,
        "natural_limit": s["natural_limit"].to_numpy(dtype=float) if "natural_limit" in s.columns else np.nan,
        "limit_factor": core.scale if core.scale is not None else np.nan,
        **_basis_columns(s, core),
        **{k: v for k, v in shown.items() if k not in ("baseline", "target", "latest")},
    }
    # Object columns stay object (None, not NaN, for a missing text; no per-row string conversion).
    index = pd.RangeIndex(n)
    out = pd.DataFrame({
        k: pd.Series(v, index=index, dtype=object if _is_text(v) else None, copy=False) for k, v in columns.items()
    }, index=index, copy=False)
    return out[CONTRACT_COLUMNS + EXTRA_COLUMNS]


def _basis_columns(s: pd.DataFrame, core: Core) -> dict[str, Any]:
    """``target_basis`` of every row (see :mod:`planmon.monitor.basis`) and its words.

    A table that declares targets itself (no basis column: a bring-your-own table, a unit-specific
    indicator table) holds each unit's own targets: ``own_plan`` where a target is given, ``none`` where not.
    """
    declared = s["target_basis"].to_numpy(dtype=object)
    has_target = np.isfinite(core.target)
    if "target_form" in s.columns:  # a rate, a bound, a relation… is the row's own target too (issue 19)
        has_target = has_target | (s["target_form"].fillna("level").to_numpy(dtype=object) != "level")
    fallback = np.where(has_target, "own_plan", "none").astype(object)
    basis = np.where(pd.isna(declared), fallback, declared).astype(object)
    codes, uniq = pd.factorize(pd.Series(basis, dtype=object))
    zh = np.array([basis_words(str(u), "zh") for u in uniq] or [""], dtype=object)[codes]
    en = np.array([basis_words(str(u), "en") for u in uniq] or [""], dtype=object)[codes]
    return {"target_basis": basis, "target_basis_zh": zh, "target_basis_en": en,
            "target_source": s["target_source"].to_numpy(dtype=object),
            "national_target": s["national_target"].to_numpy(dtype=float),
            "national_baseline": s["national_baseline"].to_numpy(dtype=float)}


def _compute(panel: Panel, scheme: str, sp: dict[str, Any], ap: dict[str, Any], ref_time: float,
             as_of: str | None) -> pd.DataFrame:
    return frame(panel, measures(panel, scheme, sp, ap, ref_time), scheme, sp, ap, as_of)
