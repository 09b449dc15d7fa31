"""planmon's classes beside a published evaluation's: the reproduction of the national practice.

A plan's ``evaluation.yaml`` may keep the evaluations the state published (``published:``), each with the
data year it used (``as_of``), its scheme, its source and the class it gave every indicator — the NDRC's
mid-term evaluation of the 14th FYP outline (reported to the NPC Standing Committee on 2023-12-26) gave
its 20 main indicators 4 提前实现, 5 快于预期, 7 基本符合预期 and 4 滞后. :func:`reproduce` classifies the
plan's indicators with planmon's engine on the values the plan holds up to that year and sets the two side
by side; where they differ, the evaluation's ``explain`` entry (zh and en) says why — a judgement the office
made, another vintage of the data, a value that was not published, a rule. The table is what
docs/monitor.md shows and what the reproduction test holds.

A qualitative indicator (目标形式 定性) has no computed class: its status is the office's judgement, entered
with its evidence. It is shown as such and counted apart (``office``), never as an agreement of the engine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from planmon.framework.model import Framework
from planmon.i18n import Message
from planmon.monitor.assess import assess
from planmon.monitor.schemes import STATUS_LABELS
from planmon.monitor.store_io import unit_specs
from planmon.refusal import Refusal


class PublishedEvaluationMissing(Refusal, LookupError):
    """The plan keeps no published evaluation of that kind."""

    code = "published_evaluation_missing"


@dataclass(frozen=True)
class Published:
    """One published evaluation of a plan (an entry of ``evaluation.published``)."""

    kind: str
    as_of: str
    scheme: str
    classes: dict[str, str]
    counts: dict[str, int]
    reported: str = ""
    source: str = ""
    url: str = ""
    explain: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Published:
        return cls(kind=str(d["kind"]), as_of=str(d["as_of"]), scheme=str(d.get("scheme", "ndrc")),
                   classes={str(k): str(v) for k, v in (d.get("classes") or {}).items()},
                   counts={str(k): int(v) for k, v in (d.get("counts") or {}).items()},
                   reported=str(d.get("reported", "")), source=str(d.get("source", "")), url=str(d.get("url", "")),
                   explain={str(k): {"zh": str(v.get("zh", "")), "en": str(v.get("en", ""))}
                            for k, v in (d.get("explain") or {}).items()})


def published(fw: Framework, kind: str = "midterm") -> Published:
    """The plan's published evaluation of ``kind`` (``midterm``, ``final``)."""
    for d in fw.evaluation.get("published") or []:
        if str(d.get("kind")) == kind:
            return Published.from_dict(d)
    label = {"midterm": ("中期评估", "mid-term"), "final": ("总结评估", "final")}.get(kind, (kind, kind))
    raise PublishedEvaluationMissing(Message(
        f"规划 {fw.plan.title_zh or fw.plan.id} 没有已发布的{label[0]}结果可供对照",
        f"plan {fw.plan.id} keeps no published {label[1]} evaluation to compare with"))


@dataclass
class Row:
    indicator: str
    name_zh: str
    name_en: str
    form: str
    published: str
    planmon: str | None  # None: not assessed (no value up to as_of); "office": qualitative, the office's status
    agree: bool
    reason_zh: str = ""
    reason_en: str = ""


