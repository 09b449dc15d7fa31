"""Target forms other than a level (issue 19): how each is turned into measures and a status.

A plan prints annual-average growth rates (年均增长 > 7), changes over the period (〔13.5〕), bounds to
hold every year (< 5.5), relations to another indicator's growth (高于GDP增长) and qualitative targets
(保持在合理区间). None of them is ever compared as a level. The rules (docs/monitor.md, "Target forms"):

- ``annual_growth``: the values (levels, or an index chained from annual rates: I_t = Π(1 + r_i/100))
  against the path of the required rate: the derived end point I* = v_b(1 + r*)^(T−b); progress share on
  the log scale p = ln(v_t/v_b)/ln(I*/v_b) = (t−b)·ln(1+g)/((T−b)·ln(1+r*)), g the compound average growth
  achieved so far, so a series exactly on the required path has p = τ; then the scheme's classes.
- ``cumulative_change``: the change so far (levels: v_t/v_b − 1 or v_t − v_b; annual rates compounded:
  Π(1 + r_i/100) − 1) against the required change c*, p = d·change/c*, with the time share as for levels.
- ``bound``: every year from the baseline to T held → the scheme's "as expected" class (基本符合预期);
  a year out of bounds → its worst class (滞后), the years named. Never 提前实现.
- ``relative``: the indicator's growth against the other indicator's growth in the same unit and year;
  above: g > g_ref − tolerance; in step: |g − g_ref| ≤ tolerance. All years held → as expected; a year not
  held → the worst class, the years named.
- ``qualitative``: the status :data:`~planmon.monitor.schemes.TO_BE_ENTERED`, entered by the office.

Everything here is vectorised over series (and points); text is formatted only for flagged rows, at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from planmon.monitor.growth import FloatArray
from planmon.monitor.notes import NoteBook
from planmon.monitor.schemes import TO_BE_ENTERED, Coded
from planmon.periods import Period

BoolArray = NDArray[np.bool_]

FORMS = ("level", "annual_growth", "cumulative_change", "bound", "relative", "qualitative")
LEVEL, GROWTH, CUMULATIVE, BOUND, RELATIVE, QUALITATIVE = range(6)

#: Spec columns of the target forms (:data:`planmon.monitor.panel.SPEC_COLUMNS`) with their defaults.
FORM_DEFAULTS: dict[str, Any] = {
    "target_form": "level", "form_value": np.nan, "form_comparator": None, "form_observed": "level",
    "form_relative_to": None, "form_relation": None, "form_tolerance": np.nan, "form_change_unit": None,
    "form_text_zh": "", "form_text_en": "",
    "baseline_printed": np.nan, "baseline_printed_period": None, "rebased_reason_zh": None, "rebased_reason_en": None,
}
FORM_COLUMNS = list(FORM_DEFAULTS)

#: The class a held bound or relation gets, and the one a year out of bounds gets, per scheme: the
#: scheme's "as expected" class and its worst (the class of a level to hold that is no longer met).
HELD = {"ndrc": "as_expected", "opensdg": "on_track", "unsd": "on_track", "sdsn": "on_track"}
BROKEN = {"ndrc": "lagging", "opensdg": "deterioration", "unsd": "stagnation", "sdsn": "decreasing"}

_CMP_WORDS = {">": ("高于", "above"), "≥": ("不低于", "at least"), "<": ("低于", "below"), "≤": ("不高于", "at most")}
_EPS = 1e-9


def spec_columns(ind: Any) -> dict[str, Any]:
    """The form columns of one framework indicator (:func:`planmon.monitor.panel.indicator_specs`)."""
    rule = ind.target_rule
    out = dict(FORM_DEFAULTS)
    out["target_form"] = ind.target_form
    if rule is not None:
        out.update({
            "form_value": rule.value if rule.value is not None else np.nan, "form_comparator": rule.comparator,
            "form_observed": rule.observed, "form_relative_to": rule.relative_to, "form_relation": rule.relation,
            "form_tolerance": rule.tolerance if rule.tolerance is not None else np.nan,
            "form_change_unit": ind.change_unit if ind.target_form == "cumulative_change" else None,
            "form_text_zh": rule.text_zh, "form_text_en": rule.text_en,
        })
    if ind.rebased is not None:
        out.update({"baseline_printed": ind.baseline.value if ind.baseline else np.nan,
                    "baseline_printed_period": ind.baseline.period if ind.baseline else None,
                    "rebased_reason_zh": ind.rebased.reason_zh,
                    "rebased_reason_en": ind.rebased.reason_en or ind.rebased.reason_zh})
    elif ind.target_form != "level" and rule is not None and rule.observed == "annual_rate" and ind.baseline:
        out["baseline_printed"] = ind.baseline.value  # a rate's printed base (shown; the index starts at 1)
        out["baseline_printed_period"] = ind.baseline.period
    return out


def form_codes(specs: pd.DataFrame) -> NDArray[np.int8]:
    """Each spec row's form as an index into :data:`FORMS` (unknown words are refused by the caller)."""
    codes, uniq = pd.factorize(specs["target_form"].fillna("level").astype(object))
    table = np.array([FORMS.index(str(u)) if str(u) in FORMS else -1 for u in uniq] or [0], dtype=np.int8)
    out: NDArray[np.int8] = table[codes]
    return out


