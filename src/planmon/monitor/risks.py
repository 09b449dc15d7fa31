"""Risk flags: which targets will be missed, where, and why (methods.md §3.7 point 5).

Each rule is named, has a severity, and explains itself in zh and en quoting the
numbers that triggered it; ``evidence`` holds the same numbers for machines.
Rules and thresholds are configurable: ``rules={"projected_shortfall":
{"threshold": 0.95}, "stale_data": {"enabled": False}}``. The conditions are
evaluated as array operations over all assessed series; only the flagged rows
are turned into messages.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from planmon.framework.model import Indicator
from planmon.monitor import series as several
from planmon.monitor.panel import indicator_specs, normalise_observations
from planmon.monitor.params import ParamError
from planmon.monitor.schemes import ON_TRACK, TO_BE_ENTERED
from planmon.periods import Period

RISK_COLUMNS = ["rule", "severity", "indicator", "unit", "message_zh", "message_en", "evidence"]
SEVERITIES = ("high", "medium", "low")

#: Every rule with its defaults; ``severity`` is the level of a flag unless the rule raises it.
RULE_DEFAULTS: dict[str, dict[str, Any]] = {
    # Projected value at the target period short of the target (projected share below threshold).
    "projected_shortfall": {"enabled": True, "severity": "medium", "threshold": 1.0, "high_below": 0.5},
    # Regressed since the baseline, or the latest change moves away from the target.
    "moving_away": {"enabled": True, "severity": "high"},
    # 时间过半、任务过半: once the time share reaches min_time_share, progress must keep up with it.
    "lagging_time": {"enabled": True, "severity": "medium", "min_time_share": 0.5, "tolerance": 0.0},
    # A binding (约束性) indicator whose status is not on track.
    "binding_off_track": {"enabled": True, "severity": "high"},
    # No observation after the baseline, or no baseline at all.
    "missing_data": {"enabled": True, "severity": "medium"},
    # Latest value older than the assessment's stale_periods.
    "stale_data": {"enabled": True, "severity": "low"},
    # A change between consecutive points larger than `jump` (relative) and, in absolute log terms,
    # more than `factor` × the series' median absolute log change.
    "series_break": {"enabled": True, "severity": "medium", "jump": 0.5, "factor": 3.0, "min_changes": 3},
}


#: Labels of the rules and severities for people (zh, en); machine output keeps the codes.
RULE_LABELS: dict[str, tuple[str, str]] = {
    "projected_shortfall": ("预计到期未达标", "projected shortfall"),
    "moving_away": ("偏离目标方向", "moving away from target"),
    "lagging_time": ("时间过半任务未过半", "behind time"),
    "binding_off_track": ("约束性指标未达进度", "binding indicator off track"),
    "missing_data": ("数据缺失", "missing data"),
    "stale_data": ("数据陈旧", "stale data"),
    "series_break": ("疑似口径变化", "suspected series break"),
}
SEVERITY_LABELS: dict[str, tuple[str, str]] = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}

#: Rules that judge a value against a target: their flag says which target (basis) and how much it weighs.
TARGET_RULES = ("projected_shortfall", "lagging_time", "binding_off_track")
#: A unit's shortfall against a target it never adopted — the national rate it is benchmarked on, or a target
#: derived at the national pace — is worth knowing, not an alarm: its severity is lowered one step. Only the
#: unit's own or decomposed target (and the nation's own plan) can raise a high flag.
_BENCHMARK_BASES = ("national_target", "national_pace")
_LOWER = {"high": "medium", "medium": "low", "low": "low"}
#: How a target-based flag opens, by basis (zh, en).
BASIS_LEADS: dict[str, tuple[str, str]] = {
    "own_plan": ("对照本级规划目标", "against its own plan's target"),
    "decomposed": ("对照上级分解目标", "against the target decomposed to it"),
    "national_pace": ("对照按全国目标增速推算的目标（非本地区承诺）",
                      "against a target derived at the national pace (not a commitment of the unit)"),
    "national_target": ("比率对标全国目标", "the rate benchmarked on the national target"),
}


def resolve_rules(rules: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    out = copy.deepcopy(RULE_DEFAULTS)
    for name, conf in (rules or {}).items():
        if name not in out:
            raise ParamError(f"未知的风险规则“{name}”", f"unknown risk rule '{name}'")
        if isinstance(conf, bool):
            out[name]["enabled"] = conf
            continue
        if not isinstance(conf, dict):
            raise ParamError(f"规则“{name}”的设置应为字典", f"settings of rule '{name}' must be a mapping")
        for k, v in conf.items():
            if k not in out[name]:
                raise ParamError(f"规则“{name}”没有参数“{k}”", f"rule '{name}' has no parameter '{k}'")
            if k == "severity" and v not in SEVERITIES:
                raise ParamError(f"严重程度“{v}”无效（high、medium、low）", f"severity '{v}' invalid (high, medium, low)")
            out[name][k] = v
    return out


def _f(x: Any, digits: int = 4) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    return "—" if not np.isfinite(v) else f"{v:.{digits}g}"


def _pct(x: Any) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    return "—" if not np.isfinite(v) else f"{v * 100:.1f}%"


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _name(row: pd.Series, lang: str) -> str:
    n = row.get("name_zh" if lang == "zh" else "name_en") or ""
    label = row.get("series")
    part = f" · {label}" if isinstance(label, str) and label else ""  # one series of several (issue 20)
    return f"{row['indicator']} {n}".strip() + part + (f"（{row['unit']}）" if lang == "zh" else f" ({row['unit']})")


class _Flags:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, rule: str, severity: Any, a: pd.DataFrame, mask: np.ndarray[Any, Any],
            text: Callable[[pd.Series], tuple[str, str, dict[str, Any]]]) -> None:
        sev = np.broadcast_to(np.asarray(severity, dtype=object), mask.shape)
        for i in np.flatnonzero(mask):
            row = a.iloc[int(i)]
            zh, en, ev = text(row)
            severity = sev[i]
            basis = row.get("target_basis")
            if (rule in TARGET_RULES or rule == "moving_away") and isinstance(basis, str) and basis in BASIS_LEADS:
                lead_zh, lead_en = BASIS_LEADS[basis]
                zh, en = f"{lead_zh}，{zh}", f"{lead_en}: {en}"
                ev = {**ev, "target_basis": basis}
                if rule in TARGET_RULES and basis in _BENCHMARK_BASES:
                    severity = _LOWER[str(severity)]
            self.rows.append({"rule": rule, "severity": severity, "indicator": row["indicator"], "unit": row["unit"],
                              "target_basis": basis if isinstance(basis, str) else None,
                              "message_zh": f"{_name(row, 'zh')}：{zh}", "message_en": f"{_name(row, 'en')}: {en}",
                              "evidence": {k: (_num(v) if isinstance(v, float | np.floating) else v)
                                           for k, v in ev.items()}})


def find_risks(assessments: pd.DataFrame, observations: pd.DataFrame, indicators: pd.DataFrame | list[Indicator], *,
               as_of: str | None = None, rules: dict[str, Any] | None = None) -> pd.DataFrame:
    """Risk flags for the assessed series; one row per (rule, indicator, unit)."""
    conf = resolve_rules(rules)
    a = assessments.reset_index(drop=True)
    fl = _Flags()
    if a.empty:
        return pd.DataFrame(columns=[*RISK_COLUMNS, "target_basis"])
    codes = a["note_codes"].tolist() if "note_codes" in a.columns else [[] for _ in range(len(a))]
    achieved = a["achieved"].to_numpy(dtype=bool)
    ps = a["projected_share"].to_numpy(dtype=float)
    p = a["progress_share"].to_numpy(dtype=float)
    tau = a["time_share"].to_numpy(dtype=float)
    d = np.where(a["direction"].to_numpy() == "decrease", -1.0, 1.0)

    c = conf["projected_shortfall"]
    if c["enabled"]:
        with np.errstate(invalid="ignore"):
            m = ~achieved & np.isfinite(ps) & (ps < float(c["threshold"]))
            sev = np.where(ps < float(c["high_below"]), "high", c["severity"])
        fl.add("projected_shortfall", sev, a, m, lambda r: (
            f"按{r['baseline_period']}至{r['latest_period']}的年均增速{_pct(r['cagr_actual'])}外推，"
            f"{r['target_period']}年预计为"
            f"{_f(r['projected'])}，未达到目标值{_f(r['target'])}（预计完成所需进展的{_pct(r['projected_share'])}"
            + (f"；加权回归预测为{_f(r['projected_regression'])}" if _num(r['projected_regression']) is not None else "")
            + "）",
            f"extrapolating the annual growth of {_pct(r['cagr_actual'])} from {r['baseline_period']} to "
            f"{r['latest_period']}, the value in "
            f"{r['target_period']} is projected at {_f(r['projected'])}, short of the target {_f(r['target'])} "
            f"({_pct(r['projected_share'])} of the required progress"
            + (f"; weighted regression projects {_f(r['projected_regression'])}"
               if _num(r['projected_regression']) is not None else "") + ")",
            {"latest_period": r["latest_period"], "latest": r["latest"], "target_period": r["target_period"],
             "target": r["target"], "projected": r["projected"], "projected_share": r["projected_share"],
             "projected_regression": r["projected_regression"], "cagr_actual": r["cagr_actual"],
             "growth_method": r["growth_method"]}))

    specs = indicator_specs(indicators)
    obs, _ = normalise_observations(observations)
    if as_of:
        obs = obs[obs["time"].to_numpy() <= Period.parse(str(as_of)).time + 1e-9]
    panel = several.build(specs, obs)  # several series of one indicator: one panel row each (issue 20)
    a_series = a["series"] if "series" in a.columns else pd.Series([None] * len(a))
    key = pd.MultiIndex.from_arrays([panel.series["indicator"].astype(str), panel.series["unit"].astype(str),
                                     panel.series["series"].astype(str)])
    pos = key.get_indexer(pd.MultiIndex.from_arrays([a["indicator"].astype(str), a["unit"].astype(str),
                                                     a_series.astype(str).to_numpy()]))
    found = pos >= 0
    pos_safe = np.where(found, pos, 0)
    n_after = panel.mask[:, 1:].sum(axis=1)[pos_safe] * found
    lastc = n_after
    prevc = np.maximum(n_after - 1, 0)
    v_last = panel.values[pos_safe, lastc]
    v_prev = panel.values[pos_safe, prevc]
    per_prev = panel.periods[pos_safe, prevc]

    c = conf["moving_away"]
    if c["enabled"]:
        with np.errstate(invalid="ignore"):
            regressed = np.isfinite(p) & (p < 0)
            recent = (n_after >= 1) & (d * (v_last - v_prev) < 0)
        m = ~achieved & found & (regressed | recent) & _has_direction_to_target(a)
        fl.add("moving_away", c["severity"], a, m, lambda r: (
            f"正在远离目标：最新值{_f(r['latest'])}（{r['latest_period']}），前一值{_f(v_prev[r.name])}"
            f"（{per_prev[r.name]}），基期值{_f(r['baseline'])}，目标值{_f(r['target'])}",
            f"moving away from the target: latest {_f(r['latest'])} ({r['latest_period']}), previous "
            f"{_f(v_prev[r.name])} ({per_prev[r.name]}), baseline {_f(r['baseline'])}, target {_f(r['target'])}",
            {"latest_period": r["latest_period"], "latest": r["latest"], "previous_period": per_prev[r.name],
             "previous": float(v_prev[r.name]), "baseline": r["baseline"], "target": r["target"],
             "progress_share": r["progress_share"]}))

    c = conf["lagging_time"]
    if c["enabled"]:
        with np.errstate(invalid="ignore"):
            m = ~achieved & np.isfinite(p) & np.isfinite(tau) & (tau >= float(c["min_time_share"])) & (
                p < tau * (1 - float(c["tolerance"])))
        fl.add("lagging_time", c["severity"], a, m, lambda r: (
            f"时间过半、任务未过半：时间进度{_pct(r['time_share'])}，完成进度仅{_pct(r['progress_share'])}"
            f"（{r['latest_period']}最新值{_f(r['latest'])}，按轨迹应为{_f(r['expected'])}）",
            f"progress behind time: {_pct(r['time_share'])} of the time has passed but only "
            f"{_pct(r['progress_share'])} of the way to the target is done (latest {_f(r['latest'])} in "
            f"{r['latest_period']}, expected {_f(r['expected'])} on the trajectory)",
            {"time_share": r["time_share"], "progress_share": r["progress_share"], "latest": r["latest"],
             "latest_period": r["latest_period"], "expected": r["expected"]}))

    c = conf["binding_off_track"]
    if c["enabled"] and "attribute" in a.columns:
        scheme = str(a["scheme"].iloc[0])
        st = a["status"].to_numpy(dtype=object)
        indicator_row = (a["level"] != "series").to_numpy() if "level" in a.columns else np.ones(len(a), dtype=bool)
        m = indicator_row & (a["attribute"].to_numpy() == "binding") & np.array(
            [s is not None and s not in ON_TRACK[scheme] and s != TO_BE_ENTERED for s in st], dtype=bool)
        fl.add("binding_off_track", c["severity"], a, m, lambda r: (
            f"约束性指标未按计划推进：状态为“{r['status_zh']}”（完成进度{_pct(r['progress_share'])}，"
            f"时间进度{_pct(r['time_share'])}）",
            f"binding indicator not on track: status '{r['status_en']}' (progress {_pct(r['progress_share'])}, "
            f"time {_pct(r['time_share'])})",
            {"status": r["status"], "scheme": r["scheme"], "progress_share": r["progress_share"],
             "time_share": r["time_share"]}))

    c = conf["missing_data"]
    if c["enabled"]:
        m = np.array([("no_observation" in cs) or ("no_baseline_no_data" in cs) for cs in codes], dtype=bool)
        fl.add("missing_data", c["severity"], a, m, lambda r: (
            f"基期（{r['baseline_period']}）之后没有观测值，无法监测进展" if r["baseline_period"] else "既无基期值也无观测值",
            f"no observation after the baseline ({r['baseline_period']}): progress cannot be monitored"
            if r["baseline_period"] else "neither a baseline nor any observation",
            {"baseline_period": r["baseline_period"], "target_period": r["target_period"]}))
        m2 = np.array(["baseline_from_first_observation" in cs or "single_observation_is_base" in cs
                       for cs in codes], dtype=bool)
        fl.add("missing_data", "low", a, m2, lambda r: (
            f"未设基期值，以首个观测值（{r['baseline_period']}）为基期", f"no baseline declared: the first observation "
            f"({r['baseline_period']}) serves as base", {"baseline_period": r["baseline_period"]}))

    c = conf["stale_data"]
    if c["enabled"]:
        m = a["stale"].to_numpy(dtype=bool) & found  # a row combining several series is flagged through them
        fl.add("stale_data", c["severity"], a, m, lambda r: (
            f"数据陈旧：最新值为{r['latest_period']}，距参照期已{_f(r['age_periods'], 3)}个周期",
            f"stale data: the latest value is from {r['latest_period']}, {_f(r['age_periods'], 3)} periods before "
            "the reference period",
            {"latest_period": r["latest_period"], "age_periods": r["age_periods"]}))

    c = conf["series_break"]
    if c["enabled"]:
        v = panel.values[pos_safe]
        mk = panel.mask[pos_safe] & found[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            ok = mk[:, 1:] & mk[:, :-1] & (v[:, :-1] > 0) & (v[:, 1:] > 0)
            rel = np.where(ok, v[:, 1:] / v[:, :-1] - 1.0, np.nan)
            absr = np.abs(np.log1p(rel))  # log changes: a doubling and a halving weigh the same
            n_ch = ok.sum(axis=1)
            med = np.full(len(a), np.nan)
            enough = n_ch >= int(c["min_changes"])
            if enough.any():
                med[enough] = np.nanmedian(absr[enough], axis=1)
            jump = enough[:, None] & (np.abs(rel) > float(c["jump"])) & (absr > float(c["factor"]) * med[:, None])
        m = jump.any(axis=1)
        k = np.where(m, np.argmax(np.where(jump, absr, -1.0), axis=1), 0)
        per = panel.periods[pos_safe]

        def brk(r: pd.Series) -> tuple[str, str, dict[str, Any]]:
            i = int(str(r.name))
            j = int(k[i])
            times_med = _f(absr[i, j] / med[i], 3)
            return (
                f"疑似序列断点：{per[i, j]}至{per[i, j + 1]}变化{_pct(rel[i, j])}，"
                f"其对数变化为各期对数变化中位数（{_f(med[i], 3)}）的{times_med}倍，请核实口径",
                f"suspected series break: {_pct(rel[i, j])} change from {per[i, j]} to {per[i, j + 1]}, its log "
                f"change is {times_med} times the median absolute log change ({_f(med[i], 3)}); check the definition",
                {"from_period": per[i, j], "to_period": per[i, j + 1], "change": float(rel[i, j]),
                 "median_abs_log_change": float(med[i])})

        fl.add("series_break", c["severity"], a, m, brk)

    # ``target_basis`` rides along for the report and the web (the CLI's JSON keeps RISK_COLUMNS)
    out = pd.DataFrame(fl.rows, columns=[*RISK_COLUMNS, "target_basis"])
    if out.empty:
        return out
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out["_o"] = out["severity"].map(order)
    out = out.sort_values(["_o", "indicator", "unit", "rule"], kind="stable").drop(columns=["_o"])
    return out.reset_index(drop=True)


def _has_direction_to_target(a: pd.DataFrame) -> NDArray[np.bool_]:
    """Rows whose target lies in a direction (a level, a growth, a change); not a bound, a relation or a
    qualitative target (issue 19), which are judged year by year or by the office."""
    if "target_form" not in a.columns:
        return np.ones(len(a), dtype=bool)
    return np.asarray(a["target_form"].isin(["level", "annual_growth", "cumulative_change"]).to_numpy(), dtype=bool)
