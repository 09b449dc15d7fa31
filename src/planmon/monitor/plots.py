"""Plots of monitoring: one indicator's path against its plan, and where all indicators of a plan stand.

- :func:`plot_trajectory` — the observed series of one indicator in one unit, the planned path
  from baseline to target (the same formulas as the assessment's expected value,
  :mod:`planmon.monitor.trajectory`), the target, and the projection to the target year the
  status rests on; the status in the corner.
- :func:`plot_status` — for one unit, each indicator's progress towards its target against
  the share of the plan period elapsed, coloured by status class; for many units (``unit=None``),
  per indicator the share of units in each status class.

Both read the assessment table (:func:`planmon.monitor.assess`, :func:`assess_store`, a
snapshot's ``assessments``), so a plot cannot disagree with the table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planmon.plotting import ACTUAL, NO_STATUS, PLAN, PROJECTION, STATUS_COLOURS, figure_and_axes, language, shorten, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from planmon.framework import Framework, Indicator


def _time(period: Any) -> float:
    from planmon.periods import Period

    return float(Period.parse(str(period)).time)


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _row(assessment: pd.DataFrame | Mapping[str, Any] | None, indicator: str, unit: str) -> dict[str, Any]:
    """The assessment row of (indicator, unit) as a dict; ``{}`` when there is none."""
    if assessment is None:
        return {}
    if isinstance(assessment, Mapping):
        return {str(k): v for k, v in assessment.items()}
    hit = assessment[(assessment["indicator"] == indicator) & (assessment["unit"].astype(str) == unit)]
    return {str(k): v for k, v in hit.iloc[0].items()} if len(hit) else {}


def is_national(unit: str, framework: Framework | None = None) -> bool:
    """Whether ``unit`` is the nation, whose baseline and target the plan's indicator table states."""
    if framework is not None:
        return any(u.id == unit and u.kind == "region" and u.level == "nation" for u in framework.units)
    return unit == "CN"


def plan_path(row: Mapping[str, Any], meta: Indicator | None = None) -> list[tuple[float, float]]:
    """The planned path, one point per year from baseline to target (linear, compound or the declared points).

    From the assessment row's baseline, target and method (a unit's own or derived target),
    else from the framework's indicator (pass ``meta`` only for the nation: the plan's national
    baseline and target are no province's). The formulas are the assessment's
    (:mod:`planmon.monitor.trajectory`): the dashed line is the expected value it compares with.
    """
    from planmon.monitor import trajectory as tr

    b, vb = _num(_time(row["baseline_period"])) if row.get("baseline_period") else None, _num(row.get("baseline"))
    T, vt = _num(_time(row["target_period"])) if row.get("target_period") else None, _num(row.get("target"))
    method = str(row.get("trajectory") or "")
    if meta is not None:
        if (b is None or vb is None) and meta.baseline:
            b, vb = _time(meta.baseline.period), meta.baseline.value
        if (T is None or vt is None) and meta.target:
            T, vt = _time(meta.target.period), meta.target.value
        method = method or meta.trajectory.method
        if method == "points" and meta.trajectory.points:
            pts = sorted([(_time(p.period), p.value) for p in meta.trajectory.points]
                         + ([(b, vb)] if b is not None and vb is not None else [])
                         + ([(T, vt)] if T is not None and vt is not None else []))
            return pts
    if b is None or vb is None or T is None or vt is None or b >= T:
        return []
    years = np.arange(math.floor(b), math.floor(T) + 1, dtype=float)
    years = np.unique(np.concatenate([[b], years[(years > b) & (years < T)], [T]]))
    args = (np.full_like(years, vb), np.full_like(years, vt), np.full_like(years, b), np.full_like(years, T), years)
    ys = tr.compound(*args) if method == "compound" and vb > 0 and vt > 0 else tr.linear(*args)
    return [(float(x), float(y)) for x, y in zip(years, ys, strict=True)]


def status_label(code: str | None, lang: str, scheme: str = "ndrc", entered: bool = False) -> str | None:
    """The status class in the reader's language (None without a status); ``entered``: a status the planning
    office entered for a qualitative target, marked as such (as the report marks it)."""
    from planmon import vocab

    if not code:
        return None
    try:
        text = vocab.status(code, "en" if lang == "en" else "zh", scheme)
    except LookupError:
        text = code
    return text + t(lang, "（规划办认定）", " (entered by the planning office)") if entered else text


