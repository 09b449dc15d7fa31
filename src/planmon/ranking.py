"""The comparison period and the ranking of the provinces in it: decided once, by a stated rule.

Why a rule: ranking "the latest period" let one province's upload for a new year rank that
province 1/1 and no other. The rule (declared in the plan's ``evaluation.yaml``, section
``ranking``): only full years are ranked — a partial year (a month, a quarter) is never ranked
against full years — and of those the latest year in which at least

    N = max(min_units, ceil(min_share × the most units that reported in any one year))

units reported a value. Later years with fewer units, and partial years, are listed with their
counts so that every face can say which period is ranked and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planmon.framework import Framework
from planmon.i18n import Message
from planmon.jsonsafe import jsonable
from planmon.periods import Period

MIN_RANKED_UNITS = 3  # a ranking of one or two units says nothing


@dataclass(frozen=True)
class RankingRule:
    """Which units are ranked, and how many must have reported for a year to be the comparison period."""

    units: str = "provinces"
    min_units: int = MIN_RANKED_UNITS
    min_share: float = 0.67

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RankingRule:
        return cls(str(d.get("units", "provinces")), max(int(d.get("min_units", MIN_RANKED_UNITS)), 1),
                   float(d.get("min_share", 0.67)))

    def to_dict(self) -> dict[str, Any]:
        return {"units": self.units, "min_units": self.min_units, "min_share": self.min_share}

    def threshold(self, most: int) -> int:
        return max(self.min_units, math.ceil(self.min_share * most - 1e-9))


@dataclass(frozen=True)
class Comparison:
    """The comparison period, how many units reported in it, and the reason in both languages."""

    period: str | None
    units: int
    threshold: int
    counts: dict[str, int]  # every full year → units that reported in it
    not_ranked: list[tuple[str, int, str]]  # (period, units, "too_few" | "partial")
    reason: Message

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "units": self.units, "threshold": self.threshold,
                "counts": dict(self.counts),
                "not_ranked": [{"period": p, "units": n, "why": w} for p, n, w in self.not_ranked],
                "reason_zh": self.reason.zh, "reason_en": self.reason.en}


def ranked_units(fw: Framework, rule: RankingRule) -> list[str]:
    if rule.units == "provinces":
        return [u.id for u in fw.provinces()]
    return [u.id for u in fw.units if u.kind == "region" and u.level != "nation"]


def choose_comparison(fw: Framework, obs: pd.DataFrame, rule: RankingRule) -> Comparison:
    """Apply the rule to the observations (as known at the snapshot's date)."""
    mine = obs[obs["unit"].isin(ranked_units(fw, rule))]
    freq = mine["period"].map(lambda p: Period.parse(str(p)).frequency) if len(mine) else pd.Series(dtype=object)
    full = mine[freq == "annual"]
    counts = {str(p): int(n) for p, n in full.groupby("period")["unit"].nunique().items()}
    years = sorted(counts, key=lambda p: Period.parse(p).time, reverse=True)
    threshold = rule.threshold(max(counts.values(), default=0))
    chosen = next((y for y in years if counts[y] >= threshold), None)
    cut = Period.parse(chosen).time if chosen else float("-inf")
    not_ranked = [(y, counts[y], "too_few") for y in years if Period.parse(y).time > cut and counts[y] < threshold]
    partial = mine[(freq != "annual") & (mine["period_time"] > cut)]
    for p, n in sorted(partial.groupby("period")["unit"].nunique().items(), key=lambda kv: -Period.parse(str(kv[0])).time):
        not_ranked.append((str(p), int(n), "partial"))
    return Comparison(chosen, counts.get(chosen, 0) if chosen else 0, threshold, counts, not_ranked,
                      _reason(chosen, counts, threshold, rule, not_ranked))


def _reason(chosen: str | None, counts: dict[str, int], threshold: int, rule: RankingRule,
            not_ranked: list[tuple[str, int, str]]) -> Message:
    most = max(counts.values(), default=0)
    rule_zh = (f"规则：只比较全年数据，取至少 {threshold} 个单位报送的最近一年"
               f"（{threshold} = max({rule.min_units}, ⌈{rule.min_share:g} × {most}⌉)）")
    rule_en = (f"rule: full years only, the latest year in which at least {threshold} units reported "
               f"({threshold} = max({rule.min_units}, ceil({rule.min_share:g} × {most})))")
    if chosen is None:
        zh, en = f"没有可比较的年份：没有一年有至少 {threshold} 个单位报送。{rule_zh}", \
            f"no year to compare: no year has at least {threshold} units reporting. {rule_en}"
    else:
        zh = f"比较期为 {chosen} 年：{counts[chosen]} 个单位报送了数据。{rule_zh}"
        en = f"comparison period {chosen}: {counts[chosen]} units reported. {rule_en}"
    for p, n, why in not_ranked:
        if why == "too_few":
            zh += f"；{p} 年仅 {n} 个单位报送，未纳入排名"
            en += f"; {p}: only {n} units reported, not ranked"
        else:
            zh += f"；{p} 为年内数据（{n} 个单位），不与全年数据比较排名"
            en += f"; {p} is part of a year ({n} units), not ranked against full years"
    return Message(zh + "。", en + ".")


@dataclass
class IndexPart:
    """The composite index in the comparison period: scores and ranks of every level, rank intervals."""

    period: str
    units: int
    root: str
    table: pd.DataFrame  # code, score, rank, rank_q05, rank_median, rank_q95 — best first
    scores: pd.DataFrame  # uCode + every aggregate
    ranks: pd.DataFrame  # uCode + the rank at every aggregate
    uncertainty: pd.DataFrame | None  # uCode, nominal, median, q05, q95
    strengths_weaknesses: pd.DataFrame | None
    spec: dict[str, Any]
    data_hash: str
    log: list[dict[str, Any]]  # the run log: every step with its resolved parameters
    replications: int
    seed: int
    note: Message | None = None  # e.g. why the uncertainty analysis could not run

    def row(self, code: str) -> dict[str, Any] | None:
        hit = self.table[self.table["code"] == code]
        return {str(k): v for k, v in hit.iloc[0].items()} if len(hit) else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = jsonable({
            "period": self.period, "units": self.units, "root": self.root, "table": self.table,
            "scores": self.scores, "ranks": self.ranks, "uncertainty": self.uncertainty,
            "strengths_weaknesses": self.strengths_weaknesses, "spec": self.spec, "data_hash": self.data_hash,
            "log": self.log,
            "replications": self.replications, "seed": self.seed,
            "note": {"zh": self.note.zh, "en": self.note.en} if self.note else None})
        return out


def _with_ucode(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy() if "uCode" in df.columns else df.rename_axis("uCode").reset_index()
    return out.assign(uCode=out["uCode"].astype(str))


def _for_data(spec: Any, idata: pd.DataFrame) -> Any:
    """The spec without the denominate scales of indicators no province reported in the period (the
    framework declares an intensive form for every indicator that has one; a period may lack some)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("denominate"), dict):
        return spec
    scale = spec["denominate"].get("scale")
    if not isinstance(scale, dict):
        return spec
    kept = {k: v for k, v in scale.items() if k in idata.columns}
    return {**spec, "denominate": {**spec["denominate"], "scale": kept}}


def run_ranking(fw: Framework, obs: pd.DataFrame, comparison: Comparison, spec: Any, replications: int,
                seed: int, denominators: Any = None) -> IndexPart | None:
    """Run the composite index on the comparison period; None when there is none. ``denominators``: a store
    whose denominators the intensive forms divide by (see :func:`planmon.intensive.provincial_spec`). Raises
    :class:`~planmon.index.IndexInputError` (a refusal) when the spec cannot run on these data."""
    from planmon.index import IndexInputError, run_index
    from planmon.index.store_input import from_observations

    if comparison.period is None:
        return None
    idata, imeta = from_observations(fw, obs, comparison.period, "provinces", denominators=denominators)
    run = run_index(idata, imeta, _for_data(spec, idata))
    scores = _with_ucode(run.scores)
    ranks = _with_ucode(run.ranks)
    root = run.top
    table = pd.DataFrame({"code": scores["uCode"], "score": scores[root].astype(float)})
    table = table.dropna(subset=["score"]).reset_index(drop=True)  # a province without data is not ranked
    table["rank"] = table["score"].rank(ascending=False, method="min").astype(int)
    unc, note = None, None
    if replications > 0:
        try:
            unc = _with_ucode(run.uncertainty(replications, seed))
        except IndexInputError as exc:
            note = Message("不确定性分析未能运行：" + "；".join(exc.lines("zh")),
                           "the uncertainty analysis could not run: " + "; ".join(exc.lines("en")))
    by = unc.set_index("uCode") if unc is not None else None
    for col, src in (("rank_q05", "q05"), ("rank_median", "median"), ("rank_q95", "q95")):
        table[col] = table["code"].map(by[src]).astype(float) if by is not None else float("nan")
    table = table.sort_values(["rank", "code"], kind="stable").reset_index(drop=True)
    sw = run.strengths_weaknesses(n=3)
    return IndexPart(comparison.period, len(table), root, table, scores, ranks, unc,
                     sw if isinstance(sw, pd.DataFrame) else None, dict(run.spec), str(run.data_hash),
                     list(run.log), replications, seed, note)
