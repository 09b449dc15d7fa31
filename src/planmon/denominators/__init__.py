"""Denominators: the size of every unit (population, households, GDP, …) per period, with its source.

Why: a province's count of internet users says how big it is, not how far it has come. Intensive
forms (a penetration rate, a value per capita, a share of GDP), plausibility rules ("internet users
≤ population") and fair regional rankings all divide by one of these series.

The kinds of denominator are declared here (:data:`DENOMINATORS`, with names and measurement units
in zh and en). Their values are data in the store (``Store.denominators`` / ``Store.write_denominators``),
append-only with revisions like observations. planmon ships the figures it needs for the built-in
units as sourced facts (:func:`builtin_facts`: NBS provincial year-end resident population, gross
regional product and retail sales for 2019–2022, and the national population 2019–2024); ``Store.init``
loads them. An office loads more years or other kinds (households, enterprises) with
``planmon denominators import FILE``.

:func:`lookup` picks, for each (unit, period), the denominator of the same period or else the
latest earlier one within ``max_lag`` years, and says which period it used — population moves
slowly, and the latest yearbook always lags the latest monitoring data by a year or two.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import numpy as np
import pandas as pd

from planmon.i18n import Message
from planmon.periods import Period
from planmon.refusal import Refusal


@dataclass(frozen=True)
class DenominatorKind:
    """A kind of denominator: its names and the unit its values are stored in."""

    name: str
    name_zh: str
    name_en: str
    unit: str
    unit_en: str


DENOMINATORS: Final[dict[str, DenominatorKind]] = {
    k.name: k for k in (
        DenominatorKind("population", "年末常住人口", "year-end resident population", "万人", "10k persons"),
        DenominatorKind("households", "家庭户数", "households", "万户", "10k households"),
        DenominatorKind("gdp", "地区生产总值", "gross regional product", "亿元", "100 million CNY"),
        DenominatorKind("retail_sales", "社会消费品零售总额", "retail sales of consumer goods", "亿元",
                        "100 million CNY"),
        DenominatorKind("enterprises", "企业法人单位数", "enterprises (legal units)", "万家", "10k firms"),
    )
}

#: Columns of :meth:`planmon.store.Store.denominators` (and of an import file, minus revision).
DENOMINATOR_COLUMNS = ["name", "unit", "period", "period_time", "value", "measure_unit", "source", "note", "revision"]

#: Default number of years a denominator may lag the period it divides (see :func:`lookup`).
DEFAULT_MAX_LAG: Final = 3.0


def builtin_facts() -> pd.DataFrame:
    """The shipped denominator facts: columns name, unit, period, value, measure_unit, source, note.

    ``source`` is the citation in zh followed by the one in en (``zh / en``).
    """
    path = resources.files("planmon.denominators") / "nbs_provinces.csv"
    with resources.as_file(path) as p:
        raw = pd.read_csv(p, dtype={"unit": str, "period": str, "name": str})
    return pd.DataFrame({
        "name": raw["name"], "unit": raw["unit"], "period": raw["period"], "value": raw["value"].astype(float),
        "measure_unit": raw["measure_unit"], "source": raw["source_zh"] + " / " + raw["source_en"], "note": "",
    })


def lookup(denominators: pd.DataFrame, name: str, units: pd.Series | np.ndarray, times: pd.Series | np.ndarray,
           max_lag: float = DEFAULT_MAX_LAG) -> pd.DataFrame:
    """The denominator ``name`` for each (unit, time): same period or the latest earlier within ``max_lag`` years.

    ``denominators`` is a frame like :meth:`Store.denominators` returns (columns name, unit, period,
    period_time, value). Returns a frame aligned with the inputs: ``value`` (NaN when none is near
    enough), ``period`` (the denominator's period, None when none) and ``lag`` (years). Vectorised
    (one ``merge_asof``); no loop over units or periods.
    """
    q = pd.DataFrame({"unit": np.asarray(units, dtype=object), "time": np.asarray(times, dtype=float)})
    q["_pos"] = np.arange(len(q))
    d = denominators[denominators["name"] == name]
    if d.empty or q.empty:
        return pd.DataFrame({"value": np.full(len(q), np.nan), "period": np.full(len(q), None, dtype=object),
                             "lag": np.full(len(q), np.nan)})
    d = d[["unit", "period_time", "value", "period"]].rename(columns={"period_time": "time", "period": "d_period"})
    d = d.assign(unit=d["unit"].astype(str), d_time=d["time"].astype(float))
    left = q.dropna(subset=["time"]).assign(unit=lambda x: x["unit"].astype(str)).sort_values("time", kind="stable")
    right = d.sort_values("time", kind="stable")
    tol: Any = max_lag + 1e-9  # a float tolerance on a float key (the stubs know only ints and timedeltas)
    m = pd.merge_asof(left, right, on="time", by="unit", direction="backward", tolerance=tol)
    m = m.set_index("_pos").reindex(np.arange(len(q)))
    lag = (q["time"].to_numpy() - m["d_time"].to_numpy(dtype=float))
    ok = np.isfinite(m["value"].to_numpy(dtype=float))
    return pd.DataFrame({
        "value": np.where(ok, m["value"].to_numpy(dtype=float), np.nan),
        "period": pd.Series(m["d_period"].to_numpy(dtype=object)).where(ok, None).to_numpy(dtype=object),
        "lag": np.where(ok, lag, np.nan),
    })


def period_time(period: str) -> float:
    return Period.parse(str(period)).time




class DenominatorError(Refusal):
    """Denominator rows refused as a whole; every finding names the row and column, in zh and en."""

    code = "denominators_invalid"

    def __init__(self, findings: list[tuple[int, str, str, str]], file: str = "") -> None:
        self.findings = findings
        where = f"{file} " if file else ""
        self.messages_zh = [f"{where}第 {row} 行，“{col}”列：{zh}" for row, col, zh, _ in findings]
        self.messages_en = [f"{where}row {row}, column '{col}': {en}" for row, col, _, en in findings]
        super().__init__([Message(z, e) for z, e in zip(self.messages_zh, self.messages_en, strict=True)],
                         text="; ".join(self.messages_en))


def check(frame: pd.DataFrame, known_units: set[str], first_row: int = 2) -> list[tuple[int, str, str, str]]:
    """Findings (row, column, zh, en) for denominator rows; rows are numbered as in a spreadsheet (header = 1).

    A row needs a declared kind (:data:`DENOMINATORS`), a known unit, a period, a positive number and,
    when ``measure_unit`` is given, the kind's unit (values are stored in the declared unit, never converted
    silently).
    """
    out: list[tuple[int, str, str, str]] = []
    for col in ("name", "unit", "period", "value"):
        if col not in frame.columns:
            out.append((1, col, "缺少该列", "the column is missing"))
    if out:
        return out
    seen: dict[tuple[str, str, str], int] = {}
    for i, rec in enumerate(frame.to_dict("records")):
        row = first_row + i
        name, unit = str(rec["name"]).strip(), str(rec["unit"]).strip()
        kind = DENOMINATORS.get(name)
        if kind is None:
            out.append((row, "name", f"未知的分母“{name}”（可用：{'、'.join(DENOMINATORS)}）",
                        f"unknown denominator '{name}' (known: {', '.join(DENOMINATORS)})"))
        if unit not in known_units:
            out.append((row, "unit", f"未知的单位“{unit}”", f"unknown unit '{unit}'"))
        period = None
        try:
            period = str(Period.parse(str(rec["period"]).strip().removesuffix(".0")))
        except Exception as exc:
            out.append((row, "period", getattr(exc, "message_zh", str(exc)), getattr(exc, "message_en", str(exc))))
        try:
            value = float(str(rec["value"]).replace(",", ""))
            if not np.isfinite(value) or value <= 0:
                out.append((row, "value", f"分母应为正数：{rec['value']}", f"a denominator must be positive: {rec['value']}"))
        except ValueError:
            out.append((row, "value", f"“{rec['value']}”不是数值", f"'{rec['value']}' is not a number"))
        mu = str(rec.get("measure_unit") or "").strip()
        if kind is not None and mu and mu not in (kind.unit, kind.unit_en):
            out.append((row, "measure_unit", f"计量单位应为“{kind.unit}”，而不是“{mu}”",
                        f"the measurement unit must be '{kind.unit}' ({kind.unit_en}), not '{mu}'"))
        if period is not None:
            key = (name, unit, period)
            if key in seen:
                out.append((row, "period", f"与第 {seen[key]} 行重复（{name}/{unit}/{period}）",
                            f"duplicates row {seen[key]} ({name}/{unit}/{period})"))
            seen.setdefault(key, row)
    return out


__all__ = ["DEFAULT_MAX_LAG", "DENOMINATORS", "DENOMINATOR_COLUMNS", "DenominatorError", "DenominatorKind", "builtin_facts",
           "check", "lookup"]