def prepare_specs(specs: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """Spec rows of forms whose observations are annual rates get an index base (value 1) at their base period.

    The base period is the declared one; without one, the year before the indicator's first observation
    (the rates of every observed year count). A unit with a level target of its own (a target row) is
    assessed on that level: its row keeps the level form.
    """
    fc = form_codes(specs)
    own_level = (fc != LEVEL) & np.isfinite(specs["target"].to_numpy(dtype=float))
    if not (fc != LEVEL).any():
        return specs
    specs = specs.copy()
    if own_level.any():
        specs.loc[own_level, "target_form"] = "level"
        fc = np.where(own_level, LEVEL, fc)
    rates = ((fc == GROWTH) | (fc == CUMULATIVE) | (fc == RELATIVE) | (fc == QUALITATIVE)) & (
        specs["form_observed"].to_numpy(dtype=object) == "annual_rate")
    if not rates.any():
        return specs
    missing = rates & specs["baseline_period"].isna().to_numpy()
    if missing.any() and len(obs):
        first = obs.groupby("indicator", sort=False)["time"].min()
        ft = specs["indicator"].map(first).to_numpy(dtype=float)
        ok = missing & np.isfinite(ft)
        specs.loc[ok, "baseline_period"] = [str(Period.parse(str(int(np.floor(x)) - 1))) for x in ft[ok]]
    specs.loc[rates, "baseline"] = 1.0
    return specs


@dataclass
class FormPlan:
    """Per-series facts of the forms, decoded once (see :func:`prepare_panel`)."""

    code: NDArray[np.int8]
    rates: BoolArray  # observations are annual rates (the panel holds the chained index)
    observed: NDArray[np.float64]  # the panel's values as observed (rates, not the index)
    value: FloatArray
    strict: BoolArray  # comparator > or <
    ceiling: BoolArray  # comparator < or ≤
    percent: BoolArray  # cumulative change in % of the base (else in units)

    def any(self) -> bool:
        return bool((self.code != LEVEL).any())

    def of(self, *codes: int) -> BoolArray:
        return np.isin(self.code, codes)


def prepare_panel(panel: Any) -> FormPlan | None:
    """Chain annual rates into an index and derive the end point of growth and cumulative targets (in place).

    The derived end point lives in the panel's ``target`` only for the measures (shares, CAGR ratio,
    projection); it is never shown as a target (the output's ``target`` is the plan's level, or empty).
    """
    s = panel.series
    if "target_form" not in s.columns or len(s) == 0:
        return None
    code = form_codes(s)
    if not (code != LEVEL).any():
        return None
    observed = panel.values.copy(order="F")
    obs_kind = s["form_observed"].to_numpy(dtype=object)
    rates = np.isin(code, (GROWTH, CUMULATIVE, RELATIVE, QUALITATIVE)) & (obs_kind == "annual_rate")
    if rates.any():
        body = np.where(panel.mask[:, 1:] & rates[:, None], 1.0 + panel.values[:, 1:] / 100.0, 1.0)
        index = np.cumprod(body, axis=1)
        panel.values[rates, 1:] = np.where(panel.mask[rates, 1:], index[rates], np.nan)
        panel.values[rates, 0] = 1.0
    comp = s["form_comparator"].to_numpy(dtype=object)
    unit = s["form_change_unit"].to_numpy(dtype=object)
    value = s["form_value"].to_numpy(dtype=float)
    plan = FormPlan(code=code, rates=rates, observed=observed, value=value,
                    strict=np.isin(comp, (">", "<")), ceiling=np.isin(comp, ("<", "≤")), percent=unit != "units")
    vb = panel.values[:, 0]
    b = panel.times[:, 0]
    T = s["t_time"].to_numpy(dtype=float)
    d = s["sign"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        grown = vb * np.power(1.0 + value / 100.0, T - b)
        changed = np.where(plan.percent, vb * (1.0 + d * value / 100.0), vb + d * value)
    target = s["target"].to_numpy(dtype=float).copy()
    target = np.where(code == GROWTH, grown, np.where(code == CUMULATIVE, changed, target))
    target = np.where(plan.of(BOUND, RELATIVE, QUALITATIVE), np.nan, target)
    s["target"] = target
    panel.compound_path = panel.compound_path | (code == GROWTH)
    panel.trajectory = np.where(code == GROWTH, "compound", panel.trajectory).astype(object)
    return plan


def log_share(fp: FormPlan, vb: FloatArray, vt: FloatArray, vT: FloatArray, share: FloatArray,
              moved: BoolArray) -> FloatArray:
    """The progress share of an annual-growth target on the log scale (the compound path is p = τ)."""
    g = fp.code == GROWTH
    if not g.any():
        return share
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = g & moved & (vb > 0) & (vt > 0) & (vT > 0) & (vT != vb)
        lg = np.where(ok, np.log(vt / vb) / np.log(vT / vb), np.nan)
    out: FloatArray = np.where(g, lg, share)
    return out


def strict_miss(fp: FormPlan, d: FloatArray, vt: FloatArray, vT: FloatArray) -> BoolArray:
    """A strict comparator (> 7, 〔>10〕) is not met by a value exactly on it."""
    with np.errstate(invalid="ignore"):
        on = np.abs(vt - vT) <= _EPS * np.maximum(1.0, np.abs(vT))
    return np.asarray(fp.of(GROWTH, CUMULATIVE) & fp.strict & on, dtype=bool)


@dataclass
class Judged:
    """The statuses the forms give outside the scheme's rule, and the measures they blank."""

    rows: BoolArray  # rows whose status is set here
    held: BoolArray
    broken: BoolArray
    entered: BoolArray  # qualitative: to be entered by the office
    blank: BoolArray  # rows whose progress measures mean nothing (bound, relative, qualitative)
    failed: NDArray[Any]  # per row: the periods not held (tuple) or None


def _growth_of(panel: Any, fp: FormPlan, rows: NDArray[np.intp]) -> FloatArray:
    """Each point's growth on the previous period in % (rates as observed; levels: year on year), for ``rows``
    (the relative series and their references; NaN elsewhere)."""
    v = fp.observed[rows]
    m = panel.mask[rows]
    t = panel.times[rows]
    g = np.full(fp.observed.shape, np.nan, order="F")
    if v.shape[1] > 1 and len(rows):
        with np.errstate(divide="ignore", invalid="ignore"):
            step = t[:, 1:] - t[:, :-1]
            yoy = np.where(m[:, 1:] & m[:, :-1] & (np.abs(step - panel.period_len[rows, None]) < 1e-6)
                           & (v[:, :-1] != 0), (v[:, 1:] / v[:, :-1] - 1.0) * 100.0, np.nan)
        g[rows, 1:] = np.where(fp.rates[rows, None], np.where(m[:, 1:], v[:, 1:], np.nan), yoy)
    return g


def _in_period(panel: Any, checked_base: BoolArray) -> BoolArray:
    """Points from the baseline (excluded, unless it is an observation) to the target period."""
    T = panel.series["t_time"].to_numpy(dtype=float)
    inside = panel.mask & ~panel.partial & ((panel.times <= T[:, None] + 1e-9) | ~np.isfinite(T)[:, None])
    inside[:, 0] &= checked_base
    return np.asarray(inside, dtype=bool)


def judge(panel: Any, fp: FormPlan, notes: NoteBook) -> Judged:
    """Bounds, relations and qualitative targets: a status per row where the form decides it."""
    s = panel.series
    n = len(s)
    periods = panel.periods
    bound = fp.code == BOUND
    rel = fp.code == RELATIVE
    qual = fp.code == QUALITATIVE
    failed = np.full(n, None, dtype=object)
    checked = np.zeros(panel.mask.shape, dtype=bool, order="F")
    ok = np.zeros(panel.mask.shape, dtype=bool, order="F")

    if bound.any():
        v = fp.observed
        B = fp.value[:, None]
        inside = _in_period(panel, panel.base_from_obs) & bound[:, None] & np.isfinite(B)
        tol = _EPS * np.maximum(1.0, np.abs(B))
        with np.errstate(invalid="ignore"):
            below = np.where(fp.strict[:, None], v < B - tol, v <= B + tol)
            above = np.where(fp.strict[:, None], v > B + tol, v >= B - tol)
        checked |= inside
        ok |= inside & np.where(fp.ceiling[:, None], below, above)

    g_ref = np.full(panel.mask.shape, np.nan, order="F")
    g_own = np.full(panel.mask.shape, np.nan, order="F")
    if rel.any():
        refs = {str(x) for x in pd.unique(s["form_relative_to"].to_numpy(dtype=object)[rel])}
        involved = np.flatnonzero(rel | s["indicator"].isin(refs).to_numpy(dtype=bool))  # a few rows of 100,000
        g_own = _growth_of(panel, fp, involved)
        g_ref = _reference_growth(panel, g_own, rel, involved)
        tolr = np.nan_to_num(s["form_tolerance"].to_numpy(dtype=float), nan=0.0)[:, None]
        inside = _in_period(panel, np.zeros(n, dtype=bool)) & rel[:, None] & np.isfinite(g_own) & np.isfinite(g_ref)
        relation = s["form_relation"].to_numpy(dtype=object)[:, None]
        with np.errstate(invalid="ignore"):
            diff = g_own - g_ref
            holds = np.where(relation == "in_step", np.abs(diff) <= tolr + _EPS, diff > -tolr + _EPS)
        checked |= inside
        ok |= inside & holds
        no_ref = rel & ~s["_ref_found"].to_numpy(dtype=bool)
        notes.add_rows("relative_reference_missing", no_ref,
                       lambda i: (f"参照指标“{s['form_relative_to'].iat[i]}”不在指标表中或该地区无数据，暂无法评估",
                                  f"the reference indicator '{s['form_relative_to'].iat[i]}' is not in the indicator "
                                  "table or has no data for this unit: not assessed"))

    bad = checked & ~ok
    any_checked = checked.any(axis=1)
    broken = bad.any(axis=1) & (bound | rel)
    held = any_checked & ~broken & (bound | rel)
    for row in np.flatnonzero(broken):
        failed[row] = tuple(str(p) for p in periods[row][bad[row]])
    val = fp.value
    cmp_ = s["form_comparator"].to_numpy(dtype=object)
    obs_v = fp.observed
    ref_id = s["form_relative_to"].to_numpy(dtype=object)
    relation_a = s["form_relation"].to_numpy(dtype=object)
    tol_a = s["form_tolerance"].to_numpy(dtype=float)
    names = _names(s)

    def bound_words(i: int) -> tuple[str, str, str, str]:
        zh_w, en_w = _CMP_WORDS.get(str(cmp_[i]), ("", ""))
        if fp.ceiling[i]:
            return f"上限（{zh_w} {val[i]:g}）", f"ceiling ({en_w} {val[i]:g})", zh_w, en_w
        return f"底线（{zh_w} {val[i]:g}）", f"floor ({en_w} {val[i]:g})", zh_w, en_w

    def rel_words(i: int) -> tuple[str, str]:
        ref_zh, ref_en = names(str(ref_id[i]))
        if relation_a[i] == "in_step":
            return (f"与{ref_zh}增长基本同步（容差 {tol_a[i]:g} 个百分点）",
                    f"growth in step with {ref_en} (tolerance {tol_a[i]:g} points)")
        return f"增长高于{ref_zh}", f"growth above {ref_en}"

    # held: one text per distinct rule (no per-row formatting); not held: the years and values of the row
    for i, mask in _by_rule(bound & held, cmp_, val):
        zh_b, en_b, _z, _e = bound_words(i)
        notes.add("bound_held", mask, f"逐年守住{zh_b}；底线/上限目标不评“提前实现”",
                  f"the {en_b} is held every year so far; a bound is never 'achieved early'")
    for i, mask in _by_rule(rel & held, ref_id, relation_a, tol_a):
        zh_r, en_r = rel_words(i)
        notes.add("relative_held", mask, f"逐年{zh_r}", f"{en_r} every year so far")

    def bound_broken(i: int) -> tuple[str, str]:
        zh_b, en_b, _z, _e = bound_words(i)
        cols = np.flatnonzero(bad[i])
        return ("未守住" + zh_b + "的年份：" + "、".join(f"{periods[i, j]}（{obs_v[i, j]:.6g}）" for j in cols),
                f"years out of the {en_b}: " + ", ".join(f"{periods[i, j]} ({obs_v[i, j]:.6g})" for j in cols))

    def rel_broken(i: int) -> tuple[str, str]:
        zh_r, en_r = rel_words(i)
        cols = np.flatnonzero(bad[i])
        return (f"未做到{zh_r}的年份：" + "、".join(f"{periods[i, j]}（{g_own[i, j]:.3g}% 对 {g_ref[i, j]:.3g}%）"
                                               for j in cols),
                f"years not {en_r}: " + ", ".join(f"{periods[i, j]} ({g_own[i, j]:.3g}% vs {g_ref[i, j]:.3g}%)"
                                                 for j in cols))

    notes.add_rows("bound_broken", bound & broken, bound_broken)
    notes.add_rows("relative_not_held", rel & broken, rel_broken)
    notes.add("form_no_year_in_period", (bound | rel) & ~any_checked,
              "规划期内尚无可判断的年度数据，暂无法评估", "no year of the plan period can be judged yet: not assessed")
    text_zh = s["form_text_zh"].to_numpy(dtype=object)
    text_en = s["form_text_en"].to_numpy(dtype=object)
    for i, mask in _by_rule(qual, text_zh, text_en):
        notes.add("qualitative_to_be_entered", mask, f"定性目标（{text_zh[i]}）：状态由规划办公室评定并填报",
                  f"qualitative target ({text_en[i] or text_zh[i]}): the status is entered by the office")
    panel.form_failed = failed
    return Judged(rows=held | broken | qual, held=held, broken=broken, entered=qual,
                  blank=bound | rel | qual, failed=failed)


def _by_rule(mask: BoolArray, *columns: NDArray[Any]) -> list[tuple[int, BoolArray]]:
    """(a row, the rows of ``mask`` sharing its values of ``columns``) per distinct combination: a plan has a
    handful of rules, so the notes are a handful of constant texts."""
    rows = np.flatnonzero(mask)
    if not len(rows):
        return []
    codes = np.zeros(len(rows), dtype=np.int64)
    for c in columns:  # one integer code per distinct combination, column by column
        cc, uc = pd.factorize(pd.Series(c[rows], dtype=object), use_na_sentinel=False)
        codes = codes * (len(uc) + 1) + cc
    codes, uniq = pd.factorize(codes)
    out = []
    for k in range(len(uniq)):
        sel = rows[codes == k]
        m = np.zeros(len(mask), dtype=bool)
        m[sel] = True
        out.append((int(sel[0]), m))
    return out


def _names(s: pd.DataFrame) -> Any:
    """An indicator id → (zh, en) name without a trailing 增长/growth, for "高于…增长" (the id when unnamed)."""
    first = s.drop_duplicates("indicator")  # one row per indicator (a plan has dozens, a panel 100,000 rows)
    ids = [str(x) for x in first["indicator"].to_numpy(dtype=object)]
    zh = dict(zip(ids, first["name_zh"].astype(object).fillna("").to_numpy(dtype=object).tolist(), strict=True))
    en = dict(zip(ids, first["name_en"].astype(object).fillna("").to_numpy(dtype=object).tolist(), strict=True))

    def name(ind_id: str) -> tuple[str, str]:
        return (_without_growth(zh.get(ind_id) or ind_id, "增长"),
                _without_growth(en.get(ind_id) or zh.get(ind_id) or ind_id, " growth"))

    return name


def _reference_growth(panel: Any, g_own: FloatArray, rel: BoolArray, involved: NDArray[np.intp]) -> FloatArray:
    """For each relative series, the reference indicator's growth (same unit, same period) per point.

    Only the ``involved`` rows (the relative series and the series of the indicators they name) are matched."""
    s = panel.series
    n = len(s)
    sub = s.iloc[involved]
    m = len(sub)
    series_col = sub["series"].to_numpy(dtype=object) if "series" in sub.columns else np.full(m, None, dtype=object)
    head = pd.isna(series_col)
    ic, ind_u = pd.factorize(sub["indicator"].astype(object))
    uc, _units = pd.factorize(sub["unit"].astype(object).fillna(""))
    nu = max(int(uc.max()) + 1 if m else 1, 1)
    key = np.where(head, ic.astype(np.int64) * nu + uc, -1)
    want_i = pd.Index(ind_u).get_indexer(sub["form_relative_to"].astype(object))
    want = np.where(rel[involved] & (want_i >= 0), want_i.astype(np.int64) * nu + uc, -2)
    order = np.argsort(key, kind="stable")
    at = np.clip(np.searchsorted(key[order], want), 0, max(m - 1, 0))
    hit = key[order][at] == want if m else np.zeros(0, dtype=bool)
    k = np.full(n, np.nan)
    k[involved] = np.where(hit, involved[order[at]] if m else 0, -1).astype(float)
    k[k < 0] = np.nan
    found = rel & np.isfinite(k)
    s["_ref_found"] = found
    out = np.full(g_own.shape, np.nan, order="F")
    rows = np.flatnonzero(found)
    if not len(rows):
        return out
    ref = k[rows].astype(np.intp)
    w = g_own.shape[1]
    # long tables: (reference series, period time) → growth; (relative row, column) → its time
    rt = panel.times[ref]
    own_t = panel.times[rows]
    left = pd.DataFrame({"r": np.repeat(np.arange(len(rows)), w), "j": np.tile(np.arange(w), len(rows)),
                         "ref": np.repeat(ref, w), "t": np.round(own_t.ravel(), 6)})
    right = pd.DataFrame({"ref": np.repeat(ref, w), "t": np.round(rt.ravel(), 6), "g": g_own[ref].ravel()})
    right = right[np.isfinite(right["t"]) & np.isfinite(right["g"])].drop_duplicates(["ref", "t"])
    both = left[np.isfinite(left["t"])].merge(right, on=["ref", "t"], how="inner")
    out[rows[both["r"].to_numpy()], both["j"].to_numpy()] = both["g"].to_numpy()
    return out


def recode(status: Coded, j: Judged, scheme: str) -> Coded:
    """The scheme's statuses with the forms' ones put in (codes extended by to_be_entered when needed)."""
    if not j.rows.any() and not j.blank.any():
        return status
    codes = list(status.codes)
    for c in (HELD[scheme], BROKEN[scheme], TO_BE_ENTERED):
        if c not in codes:
            codes.append(c)
    idx = status.index.copy()
    idx[j.blank] = -1  # a bound, a relation or a qualitative target never gets the scheme's level classes
    idx[j.held] = codes.index(HELD[scheme])
    idx[j.broken] = codes.index(BROKEN[scheme])
    idx[j.entered] = codes.index(TO_BE_ENTERED)
    return Coded(idx, tuple(codes))


def target_text(s: pd.DataFrame, fp: FormPlan | None) -> tuple[NDArray[Any], NDArray[Any]]:
    """The target as the plan prints it (zh, en) for rows of a non-level form; None for levels."""
    n = len(s)
    zh = np.full(n, None, dtype=object)
    en = np.full(n, None, dtype=object)
    if fp is None:
        return zh, en
    cmp_ = s["form_comparator"].to_numpy(dtype=object)
    tz = s["form_text_zh"].to_numpy(dtype=object)
    te = s["form_text_en"].to_numpy(dtype=object)
    unit = s["form_change_unit"].to_numpy(dtype=object)
    rel_to = s["form_relative_to"].to_numpy(dtype=object)
    relation = s["form_relation"].to_numpy(dtype=object)
    tol = s["form_tolerance"].to_numpy(dtype=float)
    d = s["sign"].to_numpy(dtype=float)
    names = _names(s)
    for i, same in _by_rule(fp.code != LEVEL, fp.code, fp.value, cmp_, tz, te, unit, rel_to, relation, tol, d):
        c, v = fp.code[i], fp.value[i]
        op = str(cmp_[i]) if isinstance(cmp_[i], str) else ""
        if c == GROWTH:
            zh[i], en[i] = f"年均增长 {op or '≥'} {v:g}%", f"average annual growth {op or '≥'} {v:g}%"
        elif c == CUMULATIVE:
            pct = "%" if unit[i] != "units" else ""
            word = ("累计提高", "cumulative rise") if d[i] > 0 else ("累计降低", "cumulative fall")
            zh[i], en[i] = f"{word[0]}〔{op}{v:g}〕{pct}", f"{word[1]} 〔{op}{v:g}〕{pct}"
        elif c == BOUND:
            zh[i], en[i] = f"{op} {v:g}（每年）", f"{op} {v:g} (every year)"
        elif c == RELATIVE:
            ref_zh, ref_en = names(str(rel_to[i]))
            if relation[i] == "in_step":
                zh[i] = f"与{ref_zh}增长基本同步（±{tol[i]:g}个百分点）"
                en[i] = f"in step with {ref_en} growth (±{tol[i]:g} points)"
            else:
                zh[i], en[i] = f"高于{ref_zh}增长", f"above {ref_en} growth"
        else:
            zh[i], en[i] = str(tz[i]), str(te[i] or tz[i])
        if tz[i] and c != QUALITATIVE:
            zh[i] = str(tz[i])
            en[i] = str(te[i]) if te[i] else en[i]
        zh[same], en[same] = zh[i], en[i]
    return zh, en


def _without_growth(name: str, word: str) -> str:
    """"国内生产总值（GDP）增长" → "国内生产总值（GDP）", so that "高于…增长" reads as the plan prints it."""
    return name[: -len(word)] if name.endswith(word) and len(name) > len(word) else name


def note_rebased(panel: Any, notes: NoteBook) -> None:
    """A re-based baseline is said on every row assessed on it, with the printed one and the reason."""
    s = panel.series
    if "rebased_reason_zh" not in s.columns:
        return
    reason_zh = s["rebased_reason_zh"].to_numpy(dtype=object)
    has = pd.notna(reason_zh) & (s["target_basis"].isna().to_numpy() | (s["target_basis"] == "own_plan").to_numpy())
    if not has.any():
        return
    reason_en = s["rebased_reason_en"].to_numpy(dtype=object)
    printed = s["baseline_printed"].to_numpy(dtype=float)
    printed_p = s["baseline_printed_period"].to_numpy(dtype=object)
    vb, periods = panel.values[:, 0], panel.periods[:, 0]

    def text(i: int) -> tuple[str, str]:
        was = f"{printed_p[i]}：{printed[i]:.6g}" if np.isfinite(printed[i]) else "—"
        was_en = f"{printed_p[i]}: {printed[i]:.6g}" if np.isfinite(printed[i]) else "—"
        return (f"基期值按新口径调整为 {periods[i]}：{vb[i]:.6g}（规划印发的基期值 {was}）：{reason_zh[i]}",
                f"baseline re-based to {periods[i]}: {vb[i]:.6g} (printed in the plan: {was_en}): {reason_en[i]}")

    notes.add_rows("baseline_rebased", has, text)


def output_columns(panel: Any, fp: FormPlan | None, baseline: FloatArray, target: FloatArray, latest: FloatArray,
                   cagr_actual: FloatArray, last: NDArray[np.intp]) -> dict[str, Any]:
    """The forms' columns of the assessment table, and the shown baseline, target and latest (as observed)."""
    s = panel.series
    n = len(s)
    zh, en = target_text(s, fp)
    printed = s["baseline_printed"].to_numpy(dtype=float) if "baseline_printed" in s.columns else np.full(n, np.nan)
    printed_p = (s["baseline_printed_period"].to_numpy(dtype=object) if "baseline_printed_period" in s.columns
                 else np.full(n, None, dtype=object))
    out: dict[str, Any] = {
        "target_form": s["target_form"].fillna("level").to_numpy(dtype=object) if "target_form" in s.columns
        else "level",
        "target_text_zh": zh, "target_text_en": en,
        "achieved_change": np.full(n, np.nan), "failed_periods": np.full(n, None, dtype=object),
        "baseline_printed": printed, "baseline_printed_period": printed_p,
    }
    if fp is None:
        return {**out, "baseline": baseline, "target": target, "latest": latest}
    vb = panel.values[:, 0]
    vt = np.where(np.isfinite(latest), latest, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(fp.percent, (vt / vb - 1.0) * 100.0, vt - vb)
    achieved = np.where(fp.code == GROWTH, cagr_actual * 100.0, np.where(fp.code == CUMULATIVE, change, np.nan))
    out["achieved_change"] = achieved
    shown_target = np.where((fp.code == LEVEL) | ((fp.code == CUMULATIVE) & ~fp.rates), target, np.nan)
    # rows of annual rates show the latest rate as observed and the printed base (the index is internal)
    observed_latest = fp.observed[np.arange(n), last]
    shown_latest = np.where(fp.rates & np.isfinite(latest), observed_latest, latest)
    shown_base = np.where(fp.rates, printed, baseline)
    if panel.form_failed is not None:
        out["failed_periods"] = panel.form_failed
    return {**out, "baseline": shown_base, "target": shown_target, "latest": shown_latest}