@dataclass
class Reproduction:
    plan: str
    kind: str
    as_of: str
    scheme: str
    rows: list[Row]

    @property
    def compared(self) -> list[Row]:
        """The rows the engine classified or could not (every row but the qualitative ones)."""
        return [r for r in self.rows if r.planmon != "office"]

    @property
    def agreed(self) -> int:
        return sum(r.agree for r in self.compared)

    @property
    def office(self) -> list[Row]:
        return [r for r in self.rows if r.planmon == "office"]

    def counts(self, which: str) -> dict[str, int]:
        """Class counts of the published (``published``) or planmon's (``planmon``) column."""
        out: dict[str, int] = {}
        for r in self.rows:
            v = getattr(r, which)
            key = "not_assessed" if v is None else v
            out[key] = out.get(key, 0) + 1
        return out

    def frame(self, lang: str = "zh") -> pd.DataFrame:
        """The agreement table, with words (zh or en) for the classes."""
        labels = STATUS_LABELS["ndrc"]
        i = 1 if lang == "en" else 0
        none = "cannot be assessed (no value)" if lang == "en" else "无法评估（无数据）"
        office = "entered by the office" if lang == "en" else "由规划办公室录入"

        def word(code: str | None) -> str:
            if code is None:
                return none
            if code == "office":
                return office
            return labels[code][i] if code in labels else code

        return pd.DataFrame([{
            "indicator": r.indicator, "name": r.name_en if lang == "en" else r.name_zh, "form": r.form,
            "published": word(r.published), "planmon": word(r.planmon),
            "agree": ("—" if r.planmon == "office" else ("yes" if r.agree else "no") if lang == "en"
                      else ("一致" if r.agree else "不同")),
            "reason": r.reason_en if lang == "en" else r.reason_zh} for r in self.rows])

    def markdown(self, lang: str = "zh") -> str:
        """The agreement table and its summary line, as docs/monitor.md shows them (the test keeps them equal)."""
        f = self.frame(lang)
        head = (["indicator", "name", "form", "published", "planmon", "agree"] if lang == "en"
                else ["编号", "指标", "目标形式", "评估报告", "planmon", "是否一致"])
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(str(v) for v in r[:6]) + " |" for r in f.itertuples(index=False)]
        n = len(self.compared)
        lines.append("")
        lines.append(f"Agreement: {self.agreed} of {n} indicators the engine classifies; {len(self.office)} qualitative "
                     "(entered by the office)." if lang == "en" else
                     f"一致：引擎评定的 {n} 项中 {self.agreed} 项一致；定性 {len(self.office)} 项由规划办公室评定。")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"plan": self.plan, "kind": self.kind, "as_of": self.as_of, "scheme": self.scheme,
                "agreed": self.agreed, "compared": len(self.compared), "office": len(self.office),
                "rows": [asdict(r) for r in self.rows]}


def observations_frame(fw: Framework) -> pd.DataFrame:
    """The plan's own values (``observations.yaml`` and linked series) as the engine's input table."""
    return pd.DataFrame([{"indicator": o.indicator, "unit": o.unit, "period": o.period, "value": o.value,
                          "status": o.status, "proxy": o.proxy} for o in fw.observations],
                        columns=["indicator", "unit", "period", "value", "status", "proxy"])


def classify(fw: Framework, as_of: str, scheme: str = "ndrc", unit: str = "CN") -> dict[str, str | None]:
    """planmon's class of every main indicator for ``unit`` on the values up to ``as_of`` (None: not assessable)."""
    obs = observations_frame(fw)
    specs = unit_specs(fw, obs, unit)
    assessed = assess(obs, specs, as_of=as_of, scheme=scheme)
    got = {str(r.indicator): (r.status if isinstance(r.status, str) and r.status else None)
           for r in assessed.itertuples() if r.unit == unit}
    return {x.id: got.get(x.id) for x in fw.main_indicators()}


def reproduce(fw: Framework, kind: str = "midterm") -> Reproduction:
    """planmon's classes on the data the published evaluation had, beside the published ones."""
    pub = published(fw, kind)
    mine = classify(fw, pub.as_of, pub.scheme)
    rows = []
    for x in fw.main_indicators():
        if x.id not in pub.classes:
            continue
        form = str(getattr(x, "target_form", "level"))
        got = "office" if form == "qualitative" else mine.get(x.id)
        why = pub.explain.get(x.id) or ({"zh": "定性目标：由规划办公室评定并录入依据，引擎不计算，不计入一致率。",
                                          "en": "A qualitative target: the planning office rates it and enters the "
                                                "evidence; the engine computes nothing, and it is not counted."}
                                         if got == "office" else {})
        rows.append(Row(x.id, x.name_zh, x.name_en, form, pub.classes[x.id], got,
                        got == pub.classes[x.id], why.get("zh", ""), why.get("en", "")))
    return Reproduction(fw.plan.id, kind, pub.as_of, pub.scheme, rows)


__all__ = ["Published", "PublishedEvaluationMissing", "Reproduction", "Row", "classify", "observations_frame",
           "published", "reproduce"]
