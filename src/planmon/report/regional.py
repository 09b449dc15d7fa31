"""The regional part of the report model: provincial values, map layers, the composite-index ranking.

The comparison period, the ranking, its rank intervals and the strengths and weaknesses are the
snapshot's (:mod:`planmon.snapshot`); without a comparison period the section still shows each
indicator's provincial values on the map and says why nothing is ranked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planmon.intensive import intensive_values
from planmon.ranking import IndexPart
from planmon.snapshot import Snapshot

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


def index_result(part: IndexPart | None, names: dict[str, str]) -> IndexResult | None:
    """The snapshot's ranking in the columns the renderers need (names in the report's language)."""
    if part is None:
        return None
    table = part.table[["code", "score", "rank", "rank_q05", "rank_q95"]].copy()
    table.insert(1, "name", table["code"].map(names).fillna(table["code"]))
    return IndexResult(table, part.root, part.spec, part.data_hash, [str(x) for x in part.log], part.strengths_weaknesses,
                       part.replications)


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


def build_regional(snap: Snapshot, lang: str) -> Regional:
    """Provincial values in the snapshot's comparison period, the map layers and the ranking."""
    fw = snap.framework
    provinces = fw.provinces()
    names = {u.id: (u.name_en if lang == "en" and u.name_en else (u.short_zh or u.name_zh)) for u in provinces}
    obs = snap.observations
    prov = obs[obs["unit"].isin(list(names))]
    period = snap.comparison.period
    order = [i.id for i in fw.main_indicators()]
    if period is None:
        matrix = pd.DataFrame(index=sorted(names))
    else:
        at = prov[prov["period"] == period]
        matrix = at.pivot(index="unit", columns="indicator", values="value").reindex(sorted(names))
        matrix = matrix[[c for c in order if c in matrix.columns]]
    # Maps and rankings of a count show its intensive form (÷ population …); the absolute values stay in
    # ``matrix`` and in the tables.
    intensive = pd.DataFrame()
    if period is not None:
        intensive = intensive_values(fw, prov[prov["period"] == period], snap.denominators)
        intensive = intensive.set_index(["indicator", "unit"])
    layers = []
    for ind in fw.main_indicators():
        if ind.id not in matrix.columns:
            continue
        col = matrix[ind.id].dropna()
        title = ind.name_en if lang == "en" and ind.name_en else ind.name_zh
        unit = ind.unit_en if lang == "en" and ind.unit_en else ind.unit
        kind = ind.kind
        measure = ind.unit  # the unit of measure as the framework writes it (fixes the number format)
        if ind.intensive is not None and len(intensive) and ind.id in intensive.index.get_level_values(0):
            iv = intensive.loc[ind.id]["intensive"].dropna()
            if len(iv):
                col = iv
                form = ind.intensive
                title = form.name_en if lang == "en" and form.name_en else form.name_zh
                unit = form.unit_en if lang == "en" and form.unit_en else form.unit
                kind = "rate"
                measure = form.unit
        layers.append(MapLayer(ind.id, title, unit, ind.direction == "increase",
                               {str(k): float(v) for k, v in col.items()}, kind, measure))
    result = index_result(snap.index, names)
    if result is not None and result.strengths_weaknesses is not None:
        short = {i.id: (i.name_en if lang == "en" and i.name_en else i.name_zh) for i in fw.indicators}
        result.strengths_weaknesses = readable_strengths(result.strengths_weaknesses, names, short, lang)
    if result is not None:
        title = "综合指数得分" if lang != "en" else "Composite index score"
        layers.insert(0, MapLayer(INDEX_LAYER, title, "", True,
                                  dict(zip(result.table["code"], result.table["score"], strict=True))))
    return Regional(period, names, matrix, layers, result)
