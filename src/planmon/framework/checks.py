"""Checks of a framework's records against each other (references and sense)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from planmon.denominators import DENOMINATORS
from planmon.framework.issues import FrameworkIssue
from planmon.framework.model import IndexNode, Indicator, Plan, PlanItem, Responsibility, Unit
from planmon.framework.targets import target_findings
from planmon.periods import Period

ALLOWED_PARENT: dict[str, set[str | None]] = {
    "goal": {None},
    "aspect": {None},
    "task": {None, "aspect"},
    "project": {"task"},
    "action_group": {None},
    "action": {"action_group"},
}


class _Collector:
    def __init__(self, origins: dict[str, list[Any]]) -> None:
        self.origins = origins
        self.issues: list[FrameworkIssue] = []

    def add(self, part: str, idx: int, field: str, code: str, zh: str, en: str) -> None:
        o = self.origins[part][idx]
        path = f"{part}[{o.index}]" + (f".{field}" if field else "")
        self.issues.append(FrameworkIssue(o.file, path, code, zh, en))


def cross_check(plan: Plan, parts: dict[str, list[Any]], origins: dict[str, list[Any]]) -> list[FrameworkIssue]:
    c = _Collector(origins)
    items: list[PlanItem] = parts["items"]
    units: list[Unit] = parts["units"]
    indicators: list[Indicator] = parts["indicators"]
    nodes: list[IndexNode] = parts["index_tree"]
    resp: list[Responsibility] = parts["responsibilities"]

    item_ids = _unique(c, "items", items, "计划条目")
    unit_ids = _unique(c, "units", units, "单位")
    ind_ids = _unique(c, "indicators", indicators, "指标")
    node_ids = _unique(c, "index_tree", nodes, "指数节点")
    item_kind = {i.id: i.kind for i in items}

    for n, it in enumerate(items):
        if it.parent is not None and it.parent not in item_ids:
            c.add("items", n, "parent", "unknown_parent", f"未知的上级条目“{it.parent}”", f"unknown parent item '{it.parent}'")
        else:
            parent_kind = item_kind.get(it.parent) if it.parent else None
            if parent_kind not in ALLOWED_PARENT[it.kind]:
                c.add(
                    "items", n, "parent", "wrong_parent_kind",
                    f"{it.kind} 的上级不能是 {parent_kind or '（无）'}",
                    f"a {it.kind} cannot have a parent of kind {parent_kind or '(none)'}",
                )
        for k, link in enumerate(it.links):
            if link not in item_ids:
                c.add("items", n, f"links[{k}]", "unknown_link", f"未知的关联条目“{link}”", f"unknown linked item '{link}'")
    _cycles(c, "items", items, lambda r: r.parent, "计划条目")

    for n, u in enumerate(units):
        if u.parent is not None and u.parent not in unit_ids:
            c.add("units", n, "parent", "unknown_parent", f"未知的上级单位“{u.parent}”", f"unknown parent unit '{u.parent}'")
    _cycles(c, "units", units, lambda r: r.parent, "单位")

    for n, node in enumerate(nodes):
        if node.parent is not None and node.parent not in node_ids:
            c.add("index_tree", n, "parent", "unknown_parent", f"未知的上级节点“{node.parent}”", f"unknown parent node '{node.parent}'")
        if node.weight <= 0:
            c.add("index_tree", n, "weight", "weight_not_positive", f"权重必须大于 0（现为 {node.weight}）", f"weight must be > 0 (is {node.weight})")
    _cycles(c, "index_tree", nodes, lambda r: r.parent, "指数节点")

    for n, ind in enumerate(indicators):
        _check_indicator(c, n, ind, item_ids, unit_ids, node_ids, ind_ids)
        if ind.proxy_of is not None and ind.proxy_of not in ind_ids:
            c.add("indicators", n, "proxy_of", "unknown_indicator", f"未知的指标“{ind.proxy_of}”",
                  f"unknown indicator '{ind.proxy_of}'")
        if ind.continues is not None and ind.continues.count("/") != 1:
            c.add("indicators", n, "continues", "bad_continues", f"“{ind.continues}”应写成 规划/指标",
                  f"'{ind.continues}' must be written <plan>/<indicator>")
        if ind.same_series is not None and ind.same_series.count("/") != 1:
            c.add("indicators", n, "same_series", "bad_same_series", f"“{ind.same_series}”应写成 规划/指标",
                  f"'{ind.same_series}' must be written <plan>/<indicator>")

    for n, r in enumerate(resp):
        if r.item not in item_ids:
            c.add("responsibilities", n, "item", "unknown_item", f"未知的计划条目“{r.item}”", f"unknown plan item '{r.item}'")
        if r.unit not in unit_ids:
            c.add("responsibilities", n, "unit", "unknown_unit", f"未知的单位“{r.unit}”", f"unknown unit '{r.unit}'")
    seen: set[tuple[str, str]] = set()
    for n, r in enumerate(resp):
        if (r.item, r.unit) in seen:
            c.add("responsibilities", n, "", "duplicate", f"重复的分工：{r.item} × {r.unit}", f"duplicate responsibility {r.item} × {r.unit}")
        seen.add((r.item, r.unit))

    ind_by_id = {i.id: i for i in indicators}
    seen_obs: set[tuple[str, str, str]] = set()
    for n, ob in enumerate(parts["observations"]):
        if ob.indicator not in ind_ids:
            c.add("observations", n, "indicator", "unknown_indicator", f"未知的指标“{ob.indicator}”", f"unknown indicator '{ob.indicator}'")
        elif not Period.parse(ob.period).fits(ind_by_id[ob.indicator].frequency):
            c.add(
                "observations", n, "period", "period_frequency",
                f"期别 {ob.period} 与指标频率（{ind_by_id[ob.indicator].frequency}）不符",
                f"period {ob.period} does not fit the indicator's frequency ({ind_by_id[ob.indicator].frequency})",
            )
        if ob.unit not in unit_ids:
            c.add("observations", n, "unit", "unknown_unit", f"未知的单位“{ob.unit}”", f"unknown unit '{ob.unit}'")
        key = (ob.indicator, ob.unit, ob.period)
        if key in seen_obs:
            c.add("observations", n, "", "duplicate", f"重复的观测值：{'/'.join(key)}", f"duplicate observation {'/'.join(key)}")
        seen_obs.add(key)

    seen_t: set[tuple[str, str, str]] = set()
    for n, t in enumerate(parts.get("targets", [])):
        for field, code, zh, en in target_findings(ind_by_id.get(t.indicator), t.indicator, t.unit, unit_ids, t.kind,
                                                    t.period, t.baseline.period if t.baseline else None):
            c.add("targets", n, field, code, zh, en)
        key = (t.indicator, t.unit, t.period)
        if key in seen_t:
            c.add("targets", n, "", "duplicate", f"重复的目标：{'/'.join(key)}", f"duplicate target {'/'.join(key)}")
        seen_t.add(key)
    return c.issues


def _check_indicator(
    c: _Collector, n: int, ind: Indicator, item_ids: set[str], unit_ids: set[str],
    node_ids: set[str], ind_ids: set[str],
) -> None:
    for field, point in (("baseline", ind.baseline), ("target", ind.target)):
        if point is not None and Period.parse(point.period).frequency != _freq_of(ind):
            c.add(
                "indicators", n, f"{field}.period", "period_frequency",
                f"期别 {point.period} 与指标频率（{ind.frequency}）不符",
                f"period {point.period} does not fit the indicator's frequency ({ind.frequency})",
            )
    if ind.baseline and ind.target and Period.parse(ind.target.period) <= Period.parse(ind.baseline.period):
        c.add(
            "indicators", n, "target.period", "target_before_baseline",
            f"目标期 {ind.target.period} 不晚于基期 {ind.baseline.period}",
            f"target period {ind.target.period} is not after baseline period {ind.baseline.period}",
        )
    for k, pt in enumerate(ind.trajectory.points):
        if not Period.parse(pt.period).fits(ind.frequency):
            c.add(
                "indicators", n, f"trajectory.points[{k}].period", "period_frequency",
                f"期别 {pt.period} 与指标频率（{ind.frequency}）不符",
                f"period {pt.period} does not fit the indicator's frequency ({ind.frequency})",
            )
    if ind.goalposts and ind.goalposts.lower >= ind.goalposts.upper:
        c.add(
            "indicators", n, "goalposts", "goalposts_order",
            f"目标柱下限 {ind.goalposts.lower} 应小于上限 {ind.goalposts.upper}",
            f"goalpost lower {ind.goalposts.lower} must be below upper {ind.goalposts.upper}",
        )
    if ind.index is not None:
        if ind.index.weight <= 0:
            c.add(
                "indicators", n, "index.weight", "weight_not_positive",
                f"权重必须大于 0（现为 {ind.index.weight}）", f"weight must be > 0 (is {ind.index.weight})",
            )
        if ind.index.parent not in node_ids:
            c.add(
                "indicators", n, "index.parent", "unknown_parent",
                f"未知的指数节点“{ind.index.parent}”", f"unknown index node '{ind.index.parent}'",
            )
    for k, item in enumerate(ind.items):
        if item not in item_ids:
            c.add("indicators", n, f"items[{k}]", "unknown_item", f"未知的计划条目“{item}”", f"unknown plan item '{item}'")
    for k, unit in enumerate(ind.reporters):
        if unit not in unit_ids:
            c.add("indicators", n, f"reporters[{k}]", "unknown_unit", f"未知的单位“{unit}”", f"unknown unit '{unit}'")
    if ind.basis is not None and ind.basis.method == "national_target" and ind.extensive:
        c.add(
            "indicators", n, "basis.method", "national_target_extensive",
            f"{ind.id} 是总量指标（{ind.kind}）：地区不能对标全国总量目标，请声明 national_pace 或 none",
            f"{ind.id} is an extensive indicator ({ind.kind}): a unit can never be compared with the national "
            "total; declare national_pace or none",
        )
    if ind.intensive is not None and ind.intensive.denominator not in DENOMINATORS:
        c.add(
            "indicators", n, "intensive.denominator", "unknown_denominator",
            f"未知的分母“{ind.intensive.denominator}”（可用：{'、'.join(DENOMINATORS)}）",
            f"unknown denominator '{ind.intensive.denominator}' (known: {', '.join(DENOMINATORS)})",
        )
    _check_target_form(c, n, ind, ind_ids)
    if ind.formula:
        for field in ("numerator", "denominator"):
            ref = getattr(ind.formula, field)
            if ref not in ind_ids:
                c.add(
                    "indicators", n, f"formula.{field}", "unknown_indicator",
                    f"未知的指标“{ref}”", f"unknown indicator '{ref}'",
                )


def _check_target_form(c: _Collector, n: int, ind: Indicator, ind_ids: set[str]) -> None:
    """The target form's references and periods (issue 19): the record itself is checked by the model."""
    rule = ind.target_rule
    if rule is not None and rule.relative_to is not None and rule.relative_to not in ind_ids:
        c.add("indicators", n, "target_rule.relative_to", "unknown_indicator",
              f"相对目标的参照指标“{rule.relative_to}”不在本规划中", f"the relative target's indicator "
              f"'{rule.relative_to}' is not in this plan")
    dated = [("target_rule.period", rule.period if rule else None), ("rebased.period", ind.rebased.period
                                                                      if ind.rebased else None)]
    for field, period in dated:
        if period is not None and Period.parse(period).frequency != ind.frequency:
            c.add("indicators", n, field, "period_frequency", f"期别 {period} 与指标频率（{ind.frequency}）不符",
                  f"period {period} does not fit the indicator's frequency ({ind.frequency})")
    start = ind.assessed_baseline
    if rule is not None and rule.period is not None and start is not None and \
            Period.parse(rule.period) <= Period.parse(start.period):
        c.add("indicators", n, "target_rule.period", "target_before_baseline",
              f"目标期 {rule.period} 不晚于基期 {start.period}",
              f"target period {rule.period} is not after baseline period {start.period}")


def _freq_of(ind: Indicator) -> str:
    return ind.frequency


def _unique(c: _Collector, part: str, records: list[Any], label_zh: str) -> set[str]:
    seen: set[str] = set()
    for n, r in enumerate(records):
        if r.id in seen:
            c.add(part, n, "id", "duplicate_id", f"重复的{label_zh}编号“{r.id}”", f"duplicate id '{r.id}'")
        seen.add(r.id)
    return seen


def _cycles(c: _Collector, part: str, records: list[Any], parent: Callable[[Any], str | None], label_zh: str) -> None:
    by_id = {r.id: r for r in records}
    reported: set[str] = set()
    for n, r in enumerate(records):
        path = [r.id]
        cur = parent(r)
        while cur is not None and cur in by_id:
            if cur == r.id:
                if not reported.intersection(path):
                    c.add(
                        part, n, "parent", "cycle",
                        f"{label_zh}的上下级关系成环：{' → '.join([*path, cur])}",
                        f"parent cycle: {' -> '.join([*path, cur])}",
                    )
                    reported.update(path)
                break
            if cur in path:
                break
            path.append(cur)
            cur = parent(by_id[cur])
