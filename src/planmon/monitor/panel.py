"""From long tables to arrays: the series × points panel that every measure is computed on.

Inputs are the analyst's habit (pandas): an observations table
(``indicator, unit, period, value`` [, ``status``, ``proxy``]) and an indicator
table or a list of framework :class:`~planmon.framework.model.Indicator`. The
output is one row per series (indicator × unit) and three arrays of shape
(series, points): times, values and a mask. Column 0 is the base point
(declared baseline, or the first observation when none is declared); the other
columns are the observations after it, in time order. Periods are parsed once
per distinct string, so a million rows cost a handful of parses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from planmon.framework.model import Indicator
from planmon.i18n import Message
from planmon.monitor.forms import (
    FORM_COLUMNS,
    FORM_DEFAULTS,
    FORMS,
    FormPlan,
    form_codes,
    prepare_panel,
    prepare_specs,
    spec_columns,
)
from planmon.periods import Period, PeriodError
from planmon.refusal import Refusal

SPEC_COLUMNS = [
    "indicator", "unit", "sign", "baseline_period", "baseline", "target_period", "target", "kind", "attribute",
    "frequency", "proxy", "trajectory", "trajectory_points", "name_zh", "name_en", "natural_limit", "series",
    # the basis of the target (planmon.monitor.basis): carried through to every assessment row
    "target_basis", "target_source", "national_target", "national_baseline",
    # the target form and its rule, the printed baseline of a re-based one (planmon.monitor.forms, issue 19)
    *FORM_COLUMNS,
]

_SIGN = {"+": 1, "-": -1, "increase": 1, "decrease": -1, "1": 1, "-1": -1, "up": 1, "down": -1,
         "higher": 1, "lower": -1, "−": -1}
PERIOD_LEN = {"annual": 1.0, "quarterly": 0.25, "monthly": 1.0 / 12.0}


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and v.strip() == "")


def _time_or_nan(v: Any) -> float:
    return np.nan if _missing(v) else Period.parse(str(v)).time


def _canonical_period(v: Any) -> str | None:
    return None if _missing(v) else str(Period.parse(str(v).strip().removesuffix(".0")))


def _map_unique(values: Any, fn: Any) -> list[Any]:
    """``fn`` applied once per distinct value (a 100,000-row table has a handful of periods)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = [fn(u) for u in uniques]
    table[-1] = fn(None) if (codes < 0).any() else None  # code −1 (missing) picks the last slot
    return list(table[codes])


class InputError(Refusal):
    """Input the assessment cannot use; names where and why, in zh and en."""

    code = "monitor_input"

    def __init__(self, messages_zh: list[str], messages_en: list[str]) -> None:
        self.messages_zh = messages_zh
        self.messages_en = messages_en
        super().__init__([Message(z, e) for z, e in zip(messages_zh, messages_en, strict=False)],
                         text="; ".join(messages_en))


def parse_sign(value: Any) -> int | None:
    if isinstance(value, int | float) and not pd.isna(value):
        return 1 if value >= 0 else -1
    return _SIGN.get(str(value).strip().lower())


