"""Several series of one indicator (by sex, by area, by age…): assessed each, then combined.

Observations may carry a ``series`` label; no label is the indicator's headline series.
Each (indicator, unit, series) is assessed like any other series: :func:`fold` turns the label
into a distinct panel key before the panel is built and :func:`unfold` splits it again, so the
vectorised pass is the same with or without series. :func:`combine` then gives every
(indicator, unit) exactly one row of ``level`` "indicator" — the headline's, or a row combining
the series by the scheme's ``series_rule`` (params.CHOICES):

- Open SDG (open-sdg docs/progress-methodology.md, "Aggregated progress status"): each series'
  progress value becomes a score −5…+5 (:func:`planmon.monitor.schemes.opensdg_score`); the
  indicator's score is the mean, its status the band of the mean ([2.5, 5] on track, [0, 2.5)
  acceleration needed, [−2.5, 0) limited progress, [−5, −2.5) deterioration); "target achieved"
  only when every scored series achieved it. A label ``group/sub`` puts the series in a
  sub-indicator group whose scores are averaged first, at any depth ("Sub-indicator grouping"),
  so every group weighs the same.
- UNSD (Eustat's adoption of the 2023 Progress Chart note): the series that best represents the
  whole population is assessed — the headline. Without one, planmon takes the worst series'
  status (no published rule; stated in the row's note). SDSN and ndrc: the same (no rule of theirs).

The series rows are kept, with ``level`` "series".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planmon.monitor.panel import Panel, build_panel
from planmon.monitor.schemes import STATUS_LABELS, STATUS_ORDER, band_of_score

#: Joins an indicator id and a series label into one panel key (a character no id or label holds).
SEP = "\x1f"
#: Separates the levels of a sub-indicator group in a series label ("education/math").
GROUP_SEP = "/"


def has_series(obs: pd.DataFrame, specs: pd.DataFrame) -> bool:
    return bool(("series" in obs.columns and obs["series"].notna().any())
                or ("series" in specs.columns and specs["series"].notna().any()))


def fold(obs: pd.DataFrame, specs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Series labels folded into the indicator key of observations and specs.

    A spec row without a series label applies to the headline and to every series observed for
    its indicator that has no spec of its own (the most specific spec wins); it is dropped for the
    headline when the indicator has series but no headline observation.
    """
    obs = obs.copy()
    lab = obs["series"].to_numpy(dtype=object) if "series" in obs.columns else np.full(len(obs), None, dtype=object)
    has = pd.notna(lab)
    ind = obs["indicator"].to_numpy(dtype=object)
    obs["indicator"] = np.where(has, ind + SEP + np.where(has, lab, "").astype(object), ind)
    observed = pd.DataFrame({"indicator": ind[has], "series": lab[has]}).drop_duplicates()
    headline = set(ind[~has])

    specs = specs.copy()
    specs["_pos"] = np.arange(len(specs))  # rows keep the order they were given in
    own = specs["series"].notna().to_numpy()
    specs.loc[own, "indicator"] = specs.loc[own, "indicator"] + SEP + specs.loc[own, "series"]
    generic = specs[~own]
    copies = generic.drop(columns=["series"]).merge(observed, on="indicator", how="inner")
    copies["indicator"] = copies["indicator"] + SEP + copies["series"]
    if len(copies) and own.any():
        declared = pd.MultiIndex.from_frame(specs.loc[own, ["indicator", "unit"]].astype(object).fillna("\0"))
        mine = pd.MultiIndex.from_frame(copies[["indicator", "unit"]].astype(object).fillna("\0"))
        copies = copies[~mine.isin(declared)]
    with_series = set(observed["indicator"])
    keep_generic = generic[~generic["indicator"].isin(with_series - headline)]
    out = pd.concat([keep_generic, specs[own], copies[specs.columns]], ignore_index=True)
    out = out.sort_values("_pos", kind="stable").drop(columns=["_pos"]).reset_index(drop=True)
    return obs.drop(columns=["series"], errors="ignore"), out


