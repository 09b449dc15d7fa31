"""The evaluation in words, for an office to paste into its evaluation report.

Every sentence is generated from the evaluation's figures; the report marks the text
"生成的文字" (generated text) so that nobody mistakes it for an official finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from planmon.quality import format_number

if TYPE_CHECKING:
    from planmon.evaluate.final import Evaluation

GENERATED_MARK = ("生成的文字（由系统根据上表数据自动生成，须经核对后使用）",
                  "Generated text (written by the system from the tables above; check before use)")


def _names(df: pd.DataFrame, lang: str) -> str:
    col = "name_en" if lang == "en" else "name_zh"
    sep = ", " if lang == "en" else "、"
    return sep.join(df[col].tolist())


def summary_text(ev: Evaluation, lang: str = "zh") -> str:
    d = ev.indicators
    en = lang == "en"
    n = len(d)
    reached = d[d["outcome"] == "reached"]
    about = d[d["outcome"] == "about_reached"]
    short = d[d["outcome"] == "not_reached"]
    unknown = d[d["outcome"] == "cannot_judge"]
    early = d[(d["outcome"] == "reached") & d["early"].astype(bool)]
    parts: list[str] = []
    final = ev.kind == "final"
    if en:
        parts.append(f"Of the plan's {n} main indicators, {len(reached)} reached their {ev.as_of} targets"
                     + (f" ({len(early)} of them before {ev.period_end})" if len(early) else "")
                     + (f", {len(about)} about reached them" if len(about) else "")
                     + f", {len(short)} did not, and {len(unknown)} cannot be judged.")
    else:
        parts.append(f"规划{n}项主要指标中，{len(reached)}项已实现{ev.as_of}年目标"
                     + (f"（其中{len(early)}项提前实现）" if len(early) else "")
                     + (f"，{len(about)}项基本实现" if len(about) else "")
                     + f"，{len(short)}项未实现，{len(unknown)}项无法判断。")
    if len(reached):
        parts.append(("Reached: " if en else "已实现：") + _names(reached, lang) + ("." if en else "。"))
    office = d[d["outcome"] == "office"] if n else d
    if len(office):
        parts.append(f"Rated by the planning office: {_names(office, lang)}." if en
                      else f"由规划办认定：{_names(office, lang)}。")
    for _, r in short.iterrows():
        name = r["name_en"] if en else r["name_zh"]
        if str(r.get("target_form") or "level") != "level":  # a bound, growth rate, change or relation: its reason
            parts.append(f"{name}: not reached — {r['reason_en']}." if en else f"{name}未实现：{r['reason_zh']}。")
            continue
        if en:
            parts.append(f"{name} reached {r['display_en']} in {r['period']} against a target of "
                         f"{format_number(r['target'])}: {r['pct_of_target']:.1f} % of the target and "
                         f"{r['pct_of_planned_change']:.1f} % of the planned change.")
        else:
            parts.append(f"{name}{r['period']}年为{r['display']}，目标为{format_number(r['target'])}，"
                         f"达到目标的{r['pct_of_target']:.1f}%、规划增量的{r['pct_of_planned_change']:.1f}%。")
    for _, r in about.iterrows():
        name = r["name_en"] if en else r["name_zh"]
        parts.append(f"{name}: {r['display_en']} ({r['period']}), an approximate figure level with the target."
                     if en else f"{name}{r['period']}年为{r['display']}（约数），与目标相当。")
    if len(unknown):
        no_data = unknown[unknown["reason"] == "no_data"]
        if len(no_data):
            parts.append((f"No value after the baseline was found for {_names(no_data, lang)}; their outcome "
                          "cannot be judged until the responsible departments report one.") if en else
                         f"{_names(no_data, lang)}未找到基期后的数值，待牵头部门报送后方可判断。")
    if final:
        mid = d[d["midterm_status"].notna()]
        lag_then = mid[mid["midterm_status"] == "lagging"]
        if en:
            parts.append(f"At the mid-term ({int(ev.period_start[:4]) + 2}), {len(mid)} indicators could be assessed; "
                         f"{len(lag_then)} of them {'was' if len(lag_then) == 1 else 'were'} lagging"
                         + (f" ({_names(lag_then, lang)})" if len(lag_then) else "") + ".")
        else:
            parts.append(f"中期（{int(ev.period_start[:4]) + 2}年）可评估的指标{len(mid)}项，其中滞后{len(lag_then)}项"
                         + (f"（{_names(lag_then, lang)}）" if len(lag_then) else "") + "。")
    items = ev.items
    if len(items):
        judged = items[items["completion"] != "cannot_judge"]
        if len(judged) == 0:
            parts.append("No progress report on tasks, projects or priority actions is stored: their completion "
                         "cannot be judged yet." if en else "尚无任务、工程和优先行动的进展报告，其完成情况暂无法判断。")
        else:
            c = judged["completion"].value_counts()
            if en:
                parts.append(f"Of {len(items)} tasks, projects and priority actions, {c.get('completed', 0)} were "
                             f"completed, {c.get('basically_completed', 0)} basically completed and "
                             f"{c.get('not_completed', 0)} not completed; {len(items) - len(judged)} have no report.")
            else:
                parts.append(f"{len(items)}项任务、工程和优先行动中，完成{c.get('completed', 0)}项，基本完成"
                             f"{c.get('basically_completed', 0)}项，未完成{c.get('not_completed', 0)}项，"
                             f"{len(items) - len(judged)}项无进展报告。")
    return (" " if en else "").join(parts)