def indicator_specs(indicators: pd.DataFrame | list[Indicator]) -> pd.DataFrame:
    """One row per indicator (or indicator × unit when a ``unit`` column is given)."""
    if isinstance(indicators, list):
        rows = []
        for x in indicators:
            pts = sorted((Period.parse(p.period).time, p.value) for p in x.trajectory.points)
            base = x.assessed_baseline  # the re-based baseline when declared (issue 19)
            rule = x.target_rule
            rows.append({
                "indicator": x.id, "unit": None, "sign": x.sign,
                "baseline_period": base.period if base else None,
                "baseline": base.value if base else np.nan,
                "target_period": x.target.period if x.target else (rule.period if rule else None),
                "target": x.target.value if x.target else np.nan,
                "kind": x.kind, "attribute": x.attribute, "frequency": x.frequency, "proxy": x.proxy,
                "trajectory": x.trajectory.method, "trajectory_points": pts,
                "name_zh": x.name_zh, "name_en": x.name_en,
                "natural_limit": x.natural_limit if x.natural_limit is not None else np.nan, "series": None,
                "target_basis": None, "target_source": None,
                "national_target": x.target.value if x.target else np.nan,
                "national_baseline": base.value if base else np.nan,
                **spec_columns(x),
            })
        return pd.DataFrame(rows, columns=SPEC_COLUMNS)
    df = indicators.copy()
    if "direction" not in df.columns and "sign" in df.columns:
        # spec rows built from a framework (unit_specs: the store, the report, the web) carry the sign, not the
        # direction: without this a "decrease" indicator (单位GDP能耗降低, 失业率) was read back as "increase"
        df["direction"] = df["sign"]
    if "indicator" not in df.columns and "id" in df.columns:
        df = df.rename(columns={"id": "indicator"})
    if "indicator" not in df.columns:
        raise InputError(["指标表缺少“indicator”列"], ["the indicator table has no 'indicator' column"])
    defaults: dict[str, Any] = {
        "unit": None, "direction": "increase", "baseline_period": None, "baseline": np.nan, "target_period": None,
        "target": np.nan, "kind": "stock", "attribute": "unknown", "frequency": "annual", "proxy": False,
        "trajectory": "linear", "trajectory_points": None, "name_zh": "", "name_en": "",
        "natural_limit": np.nan, "series": None,
        "target_basis": None, "target_source": None, "national_target": np.nan, "national_baseline": np.nan,
        **FORM_DEFAULTS,
    }
    for col, val in defaults.items():
        if col not in df.columns:
            df[col] = [val] * len(df) if not isinstance(val, float) else val
    signs = _map_unique(df["direction"], parse_sign)
    bad = [i for i, s in enumerate(signs) if s is None]
    if bad:
        raise InputError(
            [f"第 {i + 1} 行指标 {df['indicator'].iloc[i]}：方向“{df['direction'].iloc[i]}”无法识别（应为 + 或 -）" for i in bad],
            [f"row {i + 1}, indicator {df['indicator'].iloc[i]}: direction '{df['direction'].iloc[i]}' "
             "not understood (use + or -)" for i in bad],
        )
    df["sign"] = signs
    df["trajectory_points"] = [p if isinstance(p, list) else [] for p in df["trajectory_points"]]
    for col in ("baseline_period", "target_period"):
        df[col] = pd.Series(_map_unique(df[col], _canonical_period), dtype=object)
    df["unit"] = pd.Series(_map_unique(df["unit"], lambda u: None if _missing(u) else str(u)), dtype=object)
    df["series"] = pd.Series(_map_unique(df["series"], lambda u: None if _missing(u) else str(u)), dtype=object)
    raw_limit = df["natural_limit"]
    limit = pd.to_numeric(raw_limit, errors="coerce").astype(float)
    # Vectorised: a blank is no limit; anything else must be a finite number.
    if pd.api.types.is_numeric_dtype(raw_limit):
        bad_limit = np.flatnonzero(np.isinf(limit.to_numpy())).tolist()
    else:
        blank = raw_limit.isna() | raw_limit.astype(str).str.strip().eq("")
        bad_limit = np.flatnonzero((~blank & ~np.isfinite(limit)).to_numpy()).tolist()
    if bad_limit:
        raise InputError(
            [f"第 {i + 1} 行指标 {df['indicator'].iloc[i]}：自然极限“{df['natural_limit'].iloc[i]}”不是数值" for i in bad_limit],
            [f"row {i + 1}, indicator {df['indicator'].iloc[i]}: natural limit '{df['natural_limit'].iloc[i]}' "
             "is not a number" for i in bad_limit],
        )
    df["natural_limit"] = limit.astype(float)
    bad_form = np.flatnonzero(form_codes(df) < 0).tolist()
    if bad_form:
        raise InputError(
            [f"第 {i + 1} 行指标 {df['indicator'].iloc[i]}：目标形式“{df['target_form'].iloc[i]}”无法识别"
             f"（应为 {'、'.join(FORMS)}）" for i in bad_form],
            [f"row {i + 1}, indicator {df['indicator'].iloc[i]}: target form '{df['target_form'].iloc[i]}' "
             f"not understood (use {', '.join(FORMS)})" for i in bad_form],
        )
    return df[SPEC_COLUMNS].reset_index(drop=True)


