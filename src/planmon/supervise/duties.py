"""The division of responsibility (分工实施方案): import, export and the effective view.

An office keeps its scheme as an Excel table, one row per plan item and milestone::

    规划事项 | 牵头单位 | 参与单位 | 阶段目标 | 完成时限 | 成果形式
    plan item | lead unit | participating units | milestone | deadline | deliverable

Items and units may be named by id (``T1``, ``MIIT``, ``330000``) or by their
Chinese name (``5G创新应用工程``, ``工业和信息化部`` / ``工信部``, ``浙江省`` / ``浙江``).
Several rows may name the same item (one per milestone); the item's leads and
participants are the union of its rows, so merged cells work as well.

Import is all or nothing: the whole table is checked first and refused with every
problem listed by row and column, in zh and en. An accepted table replaces, for the
items it names, the division of responsibility (rows get origin ``import``) and the
imported milestones; items it does not name keep what they had. A milestone of the
table that falls on the due date of a milestone the framework declares (e.g. each
priority action's 2023 milestone, shipped "to be filled") supplies that milestone's
text instead of adding a second one, so supervision keeps tracking the same id.

The same content is read and written as YAML in the framework's own form
(``responsibilities:`` item/unit/role and ``milestones:`` item/due/text_zh/deliverable).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from sqlalchemy import Connection, delete, select, update

from planmon.framework import BUILTIN_DEFAULT
from planmon.store import Store, audit
from planmon.store.tables import milestones, plan_items, responsibilities, units
from planmon.supervise.duties_table import (
    COLUMNS,
    HEADERS_ZH,
    YAML_FIELD,
    DutyRow,
    Problem,
    read_duties,
)

LEADING_KINDS = ("task", "project", "action")  # every one of these has at least one lead
IMPORT_MS_TAG = "-U"  # imported milestone ids: <item>-U01, <item>-U02 …
# Usual full and short forms of department names in division-of-labour documents (the built-in
# units carry one name each); a name here resolves only if its unit id exists in the store.
DEPARTMENT_ALIASES: dict[str, str] = {
    "中央网络安全和信息化委员会办公室": "CAC", "国家互联网信息办公室": "CAC", "网信办": "CAC",
    "国家发展和改革委员会": "NDRC", "国家发改委": "NDRC", "发展改革委": "NDRC", "发改委": "NDRC",
    "工信部": "MIIT", "科学技术部": "MOST", "人民银行": "PBC", "人行": "PBC",
    "国家卫生健康委员会": "NHC", "国家卫健委": "NHC", "卫生健康委": "NHC", "卫健委": "NHC",
    "国办": "GOSC", "国家市场监督管理总局": "SAMR", "市场监管局": "SAMR", "统计局": "NBS", "数据局": "NDA",
    "知识产权局": "CNIPA", "农业部": "MARA", "环境部": "MEE", "应急部": "MEM",
}


@dataclass
class DutiesResult:
    """What an import did (``ok``) or why it was refused (``problems``; nothing written)."""

    ok: bool
    problems: list[Problem] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    responsibilities: int = 0
    milestones: int = 0
    filled: int = 0  # framework milestones whose text the table supplied



# ---- checking ------------------------------------------------------------------------------


@dataclass
class _Resolved:
    item: str
    leads: list[str]
    participants: list[str]
    milestone: tuple[str, str, str] | None  # (text, due ISO date, deliverable)


def _parse_deadline(s: str) -> str | None:
    """An ISO date, or a year / quarter / month meaning its last day (2023 → 2023-12-31)."""
    s = s.strip().replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?(?:底|前|末)?", s)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
        s = y if not mo else (f"{y}-{int(mo):02d}" if not d else f"{y}-{int(mo):02d}-{int(d):02d}")
    try:
        return date.fromisoformat(s[:10]).isoformat() if len(s) >= 10 else _period_end(s)
    except ValueError:
        return None


def _period_end(s: str) -> str | None:
    from planmon.framework.model import Milestone

    try:
        return Milestone(id="x", due=s).due_date
    except ValueError:
        return None


class _Names:
    """Resolve item and unit names (id, full Chinese name, short name) against the store."""

    def __init__(self, conn: Connection, framework_id: str) -> None:
        self.items: dict[str, dict[str, Any]] = {
            r["id"]: dict(r) for r in conn.execute(select(plan_items).where(plan_items.c.framework_id == framework_id)).mappings()
        }
        self.item_by_name = {i["title_zh"]: k for k, i in self.items.items()}
        self.item_by_name.update({i["title_en"].lower(): k for k, i in self.items.items() if i["title_en"]})
        self.units: dict[str, dict[str, Any]] = {r["id"]: dict(r) for r in conn.execute(select(units)).mappings()}
        self.unit_by_name: dict[str, str] = {}
        for k, u in self.units.items():
            for name in (u["name_zh"], u["short_zh"], (u["name_en"] or "").lower(), u["code"]):
                if name:
                    self.unit_by_name.setdefault(name, k)
        for alias, k in DEPARTMENT_ALIASES.items():
            if k in self.units:
                self.unit_by_name.setdefault(alias, k)

    def item(self, s: str) -> str | None:
        if s in self.items:
            return s
        head = s.split(maxsplit=1)[0] if s else s  # "T1 建设泛在智联的数字基础设施体系"
        if head in self.items:
            return head
        return self.item_by_name.get(s) or self.item_by_name.get(s.lower())

    def unit(self, s: str) -> str | None:
        if s in self.units:
            return s
        return self.unit_by_name.get(s) or self.unit_by_name.get(s.lower())


def _p(row: int, col: str, code: str, zh: str, en: str) -> Problem:
    return Problem(row, col, code, zh, en)


def check_rows(rows: list[DutyRow], names: _Names) -> tuple[list[_Resolved], list[Problem]]:
    """Every problem of the table at once; the resolved rows are usable only if there is none."""
    problems: list[Problem] = []
    resolved: list[_Resolved] = []
    seen_rows: dict[tuple[Any, ...], int] = {}
    seen_ms: dict[tuple[str, str, str], int] = {}
    roles: dict[tuple[str, str], tuple[str, int]] = {}
    first_row: dict[str, int] = {}
    lead_col: dict[str, str] = {}
    has_lead: set[str] = set()
    for r in rows:
        h = ({k: f"{r.path}.{f}" for k, f in YAML_FIELD.items()} if r.path
             else dict(zip(COLUMNS, HEADERS_ZH, strict=True)))
        if r.milestone.startswith("\0role:"):
            problems.append(_p(r.row, f"{r.path}.role", "bad_role", f"角色“{r.milestone[6:]}”无效：应为 lead（牵头）或 participant（参与）",
                               f"role '{r.milestone[6:]}' is invalid: expected lead or participant"))
            continue
        if not r.item:
            problems.append(_p(r.row, h["item"], "missing_item", "未填写规划事项", "the plan item is empty"))
            continue
        item = names.item(r.item)
        if item is None:
            problems.append(_p(r.row, h["item"], "unknown_item", f"规划事项“{r.item}”不存在（应填编号如 T1、P05、A3 或事项全称）",
                               f"unknown plan item '{r.item}' (use an id such as T1, P05, A3 or the item's full title)"))
            continue
        first_row.setdefault(item, r.row)
        lead_col.setdefault(item, h["lead"])
        key = (item, tuple(sorted(r.lead)), tuple(sorted(r.participants)), r.milestone, r.deadline, r.deliverable)
        if key in seen_rows:
            problems.append(_p(r.row, h["item"], "duplicate_row", f"与第 {seen_rows[key]} 行重复",
                               f"duplicates row {seen_rows[key]}"))
            continue
        seen_rows[key] = r.row
        leads: list[str] = []
        parts: list[str] = []
        for col, given, out in (("lead", r.lead, leads), ("participants", r.participants, parts)):
            for name in given:
                unit = names.unit(name)
                if unit is None:
                    problems.append(_p(r.row, h[col], "unknown_unit", f"单位“{name}”不存在（应填单位编号或中文名称）",
                                       f"unknown unit '{name}' (use the unit's id or its Chinese name)"))
                    continue
                role = "lead" if col == "lead" else "participant"
                prev = roles.get((item, unit))
                if prev is not None and prev[0] != role:
                    problems.append(_p(r.row, h[col], "role_conflict",
                                       f"单位“{name}”在第 {prev[1]} 行为{'牵头' if prev[0] == 'lead' else '参与'}单位，不能同时为{'牵头' if role == 'lead' else '参与'}单位",
                                       f"unit '{name}' is {prev[0]} in row {prev[1]} and cannot also be {role}"))
                    continue
                roles.setdefault((item, unit), (role, r.row))
                out.append(unit)
        if leads or r.lead:  # a lead named but unknown is reported as unknown, not again as missing
            has_lead.add(item)
        ms: tuple[str, str, str] | None = None
        if r.milestone or r.deadline:
            due = _parse_deadline(r.deadline) if r.deadline else None
            if not r.milestone:
                problems.append(_p(r.row, h["milestone"], "missing_milestone", "填写了完成时限但未填写阶段目标",
                                   "a deadline is given but the milestone is empty"))
            elif not r.deadline:
                problems.append(_p(r.row, h["deadline"], "missing_deadline", "阶段目标未填写完成时限",
                                   "the milestone has no deadline"))
            elif due is None:
                problems.append(_p(r.row, h["deadline"], "bad_deadline", f"完成时限“{r.deadline}”无法识别（应为 2023-12-31、2023 或 2023Q4）",
                                   f"deadline '{r.deadline}' is not a date (expected 2023-12-31, 2023 or 2023Q4)"))
            else:
                mkey = (item, r.milestone, due)
                if mkey in seen_ms:
                    problems.append(_p(r.row, h["milestone"], "duplicate_milestone",
                                       f"阶段目标与第 {seen_ms[mkey]} 行重复", f"the milestone duplicates row {seen_ms[mkey]}"))
                else:
                    seen_ms[mkey] = r.row
                    ms = (r.milestone, due, r.deliverable)
        resolved.append(_Resolved(item, leads, parts, ms))
    for item, row in first_row.items():
        if item not in has_lead:
            title = names.items[item]["title_zh"]
            problems.append(_p(row, lead_col[item], "no_lead", f"规划事项 {item}（{title}）没有牵头单位",
                               f"plan item {item} ({names.items[item]['title_en']}) has no lead unit"))
    problems.sort(key=lambda p: (p.row, COLUMNS.index(_col_key(p.column) or "item")))
    return resolved, problems


def _col_key(column: str) -> str | None:
    for k, zh in zip(COLUMNS, HEADERS_ZH, strict=True):
        if column in (k, zh) or column.endswith("." + YAML_FIELD[k]):
            return k
    return None


# ---- writing -------------------------------------------------------------------------------


def import_duties(store: Store, path: str | Path, actor: str, framework_id: str = BUILTIN_DEFAULT) -> DutiesResult:
    """Check the whole table and, only if it has no problem, write it in one transaction."""
    rows, problems = read_duties(path)
    if problems:
        return DutiesResult(False, problems)
    if not rows:
        return DutiesResult(False, [Problem(1, "", "empty", "表格没有数据行", "the table has no data rows")])
    with store.engine.begin() as conn:
        names = _Names(conn, framework_id)
        if not names.items:
            raise KeyError(f"framework '{framework_id}' is not in the store: run 'planmon init'")
        resolved, problems = check_rows(rows, names)
        if problems:
            return DutiesResult(False, problems)
        return _write(conn, framework_id, resolved, actor, str(path))


def _write(conn: Connection, fid: str, resolved: list[_Resolved], actor: str, source: str) -> DutiesResult:
    items = list(dict.fromkeys(r.item for r in resolved))
    role_of: dict[tuple[str, str], str] = {}
    for r in resolved:
        for u in r.leads:
            role_of[(r.item, u)] = "lead"
        for u in r.participants:
            role_of.setdefault((r.item, u), "participant")
    before = division(conn, fid, items)
    conn.execute(delete(responsibilities).where(responsibilities.c.framework_id == fid,
                                                responsibilities.c.item_id.in_(items)))
    conn.execute(responsibilities.insert(), [
        {"framework_id": fid, "item_id": i, "unit_id": u, "role": role, "inferred": False, "origin": "import"}
        for (i, u), role in role_of.items()
    ])
    # milestones: replace what earlier imports added for these items; fill declared ones on the same date
    ms_rows = conn.execute(select(milestones).where(milestones.c.framework_id == fid,
                                                    milestones.c.item_id.in_(items))).mappings().all()
    for m in ms_rows:
        if IMPORT_MS_TAG in m["id"][len(m["item_id"]):]:
            conn.execute(delete(milestones).where(milestones.c.framework_id == fid, milestones.c.id == m["id"]))
    declared = {(m["item_id"], m["due"]): dict(m) for m in ms_rows if IMPORT_MS_TAG not in m["id"][len(m["item_id"]):]}
    added = filled = 0
    counter: dict[str, int] = {}
    for r in resolved:
        if r.milestone is None:
            continue
        text, due, deliverable = r.milestone
        text_zh = text if not deliverable else f"{text}（成果形式：{deliverable}）"
        d = declared.get((r.item, due))
        if d is not None:
            if d["text_zh"] != text_zh:
                conn.execute(update(milestones).where(milestones.c.framework_id == fid, milestones.c.id == d["id"])
                             .values(text_zh=text_zh, text_en=text_zh, to_be_filled=False))
                filled += 1
            continue
        counter[r.item] = counter.get(r.item, 0) + 1
        conn.execute(milestones.insert().values(
            framework_id=fid, id=f"{r.item}{IMPORT_MS_TAG}{counter[r.item]:02d}", item_id=r.item, due=due,
            kind="milestone", text_zh=text_zh, text_en=text_zh, to_be_filled=False))
        added += 1
    after = division(conn, fid, items)
    audit.record(conn, actor, "duties.import", "responsibilities", fid,
                 before=before.to_dict("records"), after=after.to_dict("records"),
                 detail=f"{source}: {len(items)} items, {len(role_of)} responsibilities, {added} milestones added, {filled} filled")
    return DutiesResult(True, [], items, len(role_of), added, filled)


# ---- the effective division -----------------------------------------------------------------


def division(conn: Connection, framework_id: str, items: Iterable[str] | None = None) -> pd.DataFrame:
    """Who leads and joins each item now: columns item, unit, role, origin, inferred.

    Where the office imported a division for an item, rows the framework declares for
    it are ignored (a later framework sync may add them back; the import wins).
    """
    q = select(responsibilities.c.item_id.label("item"), responsibilities.c.unit_id.label("unit"),
               responsibilities.c.role, responsibilities.c.origin, responsibilities.c.inferred).where(
        responsibilities.c.framework_id == framework_id)
    if items is not None:
        q = q.where(responsibilities.c.item_id.in_(list(items)))
    df = pd.DataFrame(conn.execute(q).mappings().all(), columns=["item", "unit", "role", "origin", "inferred"])
    imported = set(df.loc[df.origin == "import", "item"])
    df = df[~(df.item.isin(imported) & (df.origin != "import"))]
    return df.sort_values(["item", "role", "unit"]).reset_index(drop=True)


def export_duties(store: Store, path: str | Path, framework_id: str = BUILTIN_DEFAULT) -> Path:
    """Write the current division as the office's table (.xlsx / .csv) or framework YAML (.yaml)."""
    p = Path(path)
    with store.engine.connect() as conn:
        div = division(conn, framework_id)
        names = _Names(conn, framework_id)
        ms = conn.execute(select(milestones).where(milestones.c.framework_id == framework_id)
                          .order_by(milestones.c.item_id, milestones.c.due, milestones.c.id)).mappings().all()
    order = {k: int(v["position"]) for k, v in names.items.items()}
    if p.suffix.lower() in (".yaml", ".yml"):
        data = {
            "responsibilities": [{"item": r.item, "unit": r.unit, "role": r.role}
                                 for r in div.sort_values(["item", "role", "unit"], key=_order_key(order)).itertuples()],
            "milestones": [{"item": m["item_id"], "due": m["due"], "text_zh": m["text_zh"]} for m in
                           sorted(ms, key=lambda m: (order.get(m["item_id"], 0), m["due"]))],
        }
        p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return p
    uname = {k: u["name_zh"] for k, u in names.units.items()}
    by_item: dict[str, list[dict[str, Any] | None]] = {}
    for m in ms:
        by_item.setdefault(m["item_id"], []).append(dict(m))
    table: list[list[str]] = []
    for item in sorted(set(div.item), key=lambda i: order.get(i, 0)):
        d = div[div.item == item]
        leads = "、".join(uname.get(u, u) for u in d.loc[d.role == "lead", "unit"])
        parts = "、".join(uname.get(u, u) for u in d.loc[d.role == "participant", "unit"])
        label = f"{item} {names.items[item]['title_zh']}" if item in names.items else item
        for mm in by_item.get(item) or [None]:
            table.append([label, leads, parts, mm["text_zh"] if mm else "", mm["due"] if mm else "", ""])
    from planmon.spreadsheet import write_table

    write_table(p, HEADERS_ZH, table, sheet_title="分工方案")
    return p


def _order_key(order: dict[str, int]) -> Any:
    def key(s: pd.Series) -> pd.Series:
        return s.map(order).fillna(-1) if s.name == "item" else s
    return key
