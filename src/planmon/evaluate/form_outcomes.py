"""End-of-period outcome of indicators whose target is not a level (issue 19's target forms).

Why a second step after :func:`planmon.evaluate.outcomes.outcomes`: that rule compares a latest value with a
target level, and a bound (< 5.5 every year), an average growth rate (> 7 %), a change over the period
(〔13.5〕), a relation to another indicator (高于GDP增长) or a qualitative target (保持在合理区间) has no
level. The arithmetic is the monitor's (:mod:`planmon.monitor.forms`): the assessment at the target year
gives each row its form, its printed target, the achieved average rate or change, the years a bound or a
relation was not held, and the office's entered status; here those measures are mapped to the final
outcome (rules in :data:`planmon.evaluate.outcomes.OUTCOME_RULE`, worked examples in docs/evaluate.md):

* ``bound`` — reached when held in every year with data and the target year observed; not reached when a
  year broke it (the years named); held so far without the target year → cannot be judged;
* ``annual_growth`` — the compound average annual growth baseline → target year against the required rate;
* ``cumulative_change`` — the change over the period (annual % changes compounded: 1 − Π(1 − r)) against
  the required change;
* for both: at or beyond the requirement → reached; short with the target year observed → not reached;
  annual rates missing for a year of the period → cannot be judged (a compounded change of some years is
  not the period's change), as is a target year without a value;
* ``relative`` — held every year with data and the target year observed (own and reference) → reached; a
  year not held → not reached, the years named;
* ``qualitative`` — the office's entered status for the target year (outcome ``office``, 由规划办认定),
  else cannot be judged (待规划办公室评定).

Vectorised over rows: masks and ``np.select``; text is formatted only for the few rows that name years.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planmon.periods import Period

#: Reason codes of the forms (zh, en); merged into :data:`planmon.evaluate.outcomes.REASONS`.
FORM_REASONS: dict[str, tuple[str, str]] = {
    "bound_held": ("规划期内有数据的各年份均守住界限", "the bound was held in every year with data"),
    "bound_no_end": ("有数据的各年份均守住界限，但目标年份尚无数值",
                     "held in every year with data, but the target year has no value yet"),
    "bound_broken": ("未守住界限的年份：", "years out of the bound: "),
    "growth_met": ("年均增速达到要求", "the average annual growth meets the required rate"),
    "growth_short": ("目标年份的年均增速低于要求", "the average annual growth to the target year is below the required rate"),
    "change_met": ("规划期累计变化达到要求", "the change over the period meets the requirement"),
    "change_short": ("目标年份的累计变化未达要求", "the change over the period to the target year falls short"),
    "no_end_form": ("目标年份尚无数值，已实现部分见“实际”", "the target year has no value yet; the part achieved is shown"),
    "rates_incomplete": ("规划期内有年份缺少年度变化率，无法复合出全期变化",
                         "an annual rate is missing for a year of the period: the period's change cannot be compounded"),
    "relative_held": ("规划期内有数据的各年份均符合相对目标", "the relation held in every year with data"),
    "relative_no_end": ("有数据的各年份均符合相对目标，但目标年份尚无本指标或参照指标的数值",
                        "held in every year with data, but the target year lacks this or the reference indicator's value"),
    "relative_broken": ("未符合相对目标的年份：", "years the relation did not hold: "),
    "to_be_entered": ("待规划办公室评定", "to be rated by the planning office"),
    "office": ("由规划办认定：", "entered by the planning office: "),
    "form_no_data": ("规划期内尚无可判断的年度数值", "no year of the plan period can be judged yet"),
}

#: Columns added to the outcome table (NaN / None on level rows).
FORM_COLUMNS = ["target_form", "target_text_zh", "target_text_en", "achieved", "achieved_unit", "failed_periods",
                "office_status", "office_status_zh", "office_status_en", "rebased_note_zh", "rebased_note_en"]

_EPS = 1e-9


def _annual_count(obs: pd.DataFrame, start: pd.Series, end: pd.Series, ids: pd.Series) -> np.ndarray:
    """Per indicator of ``ids``: how many whole years in (start, end] have a value (annual rates chained)."""
    annual = obs[obs["period"].astype(str).str.fullmatch(r"\d{4}")]
    years = annual.assign(_y=annual["period"].astype(int))[["indicator", "_y"]].drop_duplicates()
    span = pd.DataFrame({"indicator": ids.to_numpy(), "_s": start.to_numpy(), "_e": end.to_numpy()})
    m = span.reset_index().merge(years, on="indicator", how="left")
    m["_in"] = (m["_y"] > m["_s"]) & (m["_y"] <= m["_e"])
    counted = m.groupby("index")["_in"].sum()
    return counted.reindex(range(len(span)), fill_value=0).to_numpy(dtype=int)


def form_outcomes(out: pd.DataFrame, assessed: pd.DataFrame, observations: pd.DataFrame, indicators: list[Any],
                  year: str, base_year: int) -> pd.DataFrame:
    """``out`` (:func:`outcomes`' table for one unit) with the non-level rows' outcomes set from ``assessed``.

    ``assessed`` is the monitor's assessment at the target year (:func:`planmon.monitor.assess_store` with
    ``as_of`` = the target year, the office's entries applied); ``observations`` the unit's observations
    (to find the target year's values and the years of annual rates); ``base_year`` the plan's base year
    (the year before its first), the start of an indicator without a printed baseline. Level rows are returned unchanged;
    ``reason_zh``/``reason_en`` are filled for the form rows (with the years named).
    """
    out = out.copy()
    n = len(out)
    for c in FORM_COLUMNS:
        out[c] = np.full(n, None, dtype=object)
    out["target_form"] = "level"
    out["achieved"] = np.nan
    out["reason_zh"] = None
    out["reason_en"] = None
    if n:
        _rebased(out, indicators)
    if not n or assessed is None or not len(assessed) or "target_form" not in assessed.columns:
        return out
    keep = ["indicator", "unit", "target_form", "target_text_zh", "target_text_en", "achieved_change",
            "failed_periods", "latest_period", "status", "status_zh", "status_en", "baseline",
            "baseline_printed", "baseline_printed_period", "notes_zh", "notes", "entered", "entered_evidence_zh",
            "entered_evidence_en", "entered_period"]
    a = assessed[[c for c in keep if c in assessed.columns]].drop_duplicates(["indicator", "unit"])
    a = a.rename(columns={c: f"_a_{c}" for c in a.columns if c not in ("indicator", "unit")})
    m = out[["indicator", "unit"]].merge(a, on=["indicator", "unit"], how="left")
    by = {x.id: x for x in indicators}
    form = m["_a_target_form"].fillna("level").astype(str).to_numpy()
    form = np.where(m["indicator"].map(lambda i: i in by).to_numpy(dtype=bool), form, "level")
    rows = form != "level"
    if not rows.any():
        return out
    ids = m["indicator"]
    rule = {i: by[i].target_rule for i in pd.unique(ids[rows])}
    value = ids.map(lambda i: getattr(rule.get(i), "value", None)).astype(float).to_numpy()
    cmp_ = ids.map(lambda i: getattr(rule.get(i), "comparator", None)).to_numpy(dtype=object)
    observed = ids.map(lambda i: getattr(rule.get(i), "observed", "level")).to_numpy(dtype=object)
    rel_to = ids.map(lambda i: getattr(rule.get(i), "relative_to", None)).to_numpy(dtype=object)
    sign = np.where(ids.map(lambda i: by[i].direction if i in by else "increase").to_numpy() == "decrease", -1.0, 1.0)
    strict = np.isin(cmp_, (">", "<"))
    T = int(str(year)[:4])

    obs_years = set(zip(observations["indicator"], observations["period"].astype(str), strict=True))
    has_end = np.array([(i, str(T)) in obs_years for i in ids], dtype=bool)
    ref_end = np.array([(r, str(T)) in obs_years if isinstance(r, str) else False for r in rel_to], dtype=bool)
    start_year = ids.map(lambda i: int(Period.parse(by[i].baseline.period).time) if i in by and by[i].baseline
                         else None)
    start = start_year.where(start_year.notna(), np.nan).astype(float).fillna(float(base_year))
    rates = observed == "annual_rate"
    # a gap among the annual rates up to the latest one (a year between two entered years, or before them)
    annual = observations[observations["period"].astype(str).str.fullmatch(r"\d{4}")]
    last_year = ids.map(annual["period"].astype(int).groupby(annual["indicator"]).max()).astype(float)
    end = np.minimum(last_year.fillna(start).to_numpy(dtype=float), float(T))
    n_years = _annual_count(observations, start, pd.Series(end), ids)
    complete = ~rates | (n_years >= (end - start.to_numpy()).astype(int))

    achieved = pd.to_numeric(m["_a_achieved_change"], errors="coerce").to_numpy(dtype=float)
    failed = m["_a_failed_periods"].to_numpy(dtype=object)
    status = m["_a_status"].to_numpy(dtype=object)
    broken = np.array([isinstance(f, tuple) and len(f) > 0 for f in failed], dtype=bool)
    held = np.isin(status, ("as_expected", "on_track")) & ~broken
    entered = m["_a_entered"].fillna(False).astype(bool).to_numpy() if "_a_entered" in m else np.zeros(n, bool)
    entered_year = m["_a_entered_period"].astype(str).str[:4].to_numpy() == str(T) if "_a_entered_period" in m \
        else np.zeros(n, bool)

    growth, cum = form == "annual_growth", form == "cumulative_change"
    bound, rel, qual = form == "bound", form == "relative", form == "qualitative"
    with np.errstate(invalid="ignore"):
        measured = np.where(growth, achieved, sign * achieved)
        margin = measured - value
        met = np.isfinite(margin) & np.where(strict, margin > _EPS * np.maximum(1.0, np.abs(value)), margin >= -_EPS)
    have = np.isfinite(achieved)
    conditions = [
        bound & broken, bound & held & has_end, bound & held,
        rel & broken, rel & held & has_end & ref_end, rel & held,
        (growth | cum) & have & ~complete, (growth | cum) & have & met & has_end,
        cum & have & met & ~rates, (growth | cum) & have & has_end, (growth | cum) & have,
        qual & entered & entered_year, qual,
    ]
    outcome = np.select(conditions, [
        "not_reached", "reached", "cannot_judge",
        "not_reached", "reached", "cannot_judge",
        "cannot_judge", "reached",
        "reached", "not_reached", "cannot_judge",
        "office", "cannot_judge",
    ], "cannot_judge")
    growth_or = np.where(growth, "growth", "change")
    reason = np.select(conditions, [
        "bound_broken", "bound_held", "bound_no_end",
        "relative_broken", "relative_held", "relative_no_end",
        "rates_incomplete", np.char.add(growth_or.astype(str), "_met"),
        np.char.add(growth_or.astype(str), "_met"), np.char.add(growth_or.astype(str), "_short"), "no_end_form",
        "office", "to_be_entered",
    ], "form_no_data")

    zh = np.array([FORM_REASONS[str(r)][0] for r in reason], dtype=object)
    en = np.array([FORM_REASONS[str(r)][1] for r in reason], dtype=object)
    named = np.flatnonzero(rows & np.isin(reason, ("bound_broken", "relative_broken")))
    for i in named:  # a few rows: the years the bound or relation failed
        zh[i] += "、".join(str(p) for p in failed[i])
        en[i] += ", ".join(str(p) for p in failed[i])
    office = np.flatnonzero(rows & (outcome == "office"))
    for j in office.tolist():
        ev_zh = str(m["_a_entered_evidence_zh"].iat[j])
        ev_en = str(m["_a_entered_evidence_en"].iat[j] or ev_zh)
        zh[j] += f"{m['_a_status_zh'].iat[j]!s}（{ev_zh}）"
        en[j] += f"{m['_a_status_en'].iat[j]!s} ({ev_en})"

    r = np.flatnonzero(rows)
    out.loc[r, "outcome"] = outcome[r]
    out.loc[r, "reason"] = reason[r]
    note_zh, note_en = out["rebased_note_zh"].to_numpy(dtype=object), out["rebased_note_en"].to_numpy(dtype=object)
    has_note = pd.notna(note_zh)
    out.loc[r, "reason_zh"] = np.where(has_note, zh + "；" + note_zh.astype(str), zh)[r]
    out.loc[r, "reason_en"] = np.where(has_note, en + "; " + note_en.astype(str), en)[r]
    out.loc[r, "target_form"] = form[r]
    out.loc[r, "target_text_zh"] = m["_a_target_text_zh"].to_numpy(dtype=object)[r]
    out.loc[r, "target_text_en"] = m["_a_target_text_en"].to_numpy(dtype=object)[r]
    out["achieved"] = np.where(rows & (growth | cum), achieved, np.nan)
    unit_pct = ids.map(lambda i: by[i].change_unit != "units" if i in by else True).to_numpy(dtype=bool)
    a_unit = np.full(n, None, dtype=object)
    a_unit[cum] = "units"
    a_unit[growth | (cum & unit_pct)] = "%"
    out.loc[r, "achieved_unit"] = a_unit[r]
    out.loc[r, "failed_periods"] = pd.Series(list(failed[r]), index=r, dtype=object)
    out.loc[r, "early"] = False  # "提前实现" never applies to a form target
    out.loc[r, "first_reached"] = None
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(cum & np.isfinite(value) & (value != 0), sign * achieved / value * 100.0, np.nan)
    out.loc[r, "pct_of_planned_change"] = pct[r]
    out.loc[r, "pct_of_target"] = np.nan
    qual_rows = np.flatnonzero(qual & entered & entered_year)
    out.loc[qual_rows, "office_status"] = status[qual_rows]
    out.loc[qual_rows, "office_status_zh"] = m["_a_status_zh"].to_numpy(dtype=object)[qual_rows]
    out.loc[qual_rows, "office_status_en"] = m["_a_status_en"].to_numpy(dtype=object)[qual_rows]
    return out


def _rebased(out: pd.DataFrame, indicators: list[Any]) -> None:
    """A re-based baseline (a census revision, a new method) is said on its row: the printed value, the new one
    (the outcome's share of the planned change is measured from it, see :func:`outcomes`) and the reason."""
    by = {x.id: x for x in indicators if getattr(x, "rebased", None) is not None and x.baseline}
    if not by:
        return
    at = out["indicator"].isin(list(by)).to_numpy(dtype=bool)
    zh = out["rebased_note_zh"].to_numpy(dtype=object).copy()
    en = out["rebased_note_en"].to_numpy(dtype=object).copy()
    for i in np.flatnonzero(at).tolist():  # a handful of indicators
        x = by[out["indicator"].iat[i]]
        rb = x.rebased
        zh[i] = (f"基期值按新口径为 {rb.period}：{rb.value:g}（规划印发 {x.baseline.value:g}），完成比例按新基期计算："
                 f"{rb.reason_zh}")
        en[i] = (f"baseline re-based to {rb.period}: {rb.value:g} (printed: {x.baseline.value:g}); the share of the "
                 f"planned change is on the new basis: {rb.reason_en or rb.reason_zh}")
    out["rebased_note_zh"] = zh
    out["rebased_note_en"] = en


def achieved_text(row: dict[Any, Any], lang: str = "zh", unit_label: str = "") -> str:
    """The end value shown with what a growth or cumulative target achieved, in words an official reads.

    Why words, not a signed number: for 单位GDP能源消耗降低〔13.5〕 a bare "累计 -2.80%" reads as a reduction of
    minus 2.8 %, the opposite of what happened (intensity fell 2.80 %). So a change says which way it went:
    "累计下降 2.80%" / "down 2.80 % over the period"; a growth target gives its average annual rate. The
    report's tables and the command line both print this one text.
    """
    en = lang == "en"
    shown = str(row.get("display_en" if en else "display_zh") or "")
    a = row.get("achieved")
    if not isinstance(a, float) or a != a:
        return shown
    form = str(row.get("target_form") or "level")
    if form == "annual_growth":
        return f"{shown}; {a:.2f}% a year on average" if en else f"{shown}；年均 {a:.2f}%"
    if form != "cumulative_change":
        return shown
    unit = "%" if row.get("achieved_unit") == "%" else (f" {unit_label}" if en and unit_label else unit_label)
    size = f"{abs(a):.2f}{unit}"
    if en:
        way = "unchanged" if a == 0 else ("up" if a > 0 else "down")
        return f"{shown}; {way} {size} over the period" if a else f"{shown}; unchanged over the period"
    way = "累计增加" if a > 0 else "累计下降"
    return f"{shown}；{way} {size}" if a else f"{shown}；累计无变化"
