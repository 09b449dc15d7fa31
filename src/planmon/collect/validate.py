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
from typing import Any, cast

import numpy as np
import pandas as pd

from planmon.collect.rules import RULES, STATUSES, Finding, short
from planmon.collect.values import indicator_lookup, norm_key, parse_numbers, resolve, unit_lookup
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


def check(raw: pd.DataFrame, fw: Framework, current: pd.DataFrame, opts: Options | None = None) -> Checked:
    """Validate ``raw`` (rows of :data:`planmon.collect.readers.COLUMNS` plus ``file``) against ``fw``.

    ``current`` holds the accepted current values (columns indicator, unit, period, value).
    """
    opts = opts or Options()
    c = _Collector()
    df = raw.reset_index(drop=True)
    n = len(df)
    ind_by_id = {x.id: x for x in fw.indicators}
    unit_by_id = {u.id: u for u in fw.units}

    ind = resolve(df["indicator"], indicator_lookup(fw))
    unit = resolve(df["unit"], unit_lookup(fw))
    uniq_p = pd.unique(df["period"])
    per_map = {p: _period_norm(p) for p in uniq_p}
    period = df["period"].map(per_map)
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
    ptime_map = {p: Period.parse(p).time for p in set(per_map.values()) if p}
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
    measure = map_unique(df["measure"], lambda v: norm_key(v) if v is not None and v == v else "")
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

    st_raw = map_unique(df["status"], lambda v: norm_key(v) if v is not None and v == v else "")
    st_map = {s: ("final" if s == "" else STATUSES.get(s)) for s in pd.unique(st_raw)}
    status = st_raw.map(st_map)
    m = status.isna().to_numpy()
    c.add(df, m, "bad_status", "status", lambda d: (
        f"无法识别的数据状态“{short(d['status'])}”：应为 final/最终、preliminary/初步、estimated/估计 或 partial_year",
        f"unrecognised status '{short(d['status'])}': use final, preliminary, estimated or partial_year"))
    bad |= m

    keyed = pd.DataFrame({"indicator": ind, "unit": unit, "period": period})
    has_key = keyed.notna().all(axis=1).to_numpy()
    dup = np.zeros(n, dtype=bool)
    if has_key.any():
        k = keyed[has_key]
        d_mask = k.duplicated(keep="first").to_numpy()
        if d_mask.any():
            first_row = df.loc[has_key, "row"].groupby([k["indicator"], k["unit"], k["period"]]).transform("first")
            first_file = df.loc[has_key, "file"].groupby([k["indicator"], k["unit"], k["period"]]).transform("first")
            dup[np.flatnonzero(has_key)[d_mask]] = True
            extra = pd.DataFrame({"_first": first_row, "_ff": first_file}).reindex(df.index)
            c.add(df.assign(_ind=ind, _unit=unit, _p=period, _first=extra["_first"], _ff=extra["_ff"]), dup,
                  "duplicate_key", "value", lambda d: (
                      f"{d['_ind']}/{d['_unit']}/{d['_p']} 重复：已见于 {d['_ff']} 第{_int(d['_first'])}行",
                      f"{d['_ind']}/{d['_unit']}/{d['_p']} appears twice: first in {d['_ff']} row {_int(d['_first'])}"))
    bad |= dup

    good = ~bad
    frame = pd.DataFrame({
        "indicator": ind[good].astype(str), "unit": unit[good].astype(str), "period": period[good].astype(str),
        "period_time": ptime[good], "value": values[good], "status": status[good].astype(str),
        "source": map_unique(df.loc[good, "source"], _txt), "note": map_unique(df.loc[good, "note"], _txt),
        "file": df.loc[good, "file"], "sheet": df.loc[good, "sheet"], "row": df.loc[good, "row"],
        "col_value": df.loc[good, "col_value"], "col_unit": df.loc[good, "col_unit"],
        "col_period": df.loc[good, "col_period"], "col_indicator": df.loc[good, "col_indicator"], "_src": df.loc[good, "_src"] if "_src" in df else 0,
    }).reset_index(drop=True)
    warned = _warnings(frame, fw, current, opts, c)
    return Checked(frame, c.findings, warned)