def unfold(series: pd.DataFrame) -> None:
    """Split the folded keys of a panel's series table back into ``indicator`` and ``series`` (in place)."""
    key = series["indicator"].astype(str)
    parts = key.str.split(SEP, n=1, expand=True)
    series["indicator"] = pd.Series(parts[0].to_numpy(dtype=object), index=series.index, dtype=object)
    labels = (_none_for_missing(parts[1].to_numpy(dtype=object))
              if parts.shape[1] > 1 else np.full(len(series), None, dtype=object))
    series["series"] = pd.Series(labels, index=series.index, dtype=object)


def _none_for_missing(a: Any) -> Any:
    """An object array with None (not NaN) where a value is missing, so JSON shows null."""
    a = np.asarray(a, dtype=object)
    return np.where(pd.isna(a), None, a)


def combine(df: pd.DataFrame, scheme: str, sp: dict[str, Any]) -> pd.DataFrame:
    """Add one ``level`` "indicator" row per (indicator, unit) with series, by the scheme's rule."""
    rule = str(sp.get("series_rule", "headline_else_worst"))
    labelled = df["series"].notna().to_numpy()
    if not labelled.any():
        return df
    key = df["indicator"].astype(str) + SEP + df["unit"].astype(str)
    grouped = set(key[labelled])
    in_group = key.isin(grouped).to_numpy()
    headline = in_group & ~labelled
    level = np.where(in_group & labelled, "series", "indicator").astype(object)
    use_headline = rule.startswith("headline_else")
    if not use_headline:
        level[headline] = "series"
    df = df.copy()
    df["level"] = level
    have_headline = set(key[headline]) if use_headline else set()
    todo = [k for k in dict.fromkeys(key[in_group & labelled]) if k not in have_headline]
    if not todo:
        return df
    sel = labelled & key.isin(todo).to_numpy()
    part = df[sel]
    part_key = key[sel].to_numpy()
    mean_rule = rule.endswith("mean")
    agg = _mean_scores(part) if mean_rule else _worst(part, scheme)
    labels = STATUS_LABELS[scheme]
    g = part.assign(_k=part_key).groupby("_k", sort=False)
    ident = [c for c in ("indicator", "unit", "direction", "kind", "attribute", "name_zh", "name_en", "scheme",
                         "scheme_params", "reference_period", "target_period", "target", "trajectory",
                         "target_basis", "target_basis_zh", "target_basis_en", "target_source", "national_target",
                         "national_baseline")
             if c in df.columns]
    extra = g[ident].first()
    # A target shared by every series is the indicator's; differing targets have no single value.
    differs = (g["target"].nunique(dropna=False) > 1) | (g["target_period"].nunique(dropna=False) > 1)
    extra.loc[differs, "target"] = np.nan
    extra.loc[differs, "target_period"] = None
    n = g.size()
    extra["proxy"] = g["proxy"].any()
    extra["stale"] = g["stale"].all()
    extra["n_observations"] = g["n_observations"].sum().astype(int)
    ks = list(extra.index)
    res = [agg.get(k, (None, np.nan, False, 0)) for k in ks]
    status = [r[0] for r in res]
    extra["status"] = status
    extra["score"] = np.array([r[1] for r in res], dtype=float)
    extra["achieved"] = np.array([r[2] for r in res], dtype=bool)
    extra["status_zh"] = [labels[x][0] if x else None for x in status]
    extra["status_en"] = [labels[x][1] if x else None for x in status]
    how_zh, how_en = (("各分序列得分的平均值（Open SDG 规则）", "the mean of the series' scores (Open SDG rule)")
                      if mean_rule else
                      ("各分序列中最差的状态（发布方未规定合并方法，planmon 规则）",
                       "the worst series status (no published rule; planmon's rule)"))
    zh, en = [], []
    for k, (st, score, _a, n_rated) in zip(ks, res, strict=True):
        sc_zh = f"，平均得分 {score:.3g}" if np.isfinite(score) else ""
        sc_en = f", mean score {score:.3g}" if np.isfinite(score) else ""
        zh.append(f"由 {n[k]} 个分序列（其中 {n_rated} 个可评价）合并：{how_zh}{sc_zh}"
                  + ("" if st else "；没有可评价的分序列，无法给出状态"))
        en.append(f"combined from {n[k]} series ({n_rated} assessable): {how_en}{sc_en}"
                  + ("" if st else "; no assessable series, so no status"))
    extra["notes_zh"] = zh
    extra["notes"] = en
    ok_codes, none_codes = ("series_combined",), ("series_combined", "status_not_assessed")
    extra["note_codes"] = [ok_codes if st else none_codes for st in status]
    extra["series"] = None
    extra["level"] = "indicator"
    extra = extra.reset_index(drop=True).reindex(columns=df.columns)
    for c in df.columns:  # measures of single series have no meaning for the combined row
        if c not in extra.columns or extra[c].isna().all():
            extra[c] = np.nan if df[c].dtype.kind == "f" else None
    # Each combined row goes just before its indicator's series rows.
    first_pos = pd.Series(np.arange(len(df)), index=key.to_numpy()).groupby(level=0, sort=False).min()
    pos = np.concatenate([np.arange(len(df), dtype=float), first_pos.loc[ks].to_numpy(dtype=float) - 0.5])
    out = pd.concat([df, extra], ignore_index=True)
    for c in df.columns:  # keep the frame's dtypes (object columns stay object: None, not NaN)
        if df[c].dtype == object:
            out[c] = pd.Series(_none_for_missing(out[c].to_numpy(dtype=object)), index=out.index, dtype=object)
    return out.iloc[np.argsort(pos, kind="stable")].reset_index(drop=True)


