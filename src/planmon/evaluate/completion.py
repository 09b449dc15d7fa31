"""Completion of tasks, projects and priority actions at the end of the plan period.

The national practice words the result 完成 / 基本完成 / 未完成. The rule (:data:`COMPLETION_RULE`),
applied to the progress reports made up to the evaluation date on the item itself or on one of
its milestones, for the reporting periods within the plan period:

* **完成 (completed)**: the latest report of every reporting unit says done (已完成) or 100 %;
* **基本完成 (basically completed)**: otherwise, every unit's latest report is on schedule or at
  least 80 % done, and none is delayed or not started;
* **未完成 (not completed)**: any unit's latest report is delayed, not started, or below 80 %;
* **无法判断 (cannot be judged)**: no progress report at all.

Milestone reports count for their item; a milestone due by the end of the period reported as
not done makes the item at best 基本完成.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from planmon.framework.model import Framework

COMPLETION: dict[str, tuple[str, str]] = {
    "completed": ("完成", "completed"),
    "basically_completed": ("基本完成", "basically completed"),
    "not_completed": ("未完成", "not completed"),
    "cannot_judge": ("无法判断（无进展报告）", "cannot be judged (no progress report)"),
}

BASIC_SHARE = 0.8

COMPLETION_RULE = (
    "依据截至评估日的进展报告（对条目本身或其里程碑的报告，规划期内各报告期的最新一期）：各报告单位最新报告均为“已完成”"
    "或完成100%为“完成”；均为“按计划推进”或完成80%及以上、且无“滞后”“未启动”为“基本完成”；任一单位为“滞后”“未启动”"
    "或完成不足80%为“未完成”；没有任何进展报告为“无法判断”。",
    "From the progress reports made up to the evaluation date (on the item or one of its milestones; the latest "
    "reporting period within the plan): every reporting unit's latest report done or 100 % is 'completed'; all on "
    "schedule or at least 80 % done with none delayed or not started is 'basically completed'; any delayed, not "
    "started or below 80 % is 'not completed'; no progress report at all 'cannot be judged'.",
)


@dataclass(frozen=True)
class ItemCompletion:
    id: str
    kind: str
    number: str
    title_zh: str
    title_en: str
    completion: str
    reports: int
    units: int
    latest_period: str | None
    share_done: float | None


def completion(fw: Framework, reports: pd.DataFrame, plan_end: str) -> pd.DataFrame:
    """One row per task, project and priority action (in the plan's order, actions by their own number).

    ``reports`` has columns item, unit, period, status, share_done (current revisions).
    """
    owner: dict[str, str] = {}
    for it in fw.items:
        owner[it.id] = it.id
        for m in it.milestones:
            owner[m.id] = it.id
    kinds = ("task", "project", "action")
    items = [i for i in fw.items if i.kind in kinds]
    # text columns typed as text even when the plan has no task, project or action (an outline of indicators only)
    base = pd.DataFrame({
        "id": [i.id for i in items], "kind": [i.kind for i in items], "number": [i.number for i in items],
        "title_zh": [i.title_zh for i in items], "title_en": [i.title_en for i in items],
    }, dtype=object)
    if reports is None or reports.empty:
        r = pd.DataFrame(columns=["item", "unit", "period", "status", "share_done"])
    else:
        r = reports[["item", "unit", "period", "status", "share_done"]].copy()
    r["owner"] = r["item"].map(owner)
    r = r[r["owner"].notna() & (r["period"].astype(str).str[:4] <= str(plan_end)[:4])]
    r = r.sort_values(["owner", "item", "unit", "period"])
    latest = r.groupby(["owner", "item", "unit"], sort=False).tail(1)
    share = pd.to_numeric(latest["share_done"], errors="coerce")
    done = (latest["status"] == "done") | (share >= 1.0)
    basic = done | (((latest["status"] == "on_schedule") & share.isna()) | (share >= BASIC_SHARE)) & ~latest[
        "status"].isin(["delayed", "not_started"])
    latest = latest.assign(done=done.to_numpy(), basic=basic.to_numpy(), share=share.to_numpy())
    agg = latest.groupby("owner").agg(all_done=("done", "all"), all_basic=("basic", "all"),
                                      units=("unit", "nunique"), latest_period=("period", "max"),
                                      share_done=("share", "min"))
    counts = r.groupby("owner").size().rename("reports")
    out = base.join(agg, on="id").join(counts, on="id")
    out["reports"] = out["reports"].fillna(0).astype(int)
    out["units"] = out["units"].fillna(0).astype(int)
    has = out["reports"].to_numpy() > 0
    out["completion"] = np.select(
        [~has, out["all_done"].fillna(False).astype(bool).to_numpy(), out["all_basic"].fillna(False).astype(bool).to_numpy()],
        ["cannot_judge", "completed", "basically_completed"], "not_completed")
    out["latest_period"] = out["latest_period"].where(out["latest_period"].notna(), None)
    out["share_done"] = out["share_done"].where(out["share_done"].notna(), None)
    order = {"task": 0, "project": 1, "action": 2}
    out["_k"] = out["kind"].map(order)
    out["_n"] = np.where(out["kind"] == "action", out["number"].map(_cn_number), 0)
    out["_p"] = np.arange(len(out))
    out = out.sort_values(["_k", "_n", "_p"]).drop(columns=["_k", "_n", "_p", "all_done", "all_basic"])
    return out.reset_index(drop=True)


_CN = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def _cn_number(text: str) -> int:
    """"（六）" → 6 (the plan's own order for priority actions); unnumbered last."""
    core = text.strip("（）() ")
    if core in _CN:
        return _CN[core]
    if core.startswith("十") and core[1:] in _CN:
        return 10 + _CN[core[1:]]
    return 99


def completion_as_of(as_of: date) -> str:
    return as_of.isoformat()
