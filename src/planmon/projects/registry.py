"""Projects in the store: an all-or-nothing import (every finding located), listing, and the duplicate
check of every new project against the ones already registered.

A new project's likely duplicates (score ≥ the threshold) enter the review queue as ``open`` pairs;
a pair already confirmed or dismissed is never reopened by a later import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from planmon.collect.safety import Limits, Refused, check_file
from planmon.pilots.areas import is_known_area, normalise_code
from planmon.pilots.importer import RegistryFinding, _blank, _text, day_bounds, parse_day
from planmon.pilots.sheets import _norm, read_workbook
from planmon.pilots.tables import duplicate_pairs, pilots, projects
from planmon.projects.model import LEVELS, Project
from planmon.projects.similar import THRESHOLD, Candidate, SimilarityIndex
from planmon.spreadsheet import cell_number
from planmon.store import Store, audit

FIELDS = ["id", "name", "description", "owner_unit", "area_code", "level", "functions", "budget", "start", "end",
          "pilot_id", "plan_item", "source"]
HEADERS_ZH = {"id": "项目编号", "name": "项目名称", "description": "建设内容", "owner_unit": "建设单位", "area_code": "区划代码",
              "level": "层级", "functions": "功能", "budget": "投资（万元）", "start": "开始年份", "end": "结束年份",
              "pilot_id": "所属试点", "plan_item": "规划事项", "source": "来源"}
ALIASES = {**{_norm(v): k for k, v in HEADERS_ZH.items()}, **{k: k for k in FIELDS},
           "项目简介": "description", "描述": "description", "功能标签": "functions", "投资": "budget", "预算": "budget",
           "投资(万元)": "budget", "开始": "start", "结束": "end", "单位": "owner_unit"}
LEVEL_ALIASES = {**{zh: k for k, (zh, _) in LEVELS.items()}, **{k: k for k in LEVELS}, "省": "province", "市": "city",
                 "县": "county", "国家": "national"}


@dataclass
class ProjectImport:
    ok: bool
    file: str
    findings: list[RegistryFinding] = field(default_factory=list)
    added: int = 0
    unchanged: int = 0
    candidates: list[Candidate] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "file": self.file, "added": self.added, "unchanged": self.unchanged,
                "errors": len(self.findings), "findings": [f.to_dict() for f in self.findings],
                "candidates": [c.to_dict() for c in self.candidates]}


def _read(path: Path) -> Any:
    cells, _ = read_workbook(path, ALIASES)
    return cells


def check_projects(cells: Any, file: str, existing: dict[str, dict[str, Any]], pilot_ids: set[str]
                   ) -> tuple[list[dict[str, Any]], list[RegistryFinding]]:
    findings: list[RegistryFinding] = []
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}

    def add(row: dict[str, Any], fld: str, rule: str, zh: str, en: str) -> None:
        findings.append(RegistryFinding(file, cells.sheet, row.get("_row"), cells.columns.get(fld, ""), fld,
                                        _text(row.get(fld))[:60], rule, zh, en))

    for req in ("id", "name", "owner_unit"):
        if req not in cells.columns:
            findings.append(RegistryFinding(file, cells.sheet, 1, "", req, "", "missing_value",
                                            f"缺少必需的列“{HEADERS_ZH[req]}”", f"the required column '{req}' is missing"))
    if findings:
        return [], findings
    for row in cells.rows:
        n0 = len(findings)
        pid, name, owner = _text(row.get("id")), _text(row.get("name")), _text(row.get("owner_unit"))
        for fld, v in (("id", pid), ("name", name), ("owner_unit", owner)):
            if not v:
                add(row, fld, "missing_value", f"缺少{HEADERS_ZH[fld]}", f"the {fld} is missing")
        if pid and pid in seen:
            add(row, "id", "duplicate_pilot", f"项目编号 {pid} 在本文件第 {seen[pid]} 行已出现",
                f"project id {pid} already appears in row {seen[pid]} of this file")
        seen.setdefault(pid, int(row["_row"]))
        code = normalise_code(row.get("area_code"))
        if code is not None and not is_known_area(code):
            add(row, "area_code", "unknown_area", f"区划代码“{code}”不是可识别的 GB/T 2260 代码",
                f"area code '{code}' is not a GB/T 2260 code planmon can place")
        level_raw = _text(row.get("level"))
        level = LEVEL_ALIASES.get(level_raw.lower(), LEVEL_ALIASES.get(level_raw, "")) if level_raw else ""
        if level_raw and not level:
            add(row, "level", "unknown_level", f"层级“{level_raw}”无法识别（国家级、省级、地市级、县级、部门）",
                f"level '{level_raw}' not understood (national, province, city, county, department)")
        budget = None
        if not _blank(row.get("budget")):
            budget = cell_number(row.get("budget"))
            if budget is None:
                add(row, "budget", "not_a_number", f"投资“{_text(row.get('budget'))}”不是数字（单位：万元）",
                    f"budget '{_text(row.get('budget'))}' is not a number (in 万元)")
        days: dict[str, str | None] = {}
        for fld in ("start", "end"):
            days[fld] = None if _blank(row.get(fld)) else parse_day(row.get(fld))
            if not _blank(row.get(fld)) and days[fld] is None:
                add(row, fld, "bad_date", f"“{_text(row.get(fld))}”不是日期或年份", f"'{_text(row.get(fld))}' is not a date or year")
        if days["start"] and days["end"] and day_bounds(days["end"])[1] < day_bounds(days["start"])[0]:
            add(row, "end", "end_before_start", f"结束 {days['end']} 早于开始 {days['start']}",
                f"the end {days['end']} is before the start {days['start']}")
        pilot = _text(row.get("pilot_id")) or None
        if pilot and pilot not in pilot_ids:
            add(row, "pilot_id", "unknown_pilot", f"试点“{pilot}”不在名录中", f"pilot '{pilot}' is not in the registry")
        if len(findings) > n0:
            continue
        funcs = _text(row.get("functions"))
        rec = {"id": pid, "name": name, "description": _text(row.get("description")), "owner_unit": owner,
               "area_code": code, "level": level, "functions": Project.from_row({"id": pid, "name": name,
                                                                                   "functions": funcs}).functions,
               "budget": budget, "start": days["start"], "end": days["end"], "pilot_id": pilot,
               "plan_item": _text(row.get("plan_item")) or None, "source": _text(row.get("source"))}
        out.append(rec)
    return out, findings


def stored_projects(store: Store) -> list[Project]:
    with store.engine.connect() as conn:
        return [Project.from_row(dict(r)) for r in conn.execute(select(projects).order_by(projects.c.id)).mappings()]


def get_project(store: Store, pid: str) -> Project:
    with store.engine.connect() as conn:
        r = conn.execute(select(projects).where(projects.c.id == pid)).mappings().first()
    if r is None:
        raise KeyError(pid)
    return Project.from_row(dict(r))


def record_candidates(conn: Any, cands: list[Candidate]) -> int:
    """Open a review pair for each candidate not yet in the queue (in either order)."""
    n = 0
    now = audit.now()
    for c in cands:
        a, b = sorted((c.project.id, c.other.id))
        hit = conn.execute(select(duplicate_pairs.c.id).where(duplicate_pairs.c.project_a == a,
                                                              duplicate_pairs.c.project_b == b)).first()
        if hit is not None:
            continue
        conn.execute(duplicate_pairs.insert().values(project_a=a, project_b=b, score=c.score,
                                                     reasons={"parts": c.parts, "phrases": c.phrases,
                                                              "functions": c.functions, "reasons": c.reasons},
                                                     state="open", decision_reason="", created_at=now))
        n += 1
    return n


def import_projects(store: Store, path: Path, actor: str, limits: Limits | None = None,
                    threshold: float = THRESHOLD) -> ProjectImport:
    """Check then write a workbook or CSV of projects; then queue each new project's likely duplicates."""
    path = Path(path)
    result = ProjectImport(ok=False, file=path.name)
    try:
        check_file(path, limits)
        cells = _read(path)
    except Refused as exc:
        f = exc.finding
        result.findings.append(RegistryFinding(f.file, f.sheet, f.row, f.column, f.field, f.value, f.rule,
                                               f.message_zh, f.message_en))
        return result
    except Exception as exc:  # a broken workbook raises many kinds
        result.findings.append(RegistryFinding(path.name, "", None, "", "", "", "unreadable",
                                               f"无法读取文件：{exc}", f"cannot read the file: {exc}"))
        return result
    store.migrate()
    with store.engine.connect() as conn:
        existing = {r["id"]: dict(r) for r in conn.execute(select(projects)).mappings()}
        pilot_ids = {r[0] for r in conn.execute(select(pilots.c.id))}
    rows, findings = check_projects(cells, path.name, existing, pilot_ids)
    result.findings = findings
    if findings:
        return result
    new = [r for r in rows if r["id"] not in existing]
    result.unchanged = len(rows) - len(new)
    allp = [Project.from_row(r) for r in existing.values()] + [Project.from_row(r) for r in new]
    index = SimilarityIndex(allp)
    cands: list[Candidate] = []
    for r in new:
        cands += index.query(Project.from_row(r), k=10, threshold=threshold)
    now = audit.now()
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with store.engine.begin() as conn:
        for r in new:
            conn.execute(projects.insert().values(**{**r, "functions": list(r["functions"])}, created_at=now,
                                                  created_by=actor))
            audit.record(conn, actor, "project.create", "projects", r["id"], after={"name": r["name"]})
        opened = record_candidates(conn, cands)
        audit.record(conn, actor, "projects.import", "projects", path.name,
                     after={"sha256": sha, "added": len(new), "unchanged": result.unchanged, "pairs_opened": opened})
    result.added = len(new)
    result.candidates = cands
    result.ok = True
    return result


def similar_to(store: Store, project: Project | str, k: int = 10, threshold: float = THRESHOLD) -> list[Candidate]:
    """The likely duplicates of a stored project (by id) or of a project described but not stored."""
    allp = stored_projects(store)
    p = next(x for x in allp if x.id == project) if isinstance(project, str) else project
    return SimilarityIndex(allp).query(p, k=k, threshold=threshold)
