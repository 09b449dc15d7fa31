"""Apply the rules of :mod:`planmon.collect.rules` to a raw frame, vectorised.

Everything is computed column-wise on the whole frame (a million rows take about
a second); findings are then built only for the rows that fail, at most
:data:`MAX_PER_RULE` per rule so that a wholly wrong file still gets a readable
report. Warnings compare the file with what is already accepted in the store
(series breaks, a series equal to another unit's, provinces against the nation,
a changed accepted value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from planmon.collect.rules import RULES, STATUSES, Finding, short
from planmon.collect.values import indicator_lookup, map_codes, norm_key, parse_numbers, resolve, unit_lookup
from planmon.framework import Framework
from planmon.periods import Period, PeriodError

MAX_PER_RULE = 1000
KEY = ["indicator", "unit", "period"]


@dataclass
class Options:
    break_factor: float = 3.0  # a change beyond ×3 or ÷3 against the previous period is a possible break
    national_tolerance: float = 0.2  # provinces may sum to the nation ±20 % (statistical discrepancy)
    min_series: int = 3  # a series equal to another unit's is suspicious from three periods on
    today: date | None = None
    #: the units the uploader may report for (None: any unit); a row naming another unit is an error
    scope: frozenset[str] | None = None


@dataclass
class Checked:
    """The rows that passed every error rule (``frame``) and all findings."""

    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    warned: pd.DataFrame | None = None  # rows × warning rule (index aligned with frame)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(self, df: pd.DataFrame, mask: np.ndarray | pd.Series, rule: str, fld: str,
            message: Any, value_col: str | None = None) -> None:
        """Findings for the rows of ``df`` under ``mask``; ``message(row) -> (zh, en)``."""
        m = np.asarray(mask, dtype=bool)
        total = int(m.sum())
        if not total:
            return
        sub = df[m].head(MAX_PER_RULE)
        vcol = value_col or fld
        for d in sub.to_dict("records"):
            zh, en = message(d)
            self.findings.append(Finding(d["file"], d["sheet"], _int(d["row"]), d.get(f"col_{fld}", "") or "",
                                         fld, short(d.get(vcol)), rule, zh, en))
        if total > MAX_PER_RULE:
            first = sub.iloc[0]
            self.findings.append(Finding(
                str(first["file"]), "", None, "", fld, "", "too_many_findings",
                f"规则 {rule} 另有 {total - MAX_PER_RULE} 处问题未列出",
                f"{total - MAX_PER_RULE} more findings of rule {rule} are not listed",
            ))


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _period_norm(raw: Any) -> str | None:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return None
    try:
        return str(Period.parse(norm_key(raw).upper()))
    except PeriodError:
        return None


def _now_time(today: date | None) -> float:
    t = today or date.today()
    return Period(t.year, "monthly", t.month).time


def check(raw: pd.DataFrame, fw: Framework, current: pd.DataFrame, opts: Options | None = None,
          denominators: pd.DataFrame | None = None) -> Checked:
    """Validate ``raw`` (rows of :data:`planmon.collect.readers.COLUMNS` plus ``file``) against ``fw``.

    ``current`` holds the accepted current values (columns indicator, unit, period, value);
    ``denominators`` the units' sizes (:meth:`planmon.store.Store.denominators`) for bounds such as
    "internet users ≤ population".
    """
    opts = opts or Options()
    c = _Collector()
    df = raw.reset_index(drop=True)
    n = len(df)
    ind_by_id = {x.id: x for x in fw.indicators}
    unit_by_id = {u.id: u for u in fw.units}

    ind = resolve(df["indicator"], indicator_lookup(fw))
    unit = resolve(df["unit"], unit_lookup(fw))
    period = map_codes(df["period"], _period_norm)
    bad = np.zeros(n, dtype=bool)

    m = ind.isna().to_numpy()
    c.add(df, m, "unknown_indicator", "indicator", lambda d: (
        f"未知指标“{short(d['indicator'])}”：应为框架中的指标代码或名称（如 I01、网民规模）",
        f"unknown indicator '{short(d['indicator'])}': use an indicator id or name of the framework (e.g. I01)"))
    bad |= m
    m = unit.isna().to_numpy()
    c.add(df, m, "unknown_unit", "unit", lambda d: (
        f"未知填报单位“{short(d['unit'])}”：应为 GB/T 2260 代码或名称（如 330000、浙江、浙江省）",
        f"unknown reporting unit '{short(d['unit'])}': use a GB/T 2260 code or a name (e.g. 330000, 浙江, 浙江省)"))
    bad |= m

    if opts.scope is not None:
        m = (unit.notna() & ~unit.isin(opts.scope)).to_numpy()
        c.add(df.assign(_unit=unit), m, "outside_scope", "unit", lambda d: (
            f"单位 {d['_unit']} 不在您负责的填报范围内：整份文件未写入，请只填报本单位的数据",
            f"unit {d['_unit']} is outside the units you report for: nothing in the file was written; "
            "report your own units only"))
        bad |= m

    # who may report what: the indicator's reporters, else any region
    kind = unit.map({k: u.kind for k, u in unit_by_id.items()}).to_numpy()
    ind_arr = ind.to_numpy()
    allowed = (kind == "region") | unit.isna().to_numpy() | ind.isna().to_numpy()
    for x in fw.indicators:
        if x.reporters:
            here = ind_arr == x.id
            allowed[here] = unit[here].isin(x.reporters).to_numpy()
    m = ~allowed
    if m.any():
        c.add(df.assign(_ind=ind, _unit=unit), m, "unit_not_reporter", "unit", lambda d: (
            f"单位 {d['_unit']} 不负责报送指标 {d['_ind']}", f"unit {d['_unit']} does not report indicator {d['_ind']}"))
    bad |= m

    m = period.isna().to_numpy()
    c.add(df, m, "bad_period", "period", lambda d: (
        f"无法识别的期别“{short(d['period'])}”：应为 2024、2024Q3 或 2024-10",
        f"unrecognised period '{short(d['period'])}': expected 2024, 2024Q3 or 2024-10"))
    bad |= m
    now_t = _now_time(opts.today)
    ptime_map = {p: Period.parse(p).time for p in pd.unique(period.dropna())}
    ptime = period.map(ptime_map).to_numpy(dtype=float, na_value=np.nan)
    m = ptime > now_t + 1e-9
    c.add(df.assign(_p=period), m, "future_period", "period", lambda d: (
        f"期别 {d['_p']} 尚未结束，不能填报", f"period {d['_p']} has not ended yet and cannot be reported"))
    bad |= m
    m = np.zeros(n, dtype=bool)
    per_arr = period.to_numpy()
    for x in fw.indicators:
        if x.frequency != "annual":
            misfit = [p for p in ptime_map if not Period.parse(p).fits(x.frequency)]
            m |= (ind_arr == x.id) & np.isin(per_arr, misfit)
    c.add(df.assign(_ind=ind, _p=period), m, "period_frequency", "period", lambda d: (
        f"期别 {d['_p']} 与指标 {d['_ind']} 的报送频率（{ind_by_id[d['_ind']].frequency}）不符",
        f"period {d['_p']} does not fit the frequency of indicator {d['_ind']} ({ind_by_id[d['_ind']].frequency})"))
    bad |= m

    values, percent, empty = parse_numbers(df["value"])
    c.add(df, empty, "missing_value", "value", lambda d: ("数值为空", "the value is empty"))
    bad |= empty
    m = np.isnan(values) & ~empty
    c.add(df, m, "not_a_number", "value", lambda d: (
        f"“{short(d['value'])}”不是数字（可写 1234.5、1,234.5 或 12.3%）",
        f"'{short(d['value'])}' is not a number (write 1234.5, 1,234.5 or 12.3%)"))
    bad |= m

    ind_unit = ind.map({k: v.unit for k, v in ind_by_id.items()})
    is_pct = (ind_unit == "%").to_numpy()
    m = percent & ~is_pct & ind.notna().to_numpy()
    c.add(df.assign(_ind=ind, _mu=ind_unit), m, "wrong_measure", "value", lambda d: (
        f"指标 {d['_ind']} 的计量单位是“{d['_mu']}”，不是百分比", f"indicator {d['_ind']} is measured in '{d['_mu']}', not in percent"))
    bad |= m
    measure = map_codes(df["measure"], lambda v: norm_key(v) if v is not None and v == v else "")
    accepted_mu = {k: {norm_key(v.unit), norm_key(v.unit_en or v.unit)} for k, v in ind_by_id.items()}
    m = np.zeros(n, dtype=bool)
    given = (measure != "").to_numpy() & ind.notna().to_numpy()
    if given.any():
        mu = measure.to_numpy()
        for ind_id in pd.unique(ind_arr[given]):
            here = given & (ind_arr == ind_id)
            m[here] = ~np.isin(mu[here], list(accepted_mu[ind_id]))
    c.add(df.assign(_ind=ind, _mu=ind_unit), m, "wrong_measure", "measure", lambda d: (
        f"计量单位“{short(d['measure'])}”与指标 {d['_ind']} 的“{d['_mu']}”不符，请换算后填报",
        f"unit of measure '{short(d['measure'])}' differs from indicator {d['_ind']}'s '{d['_mu']}': convert before reporting"))
    bad |= m

    lo = ind.map({k: (v.plausible.min if v.plausible and v.plausible.min is not None else -np.inf)
                  for k, v in ind_by_id.items()}).to_numpy(dtype=float, na_value=-np.inf)
    hi = ind.map({k: (v.plausible.max if v.plausible and v.plausible.max is not None else np.inf)
                  for k, v in ind_by_id.items()}).to_numpy(dtype=float, na_value=np.inf)
    with np.errstate(invalid="ignore"):
        m = (values < lo) | (values > hi)
    c.add(df.assign(_ind=ind, _v=values, _lo=lo, _hi=hi), m, "out_of_range", "value", lambda d: (
        f"数值 {d['_v']:g} 超出指标 {d['_ind']} 的合理范围 [{_fmt(d['_lo'])}, {_fmt(d['_hi'])}]",
        f"value {d['_v']:g} is outside indicator {d['_ind']}'s plausible range [{_fmt(d['_lo'])}, {_fmt(d['_hi'])}]"))
    bad |= m

    bad |= _implausible(df, ind, unit, values, ptime, fw, denominators, c, skip=bad.copy())

    st_raw = map_codes(df["status"], lambda v: norm_key(v) if v is not None and v == v else "")
    st_map = {s: ("final" if s == "" else STATUSES.get(s)) for s in pd.unique(st_raw)}
    status = st_raw.map(st_map)
    m = status.isna().to_numpy()
    c.add(df, m, "bad_status", "status", lambda d: (
        f"无法识别的数据状态“{short(d['status'])}”：应为 final/最终、preliminary/初步、estimated/估计 或 partial_year",
        f"unrecognised status '{short(d['status'])}': use final, preliminary, estimated or partial_year"))
    bad |= m

    ki, _ = pd.factorize(ind.to_numpy(object))
    ku, u_names = pd.factorize(unit.to_numpy(object))
    kp, p_names = pd.factorize(period.to_numpy(object))
    has_key = (ki >= 0) & (ku >= 0) & (kp >= 0)
    key = (ki.astype(np.int64) * (len(u_names) + 1) + ku) * (len(p_names) + 1) + kp
    dup = np.zeros(n, dtype=bool)
    if has_key.any():
        keys = pd.Series(key[has_key])
        d_mask = keys.duplicated(keep="first").to_numpy()
        if d_mask.any():
            where = np.flatnonzero(has_key)
            dup[where[d_mask]] = True
            first_at = pd.Series(where, index=key[has_key]).groupby(level=0).min()
            first = first_at.reindex(key).to_numpy()
            rows_arr, files_arr = df["row"].to_numpy(), df["file"].to_numpy()
            at = np.nan_to_num(first, nan=0).astype(int)
            fr = pd.Series(np.where(dup, rows_arr[at], None), index=df.index, dtype=object)
            ff = pd.Series(np.where(dup, files_arr[at], None), index=df.index, dtype=object)
            c.add(df.assign(_ind=ind, _unit=unit, _p=period, _first=fr, _ff=ff), dup,
                  "duplicate_key", "value", lambda d: (
                      f"{d['_ind']}/{d['_unit']}/{d['_p']} 重复：已见于 {d['_ff']} 第{_int(d['_first'])}行",
                      f"{d['_ind']}/{d['_unit']}/{d['_p']} appears twice: first in {d['_ff']} row {_int(d['_first'])}"))
    bad |= dup

    good = ~bad
    frame = pd.DataFrame({
        "indicator": ind[good].astype(object), "unit": unit[good].astype(object), "period": period[good].astype(object),
        "period_time": ptime[good], "value": values[good], "status": status[good].astype(object),
        "source": map_codes(df.loc[good, "source"], _txt), "note": map_codes(df.loc[good, "note"], _txt),
        "file": df.loc[good, "file"], "sheet": df.loc[good, "sheet"], "row": df.loc[good, "row"],
        "col_value": df.loc[good, "col_value"], "col_unit": df.loc[good, "col_unit"],
        "col_period": df.loc[good, "col_period"], "col_indicator": df.loc[good, "col_indicator"], "_src": df.loc[good, "_src"] if "_src" in df else 0,
    }).reset_index(drop=True)
    warned = _warnings(frame, fw, current, opts, c)
    return Checked(frame, c.findings, warned)


def _implausible(df: pd.DataFrame, ind: pd.Series, unit: pd.Series, values: np.ndarray, ptime: np.ndarray,
                 fw: Framework, denominators: pd.DataFrame | None, c: _Collector, skip: np.ndarray) -> np.ndarray:
    """Bounds that depend on the unit: a denominator of its own (value × scale ≤ ratio × population …),
    else its level's range. An error naming the bound and where it comes from, not a warning.
    Rows in ``skip`` already have an error (a bad period, a wrong measure …) and get no second one."""
    n = len(df)
    out = skip.copy()
    ind_arr = ind.to_numpy(object)
    level = unit.map({u.id: u.level for u in fw.units}).to_numpy(object)
    names = {u.id: (u.name_zh, u.name_en or u.name_zh) for u in fw.units}
    base = df.assign(_ind=ind, _unit=unit, _v=values)
    for x in fw.indicators:
        p = x.plausible
        if p is None or not (p.levels or p.max_per):
            continue
        here = (ind_arr == x.id) & np.isfinite(values) & ~skip
        if not here.any():
            continue
        x_zh, x_en = x.unit, x.unit_en or x.unit
        b = p.max_per
        if b is not None and denominators is not None and not denominators.empty:
            from planmon.denominators import DENOMINATORS, lookup

            kind = DENOMINATORS.get(b.denominator)
            found = lookup(denominators, b.denominator, unit.to_numpy(object)[here], ptime[here], max_lag=b.max_lag)
            dv = found["value"].to_numpy(dtype=float)
            bound = b.max_ratio * dv / b.scale
            over = np.zeros(n, dtype=bool)
            with np.errstate(invalid="ignore"):
                over[here] = values[here] > bound * (1 + 1e-9)
            if over.any():
                d = denominators[denominators["name"] == b.denominator]
                source = {(str(r["unit"]), str(r["period"])): str(r.get("source", "")) for r in d.to_dict("records")}
                extra = pd.DataFrame(index=df.index, columns=["_bound", "_dv", "_dp"], dtype=object)
                extra.loc[here, "_bound"] = bound
                extra.loc[here, "_dv"] = dv
                extra.loc[here, "_dp"] = found["period"].to_numpy(object)
                k_zh, k_en = (kind.name_zh, kind.name_en) if kind else (b.denominator, b.denominator)
                mu_zh, mu_en = (kind.unit, kind.unit_en) if kind else ("", "")
                times = "" if b.max_ratio == 1 else f" × {b.max_ratio:g}"

                def message(r: dict[str, Any], k_zh: str = k_zh, k_en: str = k_en, mu_zh: str = mu_zh,
                            mu_en: str = mu_en, x_zh: str = x_zh, x_en: str = x_en, times: str = times,
                            source: dict[tuple[str, str], str] = source) -> tuple[str, str]:
                    zh_src, en_src = _split_source(source.get((str(r["_unit"]), str(r["_dp"])), ""))
                    u_zh, u_en = names.get(str(r["_unit"]), (r["_unit"], r["_unit"]))
                    return (f"数值 {r['_v']:g}（{x_zh}）超过{u_zh}的合理上限 {float(r['_bound']):.4g}（{x_zh}）："
                            f"不能多于{k_zh}{times}，即 {float(r['_dv']):g}{mu_zh}（{r['_dp']} 年；来源：{zh_src or '未注明'}）",
                            f"value {r['_v']:g} ({x_en}) exceeds the plausible bound for {u_en} of "
                            f"{float(r['_bound']):.4g} ({x_en}): at most the {k_en}{times}, {float(r['_dv']):g} "
                            f"{mu_en} in {r['_dp']} (source: {en_src or 'not given'})")

                c.add(pd.concat([base, extra], axis=1), over, "implausible", "value", message)
                out |= over
        for lv, rng in p.levels.items():
            at = here & (level == lv) & ~out
            lo = max(-np.inf if rng.min is None else rng.min, -np.inf if p.min is None else p.min)
            hi = min(np.inf if rng.max is None else rng.max, np.inf if p.max is None else p.max)
            m = at & ((values < lo) | (values > hi))
            if m.any():
                src = _split_source(rng.source)
                lv_zh = LEVEL_ZH.get(lv, lv)
                c.add(base, m, "implausible", "value", lambda d, lo=lo, hi=hi, lv=lv, lv_zh=lv_zh, src=src, x_zh=x_zh, x_en=x_en: (
                    f"数值 {d['_v']:g}（{x_zh}）超出指标 {d['_ind']} 对{lv_zh}的合理范围 [{_fmt(lo)}, {_fmt(hi)}]"
                    + (f"（依据：{src[0]}）" if src[0] else ""),
                    f"value {d['_v']:g} ({x_en}) is outside indicator {d['_ind']}'s plausible range for a {lv} "
                    f"[{_fmt(lo)}, {_fmt(hi)}]" + (f" (basis: {src[1]})" if src[1] else "")))
                out |= m
    return out & ~skip


LEVEL_ZH = {"nation": "全国", "province": "省级单位", "prefecture": "地市", "county": "县级单位"}


def _split_source(text: str) -> tuple[str, str]:
    """``"中文来源 / English source"`` → both; a text in one language serves both."""
    zh, sep, en = text.partition(" / ")
    return (zh.strip(), en.strip()) if sep else (text.strip(), text.strip())


def _txt(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v).strip()


def _fmt(x: float) -> str:
    return "" if np.isinf(x) else f"{x:g}"


FREQ_CODE = {"annual": 0, "quarterly": 1, "monthly": 2}


@dataclass
class _Combined:
    """The file's rows over the accepted ones, as integer codes (sorting and grouping on ints, not strings).

    ``pos`` is the row of the file (-1 for an accepted value the file does not repeat); arrays are in
    series order: indicator, unit, frequency, time.
    """

    ind: np.ndarray
    unit: np.ndarray
    freq: np.ndarray
    period: np.ndarray
    time: np.ndarray
    value: np.ndarray
    pos: np.ndarray
    ind_names: np.ndarray
    unit_names: np.ndarray
    period_names: np.ndarray
    old: np.ndarray  # per file row: the accepted value it replaces, NaN if none


def _combine(frame: pd.DataFrame, cur: pd.DataFrame) -> _Combined:
    n, k = len(frame), len(cur)
    ci, ind_names = pd.factorize(np.concatenate([cur["indicator"].to_numpy(object), frame["indicator"].to_numpy(object)]))
    cu, unit_names = pd.factorize(np.concatenate([cur["unit"].to_numpy(object), frame["unit"].to_numpy(object)]))
    cp, period_names = pd.factorize(np.concatenate([cur["period"].to_numpy(object), frame["period"].to_numpy(object)]))
    parsed = [Period.parse(p) for p in period_names]
    t_u = np.array([p.time for p in parsed], dtype=float)
    f_u = np.array([FREQ_CODE[p.frequency] for p in parsed], dtype=np.int64)
    value = np.concatenate([cur["value"].to_numpy(dtype=float), frame["value"].to_numpy(dtype=float)])
    pos = np.concatenate([np.full(k, -1), np.arange(n)])
    key = (ci.astype(np.int64) * len(unit_names) + cu) * len(period_names) + cp
    old = np.full(n, np.nan)
    if k:
        acc = pd.Series(value[:k], index=key[:k])
        acc = acc[~acc.index.duplicated(keep="last")]
        old = acc.reindex(key[k:]).to_numpy(dtype=float)
        keep = ~pd.Series(key).duplicated(keep="last").to_numpy()  # the file's value wins
    else:
        keep = np.ones(n, dtype=bool)
    ci, cu, cp, value, pos = ci[keep], cu[keep], cp[keep], value[keep], pos[keep]
    order = np.lexsort((t_u[cp], f_u[cp], cu, ci))
    ci, cu, cp, value, pos = ci[order], cu[order], cp[order], value[order], pos[order]
    return _Combined(ci, cu, f_u[cp], cp, t_u[cp], value, pos, np.asarray(ind_names, dtype=object),
                     np.asarray(unit_names, dtype=object), np.asarray(period_names, dtype=object), old)


def _warnings(frame: pd.DataFrame, fw: Framework, current: pd.DataFrame, opts: Options,
              c: _Collector) -> pd.DataFrame:
    """Warning rules over the rows that passed; returns a boolean frame rows × rule."""
    n = len(frame)
    out = pd.DataFrame(False, index=frame.index, columns=["series_break", "duplicate_series", "national_total",
                                                          "revises_accepted"])
    if n == 0:
        return out
    cols = ["indicator", "unit", "period", "value"]
    cur = current[cols] if not current.empty else pd.DataFrame({c_: pd.Series(dtype=object) for c_ in cols})
    cur = cur[cur["indicator"].isin(pd.unique(frame["indicator"]))]
    cb = _combine(frame, cur)

    # a changed accepted value
    old = cb.old
    with np.errstate(invalid="ignore"):
        m = ~np.isnan(old) & ~np.isclose(frame["value"].to_numpy(dtype=float), old, rtol=1e-12, atol=0)
    out["revises_accepted"] = m
    c.add(frame.assign(_old=old), m, "revises_accepted", "value", lambda d: (
        f"{d['indicator']}/{d['unit']}/{d['period']} 已采纳的值为 {d['_old']:g}，本次为 {d['value']:g}：修改需说明原因",
        f"{d['indicator']}/{d['unit']}/{d['period']} has the accepted value {d['_old']:g}, this file gives "
        f"{d['value']:g}: a correction needs a reason"))

    # series break against the previous period of the same frequency
    same = np.zeros(len(cb.ind), dtype=bool)
    same[1:] = (cb.ind[1:] == cb.ind[:-1]) & (cb.unit[1:] == cb.unit[:-1]) & (cb.freq[1:] == cb.freq[:-1])
    prev = np.empty_like(cb.value)
    prev[0] = np.nan
    prev[1:] = cb.value[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = cb.value / prev
    f = opts.break_factor
    brk = same & (prev > 0) & (cb.value > 0) & ((ratio > f) | (ratio < 1 / f)) & (cb.pos >= 0)
    pos = cb.pos[brk]
    m = np.zeros(n, dtype=bool)
    m[pos] = True
    out["series_break"] = m
    c.add(frame.assign(_prev=pd.Series(prev[brk], index=pos).reindex(frame.index)), m, "series_break", "value",
          lambda d: (
              f"{d['indicator']}/{d['unit']}/{d['period']}：{d['value']:g} 与上期 {d['_prev']:g} 相比变化超过 {f:g} 倍，可能口径变化",
              f"{d['indicator']}/{d['unit']}/{d['period']}: {d['value']:g} against {d['_prev']:g} in the previous "
              f"period changes by more than ×{f:g}: a possible series break"))

    _duplicate_series(frame, cb, opts, out, c)
    _national_total(frame, cb, fw, opts, out, c)
    return out


def _duplicate_series(frame: pd.DataFrame, cb: _Combined, opts: Options, out: pd.DataFrame, c: _Collector) -> None:
    """A unit's whole series (its set of period → value) equal to another unit's, from ``min_series`` periods.

    Each series gets a signature (the sum of 64-bit hashes of its period-value pairs, with its length), so the
    comparison is one groupby instead of a loop over unit pairs; constant series are left alone.
    """
    with np.errstate(over="ignore"):
        h = (cb.period.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ cb.value.view(np.uint64)
        h = h * np.uint64(0xBF58476D1CE4E5B9)
    series = cb.ind.astype(np.int64) * len(cb.unit_names) + cb.unit
    g = pd.DataFrame({"s": series, "h": h, "v": cb.value})
    sig = g.groupby("s", sort=False).agg(h=("h", "sum"), n=("h", "size"), lo=("v", "min"), hi=("v", "max"))
    sig = sig[(sig["n"] >= opts.min_series) & (sig["lo"] != sig["hi"])].reset_index()
    sig["ind"] = sig["s"] // len(cb.unit_names)
    twins = sig[sig.duplicated(["ind", "h", "n"], keep=False)]
    m = np.zeros(len(frame), dtype=bool)
    other: dict[int, str] = {}
    if not twins.empty:
        in_file = cb.pos >= 0
        first_pos = pd.Series(cb.pos[in_file], index=series[in_file]).groupby(level=0).min()
        for _, grp in twins.groupby(["ind", "h", "n"]):
            names = [str(cb.unit_names[s % len(cb.unit_names)]) for s in grp["s"]]
            for s_, name in zip(grp["s"], names, strict=True):
                if s_ in first_pos.index:
                    i = int(first_pos[s_])
                    m[i] = True
                    other[i] = ", ".join(x for x in names if x != name)
    out["duplicate_series"] = m
    c.add(frame.assign(_other=pd.Series(other, dtype=object).reindex(frame.index)), m, "duplicate_series", "unit",
          lambda d: (f"{d['unit']} 的 {d['indicator']} 序列与 {d['_other']} 完全相同，可能填错了行",
                     f"the {d['indicator']} series of {d['unit']} equals that of {d['_other']}: possibly a mislabelled row"),
          value_col="unit")


def _national_total(frame: pd.DataFrame, cb: _Combined, fw: Framework, opts: Options, out: pd.DataFrame,
                    c: _Collector) -> None:
    """Provinces summing far above the nation (or, all present, far below) for additive indicators."""
    additive = {x.id for x in fw.indicators if x.kind in ("stock", "flow") and x.unit != "%"}
    provinces = {u.id for u in fw.provinces()}
    nation = {u.id for u in fw.units if u.level == "nation"}
    add_codes = np.flatnonzero(np.isin(cb.ind_names, list(additive)))
    prov_codes = np.flatnonzero(np.isin(cb.unit_names, list(provinces)))
    nat_codes = np.flatnonzero(np.isin(cb.unit_names, list(nation)))
    if not len(nat_codes) or not len(add_codes):
        return
    sel = np.isin(cb.ind, add_codes)
    is_nat = np.isin(cb.unit, nat_codes) & sel
    if not is_nat.any():
        return
    is_prov = np.isin(cb.unit, prov_codes) & sel
    cell = cb.ind.astype(np.int64) * len(cb.period_names) + cb.period
    prov = pd.DataFrame({"cell": cell[is_prov], "v": cb.value[is_prov], "pos": cb.pos[is_prov]}).groupby("cell").agg(
        sum=("v", "sum"), count=("v", "size"), pos=("pos", "max"))
    nat = pd.DataFrame({"cell": cell[is_nat], "nat": cb.value[is_nat], "npos": cb.pos[is_nat]}).set_index("cell")
    both = prov.join(nat, how="inner")
    both = both[(both["pos"] >= 0) | (both["npos"] >= 0)]  # the file takes part
    tol = opts.national_tolerance
    far = both[(both["sum"] > both["nat"] * (1 + tol))
               | ((both["count"] == len(provinces)) & (both["sum"] < both["nat"] * (1 - tol)))]
    m = np.zeros(len(frame), dtype=bool)
    info: dict[int, tuple[float, float]] = {}
    for cell_id, r in far.iterrows():
        # the finding sits on the national row when the file has it, else on the file's first provincial row
        if r["npos"] >= 0:
            i = int(r["npos"])
        else:
            here = (cell == cell_id) & is_prov & (cb.pos >= 0)
            i = int(cb.pos[here].min())
        m[i] = True
        info[i] = (float(r["sum"]), float(r["nat"]))
    out["national_total"] = m
    c.add(frame.assign(_s=pd.Series({k: v[0] for k, v in info.items()}, dtype=float).reindex(frame.index),
                       _n=pd.Series({k: v[1] for k, v in info.items()}, dtype=float).reindex(frame.index)),
          m, "national_total", "value", lambda d: (
              f"{d['indicator']} {d['period']}：各省合计 {d['_s']:g} 与全国 {d['_n']:g} 相差超过 {tol:.0%}",
              f"{d['indicator']} {d['period']}: provinces sum to {d['_s']:g}, the nation is {d['_n']:g} "
              f"(difference beyond {tol:.0%})"))


__all__ = ["RULES", "Checked", "Options", "check"]
