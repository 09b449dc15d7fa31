"""The supervision list (督办清单) as of a date: who owes what, since when, and what to do.

Four kinds of entry, one per responsible unit:

``overdue_milestone``
    a milestone whose due date is before the date and that no ``done`` report (on the
    milestone or on its item) made on or before the date has met. Owed by each lead
    unit of the item, since the due date.
``missing_report``
    the lead unit of a task, key project or priority action has not reported on it
    for the current period (the latest period of the reporting cycle that has ended)
    and the report's due date (period end + grace days) has passed. Items already
    reported ``done`` owe nothing more.
``delayed``
    the unit's latest report on the item says 滞后 (delayed); since the first report
    of that unbroken run of delayed reports.
``indicator_lagging`` / ``indicator_at_risk``
    an indicator linked to the item is 滞后 (ndrc status ``lagging``) or, not lagging
    and not achieved, projected to fall short of its target (``projected_share`` < 1)
    where the lead unit is assessed (its own region, or the nation for a department).
    These come from :mod:`planmon.monitor` when it is installed; without it they are
    not produced and the result's ``attrs["notes"]`` says so.
``duplicate_project``
    a project pair an office confirmed as duplicated construction (:mod:`planmon.projects.review`):
    owed by the owner units of both projects, ``high`` for the later one, ``medium`` for the earlier.

Severity: ``high`` for delayed items, milestones more than 90 days overdue or final
targets overdue, and lagging binding (约束性) indicators; ``low`` for at-risk
expected indicators; ``medium`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from planmon.framework import BUILTIN_DEFAULT
from planmon.i18n import Message
from planmon.periods import Period, month_ended_by
from planmon.store import Store
from planmon.store.tables import milestones, plan_items, units
from planmon.supervise.duties import LEADING_KINDS, division
from planmon.supervise.progress import STATUSES, ReportingCycle, current_reports, period_end, plan_period

COLUMNS = ["kind", "item", "item_title_zh", "item_title_en", "unit", "unit_name_zh", "unit_name_en", "owed_zh",
           "owed_en", "reference", "since", "days_overdue", "suggested_zh", "suggested_en", "severity"]
KINDS = ["overdue_milestone", "delayed", "missing_report", "indicator_lagging", "indicator_at_risk", "duplicate_project"]
SEVERITIES = ["high", "medium", "low"]
MONITOR_OFF = Message("未纳入监测评估：未列出关联指标滞后或有风险的事项",
                      "monitoring not requested: items whose indicators lag or are at risk are not listed")
MONITOR_ABSENT = Message("监测模块不可用：未列出关联指标滞后或有风险的事项",
                         "monitoring is not available: items whose indicators lag or are at risk are not listed")


@dataclass
class Context:
    """Everything the list and the scorecard read, loaded once."""

    as_of: date
    cycle: ReportingCycle
    items: dict[str, dict[str, Any]]
    units: dict[str, dict[str, Any]]
    division: pd.DataFrame
    milestones: list[dict[str, Any]]
    reports: pd.DataFrame  # current revision per (item, unit, period) as of the date
    plan_start: str
    plan_end: str
    framework_id: str

    def leads(self, item: str) -> list[str]:
        if not hasattr(self, "_leads"):
            d = self.division[self.division.role == "lead"]
            self._leads: dict[str, list[str]] = {str(k): list(g.unit) for k, g in d.groupby("item")}
        return self._leads.get(item, [])

    def leading_items(self) -> list[str]:
        return [k for k, v in sorted(self.items.items(), key=lambda kv: kv[1]["position"])
                if v["kind"] in LEADING_KINDS]

    def milestone_met(self, m: dict[str, Any]) -> str | None:
        """The date (ISO) a milestone was met: the first ``done`` report on it or on its item."""
        if not hasattr(self, "_done_on"):
            r = self.reports
            done = r[r.status == "done"] if not r.empty else r
            self._done_on: dict[str, str] = (
                {str(k): str(v) for k, v in done.groupby("item").reported_on.min().items()} if not done.empty else {})
        dates = [d for d in (self._done_on.get(m["id"]), self._done_on.get(m["item_id"])) if d]
        return min(dates) if dates else None


def load_context(conn: Connection, framework_id: str, as_of: date, cycle: ReportingCycle | None = None) -> Context:
    items = {r["id"]: dict(r) for r in conn.execute(
        select(plan_items).where(plan_items.c.framework_id == framework_id)).mappings()}
    if not items:
        raise KeyError(f"framework '{framework_id}' is not in the store: run 'planmon init'")
    bounds = plan_period(conn, framework_id)
    return Context(
        as_of=as_of,
        cycle=cycle or ReportingCycle.from_env(),
        items=items,
        units={r["id"]: dict(r) for r in conn.execute(select(units)).mappings()},
        division=division(conn, framework_id),
        milestones=[dict(r) for r in conn.execute(select(milestones).where(
            milestones.c.framework_id == framework_id).order_by(milestones.c.due, milestones.c.id)).mappings()],
        reports=current_reports(conn, framework_id, as_of),
        plan_start=bounds[0],
        plan_end=bounds[1],
        framework_id=framework_id,
    )


def _entry(ctx: Context, kind: str, item: str, unit: str, owed: Message, reference: str, since: date | None,
           suggested: Message, severity: str) -> dict[str, Any]:
    it, un = ctx.items[item], ctx.units.get(unit, {})
    return {
        "kind": kind, "item": item, "item_title_zh": it["title_zh"], "item_title_en": it["title_en"],
        "unit": unit, "unit_name_zh": un.get("name_zh", unit), "unit_name_en": un.get("name_en", unit),
        "owed_zh": owed.zh, "owed_en": owed.en, "reference": reference,
        "since": since.isoformat() if since else None,
        "days_overdue": max((ctx.as_of - since).days, 0) if since else None,
        "suggested_zh": suggested.zh, "suggested_en": suggested.en, "severity": severity,
    }


def overdue_milestones(ctx: Context) -> list[dict[str, Any]]:
    out = []
    for m in ctx.milestones:
        due = date.fromisoformat(m["due"])
        if due >= ctx.as_of or m["item_id"] not in ctx.items or ctx.milestone_met(m):
            continue
        days = (ctx.as_of - due).days
        severity = "high" if m["kind"] == "target" or days > 90 else "medium"
        for unit in ctx.leads(m["item_id"]):
            name = ctx.units.get(unit, {})
            out.append(_entry(
                ctx, "overdue_milestone", m["item_id"], unit,
                Message(f"阶段目标 {m['id']}（{m['text_zh']}）应于 {m['due']} 完成，尚未报告完成",
                        f"milestone {m['id']} ({m['text_en']}) was due {m['due']} and is not reported met"),
                m["id"], due,
                Message(f"向{name.get('name_zh', unit)}发督办函，要求 15 日内书面说明进展、原因和完成时限",
                        f"send {name.get('name_en', unit)} a supervision letter asking, within 15 days, for its "
                        f"progress, the reasons and a completion date"),
                severity))
    return out


def missing_reports(ctx: Context) -> list[dict[str, Any]]:
    period = ctx.cycle.current(ctx.as_of)
    due = ctx.cycle.due(period)
    first = ctx.cycle.start
    if due >= ctx.as_of or (first and period < _p(first)) or period.year > _p(ctx.plan_end).year:
        return []  # not yet due, before reporting began, or after the plan's period
    r = ctx.reports
    reported = set() if r.empty else set(zip(r.item[r.period == str(period)], r.unit[r.period == str(period)], strict=True))
    finished = set() if r.empty else set(zip(r.item[r.status == "done"], r.unit[r.status == "done"], strict=True))
    out = []
    for item in ctx.leading_items():
        for unit in ctx.leads(item):
            if (item, unit) in reported or (item, unit) in finished:
                continue
            name = ctx.units.get(unit, {})
            out.append(_entry(
                ctx, "missing_report", item, unit,
                Message(f"{period} 进展情况报告（应于 {due.isoformat()} 前报送）",
                        f"progress report for {period} (due {due.isoformat()})"),
                str(period), due,
                Message(f"提醒{name.get('name_zh', unit)}尽快报送 {period} 进展情况",
                        f"remind {name.get('name_en', unit)} to submit its {period} progress report"),
                "high" if (ctx.as_of - due).days > 90 else "medium"))
    return out


def _p(s: str) -> Period:
    return Period.parse(s)


def delayed_items(ctx: Context) -> list[dict[str, Any]]:
    r = ctx.reports
    if r.empty:
        return []
    r = r[r.item.isin(list(ctx.items))].copy()
    r["ptime"] = r.period.map(lambda s: _p(s))
    out = []
    for key, g in r.sort_values("ptime").groupby(["item", "unit"], sort=False):
        item, unit = str(key[0]), str(key[1])
        statuses = list(g.status)
        if statuses[-1] != "delayed":
            continue
        n = len(statuses)
        while n > 0 and statuses[n - 1] == "delayed":
            n -= 1
        since = date.fromisoformat(str(g.reported_on.iloc[n:].min()))
        last = g.iloc[-1]
        share = "" if pd.isna(last.share_done) else f"，完成 {last.share_done:.0%}"
        share_en = "" if pd.isna(last.share_done) else f", {last.share_done:.0%} done"
        name = ctx.units.get(unit, {})
        out.append(_entry(
            ctx, "delayed", str(item), str(unit),
            Message(f"{last.period} 报告{STATUSES['delayed'][0]}{share}：需提交整改措施",
                    f"reported {STATUSES['delayed'][1]} for {last.period}{share_en}: remedial measures owed"),
            str(last.period), since,
            Message(f"约谈{name.get('name_zh', unit)}，要求提交整改措施和时间表，下期重点跟踪",
                    f"meet {name.get('name_en', unit)}, ask for remedial measures with a timetable, and follow up "
                    f"next period"),
            "high"))
    return out


def monitor_assessments(store: Store, framework_id: str, as_of: date) -> tuple[pd.DataFrame | None, Message | None]:
    """The monitoring module's assessments (ndrc scheme) as of the date, or None and the reason.

    Monitoring takes a period; the last month ended by the date is passed (``2024-07-20`` →
    ``2024-06``; ``2024-12-31`` → ``2024-12``, which is where the annual 2024 values sit), so
    annual, quarterly and monthly data that exist by then all count.
    """
    try:
        from planmon.monitor import assess_store  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return None, MONITOR_ABSENT
    last_month = str(month_ended_by(as_of))
    try:
        return pd.DataFrame(assess_store(store, framework_id, as_of=last_month, scheme="ndrc")), None
    except Exception as exc:  # monitoring is advisory here: say why it is missing, keep the list
        return None, Message(f"监测评估失败，未列出关联指标事项：{exc}",
                             f"monitoring failed, items with lagging indicators are not listed: {exc}")


def indicator_entries(ctx: Context, indicators: list[Any], assessed: pd.DataFrame) -> list[dict[str, Any]]:
    """Entries for items whose linked indicators lag or are projected to fall short.

    ``assessed`` has at least the columns indicator, unit, status (ndrc codes);
    ``projected_share`` and ``latest_period`` are used when present.
    """
    if assessed.empty or not {"indicator", "unit", "status"} <= set(assessed.columns):
        return []
    rows = {(str(a["indicator"]), str(a["unit"])): a for a in assessed.to_dict("records")}
    out = []
    for item in ctx.leading_items():
        linked = [x for x in indicators if item in x.items]
        for unit in ctx.leads(item):
            where = unit if ctx.units.get(unit, {}).get("kind") == "region" else "CN"
            for x in linked:
                a = rows.get((x.id, where))
                if a is None:
                    continue
                status = str(a["status"])
                proj = a.get("projected_share")
                at_risk = status not in ("lagging", "achieved") and proj is not None and not pd.isna(proj) and proj < 1
                if status != "lagging" and not at_risk:
                    continue
                binding = x.attribute == "binding"
                kind = "indicator_lagging" if status == "lagging" else "indicator_at_risk"
                severity = ("high" if binding else "medium") if kind == "indicator_lagging" else ("medium" if binding else "low")
                latest = a.get("latest_period")
                since = None
                if latest is not None and not pd.isna(latest):
                    since = period_end(_p(str(latest)))
                label = (Message("进展滞后", "lagging") if kind == "indicator_lagging"
                         else Message(f"预计到期完成 {proj:.0%}，存在不能实现的风险" if at_risk else "",
                                      f"projected to reach {proj:.0%} of its target, at risk" if at_risk else ""))
                name = ctx.units.get(unit, {})
                out.append(_entry(
                    ctx, kind, item, unit,
                    Message(f"关联指标 {x.id}（{x.name_zh}）{label.zh}：需说明原因并提出措施",
                            f"linked indicator {x.id} ({x.name_en}) {label.en}: reasons and measures owed"),
                    x.id, since,
                    Message(f"要求{name.get('name_zh', unit)}分析指标 {x.id} 的滞后原因，提出针对性措施并在下期报告中说明",
                            f"ask {name.get('name_en', unit)} to analyse why {x.id} lags and report targeted measures "
                            f"next period"),
                    severity))
    return out


def supervision_list(store: Store, as_of: date, framework_id: str = BUILTIN_DEFAULT,
                     cycle: ReportingCycle | None = None, monitoring: bool = True,
                     assessed: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 督办清单 as of a date, most severe first; ``attrs["notes"]`` holds zh/en notes.

    ``assessed``: the monitoring assessments (ndrc scheme) to use — a :class:`planmon.snapshot.Snapshot`
    passes its own, so the list and the other faces read one assessment; None: assessed here."""
    with store.engine.connect() as conn:
        ctx = load_context(conn, framework_id, as_of, cycle)
    entries = overdue_milestones(ctx) + delayed_items(ctx) + missing_reports(ctx)
    notes: list[dict[str, str]] = []
    why: Message | None = None
    if not monitoring:
        assessed, why = None, MONITOR_OFF
    elif assessed is None:
        assessed, why = monitor_assessments(store, framework_id, as_of)
    if why is not None:
        notes.append({"zh": why.zh, "en": why.en})
    if assessed is not None:
        entries += indicator_entries(ctx, store.framework(framework_id).indicators, assessed)
    from planmon.projects.review import duplicate_entries  # confirmed duplicated construction (issue 17)

    entries += duplicate_entries(store, as_of)
    df = pd.DataFrame(entries, columns=COLUMNS)
    if not df.empty:
        pos = {k: v["position"] for k, v in ctx.items.items()}
        df = df.assign(_s=df.severity.map(SEVERITIES.index), _k=df.kind.map(KINDS.index), _p=df.item.map(pos))
        df = df.sort_values(["_s", "_k", "_p", "unit", "reference"]).drop(columns=["_s", "_k", "_p"])
    df = df.reset_index(drop=True)
    df["days_overdue"] = df["days_overdue"].astype("Int64")
    df.attrs["as_of"] = as_of.isoformat()
    df.attrs["period"] = str(ctx.cycle.current(as_of))
    df.attrs["notes"] = notes
    return df
