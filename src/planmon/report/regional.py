"""The regional part of the report model: provincial values, map layers, the composite-index ranking.

The ranking, its rank intervals and the strengths and weaknesses come from the
evaluation module (``planmon.index``) when it is installed; without it the
section still shows each indicator's provincial values on the map, sorted, and
says that the composite index is not available.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planmon.framework import Framework
from planmon.periods import Period
from planmon.report import capabilities as caps
from planmon.store import Store

UNCERTAINTY_SEED = 20250101
INDEX_LAYER = "index"


@dataclass
class MapLayer:
    """Values per province code for one map: an indicator or the composite score."""

    key: str
    title: str
    unit: str
    higher_is_better: bool
    values: dict[str, float]
    kind: str = "rate"
    measure: str = "score"  # the unit of measure as the framework writes it: it fixes the number format

    def decimals(self) -> int:
        """Every value of one layer is printed with the same decimals (never 35 beside 36.0)."""
        from planmon import vocab

        return vocab.number_format(self.measure, self.key).decimals

    def fmt(self, v: float | None) -> str:
        from planmon import vocab

        return vocab.number(v, self.measure, self.key)

    def ranked(self) -> list[tuple[str, float]]:
        """Provinces with a value, best first (ties broken by code, so the order is stable)."""
        sign = -1.0 if self.higher_is_better else 1.0
        return sorted(self.values.items(), key=lambda kv: (sign * kv[1], kv[0]))


@dataclass
class IndexResult:
    """What the evaluation module returned, in the columns the renderers need."""

    table: pd.DataFrame  # code, name, score, rank, rank_q05, rank_q95 (interval may be NaN)
    root: str
    spec: Any
    data_hash: str
    log: list[str]
    strengths_weaknesses: pd.DataFrame | None
    uncertainty_n: int


@dataclass
class Regional:
    period: str | None
    names: dict[str, str]
    matrix: pd.DataFrame  # province code × indicator id, values at ``period``
    layers: list[MapLayer] = field(default_factory=list)
    index: IndexResult | None = None

    @property
    def default_layer(self) -> MapLayer | None:
        """The layer the static map shows: the composite score, else the first rate (a share of a
        national total mostly shows province size, not performance)."""
        for layer in self.layers:
            if layer.key == INDEX_LAYER:
                return layer
        rates = [layer for layer in self.layers if layer.kind == "rate"]
        pick = rates or self.layers
        return pick[0] if pick else None


def _latest_annual(prov: pd.DataFrame) -> str | None:
    annual = prov[prov["period"].str.fullmatch(r"\d{4}")]
    if annual.empty:
        return None
    return str(max(annual["period"], key=lambda p: Period.parse(p).time))


def _root(imeta: pd.DataFrame, scores: pd.DataFrame) -> str:
    cols = [c for c in scores.columns if c != "uCode"]
    if {"iCode", "Level"} <= set(imeta.columns):
        top = imeta.sort_values("Level", kind="stable").iloc[-1]["iCode"]
        if top in cols:
            return str(top)
    return str(cols[-1])


#: Fewer provinces with data than this and no ranking is published.
MIN_RANKED_UNITS = 3


def _run_index(store: Store, framework_id: str, period: str, spec: Any, uncertainty_n: int,
               names: dict[str, str]) -> IndexResult | None:
    mod = caps.index()
    if mod is None:
        return None
    idata, imeta = mod.from_store(store, framework_id, period=period, units="provinces")
    indicator_cols = [c for c in idata.columns
                      if c not in ("uCode", "uName", "Time") and not str(c).endswith("_group")]
    if idata[indicator_cols].notna().any(axis=1).sum() < MIN_RANKED_UNITS:
        return None  # a ranking of one or two provinces says nothing: the section says the data are missing
    if spec is None:
        spec = caps.evaluation_spec()
    run = mod.run_index(idata, imeta, spec)
    scores = run.scores.copy() if "uCode" in run.scores.columns else run.scores.rename_axis("uCode").reset_index()
    root = _root(imeta, scores)
    table = pd.DataFrame({"code": scores["uCode"].astype(str), "score": scores[root].astype(float)})
    table = table.dropna(subset=["score"]).reset_index(drop=True)  # a province without data is not ranked
    table["rank"] = table["score"].rank(ascending=False, method="min").astype(int)
    table["rank_q05"] = float("nan")
    table["rank_q95"] = float("nan")
    if uncertainty_n > 0 and hasattr(run, "uncertainty"):
        unc = run.uncertainty(uncertainty_n, UNCERTAINTY_SEED)
        if "uCode" not in unc.columns:
            unc = unc.rename_axis("uCode").reset_index()
        unc = unc.assign(uCode=unc["uCode"].astype(str)).set_index("uCode")
        table["rank_q05"] = table["code"].map(unc["q05"]).astype(float)
        table["rank_q95"] = table["code"].map(unc["q95"]).astype(float)
    table.insert(1, "name", table["code"].map(names).fillna(table["code"]))
    table = table.sort_values(["rank", "code"], kind="stable").reset_index(drop=True)
    sw = run.strengths_weaknesses(n=3) if hasattr(run, "strengths_weaknesses") else None
    log = [str(x) for x in getattr(run, "log", [])]
    return IndexResult(table, root, getattr(run, "spec", spec), str(getattr(run, "data_hash", "")), log,
                       sw if isinstance(sw, pd.DataFrame) else None, uncertainty_n)


def readable_strengths(sw: pd.DataFrame, units: dict[str, str], indicators: dict[str, str],
                       lang: str) -> pd.DataFrame:
    """The evaluation's strengths and weaknesses (indicator codes and ranks) as sentences a reader takes in:
    one row per province, "网民规模（第3名）、…"."""
    if not {"uCode", "strengths", "strength_ranks", "weaknesses", "weakness_ranks"} <= set(sw.columns):
        return sw
    sep, fmt = ("; ", "{name} (rank {rank})") if lang == "en" else ("、", "{name}（第{rank}名）")

    def join(codes: list[str], ranks: list[int]) -> str:
        return sep.join(fmt.format(name=indicators.get(str(c), str(c)), rank=int(r))
                        for c, r in zip(codes, ranks, strict=True))

    rows = [{"uCode": units.get(str(r.uCode), str(r.uCode)),
             "strengths": join(list(r.strengths), list(r.strength_ranks)),  # type: ignore[arg-type]
             "weaknesses": join(list(r.weaknesses), list(r.weakness_ranks))}  # type: ignore[arg-type]
            for r in sw.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["uCode", "strengths", "weaknesses"])


def build_regional(store: Store, framework_id: str, fw: Framework, obs: pd.DataFrame, as_of: str, lang: str, spec: Any,
                   uncertainty_n: int, missing: list[str]) -> Regional:
    provinces = fw.provinces()
    names = {u.id: (u.name_en if lang == "en" and u.name_en else (u.short_zh or u.name_zh)) for u in provinces}
    prov = obs[obs["unit"].isin(list(names))]
    period = _latest_annual(prov)
    order = [i.id for i in fw.indicators]
    if period is None:
        matrix = pd.DataFrame(index=sorted(names))
    else:
        at = prov[prov["period"] == period]
        matrix = at.pivot(index="unit", columns="indicator", values="value").reindex(sorted(names))
        matrix = matrix[[c for c in order if c in matrix.columns]]
    layers = []
    for ind in fw.indicators:
        if ind.id not in matrix.columns:
            continue
        col = matrix[ind.id].dropna()
        title = ind.name_en if lang == "en" and ind.name_en else ind.name_zh
        unit = ind.unit_en if lang == "en" and ind.unit_en else ind.unit
        layers.append(MapLayer(ind.id, title, unit, ind.direction == "increase",
                               {str(k): float(v) for k, v in col.items()}, ind.kind, ind.unit))
    result = None
    if caps.index() is None:
        missing.append(caps.INDEX)
    elif period is not None:
        result = _run_index(store, framework_id, period, spec, uncertainty_n, names)
        if result is not None and result.strengths_weaknesses is not None:
            short = {i.id: (i.name_en if lang == "en" and i.name_en else i.name_zh) for i in fw.indicators}
            result.strengths_weaknesses = readable_strengths(result.strengths_weaknesses, names, short, lang)
        if result is not None:
            title = "综合指数得分" if lang != "en" else "Composite index score"
            layers.insert(0, MapLayer(INDEX_LAYER, title, "", True,
                                      dict(zip(result.table["code"], result.table["score"], strict=True))))
    return Regional(period, names, matrix, layers, result)
