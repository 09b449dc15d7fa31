"""The final evaluation (总结评估) and the mid-term evaluation (中期评估) of a plan, from the store.

The same four kinds of object the national practice evaluates: main indicators (especially the
binding ones), tasks, key projects and priority actions. :func:`evaluate_final` reads the current
values, the framework and the progress reports and returns one :class:`Evaluation` that the CLI
(``planmon evaluate final``), the report (``--kind final``) and the web print; nothing is
computed twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

from planmon.evaluate.completion import COMPLETION, COMPLETION_RULE, completion
from planmon.evaluate.form_outcomes import form_outcomes
from planmon.evaluate.outcomes import OUTCOME_RULE, OUTCOMES, REASONS, jsonable, label, outcomes
from planmon.framework.model import Framework
from planmon.monitor import assess_store
from planmon.monitor.schemes import OFFICE_STATUS_LABELS, STATUS_LABELS
from planmon.quality import format_value
from planmon.store import Store

Kind = Literal["final", "midterm"]

MIDTERM_RULE = (
    "中期评估按国家做法（2023年12月向全国人大常委会报告的“十四五”规划纲要中期评估）：以规划期过半时（{year}年）的最新数值，"
    "对照按时间进度应达到的进展，分为提前实现、快于预期、基本符合预期、滞后（进展比例 p 与时间比例 τ 比较，容差 δ=10%）。",
    "The mid-term evaluation follows the national practice (the 14th FYP outline's mid-term evaluation reported to the "
    "NPC Standing Committee in December 2023): the latest value at the plan's midpoint ({year}) against the progress "
    "due by then, classed achieved early / faster than expected / as expected / lagging (progress share p against "
    "time share τ, tolerance δ = 10 %).",
)


@dataclass
class Evaluation:
    """One evaluation of one plan: indicator outcomes, item completion, comparison, regions, words."""

    kind: Kind
    framework_id: str
    plan_title_zh: str
    plan_title_en: str
    period_start: str
    period_end: str
    framework_version: str
    as_of: str  # the period evaluated (2025 for the final, 2023 for the mid-term)
    evaluated_on: str  # the date the evaluation was made (progress reports up to it)
    indicators: pd.DataFrame  # national outcome per main indicator, with names and the mid-term status
    others: pd.DataFrame  # proxies and unconfirmed candidates: shown apart, never counted
    items: pd.DataFrame  # completion per task / project / action
    regional: pd.DataFrame  # outcome per indicator × province on each indicator's declared basis
    counts: dict[str, int]
    item_counts: dict[str, dict[str, int]]
    midterm_counts: dict[str, int]
    rules: dict[str, tuple[str, str]] = field(default_factory=dict)

    def summary(self, lang: str = "zh") -> str:
        from planmon.evaluate.summary import summary_text

        return summary_text(self, lang)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "kind": self.kind, "framework_id": self.framework_id, "framework_version": self.framework_version,
            "plan": {"title_zh": self.plan_title_zh, "title_en": self.plan_title_en,
                     "period_start": self.period_start, "period_end": self.period_end},
            "as_of": self.as_of, "evaluated_on": self.evaluated_on,
            "counts": self.counts, "midterm_counts": self.midterm_counts, "item_counts": self.item_counts,
            "indicators": jsonable(self.indicators), "others": jsonable(self.others),
            "items": jsonable(self.items), "regional": jsonable(self.regional),
            "rules": {k: v[1 if lang == "en" else 0] for k, v in self.rules.items()},
            "summary": {"generated": True, "text": self.summary(lang)},
        }


def _midpoint(fw: Framework) -> str:
    start, end = int(fw.plan.period_start[:4]), int(fw.plan.period_end[:4])
    return str(start + (end - start) // 2)


def _national(fw: Framework) -> str:
    return next((u.id for u in fw.units if u.kind == "region" and u.level == "nation"), "CN")


def _midterm(store: Store, fw: Framework, year: str, nation: str) -> pd.DataFrame:
    a = assess_store(store, fw.plan.id, as_of=year, scheme="ndrc", unit=nation)
    a = a[a["unit"] == nation]
    out = a[["indicator", "status", "latest", "latest_period"]].rename(columns={
        "status": "midterm_status", "latest": "midterm_value", "latest_period": "midterm_period"})
    return out


def _names(fw: Framework, df: pd.DataFrame) -> pd.DataFrame:
    by = {x.id: x for x in fw.indicators}
    df = df.copy()
    df["name_zh"] = df["indicator"].map(lambda i: by[i].name_zh)
    df["name_en"] = df["indicator"].map(lambda i: by[i].name_en or by[i].name_zh)
    df["unit_label"] = df["indicator"].map(lambda i: by[i].unit)
    df["attribute"] = df["indicator"].map(lambda i: by[i].attribute)
    df["role"] = df["indicator"].map(lambda i: by[i].role)
    df["inferred"] = df["indicator"].map(lambda i: by[i].inferred)
    df["unit_en"] = df["indicator"].map(lambda i: by[i].unit_en or by[i].unit)
    for lang, col in (("zh", "unit_label"), ("en", "unit_en")):
        df[f"display_{lang}"] = [format_value(v, q if isinstance(q, str) else "quoted", u)
                                 for v, q, u in zip(df["value"], df["quality"], df[col], strict=True)]
    df["display"] = df["display_zh"]
    return df


def _regional(store: Store, fw: Framework, nation: str, year: str) -> pd.DataFrame:
    """Each province on its indicator's declared comparison basis (the monitor's per-unit target)."""
    obs = store.current_observations(fw.plan.id)
    prov = obs[obs["unit"] != nation]
    if prov.empty:
        return pd.DataFrame(columns=["indicator", "unit", "outcome"])
    a = assess_store(store, fw.plan.id, as_of=year)
    a = a[a["unit"] != nation]
    cols = [c for c in ("indicator", "unit", "baseline", "target", "target_basis") if c in a]
    res = outcomes(prov, fw.main_indicators(), None, a[cols])
    return res[res["unit"].isin(prov["unit"].unique())].reset_index(drop=True)


def evaluate(store: Store, framework_id: str | None = None, kind: Kind = "final",
             evaluated_on: date | None = None) -> Evaluation:
    """The final (end of period) or mid-term (midpoint) evaluation of a stored plan."""
    from planmon.framework import BUILTIN_DEFAULT
    from planmon.store.tables import progress_reports  # noqa: F401  (schema presence)
    from planmon.supervise.progress import current_reports

    fw = store.framework(framework_id or BUILTIN_DEFAULT)
    nation = _national(fw)
    year = fw.plan.period_end[:4] if kind == "final" else _midpoint(fw)
    evaluated_on = evaluated_on or date.today()
    obs = store.current_observations(fw.plan.id)
    national_obs = obs[(obs["unit"] == nation) & (obs["period_time"] <= float(year))]

    mid = _midterm(store, fw, _midpoint(fw), nation)
    main = outcomes(national_obs, fw.main_indicators(), [nation])
    # targets that are not levels (issue 19): the monitor's form measures at the target year, mapped to outcomes
    at_end = assess_store(store, fw.plan.id, as_of=year, scheme="ndrc", unit=nation)
    # judged against the plan's target year: at the mid-term no form target has its end value yet
    main = form_outcomes(main, at_end[at_end["unit"] == nation], national_obs, fw.main_indicators(),
                         fw.plan.period_end[:4], int(fw.plan.period_start[:4]) - 1)
    main = _names(fw, main).merge(mid, on="indicator", how="left")
    ndrc = STATUS_LABELS["ndrc"]
    words = {**ndrc, **OFFICE_STATUS_LABELS}  # a qualitative target waits for the office (issue 19)
    main["midterm_label_zh"] = main["midterm_status"].map(lambda s: words[s][0] if isinstance(s, str) else "无法评估")
    main["midterm_label_en"] = main["midterm_status"].map(
        lambda s: words[s][1] if isinstance(s, str) else "cannot be assessed")
    main["outcome_zh"] = main["outcome"].map(lambda c: label(c, "zh"))
    main["outcome_en"] = main["outcome"].map(lambda c: label(c, "en"))
    main["reason_zh"] = main["reason_zh"].where(main["reason_zh"].notna(),
                                                main["reason"].map(lambda c: label(c, "zh", REASONS) if c else ""))
    main["reason_en"] = main["reason_en"].where(main["reason_en"].notna(),
                                                main["reason"].map(lambda c: label(c, "en", REASONS) if c else ""))
    level_note = (main["target_form"] == "level") & main["rebased_note_zh"].notna()
    for lang, sep in (("zh", "；"), ("en", "; ")):  # a re-based level baseline is said beside its outcome
        r, note = main[f"reason_{lang}"].astype(str), main[f"rebased_note_{lang}"].astype(str)
        main[f"reason_{lang}"] = r.where(~level_note, (r + sep).where(r != "", "") + note)

    other_inds = [x for x in fw.indicators if x.role != "main"]
    others = outcomes(national_obs, other_inds, [nation]) if other_inds else pd.DataFrame(columns=["indicator"])
    if len(others):
        others = _names(fw, others)
        by = {x.id: x for x in other_inds}
        others["proxy_of"] = others["indicator"].map(lambda i: by[i].proxy_of)

    with store.engine.connect() as conn:
        reports = current_reports(conn, fw.plan.id, evaluated_on)
    items = completion(fw, reports, fw.plan.period_end if kind == "final" else year)
    items["completion_zh"] = items["completion"].map(lambda c: COMPLETION[c][0])
    items["completion_en"] = items["completion"].map(lambda c: COMPLETION[c][1])
    item_counts = {k: {str(c): int(n) for c, n in items[items["kind"] == k]["completion"].value_counts().items()}
                   for k in ("task", "project", "action")}

    regional = _regional(store, fw, nation, year)
    counts = {c: int((main["outcome"] == c).sum()) for c in OUTCOMES}
    midterm_counts = {c: int((main["midterm_status"] == c).sum()) for c in ndrc}
    midterm_counts["not_assessed"] = int(main["midterm_status"].isna().sum())
    mid_rule = (MIDTERM_RULE[0].format(year=_midpoint(fw)), MIDTERM_RULE[1].format(year=_midpoint(fw)))
    return Evaluation(
        kind=kind, framework_id=fw.plan.id, plan_title_zh=fw.plan.title_zh, plan_title_en=fw.plan.title_en,
        period_start=fw.plan.period_start, period_end=fw.plan.period_end, framework_version=fw.plan.version,
        as_of=year, evaluated_on=evaluated_on.isoformat(), indicators=main, others=others, items=items,
        regional=regional, counts=counts, item_counts=item_counts, midterm_counts=midterm_counts,
        rules={"outcome": OUTCOME_RULE, "completion": COMPLETION_RULE, "midterm": mid_rule},
    )


def evaluate_final(store: Store, framework_id: str | None = None, evaluated_on: date | None = None) -> Evaluation:
    return evaluate(store, framework_id, "final", evaluated_on)


def evaluate_midterm(store: Store, framework_id: str | None = None, evaluated_on: date | None = None) -> Evaluation:
    return evaluate(store, framework_id, "midterm", evaluated_on)