def plot_trajectory(observations: pd.DataFrame, indicator: str, *, unit: str = "CN",
                    assessment: pd.DataFrame | Mapping[str, Any] | None = None, framework: Framework | None = None,
                    meta: Indicator | None = None, plan: Sequence[tuple[Any, float]] | None = None,
                    projection: bool = True, title: bool | str = True, ylabel: str | None = None,
                    status_text: str | None = None, ax: Axes | None = None, lang: str = "zh") -> Figure:
    """One indicator in one unit: observed values, planned path, target, projection and status; returns the Figure.

    ``observations``: long table (indicator, unit, period, value; ``status`` ``partial_year`` is drawn
    hollow), e.g. ``store.current_observations()``. ``assessment``: the assessment table (or the
    row itself) giving the unit's baseline, target, method, projection and status. ``framework``
    (or ``meta``, the indicator) gives the name, the unit of measure and declared path points.
    ``plan``: the path as (period, value) pairs, overriding the computed one. ``status_text``: the
    status as the caller words it (default: the row's status class in ``lang``).

    Example::

        from planmon.monitor import assess_store
        from planmon.monitor.plots import plot_trajectory
        fig = plot_trajectory(store.current_observations(), "I01", unit="440000",
                              assessment=assess_store(store), framework=store.framework())
        fig.savefig("I01_guangdong.png")
    """
    lang = language(lang)
    from matplotlib.ticker import MaxNLocator

    if meta is None and framework is not None:
        meta = next((i for i in framework.indicators if i.id == indicator), None)
    row = _row(assessment, indicator, unit)
    obs = observations[(observations["indicator"] == indicator) & (observations["unit"].astype(str) == unit)]
    if obs.empty and not row and meta is None and not plan:
        from planmon.refusal import Refusal

        raise Refusal.of(f"指标 {indicator} 在单位 {unit} 没有观测值、评估结果或规划信息",
                         f"indicator {indicator} has no observations, assessment or plan for unit {unit}",
                         code="plot_input")
    fig, ax, _ = figure_and_axes(ax, (5.6, 2.8 if title else 2.6))
    # The plan's own baseline and target are the nation's: a province without a target of its own (or
    # compared on another basis) gets no national star or path drawn over its values.
    plan_meta = meta if is_national(unit, framework) else None
    path = [(_time(p), float(v)) for p, v in plan] if plan is not None else plan_path(row, plan_meta)
    if path:
        ax.plot([p for p, _ in path], [v for _, v in path], ls="--", lw=1.2, color=PLAN,
                label=t(lang, "规划轨迹", "plan trajectory"))
    tgt_p, tgt_v = row.get("target_period"), _num(row.get("target"))
    if (tgt_p is None or tgt_v is None) and plan_meta is not None and plan_meta.target is not None:
        tgt_p, tgt_v = plan_meta.target.period, plan_meta.target.value
    if tgt_p is not None and tgt_v is not None:
        ax.plot([_time(tgt_p)], [tgt_v], marker="*", ms=11, color=PLAN, ls="none", label=t(lang, "目标", "target"))
    if len(obs):
        times = np.array([_time(p) for p in obs["period"]])
        vals = obs["value"].to_numpy(dtype=float)
        part = (obs["status"] == "partial_year").to_numpy() if "status" in obs.columns else np.zeros(len(obs), bool)
        order = np.argsort(times[~part], kind="stable")
        if (~part).any():
            ax.plot(times[~part][order], vals[~part][order], marker="o", ms=4, lw=1.6, color=ACTUAL,
                    label=t(lang, "实际值", "actual"))
        if part.any():
            ax.plot(times[part], vals[part], marker="o", ms=4, mfc="white", ls="none", color=ACTUAL,
                    label=t(lang, "年中数", "partial year"))
    proj = _num(row.get("projected"))
    last_p, last_v = row.get("latest_period"), _num(row.get("latest"))
    if projection and proj is not None and last_p and last_v is not None and tgt_p is not None:
        ax.plot([_time(last_p), _time(tgt_p)], [last_v, proj], ls=":", lw=1.4, color=PROJECTION,
                label=t(lang, "预测", "projection"))
        ax.plot([_time(tgt_p)], [proj], marker="o", ms=5, mfc="white", color=PROJECTION, ls="none")
    if ylabel is None and meta is not None:
        ylabel = meta.unit_en if lang == "en" and meta.unit_en else meta.unit
    if ylabel:
        ax.set_ylabel(ylabel)
    code = row.get("status") if isinstance(row.get("status"), str) and row.get("status") else None
    label = status_text or status_label(code, lang, str(row.get("scheme") or "ndrc"), row.get("entered") is True)
    if label:
        ax.set_title(t(lang, "状态：", "Status: ") + label, loc="right", fontsize=8.5,
                     color=STATUS_COLOURS.get(str(code), "#555"))
    if title:
        name = title if isinstance(title, str) else _name(meta, row, indicator, lang)
        where = "" if isinstance(title, str) or unit == "CN" else f" · {_unit_name(framework, unit, lang)}"
        ax.set_title(shorten(name, 22 if label else 40) + where, loc="left", fontsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", lw=0.4, alpha=0.5)
    ax.legend(frameon=False, fontsize=7.5, loc="upper left", ncols=2)
    return fig


def _name(meta: Indicator | None, row: Mapping[str, Any], code: str, lang: str) -> str:
    if meta is not None:
        return meta.name_en if lang == "en" and meta.name_en else meta.name_zh
    zh, en = row.get("name_zh"), row.get("name_en")
    return str((en if lang == "en" and en else zh) or code)


def _unit_name(framework: Framework | None, unit: str, lang: str) -> str:
    from planmon.geo.tilegrid import TILES, tile_label

    if framework is not None:
        for u in framework.units:
            if u.id == unit:
                return u.name_en if lang == "en" and u.name_en else u.name_zh
    return next((tile_label(tl, lang) for tl in TILES if tl.code == unit), unit)


def plot_status(assessment: pd.DataFrame, *, unit: str | None = "CN", scheme: str | None = None,
                framework: Framework | None = None, cap: float = 2.0, ax: Axes | None = None,
                lang: str = "zh") -> Figure:
    """Where every indicator of a plan stands; returns the Figure.

    With ``unit`` (default the nation): one row per indicator, a dot at its progress towards the
    target (share of the baseline→target distance covered, capped at ``cap``), a grey tick at
    the share of the plan period elapsed, coloured and grouped by status class; indicators
    without a status are listed last. With ``unit=None``: per indicator, the share of units in
    each status class (stacked bars), for a table of many units.

    Example::

        from planmon.monitor import assess_store
        from planmon.monitor.plots import plot_status
        plot_status(assess_store(store)).savefig("status.png")
        plot_status(assess_store(store), unit=None)      # every province at once
    """
    lang = language(lang)
    from planmon.monitor.schemes import OFFICE_STATUS_LABELS, STATUS_ORDER

    sch = scheme or (str(assessment["scheme"].dropna().iloc[0]) if "scheme" in assessment.columns
                     and assessment["scheme"].notna().any() else "ndrc")
    order = [*STATUS_ORDER.get(sch, STATUS_ORDER["ndrc"]), *OFFICE_STATUS_LABELS]
    names = {i.id: (i.name_en if lang == "en" and i.name_en else i.name_zh) for i in framework.indicators} \
        if framework is not None else {}

    def name_of(code: str, r: Mapping[str, Any]) -> str:
        if code in names:
            return shorten(names[code], 30 if lang == "en" else 18)
        zh, en = r.get("name_zh"), r.get("name_en")
        n = (en if lang == "en" and isinstance(en, str) and en else zh) if isinstance(zh, str) and zh else code
        return shorten(str(n), 30 if lang == "en" else 18)

    if unit is None:
        return _status_shares(assessment, order, sch, name_of, ax, lang)
    d = assessment[assessment["unit"].astype(str) == unit].copy()
    if d.empty:
        from planmon.refusal import Refusal

        raise Refusal.of(f"评估表中没有单位 {unit}", f"the assessment has no unit {unit}", code="plot_input")
    rank = {c: i for i, c in enumerate(order)}
    d["_k"] = d["status"].map(lambda s: rank.get(s, len(order)) if isinstance(s, str) and s else len(order) + 1)
    d = d.sort_values(["_k", "progress_share"], ascending=[True, False], kind="stable").reset_index(drop=True)
    n = len(d)
    fig, ax, _ = figure_and_axes(ax, (6.4, max(2.4, 0.26 * n + 1.3)))
    ys = np.arange(n)[::-1]
    prog = d["progress_share"].to_numpy(dtype=float)
    time_share = d["time_share"].to_numpy(dtype=float)
    shown = np.clip(prog, -0.2, cap)
    counts: dict[str, int] = {}
    for y, p, raw, s, ts in zip(ys, shown, prog, d["status"], time_share, strict=True):
        code = s if isinstance(s, str) and s else None
        colour = STATUS_COLOURS.get(str(code), NO_STATUS)
        key = code or "none"
        counts[key] = counts.get(key, 0) + 1
        if not math.isnan(ts):
            ax.plot([ts * 100, ts * 100], [y - 0.32, y + 0.32], color="#888", lw=1.2)
        if math.isnan(p):
            ax.text(2, y, t(lang, "无数据", "no data"), va="center", fontsize=7, color=NO_STATUS)
            continue
        ax.plot([0, p * 100], [y, y], color=colour, lw=1.0, alpha=0.5)
        ax.plot([p * 100], [y], "o" if p < cap else ">", color=colour, ms=6)
        if raw > cap:  # beyond the axis: the arrow says so, the label gives the value
            ax.text(cap * 100 - 3, y + 0.12, f"{raw * 100:.0f}%", ha="right", va="bottom", fontsize=6.5, color=colour)
    ax.set_yticks(ys, [name_of(str(c), {str(k): v for k, v in r.items()})
                       for c, r in zip(d["indicator"], d.to_dict("records"), strict=True)],
                  fontsize=8 if n <= 20 else 7)
    ax.set_xlim(-22, cap * 100 + 8)
    ax.set_ylim(-0.7, n - 0.3)
    ax.axvline(100, color="#333", lw=0.8, ls="--")
    ax.set_xlabel(t(lang, "完成进度（基期到目标的距离已完成的百分比；灰色竖线为时间进度）",
                    "progress (% of the baseline→target distance covered; grey tick: time elapsed)"))
    ax.grid(axis="x", lw=0.4, alpha=0.5)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=STATUS_COLOURS.get(c, NO_STATUS), marker="o", ls="none", ms=6,
                      label=f"{status_label(c, lang, sch)}（{counts[c]}）" if lang != "en"
                      else f"{status_label(c, lang, sch)} ({counts[c]})") for c in order if counts.get(c)]
    if counts.get("none"):
        handles.append(Line2D([], [], color=NO_STATUS, marker="o", ls="none", ms=6,
                              label=t(lang, f"未评估（{counts['none']}）", f"not assessed ({counts['none']})")))
    ax.legend(handles=handles, loc="lower right", fontsize=7, frameon=True, framealpha=0.92, edgecolor="none")
    who = _unit_name(framework, unit, lang)
    ax.set_title(t(lang, f"各指标进展与状态 · {who}", f"Progress and status of every indicator · {who}"),
                 fontsize=9, loc="left")
    return fig