def map_unique(col: pd.Series, fn: Any) -> pd.Series:
    """``col.map(fn)`` computed once per distinct value (imports repeat the same few texts a million times)."""
    uniq = pd.unique(col)
    return col.map({u: fn(u) for u in uniq}) if len(uniq) < len(col) else col.map(fn)


def _txt(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v).strip()


def _fmt(x: float) -> str:
    return "" if np.isinf(x) else f"{x:g}"


def _freq(period: pd.Series) -> pd.Series:
    return period.map({p: Period.parse(p).frequency for p in pd.unique(period)})


def _warnings(frame: pd.DataFrame, fw: Framework, current: pd.DataFrame, opts: Options,
              c: _Collector) -> pd.DataFrame:
    """Warning rules over the rows that passed; returns a boolean frame rows × rule."""
    n = len(frame)
    out = pd.DataFrame(False, index=frame.index, columns=["series_break", "duplicate_series", "national_total",
                                                          "revises_accepted"])
    if n == 0:
        return out
    cur = current[["indicator", "unit", "period", "value"]] if not current.empty else pd.DataFrame(
        columns=["indicator", "unit", "period", "value"])
    cur = cur[cur["indicator"].isin(pd.unique(frame["indicator"]))]

    # a changed accepted value
    if not cur.empty:
        merged = frame[KEY].merge(cur.rename(columns={"value": "_old"}), on=KEY, how="left")
        old = merged["_old"].to_numpy(dtype=float, na_value=np.nan)
        m = ~np.isnan(old) & ~np.isclose(frame["value"].to_numpy(), old, rtol=1e-12, atol=0)
        out["revises_accepted"] = m
        c.add(frame.assign(_old=old), m, "revises_accepted", "value", lambda d: (
            f"{d['indicator']}/{d['unit']}/{d['period']} 已采纳的值为 {d['_old']:g}，本次为 {d['value']:g}：修改需说明原因",
            f"{d['indicator']}/{d['unit']}/{d['period']} has the accepted value {d['_old']:g}, this file gives "
            f"{d['value']:g}: a correction needs a reason"))

    # combined view: the file's values over the accepted ones
    comb = pd.concat([cur.assign(_pos=-1), frame[[*KEY, "value"]].assign(_pos=np.arange(n))], ignore_index=True)
    comb = comb.drop_duplicates(KEY, keep="last")
    comb["_freq"] = _freq(comb["period"])
    comb["_t"] = comb["period"].map({p: Period.parse(p).time for p in pd.unique(comb["period"])})
    comb = comb.sort_values(["indicator", "unit", "_freq", "_t"], kind="stable")

    # series break against the previous period of the same frequency
    same = (comb[["indicator", "unit", "_freq"]] == comb[["indicator", "unit", "_freq"]].shift()).all(axis=1).to_numpy()
    prev = comb["value"].shift().to_numpy(dtype=float, na_value=np.nan)
    val = comb["value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = val / prev
    f = opts.break_factor
    brk = same & (prev > 0) & (val > 0) & ((ratio > f) | (ratio < 1 / f)) & (comb["_pos"].to_numpy() >= 0)
    pos = comb["_pos"].to_numpy()[brk]
    m = np.zeros(n, dtype=bool)
    m[pos] = True
    prev_by_pos = pd.Series(prev[brk], index=pos)
    out["series_break"] = m
    c.add(frame.assign(_prev=prev_by_pos.reindex(frame.index)), m, "series_break", "value", lambda d: (
        f"{d['indicator']}/{d['unit']}/{d['period']}：{d['value']:g} 与上期 {d['_prev']:g} 相比变化超过 {f:g} 倍，可能口径变化",
        f"{d['indicator']}/{d['unit']}/{d['period']}: {d['value']:g} against {d['_prev']:g} in the previous period "
        f"changes by more than ×{f:g}: a possible series break"))

    _duplicate_series(frame, comb, opts, out, c)
    _national_total(frame, comb, fw, opts, out, c)
    return out


def _duplicate_series(frame: pd.DataFrame, comb: pd.DataFrame, opts: Options, out: pd.DataFrame,
                      c: _Collector) -> None:
    """A unit's whole series (its set of period → value) equal to another unit's, from ``min_series`` periods.

    Each series gets a signature (the sum of 64-bit hashes of its period-value pairs, with its length), so
    the comparison is one groupby instead of a loop over unit pairs; constant series are left alone.
    """
    h = pd.util.hash_pandas_object(comb[["period", "value"]], index=False).to_numpy()
    g = pd.DataFrame({"indicator": comb["indicator"].to_numpy(), "unit": comb["unit"].to_numpy(), "h": h,
                      "v": comb["value"].to_numpy(dtype=float)})
    sig = g.groupby(["indicator", "unit"], sort=False).agg(h=("h", "sum"), n=("h", "size"), lo=("v", "min"),
                                                           hi=("v", "max")).reset_index()
    sig = sig[(sig["n"] >= opts.min_series) & (sig["lo"] != sig["hi"])]
    twins = sig[sig.duplicated(["indicator", "h", "n"], keep=False)]
    m = np.zeros(len(frame), dtype=bool)
    other: dict[int, str] = {}
    if not twins.empty:
        first_rows = frame.reset_index().drop_duplicates(["indicator", "unit"]).set_index(["indicator", "unit"])["index"]
        for (_ind, _h, _n), grp in twins.groupby(["indicator", "h", "n"]):
            units = list(grp["unit"])
            for u in units:
                key = (grp["indicator"].iloc[0], u)
                if key in first_rows.index:
                    i = int(first_rows[key])
                    m[i] = True
                    other[i] = ", ".join(x for x in units if x != u)
    out["duplicate_series"] = m
    c.add(frame.assign(_other=pd.Series(other, dtype=object).reindex(frame.index)), m, "duplicate_series", "unit",
          lambda d: (f"{d['unit']} 的 {d['indicator']} 序列与 {d['_other']} 完全相同，可能填错了行",
                     f"the {d['indicator']} series of {d['unit']} equals that of {d['_other']}: possibly a mislabelled row"),
          value_col="unit")


def _national_total(frame: pd.DataFrame, comb: pd.DataFrame, fw: Framework, opts: Options, out: pd.DataFrame,
                    c: _Collector) -> None:
    additive = {x.id for x in fw.indicators if x.kind in ("stock", "flow") and x.unit != "%"}
    provinces = {u.id for u in fw.provinces()}
    nation = {u.id for u in fw.units if u.level == "nation"}
    if not nation or not (set(pd.unique(frame["indicator"])) & additive):
        return
    sub = comb[comb["indicator"].isin(additive)]
    prov = sub[sub["unit"].isin(provinces)].groupby(["indicator", "period"])["value"].agg(["sum", "count"])
    nat = sub[sub["unit"].isin(nation)].set_index(["indicator", "period"])["value"]
    both = prov.join(nat.rename("nat"), how="inner")
    tol = opts.national_tolerance
    far = both[(both["sum"] > both["nat"] * (1 + tol))
               | ((both["count"] == len(provinces)) & (both["sum"] < both["nat"] * (1 - tol)))]
    m = np.zeros(len(frame), dtype=bool)
    info: dict[int, tuple[float, float]] = {}
    for key, r in far.iterrows():
        ind_id, per = cast(tuple[str, str], key)
        here = (frame["indicator"] == ind_id) & (frame["period"] == per)
        # the finding sits on the national row when the file has it, else on its first provincial row
        rows = frame.index[here & frame["unit"].isin(nation)].append(frame.index[here & frame["unit"].isin(provinces)])
        if len(rows):
            m[rows[0]] = True
            info[rows[0]] = (float(r["sum"]), float(r["nat"]))
    out["national_total"] = m
    c.add(frame.assign(_s=pd.Series({k: v[0] for k, v in info.items()}).reindex(frame.index),
                       _n=pd.Series({k: v[1] for k, v in info.items()}).reindex(frame.index)),
          m, "national_total", "value", lambda d: (
              f"{d['indicator']} {d['period']}：各省合计 {d['_s']:g} 与全国 {d['_n']:g} 相差超过 {tol:.0%}",
              f"{d['indicator']} {d['period']}: provinces sum to {d['_s']:g}, the nation is {d['_n']:g} "
              f"(difference beyond {tol:.0%})"))


__all__ = ["RULES", "Checked", "Options", "check"]