@dataclass
class PeriodInfo:
    """Parsed facts of the distinct period strings of a table."""

    time: dict[str, float]
    partial: dict[str, bool]

    @classmethod
    def of(cls, periods: Any) -> PeriodInfo:
        info = cls({}, {})
        for s in pd.unique(np.asarray(periods, dtype=object)):
            info.add(s)
        return info

    def add(self, s: Any) -> None:
        key = str(s)
        if key in self.time:
            return
        p = Period.parse(key)
        self.time[key] = p.time
        self.partial[key] = p.is_partial_year


def _text(col: pd.Series) -> NDArray[Any]:
    return col.to_numpy(dtype=object) if pd.api.types.is_string_dtype(col) else col.astype(str).to_numpy(dtype=object)


def normalise_observations(observations: pd.DataFrame) -> tuple[pd.DataFrame, PeriodInfo]:
    """Columns indicator, unit, period (canonical string), value, time, partial, proxy.

    Periods are parsed once per distinct string (``pd.factorize``), then spread by code.
    """
    need = ["indicator", "unit", "period", "value"]
    missing = [c for c in need if c not in observations.columns]
    if missing:
        raise InputError([f"观测值表缺少列：{', '.join(missing)}"], [f"observations lack columns: {', '.join(missing)}"])
    codes, uniques = pd.factorize(observations["period"].astype(str) if not pd.api.types.is_string_dtype(
        observations["period"]) else observations["period"])
    try:
        parsed = [Period.parse(str(u)) for u in uniques]
    except PeriodError as exc:
        raise InputError([exc.message_zh], [exc.message_en]) from None
    info = PeriodInfo({str(p): p.time for p in parsed}, {str(p): p.is_partial_year for p in parsed})
    canon = np.array([str(p) for p in parsed] or [""], dtype=object)
    times = np.array([p.time for p in parsed] or [np.nan], dtype=float)
    partial = np.array([p.is_partial_year for p in parsed] or [False], dtype=bool)
    value = pd.to_numeric(observations["value"], errors="coerce").to_numpy(dtype=float)
    proxy = (observations["proxy"].fillna(False).astype(bool).to_numpy()
             if "proxy" in observations.columns else np.zeros(len(observations), dtype=bool))
    obs = pd.DataFrame({
        "indicator": _text(observations["indicator"]),
        "unit": _text(observations["unit"]),
        **({"series": _series_labels(observations["series"])} if "series" in observations.columns else {}),
        "period": pd.Series(canon[codes], dtype=object),
        "value": value,
        "proxy": proxy,
        "time": times[codes],
        "partial": partial[codes],
    })
    keep = np.isfinite(value)
    return (obs if keep.all() else obs[keep].reset_index(drop=True)), info


def _series_labels(col: pd.Series) -> NDArray[Any]:
    """The series label of each observation (by sex, area…); None for the headline (no label)."""
    return np.asarray(_map_unique(col, lambda v: None if _missing(v) else str(v).strip() or None), dtype=object)


@dataclass
class Panel:
    """Series table plus (series × points) arrays; column 0 is the base point."""

    series: pd.DataFrame
    times: NDArray[np.float64]
    values: NDArray[np.float64]
    mask: NDArray[np.bool_]
    periods: NDArray[Any]
    partial: NDArray[np.bool_]
    dropped_partial: dict[int, list[str]] = field(default_factory=dict)
    base_from_obs: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    any_proxy: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: Per-series facts of the spec columns, as arrays (decoded once per distinct value, here):
    #: the length of a period in years (stale-data age), the trajectory method and its two
    #: non-linear cases.
    period_len: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    trajectory: NDArray[Any] = field(default_factory=lambda: np.zeros(0, dtype=object))
    compound_path: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    points_path: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: Base chosen by a base-year rule that skipped earlier observations; no observation to serve as base
    #: under that rule (see :func:`build_panel`).
    base_after_first: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    no_base_in_window: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    base_year: float | None = None
    target_year_assumed: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: the target forms other than a level (planmon.monitor.forms); None when every series is a level
    forms: FormPlan | None = None
    #: per series, the periods a bound or relation was not held (set by the assessment)
    form_failed: NDArray[Any] | None = None