def _status_shares(assessment: pd.DataFrame, order: list[str], scheme: str, name_of: Any, ax: Axes | None,
                   lang: str) -> Figure:
    """Per indicator, the share of units in each status class (stacked horizontal bars)."""
    a = assessment[["indicator", "status"]].copy()
    a["status"] = a["status"].where(a["status"].isin(order), "_none")
    tab = pd.crosstab(a["indicator"], a["status"]).reindex(columns=[*order, "_none"], fill_value=0)
    share = tab.div(tab.sum(axis=1), axis=0)
    first = assessment.drop_duplicates("indicator").set_index("indicator")
    n = len(share)
    fig, ax, own = figure_and_axes(ax, (6.4, max(2.4, 0.24 * n + 1.5)))
    ys = np.arange(n)[::-1]
    left = np.zeros(n)
    for c in [*order, "_none"]:
        v = share[c].to_numpy(dtype=float) * 100
        if not v.any():
            continue
        label = t(lang, "未评估", "not assessed") if c == "_none" else status_label(c, lang, scheme)
        ax.barh(ys, v, left=left, height=0.7, color=STATUS_COLOURS.get(c, NO_STATUS), label=label, lw=0)
        left += v
    ax.set_yticks(ys, [name_of(str(i), {k: first.loc[i].get(k) for k in ("name_zh", "name_en")} if "name_zh"
                               in first.columns else {}) for i in share.index], fontsize=8 if n <= 20 else 7)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, n - 0.4)
    units = assessment["unit"].nunique()
    ax.set_xlabel(t(lang, f"各状态单位所占比例（%，共 {units} 个单位）", f"share of units by status (%, {units} units)"))
    if own:
        fig.legend(loc="outside lower center", ncols=min(5, len(order) + 1), fontsize=7, frameon=False)
    else:
        ax.legend(loc="lower right", fontsize=7)
    ax.set_title(t(lang, "各指标的状态分布", "Status of every indicator across units"), fontsize=9, loc="left")
    return fig
