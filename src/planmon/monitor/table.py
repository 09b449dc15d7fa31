"""Bring your own table: assess any CSV without setting up a framework.

Columns (one row per observation)::

    indicator,unit,direction,baseline_period,baseline,target_period,target,period,value

``direction`` is ``+`` (higher is better) or ``-``; optional columns ``kind``
(stock|flow|rate), ``attribute`` (expected|binding), ``proxy`` (true/false),
``name``, ``natural_limit`` (a bound the indicator cannot pass, e.g. 100 for a
coverage rate: Open SDG's no-target thresholds shrink near it) and ``series``
(a breakdown such as ``female`` or ``rural``, or ``group/sub`` for a sub-indicator
group; empty = the indicator's headline); the target form of issue 19 (``target_form``: level,
annual_growth, cumulative_change, bound, relative, qualitative; ``form_value``, ``form_comparator``,
``form_observed``, ``form_relative_to``, ``form_relation``, ``form_tolerance``, ``form_change_unit``,
``form_text_zh``, ``form_text_en``; docs/monitor.md "Target forms"). A series is indicator × unit × series. The baseline and target may be repeated on every row of a series or
given once; two different values for one series are an error. Every error names
the file, the row (as numbered in a spreadsheet, header = row 1), the column and
the reason, in zh and en; nothing is assessed from a table with errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planmon.monitor.panel import InputError, parse_sign
from planmon.periods import Period, PeriodError

REQUIRED = ["indicator", "unit", "direction", "baseline_period", "baseline", "target_period", "target", "period", "value"]
_KINDS = {"stock", "flow", "rate"}
_TRUE = {"1", "true", "yes", "y", "是"}
#: The target-form columns with their allowed words (None: free text; "number": a number). Issue 19.
_FORM_COLS: dict[str, Any] = {
    "target_form": ("level", "annual_growth", "cumulative_change", "bound", "relative", "qualitative"),
    "form_value": "number", "form_tolerance": "number",
    "form_comparator": (">", "≥", "<", "≤", ">=", "<="), "form_observed": ("level", "annual_rate"),
    "form_relation": ("above", "in_step"), "form_change_unit": ("percent", "units"),
    "form_relative_to": None, "form_text_zh": None, "form_text_en": None,
}


class _Errors:
    def __init__(self, file: str) -> None:
        self.file = file
        self.zh: list[str] = []
        self.en: list[str] = []

    def add(self, row: int, col: str, zh: str, en: str) -> None:
        self.zh.append(f"{self.file} 第 {row} 行，“{col}”列：{zh}")
        self.en.append(f"{self.file} row {row}, column '{col}': {en}")


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == ""


def read_table(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a CSV into (observations, indicator specs per indicator × unit) for :func:`assess`."""
    p = Path(path)
    name = p.name
    try:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([f"文件不存在：{p}"], [f"file not found: {p}"]) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError([f"{name}：无法读取为 UTF-8 CSV（{exc}）"], [f"{name}: not a readable UTF-8 CSV ({exc})"]) from None
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise InputError([f"{name}：缺少列 {', '.join(missing)}"], [f"{name}: missing columns {', '.join(missing)}"])
    err = _Errors(name)
    obs_rows: list[dict[str, Any]] = []
    series: dict[tuple[str, str, str], dict[str, Any]] = {}
    for i, rec in enumerate(raw.to_dict("records")):
        row = i + 2
        ind, unit = str(rec["indicator"]).strip(), str(rec["unit"]).strip()
        if not ind:
            err.add(row, "indicator", "不能为空", "must not be empty")
        if not unit:
            err.add(row, "unit", "不能为空", "must not be empty")
        label = str(rec.get("series", "") or "").strip()
        spec = series.setdefault((ind, unit, label), {"indicator": ind, "unit": unit, "series": label or None,
                                                      "_rows": {}})
        sign = parse_sign(rec["direction"]) if not _blank(rec["direction"]) else None
        if not _blank(rec["direction"]) and sign is None:
            err.add(row, "direction", f"“{rec['direction']}”无法识别，应为 + 或 -",
                    f"'{rec['direction']}' not understood: use + or -")
        _merge(spec, "direction", sign, row, err)
        for col in ("baseline_period", "target_period", "period"):
            v = str(rec[col]).strip()
            if v:
                try:
                    rec[col] = str(Period.parse(v))
                except PeriodError as exc:
                    err.add(row, col, exc.message_zh, exc.message_en)
                    rec[col] = None
            else:
                rec[col] = None
        for col in ("baseline", "target", "value", "natural_limit"):
            if col not in rec:
                rec[col] = None
                continue
            v = str(rec[col]).strip().replace(",", "")
            if not v:
                rec[col] = None
                continue
            try:
                rec[col] = float(v)
            except ValueError:
                err.add(row, col, f"“{rec[col]}”不是数值", f"'{rec[col]}' is not a number")
                rec[col] = None
        for col in ("baseline_period", "baseline", "target_period", "target", "natural_limit"):
            _merge(spec, col, rec[col], row, err)
        kind = str(rec.get("kind", "") or "").strip().lower()
        if kind and kind not in _KINDS:
            err.add(row, "kind", f"“{kind}”应为 stock、flow 或 rate", f"'{kind}' must be stock, flow or rate")
        _merge(spec, "kind", kind or None, row, err)
        _merge(spec, "attribute", str(rec.get("attribute", "") or "").strip() or None, row, err)
        _merge(spec, "name_zh", str(rec.get("name", "") or "").strip() or None, row, err)
        _form_cells(spec, rec, row, err)
        proxy = str(rec.get("proxy", "") or "").strip().lower() in _TRUE
        if rec["period"] is None and rec["value"] is not None:
            err.add(row, "period", "有数值但缺少期别", "a value without a period")
        if rec["period"] is not None and rec["value"] is None:
            err.add(row, "value", "缺少数值", "missing value")
        if rec["period"] is not None and rec["value"] is not None:
            obs_rows.append({"indicator": ind, "unit": unit, "series": label or None, "period": rec["period"],
                             "value": rec["value"], "proxy": proxy, "_row": row})
    for spec in series.values():
        if spec.get("direction") is None:
            first = min(spec["_rows"].values()) if spec["_rows"] else 2
            name = "/".join(x for x in (spec["indicator"], spec["unit"], spec["series"]) if x)
            err.add(first, "direction", f"{name} 没有给出方向（+ 或 -）", f"{name} has no direction (+ or -)")
    obs = pd.DataFrame(obs_rows, columns=["indicator", "unit", "series", "period", "value", "proxy", "_row"])
    dup = obs.assign(_s=obs["series"].fillna("")).duplicated(["indicator", "unit", "_s", "period"], keep="first")
    for _, r in obs[dup].iterrows():
        name = "/".join(x for x in (r["indicator"], r["unit"], r["series"]) if isinstance(x, str) and x)
        err.add(int(r["_row"]), "period", f"{name} 的 {r['period']} 重复", f"{name} period {r['period']} given twice")
    if err.en:
        raise InputError(err.zh, err.en)
    specs = pd.DataFrame([
        {"indicator": s["indicator"], "unit": s["unit"], "direction": s["direction"],
         "baseline_period": s.get("baseline_period"), "baseline": s.get("baseline", np.nan),
         "target_period": s.get("target_period"), "target": s.get("target", np.nan),
         "kind": s.get("kind") or "stock", "attribute": s.get("attribute") or "unknown",
         "name_zh": s.get("name_zh") or "", "name_en": s.get("name_zh") or "",
         "natural_limit": s.get("natural_limit", np.nan), "series": s["series"],
         **{c: s[c] for c in _FORM_COLS if s.get(c) is not None}}
        for s in series.values()
    ])
    specs["natural_limit"] = specs["natural_limit"].astype(float)
    specs["baseline"] = specs["baseline"].astype(float)
    specs["target"] = specs["target"].astype(float)
    obs = obs.drop(columns=["_row"])
    if obs["series"].isna().all():  # no breakdowns: the table of before issue 20
        obs = obs.drop(columns=["series"])
    return obs, specs