def build_panel(specs: pd.DataFrame, obs: pd.DataFrame, *, base_year: float | None = None,
                base_fallback: str = "after", target_year: float | None = None) -> Panel:
    """Expand specs to series and pack the observations after each series' base point.

    Rows are matched to series by integer keys (factorised indicator and unit), and
    packed by a stable sort on (series, time): no per-row Python work.

    A series without a declared baseline takes as base its first observation (``base_year``
    None) or, under a publisher's base-year rule, its observation in ``base_year`` or else the
    first one after it (Open SDG); ``base_fallback="after_then_before"`` moves the base to the
    latest earlier year when fewer than two values would remain (Eustat's reading of UNSD).
    A target value without a period gets ``target_year`` (2030 for the SDG publishers) when given.
    """
    if "target_form" in specs.columns:
        specs = prepare_specs(specs, obs)  # annual rates: an index base at the base period (issue 19)
    ic, ind_u = pd.factorize(pd.Series(obs["indicator"].to_numpy(dtype=object), dtype=object))
    uc, unit_u = pd.factorize(pd.Series(obs["unit"].to_numpy(dtype=object), dtype=object))
    nu = max(len(unit_u), 1)
    key_o = ic.astype(np.int64) * nu + uc
    pair_keys = np.unique(key_o)
    pairs = pd.DataFrame({"indicator": pd.Series(np.asarray(ind_u, dtype=object)[pair_keys // nu], dtype=object),
                          "unit": pd.Series(np.asarray(unit_u, dtype=object)[pair_keys % nu], dtype=object)})

    # Series: explicit (indicator, unit) specs; unit-less specs apply to every unit observed for the indicator.
    explicit = specs[specs["unit"].notna()]
    generic = specs[specs["unit"].isna()].drop(columns=["unit"])
    expanded = generic.merge(pairs, on="indicator", how="left")
    if len(explicit) and len(expanded):
        taken = pd.MultiIndex.from_frame(explicit[["indicator", "unit"]].astype(object))
        mine = pd.MultiIndex.from_frame(expanded[["indicator", "unit"]].astype(object))
        expanded = expanded[~mine.isin(taken)]
    parts = [p for p in (explicit, expanded[SPEC_COLUMNS]) if len(p)]
    series = (pd.concat(parts, ignore_index=True) if parts else specs.iloc[0:0]).reset_index(drop=True)
    n = len(series)
    series["sid"] = np.arange(n)
    series["b_time"] = np.asarray(_map_unique(series["baseline_period"], _time_or_nan), dtype=float)
    series["t_time"] = np.asarray(_map_unique(series["target_period"], _time_or_nan), dtype=float)
    target_year_assumed = np.zeros(n, dtype=bool)
    if target_year is not None and n:
        target_year_assumed = (np.isfinite(series["target"].to_numpy(dtype=float))
                               & ~np.isfinite(series["t_time"].to_numpy(dtype=float)))
        if target_year_assumed.any():
            series.loc[target_year_assumed, "target_period"] = str(Period.parse(str(int(target_year))))
            series.loc[target_year_assumed, "t_time"] = Period.parse(str(int(target_year))).time

    # Observation → series by key.
    s_ic = pd.Index(ind_u).get_indexer(series["indicator"].to_numpy(dtype=object))
    s_uc = pd.Index(unit_u).get_indexer(series["unit"].to_numpy(dtype=object))
    key_s = np.where((s_ic >= 0) & (s_uc >= 0), s_ic.astype(np.int64) * nu + s_uc, -1)
    order_s = np.argsort(key_s, kind="stable")
    sorted_keys = key_s[order_s]
    at = np.clip(np.searchsorted(sorted_keys, key_o), 0, max(n - 1, 0))
    hit = (sorted_keys[at] == key_o) if n else np.zeros(len(key_o), dtype=bool)
    sid_all = np.where(hit, order_s[at] if n else 0, -1)

    o_time = obs["time"].to_numpy(dtype=float)
    o_val = obs["value"].to_numpy(dtype=float)
    o_part = obs["partial"].to_numpy(dtype=bool)
    o_proxy = obs["proxy"].to_numpy(dtype=bool)
    o_per = obs["period"].to_numpy(dtype=object)
    keep = sid_all >= 0
    # Partial-year observations of a flow indicator are never compared with an annual target.
    kind = series["kind"].to_numpy(dtype=object)
    flow_partial = keep & o_part & (kind[np.where(keep, sid_all, 0)] == "flow") if n else keep
    dropped: dict[int, list[str]] = {}
    for j in np.flatnonzero(flow_partial):
        dropped.setdefault(int(sid_all[j]), []).append(str(o_per[j]))
    keep &= ~flow_partial
    sid = sid_all[keep]
    t_k, v_k, part_k, per_k = o_time[keep], o_val[keep], o_part[keep], o_per[keep]
    order = np.lexsort((part_k, t_k, sid))
    sid, t_k, v_k, part_k, per_k = sid[order], t_k[order], v_k[order], part_k[order], per_k[order]
    proxy_any = np.bincount(sid_all[keep], weights=o_proxy[keep].astype(float), minlength=n) > 0

    # Series without a declared baseline take their first observation as base.
    no_base = ~np.isfinite(series["baseline"].to_numpy(dtype=float)) | series["baseline_period"].isna().to_numpy()
    first_sid, first_at = np.unique(sid, return_index=True)
    base_from_obs = np.zeros(n, dtype=bool)
    base_after_first = np.zeros(n, dtype=bool)
    no_base_in_window = np.zeros(n, dtype=bool)
    if base_year is not None and len(first_sid):
        # Per series: points in all, points in or after the base year; the base is the first of the latter.
        n_all = np.bincount(sid, minlength=n)[first_sid]
        n_from = np.bincount(sid, weights=(t_k >= float(base_year) - 1e-9).astype(float), minlength=n)[first_sid]
        skip = n_all - n_from.astype(np.intp)
        if base_fallback == "after_then_before":
            skip = np.maximum(np.minimum(skip, n_all - 2), 0)
        window = skip < n_all
        no_base_in_window[first_sid[no_base[first_sid] & ~window]] = True
        first_sid, first_at, skip = first_sid[window], first_at[window], skip[window]
        base_after_first[first_sid[(skip > 0) & no_base[first_sid]]] = True
        first_at = first_at + skip
    take = no_base[first_sid]
    if take.any():
        sids, rows = first_sid[take], first_at[take]
        series.loc[sids, "baseline"] = v_k[rows]
        series.loc[sids, "baseline_period"] = per_k[rows]
        series.loc[sids, "b_time"] = t_k[rows]
        base_from_obs[sids] = True
    b_time = series["b_time"].to_numpy(dtype=float)
    after = t_k > b_time[sid]
    sid, t_k, v_k, part_k, per_k = sid[after], t_k[after], v_k[after], part_k[after], per_k[after]
    pos = np.arange(len(sid)) - np.searchsorted(sid, sid, side="left") + 1
    width = int(pos.max()) + 1 if len(pos) else 1
    # Column-major: every per-point column (base, latest…) is contiguous, and the regression's
    # (points × series) view is free.
    times = np.full((n, width), np.nan, order="F")
    values = np.full((n, width), np.nan, order="F")
    mask = np.zeros((n, width), dtype=bool, order="F")
    periods = np.full((n, width), None, dtype=object, order="F")
    partial = np.zeros((n, width), dtype=bool, order="F")
    has_base = np.isfinite(series["baseline"].to_numpy(dtype=float)) & np.isfinite(b_time)
    times[:, 0] = b_time
    values[:, 0] = series["baseline"].to_numpy(dtype=float)
    mask[:, 0] = has_base
    periods[:, 0] = series["baseline_period"].to_numpy(dtype=object)
    times[sid, pos] = t_k
    values[sid, pos] = v_k
    mask[sid, pos] = True
    periods[sid, pos] = per_k
    partial[sid, pos] = part_k
    period_len = np.asarray(_map_unique(series["frequency"], lambda f: PERIOD_LEN.get(f, 1.0)), dtype=float)
    method = series["trajectory"].fillna("linear").to_numpy(dtype=object)
    path = np.asarray(_map_unique(method, lambda m: {"compound": 1, "points": 2}.get(m, 0)), dtype=np.int8)
    panel = Panel(series, times, values, mask, periods, partial, dropped, base_from_obs, proxy_any,
                  period_len, method, path == 1, path == 2, base_after_first, no_base_in_window,
                  None if base_year is None else float(base_year), target_year_assumed)
    panel.forms = prepare_panel(panel)
    return panel