def _mean_scores(part: pd.DataFrame) -> dict[str, tuple[str | None, float, bool, int]]:
    """Open SDG: nested group means of the series' scores, then the band of the indicator's mean."""
    rated = part[np.isfinite(part["score"].to_numpy(dtype=float))]
    if rated.empty:
        return {}
    key = (rated["indicator"].astype(str) + SEP + rated["unit"].astype(str)).to_numpy()
    paths = [str(s).split(GROUP_SEP) for s in rated["series"]]
    cur = pd.DataFrame({"key": key, "path": [tuple(p[:-1]) for p in paths],
                        "score": rated["score"].to_numpy(dtype=float),
                        "achieved": rated["achieved"].to_numpy(dtype=bool)})
    # Average each innermost group into one entry of its parent, until only the indicator level is left.
    while (cur["path"].map(len) > 0).any():
        depth = cur["path"].map(len)
        deepest = int(depth.max())
        inner = cur[depth == deepest]
        merged = inner.groupby(["key", "path"], sort=False).agg(score=("score", "mean"), achieved=("achieved", "all"))
        merged = merged.reset_index()
        merged["path"] = merged["path"].map(lambda p: p[:-1])
        cur = pd.concat([cur[depth < deepest], merged], ignore_index=True)
    final = cur.groupby("key", sort=False).agg(score=("score", "mean"), achieved=("achieved", "all"))
    n_rated = {str(k): int(v) for k, v in pd.Series(key).value_counts().items()}
    out: dict[str, tuple[str | None, float, bool, int]] = {}
    for k, sc, ach in zip(final.index.astype(str), final["score"].to_numpy(dtype=float),
                          final["achieved"].to_numpy(dtype=bool), strict=True):
        out[k] = ("achieved" if ach else band_of_score(float(sc)), float(sc), bool(ach), n_rated[k])
    return out


def _worst(part: pd.DataFrame, scheme: str) -> dict[str, tuple[str | None, float, bool, int]]:
    order = STATUS_ORDER[scheme]
    st = part["status"].to_numpy(dtype=object)
    rated = np.array([isinstance(s, str) and s in order for s in st], dtype=bool)  # not to_be_entered (no rank)
    if not rated.any():
        return {}
    sub = part[rated]
    key = (sub["indicator"].astype(str) + SEP + sub["unit"].astype(str)).to_numpy()
    rank = pd.Series([order.index(s) for s in sub["status"]], index=key)
    worst = rank.groupby(level=0, sort=False).max()
    count = {str(k): int(v) for k, v in rank.groupby(level=0, sort=False).size().items()}
    return {str(k): (order[int(v)], np.nan, order[int(v)] == "achieved", count[str(k)]) for k, v in worst.items()}


def build(specs: pd.DataFrame, obs: pd.DataFrame, **kwargs: Any) -> Panel:
    """:func:`planmon.monitor.panel.build_panel` with series labels folded in and split out again."""
    if not has_series(obs, specs):
        return build_panel(specs, obs, **kwargs)
    obs, specs = fold(obs, specs)
    panel = build_panel(specs, obs, **kwargs)
    unfold(panel.series)
    return panel