def _form_cells(spec: dict[str, Any], rec: dict[Any, Any], row: int, err: _Errors) -> None:
    """The optional target-form columns of one row, checked (allowed words, numbers) and merged into its series."""
    for col, allowed in _FORM_COLS.items():
        v = str(rec.get(col, "") or "").strip()
        if not v:
            continue
        value: Any = v
        if allowed == "number":
            try:
                value = float(v.replace(",", ""))
            except ValueError:
                err.add(row, col, f"“{v}”不是数值", f"'{v}' is not a number")
                continue
        elif allowed is not None:
            if v not in allowed:
                err.add(row, col, f"“{v}”应为 {'、'.join(allowed)}", f"'{v}' must be one of {', '.join(allowed)}")
                continue
            value = {">=": "≥", "<=": "≤"}.get(v, v)
        _merge(spec, col, value, row, err)


def _merge(spec: dict[str, Any], key: str, value: Any, row: int, err: _Errors) -> None:
    """Keep the first non-empty value of a series attribute; a different later one is an error."""
    if value is None:
        return
    if spec.get(key) is None:
        spec[key] = value
        spec["_rows"][key] = row
    elif spec[key] != value:
        err.add(row, key, f"与第 {spec['_rows'][key]} 行的值“{spec[key]}”不一致：“{value}”",
                f"'{value}' contradicts '{spec[key]}' given on row {spec['_rows'][key]}")
